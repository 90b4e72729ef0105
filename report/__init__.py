"""Round-table outputs: the presentation, the PDF report and handout, the deck, the chart pack.

A pure package: data in, bytes out (no Streamlit, no SQL). :func:`report.gather.gather`
reads one :class:`~report.model.ReportModel` through ``store.queries``;
:func:`report.slides.build` describes every slide once; the renderers lay the
slides out: ``report.html`` (presentation mode), ``report.pdf`` (Typst),
``report.deck`` (python-pptx) and ``report.charts`` (Vega-Lite, chart pack).
:func:`render` is the one entry point the pages and the command line use.
"""

from .files import FORMATS, MAX_PAGES, MIME, TooLarge, file_name, render

__all__ = ["FORMATS", "MAX_PAGES", "MIME", "TooLarge", "file_name", "render"]

"""One entry point for every downloadable output, and the file names that say what a file holds.

A file name carries the round, the language, "data as of" and "generated at"
(local time of the round table) and, for data that is not published, says so:
``egov-report-2024-az-data-20261127-1405-gen-20261127-1510.pdf``.
"""

from __future__ import annotations

import io
import re

from l10n import fmt_int, t

from .model import ReportModel
from .slides import Slide, footer, local_time

FORMATS = ("pdf", "handout", "pptx", "zip", "xlsx")
EXTENSION = {"pdf": "pdf", "handout": "pdf", "pptx": "pptx", "zip": "zip", "xlsx": "xlsx"}
KIND_WORD = {"pdf": "report", "handout": "handout", "pptx": "slides", "zip": "charts", "xlsx": "results"}
MIME = {
    "pdf": "application/pdf",
    "handout": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "zip": "application/zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


# Pages a slide file or PDF may hold. The renderers keep the whole document in memory (python-pptx
# about 0.35 MB a slide, Typst more): 2 000 pages took about a gigabyte (docs/PERFORMANCE.md). A round
# table is a few dozen slides; a whole country's round is presented and printed by agenda.
MAX_PAGES = 600


class TooLarge(ValueError):
    """A slide file or PDF of more pages than :data:`MAX_PAGES`: nothing was rendered."""

    def __init__(self, pages: int, limit: int = MAX_PAGES):
        super().__init__(f"{pages} pages; at most {limit} go into one file")
        self.pages, self.limit = pages, limit

    def message(self, lang: str) -> str:
        return t("report.too_large", lang, pages=fmt_int(self.pages, lang), limit=fmt_int(self.limit, lang))


def _check_size(slides: list[Slide]) -> None:
    from .slides import paginate

    pages = len(paginate(slides))
    if pages > MAX_PAGES:
        raise TooLarge(pages, MAX_PAGES)


def _stamp(value) -> str:
    local = local_time(value)
    return local.strftime("%Y%m%d-%H%M") if local else "none"


def file_name(m: ReportModel, kind: str) -> str:
    """``egov-<what>-<round>-<lang>[-not-published]-data-<when>-gen-<when>.<ext>`` (ASCII only)."""
    round_part = re.sub(r"[^0-9A-Za-z._-]+", "-", m.round).strip("-") or "round"
    parts = ["egov", KIND_WORD[kind], round_part, m.lang]
    if not m.published:
        parts.append("not-published")
    parts += ["data", _stamp(m.data_as_of), "gen", _stamp(m.generated_at)]
    return "-".join(parts) + "." + EXTENSION[kind]


def _readme(m: ReportModel, slides: list[Slide]) -> str:
    lang = m.lang
    lines = [t("report.title", lang, round=m.round), footer(m), "", t("report.zip.readme", lang), ""]
    lines += [f"- {s.chart.id}: {s.chart.title} — {s.chart.alt}" for s in slides if s.chart is not None]
    return "\n".join(lines) + "\n"


def render(kind: str, m: ReportModel, slides: list[Slide], *, store=None, progress=None) -> bytes:
    """The file of ``kind`` (one of :data:`FORMATS`) as bytes.

    ``xlsx`` is the full results workbook of the round (``ingest.export``), read
    with the same snapshot as the model; it needs ``store``. A slide file or
    PDF of more than :data:`MAX_PAGES` pages raises :class:`TooLarge` before
    anything is rendered.
    """
    if kind in ("pdf", "handout", "pptx"):
        _check_size(slides)
    if kind == "pdf":
        from .pdf import render_pdf

        return render_pdf(m, slides, progress=progress)
    if kind == "handout":
        from .pdf import render_handout

        return render_handout(m, slides, progress=progress)
    if kind == "pptx":
        from .deck import render_deck

        return render_deck(m, slides, progress=progress)
    if kind == "zip":
        from .charts import chart_pack

        stem = file_name(m, "zip").removesuffix(".zip")
        return chart_pack(slides, m.lang, stem, _readme(m, slides), progress=progress)
    if kind == "xlsx":
        if store is None:
            raise ValueError("the results workbook is read from the store: pass store=")
        from ingest.export import export_workbook

        buf = io.BytesIO()
        export_workbook(store, buf, lang=m.lang, source=m.source, rounds=[m.round], published_only=m.published)
        if progress is not None:
            progress(1.0)
        return buf.getvalue()
    raise ValueError(f"unknown format {kind!r}; one of {', '.join(FORMATS)}")

"""Small Streamlit widgets shared by the pages.

Downloads are generated lazily: ``st.download_button`` (1.67) accepts a
zero-argument callable for ``data`` and runs it only when the user clicks, so
rendering a page never pays for PNG/SVG/xlsx files nobody asks for. The
buttons use ``on_click="ignore"`` so a download does not rerun the page.
"""

from __future__ import annotations

import functools
import logging
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from . import export, grid, theme
from .i18n import DASH, fmt_int, t

log = logging.getLogger(__name__)

DIMENSIONS = ("coverage", "maturity", "infrastructure", "corruption")


# --- downloads -----------------------------------------------------------------------


def safe_file_name(name: str) -> str:
    """A file name without path separators or characters that trouble browsers."""
    cleaned = re.sub(r"[^\w.\-]+", "-", str(name), flags=re.UNICODE).strip("-.")
    return cleaned or "download"


def _lazy(make: Callable[..., bytes], *args: Any, what: str) -> Callable[[], bytes]:
    """A zero-argument producer that logs failures with context (it runs off the script thread)."""

    def produce() -> bytes:
        try:
            return make(*args)
        except Exception:
            log.exception("could not build %s for download", what)
            raise

    return produce


@st.cache_data(show_spinner=False, max_entries=256)
def chart_spec(builder: str, *args: Any, **kwargs: Any) -> dict:
    """The Vega-Lite spec of ``ui.charts.<builder>(*args, **kwargs)``, built once per distinct input.

    Building an Altair chart and validating it on every rerun costs tens of
    milliseconds per chart; a page that redraws the same small chart for
    every visitor draws its spec with ``st.vega_lite_chart`` instead, and the
    download buttons take the spec as well.
    """
    from ui import charts

    return getattr(charts, builder)(*args, **kwargs).to_dict()


def download_chart(chart: alt.TopLevelMixin | Mapping[str, Any], name: str, lang: str, key: str) -> None:
    """Two buttons side by side, each as wide as its label: the chart (or its spec) as PNG and as SVG."""
    base = safe_file_name(name)
    with st.container(horizontal=True, gap="small"):
        st.download_button(
            t("download.png", lang), _lazy(export.chart_png, chart, what=f"{base}.png"),
            file_name=f"{base}.png", mime=export.PNG_MIME, key=f"{key}-png", on_click="ignore",
            help=t("download.png.help", lang), icon=":material/image:",
        )
        st.download_button(
            t("download.svg", lang), _lazy(export.chart_svg, chart, what=f"{base}.svg"),
            file_name=f"{base}.svg", mime=export.SVG_MIME, key=f"{key}-svg", on_click="ignore",
            help=t("download.svg.help", lang), icon=":material/draw:",
        )


def chart(chart: alt.TopLevelMixin | Mapping[str, Any], name: str, lang: str, key: str, **kwargs: Any) -> None:
    """A chart (an Altair chart, or a spec from :func:`chart_spec`) with its PNG and SVG downloads
    (``kwargs`` go to ``st.altair_chart`` / ``st.vega_lite_chart``)."""
    kwargs.setdefault("width", "stretch")
    if isinstance(chart, Mapping):
        st.vega_lite_chart(spec=dict(chart), **kwargs)
    else:
        st.altair_chart(chart, **kwargs)
    download_chart(chart, name, lang, key)


def download_table(
    df: pd.DataFrame | Mapping[str, pd.DataFrame] | Callable[[], pd.DataFrame], name: str, lang: str, key: str,
    sheet_name: str | None = None,
) -> None:
    """One button: the table (or ``{sheet: table}``) as an Excel workbook, numbers kept as numbers.

    ``df`` may also be a function that makes the table, run only when someone clicks (a long table
    the page shows only the head of).
    """
    base = safe_file_name(name.removesuffix(".xlsx"))
    sheet = sheet_name or t("download.sheet", lang)
    if callable(df):
        produce = _lazy(lambda: export.frame_xlsx(df(), sheet, lang), what=f"{base}.xlsx")
    else:
        # Copy now: the page may change its frame after this call, the click comes later.
        data = df.copy() if isinstance(df, pd.DataFrame) else {k: v.copy() for k, v in df.items()}
        produce = _lazy(export.frame_xlsx, data, sheet, lang, what=f"{base}.xlsx")
    st.download_button(
        t("download.xlsx", lang), produce,
        file_name=f"{base}.xlsx", mime=export.XLSX_MIME, key=f"{key}-xlsx", on_click="ignore",
        help=t("download.xlsx.help", lang), icon=":material/table_view:",
    )


def _column_config(df: pd.DataFrame, extra: Mapping[str, Any] | None) -> dict[str, Any]:
    """Pinning, widths and header help from the table's description; number columns get no
    format here, so the Styler's CLDR texts are what the grid shows."""
    out: dict[str, Any] = {}
    for name, col in grid.spec_of(df).items():
        options = {k: v for k, v in (("pinned", col.pinned or None), ("width", col.width), ("help", col.help)) if v}
        if col.kind in ("int", "num", "pct", "change", "id"):
            out[name] = st.column_config.NumberColumn(**options)
        elif col.kind == "light":
            out[name] = st.column_config.NumberColumn(alignment="left", **options)
        elif options:
            out[name] = st.column_config.Column(**options)
    out.update(extra or {})
    return out


def table(
    df: pd.DataFrame,
    lang: str,
    *,
    key: str,
    download: str | None = None,
    height: int | str = "auto",
    column_config: Mapping[str, Any] | None = None,
    rows: int | None = None,
    **kwargs: Any,
):
    """Every table of the app: the user's decimal mark whatever the browser's, numeric sorting,
    lights coloured, first columns pinned as described, and an Excel download (``download``: file name).

    ``rows``: draw only the first rows of a long list (already in its meaningful order) and say so;
    the download keeps every row. A grid of thousands of formatted rows costs about a second on
    every rerun and nobody reads it on screen.
    ``kwargs`` go to ``st.dataframe`` (``on_select``, ``selection_mode`` …); returns its result.
    """
    full = df
    if rows is not None and len(df) > rows:
        df = df.head(rows)
        df.attrs = dict(full.attrs)  # the column descriptions
    shown: Any
    if df.size <= grid.MAX_STYLED_CELLS:
        shown = grid.styled(df, lang)
    else:
        # Very large: texts pre-formatted (still the user's separators; sorting is by text).
        shown = grid.display_frame(df, lang)
    event = st.dataframe(shown, hide_index=True, width="stretch", height=height, key=f"{key}-table", placeholder=DASH,
                         column_config=_column_config(df, column_config), **kwargs)
    if df is not full:
        st.caption(t("table.first_rows", lang, shown=fmt_int(len(df), lang), n=fmt_int(len(full), lang)))
    if download is not None:
        download_table(full, download, lang, key=f"{key}-dl")
    return event


# --- traffic lights ---------------------------------------------------------------------


def light_badge(light: Any, lang: str, text: str | None = None) -> None:
    """One light as an inline pill (icon + word)."""
    st.markdown(theme.light_badge_html(light, lang, text), unsafe_allow_html=True)


def legend_rows(m: Any, lang: str) -> list[dict[str, str]]:
    """Per board dimension, the green/yellow/red conditions of methodology ``m`` as text (see
    :func:`ui.tables.threshold_table`; pure, so exports can reuse it)."""
    from ui.tables import threshold_table

    return threshold_table(m, lang).to_dict("records")


def light_legend(m: Any, lang: str, *, thresholds: bool = True) -> None:
    """The three lights with icon, word and meaning, then the thresholds of ``m``."""
    badges = " &nbsp; ".join(
        f"{theme.light_badge_html(k, lang)} {theme.light_meaning(k, lang)}" for k in ("green", "yellow", "red")
    )
    st.markdown(f"**{t('legend.title', lang)}:** {badges}", unsafe_allow_html=True)
    if thresholds:
        with st.expander(t("legend.thresholds", lang, version=getattr(m, "id", "?"))):
            table(pd.DataFrame(legend_rows(m, lang)), lang, key="legend-thresholds")
            st.caption(t("legend.symbols", lang))


# --- metrics, states, errors ------------------------------------------------------------


@dataclass(frozen=True)
class Metric:
    """One headline figure for :func:`metric_row` (value and delta already formatted)."""

    label: str
    value: str
    delta: str | None = None
    help: str | None = None
    delta_color: str = "normal"  # "inverse" when a rise is bad


def metric_row(items: Sequence[Metric | Mapping[str, Any] | tuple]) -> None:
    """Headline figures side by side, bordered; items are Metric, dicts or (label, value[, delta[, help]])."""
    metrics = [_as_metric(i) for i in items]
    if not metrics:
        return
    for col, item in zip(st.columns(len(metrics)), metrics):
        with col:
            st.metric(item.label, item.value, delta=item.delta, help=item.help,
                      delta_color=item.delta_color, border=True)


def _as_metric(item: Metric | Mapping[str, Any] | tuple) -> Metric:
    if isinstance(item, Metric):
        return item
    if isinstance(item, Mapping):
        return Metric(**item)
    return Metric(*item)


def empty_state(message_key: str, lang: str, **params: Any) -> None:
    """A calm notice instead of an empty chart or table."""
    st.info(t(message_key, lang, **params), icon=":material/info:")


def round_notes(notes: pd.DataFrame, lang: str) -> None:
    """A round's notes (why values moved), each in the reader's language, Azerbaijani where none was written."""
    from .safe import md

    for r in notes.itertuples(index=False):
        text = r.text_en if lang == "en" and isinstance(r.text_en, str) and r.text_en else r.text_az
        st.info(f"**{t(f'note.{r.kind}', lang, round=r.round)}.** {md(text)}", icon=":material/edit_note:")


def illustrative_banner(lang: str) -> None:
    """Says plainly that the figures on the page are demo values."""
    st.warning(t("demo.banner", lang), icon=":material/science:")


def friendly_error(exc: BaseException, lang: str, context: str = "") -> str:
    """Log the full exception, show users a plain message with a reference; returns the reference."""
    ref = uuid.uuid4().hex[:8]
    log.error("error %s%s", ref, f" in {context}" if context else "", exc_info=exc)
    st.error(f"{t('error.generic', lang)}  \n{t('error.reference', lang, ref=ref)}", icon=":material/error:")
    return ref


def guarded(lang: str, context: str = "") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: run a page section, turning an unexpected exception into :func:`friendly_error`."""

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - the point is to catch everything a page may raise
                friendly_error(exc, lang, context or fn.__name__)
                return None

        return run

    return wrap

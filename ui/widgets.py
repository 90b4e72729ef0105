"""Composite widgets the pages share: light cards, import outcome panels, progress bars."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from ui import components, tables
from ui.i18n import t
from ui.safe import md
from ui.theme import light_badge_html


def light_card(title: str, value: str, light: str | None, lang: str) -> None:
    """A bordered card: the dimension, its figure and its light (icon and word, not colour alone)."""
    with st.container(border=True):
        st.caption(title)
        st.markdown(f"### {value}")
        st.markdown(light_badge_html(light, lang), unsafe_allow_html=True)


# The message column's width (ui.tables.issues_table) holds about this many characters a line.
_MESSAGE_CHARS_PER_LINE = 72


def issue_row_height(frame, lang: str) -> int | None:
    """Rows tall enough to show the longest message whole (the grid wraps text only in rows over 64 px)."""
    column = t("col.message", lang)
    if column not in frame or frame.empty:
        return None
    longest = int(frame[column].astype(str).str.len().max())
    lines = min(6, -(-longest // _MESSAGE_CHARS_PER_LINE))
    return None if lines <= 1 else max(68, 12 + 20 * lines)


_PREVIEW_TITLES = {"Services": "template.self", "Infrastructure": "template.infrastructure",
                   "Coverage": "template.coverage"}


def outcome_panel(outcome, lang: str, *, preview: dict | None = None, annotated: bytes | None = None,
                  key: str = "") -> None:
    """A checked or imported file: what will be stored, then every problem once, with its cells.

    ``preview``: per sheet kind, what the file would store (answers as words,
    levels and their change). ``annotated``: the sender's workbook with the
    problem cells marked, offered for download to send back.
    """
    status_icon = {"dry-run": "✔", "imported": "✔", "unchanged": "=", "rejected": "✖", "conflict": "⚠"}
    with st.container(border=True):
        st.markdown(f"**{status_icon.get(outcome.status, '•')} {md(outcome.file_name)}** — "
                    f"{t(f'data.status.{outcome.status}', lang)}")
        plan = getattr(outcome, "plan", None)
        if plan is not None and len(plan):
            counts = plan["status"].value_counts()
            c = st.columns(3)
            for col, s in zip(c, ("new", "replaced", "unchanged")):
                col.metric(t(f"plan.{s}", lang), int(counts.get(s, 0)))
        if preview:
            with st.expander(t("data.plan.details", lang), expanded=outcome.status == "dry-run"):
                for kind, frame in preview.items():
                    st.caption(t(_PREVIEW_TITLES.get(kind, "data.plan.details"), lang))
                    components.table(frame, lang, key=f"preview-{key}-{kind}", download=f"preview-{outcome.file_name}")
        if outcome.errors:
            frame = tables.issues_table(outcome.errors_frame(lang), lang)
            st.error(t("data.errors", lang, n=len(outcome.errors)))
            components.table(frame, lang, key=f"errors-{key}", download=f"errors-{outcome.file_name}",
                             row_height=issue_row_height(frame, lang))
        warnings = getattr(outcome, "warnings", [])
        if warnings:
            with st.expander(t("data.warnings", lang, n=len(warnings))):
                shown = tables.issues_table(outcome.warnings_frame(lang), lang)
                components.table(shown, lang, key=f"warnings-{key}", row_height=issue_row_height(shown, lang))
        if annotated:
            from ingest.annotate import annotated_name

            st.download_button(t("intake.annotated.download", lang), annotated,
                               file_name=annotated_name(outcome.file_name, lang),
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                               key=f"dl-annotated-{key}", on_click="ignore", icon=":material/rate_review:",
                               help=t("intake.annotated.help", lang))


@contextmanager
def progress_bar(lang: str) -> Iterator:
    """A progress report (``ingest.progress``) drawn as a bar with its stage and the time left.

    Nothing shows for work done within a second; the bar goes away when the
    block ends. Yields the report to pass to the long operation.
    """
    from ingest.progress import QUIET_SECONDS, Progress, status_text

    slot = st.empty()

    def draw(fraction: float, stage: str, seconds_left: float | None) -> None:
        if progress.elapsed() >= QUIET_SECONDS:
            slot.progress(min(max(fraction, 0.0), 1.0), text=status_text(fraction, stage, seconds_left, lang))

    progress = Progress(draw)
    try:
        yield progress
    finally:
        slot.empty()

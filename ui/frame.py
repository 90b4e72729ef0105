"""The frame around every page: language, round and source, chosen in the sidebar.

``app.py`` calls :func:`draw_frame` once per run before the page; pages call
:func:`context` to read the choices. Choices live in session state and in the
URL (``?lang=en&round=2024&source=expert``) so that a link shows the same view.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from store.db import StoreBusy
from ui import choosers, data
from ui.i18n import t
from ui.session import sees_unpublished

LANGS = ("az", "en")
SOURCES = ("validated", "self", "expert")


@dataclass(frozen=True)
class Context:
    lang: str
    round: str | None
    source: str
    previous: str | None
    key: tuple[str, str]
    signed_in: bool
    illustrative: bool


def _from_query(name: str, allowed: tuple[str, ...] | list[str], default: str | None) -> str | None:
    value = st.query_params.get(name)
    return value if value in allowed else default


def init_language() -> str:
    """The interface language: from session, else the URL, else Azerbaijani."""
    if "lang" not in st.session_state:
        st.session_state["lang"] = _from_query("lang", LANGS, "az")
    return st.session_state["lang"]


def _sync_query(name: str, value: str | None) -> None:
    if value is None:
        return
    if st.query_params.get(name) != value:
        st.query_params[name] = value


def draw_frame() -> Context:
    """Sidebar selectors; returns the context the pages read."""
    lang = init_language()
    signed_in = sees_unpublished()  # respondents see what visitors see
    with busy_guard(lang):
        key = data.db_key()
        rounds = data.visible_rounds(key, signed_in)
    labels = rounds["label"].tolist()
    with st.sidebar:
        st.segmented_control(
            t("frame.language", lang), LANGS, key="lang", format_func=lambda v: LANG_NAMES[v],
        )
        lang = st.session_state["lang"] or "az"
        if labels:
            if st.session_state.get("round") not in labels:
                st.session_state["round"] = _from_query("round", labels, labels[-1])
            round_chooser(rounds, lang, key="round", label=t("frame.round", lang))
        else:
            st.session_state["round"] = None
            st.caption(t("frame.no_rounds", lang))
        if st.session_state.get("source") not in SOURCES:
            st.session_state["source"] = _from_query("source", SOURCES, "validated")
        choosers.radio(t("frame.source", lang), SOURCES, key="source", lang=lang,
                       format_func=lambda v: t(f"source.{v}", lang))
    label = st.session_state.get("round")
    _sync_query("lang", lang)
    _sync_query("round", label)
    _sync_query("source", st.session_state["source"])
    illustrative = bool(len(rounds) and label and rounds.loc[rounds["label"] == label, "illustrative"].astype(bool).any())
    return Context(
        lang=lang, round=label, source=st.session_state["source"],
        previous=data.previous_round(key, label, signed_in) if label else None,
        key=key, signed_in=signed_in, illustrative=illustrative,
    )


LANG_NAMES = {"az": "AZ · Azərbaycanca", "en": "EN · English"}  # each language named in itself


def round_chooser(rounds, lang: str, *, key: str, label: str, container=None, default=None):
    """The one way a round is chosen (sidebar, administration): newest first, marked when unpublished or illustrative."""
    labels = rounds["label"].tolist()[::-1]
    return choosers.selectbox(label, labels, key=key, lang=lang, container=container,
                              default=default if default in labels else (labels[0] if labels else None),
                              format_func=lambda v: round_label(rounds, v, lang))


def round_label(rounds, label: str, lang: str) -> str:
    """``2024 (illustrative)``: the round's label with what a reader must know about it."""
    row = rounds[rounds["label"] == label].iloc[0]
    marks = []
    if not bool(row.get("published", False)):
        marks.append(t("round.unpublished", lang))
    if bool(row.get("illustrative", False)):
        marks.append(t("round.illustrative", lang))
    return f"{label} ({', '.join(marks)})" if marks else str(label)


@contextmanager
def busy_guard(lang: str) -> Iterator[None]:
    """Turn "another process holds the database" into a calm notice with a retry button, and stop the run.

    Wraps the frame's first read and the page (``app.py``), so every read and
    write of every page shows "busy, try again" instead of an error when a
    long write elsewhere (an import from the command line, a backup) outlasts
    the lease's wait.
    """
    try:
        yield
    except StoreBusy as exc:
        st.warning(exc.message(lang), icon=":material/hourglass_top:")
        st.button(t("ops.busy.retry", lang), key="busy-retry", icon=":material/refresh:")
        st.stop()


ENTRY_MARK = "_via_entry"
ENTRY_FILE = Path(__file__).resolve().parent.parent / "app.py"


def context() -> Context:
    """The context drawn by the frame in this run (pages call this)."""
    entered()
    return st.session_state["_ctx"]


def entered() -> None:
    """Make sure this run came through ``app.py`` (pages without the frame, like the presentation, call it)."""
    if not st.session_state.pop(ENTRY_MARK, False):
        _run_through_entry()


def round_page(title_key: str) -> Context:
    """The head of a page about one round: title, demo banner; stops with a hint when no round exists."""
    from ui import components

    ctx = context()
    st.title(t(title_key, ctx.lang))
    if ctx.round is None:
        components.empty_state("empty.no_rounds", ctx.lang)
        st.stop()
    if ctx.illustrative:
        components.illustrative_banner(ctx.lang)
    components.round_notes(data.notes_of(ctx.key, ctx.round), ctx.lang)
    return ctx


def _run_through_entry() -> None:
    """Run ``app.py`` (navigation, frame, roles) when a page was started on its own.

    Streamlit treats an app with a ``pages/`` folder as a legacy multipage app
    until the entry file has called ``st.navigation`` in the process (AppTest
    even resets that flag on every run), so a page file can be started alone:
    without the frame and with every page in the menu. On a session's first
    run nothing can be lost, so a rerun sends the same URL through ``app.py``.
    Later, a rerun would drop the run's widget events (a button's click), so
    the entry file runs in place and the stray page stops.
    """
    import runpy

    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    if "_ctx" not in st.session_state:
        st.rerun()
    runpy.run_path(str(ENTRY_FILE), run_name="__main__")
    st.stop()

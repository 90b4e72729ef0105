"""Choosers (selectbox, multiselect, radio) that speak the user's language and keep the choice.

Streamlit's frontend keeps a chooser's option labels (and, for a radio, loses
its selection) when only ``format_func`` changes between runs, so after a
language switch the old language stayed on screen. Here every chooser's
widget key carries the language (``board-kind·en``): a switch draws a new
widget with the new labels. The choice itself lives under the plain key
(``board-kind``), language-free, so the new widget starts from it; a page may
also set the plain key (from a link) before drawing the chooser.

Placeholders come from the catalogue; Streamlit's own "Choose options" never shows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from ui.i18n import t

_SEP = "·"


def widget_key(key: str, lang: str) -> str:
    """The key of the widget drawing ``key`` in ``lang`` (tests use it to find the widget)."""
    return f"{key}{_SEP}{lang}"


def _sync(key: str, wkey: str) -> None:
    st.session_state[key] = st.session_state.get(wkey)


def _seed(wkey: str, value: Any) -> None:
    """Before drawing: a widget whose state differs from the choice (set by a link or the other
    language) is dropped, so that it is drawn anew from the choice."""
    if wkey in st.session_state and st.session_state[wkey] != value:
        del st.session_state[wkey]


_UNSET = object()


def selectbox(label: str, options: Sequence[Any], *, key: str, lang: str, default: Any = _UNSET,
              format_func: Callable[[Any], str] = str, container: Any = None, **kwargs: Any) -> Any:
    """``st.selectbox`` that keeps its choice across languages; ``default`` (else the first option,
    or nothing chosen with ``default=None``) applies until the user picks."""
    options = list(options)
    where = container or st
    wkey = widget_key(key, lang)
    chosen = st.session_state.get(key, _UNSET)
    if chosen is _UNSET or (chosen is not None and chosen not in options):
        chosen = default if default is not _UNSET else (options[0] if options else None)
        if chosen is not None and chosen not in options:
            chosen = options[0] if options else None
    _seed(wkey, chosen)
    kwargs.setdefault("placeholder", t("widget.choose_one", lang))
    index = options.index(chosen) if chosen in options else None
    value = where.selectbox(label, options, index=index, format_func=format_func, key=wkey,
                            on_change=_sync, args=(key, wkey), **kwargs)
    st.session_state[key] = value
    return value


def multiselect(label: str, options: Sequence[Any], *, key: str, lang: str, default: Sequence[Any] = (),
                format_func: Callable[[Any], str] = str, container: Any = None, **kwargs: Any) -> list[Any]:
    """``st.multiselect`` that keeps its choices across languages, with translated placeholder."""
    options = list(options)
    where = container or st
    wkey = widget_key(key, lang)
    chosen = st.session_state.get(key, _UNSET)
    chosen = list(default) if chosen is _UNSET or chosen is None else list(chosen)
    chosen = [c for c in chosen if c in options]
    _seed(wkey, chosen)
    kwargs.setdefault("placeholder", t("widget.choose_many", lang))
    kwargs.setdefault("select_all", len(options) > 5)
    value = where.multiselect(label, options, default=chosen, format_func=format_func, key=wkey,
                              on_change=_sync, args=(key, wkey), **kwargs)
    st.session_state[key] = list(value)
    return list(value)


def radio(label: str, options: Sequence[Any], *, key: str, lang: str, default: Any = _UNSET,
          format_func: Callable[[Any], str] = str, container: Any = None, **kwargs: Any) -> Any:
    """``st.radio`` that keeps its choice across languages."""
    options = list(options)
    where = container or st
    wkey = widget_key(key, lang)
    chosen = st.session_state.get(key, _UNSET)
    if chosen is _UNSET or chosen not in options:
        chosen = default if default is not _UNSET and default in options else options[0]
    _seed(wkey, chosen)
    value = where.radio(label, options, index=options.index(chosen), format_func=format_func, key=wkey,
                        on_change=_sync, args=(key, wkey), **kwargs)
    st.session_state[key] = value
    return value


def follow_link(key: str, valid: Sequence[Any], *, param: str = "id", parse: Callable[[str], Any] = int) -> str | None:
    """Let a link (``?id=41``) choose for ``key``: a new link wins over an earlier choice, once.

    Returns the link's text when it names nothing in ``valid`` (the page then says so and shows
    the chooser empty, never another entity); None otherwise. :func:`show_in_link` writes the
    choice back, so the address can be shared and a later rerun is not taken for a new link.
    """
    raw = st.query_params.get(param)
    seen = f"{key}-link"
    if raw is None or raw == st.session_state.get(seen):
        return None
    st.session_state[seen] = raw
    try:
        value = parse(raw.strip())
    except (TypeError, ValueError):
        value = None
    if value is not None and value in list(valid):
        st.session_state[key] = value
        return None
    st.session_state[key] = None
    return raw


def show_in_link(key: str, value: Any, *, param: str = "id") -> None:
    """Put the current choice in the address (``?id=…``)."""
    if value is None:
        return
    text = str(value)
    st.session_state[f"{key}-link"] = text
    if st.query_params.get(param) != text:
        st.query_params[param] = text


def linked_choice(label: str, names: dict[Any, str], *, key: str, lang: str, unknown: str, **params: Any) -> Any:
    """The entity a page is about: chosen by a link (``?id=``) or the chooser, written back to the link.

    An id that names nothing here shows the ``unknown`` notice (with ``id`` and ``params``) and the chooser
    empty, and the page stops until the reader picks: never another entity in its place.
    """
    wanted = follow_link(key, names)
    if wanted is not None:
        st.warning(t(unknown, lang, id=wanted, **params), icon=":material/link_off:")
    value = selectbox(label, list(names), key=key, lang=lang,
                      default=None if wanted is not None else next(iter(names), None),
                      format_func=lambda i: names[i])
    if value is None:
        st.stop()
    show_in_link(key, value)
    return value

"""Navigation around the presentation: the slides take the whole screen, without the sidebar.

``st.navigation`` decides where its menu goes before it knows the page, so
``app.py`` asks :func:`hide_menu` first (the URL path tells, or what the last
run learnt) and :func:`settle` corrects a wrong guess with one rerun (a switch
to or from the presentation inside the app).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

URL_PATH = "present"
_STATE = "_presenting"


def hide_menu() -> bool:
    known = st.session_state.get(_STATE)
    if known is not None:
        return bool(known)
    try:
        url = st.context.url or ""
    except Exception:  # noqa: BLE001 - no browser context (AppTest)
        url = ""
    return urlsplit(url).path.rstrip("/").endswith("/" + URL_PATH)


def settle(page, hidden: bool) -> bool:
    """Whether the page being run is the presentation; reruns once when the menu was guessed wrong."""
    presenting = page.url_path == URL_PATH
    st.session_state[_STATE] = presenting
    if presenting != hidden:
        st.rerun()
    return presenting

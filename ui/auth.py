"""Signing in and out, in the sidebar: single sign-on, local accounts, or read-only.

- With an ``[auth]`` section in ``st.secrets`` (an OIDC provider), a button
  calls ``st.login``; the person's e-mail is mapped to a role through the
  database's ``roles`` table (no entry: viewer).
- Else, with local accounts in ``$EGOV_SECRETS``, a user name + password form
  checks the argon2 hash (``store.accounts.authenticate``).
- Else the app is read-only and says how to add an account.

Signing in sets ``st.session_state["actor"]``; ``app.py`` registers pages by
that actor's role, so a sign-in or sign-out reruns the script.
"""

from __future__ import annotations

import logging

import streamlit as st

from store import accounts
from store.actors import Actor
from ui import data
from ui.i18n import t
from ui.safe import md
from ui.session import current_actor

log = logging.getLogger(__name__)


def oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all means no provider
        return False


def _sso_logged_in() -> bool:
    try:
        return bool(st.user.is_logged_in)
    except Exception:  # noqa: BLE001 - st.user needs an [auth] section
        return False


def restore_sso() -> None:
    """After ``st.login``, turn the identified person into an Actor (once per session)."""
    if current_actor() is not None or not oidc_configured() or not _sso_logged_in():
        return
    email = st.user.get("email")
    role, institution_id = accounts.identity_for_email(data.store(), email) or ("viewer", None)
    if role == "respondent" and institution_id is None:
        log.warning("respondent e-mail without an institution; signed in without rights")
        return
    st.session_state["actor"] = Actor(name=st.user.get("name") or email or "?", role=role, email=email,
                                      institution_id=institution_id if role == "respondent" else None)
    st.session_state["auth-landing"] = True


def _sign_out() -> None:
    st.session_state.pop("actor", None)
    st.session_state["auth-notice"] = "auth.signed_out"
    if oidc_configured() and _sso_logged_in():
        st.logout()


def _password_form(lang: str) -> None:
    with st.form("sign-in", clear_on_submit=True):
        user = st.text_input(t("auth.username", lang), key="auth-user")
        password = st.text_input(t("auth.password", lang), type="password", key="auth-password")
        if st.form_submit_button(t("auth.submit", lang)):
            actor = accounts.authenticate(user, password)
            if actor is None:
                log.info("failed sign-in for %r", user)  # the password is never logged
                st.error(t("auth.failed", lang))
                return
            st.session_state["actor"] = actor
            st.session_state["auth-landing"] = True  # app.py takes a respondent to its form
            data.clear()
            st.rerun()


def sidebar(lang: str) -> None:
    """The sign-in / sign-out block at the foot of the sidebar."""
    actor = current_actor()
    with st.sidebar:
        st.divider()
        notice = st.session_state.pop("auth-notice", None)
        if notice:
            st.caption(t(notice, lang))
        if actor is not None:
            st.caption(t("auth.signed_in_as", lang, name=md(actor.name), role=t(f"role.{actor.role}", lang)))
            if actor.is_respondent:
                from ui import form_views

                form_views.sidebar_notices(actor, lang)
            if st.button(t("nav.logout", lang), key="auth-logout", icon=":material/logout:"):
                _sign_out()
                data.clear()
                st.rerun()
        elif oidc_configured():
            if st.button(t("nav.login", lang), key="auth-sso", icon=":material/login:"):
                st.login()
        elif accounts.accounts():
            _password_form(lang)
        else:
            st.caption(t("auth.none", lang))

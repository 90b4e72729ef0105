"""Signing in and out, in the sidebar: single sign-on, local accounts, or read-only.

- With an ``[auth]`` section in ``st.secrets`` (an OIDC provider), a button
  calls ``st.login``; the person's e-mail is mapped to a role through the
  database's ``roles`` table (no entry: viewer).
- Else, with local accounts in ``$EGOV_SECRETS``, a user name + password form
  checks the argon2 hash (``store.accounts.authenticate``).
- Else the app is read-only and says how to add an account.

Signing in sets ``st.session_state["actor"]``; ``app.py`` registers pages by
that actor's role, so a sign-in or sign-out reruns the script.

Hardening (issue 11): failed sign-ins are throttled per user name and per
client through the database (:func:`store.accounts.sign_in`), so every app
process counts the same failures; :func:`refresh` re-reads the signed-in
account on every rerun, so a removed, demoted or re-passworded account loses
its rights at once; the log never sees a typed user name unless it is a real
account (people type passwords into the wrong field), and never a password.
"""

from __future__ import annotations

import logging
import os

import streamlit as st

from store import accounts
from store.actors import Actor
from store.db import StoreBusy
from ui import data
from ui.i18n import t
from ui.safe import md
from ui.session import current_actor

log = logging.getLogger(__name__)
SOURCE = "auth-source"  # ("local", user name, account stamp) or ("sso", e-mail): how the actor signed in


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
    st.session_state[SOURCE] = ("sso", email)
    st.session_state["auth-landing"] = True


def _sign_out(notice: str = "auth.signed_out") -> None:
    st.session_state.pop("actor", None)
    st.session_state.pop(SOURCE, None)
    st.session_state["auth-notice"] = notice
    if oidc_configured() and _sso_logged_in():
        st.logout()


def refresh() -> None:
    """Re-read the signed-in account (every rerun): removed → signed out, role or password changed → updated.

    Actors put in the session by code (tests) carry no sign-in source and are left as they are.
    """
    actor, source = current_actor(), st.session_state.get(SOURCE)
    if actor is None or not source:
        return
    if source[0] == "local":
        _, username, stamp = source
        account = accounts.accounts().get(username)
        if account is None:
            log.info("signed out %s: the account was removed", username)
            _sign_out("auth.removed")
            return
        if accounts.account_stamp(username) != stamp:
            log.info("signed out %s: the account's role or password changed", username)
            _sign_out("auth.changed")
            return
    elif source[0] == "sso":
        if oidc_configured() and not _sso_logged_in():
            _sign_out()
            return
        try:
            role, iid = accounts.identity_for_email(data.store(), source[1]) or ("viewer", None)
        except StoreBusy:
            return  # checked again on the next rerun
        iid = iid if role == "respondent" else None
        if role == "respondent" and iid is None:
            _sign_out("auth.changed")
            return
        if (role, iid) != (actor.role, actor.institution_id):
            st.session_state["actor"] = Actor(name=actor.name, role=role, email=actor.email, institution_id=iid)


def client_address() -> str | None:
    """The client's address for throttling: the connection's, or, behind the documented reverse proxy
    (``EGOV_BEHIND_PROXY=1``), the last address the proxy added to ``X-Forwarded-For``."""
    try:
        if os.environ.get("EGOV_BEHIND_PROXY") == "1":
            header = st.context.headers.get("X-Forwarded-For")
            forwarded = header.split(",")[-1].strip() if isinstance(header, str) else ""
            if forwarded:
                return forwarded[:64]
        ip = st.context.ip_address
    except Exception:  # noqa: BLE001 - no client context (bare script runs)
        return None
    return ip if isinstance(ip, str) else None  # AppTest has no connection


def _password_form(lang: str) -> None:
    with st.form("sign-in", clear_on_submit=True):
        user = st.text_input(t("auth.username", lang), key="auth-user")
        password = st.text_input(t("auth.password", lang), type="password", key="auth-password")
        if st.form_submit_button(t("auth.submit", lang)):
            client = client_address()
            try:
                actor, verdict = accounts.sign_in(data.store(), user, password, client)
            except StoreBusy as exc:
                st.warning(exc.message(lang))
                return
            if actor is None:
                known = (user or "").strip() in accounts.accounts()
                # A typed name is logged only when it is a real account: a password typed into the
                # name field must never reach the log.
                log.warning("sign-in refused for %s from %s%s", repr(user.strip()) if known else "an unknown user name",
                            client or "localhost", "" if verdict.allowed else f" ({'locked' if verdict.locked else 'delayed'})")
                if verdict.locked:
                    st.error(t("auth.locked", lang, minutes=max(1, round(verdict.wait / 60))))
                elif not verdict.allowed:
                    st.error(t("auth.wait", lang, seconds=verdict.wait_seconds))
                else:
                    st.error(t("auth.failed", lang))
                return
            st.session_state["actor"] = actor
            st.session_state[SOURCE] = ("local", actor.name, accounts.account_stamp(actor.name))
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

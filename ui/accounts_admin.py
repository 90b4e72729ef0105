"""Administration of local accounts and sign-in lock-outs (a block of the Administration page).

Each change goes through :func:`store.accounts.change_account` or
:func:`store.throttle.unlock`: an administrator's act with a reason, recorded
in the audit trail. The page never shows a password hash. Respondents, who
need an institution, are added on the collection tab (``ui.collection_admin``).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from store import accounts, throttle
from store.actors import LADDER, Actor
from ui import admin_views, components, data
from ui.i18n import fmt_datetime, t


def _done(ok: bool, message: str) -> None:
    if ok:
        st.session_state["admin-notice"] = message
        st.rerun()
    st.error(message)


def _change(actor: Actor, action: str, username: str, lang: str, **kw) -> None:
    if not (kw.get("reason") or "").strip():
        st.error(t("accounts.reason_needed", lang))
        return
    _done(*data.write(accounts.change_account, actor, action, username, lang=lang, **kw))


def draw(actor: Actor, lang: str) -> None:
    """Local accounts (add, role, password, remove) and the sign-in lock-outs to lift."""
    held = data.sign_in_holds()
    names = held[held["kind"] == "name"].set_index("who") if len(held) else pd.DataFrame()
    local = pd.DataFrame(accounts.list_accounts(), columns=["username", "name", "role"])

    def state(user: str) -> str:
        if user not in names.index:
            return ""
        h = names.loc[user]
        return t("accounts.locked" if bool(h["locked"]) else "accounts.delayed", lang, until=fmt_datetime(h["until"], lang))

    st.markdown(f"**{t('admin.local_accounts', lang)}**")
    if len(local):
        shown = admin_views.accounts_table(local, lang)
        shown[t("accounts.col.state", lang)] = local["username"].map(state)
        components.table(shown, lang, key="admin-accounts", download="local-accounts")
    st.caption(t("accounts.caption", lang))

    add_tab, change_tab, holds_tab = st.tabs([t("accounts.tab.add", lang), t("accounts.tab.change", lang),
                                              t("accounts.tab.holds", lang, n=len(held))])
    with add_tab, st.form("account-add", clear_on_submit=True):
        c1, c2, c3 = st.columns(3)
        username = c1.text_input(t("accounts.col.user", lang), key="acc-new-user")
        full = c2.text_input(t("accounts.col.name", lang), key="acc-new-name")
        role = c3.selectbox(t("accounts.col.role", lang), LADDER, key="acc-new-role",
                            format_func=lambda r: t(f"role.{r}", lang))
        p1, p2 = st.columns(2)
        pw = p1.text_input(t("auth.password", lang), type="password", key="acc-new-pw")
        pw2 = p2.text_input(t("accounts.password_again", lang), type="password", key="acc-new-pw2")
        reason = st.text_input(t("accounts.reason", lang), key="acc-new-reason")
        if st.form_submit_button(t("accounts.add", lang), type="primary"):
            if pw != pw2:
                st.error(t("accounts.passwords_differ", lang))
            else:
                _change(actor, "add", username.strip(), lang, password=pw, role=role, name=full.strip() or None,
                        reason=reason)

    users = [u for u, _, _ in accounts.list_accounts()]
    with change_tab:
        if not users:
            st.caption(t("accounts.none", lang))
        else:
            with st.form("account-change", clear_on_submit=True):
                c1, c2 = st.columns(2)
                who = c1.selectbox(t("accounts.col.user", lang), users, key="acc-who")
                action = c2.selectbox(t("accounts.action", lang), ["role", "passwd", "unlock", "remove"],
                                      key="acc-action", format_func=lambda a: t(f"accounts.action.{a}", lang))
                r1, r2, r3 = st.columns(3)
                role = r1.selectbox(t("accounts.new_role", lang), LADDER, key="acc-role",
                                    format_func=lambda r: t(f"role.{r}", lang))
                pw = r2.text_input(t("accounts.new_password", lang), type="password", key="acc-pw")
                pw2 = r3.text_input(t("accounts.password_again", lang), type="password", key="acc-pw2")
                reason = st.text_input(t("accounts.reason", lang), key="acc-reason")
                if st.form_submit_button(t("accounts.apply", lang), type="primary"):
                    if action == "passwd" and pw != pw2:
                        st.error(t("accounts.passwords_differ", lang))
                    else:
                        _change(actor, action, who, lang, password=pw if action == "passwd" else None,
                                role=role if action == "role" else None, reason=reason)

    with holds_tab:
        st.caption(t("accounts.holds.caption", lang, free=throttle.NAME.free, lock=throttle.NAME.lock_after,
                     minutes=throttle.LOCK_MINUTES))
        if held.empty:
            st.caption(t("accounts.holds.none", lang))
            return
        shown = pd.DataFrame({
            t("accounts.holds.who", lang): [
                (w if isinstance(w, str) and w else t("accounts.holds.unknown", lang)) if k == "name"
                else t("accounts.holds.client", lang, address=w) for k, w in zip(held["kind"], held["who"])],
            t("accounts.holds.failures", lang): held["failures"],
            t("accounts.col.state", lang): [t("accounts.locked" if lk else "accounts.delayed", lang,
                                              until=fmt_datetime(u, lang)) for lk, u in zip(held["locked"], held["until"])],
        })
        components.table(shown, lang, key="admin-holds")
        with st.form("account-unlock"):
            pick = st.selectbox(t("accounts.holds.pick", lang), list(range(len(held))), key="acc-hold",
                                format_func=lambda i: str(shown.iloc[i, 0]))
            reason = st.text_input(t("accounts.reason", lang), key="acc-hold-reason")
            if st.form_submit_button(t("accounts.action.unlock", lang)):
                if not reason.strip():
                    st.error(t("accounts.reason_needed", lang))
                else:
                    _done(*data.write(throttle.unlock, actor, subject=held["subject"].iloc[pick], reason=reason,
                                      lang=lang))

"""The Administration page's collection tab: open a round for collection, its calendar, extensions, respondents."""

from __future__ import annotations

import datetime as _dt

import streamlit as st

from store import accounts, collection, queries
from store.actors import Actor
from ui import data
from ui.i18n import t


def _names(lang: str) -> dict[int, str]:
    inst = queries.institutions(data.store())
    col = "name_az" if lang == "az" else "name_en"
    return {int(i): str(en if isinstance(en, str) and en else az)
            for i, az, en in zip(inst["institution_id"], inst["name_az"], inst[col])}


def _date(value) -> _dt.date | None:
    from form.clock import as_date

    return as_date(value)


def render(actor: Actor, lang: str, report) -> None:
    """``report(ok, message)`` shows the outcome (the admin page's own helper)."""
    store = data.store()
    rounds = data.rounds(data.db_key())
    collecting = collection.collection_rounds(store)
    names = _names(lang)
    st.caption(t("collection.admin.caption", lang))
    candidates = [r for r, s in zip(rounds["label"], rounds["status"])
                  if s == "open" and r not in set(collecting["label"])]
    if candidates:
        with st.form("collection-open"):
            st.markdown(f"**{t('collection.admin.open', lang)}**")
            c1, c2, c3 = st.columns(3)
            label = c1.selectbox(t("frame.round", lang), candidates[::-1], key="coll-open-round")
            deadline = c2.date_input(t("collection.deadline", lang), value=None, key="coll-open-deadline")
            closes = c3.date_input(t("collection.closes", lang), value=None, key="coll-open-closes")
            why = st.text_input(t("review.reason", lang), key="coll-open-reason")
            if st.form_submit_button(t("collection.admin.open.button", lang), type="primary"):
                report(*data.write(collection.open_collection, actor, label, deadline=deadline, closes=closes,
                                   reason=why or None, lang=lang))
    if collecting.empty:
        st.info(t("form.no_rounds", lang))
    else:
        shown = collecting[["label", "status", "deadline", "closes", "institutions", "services",
                            "collection_opened_at", "collection_opened_by"]]
        st.dataframe(shown, hide_index=True, width="stretch")
        label = st.selectbox(t("collection.admin.round", lang), collecting["label"].tolist(), key="coll-round")
        row = collecting.set_index("label").loc[label]
        with st.form("collection-calendar"):
            st.markdown(f"**{t('collection.admin.calendar', lang)}**")
            c1, c2 = st.columns(2)
            deadline = c1.date_input(t("collection.deadline", lang), value=_date(row["deadline"]), key="coll-cal-d")
            closes = c2.date_input(t("collection.closes", lang), value=_date(row["closes"]), key="coll-cal-c")
            why = st.text_input(t("review.reason", lang), key="coll-cal-reason")
            if st.form_submit_button(t("collection.admin.calendar.button", lang)):
                report(*data.write(collection.set_calendar, actor, label, deadline=deadline, closes=closes,
                                   reason=why or None, lang=lang))
        with st.form("collection-extend"):
            st.markdown(f"**{t('collection.admin.extend', lang)}**")
            ids = sorted(names, key=lambda i: names[i])
            c1, c2, c3 = st.columns([2, 1, 1])
            iid = c1.selectbox(t("col.institution", lang), ids, format_func=lambda i: names[i], key="coll-ext-inst")
            deadline = c2.date_input(t("collection.deadline", lang), value=None, key="coll-ext-d")
            closes = c3.date_input(t("collection.closes", lang), value=None, key="coll-ext-c")
            why = st.text_input(t("collection.admin.extend.reason", lang), key="coll-ext-reason")
            if st.form_submit_button(t("collection.admin.extend.button", lang)):
                report(*data.write(collection.grant_extension, actor, label, int(iid), deadline=deadline,
                                   closes=closes, reason=why, lang=lang))
        ext = collection.extensions(store, label)
        if len(ext):
            st.dataframe(ext.drop(columns=["extension_id"]), hide_index=True, width="stretch")
    respondents_block(actor, lang, report, names)


def respondents_block(actor: Actor, lang: str, report, names: dict[int, str]) -> None:
    store = data.store()
    st.subheader(t("collection.admin.respondents", lang))
    st.caption(t("collection.admin.respondents.caption", lang))
    people = collection.respondents(store)
    if len(people):
        shown = people.assign(institution=people["institution_id"].map(names))
        st.dataframe(shown[["login", "name", "institution", "kind", "submitter"]], hide_index=True, width="stretch")
    ids = sorted(names, key=lambda i: names[i])
    with st.form("collection-submitter"):
        st.markdown(f"**{t('collection.admin.submitter', lang)}**")
        c1, c2 = st.columns(2)
        iid = c1.selectbox(t("col.institution", lang), ids, format_func=lambda i: names[i], key="coll-sub-inst")
        login = c2.text_input(t("collection.admin.submitter.login", lang), key="coll-sub-login")
        if st.form_submit_button(t("collection.admin.submitter.button", lang)):
            report(*data.write(collection.set_submitter, actor, int(iid), login or None, lang=lang))
    with st.form("collection-local-respondent", clear_on_submit=True):
        st.markdown(f"**{t('collection.admin.add_local', lang)}**")
        c1, c2 = st.columns(2)
        user = c1.text_input(t("auth.username", lang), key="coll-new-user")
        full = c2.text_input(t("collection.admin.full_name", lang), key="coll-new-name")
        iid = st.selectbox(t("col.institution", lang), ids, format_func=lambda i: names[i], key="coll-new-inst")
        pw = st.text_input(t("auth.password", lang), type="password", key="coll-new-pw")
        sub = st.checkbox(t("collection.admin.add_local.submitter", lang), key="coll-new-sub")
        if st.form_submit_button(t("collection.admin.add_local.button", lang)):
            report(*add_local_respondent(actor, user, full, int(iid), pw, sub, lang))


def add_local_respondent(actor: Actor, username: str, full_name: str, institution_id: int, password: str,
                         submitter: bool, lang: str) -> tuple[bool, str]:
    """Create a local respondent account (secrets file), audit it, and name it submitter when asked or first."""
    username = (username or "").strip()
    old = dict((u, r) for u, _, r in accounts.list_accounts()).get(username)
    try:
        accounts.add_account(username, password or "", "respondent", full_name or None, institution_id=institution_id)
    except accounts.AccountError as exc:
        return False, t("write.failed", lang, error=str(exc))
    ok, msg = data.write(accounts.record_account_change, actor, username, old, "respondent", lang=lang)
    if not ok:
        return ok, msg
    if submitter:
        return data.write(collection.set_submitter, actor, institution_id, username, lang=lang)
    data.write(collection.ensure_submitter, actor, institution_id, username, lang=lang)
    return True, t("write.done", lang)

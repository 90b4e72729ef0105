"""The Administration page's collection tab: open a round for collection, its calendar, extensions, respondents.

Choosers inside an ``st.form`` cannot follow the language through a callback
(``ui.choosers``), so their keys carry the language instead.
"""

from __future__ import annotations

import datetime as _dt

import pandas as pd
import streamlit as st

from store import accounts, collection
from store.actors import Actor
from ui import choosers, components, data
from ui.admin_views import _word
from ui.grid import Col, describe
from ui.i18n import t


def _names(lang: str) -> dict[int, str]:
    key = data.db_key()
    return data.institution_names(key, data.institutions(key)["institution_id"], lang)


def rounds_table(collecting: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The rounds open for collection, with their calendar and what they froze."""
    out = pd.DataFrame({
        t("col.round", lang): collecting["label"],
        t("col.status", lang): collecting["status"].map(_word("round.status", lang)),
        t("admin.col.deadline", lang): collecting["deadline"],
        t("admin.col.closes", lang): collecting["closes"],
        t("tracker.expected", lang): collecting["institutions"].astype("Int64"),
        t("collection.admin.col.services", lang): collecting["services"].astype("Int64"),
        t("collection.admin.col.opened", lang): collecting["collection_opened_at"],
        t("col.actor", lang): collecting["collection_opened_by"],
    })
    return describe(out, {t("col.round", lang): Col("text", pinned=True), t("admin.col.deadline", lang): Col("date"),
                          t("admin.col.closes", lang): Col("date"),
                          t("collection.admin.col.opened", lang): Col("datetime")})


def extensions_table(ext: pd.DataFrame, names: dict[int, str], lang: str) -> pd.DataFrame:
    out = pd.DataFrame({
        t("col.institution", lang): ext["institution_id"].map(lambda i: names.get(int(i), str(i))),
        t("admin.col.deadline", lang): ext["deadline"],
        t("admin.col.closes", lang): ext["closes"],
        t("collection.admin.extend.reason", lang): ext["reason"].fillna(""),
        t("col.when", lang): ext["at"],
        t("col.actor", lang): ext["actor"],
    })
    return describe(out, {t("col.institution", lang): Col("text", pinned=True),
                          t("admin.col.deadline", lang): Col("date"), t("admin.col.closes", lang): Col("date"),
                          t("col.when", lang): Col("datetime")})


def respondents_table(people: pd.DataFrame, names: dict[int, str], lang: str) -> pd.DataFrame:
    out = pd.DataFrame({
        t("collection.admin.col.login", lang): people["login"],
        t("admin.col.name", lang): people["name"],
        t("col.institution", lang): people["institution_id"].map(
            lambda i: "—" if pd.isna(i) else names.get(int(i), str(i))),
        t("collection.admin.col.kind", lang): people["kind"].map(_word("collection.admin.kind", lang)),
        t("collection.admin.col.submitter", lang): people["submitter"].astype(bool),
    })
    return describe(out, {t("collection.admin.col.submitter", lang): Col("yesno")})


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
        components.table(rounds_table(collecting, lang), lang, key="coll-rounds", download="collection-rounds")
        label = choosers.selectbox(t("collection.admin.round", lang), collecting["label"].tolist(), key="coll-round",
                                   lang=lang)
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
            iid = c1.selectbox(t("col.institution", lang), ids, format_func=lambda i: names[i],
                               key=f"coll-ext-inst-{lang}")
            deadline = c2.date_input(t("collection.deadline", lang), value=None, key="coll-ext-d")
            closes = c3.date_input(t("collection.closes", lang), value=None, key="coll-ext-c")
            why = st.text_input(t("collection.admin.extend.reason", lang), key="coll-ext-reason")
            if st.form_submit_button(t("collection.admin.extend.button", lang)):
                report(*data.write(collection.grant_extension, actor, label, int(iid), deadline=deadline,
                                   closes=closes, reason=why, lang=lang))
        ext = collection.extensions(store, label)
        if len(ext):
            components.table(extensions_table(ext, names, lang), lang, key="coll-ext",
                             download=f"extensions-{label}")
    respondents_block(actor, lang, report, names)


def respondents_block(actor: Actor, lang: str, report, names: dict[int, str]) -> None:
    store = data.store()
    st.subheader(t("collection.admin.respondents", lang))
    st.caption(t("collection.admin.respondents.caption", lang))
    people = collection.respondents(store)
    if len(people):
        components.table(respondents_table(people, names, lang), lang, key="coll-people", download="respondents")
    ids = sorted(names, key=lambda i: names[i])
    with st.form("collection-submitter"):
        st.markdown(f"**{t('collection.admin.submitter', lang)}**")
        c1, c2 = st.columns(2)
        iid = c1.selectbox(t("col.institution", lang), ids, format_func=lambda i: names[i], key=f"coll-sub-inst-{lang}")
        login = c2.text_input(t("collection.admin.submitter.login", lang), key="coll-sub-login")
        if st.form_submit_button(t("collection.admin.submitter.button", lang)):
            report(*data.write(collection.set_submitter, actor, int(iid), login or None, lang=lang))
    with st.form("collection-local-respondent", clear_on_submit=True):
        st.markdown(f"**{t('collection.admin.add_local', lang)}**")
        c1, c2 = st.columns(2)
        user = c1.text_input(t("auth.username", lang), key="coll-new-user")
        full = c2.text_input(t("collection.admin.full_name", lang), key="coll-new-name")
        iid = st.selectbox(t("col.institution", lang), ids, format_func=lambda i: names[i], key=f"coll-new-inst-{lang}")
        pw = st.text_input(t("auth.password", lang), type="password", key="coll-new-pw")
        reason = st.text_input(t("accounts.reason", lang), key="coll-new-reason")
        sub = st.checkbox(t("collection.admin.add_local.submitter", lang), key="coll-new-sub")
        if st.form_submit_button(t("collection.admin.add_local.button", lang)):
            report(*add_local_respondent(actor, user, full, int(iid), pw, sub, lang, reason))


def add_local_respondent(actor: Actor, username: str, full_name: str, institution_id: int, password: str,
                         submitter: bool, lang: str, reason: str | None = None) -> tuple[bool, str]:
    """Create a local respondent account (an audited account change with its reason), and name it the
    institution's submitter when asked or when it is the first."""
    username = (username or "").strip()
    if not (reason or "").strip():
        return False, t("accounts.reason_needed", lang)
    ok, msg = data.write(accounts.change_account, actor, "add", username, password=password or "", role="respondent",
                         name=full_name or None, reason=reason.strip(), institution_id=institution_id, lang=lang)
    if not ok:
        return ok, msg
    if submitter:
        return data.write(collection.set_submitter, actor, institution_id, username, lang=lang)
    data.write(collection.ensure_submitter, actor, institution_id, username, lang=lang)
    return True, t("write.done", lang)

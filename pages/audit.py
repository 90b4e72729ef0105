"""Audit trail: every write with who, when, what and why; filterable, exportable, linked from stored values."""

import datetime as dt
import json

import pandas as pd
import streamlit as st

from ui import components, data, tables
from ui.frame import context
from ui.i18n import t

ctx = context()
lang = ctx.lang
st.title(t("audit.title", lang))
st.caption(t("audit.caption", lang))

KNOWN = ("import", "replace", "revert", "agree", "override", "submit", "start_review", "approve", "return", "reopen",
         "publish", "republish", "unpublish", "open_round", "close_round", "reopen_round", "role_change",
         "add_methodology", "change_methodology")


def action_text(action: str) -> str:
    return t(f"audit.action.{action}", lang) if action in KNOWN else action


actions = data.audit_actions(ctx.key)
rounds = data.rounds(ctx.key)["label"].tolist()
c1, c2, c3 = st.columns(3)
picked = c1.multiselect(t("audit.filter_action", lang), actions, key="audit-actions", format_func=lambda a: action_text(a))
who = c2.text_input(t("audit.filter_actor", lang), key="audit-actor")
rnd = c3.selectbox(t("audit.filter_round", lang), [None, *rounds], key="audit-round",
                   format_func=lambda r: t("audit.all", lang) if r is None else r)
c4, c5, c6 = st.columns(3)
days = c4.date_input(t("audit.filter_dates", lang), value=(), key="audit-dates")
text = c5.text_input(t("audit.filter_text", lang), key="audit-text")
import_id = c6.number_input(t("audit.filter_import", lang), min_value=0, step=1, value=0, key="audit-import",
                            help=t("audit.filter_import.help", lang))

since = until = None
if isinstance(days, tuple | list) and len(days) >= 1:
    since = dt.datetime.combine(days[0], dt.time())
    until = dt.datetime.combine(days[-1], dt.time()) + dt.timedelta(days=1)
events = data.audit_events(ctx.key, actions=picked or None, actor=who.strip() or None, round_label=rnd,
                           import_id=int(import_id) or None, since=since, until=until, text=text)


def _detail(raw: str) -> str:
    try:
        d = json.loads(raw or "{}")
    except ValueError:
        return str(raw)
    return "; ".join(f"{k}: {v}" for k, v in d.items()) if d else ""


st.caption(t("audit.count", lang, n=len(events)))
if events.empty:
    st.info(t("audit.none", lang))
    st.stop()
name = "institution_az" if lang == "az" else "institution_en"
shown = pd.DataFrame({
    t("audit.col.id", lang): events["event_id"],
    t("audit.col.at", lang): events["at"],
    t("audit.col.who", lang): events["actor"] + " (" + tables.per_value(events["role"], lambda r: t(f"role.{r}", lang)) + ")",
    t("audit.col.action", lang): tables.per_value(events["action"], action_text),
    t("audit.col.round", lang): events["round"],
    t("col.institution", lang): events[name].fillna(events["institution_az"]),
    t("audit.col.import", lang): events["import_id"].astype("Int64"),
    t("audit.col.what", lang): tables.per_value(events["detail"], _detail),
    t("audit.col.why", lang): events["reason"],
})
st.dataframe(shown, hide_index=True, width="stretch")
components.download_table(shown, "audit-trail", lang, key="dl-audit")
st.download_button(t("audit.download_csv", lang), events.to_csv(index=False).encode("utf-8"),
                   file_name="audit-trail.csv", mime="text/csv", key="dl-audit-csv")

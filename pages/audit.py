"""Audit trail: every write with who, when, what and why; filterable, exportable, linked from stored values."""

import datetime as dt

import pandas as pd
import streamlit as st

from ingest.inert import csv_bytes
from ui import choosers, components, data
from ui.audit_views import action_text, detail_text
from ui.frame import context
from ui.grid import Col, describe
from ui.i18n import t

ctx = context()
lang = ctx.lang
st.title(t("audit.title", lang))
st.caption(t("audit.caption", lang))

actions = data.audit_actions(ctx.key)
rounds = data.rounds(ctx.key)["label"].tolist()
c1, c2, c3 = st.columns(3)
picked = choosers.multiselect(t("audit.filter_action", lang), actions, key="audit-actions", lang=lang, container=c1,
                              format_func=lambda a: action_text(a, lang))
who = c2.text_input(t("audit.filter_actor", lang), key="audit-actor")
rnd = choosers.selectbox(t("audit.filter_round", lang), ["", *rounds[::-1]], key="audit-round", lang=lang,
                         container=c3, default="", format_func=lambda r: t("audit.all", lang) if r == "" else r)
c4, c5, c6 = st.columns(3)
days = c4.date_input(t("audit.filter_dates", lang), value=(), key="audit-dates",
                     format="DD.MM.YYYY" if lang == "az" else "YYYY-MM-DD")
text = c5.text_input(t("audit.filter_text", lang), key="audit-text")
import_id = c6.number_input(t("audit.filter_import", lang), min_value=0, step=1, value=0, key="audit-import",
                            help=t("audit.filter_import.help", lang))

since = until = None
if isinstance(days, tuple | list) and len(days) >= 1:
    since = dt.datetime.combine(days[0], dt.time())
    until = dt.datetime.combine(days[-1], dt.time()) + dt.timedelta(days=1)
events = data.audit_events(ctx.key, actions=picked or None, actor=who.strip() or None, round_label=rnd or None,
                           import_id=int(import_id) or None, since=since, until=until, text=text)

st.caption(t("audit.count", lang, n=len(events)))
if events.empty:
    st.info(t("audit.none", lang))
    st.stop()
names = data.institution_names(ctx.key, events["institution_id"].dropna().astype(int).unique(), lang)
services = data.service_names(ctx.key, lang)
shown = pd.DataFrame({
    t("audit.col.id", lang): events["event_id"],
    t("audit.col.at", lang): events["at"],
    t("audit.col.who", lang): events["actor"] + " (" + events["role"].map(lambda r: t(f"role.{r}", lang)) + ")",
    t("audit.col.action", lang): events["action"].map(lambda a: action_text(a, lang)),
    t("audit.col.round", lang): events["round"],
    t("col.institution", lang): events["institution_id"].map(lambda i: names.get(int(i)) if pd.notna(i) else None),
    t("audit.col.import", lang): events["import_id"].astype("Int64"),
    t("audit.col.what", lang): [detail_text(a, d, lang, services) for a, d in zip(events["action"], events["detail"])],
    t("audit.col.why", lang): events["reason"],
})
describe(shown, {t("audit.col.id", lang): Col("id", pinned=True), t("audit.col.at", lang): Col("datetime"),
                 t("audit.col.import", lang): Col("id"), t("audit.col.what", lang): Col("text", width=420)})
components.table(shown, lang, key="audit", download="audit-trail")
st.download_button(t("audit.download_csv", lang), csv_bytes(events),
                   file_name="audit-trail.csv", mime="text/csv", key="dl-audit-csv")

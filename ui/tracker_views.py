"""The collection tracker page: the round's figures, one row per institution, the reminder list, downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from form.clock import local
from form.tracker import STATUSES, summary
from l10n import fmt_days
from store import collection
from ui import choosers, components, data
from ui.grid import Col, describe
from ui.i18n import fmt_date, fmt_datetime, fmt_int, fmt_pct, t
from ui.session import current_actor


def _days(v, lang: str) -> str:
    if v is None or pd.isna(v):
        return "—"
    v = int(v)
    return t("form.days_left" if v >= 0 else "form.days_past", lang, n=fmt_days(abs(v), lang))


def tracker_table(frame: pd.DataFrame, respondents: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The tracker as people read it: names, statuses and dates in the user's language."""
    name_col = "name_az" if lang == "az" else "name_en"
    people = respondents.groupby("institution_id")["name"].agg(lambda s: ", ".join(sorted(map(str, s)))) \
        if len(respondents) else pd.Series(dtype=object)
    out = pd.DataFrame({
        t("col.institution", lang): frame[name_col].fillna(frame["name_az"]),
        t("tracker.col.status", lang): [t(f"tracker.status.{s}", lang) for s in frame["status"]],
        t("tracker.col.answered", lang): [f"{fmt_int(a, lang)} / {fmt_int(e, lang)}"
                                          for a, e in zip(frame["answered"], frame["expected"])],
        t("tracker.col.progress", lang): frame["progress"].fillna(0.0).astype(float),  # a share, shown as %
        t("tracker.col.last_activity", lang): [fmt_datetime(local(v), lang) if pd.notna(v) else "—"
                                               for v in frame["last_activity"]],
        t("tracker.col.deadline", lang): [fmt_date(d, lang) + (" *" if x else "")
                                          for d, x in zip(frame["deadline"], frame["extended"])],
        t("tracker.col.days", lang): [_days(v, lang) for v in frame["days_to_deadline"]],
        t("tracker.col.timeliness", lang): [t(f"tracker.timeliness.{v}", lang) for v in frame["timeliness"]],
        t("tracker.col.respondents", lang): frame["institution_id"].map(people).astype(object).fillna("—"),
    })
    return describe(out, {t("col.institution", lang): Col("text", pinned=True),
                          t("tracker.col.progress", lang): Col("pct", ratio=True)})


def reminder_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    name_col = "name_az" if lang == "az" else "name_en"
    return describe(pd.DataFrame({
        t("col.institution", lang): frame[name_col].fillna(frame["name_az"]),
        t("tracker.col.status", lang): [t(f"tracker.status.{s}", lang) for s in frame["status"]],
        t("tracker.col.answered", lang): [f"{fmt_int(a, lang)} / {fmt_int(e, lang)}" for a, e in zip(frame["answered"], frame["expected"])],
        t("tracker.col.days", lang): [_days(v, lang) for v in frame["days_to_deadline"]],
        t("tracker.col.respondents", lang): frame["respondents"].fillna(t("tracker.no_respondents", lang)),
        t("tracker.col.logins", lang): frame["logins"].fillna(""),
    }), {t("col.institution", lang): Col("text", pinned=True)})


def render(lang: str) -> None:
    actor = current_actor()
    st.title(t("tracker.title", lang))
    st.caption(t("tracker.caption", lang))
    store = data.store()
    rounds = collection.collection_rounds(store)
    if rounds.empty:
        components.empty_state("form.no_rounds", lang)
        return
    label = choosers.selectbox(t("form.round_pick", lang), rounds["label"].tolist(), key="tracker-round", lang=lang)
    frame = collection.tracker(store, actor, label, lang=lang)
    people = collection.respondents(store)
    s = summary(frame)

    def rate(v):
        return "—" if v is None else fmt_pct(v, lang, ratio=True)

    # Rates sit beside their counts: a share of the expected institutions, not a change (no arrow).
    components.metric_row([
        (t("tracker.expected", lang), fmt_int(s["expected"], lang)),
        (t("tracker.submitted", lang), f"{fmt_int(s['submitted'], lang)} · {rate(s['submitted_rate'])}"),
        (t("tracker.on_time", lang), f"{fmt_int(s['on_time'], lang)} · {rate(s['on_time_rate'])}"),
        (t("tracker.late", lang), fmt_int(s["late"], lang)),
        (t("tracker.approved", lang), f"{fmt_int(s['approved'], lang)} · {rate(s['approved_rate'])}"),
    ])
    st.caption(" · ".join(f"{t(f'tracker.status.{k}', lang)}: {fmt_int(s['by_status'][k], lang)}" for k in STATUSES))
    chosen = choosers.multiselect(t("tracker.filter", lang), list(STATUSES), key="tracker-status", lang=lang,
                                  format_func=lambda v: t(f"tracker.status.{v}", lang))
    shown = frame[frame["status"].isin(chosen)] if chosen else frame
    table = tracker_table(shown, people, lang)
    components.table(table, lang, key="tracker")
    if frame["extended"].any():
        st.caption(t("tracker.extended_mark", lang))
    st.subheader(t("tracker.reminders", lang))
    st.caption(t("tracker.reminders.caption", lang))
    remind = collection.reminders(store, actor, label, lang=lang)
    if remind.empty:
        st.caption(t("tracker.reminders.none", lang))
    else:
        rt = reminder_table(remind, lang)
        components.table(rt, lang, key="tracker-remind")
    sheets = {t("tracker.title", lang)[:31]: tracker_table(frame, people, lang),
              t("tracker.reminders", lang)[:31]: reminder_table(remind, lang) if len(remind) else pd.DataFrame()}
    c1, c2 = st.columns(2)
    with c1:
        components.download_table(sheets, f"tracker-{label}", lang, key="dl-tracker")
    with c2:
        from ingest.inert import csv_bytes

        st.download_button(t("tracker.reminders.csv", lang),
                           csv_bytes(reminder_table(remind, lang)),
                           file_name=f"reminders-{label}.csv", mime="text/csv", key="dl-remind-csv",
                           on_click="ignore", icon=":material/mail:")

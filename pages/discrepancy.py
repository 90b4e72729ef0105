"""Self-assessment vs expert: where providers' own readings are least reliable, per indicator and institution."""

import pandas as pd
import streamlit as st

from ui import charts, components, data
from ui.frame import context
from ui.grid import Col, describe
from ui.i18n import t

ctx = context()
lang = ctx.lang
st.title(t("discrepancy.title", lang))
st.caption(t("discrepancy.caption", lang))
if not ctx.round or not data.viewer_can_see(ctx.key, ctx.round):
    st.info(t("frame.no_rounds", lang))
    st.stop()

by_ind, by_inst = data.discrepancy(ctx.key, ctx.round)
if by_ind.empty or int(by_ind["pairs"].max()) == 0:
    st.info(t("discrepancy.none", lang, round=ctx.round))
    st.stop()

m = data.methodology_of(ctx.key, ctx.round)
number = {i.id: i.number for i in m.indicators}
short = {i.id: i.short.get(lang) for i in m.indicators}
st.metric(t("discrepancy.pairs", lang), int(by_ind["pairs"].iloc[0]))
over, under, rate = t("discrepancy.over", lang), t("discrepancy.under", lang), t("discrepancy.rate", lang)

st.subheader(t("discrepancy.by_indicator", lang))
ind = pd.DataFrame({
    "№": by_ind["indicator"].map(number).astype(int),
    t("col.indicator", lang): by_ind["indicator"].map(short),
    over: by_ind["over"].astype(int),
    under: by_ind["under"].astype(int),
    rate: by_ind["rate"].astype(float),
}).sort_values("№").reset_index(drop=True)
describe(ind, {"№": Col("id", pinned=True), rate: Col("pct", digits=1, ratio=True)})
components.table(ind, lang, key="disc-indicators", download=f"discrepancy-indicators-{ctx.round}")
long = pd.concat([
    pd.DataFrame({"label": [f"{n}. {s}" for n, s in zip(ind["№"], ind[t("col.indicator", lang)])],
                  "order": ind["№"], "kind": name, "count": ind[name]})
    for name in (over, under)
], ignore_index=True)
chart = charts.stacked_bars(long, lang, label="label", value="count", stack="kind", order="order",
                            title=t("discrepancy.chart", lang), value_title=t("discrepancy.chart.count", lang),
                            stack_title=t("discrepancy.kind", lang), colors=("#D55E00", "#0072B2"))
components.chart(chart, f"discrepancy-{ctx.round}", lang, key="dl-disc-chart")

st.subheader(t("discrepancy.by_institution", lang))
name = "institution_az" if lang == "az" else "institution_en"
inst = pd.DataFrame({
    t("col.institution", lang): by_inst[name].fillna(by_inst["institution_az"]),
    t("discrepancy.services", lang): by_inst["services"].astype(int),
    over: by_inst["over"].astype(int),
    under: by_inst["under"].astype(int),
    rate: by_inst["rate"].astype(float),
})
describe(inst, {t("col.institution", lang): Col("text", pinned=True, width=280), rate: Col("pct", digits=1, ratio=True)})
components.table(inst, lang, key="disc-institutions", download=f"discrepancy-institutions-{ctx.round}")

"""Self-assessment vs expert: where providers' own readings are least reliable, per indicator and institution."""

import pandas as pd
import streamlit as st

from ui import components, data
from ui.frame import context
from ui.i18n import fmt_pct, t

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
short = {i.id: f"{i.number}. {i.short.get(lang)}" for i in m.indicators}
st.metric(t("discrepancy.pairs", lang), int(by_ind["pairs"].iloc[0]))

st.subheader(t("discrepancy.by_indicator", lang))
ind = pd.DataFrame({
    t("col.indicator", lang): by_ind["indicator"].map(short),
    t("discrepancy.over", lang): by_ind["over"],
    t("discrepancy.under", lang): by_ind["under"],
    t("discrepancy.rate", lang): by_ind["rate"].map(lambda v: fmt_pct(v, lang, 1, ratio=True)),
})
st.dataframe(ind, hide_index=True, width="stretch")
st.bar_chart(by_ind.assign(label=by_ind["indicator"].map(short)).set_index("label")[["over", "under"]],
             horizontal=True, stack=True)

st.subheader(t("discrepancy.by_institution", lang))
name = "institution_az" if lang == "az" else "institution_en"
inst = pd.DataFrame({
    t("col.institution", lang): by_inst[name].fillna(by_inst["institution_az"]),
    t("discrepancy.services", lang): by_inst["services"],
    t("discrepancy.over", lang): by_inst["over"],
    t("discrepancy.under", lang): by_inst["under"],
    t("discrepancy.rate", lang): by_inst["rate"].map(lambda v: fmt_pct(v, lang, 1, ratio=True)),
})
st.dataframe(inst, hide_index=True, width="stretch")
components.download_table({"indicators": ind, "institutions": inst}, f"discrepancy-{ctx.round}", lang, key="dl-disc")

"""Infrastructure: radar of the three components, figures, answers, per-institution table."""

import streamlit as st

from ui import components, data, tables, widgets
from ui.frame import round_page
from ui.i18n import t

ctx = round_page("infrastructure.title")
lang = ctx.lang
m = data.methodology_of(ctx.key, ctx.round)
nat = data.national_infrastructure(ctx.key, ctx.round)
if nat is None:
    components.empty_state("empty.infrastructure", lang)
    st.stop()
prev = data.national_infrastructure(ctx.key, ctx.previous) if ctx.previous else None

radar_df = data.radar_frame(m, lang, {ctx.round: nat, **({ctx.previous: prev} if prev is not None else {})})
chart = components.chart_spec("radar_chart", radar_df, lang)
# Explicit size: the radar must stay square for its rings to stay round.
st.vega_lite_chart(spec=chart, width=chart["width"], height=chart["height"])
components.download_chart(chart, f"infrastructure-radar-{ctx.round}", lang, key="dl-radar")

st.subheader(t("infrastructure.components", lang))
comp = tables.infra_component_table(nat, m, lang)
st.dataframe(comp, hide_index=True, width="stretch")
st.caption(t("infrastructure.key", lang))
components.download_table(comp, f"infrastructure-{ctx.round}", lang, key="dl-infra-comp")

st.subheader(t("infrastructure.answers", lang))
answers = data.infrastructure_answers(ctx.key, ctx.round)
national = answers[answers["scope_institution_id"].isna()]
qtable = tables.infra_answers_table(national, m, lang)
st.dataframe(qtable, hide_index=True, width="stretch")
st.caption(t("infrastructure.rule", lang, threshold=int(m.percent_threshold)))

st.subheader(t("infrastructure.by_institution", lang))
per = data.infrastructure_by_institution(ctx.key, ctx.round, lang)
if per.empty:
    st.caption(t("infrastructure.by_institution.none", lang))
else:
    st.dataframe(widgets.style_infra_table(per, m), hide_index=True, width="stretch")
    components.download_table(per, f"infrastructure-institutions-{ctx.round}", lang, key="dl-infra-inst")

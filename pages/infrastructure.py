"""Infrastructure: radar of the three components, figures, answers, per-institution table."""

import streamlit as st

from ui import charts, components, data, tables
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
chart = charts.radar_chart(radar_df, lang, series_title=t("frame.round", lang))
# Explicit size: the radar must stay square for its rings to stay round.
components.chart(chart, f"infrastructure-radar-{ctx.round}", lang, key="dl-radar", width=chart.width,
                 height=chart.height)

st.subheader(t("infrastructure.components", lang))
comp = tables.infra_component_table(nat, m, lang)
components.table(comp, lang, key="infra-components", download=f"infrastructure-{ctx.round}")
st.caption(t("infrastructure.key", lang, thresholds=tables.light_rule_text(m, "infrastructure", lang)))

st.subheader(t("infrastructure.answers", lang))
answers = data.infrastructure_answers(ctx.key, ctx.round)
national = answers[answers["scope_institution_id"].isna()]
qtable = tables.infra_answers_table(national, m, lang)
components.table(qtable, lang, key="infra-answers", download=f"infrastructure-answers-{ctx.round}")
st.caption(t("infrastructure.rule", lang, threshold=int(m.percent_threshold)))

st.subheader(t("infrastructure.by_institution", lang))
per = data.infrastructure_by_institution(ctx.key, ctx.round, lang)
if per.empty:
    st.caption(t("infrastructure.by_institution.none", lang))
else:
    components.table(per, lang, key="infra-institutions", download=f"infrastructure-institutions-{ctx.round}")

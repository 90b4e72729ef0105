"""Methodology: indicators, level rule, bands and thresholds of each version, and its rounds."""

import streamlit as st

from ui import choosers, components, data, tables
from ui.frame import context
from ui.i18n import fmt_date, t
from ui.safe import md

ctx = context()
lang = ctx.lang
st.title(t("methodology.title", lang))
versions = data.methodology_versions(ctx.key)
ids = [m.id for m in versions]
default = data.methodology_of(ctx.key, ctx.round).id if ctx.round else ids[-1]
mid = choosers.selectbox(t("methodology.version", lang), ids[::-1], key="method-pick", lang=lang,
                         default=default if default in ids else ids[-1])
m = next(v for v in versions if v.id == mid)

st.markdown(f"**{md(m.title.get(lang))}** · {t('methodology.released', lang)} {fmt_date(m.released, lang, 'long')}")
st.markdown(md(m.description.get(lang)))
used = data.rounds_using(ctx.key, mid, ctx.signed_in)
st.caption(t("methodology.rounds", lang, rounds=", ".join(used) if used else "—"))

tabs = st.tabs([t("methodology.tab.indicators", lang), t("methodology.tab.levels", lang),
                t("methodology.tab.corruption", lang), t("methodology.tab.infrastructure", lang),
                t("methodology.tab.lights", lang)])
with tabs[0]:
    components.table(tables.indicator_table(m, lang), lang, key="method-indicators", height=35 * 18 + 3,
                     download=f"indicators-{m.id}")
with tabs[1]:
    st.markdown(t("methodology.level_rule", lang, share=int(round(m.min_share * 100))))
    components.table(tables.stage_table(m, lang), lang, key="method-stages", download=f"levels-{m.id}")
with tabs[2]:
    st.markdown(t("methodology.corruption_rule", lang, n=m.corruption_max))
    components.table(tables.band_table(m, lang), lang, key="method-bands", download=f"corruption-bands-{m.id}")
with tabs[3]:
    st.markdown(t("methodology.infra_rule", lang, threshold=int(m.percent_threshold)))
    components.table(tables.question_table(m, lang), lang, key="method-questions",
                     download=f"infrastructure-questions-{m.id}")
with tabs[4]:
    components.light_legend(m, lang, thresholds=False)
    components.table(tables.threshold_table(m, lang), lang, key="method-thresholds", download=f"thresholds-{m.id}")

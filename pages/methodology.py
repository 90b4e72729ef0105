"""Methodology: indicators, level rule, bands and thresholds of each version, and its rounds."""

import streamlit as st

from ui import components, data, tables
from ui.frame import context
from ui.i18n import t
from ui.safe import md

ctx = context()
lang = ctx.lang
st.title(t("methodology.title", lang))
versions = data.methodology_versions(ctx.key)
ids = [m.id for m in versions]
default = data.methodology_of(ctx.key, ctx.round).id if ctx.round else ids[-1]
if st.session_state.get("method-pick") not in ids:
    st.session_state["method-pick"] = default if default in ids else ids[-1]
mid = st.selectbox(t("methodology.version", lang), ids, key="method-pick")
m = next(v for v in versions if v.id == mid)

st.markdown(f"**{md(m.title.get(lang))}** · {t('methodology.released', lang)} {m.released.isoformat()}")
st.markdown(md(m.description.get(lang)))
used = data.rounds_using(ctx.key, mid, ctx.signed_in)
st.caption(t("methodology.rounds", lang, rounds=", ".join(used) if used else "—"))

tabs = st.tabs([t("methodology.tab.indicators", lang), t("methodology.tab.levels", lang),
                t("methodology.tab.corruption", lang), t("methodology.tab.infrastructure", lang),
                t("methodology.tab.lights", lang)])
with tabs[0]:
    ind = tables.indicator_table(m, lang)
    st.dataframe(ind, hide_index=True, width="stretch", height=35 * 18 + 3)
    components.download_table(ind, f"indicators-{m.id}", lang, key="dl-ind")
with tabs[1]:
    st.markdown(t("methodology.level_rule", lang, share=int(round(m.min_share * 100))))
    st.dataframe(tables.stage_table(m, lang), hide_index=True, width="stretch")
with tabs[2]:
    st.markdown(t("methodology.corruption_rule", lang, n=m.corruption_max))
    st.dataframe(tables.band_table(m, lang), hide_index=True, width="stretch")
with tabs[3]:
    st.markdown(t("methodology.infra_rule", lang, threshold=int(m.percent_threshold)))
    st.dataframe(tables.question_table(m, lang), hide_index=True, width="stretch")
with tabs[4]:
    components.light_legend(m, lang)
    st.dataframe(tables.threshold_table(m, lang), hide_index=True, width="stretch")

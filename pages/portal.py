"""Portal take-up: e-services on the national portal and their use, beside assessed maturity."""

import streamlit as st

from ui import components, portal_views, trend_views
from ui.frame import context
from ui.i18n import fmt_num, t

ctx = context()
lang = ctx.lang
st.title(t("portal.title", lang))
periods = trend_views.portal_periods()
if not periods:
    components.empty_state("empty.portal", lang)
    st.stop()
period = st.selectbox(t("portal.period", lang), periods, index=len(periods) - 1, key="portal-period")
table = trend_views.portal_frame(ctx.key, ctx.source, ctx.signed_in, period)
totals = portal_views.totals(table)
c1, c2, c3 = st.columns(3)
c1.metric(t("portal.institutions", lang), fmt_num(totals["institutions"], lang, 0))
c2.metric(t("portal.eservices", lang), fmt_num(totals["e_services"], lang, 0))
c3.metric(t("portal.uses", lang), fmt_num(totals["uses"], lang, 0))
if period == "2014-07":
    st.caption(t("portal.bulletin_note", lang))

query = st.text_input(t("portal.search", lang), key="portal-search")
shown = portal_views.display(table, query, lang)
st.dataframe(shown, hide_index=True, width="stretch")
components.download_table(shown, f"portal-{period}", lang, key="dl-portal")

st.subheader(t("portal.uses_chart", lang))
chart = portal_views.uses_chart(table, lang)
st.altair_chart(chart, width="stretch")
components.download_chart(chart, f"portal-uses-{period}", lang, key="dl-portal-uses")

st.subheader(t("portal.supply_demand", lang))
st.caption(t("portal.supply_demand.caption", lang))
chart = portal_views.supply_demand_chart(table, lang)
st.altair_chart(chart, width="stretch")
components.download_chart(chart, f"portal-supply-demand-{period}", lang, key="dl-portal-sd")

"""Portal take-up: e-services on the national portal and their use, beside assessed maturity."""

import streamlit as st

from ui import choosers, components, portal_views, trend_views
from ui.frame import context
from ui.i18n import fmt_date, fmt_int, t

BULLETIN_TOTAL = 1_200_290  # the total printed in the August 2014 bulletin (data/reference/README.md)

ctx = context()
lang = ctx.lang
st.title(t("portal.title", lang))
periods = trend_views.portal_periods()
if not periods:
    components.empty_state("empty.portal", lang)
    st.stop()


def period_name(period: str) -> str:
    """``2014-07`` → ``iyul 2014`` / ``July 2014`` (CLDR month names)."""
    try:
        return fmt_date(f"{period}-01", lang, "LLLL y")
    except ValueError:
        return period


period = choosers.selectbox(t("portal.period", lang), periods[::-1], key="portal-period", lang=lang,
                            format_func=period_name)
if trend_views.portal_illustrative(period):
    components.illustrative_banner(lang)
table = trend_views.portal_frame(ctx.key, ctx.source, ctx.signed_in, period)
totals = portal_views.totals(table)
c1, c2, c3 = st.columns(3)
c1.metric(t("portal.institutions", lang), fmt_int(totals["institutions"], lang))
c2.metric(t("portal.eservices", lang), fmt_int(totals["e_services"], lang))
c3.metric(t("portal.uses", lang), fmt_int(totals["uses"], lang))
if period == "2014-07":
    st.caption(t("portal.bulletin_note", lang, rows=fmt_int(totals["uses"], lang),
                 printed=fmt_int(BULLETIN_TOTAL, lang), gap=fmt_int(totals["uses"] - BULLETIN_TOTAL, lang)))

query = st.text_input(t("portal.search", lang), key="portal-search", help=t("board.search.help", lang),
                      placeholder=t("board.search.placeholder", lang))
shown = portal_views.display(table, query, lang)
components.table(shown, lang, key="portal", download=f"portal-{period}")

st.subheader(t("portal.uses_chart", lang))
components.chart(portal_views.uses_chart(table, lang), f"portal-uses-{period}", lang, key="dl-portal-uses")

st.subheader(t("portal.supply_demand", lang))
st.caption(t("portal.supply_demand.caption", lang))
components.chart(portal_views.supply_demand_chart(table, lang), f"portal-supply-demand-{period}", lang,
                 key="dl-portal-sd")

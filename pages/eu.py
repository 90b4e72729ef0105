"""EU comparison: the 20 basic public services, classic EU indicators, UN EGDI over the years."""

import streamlit as st

from ui import charts, choosers, components, eu_views
from ui.frame import context
from ui.i18n import t

ctx = context()
lang = ctx.lang
st.title(t("eu.title", lang))
tabs = st.tabs([t("eu.tab.mapping", lang), t("eu.tab.indicators", lang), t("eu.tab.egdi", lang)])

with tabs[0]:
    if ctx.round is None:
        components.empty_state("empty.no_rounds", lang)
    else:
        if ctx.illustrative:
            components.illustrative_banner(lang)
        st.caption(t("eu.mapping.caption", lang, round=ctx.round))
        table = eu_views.mapping_table(ctx.key, ctx.round, ctx.source, lang)
        components.table(table, lang, key="eu-mapping", height=min(35 * (len(table) + 1) + 3, 900),
                         download=f"eu-mapping-{ctx.round}")
        st.caption(t("eu.mapping.legend", lang))
        with st.expander(t("eu.stages", lang)):
            components.table(eu_views.stage_definitions(ctx.key, ctx.round, lang), lang, key="eu-stages",
                             download="eu-un-stages")

with tabs[1]:
    if ctx.round is None:
        components.empty_state("empty.no_rounds", lang)
    else:
        ind, head, raw = eu_views.classic_indicators(ctx.key, ctx.round, ctx.source, lang)
        components.table(ind, lang, key="eu-indicators", download=f"eu-indicators-{ctx.round}")
        st.warning(t("eu.indicators.note", lang, year=head.year))
        chart = charts.bar_chart(eu_views.indicator_bars(raw, head, lang), lang, label="label", value="value",
                                 percent=True, digits=0, domain=(0, 100), highlight=eu_views.az_labels(lang),
                                 title=t("eu.indicators.chart", lang), sort_desc=False,
                                 value_title=t("chart.axis.percent", lang), label_title=t("eu.col.scope", lang))
        components.chart(chart, "eu-indicators", lang, key="dl-eu-ind-chart")

with tabs[2]:
    chosen = choosers.multiselect(t("eu.egdi.countries", lang), eu_views.country_options(lang), key="egdi-countries",
                                  lang=lang, default=["EST", "DEU", "LTU", "GEO", "TUR"],
                                  format_func=lambda c: eu_views.country_name(c, lang), select_all=False)
    lines = eu_views.egdi_lines(chosen, lang)
    chart = charts.line_chart(lines, lang, x="year", y="egdi", series="label", title=t("eu.egdi.line", lang),
                              y_title="EGDI", digits=3, x_title=t("col.year", lang))
    components.chart(chart, "egdi-lines", lang, key="dl-egdi-line")
    ranks = eu_views.rank_table(chosen, lang)
    st.markdown(t("eu.egdi.rank_note", lang))
    components.table(ranks, lang, key="egdi-ranks", download="egdi-ranks")
    year = st.select_slider(t("eu.egdi.year", lang), eu_views.egdi_years(), value=2014, key="egdi-year")
    bars = eu_views.egdi_bars(year, lang)
    chart = charts.bar_chart(bars, lang, label="label", value="egdi", highlight=[eu_views.country_name("AZE", lang)],
                             digits=3, domain=(0, 1), title=t("eu.egdi.bar", lang, year=year),
                             reference=float(bars.loc[bars["kind"] == "eu_average", "egdi"].iloc[0]),
                             reference_label=t("eu.egdi.eu_average", lang), value_title="EGDI",
                             label_title=t("col.country", lang))
    components.chart(chart, f"egdi-{year}", lang, key="dl-egdi-bar")

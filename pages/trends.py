"""Trends: levels, bands and coverage across rounds, transitions, series breaks."""

import streamlit as st

from ui import choosers, components, data, trend_views
from ui.frame import context
from ui.i18n import t

SHOWN = 300  # rows of a long list drawn on screen (the download has them all)

ctx = context()
lang = ctx.lang
st.title(t("trends.title", lang))
rounds = trend_views.rounds_frame(ctx.key, ctx.signed_in)
if rounds.empty:
    components.empty_state("empty.no_rounds", lang)
    st.stop()
if ctx.illustrative:
    components.illustrative_banner(lang)
components.round_notes(data.round_notes(ctx.key), lang)
breaks = trend_views.breaks(ctx.key, ctx.signed_in)
if breaks:
    st.warning(t("trends.breaks", lang, rounds=", ".join(breaks)))
else:
    st.caption(t("trends.no_breaks", lang, version=", ".join(sorted(set(rounds["methodology_id"])))))

st.subheader(t("trends.levels", lang))
dist = trend_views.level_shares(ctx.key, ctx.source, ctx.signed_in)
chart = components.chart_spec("level_distribution_chart", dist, lang, group="group", share=True,
                              group_title=t("frame.round", lang))
components.chart(chart, "levels-by-round", lang, key="dl-tr-levels")

st.subheader(t("trends.transition", lang))
labels = rounds["label"].tolist()
if len(labels) < 2:
    st.caption(t("trends.single_round", lang))
else:
    c1, c2 = st.columns(2)
    a = choosers.selectbox(t("trends.from", lang), labels, key="tr-a", lang=lang, default=labels[-2], container=c1)
    b = choosers.selectbox(t("trends.to", lang), labels, key="tr-b", lang=lang, default=labels[-1], container=c2)
    tr, matrix, movers = trend_views.transition(ctx.key, ctx.source, ctx.signed_in, a, b, lang)
    if not tr.comparable:
        st.warning(tr.reason.get(lang) if tr.reason else t("trends.not_comparable", lang))
    else:
        s1, s2, s3 = st.columns(3)
        s1.metric(t("trends.up", lang), tr.n_up)
        s2.metric(t("trends.same", lang), tr.n_same)
        s3.metric(t("trends.down", lang), tr.n_down)
        components.table(matrix, lang, key="tr-matrix", download=f"transitions-{a}-{b}")
        st.caption(t("trends.matrix.caption", lang))
        if len(movers):
            components.table(movers, lang, key="tr-movers", download=f"movers-{a}-{b}", rows=SHOWN)
    moves = trend_views.institution_moves(ctx.key, ctx.source, ctx.signed_in, lang)
    if len(moves):
        st.subheader(t("trends.institutions", lang))
        components.table(moves, lang, key="tr-institutions", download="institutions-by-round", rows=SHOWN)

left, right = st.columns(2)
with left:
    bands = trend_views.band_lines(ctx.key, ctx.source, ctx.signed_in, lang)
    chart = components.chart_spec("line_chart", bands, lang, x="round", y="value", series="series", breaks=breaks,
                                  percent=True, y_title=t("chart.axis.share", lang), title=t("trends.bands", lang))
    components.chart(chart, "bands-by-round", lang, key="dl-tr-bands")
with right:
    cov = trend_views.coverage_lines(ctx.key, ctx.signed_in, lang)
    chart = components.chart_spec("line_chart", cov, lang, x="round", y="value", series="series", breaks=breaks,
                                  percent=True, y_title=t("col.coverage_pct", lang), title=t("trends.coverage", lang))
    components.chart(chart, "coverage-by-round", lang, key="dl-tr-cov")

"""Overview: the selected round at a glance, with change against the previous round."""

import streamlit as st

from ui import components, data, tables
from ui.frame import round_page
from ui.i18n import fmt_delta, fmt_num, fmt_pct, t

ctx = round_page("overview.title")
lang = ctx.lang
st.caption(t("overview.caption", lang, round=ctx.round, source=t(f"source.{ctx.source}", lang)))

now = data.summary(ctx.key, ctx.round, ctx.source)
before = data.summary(ctx.key, ctx.previous, ctx.source) if ctx.previous else None
if not now["services"] and not now["institutions"]:
    components.empty_state("empty.round", lang)
    st.stop()


def delta(name: str, digits: int = 1, pct: bool = False):
    if before is None or now[name] is None or before[name] is None:
        return None
    return fmt_delta(now[name] - before[name], lang, digits, pct=pct)


cols = st.columns(4)
cols[0].metric(t("metric.institutions", lang), fmt_num(now["institutions"], lang, 0), delta("institutions", 0))
cols[1].metric(t("metric.services", lang), fmt_num(now["services"], lang, 0), delta("services", 0))
cols[2].metric(t("metric.mean_level", lang), fmt_num(now["mean_level"], lang, 2), delta("mean_level", 2),
               help=t("metric.mean_level.help", lang))
cols[3].metric(t("metric.infrastructure_index", lang), fmt_num(now["infrastructure_index"], lang, 1),
               delta("infrastructure_index", 1), help=t("metric.infrastructure_index.help", lang))
cols = st.columns(4)
cols[0].metric(t("metric.share_level4", lang), fmt_pct(now["share_level4"], lang), delta("share_level4", 0, True),
               help=t("metric.share_level4.help", lang))
cols[1].metric(t("metric.share_level5", lang), fmt_pct(now["share_level5"], lang), delta("share_level5", 0, True),
               help=t("metric.share_level5.help", lang))
cols[2].metric(t("metric.mean_coverage", lang), fmt_pct(now["mean_coverage"], lang), delta("mean_coverage", 0, True),
               help=t("metric.mean_coverage.help", lang))
if ctx.previous:
    cols[3].metric(t("frame.compare_round", lang), ctx.previous)

st.subheader(t("overview.distribution", lang))
dist = tables.level_distribution(data.levels_and_audiences(ctx.key, ctx.round, ctx.source), lang)
chart = components.chart_spec("level_distribution_chart", dist, lang)
components.chart(chart, f"levels-{ctx.round}", lang, key="dl-levels")

left, right = st.columns(2)
with left:
    st.subheader(t("overview.lights", lang))
    board = data.board(ctx.key, ctx.round, ctx.source, ctx.previous)
    components.table(tables.light_counts(board, lang), lang, key="overview-lights", download=f"lights-{ctx.round}")
with right:
    st.subheader(t("overview.top", lang))
    components.table(tables.top_services(data.top_services(ctx.key, ctx.round, ctx.source), lang), lang, key="overview-top", download=f"top-services-{ctx.round}")

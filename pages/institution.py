"""Institution: its lights, coverage, services with levels and advice, and history."""

import streamlit as st

from ui import charts, choosers, components, data, tables, widgets
from ui.frame import round_page
from ui.i18n import fmt_num, fmt_pct, t
from ui.safe import md

ctx = round_page("institution.title")
lang = ctx.lang

m = data.methodology_of(ctx.key, ctx.round)
board = data.board(ctx.key, ctx.round, ctx.source, ctx.previous)
if board.empty:
    components.empty_state("empty.round", lang)
    st.stop()
options = tables.sorted_names(board, lang)
inst_id = choosers.linked_choice(t("institution.pick", lang), options, key="institution-pick", lang=lang,
                                 unknown="link.unknown_institution", round=ctx.round)
row = board[board["institution_id"] == inst_id].iloc[0]
st.subheader(md(options[inst_id]))

cols = st.columns(4)
for col, dim, value in (
    (cols[0], "coverage", fmt_pct(row["coverage_pct"], lang)),
    (cols[1], "maturity", fmt_num(row["mean_level"], lang, 2)),
    (cols[2], "infrastructure", fmt_num(row["infrastructure_index"], lang, 2)),
    (cols[3], "corruption", fmt_num(row["mean_corruption"], lang, 1)),
):
    with col:
        widgets.light_card(t(f"light.dim.{dim}", lang), value, row[f"{dim}_light"], lang)
st.caption(t("institution.coverage_line", lang,
             transferable=fmt_num(row["services_transferable"], lang, 0),
             provided=fmt_num(row["e_services_provided"], lang, 0)))

st.subheader(t("institution.services", lang))
scored = data.scored_services(ctx.key, ctx.round, ctx.source)
mine = scored[scored["institution_id"] == inst_id]
if mine.empty:
    st.info(t("institution.no_services", lang))
else:
    table = tables.institution_services(mine, m, lang)
    event = components.table(table, lang, key="inst-services", download=f"institution-{inst_id}-{ctx.round}",
                             on_select="rerun", selection_mode="single-row")
    st.caption(t("institution.hint", lang))
    picked = event.selection.rows if event and event.selection else []
    if picked:
        sid = int(table["service_id"].iloc[picked[0]])
        st.switch_page("pages/service.py", query_params={"id": str(sid), "lang": lang, "round": ctx.round,
                                                          "source": ctx.source})

st.subheader(t("institution.history", lang))
history = data.institution_history(ctx.key, inst_id, ctx.source, ctx.signed_in)
if len(history) < 2:
    st.caption(t("institution.history.single", lang))
if not history.empty:
    breaks = tables.history_breaks(history)
    left, right = st.columns(2)
    for where, measure, domain, digits in ((left, "mean_level", (0, 5), 2),
                                           (right, "mean_corruption", (0, m.corruption_max), 1)):
        title = t("col.mean_level" if measure == "mean_level" else "col.mean_corruption", lang)
        with where:
            chart = charts.line_chart(tables.history_long(history, lang, measure), lang, x="round", y="value",
                                      series=None, breaks=breaks, title=title, y_title=title, digits=digits,
                                      y_domain=domain)
            components.chart(chart, f"institution-{inst_id}-{measure}", lang, key=f"dl-inst-{measure}")

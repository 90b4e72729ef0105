"""Institution: its lights, coverage, services with levels and advice, and history."""

import streamlit as st

from ui import components, data, tables, widgets
from ui.frame import round_page
from ui.i18n import fmt_num, fmt_pct, t

ctx = round_page("institution.title")
lang = ctx.lang

m = data.methodology_of(ctx.key, ctx.round)
board = data.board(ctx.key, ctx.round, ctx.source, ctx.previous)
if board.empty:
    components.empty_state("empty.round", lang)
    st.stop()
options = tables.sorted_names(board, lang)
wanted = st.query_params.get("id")
ids = list(options)
if st.session_state.get("institution-pick") not in ids:
    st.session_state["institution-pick"] = int(wanted) if wanted and wanted.isdigit() and int(wanted) in ids else ids[0]
inst_id = st.selectbox(t("institution.pick", lang), ids, key="institution-pick", format_func=lambda i: options[i])
st.query_params["id"] = str(inst_id)
row = board[board["institution_id"] == inst_id].iloc[0]

st.subheader(options[inst_id])
cols = st.columns(4)
for col, dim, value in (
    (cols[0], "coverage", fmt_pct(row["coverage_pct"], lang)),
    (cols[1], "maturity", fmt_num(row["mean_level"], lang, 2)),
    (cols[2], "infrastructure", fmt_num(row["infrastructure_index"], lang, 1)),
    (cols[3], "corruption", fmt_num(row["mean_corruption"], lang, 1)),
):
    with col:
        widgets.light_card(t(f"light.dim.{dim}", lang), value, row[f"{dim}_light"], lang)
st.caption(t("institution.coverage_line", lang,
             transferable=fmt_num(row["services_transferable"], lang, 0),
             provided=fmt_num(row["e_services_provided"], lang, 0)))

st.subheader(t("institution.services", lang))
mine = data.institution_rows(ctx.key, ctx.round, ctx.source, inst_id)
if mine.empty:
    st.info(t("institution.no_services", lang))
else:
    table = tables.institution_services(mine, m, lang)
    event = st.dataframe(table.drop(columns=["service_id"]), hide_index=True, width="stretch", on_select="rerun",
                         selection_mode="single-row", key="inst-services")
    st.caption(t("institution.hint", lang))
    picked = event.selection.rows if event and event.selection else []
    if picked:
        sid = int(table["service_id"].iloc[picked[0]])
        st.switch_page("pages/service.py", query_params={"id": str(sid), "lang": lang, "round": ctx.round,
                                                          "source": ctx.source})
    components.download_table(table.drop(columns=["service_id"]), f"institution-{inst_id}-{ctx.round}", lang,
                              key="dl-inst")

st.subheader(t("institution.history", lang))
history = data.institution_history(ctx.key, inst_id, ctx.source, ctx.signed_in)
if len(history) < 2:
    st.caption(t("institution.history.single", lang))
if not history.empty:
    chart = components.chart_spec("line_chart", tables.history_long(history, lang), lang, x="round", y="value",
                                  series="series", breaks=tables.history_breaks(history),
                                  title=t("institution.history", lang), y_title=t("col.mean_level", lang), digits=2)
    st.vega_lite_chart(spec=chart, width="stretch")
    components.download_chart(chart, f"institution-{inst_id}-history", lang, key="dl-inst-hist")

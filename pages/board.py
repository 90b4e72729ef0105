"""Board: the traffic-light board, one row per institution, leading to each institution."""

import streamlit as st

from ui import choosers, components, data, tables
from ui.frame import round_page
from ui.i18n import t

ctx = round_page("board.title")
lang = ctx.lang
m = data.methodology_of(ctx.key, ctx.round)
board = data.board(ctx.key, ctx.round, ctx.source, ctx.previous)
if board.empty:
    components.empty_state("empty.round", lang)
    st.stop()

f1, f2, f3, f4 = st.columns([2, 2, 2.5, 2.5])
kinds = choosers.multiselect(t("board.filter.kind", lang), ["central", "regional", "local"], key="board-kind",
                             lang=lang, container=f1, format_func=lambda k: t(f"kind.{k}", lang),
                             placeholder=t("frame.all", lang))
audiences = choosers.multiselect(t("board.filter.audience", lang), ["citizen", "business"], key="board-audience",
                                 lang=lang, container=f2, format_func=lambda a: t(f"audience.{a}", lang),
                                 placeholder=t("frame.all", lang))
query = f3.text_input(t("board.search", lang), key="board-search", placeholder=t("board.search.placeholder", lang),
                      help=t("board.search.help", lang))
sort = choosers.selectbox(t("board.sort", lang), ["name", "coverage_pct", "mean_level", "mean_corruption"],
                          key="board-sort", lang=lang, container=f4, format_func=lambda s: t(f"board.sort.{s}", lang))

view = data.filter_board(board, kinds=kinds, audiences=audiences, query=query, lang=lang, sort=sort)
st.caption(t("board.count", lang, shown=len(view), total=len(board), previous=ctx.previous or "—"))
if view.empty:
    components.empty_state("empty.no_match", lang)
    st.stop()
table = tables.board_table(view, lang)
event = components.table(
    table, lang, key="board", download=f"board-{ctx.round}", height=min(35 * (len(table) + 1) + 3, 35 * 16 + 3),
    on_select="rerun", selection_mode="single-row",
)
st.caption(t("board.hint", lang))
rows = event.selection.rows if event and event.selection else []
if rows:
    inst = int(table["institution_id"].iloc[rows[0]])
    st.switch_page("pages/institution.py", query_params={"id": str(inst), "lang": lang, "round": ctx.round,
                                                         "source": ctx.source})
components.light_legend(m, lang)

"""Board: the traffic-light board, one row per institution, leading to each institution."""

import streamlit as st

from ui import components, data, tables
from ui.frame import round_page
from ui.i18n import t

ctx = round_page("board.title")
lang = ctx.lang
m = data.methodology_of(ctx.key, ctx.round)
board = data.board(ctx.key, ctx.round, ctx.source, ctx.previous)
if board.empty:
    components.empty_state("empty.round", lang)
    st.stop()

components.light_legend(m, lang)

f1, f2, f3, f4 = st.columns([2, 2, 3, 2])
kinds = f1.multiselect(t("board.filter.kind", lang), ["central", "regional", "local"], key="board-kind",
                       format_func=lambda k: t(f"kind.{k}", lang))
audiences = f2.multiselect(t("board.filter.audience", lang), ["citizen", "business"], key="board-audience",
                           format_func=lambda a: t(f"audience.{a}", lang))
query = f3.text_input(t("board.search", lang), key="board-search", placeholder=t("board.search.placeholder", lang))
sort = f4.selectbox(t("board.sort", lang), ["name", "coverage_pct", "mean_level", "mean_corruption"], key="board-sort",
                    format_func=lambda s: t(f"board.sort.{s}", lang))

view = data.filter_board(board, kinds=kinds, audiences=audiences, query=query, lang=lang, sort=sort)
st.caption(t("board.count", lang, shown=len(view), total=len(board), previous=ctx.previous or "—"))
table = tables.board_table(view, lang)
event = st.dataframe(
    table.drop(columns=["institution_id"]), hide_index=True, width="stretch", on_select="rerun",
    selection_mode="single-row", key="board-table",
    column_config={
        t("col.coverage_pct", lang): st.column_config.NumberColumn(format="%d %%"),
        t("col.mean_level", lang): st.column_config.NumberColumn(format="%.2f"),
    },
)
st.caption(t("board.hint", lang))
rows = event.selection.rows if event and event.selection else []
if rows:
    inst = int(table["institution_id"].iloc[rows[0]])
    st.switch_page("pages/institution.py", query_params={"id": str(inst), "lang": lang, "round": ctx.round,
                                                         "source": ctx.source})
components.download_table(table.drop(columns=["institution_id"]), f"board-{ctx.round}", lang, key="dl-board")

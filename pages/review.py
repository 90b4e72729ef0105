"""Expert review: per institution, the review state and self vs expert answers side by side."""

import pandas as pd
import streamlit as st

from store import review
from ui import choosers, components, data, form_review
from ui.frame import context
from ui.grid import Col, describe
from ui.i18n import t
from ui.safe import md
from ui.session import current_actor

ctx = context()
lang = ctx.lang
actor = current_actor()
st.title(t("review.title", lang))
st.caption(t("review.caption", lang))
notice = st.session_state.pop("review-notice", None)
if notice:
    st.success(notice)
if not ctx.round:
    st.info(t("frame.no_rounds", lang))
    st.stop()

overview = data.review_overview(ctx.key, ctx.round)
if overview.empty:
    st.info(t("review.no_data", lang, round=ctx.round))
    st.stop()


def report(ok: bool, msg: str) -> None:
    """Errors stay on the page; a success reruns (tables redrawn) and shows the message on top."""
    if not ok:
        st.error(msg)
        return
    st.session_state["review-notice"] = msg
    st.rerun()


def state_text(state) -> str:
    if state is None or (isinstance(state, float) and pd.isna(state)) or state is pd.NA:
        state = "none"
    return t(f"review.state.{state}", lang)


names = data.institution_names(ctx.key, overview["institution_id"], lang)
shown = pd.DataFrame({t("col.institution", lang): [names[i] for i in overview["institution_id"]],
                      t("review.state", lang): overview["state"].map(state_text)})
describe(shown, {t("col.institution", lang): Col("text", pinned=True, width=320)})
components.table(shown, lang, key="review-overview", download=f"review-states-{ctx.round}")

iid = choosers.selectbox(t("review.pick", lang), list(names), format_func=lambda i: names[i], key="review-inst",
                         lang=lang)
state = overview.set_index("institution_id").loc[iid, "state"]
state = None if pd.isna(state) else state
st.markdown(f"**{md(names[iid])}** · {state_text(state)}")

steps = [to for (frm, to), (_, role, _) in review.TRANSITIONS.items() if frm == state and actor.can(role)]
if steps:
    with st.form("review-step"):
        target = st.selectbox(t("review.next", lang), steps, format_func=state_text, key=f"review-target-{lang}",
                              placeholder=t("widget.choose_one", lang))
        reason = st.text_input(t("review.reason", lang), key="review-reason")
        if st.form_submit_button(t("review.apply", lang), type="primary"):
            report(*data.write(review.transition, actor, ctx.round, int(iid), target, reason or None, lang=lang))

form_review.panel(ctx.round, actor, int(iid), state, lang, report)

st.subheader(t("review.self_vs_expert", lang))
m = data.methodology_of(ctx.key, ctx.round)
answers = data.side_by_side(ctx.key, ctx.round, iid)
if answers.empty:
    st.caption(t("review.no_services", lang))
    st.stop()
services = answers.drop_duplicates("code").set_index("code")
service_col = "service_az" if lang == "az" else "service_en"
codes = sorted(services.index.tolist(), key=lambda c: [int(p) if p.isdigit() else p for p in c.split(".")])


def service_label(code: str) -> str:
    name = services.at[code, service_col] if service_col in services.columns else None
    if not isinstance(name, str) or not name:
        name = services.at[code, "service_az"] if "service_az" in services.columns else ""
    return f"{code} · {name}" if name else code


code = choosers.selectbox(t("review.service", lang), codes, key=f"review-svc-{iid}", lang=lang,
                          format_func=service_label)
rows = answers[answers["code"] == code].set_index("source")
sid = int(rows["service_id"].iloc[0])
own = [int(rows.loc["self", q]) for q in m.answer_columns] if "self" in rows.index else None
expert = [int(rows.loc["expert", q]) for q in m.answer_columns] if "expert" in rows.index else None
self_col, expert_col, differs = t("source.self", lang), t("source.expert", lang), t("review.differs", lang)
table = pd.DataFrame({
    "№": [i.number for i in m.indicators],
    t("col.indicator", lang): [i.short.get(lang) for i in m.indicators],
    self_col: pd.array(own or [None] * m.n_indicators, dtype="boolean"),
    expert_col: pd.array(expert or [None] * m.n_indicators, dtype="boolean"),
})
table[differs] = pd.array([(a is not None and b is not None and a != b) for a, b in
                           zip(own or [None] * m.n_indicators, expert or [None] * m.n_indicators)], dtype="boolean")
describe(table, {"№": Col("id", pinned=True), self_col: Col("yesno"), expert_col: Col("yesno"), differs: Col("yesno")})
components.table(table, lang, key="review-answers", download=f"review-{ctx.round}-{iid}-{code}")

if state == "approved":
    st.info(t("review.locked", lang))
    st.stop()
with st.form(f"reading-{sid}"):
    st.caption(t("review.reading.caption", lang))
    start = expert or own or [0] * m.n_indicators
    cols = st.columns(3)
    reading = [int(cols[k % 3].toggle(f"{ind.number}. {md(ind.short.get(lang))}", value=bool(start[k]),
                                      key=f"reading-{sid}-{ind.number}", help=md(ind.text.get(lang))))
               for k, ind in enumerate(m.indicators)]
    comment = st.text_area(t("review.comment", lang), key=f"reading-comment-{sid}")
    if st.form_submit_button(t("review.save", lang), type="primary"):
        report(*data.write(review.review_service, actor, ctx.round, sid, reading, comment or None, lang=lang))

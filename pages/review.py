"""Expert review: per institution, the review state and self vs expert answers side by side."""

import pandas as pd
import streamlit as st

from store import review
from ui import components, data, form_review
from ui.frame import context
from ui.i18n import t
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
    return t(f"review.state.{state or 'none'}", lang)


shown = pd.DataFrame({t("col.institution", lang): overview["name_az"],
                      t("review.state", lang): overview["state"].map(state_text)})
st.dataframe(shown, hide_index=True, width="stretch")

names = dict(zip(overview["institution_id"], overview["name_az"]))
iid = st.selectbox(t("review.pick", lang), list(names), format_func=lambda i: names[i], key="review-inst")
state = overview.set_index("institution_id").loc[iid, "state"]
state = None if pd.isna(state) else state
st.markdown(f"**{names[iid]}** · {state_text(state)}")

steps = [to for (frm, to), (_, role, _) in review.TRANSITIONS.items() if frm == state and actor.can(role)]
if steps:
    with st.form("review-step"):
        target = st.selectbox(t("review.next", lang), steps, format_func=state_text, key="review-target")
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
codes = sorted(answers["code"].unique().tolist(), key=lambda c: [int(p) if p.isdigit() else p for p in c.split(".")])
code = st.selectbox(t("review.service", lang), codes, key=f"review-svc-{iid}")
rows = answers[answers["code"] == code].set_index("source")
sid = int(rows["service_id"].iloc[0])
own = [int(rows.loc["self", q]) for q in m.answer_columns] if "self" in rows.index else None
expert = [int(rows.loc["expert", q]) for q in m.answer_columns] if "expert" in rows.index else None
table = pd.DataFrame({
    t("col.indicator", lang): [f"{i.number}. {i.short.get(lang)}" for i in m.indicators],
    t("source.self", lang): own or [None] * m.n_indicators,
    t("source.expert", lang): expert or [None] * m.n_indicators,
})
table[t("review.differs", lang)] = [(a is not None and b is not None and a != b) for a, b in
                                    zip(table[t("source.self", lang)], table[t("source.expert", lang)])]
st.dataframe(table, hide_index=True, width="stretch")
components.download_table(table, f"review-{ctx.round}-{iid}-{code}", lang, key="dl-review")

if state == "approved":
    st.info(t("review.locked", lang))
    st.stop()
with st.form(f"reading-{sid}"):
    st.caption(t("review.reading.caption", lang))
    start = expert or own or [0] * m.n_indicators
    cols = st.columns(3)
    reading = [int(cols[k % 3].toggle(f"{ind.number}. {ind.short.get(lang)}", value=bool(start[k]),
                                      key=f"reading-{sid}-{ind.number}", help=ind.text.get(lang)))
               for k, ind in enumerate(m.indicators)]
    comment = st.text_area(t("review.comment", lang), key=f"reading-comment-{sid}")
    if st.form_submit_button(t("review.save", lang), type="primary"):
        report(*data.write(review.review_service, actor, ctx.round, sid, reading, comment or None, lang=lang))

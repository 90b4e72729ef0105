"""Service: the seed's matrix for one e-service, self against expert, and a what-if."""

import streamlit as st

import scoring
from ui import choosers, components, data, tables
from ui.frame import round_page
from ui.i18n import t
from ui.safe import md

ctx = round_page("service.title")
lang = ctx.lang
m = data.methodology_of(ctx.key, ctx.round)
scored = data.scored_services(ctx.key, ctx.round, ctx.source)
if scored.empty:
    components.empty_state("empty.round", lang)
    st.stop()

ordered = scored.sort_values(["institution_az", "code"])
labels = {
    int(r["service_id"]): f"{r['code']} · {tables.service_name(r, lang)} — {tables.inst_name(r, lang)}"
    for _, r in ordered.iterrows()
}
sid = choosers.linked_choice(t("service.pick", lang), labels, key="service-pick", lang=lang,
                             unknown="link.unknown_service", round=ctx.round)
row = scored[scored["service_id"] == sid].iloc[0]
answers = [int(row[c]) for c in m.answer_columns]
stage = m.stage(int(row["level"]))

c1, c2, c3 = st.columns(3)
c1.metric(t("col.level", lang), int(row["level"]), help=md(stage.eu.get(lang)))
c2.metric(t("col.corruption", lang), f"{int(row['corruption_score'])} / {m.corruption_max}",
          help=md(m.band(row["corruption_band"]).label.get(lang)))
c3.metric(t("col.columns", lang), tables.level_row(answers, m))
st.caption(t("service.stage", lang, eu=md(stage.eu.get(lang)), un=md(stage.un.get(lang)),
             paradigm=md(tables.paradigm_text(stage.paradigm, lang) or "—")))
if ctx.source == "validated":
    st.caption(t("service.shown_source", lang, source=t(f"source.{row['source']}", lang)))

st.subheader(t("service.matrix", lang))
components.table(tables.matrix(answers, m, lang), lang, key="service-matrix", height=35 * 18 + 3,
                 download=f"matrix-{ctx.round}-{row['code']}")
st.caption(t("service.matrix.legend", lang))
adv = scoring.next_level_advice(answers, m)
st.info(md(tables.advice_text(adv, m, lang)))

both = data.self_and_expert(ctx.key, ctx.round, sid)
if both is not None:
    st.subheader(t("service.compare", lang))
    components.table(tables.compare_sources(both, m, lang), lang, key="service-compare",
                     download=f"self-expert-{ctx.round}-{row['code']}")

st.subheader(t("service.whatif", lang))
st.caption(t("service.whatif.caption", lang))
with st.form("whatif"):
    cols = st.columns(3)
    trial = []
    for i, ind in enumerate(m.indicators):
        trial.append(int(cols[i % 3].toggle(f"{ind.number}. {md(ind.short.get(lang))}", value=bool(answers[i]),
                                            key=f"whatif-{sid}-{ind.number}", help=md(ind.text.get(lang)))))
    st.form_submit_button(t("service.whatif.apply", lang))
mat, cor = scoring.maturity(trial, m), scoring.corruption(trial, m)
w1, w2, w3 = st.columns(3)
w1.metric(t("col.level", lang), mat.level, delta=mat.level - int(row["level"]) or None)
w2.metric(t("col.corruption", lang), cor.score, delta=cor.score - int(row["corruption_score"]) or None)
w3.metric(t("col.columns", lang), " ".join(map(str, mat.columns)))

st.subheader(t("service.history", lang))
hist = data.answer_history(ctx.key, ctx.round, sid)
if hist.empty:
    st.caption(t("service.history.none", lang))
else:
    components.table(tables.history_table(hist, m, lang), lang, key="service-history",
                     download=f"history-{ctx.round}-{row['code']}")

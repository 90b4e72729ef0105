"""The review page's view of a form submission: what changed, the respondent's evidence, flags on single answers."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from form.checks import is_url
from form.clock import local
from store import collection
from store.actors import Actor
from ui import components, data
from ui.grid import Col, describe
from ui.i18n import fmt_datetime, t

MODES = ("since_submission", "since_round", "all")


def _value(v, lang: str) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return "—"
    return t("form.yes", lang) if int(v) == 1 else t("form.no", lang)


def _names(changes: pd.DataFrame, lang: str) -> pd.Series:
    """Service names in ``lang`` where the registry has them (a proposed service keeps the name typed)."""
    names = changes["name"].fillna("")
    if lang != "en":
        return names
    english = changes["name_en"]
    return english.where(english.notna() & (english.astype(str).str.strip() != ""), names)


def changes_table(changes: pd.DataFrame, q, lang: str) -> pd.DataFrame:
    names = {fq.number: fq.short_name(lang) for fq in q.questions}
    evidence = changes["evidence"].where(changes["evidence"].map(is_url), None)
    other = changes["evidence"].where(~changes["evidence"].map(is_url), None)
    out = pd.DataFrame({
        t("col.code", lang): changes["code"],
        t("col.service", lang): _names(changes, lang),
        t("col.indicator", lang): [f"{n}. {names.get(int(n), '')}" for n in changes["indicator"]],
        t("form.review.last_round", lang): [_value(v, lang) for v in changes["last_round"]],
        t("form.review.previous", lang): [_value(v, lang) for v in changes["previous_submission"]],
        t("form.review.submitted", lang): [_value(v, lang) for v in changes["submitted"]],
        t("form.comment", lang): changes["comment"].fillna(""),
        t("form.evidence", lang): evidence,
        t("form.review.evidence_text", lang): other.fillna(""),
        t("form.review.flagged", lang): changes["flagged"].astype(int),
    })
    # The service's name is narrowed so that the respondent's comment and evidence fit beside the answers.
    return describe(out, {t("col.code", lang): Col("text", pinned=True), t("col.service", lang): Col("text", width=220),
                          t("form.review.flagged", lang): Col("int")})


def panel(label: str, actor: Actor, institution_id: int, state: str | None, lang: str, report) -> None:
    """The submission part of the Review page; ``report(ok, message)`` is the page's own outcome helper."""
    store = data.store()
    try:
        subs = collection.submissions(store, actor, institution_id, label)
    except (collection.CollectionError, LookupError):
        return
    if subs.empty:
        return
    st.subheader(t("form.review.title", lang))
    last = subs.iloc[0]
    st.caption(t("form.review.last", lang, n=len(subs), at=fmt_datetime(local(last["at"]), lang), by=last["actor"],
                 timeliness=t("form.late" if bool(last["late"]) else "form.on_time", lang)))
    from ui.form_views import frozen

    q, _ = frozen(str(store.path), label)
    changes = collection.review_changes(store, actor, label, institution_id)
    default = "since_submission" if len(subs) > 1 else "since_round"
    if st.session_state.get("review-form-mode") not in MODES:
        st.session_state["review-form-mode"] = default
    mode = st.segmented_control(t("form.review.show", lang), MODES, key="review-form-mode",
                                format_func=lambda m: t(f"form.review.mode.{m}", lang)) or default
    shown = changes
    if mode == "since_submission":
        shown = changes[changes["since_submission"]]
    elif mode == "since_round":
        shown = changes[changes["since_round"]]
    if shown.empty:
        st.caption(t("form.review.no_changes", lang))
    else:
        table = changes_table(shown, q, lang)
        components.table(table, lang, key="form-review-changes", download=f"form-changes-{label}-{institution_id}",
                         column_config={t("form.evidence", lang): st.column_config.LinkColumn()})
    flags = collection.flags(store, actor, label, institution_id)
    if len(flags):
        st.markdown(f"**{t('form.review.flags', lang)}**")
        components.table(pd.DataFrame({
            t("col.code", lang): flags["code"],
            t("col.indicator", lang): flags["indicator"].map(lambda v: "—" if pd.isna(v) else str(int(v))),
            t("review.comment", lang): flags["comment"],
            t("form.history.by", lang): flags["actor"],
            t("form.review.flag_state", lang): [t("form.review.flag_open", lang) if pd.isna(r) else
                                                t("form.review.flag_resolved", lang) for r in flags["resolved_at"]],
        }), lang, key="form-review-flags")
    if state not in ("submitted", "under_review"):
        return
    items = changes.drop_duplicates("item_id")
    if items.empty:
        return
    labels = {int(i): f"{c} · {n}" for i, c, n in zip(items["item_id"], items["code"], _names(items, lang))}
    with st.form(f"flag-{institution_id}", clear_on_submit=True):
        st.markdown(f"**{t('form.review.flag', lang)}**")
        st.caption(t("form.review.flag.caption", lang))
        c1, c2 = st.columns([2, 2])
        item = c1.selectbox(t("review.service", lang), list(labels), format_func=lambda i: labels[i],
                            key=f"flag-item-{lang}")
        ind = c2.selectbox(t("col.indicator", lang), [None, *[fq.number for fq in q.questions]], key=f"flag-ind-{lang}",
                           format_func=lambda n: t("form.review.whole_service", lang) if n is None else
                           f"{n}. {q.questions[n - 1].short_name(lang)}")
        comment = st.text_area(t("review.comment", lang), key="flag-comment", height=80)
        if st.form_submit_button(t("form.review.flag.button", lang), icon=":material/flag:"):
            ok, msg = data.write(collection.flag_answer, actor, label, institution_id, int(item), ind, comment,
                                 lang=lang)
            report(ok, msg)
    open_flags = flags[flags["resolved_at"].isna()] if len(flags) else flags
    for r in open_flags.itertuples(index=False):
        if st.button(t("form.review.resolve", lang, code=r.code, n="—" if pd.isna(r.indicator) else int(r.indicator)),
                     key=f"resolve-{r.flag_id}"):
            report(*data.write(collection.resolve_flag, actor, int(r.flag_id), lang=lang))

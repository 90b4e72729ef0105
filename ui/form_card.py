"""One service of the online form: its questions, live level and advice, saved as each answer changes.

The card is two fragments: the answers (with the level, the columns, the
corruption score and the advice, which follow them) and the comments and
evidence links. Answering a question reruns the first only, a comment the
second only; the page never reruns for an answer, and only one service's
widgets are ever drawn. Every widget saves in its ``on_change`` callback
straight to the store with the item version the card was drawn from; the card
then shows the item as the save read it back from the database, so what is
shown is what is stored. When someone else changed the same field in between,
the store refuses the save and the card says who changed it and when, keeping
the person's own entry on screen until they reload.
"""

from __future__ import annotations

import time

import pandas as pd
import streamlit as st

import scoring
from form.model import DraftItem
from form.questions import Questionnaire
from store import collection
from store.actors import PermissionDenied
from store.db import StoreBusy
from ui import data
from ui.i18n import t
from ui.safe import md
from ui.session import current_actor

YES, NO = 1, 0
FRESH, FRESH_SECONDS = "form-fresh", 3.0


def _keys(item_id: int, n: int) -> tuple[str, str, str]:
    return f"fa-{item_id}-{n}", f"fc-{item_id}-{n}", f"fe-{item_id}-{n}"


def _lang() -> str:
    return st.session_state.get("lang") or "az"


def _audience_key(item_id: int) -> str:
    # A chooser whose labels change with the language needs a key per language (see ui.choosers).
    return f"fpa-{item_id}-{_lang()}"


ANSWERS, NOTES = "a", "n"  # the card's two fragments


def _report(item_id: int, part: str, exc: Exception) -> None:
    """Keep a refused save's message for its fragment (a conflict also freezes its fields until reload)."""
    lang = _lang()
    if isinstance(exc, collection.EditConflict):
        st.session_state[f"fx-{item_id}-{part}"] = exc.message(lang)
    elif isinstance(exc, (collection.CollectionError, PermissionDenied, StoreBusy)):
        st.session_state[f"ferr-{item_id}-{part}"] = exc.message(lang)
    else:
        raise exc


def _save(item_id: int, call, part: str = ANSWERS, **kwargs) -> None:
    """Run one store write with the version the card showed; keep the item as stored for the fragment's rerun."""
    try:
        fresh = call(data.store(), current_actor(), item_id, version=st.session_state.get(f"fv-{item_id}"),
                     read_back=True, **kwargs)
    except Exception as exc:  # noqa: BLE001 - _report re-raises what it does not know
        _report(item_id, part, exc)
        return
    st.session_state[f"fv-{item_id}"] = fresh.version
    # Read in the write's own lease, so the fragment's rerun needs no second opening of the database.
    st.session_state[FRESH] = (time.monotonic(), fresh)
    st.session_state.pop(f"ferr-{item_id}-{part}", None)
    if _summary(fresh) != st.session_state.get(f"fsum-{item_id}"):
        # The service's state changed (carried → changed, done, not applicable): the page's list and
        # progress change too, so this one save reruns the whole page; other answers rerun the card only.
        st.session_state["form-refresh"] = True


def _summary(it: DraftItem) -> tuple:
    return it.state, it.done, it.not_applicable, it.withdrawn


def _fresh(item_id: int) -> DraftItem | None:
    """The item a callback of this very run saved and read back, if any (one slot, short-lived).

    Even a stale one could not overwrite anything: saves carry the version, and
    the store refuses a change made against an older one.
    """
    held = st.session_state.pop(FRESH, None)
    if held is None or time.monotonic() - held[0] > FRESH_SECONDS or held[1].item_id != item_id:
        return None
    return held[1]


def _on_answer(item_id: int, n: int, part: str) -> None:
    a, c, e = _keys(item_id, n)
    key = {"value": a, "comment": c, "evidence": e}[part]
    _save(item_id, collection.save_answer, ANSWERS if part == "value" else NOTES, indicator=n,
          **{part: st.session_state.get(key)})


def _on_confirm(item_id: int) -> None:
    _save(item_id, collection.confirm_item)


def _on_na(item_id: int) -> None:
    flag = bool(st.session_state.get(f"fna-{item_id}"))
    reason = st.session_state.get(f"fnr-{item_id}")
    if flag and not (reason and reason.strip()):
        st.session_state[f"fnap-{item_id}"] = True  # saved once the reason is written
        return
    st.session_state.pop(f"fnap-{item_id}", None)
    _save(item_id, collection.set_not_applicable, not_applicable=flag, reason=reason)


def _on_note(item_id: int) -> None:
    _save(item_id, collection.set_note, NOTES, note=st.session_state.get(f"fno-{item_id}"))


def _on_proposal(item_id: int, field: str) -> None:
    key = _audience_key(item_id) if field == "audience" else f"fp{field[0]}-{item_id}"
    value = st.session_state.get(key)
    _save(item_id, collection.edit_proposal, **{field: value})


def _on_withdraw(item_id: int) -> None:
    _save(item_id, collection.withdraw_proposal)
    st.session_state.pop("form-item", None)


def _on_reload(item_id: int, part: str) -> None:
    st.session_state.pop(f"fx-{item_id}-{part}", None)
    st.session_state.pop(f"ferr-{item_id}-{part}", None)


# Session keys of one item's card: its widgets and the card's own bookkeeping.
_PREFIXES = ("fa-", "fc-", "fe-", "fna-", "fnr-", "fno-", "fpc-", "fpn-", "fpa-", "fv-", "fsum-", "fx-", "ferr-",
             "fnap-")


def forget_other_cards(item_id: int) -> None:
    """Drop the session keys of every card but ``item_id``'s.

    Streamlit looks through all session keys for every widget it draws, so a
    respondent who went through sixty services would otherwise pay for sixty
    cards' keys on every answer. Nothing is lost: each card is filled from the
    database when it is drawn again.
    """
    ss = st.session_state
    mine = {f"{p}{item_id}" for p in _PREFIXES}
    for key in list(ss.keys()):
        if isinstance(key, str) and key.startswith(_PREFIXES) and not any(
                key == m or key.startswith(m + "-") for m in mine):
            del ss[key]


def _fill_widgets(it: DraftItem, part: str) -> None:
    """Put the stored values into one fragment's widgets (before they are drawn in this run)."""
    ss = st.session_state
    for j, (a, c, e) in enumerate(zip(it.answers, it.comments, it.evidence)):
        ka, kc, ke = _keys(it.item_id, j + 1)
        if part == ANSWERS:
            ss[ka] = a
        else:
            ss[kc], ss[ke] = c or "", e or ""
    if part == NOTES:
        ss[f"fno-{it.item_id}"] = it.note or ""
    else:
        pending = bool(ss.get(f"fnap-{it.item_id}"))  # switched on, reason not written yet
        ss[f"fna-{it.item_id}"] = it.not_applicable or pending
        ss[f"fnr-{it.item_id}"] = it.na_reason or ""
        if it.origin == "proposed":
            ss[f"fpc-{it.item_id}"], ss[f"fpn-{it.item_id}"] = it.code or "", it.name or ""
            ss[_audience_key(it.item_id)] = it.audience
    ss[f"fv-{it.item_id}"] = it.version


def results(it: DraftItem, q: Questionnaire, m: scoring.Methodology, lang: str) -> None:
    """Level, level columns, corruption score and what keeps the service from the next level, live."""
    answers = it.provisional()
    mat = scoring.maturity(answers, m)
    cor = scoring.corruption(answers, m)
    adv = scoring.next_level_advice(answers, m)
    missing = len(it.answers) - it.answered
    band = next((b.label.get(lang) for b in m.bands if b.id == cor.band), cor.band)
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(t("form.level", lang), mat.level, help=t("form.level.provisional", lang, n=missing) if missing else None,
              border=True)
    c2.metric(t("form.columns", lang), " ".join(str(c) for c in mat.columns), border=True)
    c3.metric(t("form.corruption", lang), f"{cor.score} · {band}", border=True)
    c4.metric(t("form.answered", lang), f"{it.answered}/{len(it.answers)}", border=True)
    if missing:
        st.caption(t("form.level.provisional", lang, n=missing))
    if adv.target is None:
        st.success(t("form.advice.top", lang), icon=":material/workspace_premium:")
        return
    names = {fq.number: fq.short_name(lang) for fq in q.questions}
    listed = "; ".join(f"{n}. {names.get(n, '')}" + (f" ({t('form.advice.mandatory', lang)})" if n in adv.mandatory
                                                     else "") for n in adv.suggested)
    st.info(t("form.advice", lang, target=adv.target, stage=q.stage(adv.target, lang), indicators=listed),
            icon=":material/trending_up:")


def _flags_for(flags: pd.DataFrame, item_id: int) -> dict[int | None, list[str]]:
    out: dict[int | None, list[str]] = {}
    if flags is None or flags.empty:
        return out
    for r in flags[flags["item_id"] == item_id].itertuples(index=False):
        key = None if pd.isna(r.indicator) else int(r.indicator)
        out.setdefault(key, []).append(f"{r.actor}: {r.comment}")
    return out


def _proposal_fields(it: DraftItem, lang: str, disabled: bool) -> None:
    c1, c2, c3 = st.columns([1, 3, 1])
    c1.text_input(t("form.propose.code", lang), key=f"fpc-{it.item_id}", max_chars=32, disabled=disabled,
                  on_change=_on_proposal, args=(it.item_id, "code"))
    c2.text_input(t("form.propose.name", lang), key=f"fpn-{it.item_id}", max_chars=300, disabled=disabled,
                  on_change=_on_proposal, args=(it.item_id, "name"))
    c3.selectbox(t("form.propose.audience", lang), [None, "citizen", "business"], key=_audience_key(it.item_id),
                 format_func=lambda a: "—" if a is None else t(f"audience.{a}", lang), disabled=disabled,
                 on_change=_on_proposal, args=(it.item_id, "audience"))
    if not disabled:
        st.button(t("form.propose.withdraw", lang), key=f"fpw-{it.item_id}", icon=":material/delete:",
                  on_click=_on_withdraw, args=(it.item_id,))


def _question(it: DraftItem, fq, q: Questionnaire, lang: str, disabled: bool, notes: list[str]) -> None:
    st.radio(f"**{fq.number}.** {md(fq.wording(lang))}", [YES, NO], key=_keys(it.item_id, fq.number)[0],
             horizontal=True, disabled=disabled, help=fq.help_text(lang, q.stages),
             format_func=lambda v: t("form.yes", lang) if v == YES else t("form.no", lang),
             on_change=_on_answer, args=(it.item_id, fq.number, "value"))
    for note in notes:
        st.warning(t("form.flag", lang, note=md(note)), icon=":material/flag:")


def _load(item_id: int, part: str, lang: str) -> DraftItem | None:
    """The item as stored: the one a save of this run read back, else read now; None after a message."""
    it = _fresh(item_id)
    if it is not None:
        return it
    try:
        return collection.item(data.store(), current_actor(), item_id)
    except LookupError:
        st.info(t("form.item_gone", lang))
    except (PermissionDenied, StoreBusy) as exc:
        st.error(exc.message(lang))
    return None


def _problems(item_id: int, part: str, lang: str) -> None:
    conflict = st.session_state.get(f"fx-{item_id}-{part}")
    if conflict:
        st.error(conflict, icon=":material/sync_problem:")
        st.button(t("form.reload", lang), key=f"frl-{item_id}-{part}", type="primary", icon=":material/refresh:",
                  on_click=_on_reload, args=(item_id, part))
    error = st.session_state.get(f"ferr-{item_id}-{part}")
    if error:
        st.error(error, icon=":material/error:")


def service_card(item_id: int, q: Questionnaire, m: scoring.Methodology, lang: str, editable: bool,
                 flags: pd.DataFrame | None) -> None:
    """The answers, then the comments and evidence, of one service (two fragments in one bordered card)."""
    with st.container(border=True):
        if answers_part(item_id, q, m, lang, editable, flags):
            notes_part(item_id, q, lang, editable)


@st.fragment
def answers_part(item_id: int, q: Questionnaire, m: scoring.Methodology, lang: str, editable: bool,
                 flags: pd.DataFrame | None) -> bool:
    """Head, state, "not applicable", live results and the questions by level; True when notes follow."""
    ss = st.session_state
    it = _load(item_id, ANSWERS, lang)
    if it is None:
        return False
    if ss.get(f"fx-{item_id}-{ANSWERS}") is None:
        _fill_widgets(it, ANSWERS)
    ss[f"fsum-{item_id}"] = _summary(it)
    if ss.pop("form-refresh", False):
        st.rerun(scope="app")
    disabled = not editable or it.withdrawn
    st.subheader(f"{md(it.code)} — {md(it.title(lang))}")
    meta = [t(f"form.state.{it.state}", lang, round=it.carried_from or "—")]
    if it.origin == "proposed":
        meta.append(t("form.origin.proposed", lang))
    if it.updated_by and it.version:
        from form.clock import local
        from ui.i18n import fmt_datetime

        meta.append(t("form.last_change", lang, who=md(it.updated_by), at=fmt_datetime(local(it.updated_at), lang)))
    st.caption(" · ".join(meta))
    _problems(item_id, ANSWERS, lang)
    if it.origin == "proposed":
        _proposal_fields(it, lang, disabled)
    if it.state == "carried" and editable:
        st.warning(t("form.carried.explain", lang, round=it.carried_from or "—"), icon=":material/history:")
        st.button(t("form.confirm", lang), key=f"fok-{item_id}", icon=":material/check_circle:",
                  on_click=_on_confirm, args=(item_id,))
    n1, n2 = st.columns([1, 3], vertical_alignment="bottom")
    n1.toggle(t("form.na", lang), key=f"fna-{item_id}", disabled=disabled, on_change=_on_na, args=(item_id,),
              help=t("form.na.help", lang))
    if ss.get(f"fna-{item_id}"):
        n2.text_input(t("form.na.reason", lang), key=f"fnr-{item_id}", max_chars=collection.MAX_TEXT,
                      disabled=disabled, on_change=_on_na, args=(item_id,))
        if not (ss.get(f"fnr-{item_id}") or "").strip():
            st.caption(t("form.na.reason_needed", lang))
    notes = _flags_for(flags, item_id)
    for note in notes.get(None, []):
        st.warning(t("form.flag", lang, note=md(note)), icon=":material/flag:")
    if it.not_applicable:
        st.info(t("form.na.shown", lang), icon=":material/block:")
        return False
    results(it, q, m, lang)
    for level, questions in q.groups():
        st.markdown(f"**{t('form.level_group', lang, level=level, stage=md(q.stage(level, lang)))}**")
        for fq in questions:
            _question(it, fq, q, lang, disabled, notes.get(fq.number, []))
    return True


@st.fragment
def notes_part(item_id: int, q: Questionnaire, lang: str, editable: bool) -> None:
    """Per question a comment and an evidence link, and a comment on the whole service."""
    it = _load(item_id, NOTES, lang)
    if it is None:
        return
    if st.session_state.get(f"fx-{item_id}-{NOTES}") is None:
        _fill_widgets(it, NOTES)
    disabled = not editable or it.withdrawn
    st.markdown(f"**{t('form.notes', lang)}**")
    st.caption(t("form.notes.caption", lang))
    _problems(item_id, NOTES, lang)
    h1, h2, h3 = st.columns([2, 3, 3])
    h1.caption(t("form.question", lang))
    h2.caption(t("form.comment", lang))
    h3.caption(t("form.evidence", lang))
    for fq in q.questions:
        _, kc, ke = _keys(item_id, fq.number)
        left, mid, right = st.columns([2, 3, 3], vertical_alignment="center")
        left.markdown(f"**{fq.number}.** {md(fq.short_name(lang))}")
        mid.text_input(t("form.comment", lang), key=kc, max_chars=collection.MAX_TEXT, disabled=disabled,
                       placeholder=t("form.comment.placeholder", lang), label_visibility="collapsed",
                       on_change=_on_answer, args=(item_id, fq.number, "comment"))
        right.text_input(t("form.evidence", lang), key=ke, max_chars=500, disabled=disabled,
                         placeholder=t("form.evidence.placeholder", lang), label_visibility="collapsed",
                         on_change=_on_answer, args=(item_id, fq.number, "evidence"))
    st.text_area(t("form.note", lang), key=f"fno-{item_id}", max_chars=collection.MAX_TEXT, disabled=disabled,
                 on_change=_on_note, args=(item_id,), height=80)

"""The online self-assessment form page: status, services, coverage, checks and submission, files, history.

``pages/form.py`` calls :func:`render`. The institution is the signed-in
respondent's own (an administrator picks one, to help on its behalf); no page
parameter or session value chooses another, and the store refuses it anyway.
Only one service's questions are drawn at a time (``ui.form_card``).
"""

from __future__ import annotations

import datetime as _dt

import pandas as pd
import streamlit as st

import scoring
from form import checks as form_checks
from form.clock import local
from form.model import Draft
from l10n import fmt_days, sort_key
from store import collection, queries
from store.actors import Actor, PermissionDenied
from store.db import StoreBusy
from ui import choosers, components, data
from ui.form_card import FRESH, forget_other_cards, service_card
from ui.grid import Col, describe
from ui.i18n import fmt_date, fmt_datetime, fmt_int, fmt_pct, t
from ui.safe import md
from ui.session import current_actor

SECTIONS = ("services", "coverage", "check", "files", "history")
FIELDS = ("state", "not_applicable", "na_reason", "note", "code", "name", "audience", "withdrawn", "proposed",
          "coverage_transferable", "coverage_provided", "coverage_state")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# -- notices in the sidebar (every page) -------------------------------------------------------

def sidebar_notices(actor: Actor, lang: str) -> None:
    """A respondent hears about a returned form, or a deadline coming, wherever it is in the app."""
    try:
        notes = collection.respondent_notices(data.store(), actor)
    except (StoreBusy, LookupError):
        return
    for n in notes:
        if n["kind"] == "returned":
            st.warning(t("form.notice.returned", lang, round=n["round"], by=md(n["by"] or "—"),
                         reason=md(n["reason"] or "—")), icon=":material/assignment_return:")
        elif n["days"] is not None and n["days"] < 0:
            st.error(t("form.notice.overdue", lang, round=n["round"], days=fmt_days(-n["days"], lang)),
                     icon=":material/alarm:")
        else:
            st.info(t("form.notice.due", lang, round=n["round"], days=fmt_days(n["days"], lang)),
                    icon=":material/event:")


# -- helpers -------------------------------------------------------------------------------------

def _attempt(fn, *args, lang: str, **kwargs):
    """Run a store call; (result, None) or (None, message in the user's language)."""
    try:
        return fn(data.store(), *args, **kwargs), None
    except (collection.CollectionError, PermissionDenied, StoreBusy) as exc:
        return None, exc.message(lang)
    except (ValueError, LookupError) as exc:
        return None, t("write.failed", lang, error=str(exc))


def _go(section: str, item_id: int | None = None) -> None:
    st.session_state["form-section"] = section
    if item_id is not None:
        st.session_state["form-item"] = int(item_id)


def _state_text(status: collection.FormStatus, lang: str) -> str:
    if status.state is None:
        return t("form.status.started" if status.started else "form.status.not_started", lang)
    return t(f"form.status.{status.state}", lang)


def status_banner(status: collection.FormStatus, lang: str, institution: str) -> None:
    cal = status.calendar
    days = status.days_left
    when = "—" if days is None else t("form.days_left" if days >= 0 else "form.days_past", lang,
                                      n=fmt_days(abs(days), lang))
    parts = [t("form.deadline", lang, date=fmt_date(cal.deadline, lang), when=when)]
    if cal.closes:
        parts.append(t("form.closes", lang, date=fmt_date(cal.closes, lang)))
    if cal.extended:
        parts.append(t("form.extended", lang, reason=md(cal.reason or "—")))
    st.markdown(f"**{md(institution)}** · {t('form.round', lang, round=status.round_label)} · "
                f"{_state_text(status, lang)}")
    st.caption(" · ".join(parts))
    if status.state == "returned":
        st.warning(t("form.returned", lang, by=md(status.state_by or "—"),
                     at=fmt_datetime(local(status.state_at), lang), reason=md(status.reason or "—")),
                   icon=":material/assignment_return:")
    elif status.state in ("submitted", "under_review"):
        st.info(t("form.submitted_readonly", lang, at=fmt_datetime(local(status.last_submitted), lang)),
                icon=":material/lock:")
    elif status.state == "approved":
        st.success(t("form.approved", lang, at=fmt_datetime(local(status.state_at), lang)), icon=":material/verified:")
    elif status.lock == "past_close":
        st.error(t("form.locked.past_close", lang, date=fmt_date(cal.closes, lang)), icon=":material/lock_clock:")
    elif status.lock == "round_closed":
        st.error(t("form.locked.round_closed", lang), icon=":material/lock:")
    if status.late is not None:
        st.caption(t("form.late" if status.late else "form.on_time", lang))


def _item_label(it, lang: str, flagged: bool = False) -> str:
    mark = "✔" if it.done else ("↺" if it.state == "carried" else "…")
    if it.not_applicable:
        mark = "—"
    return ("⚑ " if flagged else "") + f"{mark} {it.code} · {it.title(lang)}"


def flagged_services(flags: pd.DataFrame | None, lang: str) -> list[tuple[int, str]]:
    """(item id, button text) per service a reviewer flagged, in code order: ``22.1 · 7, 10``."""
    if flags is None or flags.empty:
        return []
    out = []
    for (item_id, code), group in flags.groupby(["item_id", "code"], sort=False):
        numbers = sorted({int(v) for v in group["indicator"].dropna()})
        parts = [", ".join(str(n) for n in numbers)] if numbers else []
        if group["indicator"].isna().any():
            parts.append(t("form.review.whole_service", lang))
        out.append((int(item_id), t("form.flags.open", lang, code=code, indicators="; ".join(parts))))
    return out


def flag_links(flags: pd.DataFrame | None, lang: str) -> None:
    """A returned form's flagged services, each a button that opens its card (with 60 services, no hunting)."""
    links = flagged_services(flags, lang)
    if not links:
        return
    st.warning(t("form.flags", lang, n=len(flags)), icon=":material/flag:")
    per_row = 4
    for start in range(0, len(links), per_row):
        cols = st.columns(per_row)
        for col, (item_id, text) in zip(cols, links[start:start + per_row]):
            col.button(text, key=f"fflag-{item_id}", icon=":material/flag:", width="stretch", on_click=_go,
                       args=("services", item_id))


def services_table(draft: Draft, m: scoring.Methodology, found: list, lang: str) -> pd.DataFrame:
    """One row per service: code, name, state, answers given, provisional level, open checks."""
    per_item: dict[int, list] = {}
    for c in found:
        if c.item_id is not None:
            per_item.setdefault(c.item_id, []).append(c)
    rows = []
    for it in draft.live_items:
        cs = per_item.get(it.item_id, [])
        errors = sum(c.blocking for c in cs)
        state = t("form.na.short", lang) if it.not_applicable else t(f"form.state.{it.state}", lang,
                                                                      round=it.carried_from or "—")
        if it.origin == "proposed":
            state += " · " + t("form.origin.proposed", lang)
        rows.append({
            t("col.code", lang): it.code, t("col.service", lang): it.title(lang),
            t("form.col.state", lang): state,
            t("form.answered", lang): f"{it.answered}/{len(it.answers)}",
            t("form.level", lang): None if it.not_applicable else scoring.maturity(it.provisional(), m).level,
            t("form.col.checks", lang): ("✖ " + str(errors) if errors else "") +
            (" ⚠ " + str(len(cs) - errors) if len(cs) - errors else ""),
        })
    out = pd.DataFrame(rows, columns=[t(c, lang) for c in ("col.code", "col.service", "form.col.state", "form.answered",
                                                           "form.level", "form.col.checks")])
    out[t("form.level", lang)] = out[t("form.level", lang)].astype("Int64")
    return describe(out, {t("col.code", lang): Col("text", pinned=True), t("form.level", lang): Col("int")})


# -- sections ------------------------------------------------------------------------------------

def _propose(label: str, iid: int, lang: str) -> None:
    with st.expander(t("form.propose", lang), icon=":material/add_circle:"):
        st.caption(t("form.propose.caption", lang))
        with st.form("form-propose", clear_on_submit=True):
            c1, c2, c3 = st.columns([1, 3, 1])
            code = c1.text_input(t("form.propose.code", lang), max_chars=32, key="fp-new-code")
            name = c2.text_input(t("form.propose.name", lang), max_chars=300, key="fp-new-name")
            audience = c3.selectbox(t("form.propose.audience", lang), [None, "citizen", "business"],
                                    key=f"fp-new-aud-{lang}",
                                    format_func=lambda a: "—" if a is None else t(f"audience.{a}", lang))
            if st.form_submit_button(t("form.propose.add", lang), type="primary"):
                item_id, err = _attempt(collection.propose_service, current_actor(), label, iid, code=code, name=name,
                                        audience=audience, lang=lang)
                if err:
                    st.error(err)
                else:
                    _go("services", item_id)
                    st.rerun()


def section_services(label: str, iid: int, draft: Draft, q, m, found: list, editable: bool, flags, lang: str) -> None:
    items = draft.live_items
    if not items:
        components.empty_state("form.no_services", lang)
    else:
        done = sum(it.done for it in items)
        st.progress(done / len(items), text=t("form.progress", lang, done=done, total=len(items)))
        with st.expander(t("form.overview", lang), expanded=False, icon=":material/list:"):
            components.table(services_table(draft, m, found, lang), lang, key="form-overview")
        ids = [it.item_id for it in items]
        if st.session_state.get("form-item") not in ids:
            st.session_state["form-item"] = ids[0]
        marked = set() if flags is None or flags.empty else set(flags["item_id"].astype(int))
        labels = {it.item_id: _item_label(it, lang, it.item_id in marked) for it in items}
        pick, prev, nxt = st.columns([6, 1, 1], vertical_alignment="bottom")
        choosers.selectbox(t("form.pick", lang), ids, key="form-item", lang=lang, format_func=lambda i: labels[i],
                           container=pick)
        pos = ids.index(st.session_state["form-item"])
        prev.button(t("form.previous", lang), key="form-prev", disabled=pos == 0, width="stretch",
                    on_click=_go, args=("services", ids[max(pos - 1, 0)]), icon=":material/arrow_back:")
        nxt.button(t("form.next", lang), key="form-next", disabled=pos == len(ids) - 1, width="stretch",
                   on_click=_go, args=("services", ids[min(pos + 1, len(ids) - 1)]), icon=":material/arrow_forward:")
        forget_other_cards(st.session_state["form-item"])
        service_card(st.session_state["form-item"], q, m, lang, editable, flags)
    if editable:
        _propose(label, iid, lang)


def _on_coverage(label: str, iid: int, field: str | None) -> None:
    lang = st.session_state.get("lang") or "az"
    kwargs = {"confirm": True} if field is None else {field: st.session_state.get(f"fcov-{field}")}
    try:
        version = collection.save_coverage(data.store(), current_actor(), label, iid,
                                           version=st.session_state.get("fcov-version"), **kwargs)
    except (collection.CollectionError, PermissionDenied, StoreBusy) as exc:
        st.session_state["fcov-error"] = exc.message(lang)
        return
    st.session_state["fcov-version"] = version
    st.session_state.pop("fcov-error", None)


def section_coverage(label: str, iid: int, draft: Draft, editable: bool, lang: str) -> None:
    st.caption(t("form.coverage.caption", lang))
    cov = draft.coverage
    ss = st.session_state
    error = ss.pop("fcov-error", None)
    if error:
        st.error(error)
    if cov is not None and not error:
        ss["fcov-transferable"], ss["fcov-provided"] = cov.transferable, cov.provided
        ss["fcov-version"] = cov.version
    c1, c2, c3 = st.columns(3)
    c1.number_input(t("form.coverage.transferable", lang), min_value=0, max_value=1_000_000, step=1,
                    key="fcov-transferable", disabled=not editable, on_change=_on_coverage,
                    args=(label, iid, "transferable"))
    c2.number_input(t("form.coverage.provided", lang), min_value=0, max_value=1_000_000, step=1, key="fcov-provided",
                    disabled=not editable, on_change=_on_coverage, args=(label, iid, "provided"))
    tr, pr = ss.get("fcov-transferable"), ss.get("fcov-provided")
    pct = scoring.coverage(tr, pr) if tr and pr is not None else None
    c3.metric(t("form.coverage.pct", lang), fmt_pct(pct, lang) if pct is not None else "—", border=True)
    if cov is not None and cov.state == "carried" and editable:
        st.warning(t("form.carried.coverage", lang, round=cov.carried_from or "—"), icon=":material/history:")
        st.button(t("form.confirm", lang), key="fcov-confirm", on_click=_on_coverage, args=(label, iid, None),
                  icon=":material/check_circle:")
    if tr is not None and pr is not None and pr > tr:
        st.error(t("form.check.coverage_provided_gt", lang, provided=pr, transferable=tr))


def _submit(label: str, iid: int, lang: str) -> None:
    result, err = _attempt(collection.submit, current_actor(), label, iid, lang=lang)
    if err:
        st.session_state["form-error"] = err
        return
    st.session_state["form-notice"] = t("form.submit.done", lang, round=label)
    data.clear()


def section_check(label: str, iid: int, status: collection.FormStatus, found: list, editable: bool,
                  lang: str) -> None:
    errors = [c for c in found if c.blocking]
    warnings = [c for c in found if not c.blocking]
    if errors:
        st.error(t("form.check.errors", lang, n=len(errors)), icon=":material/block:")
    else:
        st.success(t("form.check.clean", lang), icon=":material/task_alt:")
    for k, c in enumerate(errors + warnings):
        left, right = st.columns([5, 1], vertical_alignment="center")
        (left.error if c.blocking else left.warning)(c.message(lang))
        if c.item_id is not None:
            right.button(t("form.check.open", lang, code=c.params.get("code", "")), key=f"fgo-{k}", width="stretch",
                         on_click=_go, args=("services", c.item_id))
        elif c.code.startswith("coverage"):
            right.button(t("form.check.open_coverage", lang), key=f"fgo-{k}", width="stretch", on_click=_go,
                         args=("coverage",))
    st.divider()
    if not editable:
        return
    who = status.submitter
    if not status.may_submit:
        st.info(t("form.submit.only", lang, who=md(who or "—")), icon=":material/person:")
        return
    st.caption(t("form.submit.caption", lang))
    sure = st.checkbox(t("form.submit.declare", lang), key="form-declare")
    if st.button(t("form.submit", lang), type="primary", key="form-submit", disabled=bool(errors) or not sure,
                 icon=":material/send:"):
        _submit(label, iid, lang)
        st.rerun()


def section_files(label: str, iid: int, draft: Draft, q, m, status: collection.FormStatus, editable: bool,
                  lang: str) -> None:
    from form.printable import printable_form
    from form.workbook import prefilled_workbook
    from ingest.registry import Registry

    def workbook(tl: str):
        return lambda: prefilled_workbook(m, Registry.from_frames(*queries.registry_frames(data.store())), draft, tl)

    def printable(blank: bool):
        return lambda: printable_form(q, draft, lang, blank=blank, deadline=status.calendar.deadline,
                                      status=_state_text(status, lang),
                                      generated_at=local(_dt.datetime.now(_dt.UTC).replace(tzinfo=None)))

    st.subheader(t("form.files.print", lang))
    c1, c2 = st.columns(2)
    c1.download_button(t("form.files.blank", lang), printable(True), file_name=f"form-{label}-{iid}-blank.xlsx",
                       mime=XLSX, key="fdl-blank", on_click="ignore", icon=":material/print:", width="stretch")
    c2.download_button(t("form.files.filled", lang), printable(False), file_name=f"form-{label}-{iid}.xlsx",
                       mime=XLSX, key="fdl-filled", on_click="ignore", icon=":material/print:", width="stretch")
    st.subheader(t("form.files.workbook", lang))
    st.caption(t("form.files.workbook.caption", lang))
    c1, c2 = st.columns(2)
    for col, tl in zip((c1, c2), ("az", "en")):
        col.download_button(t("form.files.download", lang, lang=tl.upper()), workbook(tl),
                            file_name=f"self-{label}-{iid}-{tl}.xlsx", mime=XLSX, key=f"fdl-wb-{tl}",
                            on_click="ignore", icon=":material/download:", width="stretch")
    if not editable:
        return
    upload = st.file_uploader(t("form.files.upload", lang), type=["xlsx"], key="form-upload")
    if upload is None:
        st.session_state.pop("form-upload-plan", None)
        return
    if st.button(t("data.check", lang), key="form-upload-check", icon=":material/fact_check:"):
        from ingest.pipeline import read_file

        parsed, errors, warnings = read_file(data.store(), upload.name, upload.getvalue())
        plan, err = (None, None)
        if parsed is not None and not errors:
            plan, err = _attempt(collection.plan_upload, current_actor(), label, iid, parsed, lang=lang)
        st.session_state["form-upload-plan"] = (upload.name, upload.size, parsed if plan else None, plan, err,
                                                errors, warnings)
    held = st.session_state.get("form-upload-plan")
    if not held or held[0] != upload.name or held[1] != upload.size:
        return
    _, _, parsed, plan, err, errors, warnings = held
    if errors:
        from ingest.pipeline import issues_frame

        st.error(t("data.errors", lang, n=len(errors)))
        st.dataframe(issues_frame(errors, lang), hide_index=True, width="stretch")
    if err:
        st.error(err)
    for w in warnings:
        st.caption(f"• {md(w.message(lang))}")
    if plan is None:
        return
    st.info(t("form.files.plan", lang, updated=len(plan.updated), confirmed=len(plan.confirmed),
              unchanged=len(plan.unchanged), proposed=len(plan.proposed), missing=len(plan.not_in_file)))
    if plan.proposed:
        st.caption(t("form.files.plan.proposed", lang, codes=md(", ".join(plan.proposed))))
    if plan.not_in_file:
        st.caption(t("form.files.plan.missing", lang, codes=md(", ".join(plan.not_in_file))))
    if st.button(t("form.files.load", lang), type="primary", key="form-upload-load", icon=":material/upload:"):
        _, err = _attempt(collection.load_workbook, current_actor(), label, iid, parsed, lang=lang)
        st.session_state.pop("form-upload-plan", None)
        if err:
            st.session_state["form-error"] = err
        else:
            st.session_state["form-notice"] = t("form.files.loaded", lang, file=md(plan.file_name))
            _go("services")
        st.rerun()


def section_history(label: str, iid: int, q, lang: str) -> None:
    actor = current_actor()
    st.subheader(t("form.history.submissions", lang))
    subs, err = _attempt(collection.submissions, actor, iid, lang=lang)
    if err:
        st.error(err)
        return
    if subs.empty:
        st.caption(t("form.history.none", lang))
    else:
        shown = pd.DataFrame({
            t("col.round", lang): subs["round"],
            t("form.history.at", lang): [local(v) for v in subs["at"]],
            t("form.history.by", lang): subs["actor"],
            t("form.history.timeliness", lang): [t("form.late" if v else "form.on_time", lang) for v in subs["late"]],
            t("form.col.state", lang): [t(f"review.state.{s}", lang) if isinstance(s, str) else "—"
                                        for s in subs["state"]],
            t("form.history.reason", lang): subs["reason"].fillna(""),
        })
        components.table(describe(shown, {t("form.history.at", lang): Col("datetime")}), lang, key="form-subs")
        ids = subs["submission_id"].tolist()
        names = {i: f"{r} · {fmt_datetime(local(a), lang)}" for i, r, a in zip(ids, subs["round"], subs["at"])}
        pick = choosers.selectbox(t("form.history.pick", lang), ids, format_func=lambda i: names[i],
                                  key="form-sub-pick", lang=lang)
        snap, err = _attempt(collection.submission_snapshot, actor, int(pick), lang=lang)
        if snap is not None:
            svc = queries.services(data.store())
            english = dict(zip(svc["service_id"], svc["name_en"])) if lang == "en" else {}
            components.table(snapshot_table(snap, q, lang, english), lang, key="form-snapshot",
                             download=f"submission-{int(pick)}")
    st.subheader(t("form.history.changes", lang))
    log, err = _attempt(collection.change_log, actor, label, iid, lang=lang)
    if log is None or log.empty:
        st.caption(t("form.history.no_changes", lang))
        return
    shown = change_table(log, lang)
    components.table(shown.head(500), lang, key="form-changes")
    components.download_table(shown, f"changes-{label}-{iid}", lang, key="fdl-changes")


def snapshot_table(snap: dict, q, lang: str, english: dict | None = None) -> pd.DataFrame:
    """A submitted form as a table: one row per service, its answers as ✔/✖ per indicator.

    ``english`` maps service ids to registered English names (used on English pages)."""
    rows = []
    for it in snap.get("items", []):
        name = (english or {}).get(it.get("service_id"))
        row = {t("col.code", lang): it["code"],
               t("col.service", lang): name if isinstance(name, str) and name.strip() else it.get("name") or ""}
        if it.get("not_applicable"):
            row[t("form.col.state", lang)] = t("form.na.short", lang) + ": " + (it.get("na_reason") or "")
        for fq, a in zip(q.questions, it.get("answers", [])):
            row[str(fq.number)] = "✔" if a == 1 else ("✖" if a == 0 else "")
        rows.append(row)
    return pd.DataFrame(rows)


def change_table(log: pd.DataFrame, lang: str) -> pd.DataFrame:
    def field(f: str) -> str:
        base, _, part = str(f).partition(".")
        if base.startswith("q") and base[1:].isdigit():
            return t(f"form.field.{part or 'answer'}", lang, n=base[1:])
        key = str(f).replace(".", "_")
        return t(f"form.field.{key}", lang) if key in FIELDS else str(f)

    def value(v) -> str:
        if v is None or (isinstance(v, float) and pd.isna(v)):
            return "—"
        return {"1": t("form.yes", lang), "0": t("form.no", lang)}.get(str(v), str(v))

    return pd.DataFrame({
        t("form.history.at", lang): [fmt_datetime(local(v), lang) for v in log["at"]],
        t("form.history.by", lang): log["actor"],
        t("col.code", lang): log["code"].fillna(t("form.coverage", lang)),
        t("form.history.field", lang): [field(f) for f in log["field"]],
        t("form.history.old", lang): [value(v) for v in log["old"]],
        t("form.history.new", lang): [value(v) for v in log["new"]],
        t("form.history.via", lang): [t("form.via.form", lang) if v == "form" else str(v).replace("workbook:", "📄 ")
                                      for v in log["via"]],
    })


# -- the page ----------------------------------------------------------------------------------

@st.cache_resource(show_spinner=False, max_entries=32)
def frozen(path: str, label: str):
    """A collection round's questionnaire and methodology: both fixed once it opened, so cached by round."""
    store = data.store()
    return collection.questionnaire(store, label), queries.load_round_methodology(store, label)


def _institution(actor: Actor, label: str, lang: str) -> int | None:
    """The respondent's own institution; an administrator chooses one (to help it on its behalf)."""
    if actor.is_respondent:
        return actor.institution_id
    expected = collection.expected_services(data.store(), label)
    inst = queries.institutions(data.store()).set_index("institution_id")
    col = "name_az" if lang == "az" else "name_en"
    names = {i: str(inst.loc[i, col] if pd.notna(inst.loc[i, col]) else inst.loc[i, "name_az"])
             for i in set(expected["institution_id"].astype(int))}
    if not names:
        return None
    ids = sorted(names, key=lambda i: sort_key(names[i], lang))
    st.caption(t("form.admin_on_behalf", lang))
    return choosers.selectbox(t("col.institution", lang), ids, key="form-admin-inst", lang=lang,
                              format_func=names.__getitem__)


def render(lang: str) -> None:
    actor = current_actor()
    st.title(t("form.title", lang))
    if actor is None:
        st.stop()
    ss = st.session_state
    notice = ss.pop("form-notice", None)
    if notice:
        st.success(notice)
    error = ss.pop("form-error", None)
    if error:
        st.error(error)
    rounds = collection.collection_rounds(data.store())
    if rounds.empty:
        components.empty_state("form.no_rounds", lang)
        return
    labels = rounds["label"].tolist()
    open_labels = rounds.loc[rounds["status"] == "open", "label"].tolist()
    if ss.get("form-round") not in labels:
        ss["form-round"] = open_labels[0] if open_labels else labels[0]
    label = st.selectbox(t("form.round_pick", lang), labels, key="form-round")
    iid = _institution(actor, label, lang)
    if iid is None:
        components.empty_state("form.no_services", lang)
        return
    store = data.store()
    draft_, err = _attempt(collection.ensure_draft, actor, label, iid, lang=lang)
    if err:
        st.error(err)
        return
    status = collection.form_status(store, actor, label, iid)
    q, m = frozen(str(store.path), label)
    status_banner(status, lang, draft_.institution(lang))
    editable = status.editable
    flags = collection.returned_flags(store, actor, label, iid) if status.state == "returned" else None
    flag_links(flags, lang)
    found = form_checks.run_checks(draft_, m)
    if ss.get("form-section") not in SECTIONS:
        ss["form-section"] = "services"
    errors = sum(c.blocking for c in found)
    st.segmented_control(t("form.section", lang), SECTIONS, key="form-section", label_visibility="collapsed",
                         format_func=lambda s: t(f"form.section.{s}", lang) + (f" ({fmt_int(errors, lang)})"
                                                                                if s == "check" and errors else ""))
    section = ss.get("form-section") or "services"
    if section != "services":
        ss.pop(FRESH, None)
    if section == "services":
        section_services(label, iid, draft_, q, m, found, editable, flags, lang)
    elif section == "coverage":
        section_coverage(label, iid, draft_, editable, lang)
    elif section == "check":
        section_check(label, iid, status, found, editable, lang)
    elif section == "files":
        section_files(label, iid, draft_, q, m, status, editable, lang)
    else:
        section_history(label, iid, q, lang)

"""Data: templates to download, workbook upload with a check, preview and annotated copy, import, history, revert."""

import functools

import streamlit as st

from ui import choosers, components, data, tables, widgets
from ui.frame import context
from ui.i18n import t
from ui.safe import md
from ui.session import current_actor

ANNOTATE_EAGER_BYTES = 1_000_000  # smaller files get their annotated copy at once; bigger ones on request

ctx = context()
lang = ctx.lang
actor = current_actor()
is_admin = actor is not None and actor.can("admin")
st.title(t("data.title", lang))

st.subheader(t("data.templates", lang))
st.caption(t("data.templates.caption", lang))
cols = st.columns(3)
for col, kind in zip(cols, ("self", "infrastructure", "coverage")):
    with col:
        st.markdown(f"**{t(f'template.{kind}', lang)}**")
        for tl in ("az", "en"):
            st.download_button(
                t("data.template.download", lang, lang=tl.upper()),
                # Built on click: six templates of a large registry take seconds, most visits need none.
                data=functools.partial(data.template_bytes, ctx.key, kind, tl, ctx.round), on_click="ignore",
                file_name=f"{kind}-template-{tl}.xlsx",
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                key=f"tpl-{kind}-{tl}", width="stretch",
            )

st.subheader(t("data.upload", lang))
files = st.file_uploader(t("data.upload.label", lang), accept_multiple_files=True, key="uploads",
                         help=t("data.upload.help", lang))
o1, o2 = st.columns(2)
replace = o1.checkbox(t("data.replace", lang), key="opt-replace", help=t("data.replace.help", lang))
add_inst = o2.checkbox(t("data.add_institutions", lang), key="opt-add", help=t("data.add_institutions.help", lang))
unlock_reason = None
if is_admin:
    # Approved or published data changes only on an administrator's confirmation with a reason (audited).
    unlock = st.checkbox(t("intake.unlock.confirm", lang), key="opt-unlock", help=t("intake.unlock.help", lang))
    if unlock:
        unlock_reason = st.text_input(t("intake.unlock.reason", lang), key="opt-unlock-reason").strip() or None
        if unlock_reason is None:
            st.caption(t("intake.unlock.reason_needed", lang))
payload = [(f.name, f.getvalue()) for f in files or []]
if payload:
    data.prepare_reading()  # the reader's process warms up while the options are chosen
signature = (tuple((n, len(b)) for n, b in payload), replace, add_inst, unlock_reason, lang)
if st.session_state.get("plan-signature") != signature:
    for k in ("plan", "annotated", "previews"):
        st.session_state.pop(k, None)

if payload and st.button(t("data.check", lang), type="primary", key="btn-check"):
    with widgets.progress_bar(lang) as report:
        st.session_state["plan"] = data.run_import(payload, actor, dry_run=True, replace=replace,
                                                   add_institutions=add_inst, lang=lang, unlock_reason=unlock_reason,
                                                   report=report)
    st.session_state["plan-signature"] = signature

outcomes = st.session_state.get("plan")
if outcomes:
    by_name = dict(payload)
    annotated = st.session_state.setdefault("annotated", {})
    previews = st.session_state.setdefault("previews", {})
    for k, o in enumerate(outcomes):
        issues = bool(o.errors or o.warnings)
        raw = by_name.get(o.file_name, b"")
        # The annotated copy needs a workbook that opened (a refused container has nothing to mark).
        if issues and o.parsed is not None and o.file_name not in annotated and len(raw) <= ANNOTATE_EAGER_BYTES:
            annotated[o.file_name] = data.annotated_copy(raw, o, lang)
        if o.file_name not in previews:
            previews[o.file_name] = data.import_preview(o, lang) if o.plan is not None else None
        widgets.outcome_panel(o, lang, preview=previews[o.file_name], annotated=annotated.get(o.file_name), key=str(k))
        if issues and o.parsed is not None and o.file_name not in annotated:
            if st.button(t("intake.annotated.prepare", lang), key=f"btn-annotate-{k}"):
                annotated[o.file_name] = data.annotated_copy(raw, o, lang)
                st.rerun()
        elif issues and o.parsed is not None and annotated.get(o.file_name) is None:
            st.caption(t("intake.annotated.unavailable", lang))
        if o.lockable and not is_admin:
            st.info(t("intake.unlock.admin_only", lang))
        elif o.lockable:
            st.info(t("intake.unlock.hint", lang))
    importable = [o for o in outcomes if o.status in ("dry-run",)]
    if importable and st.button(t("data.confirm", lang, n=len(importable)), type="primary", key="btn-import"):
        with widgets.progress_bar(lang) as report:
            done = data.run_import([p for p in payload if p[0] in {o.file_name for o in importable}], actor,
                                   dry_run=False, replace=replace, add_institutions=add_inst, lang=lang,
                                   unlock_reason=unlock_reason, report=report)
        for key in ("plan", "annotated", "previews"):
            st.session_state.pop(key, None)
        st.session_state["import-result"] = [(o.file_name, o.status, o.import_id) for o in done]
        data.clear()
        st.rerun()

for name, status, import_id in st.session_state.pop("import-result", []):
    (st.success if status in ("imported", "unchanged") else st.warning)(
        t(f"data.result.{status}", lang, file=md(name), id=import_id or "—"))

st.subheader(t("data.history", lang))
history = data.import_history(ctx.key)
if history.empty:
    st.caption(t("data.history.none", lang))
else:
    locked = data.locked_imports(ctx.key)
    shown = tables.import_table(history, lang)
    components.table(shown, lang, key="imports", download="imports")
    standing = history[history["outcome"] == "imported"]
    if len(standing):
        labels = {int(r.import_id): f"#{int(r.import_id)} · {r.file_name} · {r.round if isinstance(r.round, str) else '—'}"
                  + (f" · 🔒 {t('intake.locked', lang)}" if int(r.import_id) in locked else "")
                  for r in standing.itertuples(index=False)}
        target = choosers.selectbox(t("data.revert.pick", lang), list(labels), key="revert-id", lang=lang,
                                    format_func=labels.get)
        is_locked = target in locked
        if is_locked:
            st.warning(t("intake.revert.locked_admin" if is_admin else "intake.revert.locked_expert", lang))
        reason = st.text_input(t("data.revert.reason", lang), key="revert-reason")
        confirm = st.checkbox(t("intake.revert.confirm", lang), key="revert-confirm") if is_locked and is_admin else False
        if st.button(t("data.revert", lang), key="btn-revert"):
            ok, message = data.revert(actor, int(target), reason, lang, unlock=confirm)
            (st.success if ok else st.error)(message)
            if ok:
                data.clear()

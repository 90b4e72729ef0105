"""Data: templates to download, workbook upload with a dry run, import, history and revert."""

import streamlit as st

from ui import components, data, tables, widgets
from ui.frame import context
from ui.i18n import t
from ui.safe import md
from ui.session import current_actor

ctx = context()
lang = ctx.lang
actor = current_actor()
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
                data=data.template_bytes(kind, tl, ctx.round),
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
payload = [(f.name, f.getvalue()) for f in files or []]
signature = (tuple((n, len(b)) for n, b in payload), replace, add_inst)
if st.session_state.get("plan-signature") != signature:
    st.session_state.pop("plan", None)

if payload and st.button(t("data.check", lang), type="primary", key="btn-check"):
    bar = st.progress(0.0, text=t("data.progress", lang))
    st.session_state["plan"] = data.run_import(payload, actor, dry_run=True, replace=replace, add_institutions=add_inst,
                                               lang=lang, progress=lambda i, n, _name: bar.progress(i / n, text=t("data.progress", lang)))
    st.session_state["plan-signature"] = signature
    bar.empty()

outcomes = st.session_state.get("plan")
if outcomes:
    for o in outcomes:
        widgets.outcome_panel(o, lang)
    importable = [o for o in outcomes if o.status in ("dry-run",)]
    if importable and st.button(t("data.confirm", lang, n=len(importable)), type="primary", key="btn-import"):
        done = data.run_import([p for p in payload if p[0] in {o.file_name for o in importable}], actor,
                               dry_run=False, replace=replace, add_institutions=add_inst, lang=lang)
        st.session_state.pop("plan", None)
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
    shown = tables.import_table(history, lang)
    components.table(shown, lang, key="imports", download="imports")
    revertible = history[history["outcome"] == "imported"]["import_id"].tolist()
    if revertible:
        with st.form("revert"):
            target = st.selectbox(t("data.revert.pick", lang), revertible, key=f"revert-id-{lang}",
                                  placeholder=t("widget.choose_one", lang))
            reason = st.text_input(t("data.revert.reason", lang), key="revert-reason")
            if st.form_submit_button(t("data.revert", lang)):
                ok, message = data.revert(actor, int(target), reason, lang)
                (st.success if ok else st.error)(message)
                if ok:
                    data.clear()

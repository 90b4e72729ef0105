"""Administration: rounds (open, close, reopen, methodology version, publish), institutions' short names,
methodology versions, roles."""

import pandas as pd
import streamlit as st

from store import accounts, methodologies, publication, rounds
from store.registry import add_alias, remove_alias
from ui import data, tables
from ui.frame import context
from ui.i18n import t
from ui.session import current_actor

ctx = context()
lang = ctx.lang
actor = current_actor()
st.title(t("admin.title", lang))
notice = st.session_state.pop("admin-notice", None)
if notice:
    st.success(notice)


def report(ok: bool, msg: str) -> None:
    if not ok:
        st.error(msg)
        return
    st.session_state["admin-notice"] = msg
    st.rerun()


tab_rounds, tab_inst, tab_method, tab_roles = st.tabs([
    t("admin.tab.rounds", lang), t("intake.admin.tab.institutions", lang), t("admin.tab.methodology", lang),
    t("admin.tab.roles", lang)])
versions = [m.id for m in data.methodology_versions(ctx.key)]
all_rounds = data.rounds(ctx.key)

with tab_rounds:
    if not all_rounds.empty:
        st.dataframe(tables.rounds_table(all_rounds, lang), hide_index=True, width="stretch")
    else:
        st.info(t("intake.admin.no_rounds", lang))
    # Rounds exist only when opened here (or with `cli.py round open`): imports never create one.
    with st.form("open-round", clear_on_submit=True):
        st.markdown(f"**{t('admin.open_round', lang)}**")
        f1, f2 = st.columns(2)
        label = f1.text_input(t("admin.round_label", lang), key="new-round")
        mid = f2.selectbox(t("methodology.version", lang), versions[::-1], key="new-round-method")
        d1, d2 = st.columns(2)
        deadline = d1.date_input(t("intake.admin.deadline", lang), value=None, key="new-round-deadline",
                                 help=t("intake.admin.deadline.help", lang))
        closes = d2.date_input(t("intake.admin.closes", lang), value=None, key="new-round-closes",
                               help=t("intake.admin.closes.help", lang))
        why = st.text_input(t("intake.admin.open_reason", lang), key="new-round-reason")
        if st.form_submit_button(t("admin.open", lang), type="primary"):
            report(*data.write(rounds.open_round, actor, label, mid, lang=lang, deadline=deadline, closes=closes,
                               reason=why.strip() or None))
    labels = all_rounds["label"].tolist()
    if labels:
        target = st.selectbox(t("frame.round", lang), labels[::-1], key="admin-round")
        row = all_rounds.set_index("label").loc[target]
        reason = st.text_input(t("review.reason", lang), key="admin-reason",
                               help=t("intake.admin.reason.help", lang))
        c1, c2, c3 = st.columns(3)
        verb = "admin.republish" if bool(row["published"]) else "admin.publish"
        if c1.button(t(verb, lang), type="primary", key="btn-publish"):
            report(*data.write(publication.publish, actor, target, reason or None, lang=lang))
        if bool(row["published"]) and c2.button(t("admin.unpublish", lang), key="btn-unpublish"):
            report(*data.write(publication.unpublish, actor, target, reason or None, lang=lang))
        status = "closed" if row["status"] == "open" else "open"
        if c3.button(t(f"admin.set_{status}", lang), key="btn-status"):
            report(*data.write(rounds.set_round_status, actor, target, status, reason or None, lang=lang))
        ov = data.review_overview(ctx.key, target)
        waiting = ov[ov["state"] != "approved"]
        if len(waiting):
            st.warning(t("admin.not_reviewed", lang, n=len(waiting), names=", ".join(waiting["name_az"].head(8))))
        if target in data.rounds_holding_data(ctx.key):
            st.caption(t("admin.version_fixed", lang, version=row["methodology_id"]))
        else:
            new_mid = st.selectbox(t("admin.change_version", lang), versions, key="admin-round-method",
                                   index=versions.index(row["methodology_id"]) if row["methodology_id"] in versions else 0)
            if st.button(t("admin.apply_version", lang), key="btn-version"):
                report(*data.write(methodologies.set_round_methodology, actor, target, new_mid, reason or None,
                                   lang=lang))
        pubs = data.publications(ctx.key, target)
        if len(pubs):
            st.caption(t("admin.publications", lang))
            st.dataframe(pubs, hide_index=True, width="stretch")

with tab_inst:
    # Abbreviations are never guessed by the importer: an alias is an administrator's statement of what one means.
    st.caption(t("intake.admin.aliases.caption", lang))
    aliases = data.institution_aliases(ctx.key)
    if len(aliases):
        st.dataframe(tables.aliases_table(aliases, lang), hide_index=True, width="stretch")
    inst = data.institutions(ctx.key)
    names = dict(zip(inst["institution_id"], inst["name_az" if lang == "az" else "name_en"].fillna(inst["name_az"])))
    with st.form("alias-add", clear_on_submit=True):
        st.markdown(f"**{t('intake.admin.alias.add', lang)}**")
        a1, a2 = st.columns([2, 1])
        owner = a1.selectbox(t("col.institution", lang), list(names), format_func=names.get, key="alias-inst")
        alias = a2.text_input(t("intake.admin.alias", lang), key="alias-text", placeholder="DİN")
        why = st.text_input(t("review.reason", lang), key="alias-reason")
        if st.form_submit_button(t("intake.admin.alias.save", lang)):
            report(*data.write(add_alias, actor, int(owner), alias, why.strip() or None, lang=lang))
    if len(aliases):
        with st.form("alias-remove"):
            gone = st.selectbox(t("intake.admin.alias.remove", lang), aliases["alias"].tolist(), key="alias-gone")
            why = st.text_input(t("review.reason", lang), key="alias-remove-reason")
            if st.form_submit_button(t("intake.admin.alias.remove_button", lang)):
                report(*data.write(remove_alias, actor, gone, why.strip() or None, lang=lang))

with tab_method:
    st.caption(t("admin.methodology.caption", lang))
    upload = st.file_uploader(t("admin.methodology.upload", lang), type=["yaml", "yml"], key="method-upload")
    if upload is not None:
        text = upload.getvalue().decode("utf-8", errors="replace")
        try:
            m, prev, diff = data.methodology_preview(text)
        except (ValueError, LookupError) as exc:
            st.error(t("admin.methodology.invalid", lang, error=str(exc)))
        else:
            st.success(t("admin.methodology.valid", lang, id=m.id, previous=prev or "—", n=len(diff)))
            if len(diff):
                st.dataframe(diff, hide_index=True, width="stretch")
            why = st.text_input(t("review.reason", lang), key="method-reason")
            if st.button(t("admin.methodology.add", lang, id=m.id), type="primary", key="btn-add-method"):
                report(*data.write(methodologies.add_methodology, actor, text, upload.name, why or None, lang=lang))

with tab_roles:
    st.caption(t("admin.roles.caption", lang))
    roles = data.roles_table(ctx.key)
    if len(roles):
        st.dataframe(roles, hide_index=True, width="stretch")
    with st.form("role"):
        email = st.text_input(t("admin.email", lang), key="role-email")
        role = st.selectbox(t("admin.role", lang), ["viewer", "expert", "admin", None], key="role-pick",
                            format_func=lambda r: t("admin.role.none", lang) if r is None else t(f"role.{r}", lang))
        why = st.text_input(t("review.reason", lang), key="role-reason")
        if st.form_submit_button(t("admin.role.save", lang)):
            report(*data.write(accounts.set_role, actor, email, role, None, why or None, lang=lang))
    local = pd.DataFrame(accounts.list_accounts(), columns=["username", "name", "role"])
    st.markdown(f"**{t('admin.local_accounts', lang)}**")
    st.dataframe(local, hide_index=True, width="stretch")
    st.caption(t("admin.local_accounts.caption", lang))

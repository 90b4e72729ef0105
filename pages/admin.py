"""Administration: rounds (open, methodology version, publish), collection, methodology versions, roles."""

import pandas as pd
import streamlit as st

from store import accounts, methodologies, publication, rounds
from ui import collection_admin, data
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


tab_rounds, tab_collect, tab_method, tab_roles = st.tabs([
    t("admin.tab.rounds", lang), t("collection.admin.tab", lang), t("admin.tab.methodology", lang),
    t("admin.tab.roles", lang)])
versions = [m.id for m in data.methodology_versions(ctx.key)]
all_rounds = data.rounds(ctx.key)

with tab_rounds:
    if not all_rounds.empty:
        st.dataframe(all_rounds[["label", "methodology_id", "status", "published", "published_at", "n_self", "n_expert"]],
                     hide_index=True, width="stretch")
    with st.form("open-round"):
        st.markdown(f"**{t('admin.open_round', lang)}**")
        label = st.text_input(t("admin.round_label", lang), key="new-round")
        mid = st.selectbox(t("methodology.version", lang), versions[::-1], key="new-round-method")
        d1, d2 = st.columns(2)
        deadline = d1.date_input(t("collection.deadline", lang), value=None, key="new-round-deadline",
                                 help=t("collection.deadline.help", lang))
        closes = d2.date_input(t("collection.closes", lang), value=None, key="new-round-closes")
        if st.form_submit_button(t("admin.open", lang)):
            report(*data.write(rounds.open_round, actor, label, mid, deadline=deadline, closes=closes, lang=lang))
    labels = all_rounds["label"].tolist()
    if labels:
        target = st.selectbox(t("frame.round", lang), labels[::-1], key="admin-round")
        row = all_rounds.set_index("label").loc[target]
        reason = st.text_input(t("review.reason", lang), key="admin-reason")
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

with tab_collect:
    collection_admin.render(actor, lang, report)

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
        role = st.selectbox(t("admin.role", lang), ["viewer", "respondent", "expert", "admin", None], key="role-pick",
                            format_func=lambda r: t("admin.role.none", lang) if r is None else t(f"role.{r}", lang))
        inst = data.institutions(ctx.key)
        names = dict(zip(inst["institution_id"].astype(int), inst["name_az"]))
        iid = st.selectbox(t("collection.admin.role_institution", lang), [None, *sorted(names, key=names.get)],
                           key="role-inst", format_func=lambda i: "—" if i is None else names[i])
        why = st.text_input(t("review.reason", lang), key="role-reason")
        if st.form_submit_button(t("admin.role.save", lang)):
            report(*data.write(accounts.set_role, actor, email, role, None, why or None,
                               institution_id=iid if role == "respondent" else None, lang=lang))
    local = pd.DataFrame(accounts.list_accounts(), columns=["username", "name", "role"])
    st.markdown(f"**{t('admin.local_accounts', lang)}**")
    st.dataframe(local, hide_index=True, width="stretch")
    st.caption(t("admin.local_accounts.caption", lang))

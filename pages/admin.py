"""Administration: rounds (open, close, reopen, methodology version, publish), institutions' short names,
online collection, methodology versions, roles."""

import streamlit as st

from l10n import sort_key
from store import accounts, methodologies, publication, rounds
from store.registry import add_alias, remove_alias
from ui import accounts_admin, admin_views, choosers, collection_admin, components, data
from ui.frame import context, round_chooser
from ui.i18n import t
from ui.safe import md
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


tab_rounds, tab_inst, tab_collect, tab_method, tab_roles = st.tabs([
    t("admin.tab.rounds", lang), t("intake.admin.tab.institutions", lang), t("collection.admin.tab", lang),
    t("admin.tab.methodology", lang),
    t("admin.tab.roles", lang)])
versions = [m.id for m in data.methodology_versions(ctx.key)]
all_rounds = data.rounds(ctx.key)

with tab_rounds:
    if not all_rounds.empty:
        components.table(admin_views.rounds_table(data.round_counts(ctx.key), lang), lang, key="admin-rounds", download="rounds")
    else:
        st.info(t("intake.admin.no_rounds", lang))
    # Rounds exist only when opened here (or with `cli.py round open`): imports never create one.
    with st.form("open-round", clear_on_submit=True):
        st.markdown(f"**{t('admin.open_round', lang)}**")
        f1, f2 = st.columns(2)
        label = f1.text_input(t("admin.round_label", lang), key="new-round")
        mid = f2.selectbox(t("methodology.version", lang), versions[::-1], key=f"new-round-method-{lang}")
        d1, d2 = st.columns(2)
        deadline = d1.date_input(t("intake.admin.deadline", lang), value=None, key="new-round-deadline",
                                 help=t("intake.admin.deadline.help", lang))
        closes = d2.date_input(t("intake.admin.closes", lang), value=None, key="new-round-closes",
                               help=t("intake.admin.closes.help", lang))
        why = st.text_input(t("intake.admin.open_reason", lang), key="new-round-reason")
        if st.form_submit_button(t("admin.open", lang), type="primary"):
            report(*data.write(rounds.open_round, actor, label, mid, lang=lang, deadline=deadline, closes=closes,
                               reason=why.strip() or None))
    if len(all_rounds):
        target = round_chooser(all_rounds, lang, key="admin-round", label=t("frame.round", lang), default=ctx.round)
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
            names = data.institution_names(ctx.key, waiting["institution_id"], lang)
            shown = ", ".join(md(n) for n in list(names.values())[:8]) + ("…" if len(names) > 8 else "")
            st.warning(t("admin.not_reviewed", lang, n=len(waiting), names=shown))
        if target in data.rounds_holding_data(ctx.key):
            st.caption(t("admin.version_fixed", lang, version=row["methodology_id"]))
        else:
            new_mid = choosers.selectbox(t("admin.change_version", lang), versions, key=f"admin-round-method-{target}",
                                         lang=lang, default=row["methodology_id"])
            if st.button(t("admin.apply_version", lang), key="btn-version"):
                report(*data.write(methodologies.set_round_methodology, actor, target, new_mid, reason or None,
                                   lang=lang))
        notes = data.notes_of(ctx.key, target)
        with st.expander(t("admin.note.title", lang), expanded=bool(len(notes))):
            components.round_notes(notes, lang)
            for note in notes.itertuples(index=False):
                if st.button(t("admin.note.remove", lang), key=f"btn-note-remove-{note.note_id}"):
                    report(*data.write(rounds.remove_round_note, actor, int(note.note_id), reason or None, lang=lang))
            with st.form(f"round-note-{target}"):
                kind = st.radio(t("admin.note.kind", lang), ["methodology", "general"], horizontal=True,
                                key=f"note-kind-{lang}", format_func=lambda k: t(f"admin.note.kind.{k}", lang))
                text_az = st.text_area(t("admin.note.text_az", lang), key="note-az")
                text_en = st.text_area(t("admin.note.text_en", lang), key="note-en")
                if st.form_submit_button(t("admin.note.add", lang)):
                    report(*data.write(rounds.add_round_note, actor, target, text_az, text_en or None, kind=kind,
                                       reason=reason or None, lang=lang))
        pubs = data.publications(ctx.key, target)
        if len(pubs):
            st.caption(t("admin.publications", lang))
            components.table(admin_views.publications_table(pubs, lang), lang, key="admin-publications",
                             download=f"publications-{target}")

with tab_inst:
    # Abbreviations are never guessed by the importer: an alias is an administrator's statement of what one means.
    st.caption(t("intake.admin.aliases.caption", lang))
    aliases = data.institution_aliases(ctx.key)
    if len(aliases):
        components.table(admin_views.aliases_table(aliases, lang), lang, key="admin-aliases", download="aliases")
    inst = data.institutions(ctx.key)
    names = dict(zip(inst["institution_id"], inst["name_az" if lang == "az" else "name_en"].fillna(inst["name_az"])))
    with st.form("alias-add", clear_on_submit=True):
        st.markdown(f"**{t('intake.admin.alias.add', lang)}**")
        a1, a2 = st.columns([2, 1])
        owner = a1.selectbox(t("col.institution", lang), sorted(names, key=lambda i: sort_key(names[i], lang)),
                             format_func=names.get, key="alias-inst")
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

with tab_collect:
    collection_admin.render(actor, lang, report)

with tab_method:
    st.caption(t("admin.methodology.caption", lang))
    upload = st.file_uploader(t("admin.methodology.upload", lang), type=["yaml", "yml"], key="method-upload")
    if upload is not None:
        text = upload.getvalue().decode("utf-8", errors="replace")
        try:
            m, prev, diff = data.methodology_preview(text, lang)
        except (ValueError, LookupError) as exc:
            st.error(t("admin.methodology.invalid", lang, error=md(data.error_text(exc, lang))))
        else:
            st.success(t("admin.methodology.valid", lang, id=md(m.id), previous=md(prev or "—"), n=len(diff)))
            if len(diff):
                components.table(admin_views.diff_table(diff, lang), lang, key="admin-diff",
                                 download=f"methodology-{prev}-{m.id}")
                st.caption(t("admin.diff.legend", lang))
            why = st.text_input(t("review.reason", lang), key="method-reason")
            if st.button(t("admin.methodology.add", lang, id=m.id), type="primary", key="btn-add-method"):
                report(*data.write(methodologies.add_methodology, actor, text, upload.name, why or None, lang=lang))

with tab_roles:
    st.caption(t("admin.roles.caption", lang))
    roles = data.roles_table(ctx.key)
    if len(roles):
        components.table(admin_views.roles_table(roles, lang), lang, key="admin-roles", download="roles")
    with st.form("role"):
        email = st.text_input(t("admin.email", lang), key="role-email")
        role = st.selectbox(t("admin.role", lang), ["viewer", "respondent", "expert", "admin", None],
                            key=f"role-pick-{lang}",
                            format_func=lambda r: t("admin.role.none", lang) if r is None else t(f"role.{r}", lang))
        names = data.institution_names(ctx.key, data.institutions(ctx.key)["institution_id"], lang)
        ordered = sorted(names, key=lambda i: sort_key(names[i], lang))
        iid = st.selectbox(t("collection.admin.role_institution", lang), [None, *ordered],
                           key=f"role-inst-{lang}", format_func=lambda i: "—" if i is None else names[i])
        why = st.text_input(t("review.reason", lang), key="role-reason")
        if st.form_submit_button(t("admin.role.save", lang)):
            if "@" not in (email or ""):
                st.error(t("admin.email.invalid", lang))
            else:
                report(*data.write(accounts.set_role, actor, email, role, None, why or None,
                                   institution_id=iid if role == "respondent" else None, lang=lang))
    accounts_admin.draw(actor, lang)

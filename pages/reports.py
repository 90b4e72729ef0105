"""Reports: build and download the round's PDF report, handout, deck, chart pack or results workbook.

The round and source come from the sidebar; the language, agenda, institutions
and format are chosen here. Visitors get the published snapshot of a
published round; signed-in users may take the current data instead (every
output then says "not published"). Experts also keep the presentation agendas
here: which slides and institutions, in which order, under a name.
"""

from urllib.parse import urlencode

import streamlit as st

from l10n import fmt_datetime, fmt_int, t
from report import FORMATS, MIME, TooLarge, agenda, file_name, render, slides
from store.agendas import delete_agenda, save_agenda
from ui import components, data, report_views
from ui.frame import round_page
from ui.safe import md
from ui.session import current_actor, has_role

ctx = round_page("reports.title")
lang = ctx.lang
st.caption(t("reports.caption", lang))
inst_names = report_views.institution_choices(ctx.key, ctx.round, ctx.source, lang)
if not inst_names:
    components.empty_state("empty.round", lang)
    st.stop()
inst_ids = list(inst_names)  # alphabetical in the page's language

# -- what to build ---------------------------------------------------------------------------------
left, right = st.columns([3, 2])
with left:
    fmt = st.radio(t("reports.format", lang), FORMATS, key="reports-format",
                   format_func=lambda f: t(f"reports.format.{f}", lang), captions=[
                       t(f"reports.format.{f}.help", lang) for f in FORMATS])
with right:
    out_lang = st.segmented_control(t("reports.language", lang), ["az", "en"], default=lang, key="reports-lang",
                                    format_func=lambda v: {"az": "Azərbaycanca", "en": "English"}[v]) or lang
    stored_names = report_views.agenda_names(ctx.key)
    chosen_agenda = st.selectbox(t("reports.agenda", lang), [None, *stored_names], key="reports-agenda",
                                 format_func=lambda n: t("reports.agenda.none", lang) if n is None else n)
    stored = report_views.stored_agenda(ctx.key, chosen_agenda)
    default_inst = [i for i in (stored or {}).get("institutions", []) if i in inst_names]
    picked = st.multiselect(t("reports.institutions", lang), inst_ids, default=default_inst, key="reports-inst",
                            format_func=lambda i: inst_names[i], placeholder=t("reports.institutions.all", lang))
    want_current = False
    if ctx.signed_in:
        want_current = st.toggle(t("reports.current", lang), key="reports-current",
                                 value=not report_views.round_published(ctx.key, ctx.round),
                                 help=t("reports.current.help", lang))
snap = report_views.snapshot(ctx.key, ctx.round, ctx.signed_in, want_current)
as_of = slides.stamp(report_views.data_as_of(ctx.key, ctx.round, snap), lang)
if snap == "current":
    st.warning(t("reports.not_published", lang) + " " + t("report.data_as_of", lang, time=as_of),
               icon=":material/warning:")
else:
    st.caption(t("reports.published_as_of", lang, time=as_of))
agenda_key = report_views.agenda_key(stored, picked or None)
present_query = {"round": ctx.round, "lang": out_lang, "slide": "1", "source": ctx.source}
if stored:
    present_query["agenda"] = stored["name"]
if snap == "current":
    present_query["data"] = "current"

if st.button(t("reports.build", lang), type="primary", icon=":material/build:", key="reports-build"):
    bar = st.progress(0.0, text=t("report.progress.reading", lang))

    def step(fraction: float, key: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0) * 0.5, text=t(key, lang))

    try:
        model = report_views.fresh_model(ctx.key, ctx.round, out_lang, ctx.source, snap, agenda_key,
                                         report_views.base_url(), progress=step)
        deck = slides.build(model)
        bar.progress(0.5, text=t("report.progress.rendering", lang))
        content = render(fmt, model, deck, store=data.store(),
                         progress=lambda f: bar.progress(0.5 + 0.5 * min(max(f, 0.0), 1.0),
                                                         text=t("report.progress.rendering", lang)))
    except TooLarge as exc:  # a whole country's round: one file per agenda instead
        bar.empty()
        st.warning(exc.message(lang), icon=":material/warning:")
    except Exception as exc:  # noqa: BLE001 - any failure becomes a message with a reference, never a crash
        bar.empty()
        components.friendly_error(exc, lang, "report build")
    else:
        bar.progress(1.0, text=t("report.progress.done", lang))
        st.session_state["reports-file"] = {"name": file_name(model, fmt), "data": content, "mime": MIME[fmt],
                                            "size": len(content), "at": fmt_datetime(slides.local_time(model.generated_at), lang)}
built = st.session_state.get("reports-file")
if built:
    st.download_button(t("reports.download", lang, name=built["name"]), built["data"], file_name=built["name"],
                       mime=built["mime"], icon=":material/download:", key="reports-download", on_click="ignore",
                       type="primary")
    st.caption(t("reports.built", lang, size=fmt_int(built["size"] / 1024, lang), at=built["at"]))

st.page_link("pages/present.py", label=t("reports.open_presentation", lang), icon=":material/slideshow:",
             query_params=present_query)

# -- agendas -----------------------------------------------------------------------------------------
st.subheader(t("reports.agendas", lang))
table = report_views.agenda_table(ctx.key)
if table.empty:
    st.caption(t("reports.agendas.none", lang))
else:
    st.dataframe(
        {t("reports.agenda.name", lang): table["name"].tolist(),
         t("reports.agenda.slides", lang): [", ".join(t(f"present.slide.{k}", lang) for k in s if k in agenda.SLIDE_KEYS)
                                            for s in table["slides"]],
         t("reports.agenda.institutions", lang): [fmt_int(len(i), lang) if i else t("reports.institutions.all", lang)
                                                  for i in table["institutions"]],
         t("reports.agenda.updated", lang): [f"{fmt_datetime(a, lang)} · {b}" for a, b in
                                             zip(table["updated_at"], table["updated_by"])]},
        hide_index=True, width="stretch")
    base = report_views.base_url()
    for n in table["name"]:
        st.caption(t("reports.agenda.link", lang, name=md(n)))
        st.code(f"{base}/present?{urlencode({'round': ctx.round, 'lang': lang, 'agenda': n, 'slide': 1})}",
                language=None)

if has_role("expert"):
    with st.expander(t("reports.agenda.edit", lang), icon=":material/edit_note:"):
        editing = st.selectbox(t("reports.agenda.start_from", lang), [None, *stored_names], key="agenda-from",
                               format_func=lambda n: t("reports.agenda.new", lang) if n is None else n)
        base_agenda = report_views.stored_agenda(ctx.key, editing)
        name = st.text_input(t("reports.agenda.name", lang), value=editing or "", key=f"agenda-name-{editing}",
                             max_chars=80)
        chosen_slides = st.multiselect(
            t("reports.agenda.slides", lang), list(agenda.SLIDE_KEYS), key=f"agenda-slides-{editing}",
            default=list(base_agenda["slides"]) if base_agenda else list(agenda.DEFAULT_SLIDES),
            format_func=lambda k: t(f"present.slide.{k}", lang), help=t("reports.agenda.order", lang))
        chosen_inst = st.multiselect(
            t("reports.agenda.institutions", lang), inst_ids, key=f"agenda-inst-{editing}",
            default=[i for i in (base_agenda or {}).get("institutions", []) if i in inst_names],
            format_func=lambda i: inst_names[i], placeholder=t("reports.institutions.all", lang),
            help=t("reports.agenda.order", lang))
        c1, c2 = st.columns(2)
        if c1.button(t("reports.agenda.save", lang), icon=":material/save:", key="agenda-save", type="primary"):
            ok, msg = data.write(save_agenda, current_actor(), name, chosen_slides, chosen_inst, lang=lang)
            (st.success if ok else st.error)(msg)
        if editing and c2.button(t("reports.agenda.delete", lang), icon=":material/delete:", key="agenda-delete"):
            ok, msg = data.write(delete_agenda, current_actor(), editing, lang=lang)
            (st.success if ok else st.error)(msg)

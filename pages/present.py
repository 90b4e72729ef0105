"""Presentation mode: the round's slides, one per screen, full screen, driven by buttons, keys or a clicker.

Deep link: ``/present?round=2024&lang=az&agenda=NAME&slide=3`` (slide 1-based,
clamped). Keys: → / PageDown next, ← / PageUp previous, Home first, End last,
Esc leaves. Visitors see published rounds only; signed-in users may add
``data=current`` to present the current, unpublished data (marked on every slide).
"""

import streamlit as st

from l10n import t
from report import html, slides
from ui import data, report_views
from ui.frame import LANGS, SOURCES, entered
from ui.session import current_actor

entered()
signed_in = current_actor() is not None
key = data.db_key()
qp = st.query_params

lang = qp.get("lang") if qp.get("lang") in LANGS else st.session_state.get("lang") or "az"
st.session_state["lang"] = lang
source = qp.get("source") if qp.get("source") in SOURCES else st.session_state.get("source") or "validated"
rounds = data.visible_rounds(key, signed_in)["label"].tolist()

st.html(report_views.CSS + """<style>
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stStatusWidget"] {
  display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: 100% !important; }
[data-testid="stMain"] { overflow: hidden !important; }
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: 0 !important; }
[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]:has(> [data-testid="stHtml"] > style) {
  display: none; }
.st-key-present-nav { position: fixed; right: 1.2vw; bottom: 1.1vh; z-index: 1000; width: auto !important;
  background: rgba(255, 255, 255, 0.94); border-radius: 8px; padding: 2px 6px; }
.st-key-present-keys { position: fixed; left: -10000px; top: 0; width: 1px; height: 1px; overflow: hidden; }
.st-key-present-nav p { margin: 0; font-size: 20px; font-variant-numeric: tabular-nums; }
</style>""")

if not rounds:
    st.html(f"<section class='egov-slide'><header><h1>{t('present.no_round', lang)}</h1></header></section>")
    st.stop()
label = qp.get("round") if qp.get("round") in rounds else rounds[-1]
want_current = qp.get("data") == "current"
snap = report_views.snapshot(key, label, signed_in, want_current)
stored = report_views.stored_agenda(key, qp.get("agenda"))
model = report_views.model(key, label, lang, source, snap, report_views.agenda_key(stored),
                           report_views.base_url())
pages = slides.paginate(slides.build(model))
total = len(pages)


def _index() -> int:
    raw = qp.get("slide", "1")
    try:
        n = int(raw)
    except (TypeError, ValueError):
        n = 1
    return min(max(n, 1), total)


def go(to: str) -> None:
    n = _index()
    n = {"next": n + 1, "previous": n - 1, "first": 1, "last": total}[to]
    st.query_params["slide"] = str(min(max(n, 1), total))


current = _index()
st.query_params.update({"round": label, "lang": lang, "slide": str(current)})
if stored:
    st.query_params["agenda"] = stored["name"]
s = pages[current - 1]
png = report_views.chart_png(s.chart, lang, html.chart_preset(s)) if s.chart is not None else None
st.html(html.slide_html(
    s, lang, footer=slides.footer(model, with_marks=False), counter=t("present.counter", lang, n=current, total=total),
    marks=slides.marks(model), badges=slides.badges(model), title=slides.slide_title(s, lang), chart_png=png, chart_scale=html.CHART_SCALE,
    qr_svg=report_views.qr(model.dashboard_url) if s.link else None))

with st.container(horizontal=True, key="present-nav", vertical_alignment="center", gap="small"):
    st.button("", icon=":material/first_page:", key="present-first", on_click=go, args=("first",),
              shortcut="Home", help=t("present.first", lang), disabled=current == 1)
    st.button("", icon=":material/chevron_left:", key="present-previous", on_click=go, args=("previous",),
              shortcut="Left", help=t("present.previous", lang), disabled=current == 1)
    st.markdown(t("present.counter", lang, n=current, total=total))
    st.button("", icon=":material/chevron_right:", key="present-next", on_click=go, args=("next",),
              shortcut="Right", help=t("present.next", lang), disabled=current == total, type="primary")
    st.button("", icon=":material/last_page:", key="present-last", on_click=go, args=("last",),
              shortcut="End", help=t("present.last", lang), disabled=current == total)
    if st.button("", icon=":material/close:", key="present-exit", shortcut="Escape", help=t("present.exit", lang)):
        st.switch_page("pages/overview.py", query_params={"round": label, "lang": lang, "source": source})
# Clickers send PageDown / PageUp: the same moves, on buttons kept off screen.
with st.container(key="present-keys"):
    st.button(t("present.next", lang), key="present-pagedown", on_click=go, args=("next",), shortcut="PageDown")
    st.button(t("present.previous", lang), key="present-pageup", on_click=go, args=("previous",), shortcut="PageUp")

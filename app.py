"""Entry point: navigation and the frame (language, round, source); nothing else."""

import logging

import streamlit as st

from ui import auth
from ui.frame import ENTRY_MARK, draw_frame, init_language
from ui.i18n import t
from ui.session import has_role, is_respondent

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
st.set_page_config(page_title="E-xidmətlər monitorinqi", page_icon=":material/monitoring:", layout="wide")

lang = init_language()
auth.restore_sso()


def page(path: str, key: str, icon: str, url: str, default: bool = False) -> st.Page:
    return st.Page(path, title=t(f"nav.{key}", lang), icon=icon, url_path=url, default=default)


# A respondent lands on its institution's form: a return and its reason are the first thing it sees.
respondent = is_respondent()
sections = {
    t("nav.section.results", lang): [
        page("pages/overview.py", "overview", ":material/dashboard:", "overview", default=not respondent),
        page("pages/board.py", "board", ":material/traffic:", "board"),
        page("pages/institution.py", "institution", ":material/account_balance:", "institution"),
        page("pages/service.py", "service", ":material/fact_check:", "service"),
        page("pages/infrastructure.py", "infrastructure", ":material/hub:", "infrastructure"),
    ],
    t("nav.section.compare", lang): [
        page("pages/eu.py", "eu", ":material/euro:", "eu"),
        page("pages/trends.py", "trends", ":material/trending_up:", "trends"),
        page("pages/portal.py", "portal", ":material/travel_explore:", "portal"),
    ],
    t("nav.section.about", lang): [
        page("pages/methodology.py", "methodology", ":material/menu_book:", "methodology"),
    ],
}
# Pages a role may not use are not registered at all (switch_page to them fails);
# the store still checks the role of every write.
work = []
form_page = None
if respondent or has_role("admin"):
    form_page = page("pages/form.py", "form", ":material/edit_note:", "form", default=respondent)
    work.append(form_page)
if has_role("expert"):
    work += [page("pages/data.py", "data", ":material/upload_file:", "data"),
             page("pages/review.py", "review", ":material/rate_review:", "review"),
             page("pages/tracker.py", "tracker", ":material/checklist:", "tracker")]
if has_role("viewer"):
    work += [page("pages/discrepancy.py", "discrepancy", ":material/difference:", "discrepancy"),
             page("pages/audit.py", "audit", ":material/history:", "audit")]
if work:
    sections[t("nav.section.work", lang)] = work
if has_role("admin"):
    sections[t("nav.section.admin", lang)] = [page("pages/admin.py", "admin", ":material/admin_panel_settings:", "admin")]

nav = st.navigation(sections)
st.session_state["_ctx"] = draw_frame()
# Just signed in, a respondent starts on its form, where a return and its reason are shown. After the
# frame, so that the sidebar's widgets (the language) were drawn in this run and keep their values.
if st.session_state.pop("auth-landing", False) and respondent and nav is not form_page:
    st.switch_page(form_page, query_params={"lang": st.session_state["_ctx"].lang})
auth.sidebar(st.session_state["_ctx"].lang)
st.session_state[ENTRY_MARK] = True  # the page checks that it was reached through this file
nav.run()

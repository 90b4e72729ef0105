"""Entry point: navigation and the frame (language, round, source); nothing else."""

import logging

import streamlit as st

from ui.frame import draw_frame, init_language
from ui.i18n import t
from ui.session import has_role

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
st.set_page_config(page_title="E-xidmətlər monitorinqi", page_icon=":material/monitoring:", layout="wide")

lang = init_language()


def page(path: str, key: str, icon: str, url: str, default: bool = False) -> st.Page:
    return st.Page(path, title=t(f"nav.{key}", lang), icon=icon, url_path=url, default=default)


sections = {
    t("nav.section.results", lang): [
        page("pages/overview.py", "overview", ":material/dashboard:", "overview", default=True),
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
if has_role("expert"):
    sections[t("nav.section.work", lang)] = [
        page("pages/data.py", "data", ":material/upload_file:", "data"),
    ]

nav = st.navigation(sections)
st.session_state["_ctx"] = draw_frame()
nav.run()

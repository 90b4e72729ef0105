"""Entry point: navigation and the frame (language, round, source); nothing else."""

import logging

import streamlit as st

from store.db import pinned
from ui import auth, chrome, presenting
from ui.frame import ENTRY_MARK, busy_guard, draw_frame, entered, init_language
from ui.i18n import t
from ui.session import current_actor, has_role, is_respondent

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
st.set_page_config(page_title="E-xidmətlər monitorinqi", page_icon=":material/monitoring:", layout="wide")

lang = init_language()
auth.restore_sso()
auth.refresh()  # the account is re-read on every rerun: a removed or demoted account loses its rights now


def page(path: str, key: str, icon: str, url: str, default: bool = False) -> st.Page:
    return st.Page(path, title=t(f"nav.{key}", lang), icon=icon, url_path=url, default=default)


def protected(path: str, key: str, icon: str, url: str, role: str, allowed: bool | None = None,
              default: bool = False) -> st.Page:
    """A page for ``role`` and above (or whom ``allowed`` says); anyone else who opens its link is asked to sign in.

    The prompt is registered under the same URL, hidden from the menu, so a link to
    ``/review`` never falls to Streamlit's English "Page not found", and signing in
    reruns the same URL into the real page. The store still checks the role of every write.
    """
    if has_role(role) if allowed is None else allowed:
        return page(path, key, icon, url, default=default)

    def sign_in_first() -> None:
        entered()  # takes the entry mark: a stray run of the real page file next cannot pass for a routed one
        st.title(t(f"nav.{key}", lang))
        actor = current_actor()
        if actor is None:
            st.info(t("auth.required", lang, role=t(f"role.{role}", lang)), icon=":material/lock:")
        else:
            st.warning(t("auth.role_too_low", lang, role=t(f"role.{actor.role}", lang),
                         needed=t(f"role.{role}", lang)), icon=":material/lock:")

    return st.Page(sign_in_first, title=t(f"nav.{key}", lang), icon=icon, url_path=url, visibility="hidden")


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
# Pages a role may not use are registered as a sign-in prompt (see protected()).
# The form is a respondent's (an administrator may help on an institution's behalf).
form_page = protected("pages/form.py", "form", ":material/edit_note:", "form", "respondent",
                      allowed=respondent or has_role("admin"), default=respondent)
work = [
    form_page,
    protected("pages/data.py", "data", ":material/upload_file:", "data", "expert"),
    protected("pages/review.py", "review", ":material/rate_review:", "review", "expert"),
    protected("pages/tracker.py", "tracker", ":material/checklist:", "tracker", "expert"),
    protected("pages/discrepancy.py", "discrepancy", ":material/difference:", "discrepancy", "viewer"),
    protected("pages/audit.py", "audit", ":material/history:", "audit", "viewer"),
]
sections[t("nav.section.work", lang)] = work
sections[t("nav.section.admin", lang)] = [
    protected("pages/admin.py", "admin", ":material/admin_panel_settings:", "admin", "admin"),
]

sections[t("nav.section.round_table", lang)] = [
    page("pages/present.py", "present", ":material/slideshow:", "present"),
    page("pages/reports.py", "reports", ":material/summarize:", "reports"),
]

# One rerun keeps its connection between the loaders' short leases (closed when the page is drawn).
with pinned():
    hidden = presenting.hide_menu()
    nav = st.navigation(sections, position="hidden" if hidden else "sidebar", expanded=True)
    if not presenting.settle(nav, hidden):  # the presentation is full screen: no frame, no sidebar
        st.session_state["_ctx"] = draw_frame()
        # Just signed in, a respondent starts on its form, where a return and its reason are shown. After
        # the frame, so that the sidebar's widgets (the language) were drawn in this run and keep their values.
        if st.session_state.pop("auth-landing", False) and respondent and nav is not form_page:
            st.switch_page(form_page, query_params={"lang": st.session_state["_ctx"].lang})
        auth.sidebar(st.session_state["_ctx"].lang)
        chrome.translate(st.session_state["_ctx"].lang)
    st.session_state[ENTRY_MARK] = True  # the page checks that it was reached through this file
    with busy_guard(lang):  # also when the presentation draws no frame
        nav.run()

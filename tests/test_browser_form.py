"""A respondent in a real Chromium: sign in, answer a question, reload the page, find the answer kept.

A reload starts a new Streamlit session (the sign-in is gone), so the answer
seen after signing in again can only come from the database.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from tests.browser_support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, ROOT, serve
from tests.browser_support import errors as _errors
from tests.browser_support import settle as _settle

pytestmark = pytest.mark.browser

CUSTOMS = "Dövlət Gömrük Komitəsi"
PASSWORD = "gizli-parol-456"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serve(tmp_path_factory) as url:
        deadline = (dt.date.today() + dt.timedelta(days=14)).isoformat()
        # The command line works beside the running app (no process holds the database).
        for args, stdin in ((["round", "open", "2025", "--deadline", deadline], None),
                            (["user", "add", "gunel", "--role", "respondent", "--institution", CUSTOMS, "--name",
                              "Günel Həsənova", "--password-stdin"], PASSWORD + "\n")):
            subprocess.run([sys.executable, "cli.py", "--db", str(url.db), *args], cwd=ROOT, env=url.env, check=True,
                           timeout=120, input=stdin, text=True)
        yield url


LABELS = {"en": ("User name", "Password", "Sign in"), "az": ("İstifadəçi adı", "Şifrə", "Daxil ol")}
TITLES = {"en": "Self-assessment form", "az": "Özünüqiymətləndirmə forması"}


def _sign_in(page, server, lang: str = "en", user: str = "gunel", password: str = PASSWORD,
             landing: str | None = "form") -> None:
    user_label, password_label, button = LABELS[lang]
    page.goto(f"{server}/?lang={lang}", wait_until="domcontentloaded", timeout=60_000)
    _settle(page)
    page.get_by_label(user_label).fill(user)
    page.get_by_label(password_label, exact=True).fill(password)
    page.wait_for_timeout(500)  # let the inputs reach the form before it is submitted
    page.get_by_role("button", name=button).click()
    if landing == "form":  # signing in reruns the app, which then moves a respondent to its form
        page.get_by_role("heading", name=TITLES[lang]).wait_for(timeout=60_000)
    _settle(page)


def _question(page, wording: str):
    return page.locator('[data-testid="stRadio"]').filter(has_text=wording)


def _stored_answer(server, number: int) -> int | None:
    from store import collection, queries
    from store.actors import Actor
    from store.db import Store

    with Store(server.db) as st:
        inst = queries.institutions(st).set_index("name_az")
        iid = int(inst.loc[CUSTOMS, "institution_id"])
        items = collection.draft(st, Actor.system("test"), "2025", iid).items
    return items[0].answers[number - 1] if items else None


def test_respondent_answer_survives_a_reload(server):
    from playwright.sync_api import sync_playwright

    from scoring import load_methodology

    wording = load_methodology("2013-osce").indicators[6].text.en  # question 7
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 2600})
            _sign_in(page, server)
            body = page.inner_text("body")
            assert "Self-assessment form" in body and "State Customs Committee" in body, "a respondent lands on its own form"
            before = _stored_answer(server, 7)
            target = "no" if before == 1 else "yes"
            _question(page, wording).get_by_text(target, exact=True).click()
            _settle(page)
            assert _stored_answer(server, 7) == (0 if target == "no" else 1), "saved at once, no save button"
            page.screenshot(path=str(ARTIFACTS / "en-form.png"), full_page=True)
            assert not _errors(page)

            page.reload(wait_until="domcontentloaded")
            _settle(page)
            assert "Self-assessment form" not in page.inner_text("body"), "a reload starts a new session"
            _sign_in(page, server)
            checked = _question(page, wording).locator("input[type=radio]:checked")
            assert checked.count() == 1
            label = _question(page, wording).locator("label").filter(has=page.locator("input:checked"))
            assert label.inner_text().strip() == target
            assert not _errors(page)
            # Switching the language redraws the card in Azerbaijani, the answers kept.
            page.locator('[data-testid="stSidebar"]').get_by_text("AZ · Azərbaycanca").click()
            page.get_by_role("heading", name=TITLES["az"]).wait_for(timeout=60_000)
            _settle(page)
            az_wording = load_methodology("2013-osce").indicators[6].text.az
            label = _question(page, az_wording).locator("label").filter(has=page.locator("input:checked"))
            assert label.inner_text().strip() == {"yes": "bəli", "no": "xeyr"}[target]
            main = page.inner_text('[data-testid="stMain"]')
            assert " yes" not in main and "Level 1" not in main, "no English left on the Azerbaijani form"
            # The checks before submitting link to the service each one is about.
            page.locator('[data-testid="stMain"]').get_by_text("Yoxlama və təqdim").first.click()
            _settle(page)
            page.screenshot(path=str(ARTIFACTS / "az-form-check.png"), full_page=True)
            opener = page.get_by_role("button", name="Aç: ")
            assert opener.count() > 0, "the carried-over services are listed with a link each"
            code = opener.first.inner_text().split(":", 1)[1].strip()
            opener.first.click()
            _settle(page)
            assert page.get_by_role("heading", name=f"{code} —").count() == 1
            assert not _errors(page)
            _sign_in(page, server, "az")
            assert "Özünüqiymətləndirmə forması" in page.inner_text("body")
            page.screenshot(path=str(ARTIFACTS / "az-form.png"), full_page=True)
            assert not _errors(page)
        finally:
            browser.close()


def test_expert_follows_the_collection_on_the_tracker(server):
    """After the respondent's draft, the tracker lists the institution as a draft and the rest as not started."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1800})
            _sign_in(page, server, user="ekspert", password="gizli-parol-123", landing=None)
            more = page.locator('[data-testid="stSidebarNavViewButton"]')
            if more.count():  # a long menu is folded: unfold it
                more.first.click()
                page.wait_for_timeout(500)
            page.locator('[data-testid="stSidebarNav"]').get_by_text("Collection tracker", exact=True).click()
            page.get_by_role("heading", name="Collection tracker").wait_for(timeout=60_000)
            _settle(page)
            page.screenshot(path=str(ARTIFACTS / "en-tracker.png"), full_page=True)
            body = page.inner_text("body")
            assert "Institutions expected" in body and "Reminder list" in body
            assert not _errors(page)
        finally:
            browser.close()

"""What Streamlit draws itself, in a real Chromium: every page in the reader's language.

AppTest (``tests/test_locale_pages.py``) sees what the script sends; this module reads the page as
drawn, after Streamlit's own components and ``ui.chrome`` have done their part: the uploader's texts,
a multiselect's "Select all", the sign-in prompt of a protected link, the Board at 1280×720, a language
switch. Screenshots of every page at 1280×720 go to ``tests/artifacts/locale-*.png``.
"""

from __future__ import annotations

import re

import pytest

from tests import locale_checks
from tests.browser_support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, PUBLIC_PAGES, serve
from tests.browser_support import errors as _errors
from tests.browser_support import settle as _settle

pytestmark = pytest.mark.browser
WORK_PAGES = ["data", "review", "discrepancy", "audit"]  # the expert account; admin: AppTest walk
PASSWORD = "gizli-parol-123"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serve(tmp_path_factory) as url:
        yield url


@pytest.fixture(scope="module")
def codes(server):
    from tests.test_locale_pages import codes as known

    return known(str(server.db))


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def _page(browser, width=1280, height=720):
    # An English browser: the reader's language must come from the app, not from the browser.
    return browser.new_page(viewport={"width": width, "height": height}, locale="en-US")


def _open(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded", timeout=60_000)
    _settle(page)
    _settle(page)  # a first visit reruns through app.py once


def _drawn_texts(page) -> list[str]:
    """The page as a reader sees it: visible text, placeholders and tooltips Streamlit put on its controls."""
    texts = page.inner_text("body").split("\n")
    texts += page.eval_on_selector_all(
        "[placeholder], [aria-label], [title]",
        "els => els.flatMap(e => ['placeholder', 'aria-label', 'title'].map(a => e.getAttribute(a)).filter(Boolean))")
    return [t for t in texts if t.strip()]


def _chooser_text(box) -> str:
    """What a selectbox shows: its text and the value of its input (where the chosen option is written)."""
    values = box.locator("input").evaluate_all("els => els.map(e => e.value + ' ' + (e.getAttribute('aria-label') || ''))")
    return (box.text_content() or "") + " " + " ".join(values)


def _sign_in(page, server, lang: str) -> None:
    _open(page, f"{server}/?lang={lang}")
    page.locator('[data-testid="stSidebar"] input[type="text"]').last.fill("ekspert")
    page.locator('[data-testid="stSidebar"] input[type="password"]').fill(PASSWORD)
    page.wait_for_timeout(500)
    page.locator('[data-testid="stFormSubmitButton"] button').click()
    _settle(page)


@pytest.mark.parametrize("lang", ["az", "en"])
def test_every_public_page_as_drawn_speaks_the_language(server, browser, codes, lang):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = _page(browser)
    problems: list[str] = []
    try:
        for name in PUBLIC_PAGES:
            _open(page, f"{server}/{'' if name == 'overview' else name}?lang={lang}")
            page.screenshot(path=str(ARTIFACTS / f"locale-{lang}-{name}-1280.png"))
            problems += [f"{name}: {p}" for p in locale_checks.problems(_drawn_texts(page), lang, codes)]
            problems += [f"{name}: {e}" for e in _errors(page)]
    finally:
        page.close()
    assert not problems, "\n".join(problems[:30])


def test_work_pages_and_streamlit_own_texts_in_azerbaijani(server, browser, codes):
    page = _page(browser)
    problems: list[str] = []
    try:
        _sign_in(page, server, "az")
        for name in WORK_PAGES:
            page.locator(f'[data-testid="stSidebarNav"] a[href*="/{name}"]').first.click()
            _settle(page)
            page.screenshot(path=str(ARTIFACTS / f"locale-az-{name}-1280.png"))
            problems += [f"{name}: {p}" for p in locale_checks.problems(_drawn_texts(page), "az", codes)]
            problems += [f"{name}: {e}" for e in _errors(page)]
            if name == "data":
                uploader = page.inner_text('[data-testid="stFileUploader"]')
                assert "Fayl seçin" in uploader and "Hər fayl ən çox" in uploader, uploader
            if name == "audit":
                page.locator('[data-testid="stMain"] [data-testid="stMultiSelect"]').first.click()
                page.wait_for_timeout(800)
                listing = page.inner_text("body")
                assert "Hamısını seç" in listing and "Select all" not in listing
                page.keyboard.press("Escape")
    finally:
        page.close()
    assert not problems, "\n".join(problems[:30])


@pytest.mark.parametrize("lang, words", [("az", "daxil olmaq lazımdır"), ("en", "needs you to sign in")])
def test_protected_link_signed_out_asks_to_sign_in(server, browser, lang, words):
    page = _page(browser)
    try:
        for url in ("review", "admin"):
            _open(page, f"{server}/{url}?lang={lang}")
            body = page.inner_text("body")
            assert words in body and "Page not found" not in body, body[:400]
            assert not page.query_selector('[role="dialog"]')
    finally:
        page.close()


def test_board_reads_at_a_glance_at_1280(server, browser):
    from ui.grid import spec_of
    from ui.tables import board_table

    page = _page(browser)
    try:
        _open(page, f"{server}/board?lang=az")
        page.screenshot(path=str(ARTIFACTS / "locale-az-board-1280x720.png"))
        grid = page.locator('[data-testid="stDataFrame"]').first.bounding_box()
        # The institution column (pinned) and the four lights must fit the grid's width without scrolling.
        import pandas as pd

        probe = board_table(pd.DataFrame({c: [] for c in (
            "institution_id", "name_az", "name_en", "kind", "services_transferable", "e_services_provided",
            "coverage_pct", "mean_level", "infrastructure_index", "mean_corruption", "mean_level_change",
            "coverage_pct_change", "coverage_light", "maturity_light", "infrastructure_light",
            "corruption_light")}), "az")
        spec = spec_of(probe)
        needed = 34 + sum(c.width for c in list(spec.values())[:5])  # row selector + institution + four lights
        assert grid and grid["x"] + needed <= 1280 and grid["width"] >= needed, (grid, needed)
        # Search ignores case and Azerbaijani letters.
        page.locator('[data-testid="stMain"] [data-testid="stTextInput"] input').first.fill("Sehiyye")
        page.keyboard.press("Enter")
        _settle(page)
        assert re.search(r"\d+ qurumdan 1 göstərilir", page.inner_text("body"))
        page.set_viewport_size({"width": 1920, "height": 1080})
        page.wait_for_timeout(1500)
        page.screenshot(path=str(ARTIFACTS / "locale-az-board-1920x1080.png"))
    finally:
        page.close()


def test_language_switch_redraws_choosers_and_keeps_the_choice(server, browser):
    page = _page(browser, 1280, 900)
    try:
        _open(page, f"{server}/board?lang=az")
        page.locator('[data-testid="stMain"] [data-testid="stMultiSelect"]').first.click()
        page.get_by_role("option", name="Mərkəzi").click()
        page.keyboard.press("Escape")
        _settle(page)
        page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').last.click()
        page.get_by_role("option", name="Orta səviyyə (yüksəkdən)").click()
        _settle(page)
        page.locator('[data-testid="stSidebar"]').get_by_text("Özünüqiymətləndirmə", exact=True).click()
        _settle(page)
        page.get_by_text("EN · English").click()
        _settle(page)
        page.screenshot(path=str(ARTIFACTS / "locale-switched-to-en.png"))
        main = page.inner_text('[data-testid="stMain"]')
        assert "Central" in main and "Mərkəzi" not in main
        sort = _chooser_text(page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').last)
        assert "Mean level (highest first)" in sort and "Orta səviyyə" not in main
        checked = page.locator('[data-testid="stSidebar"] input[type="radio"]:checked')
        assert checked.count() == 1
        assert "Self-assessment" in page.inner_text('[data-testid="stSidebar"] [data-testid="stRadio"]')
        sidebar = _chooser_text(page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first)
        assert "(illustrative)" in sidebar and "nümunə" not in sidebar, "the round chooser is redrawn too"
    finally:
        page.close()


def test_unknown_link_shows_a_notice_not_another_institution(server, browser):
    page = _page(browser)
    try:
        _open(page, f"{server}/institution?lang=en&id=99999")
        body = page.inner_text('[data-testid="stMain"]')
        assert "99999" in body and "Choose an institution" in body
        assert "Ministry of Taxes" not in body
    finally:
        page.close()

"""Real Chromium over the running app: an administrator checks a messy workbook and opens a round.

Screenshots go to tests/artifacts/ (``intake-*.png``): the checked file with
its preview, grouped messages and annotated-copy download; the
Administration page's round form.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.browser_support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, ROOT, serve
from tests.browser_support import errors as _errors
from tests.browser_support import settle as _settle

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serve(tmp_path_factory) as url:
        subprocess.run([sys.executable, "cli.py", "--db", str(url.db), "user", "add", "ana", "--role", "admin",
                        "--name", "Ana Admin", "--password-stdin"], cwd=ROOT, env=url.env, check=True, timeout=60,
                       input="gizli-parol-456\n", text=True)
        subprocess.run([sys.executable, "cli.py", "--db", str(url.db), "round", "open", "2025"], cwd=ROOT,
                       env=url.env, check=True, timeout=120)
        yield url


def _sign_in(page, server, lang: str) -> None:
    page.goto(f"{server}/?lang={lang}", wait_until="domcontentloaded")
    _settle(page)
    page.get_by_label("İstifadəçi adı" if lang == "az" else "User name").fill("ana")
    page.get_by_label("Şifrə" if lang == "az" else "Password", exact=True).fill("gizli-parol-456")
    page.wait_for_timeout(500)
    page.get_by_role("button", name="Daxil ol" if lang == "az" else "Sign in").click()
    _settle(page)


def _check_on_data_page(page, server, lang: str, workbook, option: str | None = None) -> None:
    """Signed in as the administrator: upload ``workbook`` on the Data page, tick ``option``, press Check."""
    _sign_in(page, server, lang)
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Məlumatlar" if lang == "az" else "Data",
                                                             exact=True).click()
    _settle(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(workbook))
    page.wait_for_timeout(1500)
    if option:
        page.get_by_text(option).click()
        _settle(page)
    page.get_by_role("button", name="Yoxla" if lang == "az" else "Check").click()
    _settle(page)


def test_messy_workbook_is_read_with_notes_and_an_annotated_copy(server, tmp_path):
    from playwright.sync_api import sync_playwright

    from tests.badfiles import EDECL, make_self_workbook, self_row

    workbook = tmp_path / "nazirlik-2025.xlsx"
    workbook.write_bytes(make_self_workbook(
        [self_row(institution="Sehiyye Nazirliyi", code="14.1", answers=["hə" if a else "yox" for a in EDECL]),
         self_row(code="7.2", answers=["bəli"] * 5 + ["xeyr"] * 12),
         self_row(code="7.4", answers=["✓", *EDECL[1:]])], meta={"round": "2025-ci il", "source": "self"}))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 2200})
            _check_on_data_page(page, server, "az", workbook)
            body = page.inner_text("body")
            page.screenshot(path=str(ARTIFACTS / "intake-az-data-refused.png"), full_page=True)
            assert "nazirlik-2025.xlsx" in body and "rədd edildi" in body
            assert "Qeydli nüsxəni yüklə" in body
            with page.expect_download() as got:
                page.get_by_role("button", name="Qeydli nüsxəni yüklə").click()
            path = tmp_path / "annotated.xlsx"
            got.value.save_as(path)
            import openpyxl

            book = openpyxl.load_workbook(path)
            assert book["Services"]["E4"].comment is not None and book.sheetnames[-1] == "Yoxlama"
            # An error inside the tables is the refusal itself: only those are expected on the page.
            unexpected = [e for e in _errors(page) if "xəta tapıldı" not in e]
            assert not unexpected, unexpected
        finally:
            browser.close()


def test_administration_page_opens_rounds(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1600})
            _sign_in(page, server, "en")
            more = page.locator('[data-testid="stSidebarNavViewButton"]')
            if more.count():  # the navigation folds its last entries away
                more.first.click()
                page.wait_for_timeout(500)
            page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Administration").click()
            _settle(page)
            label = page.get_by_label("Round label (e.g. 2025)")
            label.fill("2026")
            page.wait_for_timeout(300)
            # the page holds several forms (accounts too): submit the one that holds the round label
            page.get_by_test_id("stForm").filter(has=label).get_by_test_id("stBaseButton-primaryFormSubmit").click()
            _settle(page)
            page.screenshot(path=str(ARTIFACTS / "intake-en-admin-rounds.png"), full_page=True)
            assert "Saved and written to the audit trail" in page.inner_text("body")
            assert not _errors(page)
        finally:
            browser.close()
    from store import Store, queries

    with Store(server.db) as st:
        assert "2026" in set(queries.rounds(st)["label"])


def test_preview_shows_answers_levels_and_their_change(server, tmp_path):
    from playwright.sync_api import sync_playwright

    from tests.badfiles import EDECL, make_self_workbook, self_row

    stored = tmp_path / "stored.xlsx"
    stored.write_bytes(make_self_workbook([self_row(answers=EDECL)], meta={"round": "2025", "source": "self"}))
    subprocess.run([sys.executable, "cli.py", "--db", str(server.db), "import", str(stored)], cwd=ROOT,
                   env=server.env, check=True, timeout=120)
    workbook = tmp_path / "vergiler-2025.xlsx"
    workbook.write_bytes(make_self_workbook(
        [self_row(answers=["hə"] * 16 + ["yox"]),
         self_row(code="7.2", answers=["+"] * 2 + ["-"] * 15)], meta={"round": "2025", "source": "self"}))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 2000})
            _check_on_data_page(page, server, "en", workbook, option="Replace existing answers")
            page.get_by_text("Warnings (", exact=False).click()
            _settle(page)
            page.screenshot(path=str(ARTIFACTS / "intake-en-data-preview.png"), full_page=True)
            body = page.inner_text("body")
            assert "vergiler-2025.xlsx" in body and "ready to import" in body
            assert "Download the annotated copy" in body
            assert not _errors(page)
        finally:
            browser.close()

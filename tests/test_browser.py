"""One real Chromium session over the running app (Playwright with Debian's Chromium).

Starts ``streamlit run app.py`` on a free port with a fresh demo database,
visits every page in both languages, fails on any exception or error element,
and saves a screenshot of each page under ``tests/artifacts/``.
"""

from __future__ import annotations

import pytest

from tests.browser_support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, PUBLIC_PAGES, serve
from tests.browser_support import errors as _errors
from tests.browser_support import settle as _settle

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serve(tmp_path_factory) as url:
        yield url


def test_every_page_renders_without_error(server):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 2400})
            for lang in ("az", "en"):
                for name in PUBLIC_PAGES:
                    path = "" if name == "overview" else name  # the default page lives at the root
                    page.goto(f"{server}/{path}?lang={lang}", wait_until="domcontentloaded", timeout=60_000)
                    _settle(page)
                    page.screenshot(path=str(ARTIFACTS / f"{lang}-{name}.png"), full_page=True)
                    problems += [f"{lang}/{name}: {e}" for e in _errors(page)]
            # The entry file's navigation is in charge (translated titles), and an
            # institution's page names it for a visitor.
            page.goto(f"{server}/institution?lang=az&id={server.taxes_id}", wait_until="domcontentloaded")
            _settle(page)
            body = page.inner_text("body")
            assert "Svetofor lövhəsi" in body, "navigation titles come from app.py"
            assert "Vergilər Nazirliyi" in body
        finally:
            browser.close()
    assert not problems, "\n".join(problems)


def test_expert_signs_in_and_checks_a_workbook(server, tmp_path):
    """The sidebar form signs an expert in; the Data page then checks an uploaded workbook."""
    import subprocess
    import sys

    from playwright.sync_api import sync_playwright

    from tests.badfiles import make_self_workbook, self_row
    from tests.browser_support import ROOT

    # Rounds are opened by an administrator (here from the command line, beside the running app).
    subprocess.run([sys.executable, "cli.py", "--db", str(server.db), "round", "open", "2025"], cwd=ROOT,
                   env=server.env, check=True, timeout=120)
    workbook = tmp_path / "self-2025.xlsx"
    workbook.write_bytes(make_self_workbook([self_row()], meta={"round": "2025", "source": "self"}))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1800})
            page.goto(f"{server}/?lang=en", wait_until="domcontentloaded")
            _settle(page)
            page.get_by_label("User name").fill("ekspert")
            page.get_by_label("Password", exact=True).fill("gizli-parol-123")
            page.wait_for_timeout(500)  # let the inputs reach the form before it is submitted
            page.get_by_role("button", name="Sign in").click()
            _settle(page)
            assert "Signed in as" in page.inner_text("body")
            # A reload would start a new session: move within the app, as a person would.
            page.locator('[data-testid="stSidebarNav"]').get_by_text("Data", exact=True).click()
            _settle(page)
            page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(workbook))
            page.wait_for_timeout(1500)
            page.get_by_role("button", name="Check").click()
            _settle(page)
            page.screenshot(path=str(ARTIFACTS / "en-data-checked.png"), full_page=True)
            body = page.inner_text("body")
            assert "self-2025.xlsx" in body and "ready to import" in body
            assert not _errors(page)
        finally:
            browser.close()

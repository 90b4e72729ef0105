"""One real Chromium session over the running app (Playwright with Debian's Chromium).

Starts ``streamlit run app.py`` on a free port with a fresh demo database,
visits every page in both languages, fails on any exception or error element,
and saves a screenshot of each page under ``tests/artifacts/``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.browser

# url paths of the pages a visitor without an account sees (set in app.py).
PUBLIC_PAGES = ["overview", "board", "institution", "service", "infrastructure", "eu", "trends", "portal", "methodology"]
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


class ServerUrl(str):
    """The app's base URL, carrying a few facts of its demo database."""

    taxes_id: int = 0


def _institution_id(db: Path, name_az: str) -> int:
    from store.db import Store
    from store.queries import institutions

    with Store(db) as st:
        inst = institutions(st)
    return int(inst.loc[inst["name_az"] == name_az, "institution_id"].iloc[0])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError("streamlit did not become healthy")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: `make test` installs Debian's chromium package")
    folder = tmp_path_factory.mktemp("browser")
    db = folder / "demo.duckdb"
    secrets = folder / "secrets.toml"
    env = dict(os.environ, EGOV_DB=str(db), EGOV_SECRETS=str(secrets), PYTHONUNBUFFERED="1")
    subprocess.run([sys.executable, "cli.py", "--db", str(db), "demo"], cwd=ROOT, env=env, check=True, timeout=300)
    subprocess.run([sys.executable, "cli.py", "--db", str(db), "user", "add", "ekspert", "--role", "expert",
                    "--name", "Test Ekspert", "--password-stdin"], cwd=ROOT, env=env, check=True, timeout=60,
                   input="gizli-parol-123\n", text=True)
    port = _free_port()
    log = open(tmp_path_factory.mktemp("log") / "streamlit.log", "w+")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = ServerUrl(f"http://127.0.0.1:{port}")
    url.taxes_id = _institution_id(db, "Vergilər Nazirliyi")
    try:
        _wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.seek(0)
        text = log.read()
        log.close()
        if "Traceback" in text:
            print(text[-5000:])


def _settle(page) -> None:
    """Wait until the script has finished running and the page is drawn."""
    page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=60_000)
    page.wait_for_timeout(800)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        running = page.query_selector('[data-testid="stStatusWidget"]')
        skeleton = page.query_selector('[data-testid="stSkeleton"]')
        if not running and not skeleton:
            break
        page.wait_for_timeout(300)
    page.wait_for_timeout(1500)  # charts are drawn after the script ends


def _errors(page) -> list[str]:
    found = [f"dialog: {d.inner_text()[:200]}" for d in page.query_selector_all('[role="dialog"]')]
    for sel in ('[data-testid="stException"]', '[data-testid="stAlertContentError"]'):
        for el in page.query_selector_all(sel):
            found.append(f"{sel}: {el.inner_text()[:300]}")
    return found


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
    from playwright.sync_api import sync_playwright

    from tests.badfiles import make_self_workbook, self_row

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

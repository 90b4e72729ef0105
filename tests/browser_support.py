"""Shared machinery of the real-browser tests: a served app on a fresh demo database, Chromium, settling.

Each browser test module imports what it needs from here and declares its own
``server`` fixture with :func:`serve` (module scope), so areas can add browser
tests in files of their own.
"""

from __future__ import annotations

import contextlib
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

# url paths of the pages a visitor without an account sees (set in app.py).
PUBLIC_PAGES = ["overview", "board", "institution", "service", "infrastructure", "eu", "trends", "portal", "methodology"]
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


class ServerUrl(str):
    """The app's base URL, carrying a few facts of its demo database (and the database path and environment)."""

    taxes_id: int = 0
    db: Path
    env: dict
    proc: subprocess.Popen
    log: Path


def institution_id(db: Path, name_az: str) -> int:
    from store.db import Store
    from store.queries import institutions

    with Store(db) as st:
        inst = institutions(st)
    return int(inst.loc[inst["name_az"] == name_az, "institution_id"].iloc[0])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 90) -> None:
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


def demo_folder(tmp_path_factory) -> tuple[Path, dict]:
    """A fresh demo database with an ``ekspert`` account; returns (database, environment for the app and CLI)."""
    folder = tmp_path_factory.mktemp("browser")
    db = folder / "demo.duckdb"
    secrets = folder / "secrets.toml"
    env = dict(os.environ, EGOV_DB=str(db), EGOV_SECRETS=str(secrets), PYTHONUNBUFFERED="1")
    subprocess.run([sys.executable, "cli.py", "--db", str(db), "demo"], cwd=ROOT, env=env, check=True, timeout=300)
    subprocess.run([sys.executable, "cli.py", "--db", str(db), "user", "add", "ekspert", "--role", "expert",
                    "--name", "Test Ekspert", "--password-stdin"], cwd=ROOT, env=env, check=True, timeout=60,
                   input="gizli-parol-123\n", text=True)
    return db, env


@contextlib.contextmanager
def run_app(db: Path, env: dict, log_path: Path):
    """``streamlit run app.py`` on a free port over ``db``; yields its :class:`ServerUrl` (``.proc``, ``.log``)."""
    port = free_port()
    log = open(log_path, "w+")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = ServerUrl(f"http://127.0.0.1:{port}")
    url.db, url.env, url.proc, url.log = db, env, proc, log_path
    try:
        wait_healthy(url, proc)
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


@contextlib.contextmanager
def serve(tmp_path_factory, extra_env: dict | None = None):
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: `make test` installs Debian's chromium package")
    db, env = demo_folder(tmp_path_factory)
    env.update(extra_env or {})
    with run_app(db, env, tmp_path_factory.mktemp("log") / "streamlit.log") as url:
        url.taxes_id = institution_id(db, "Vergilər Nazirliyi")
        yield url


def settle(page) -> None:
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


def errors(page) -> list[str]:
    found = [f"dialog: {d.inner_text()[:200]}" for d in page.query_selector_all('[role="dialog"]')]
    for sel in ('[data-testid="stException"]', '[data-testid="stAlertContentError"]'):
        for el in page.query_selector_all(sel):
            found.append(f"{sel}: {el.inner_text()[:300]}")
    return found



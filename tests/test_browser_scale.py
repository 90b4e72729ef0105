"""A real Chromium over the app serving a synthetic country (``cli.py synth``): pages at scale draw without error.

A small country (a few hundred services over three rounds) is enough to
exercise what size changes: the board of every body, the service page's
two-step choice (an institution, then its services) and a deep link to one
service, the trends over every round. Screenshots go to ``tests/artifacts``.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.browser_support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, ROOT, errors, run_app, settle

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is not installed: `make test` installs Debian's chromium package")
    folder = tmp_path_factory.mktemp("scale")
    db = folder / "synth.duckdb"
    env = dict(os.environ, EGOV_DB=str(db), EGOV_SECRETS=str(folder / "secrets.toml"), PYTHONUNBUFFERED="1")
    subprocess.run([sys.executable, "cli.py", "synth", "--institutions", "60", "--services-per-institution", "8",
                    "--rounds", "3", "--db", str(db)], cwd=ROOT, env=env, check=True, timeout=300,
                   stdout=subprocess.DEVNULL)
    log = folder / "streamlit.log"
    with run_app(db, env, log) as url:
        yield url, db
    text = log.read_text()
    assert "Traceback" not in text and "ArrowInvalid" not in text, text[-3000:]


def test_pages_at_scale_draw_and_a_service_link_opens_its_institution(server):
    from playwright.sync_api import sync_playwright

    from store import queries
    from store.db import Store

    url, db = server
    with Store(db) as st:
        svc = queries.services(st)
    target = svc.iloc[len(svc) // 2]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    problems = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1800})
            for name in ("board", "trends", "institution", "eu"):
                page.goto(f"{url}/{name}?lang=en", wait_until="domcontentloaded", timeout=60_000)
                settle(page)
                page.screenshot(path=str(ARTIFACTS / f"scale-{name}.png"), full_page=True)
                problems += [f"{name}: {e}" for e in errors(page)]
            page.goto(f"{url}/service?lang=en&id={int(target['service_id'])}", wait_until="domcontentloaded")
            settle(page)
            page.screenshot(path=str(ARTIFACTS / "scale-service.png"), full_page=True)
            problems += [f"service: {e}" for e in errors(page)]
            def shown(key: str) -> str:  # a selectbox shows its choice in its input, or as text beside it
                # the widget's key carries the language (ui.choosers.widget_key); its class name follows it
                box = page.locator(f'[class*="st-key-{key}"]').first
                inputs = box.locator("input")
                return box.inner_text() + " " + (inputs.first.input_value() if inputs.count() else "")

            assert str(target["institution_en"]) in shown("service-inst"), "the link chose the service's institution"
            assert f"{target['code']} ·" in shown("service-pick"), "and the service itself"
        finally:
            browser.close()
    assert not problems, "\n".join(problems)

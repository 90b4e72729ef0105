"""Browser sessions that keep reading the app: load for the multi-process tests and ``make soak``.

    python -m tests.browser_load --url http://127.0.0.1:8501 --sessions 20 --seconds 120 --out load.json

Starts one headless Chromium with ``--sessions`` independent contexts (each a
Streamlit session of its own) that visit the public pages in turn, in both
languages, until ``--seconds`` pass or the ``--stop`` file appears. Each visit
waits for the script to finish and counts: pages drawn, error elements or
exceptions shown (with their text), "busy, try again" notices, and the time
to a settled page. The summary is printed and written as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, PUBLIC_PAGES  # noqa: E402

BUSY_MARKS = ("try again", "yenidən cəhd")


async def _settled(page, timeout: float = 90.0) -> None:
    await page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=timeout * 1000)
    await page.wait_for_timeout(400)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        running = await page.query_selector('[data-testid="stStatusWidget"]')
        if not running:
            return
        await page.wait_for_timeout(200)
    raise TimeoutError("the page did not settle")


async def _problems(page) -> tuple[list[str], bool]:
    found, busy = [], False
    for sel in ('[data-testid="stException"]', '[data-testid="stAlertContentError"]',
                '[data-testid="stAlertContentWarning"]'):
        for el in await page.query_selector_all(sel):
            text = (await el.inner_text())[:300]
            if any(m in text for m in BUSY_MARKS):
                busy = True
            elif "Warning" not in sel:
                found.append(text)
    return found, busy


async def _session(k: int, browser, urls: list[str], until: float, stop: Path | None, stats: dict) -> None:
    rng = random.Random(k)
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    try:
        while time.monotonic() < until and not (stop and stop.exists()):
            url = urls[k % len(urls)]
            name = rng.choice(PUBLIC_PAGES)
            path = "" if name == "overview" else name
            t0, t0_wall = time.monotonic(), time.time()
            try:
                await page.goto(f"{url}/{path}?lang={rng.choice(['az', 'en'])}", wait_until="domcontentloaded",
                                timeout=90_000)
                await _settled(page)
                problems, busy = await _problems(page)
            except Exception as exc:  # noqa: BLE001 - a failed visit is counted, not fatal
                stats["failed"].append(f"{name}: {type(exc).__name__}: {str(exc)[:200]}")
                stats["failed_at"].append((t0_wall, time.time()))
                await asyncio.sleep(1)
                continue
            stats["seconds"].append(time.monotonic() - t0)
            stats["pages"] += 1
            stats["busy"] += int(busy)
            stats["errors"] += [f"{name}: {p}" for p in problems]
    finally:
        await context.close()


async def run(urls: list[str], sessions: int, seconds: float, stop: Path | None = None) -> dict:
    from playwright.async_api import async_playwright

    stats: dict = {"pages": 0, "busy": 0, "errors": [], "failed": [], "failed_at": [], "seconds": []}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            until = time.monotonic() + seconds
            await asyncio.gather(*[_session(k, browser, urls, until, stop, stats) for k in range(sessions)])
        finally:
            await browser.close()
    times = sorted(stats.pop("seconds"))
    stats["sessions"] = sessions
    stats["median_s"] = round(statistics.median(times), 2) if times else None
    stats["p95_s"] = round(times[int(0.95 * (len(times) - 1))], 2) if times else None
    stats["max_s"] = round(times[-1], 2) if times else None
    return stats


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", action="append", required=True, help="app address (repeat for several processes)")
    ap.add_argument("--sessions", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--stop", type=Path, default=None, help="stop early when this file exists")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    stats = asyncio.run(run(args.url, args.sessions, args.seconds, args.stop))
    text = json.dumps(stats, ensure_ascii=False, indent=1)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

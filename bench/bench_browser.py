"""Browser time from navigation to a rendered board, in a real Chromium over the served app.

Run: .venv/bin/python bench/bench_browser.py [--sizes demo,100000] [--repeat 5]

For each database the app is started once (``streamlit run``, headless) and
visited once (the server's start-up: imports, reference data). Then, as a
visitor: "cold" is the first visit after a write (the database file's version
moves, so the server's caches miss), "warm" the next visitor's. The clock runs
from ``page.goto`` until the board's table is on screen and the script has
finished (no "running" indicator). A screenshot of the last board goes to
``bench/.cache/board-<size>.png``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import CACHE, ROOT, demo_db, emit, load_average, synth_db  # noqa: E402

sys.path.insert(0, str(ROOT))
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, run_app  # noqa: E402


def board_time(page, url: str) -> float:
    """Seconds from navigation until the board's table is drawn and the run is over."""
    t0 = time.perf_counter()
    page.goto(f"{url}/board?lang=az", wait_until="commit")
    # The board's own table (keyed board-table): the legend's threshold table sits hidden in an expander.
    page.wait_for_selector(".st-key-board-table canvas", timeout=120_000, state="visible")
    while page.query_selector('[data-testid="stStatusWidget"]'):
        page.wait_for_timeout(20)
    return time.perf_counter() - t0


def measure(label: str, db: Path, repeat: int) -> dict:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "app.duckdb"
        shutil.copy(db, work)
        env = dict(os.environ, EGOV_DB=str(work), EGOV_SECRETS=str(Path(tmp) / "secrets.toml"), PYTHONUNBUFFERED="1")
        log = Path(tmp) / "streamlit.log"
        with run_app(work, env, log) as url, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            ctx = browser.new_context(viewport={"width": 1440, "height": 900})
            page = ctx.new_page()
            board_time(page, url)  # the server's start-up
            cold, warm = [], []
            for _ in range(repeat):
                stat = os.stat(work)  # a write, as another process would make it
                os.utime(work, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
                page = ctx.new_page()
                cold.append(board_time(page, url))
                page.close()
                page = ctx.new_page()
                warm.append(board_time(page, url))
            page.wait_for_timeout(1500)
            CACHE.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(CACHE / f"board-{label}.png"), full_page=False)
            browser.close()
        text = log.read_text()
        if "Traceback" in text:
            print(text[-3000:], file=sys.stderr)
    return {"kind": "browser", "size": label, "cold": statistics.median(cold), "warm": statistics.median(warm),
            "cold_runs": cold, "warm_runs": warm, "load": load_average()}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", default="demo,100000")
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args()
    for size in args.sizes.split(","):
        db = demo_db() if size == "demo" else synth_db(int(size))
        r = measure(size, db, args.repeat)
        emit(r)
        print(f"browser, board at {size}: cold {r['cold']:.2f} s, warm {r['warm']:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()

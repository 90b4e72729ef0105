"""Server time of every page (AppTest, cold and warm) and the server's peak memory, per database size.

Run: .venv/bin/python bench/bench_pages.py [--sizes 10000,100000,1000000] [--pages board,trends] [--repeat 3]

Each size runs in a process of its own, so that its peak resident memory is
its own. The process first runs every page once (imports, reference files:
what a server does once after it starts). Then every page is run ``repeat``
times cold, as the first visitor after a write sees it (the database file's
version moves, so every loader keyed on it misses), and warm (the next
visitor: a new session on the same caches); the medians are reported. Public
pages run as a visitor, the working pages as an administrator. "Server time"
is the time AppTest takes to run the page script (the frame included), which
is what the server spends before the browser can draw; the CPU time of the
process during the run is reported beside it (it moves less than the wall
clock when the machine is shared).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, SHAPES, collect, emit, load_average, peak_rss_mb, synth_db  # noqa: E402

APP = str(ROOT / "app.py")
PUBLIC = ["overview", "board", "institution", "service", "infrastructure", "eu", "trends", "portal", "methodology",
          "present", "reports"]
WORK = ["data", "review", "discrepancy", "audit", "admin"]
PAGES = PUBLIC + WORK


def _one_size(db: str, pages: list[str], repeat: int) -> dict:
    os.environ["EGOV_DB"] = db
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")  # AppTest's "no runtime" notices
    os.chdir(ROOT)
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from store.actors import Actor

    admin = Actor(name="Bench Admin", role="admin")

    def clear():
        # A write as another process would make it: the file's stat moves, every keyed loader misses.
        stat = os.stat(db)
        os.utime(db, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))

    def run(page: str, cold: bool) -> tuple[float, float]:
        """(wall seconds, CPU seconds of this process) of one run of the page."""
        at = AppTest.from_file(APP, default_timeout=600)
        at.session_state["lang"] = "az"
        if page in WORK:
            at.session_state["actor"] = admin
        if page == "overview":
            if cold:
                clear()
            t0, c0 = time.perf_counter(), time.process_time()
            at.run()
        else:
            at.run()  # lands on the default page first, as a visitor following a link would not; not timed
            if cold:
                clear()
            at.switch_page(f"pages/{page}.py")
            t0, c0 = time.perf_counter(), time.process_time()
            at.run()
        took, cpu = time.perf_counter() - t0, time.process_time() - c0
        if at.exception:
            raise RuntimeError(f"{page}: {at.exception[0].value}")
        return took, cpu

    rss_start = peak_rss_mb()
    for page in pages:  # start-up: imports and reference data, once per server process
        run(page, cold=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    out = {}
    for page in pages:
        colds, warms = [], []
        for _ in range(repeat):
            colds.append(run(page, cold=True))
            warms.append(run(page, cold=False))
        out[page] = {"cold": statistics.median(c[0] for c in colds), "warm": statistics.median(w[0] for w in warms),
                     "cold_cpu": statistics.median(c[1] for c in colds),
                     "warm_cpu": statistics.median(w[1] for w in warms),
                     "cold_runs": [c[0] for c in colds], "warm_runs": [w[0] for w in warms]}
        print(f"  {page:<15} cold {out[page]['cold']:6.2f} s   warm {out[page]['warm']:6.2f} s", file=sys.stderr)
    return {"pages": out, "rss_start_mb": rss_start, "rss_peak_mb": peak_rss_mb()}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", default=",".join(str(s) for s in SHAPES))
    p.add_argument("--pages", default=",".join(PAGES))
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--db", help="(internal) run one database in this process")
    p.add_argument("--size", type=int, help="(internal) its size")
    args = p.parse_args()
    pages = [x for x in args.pages.split(",") if x]
    if args.db:
        emit({"kind": "pages", "size": args.size, **_one_size(args.db, pages, args.repeat)})
        return
    for size in (int(s) for s in args.sizes.split(",")):
        db = synth_db(size)
        print(f"pages at {size:,} assessments (load {load_average()})", file=sys.stderr)
        done = subprocess.run([sys.executable, __file__, "--db", str(db), "--size", str(size), "--pages", args.pages,
                               "--repeat", str(args.repeat)], capture_output=True, text=True)
        for line in done.stderr.splitlines():
            if "ScriptRunContext" not in line and "No runtime found" not in line:
                print(line, file=sys.stderr)
        done.check_returncode()
        for r in collect(done.stdout):
            emit(r)
            print(f"  peak memory {r['rss_peak_mb']:.0f} MB (after start-up {r['rss_start_mb']:.0f} MB)",
                  file=sys.stderr)


if __name__ == "__main__":
    main()

"""What safety costs: the bounded reader, short leases per page, and the write lock an import holds.

Run: .venv/bin/python bench/bench_ops.py [--pages] [--repeat N]
Prints one Markdown table per part (docs/DEPLOYMENT.md and docs/RELIABILITY.md quote them):

1. reading a workbook in-process against in the sandbox's child (1 row and 10 000 rows), and the
   fork server's one-time start;
2. a lease: opening and closing the demo database read-only and read-write;
3. (``--pages``) each page run through AppTest on the demo database: leases opened, server time
   with short leases, and the same run with one connection held through the run (the old scheme);
4. how long an import of 10 000 rows holds the write lock (the commit), against parse and plan.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from bench.bench_import import build  # noqa: E402
from tests.badfiles import make_self_workbook, sample_registry, self_row  # noqa: E402


def _median(fn, n: int) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def sandbox_costs(tmp: Path, repeat: int) -> None:
    from ingest import sandbox
    from ingest.reader import parse_workbook

    reg = sample_registry()
    small = make_self_workbook([self_row()])
    path = tmp / "big.xlsx"
    build(path, 10_000)
    big = path.read_bytes()
    t0 = time.perf_counter()
    sandbox.read_workbook(small, "warm.xlsx", reg)
    start = time.perf_counter() - t0
    print("\n| workbook | in-process | sandboxed child | overhead |\n|---|---|---|---|")
    for label, data, n in (("1 row", small, repeat * 5), ("10 000 rows", big, repeat)):
        inproc = _median(lambda d=data: parse_workbook(d, "x.xlsx", reg), n)
        boxed = _median(lambda d=data: sandbox.read_workbook(d, "x.xlsx", reg), n)
        print(f"| {label} | {inproc * 1000:.0f} ms | {boxed * 1000:.0f} ms | {(boxed - inproc) * 1000:+.0f} ms |")
    print(f"\nFork server start (first file of a process, includes the reader's imports): {start:.2f} s")


def lease_costs(db: Path, repeat: int) -> None:
    def ro():
        duckdb.connect(str(db), read_only=True).close()

    def rw():
        duckdb.connect(str(db)).close()

    print("\n| lease | median |\n|---|---|")
    print(f"| open + close read-only | {_median(ro, repeat * 10) * 1000:.1f} ms |")
    print(f"| open + close read-write | {_median(rw, repeat * 10) * 1000:.1f} ms |")


def page_costs(db: Path, repeat: int) -> None:
    from streamlit.testing.v1 import AppTest

    from store import db as store_db
    from store.actors import Actor

    os.environ["EGOV_DB"] = str(db)
    os.chdir(ROOT)
    pages = ["overview", "board", "institution", "service", "infrastructure", "eu", "trends", "portal", "methodology",
             "data", "review", "discrepancy", "audit", "admin"]
    st = store_db.open_store(db)
    lease = store_db._lease_for(st.path)

    def run(page: str, hold: bool) -> tuple[float, int]:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.session_state["actor"] = Actor("Admin", "admin")
        at.run()
        at.switch_page(f"pages/{page}.py")
        import streamlit as stl

        stl.cache_data.clear()
        stl.cache_resource.clear()
        opened = lease.opened
        t0 = time.perf_counter()
        if hold:
            with st.reading():  # the script thread shares this open connection: one open for the run
                at.run()
        else:
            at.run()
        return time.perf_counter() - t0, lease.opened - opened

    print("\n| page (cold caches, admin) | leases opened | short leases | one held connection |\n|---|---|---|---|")
    for page in pages:
        short = [run(page, False) for _ in range(repeat)]
        held = [run(page, True) for _ in range(repeat)]
        print(f"| {page} | {short[0][1]} | {statistics.median(s for s, _ in short):.2f} s | "
              f"{statistics.median(s for s, _ in held):.2f} s |")


def import_lock(tmp: Path, demo: Path) -> None:
    from ingest import sandbox
    from ingest.registry import Registry
    from store import queries
    from store.actors import Actor
    from store.db import Store
    from store.imports import commit_import, plan_import
    from store.rounds import open_round

    path = tmp / "big.xlsx"
    if not path.exists():
        build(path, 10_000)
    dbp = tmp / "import.duckdb"
    shutil.copy(demo, dbp)
    st = Store(dbp)
    open_round(st, Actor.system("bench"), "2024b")
    t0 = time.perf_counter()
    reg = Registry.from_frames(*queries.registry_frames(st))
    parsed = sandbox.read_workbook(path.read_bytes(), "big.xlsx", reg, add_institutions=True)
    t_parse = time.perf_counter() - t0
    parsed.meta.round = "2024b"
    t0 = time.perf_counter()
    plan_import(st, parsed)
    t_plan = time.perf_counter() - t0
    t0 = time.perf_counter()
    commit_import(st, Actor("bench", "expert"), parsed, original=path.read_bytes())
    t_commit = time.perf_counter() - t0
    print("\n| 10 000-row import | holds | seconds |\n|---|---|---|")
    print(f"| parse (sandboxed child) | nothing | {t_parse:.2f} |")
    print(f"| plan (dry run) | a shared read lease | {t_plan:.2f} |")
    print(f"| commit (re-plan + write) | the write lock | {t_commit:.2f} |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", action="store_true", help="also time every page through AppTest (minutes)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print(f"Machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        from store.db import Store
        from store.demo import build_demo

        demo = tmp / "demo.duckdb"
        with Store(demo) as st:
            build_demo(st)
        sandbox_costs(tmp, args.repeat)
        lease_costs(demo, args.repeat)
        import_lock(tmp, demo)
        if args.pages:
            page_costs(demo, args.repeat)
    print(f"\nLoad average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

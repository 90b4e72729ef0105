"""``make bench``: run every benchmark and write their one table into docs/PERFORMANCE.md.

Run: .venv/bin/python bench/run.py [--quick] [--only scoring,import,pages,browser] [--pages board,trends]

Each benchmark runs in processes of its own and prints machine-readable
results (``BENCH-RESULT`` lines); this runner collects them into
``bench/.cache/results.json`` and rewrites the part of docs/PERFORMANCE.md
between the ``bench:start`` and ``bench:end`` markers: the machine, its load
while measuring, and one table (scoring, import, every page's server time
cold and warm with the server's peak memory, the browser), each with how it
grows with size and the issue's target. ``--quick`` uses fewer repeats and
smaller scalar samples (for trying the runner, not for the record).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import CACHE, HOME, collect, load_average, machine  # noqa: E402

DOC = HOME / "docs" / "PERFORMANCE.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
BENCH = HOME / "bench"
PAGE_LIMITS = {100_000: 1.0, 1_000_000: 2.0}  # seconds, every page (issue 12)
EU_LIMIT = 0.5


def run(script: str, *args: str) -> list[dict]:
    print(f"== {script} {' '.join(args)}", file=sys.stderr, flush=True)
    done = subprocess.run([sys.executable, str(BENCH / script), *args], stdout=subprocess.PIPE, text=True)
    if done.returncode:
        raise SystemExit(f"{script} failed ({done.returncode})")
    return collect(done.stdout)


def s(x: float) -> str:
    return f"{x:.2f} s" if x < 10 else f"{x:.1f} s"


def mark(ok: bool | None) -> str:
    return "" if ok is None else ("✔" if ok else "✖")


def table(results: list[dict]) -> list[str]:
    rows = ["| what | size | result | growth | target | met |", "|---|---|---|---|---|---|"]

    def add(what, size, result, growth="", target="", ok=None):
        rows.append(f"| {what} | {size} | {result} | {growth} | {target} | {mark(ok)} |")

    for r in (x for x in results if x["kind"] == "scoring"):
        n = f"{r['rows']:,}".replace(",", " ")
        g = r["growth"]
        sizes = sorted(int(k) for k in g)
        growth = " → ".join(s(g[str(k)]) for k in sizes) + f" for {' / '.join(f'{k // 1000:,}k' for k in sizes)} rows"
        add("scoring, vectorised (`score_frame`)", f"{n} rows", f"{s(r['ours_s'])} = {r['ours_rows_per_s'] / 1e6:.1f} M rows/s",
            growth, "≥ 5 M rows/s", r["ours_rows_per_s"] >= 5e6)
        scalar_note = "" if r["scalar_rows"] == r["rows"] else f" (on the first {r['scalar_rows']:,} rows)"
        add("scoring, scalar path (`maturity` + `corruption` per row)", f"{n} rows",
            f"{s(r['scalar_s'])} = {r['scalar_rows_per_s']:,.0f} rows/s{scalar_note}")
        add("scoring, plain NumPy boolean reference", f"{n} rows",
            f"{s(r['reference_s'])} = {r['reference_rows_per_s'] / 1e6:.2f} M rows/s; "
            f"ours is {r['speedup_vs_reference']:.1f}× faster")
        add("scoring, vectorised ÷ scalar", f"{n} rows", f"{r['speedup_vs_scalar']:,.0f}×", "", "≥ 100×",
            r["speedup_vs_scalar"] >= 100)
        add("scoring memory (peak of allocations ÷ rows)", f"{n} rows",
            f"{r['peak_bytes_per_row']:.1f} bytes/row (result {r['result_bytes_per_row']:.1f}; "
            f"NumPy reference {r['reference_peak_bytes_per_row']:.0f})", "", "≤ 40 bytes/row",
            r["peak_bytes_per_row"] <= 40)

    imports = {(r["rows"], r["kind"]): r for r in results if r["kind"] in ("existing", "new") and "ours_total" in r}
    for (n, kind), r in sorted(imports.items()):
        target = {10_000: 5.0, 50_000: 20.0}.get(n)
        small = imports.get((10_000, kind))
        growth = f"×{r['ours_total'] / small['ours_total']:.1f} for ×5 rows" if small and n != 10_000 else ""
        ok = r["status"] == "imported" and r["stored"] == n and (target is None or r["ours_total"] < target)
        add(f"import, {'registered' if kind == 'existing' else 'new'} services: ours end to end "
            "(checks, reading, plan, commit)", f"{n:,} rows".replace(",", " "),
            f"{s(r['ours_total'])} (reading {s(r['read'])}, plan {s(r['plan'])}, commit {s(r['commit'])}); "
            f"{r['stored']:,} stored".replace(",", " "), growth, f"< {target:.0f} s" if target else "", ok)
        add(f"import, same workbook: `pandas.read_excel` parsing alone ({'registered' if kind == 'existing' else 'new'})",
            f"{n:,} rows".replace(",", " "),
            f"openpyxl {s(r['pandas_openpyxl'])}, calamine {s(r['pandas_calamine'])}")

    pages = sorted((r for r in results if r["kind"] == "pages"), key=lambda r: r["size"])
    names = list(pages[0]["pages"]) if pages else []
    for page in names:
        prev = None
        for r in pages:
            size = r["size"]
            p = r["pages"][page]
            limit = EU_LIMIT if page == "eu" else PAGE_LIMITS.get(size)
            growth = ""
            if prev is not None:
                growth = (f"cold ×{p['cold'] / max(prev['cold'], 1e-3):.1f}, warm ×{p['warm'] / max(prev['warm'], 1e-3):.1f}"
                          " for ×10")
            ok = None if limit is None else (p["cold"] < limit and p["warm"] < limit)
            cpu = f" (CPU {s(p['cold_cpu'])} / {s(p['warm_cpu'])})" if "cold_cpu" in p else ""
            add(f"page «{page}», server time cold / warm", f"{size:,} assessments".replace(",", " "),
                f"{s(p['cold'])} / {s(p['warm'])}{cpu}", growth, f"< {limit:g} s" if limit else "", ok)
            prev = p
    prev = None
    for r in pages:
        growth = f"×{r['rss_peak_mb'] / prev['rss_peak_mb']:.1f} for ×10" if prev else ""
        add("server's peak memory, every page cold and warm", f"{r['size']:,} assessments".replace(",", " "),
            f"{r['rss_peak_mb']:.0f} MB (after start-up {r['rss_start_mb']:.0f} MB)", growth,
            "< 1 GB" if r["size"] == 1_000_000 else "", (r["rss_peak_mb"] < 1024) if r["size"] == 1_000_000 else None)
        prev = r
    browser = [r for r in results if r["kind"] == "browser"]
    for r in browser:
        size = "demo" if r["size"] == "demo" else f"{int(r['size']):,} assessments".replace(",", " ")
        add("browser, navigation to a drawn board, cold / warm", size, f"{s(r['cold'])} / {s(r['warm'])}")
    return rows


def write(results: list[dict], loads: list[str]) -> None:
    m = machine()
    lines = [START, "",
             f"Measured {dt.date.today().isoformat()} by `make bench` on {m['cpu']}, {m['cores']} cores, "
             f"{m['memory']}; {m['os']}; Python {m['python']}, NumPy {m['numpy']}, pandas {m['pandas']}, "
             f"DuckDB {m['duckdb']}, Streamlit {m['streamlit']}. Load average while measuring: "
             f"{'; '.join(loads)} (the machine is shared: medians of several runs are reported, and absolute "
             "times move with the load; ratios and growth move less).", ""]
    lines += table(results)
    lines += ["", END]
    text = DOC.read_text() if DOC.exists() else f"# Performance\n\n{START}\n{END}\n"
    if START not in text:
        text += f"\n{START}\n{END}\n"
    head, rest = text.split(START, 1)
    tail = rest.split(END, 1)[1]
    DOC.write_text(head + "\n".join(lines) + tail)
    print(f"wrote {DOC}", file=sys.stderr)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--quick", action="store_true")
    p.add_argument("--only", default="scoring,import,pages,browser")
    p.add_argument("--pages", help="only these pages (comma-separated) in the page benchmark")
    args = p.parse_args()
    only = set(args.only.split(","))
    results, loads = [], []
    saved = CACHE / "results.json"
    if saved.exists() and only != {"scoring", "import", "pages", "browser"}:
        keep = {"scoring": {"scoring"}, "import": {"existing", "new"}, "pages": {"pages"}, "browser": {"browser"}}
        dropped = set().union(*(keep[k] for k in only))
        results = [r for r in json.loads(saved.read_text()) if r["kind"] not in dropped]
    repeat = "1" if args.quick else "3"
    if "scoring" in only:
        loads.append(load_average())
        results += run("bench_scoring.py", *(["--scalar-rows", "50000", "--repeat", "2"] if args.quick else []))
    if "import" in only:
        loads.append(load_average())
        results += run("bench_import.py", "--repeat", repeat)
    if "pages" in only:
        loads.append(load_average())
        results += run("bench_pages.py", "--repeat", repeat, *(["--pages", args.pages] if args.pages else []))
    if "browser" in only:
        loads.append(load_average())
        results += run("bench_browser.py", "--repeat", "2" if args.quick else "5")
    CACHE.mkdir(parents=True, exist_ok=True)
    saved.write_text(json.dumps(results, indent=1))
    write(results, loads)


if __name__ == "__main__":
    main()

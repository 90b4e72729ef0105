"""Import of self-assessment workbooks of 10 000 and 50 000 rows: ours end to end against pandas.read_excel.

Run: .venv/bin/python bench/bench_import.py [--rows 10000,50000] [--repeat 3]

The database is a synthetic country with 50 000 registered services (2 500
bodies × 20 services, two rounds already stored); each measurement imports
into a fresh copy of it, into the opened round 2025. Two kinds of workbook,
laid out as the template is (a key row and a wording row above the data):

- ``existing``: one row per registered service (the usual yearly return);
- ``new``: every row a service the registry does not know yet (a first
  return, or new services), so the import registers them too.

"Ours" is ``ingest.pipeline.import_files`` from the file's bytes: container
checks, reading, planning and the commit, as the app and the command line run
it; the stages are also timed one by one. The end-to-end time counts a cold
start of the bounded reader's fork server (the first file of a process that
did not start it ahead; ``cli.py import`` starts it when the command starts,
the app when files are uploaded). Stages: ``registry`` (loading and building
it), ``read`` (parsing in-process), ``bounded_read`` (the same through the
bounded child, fork server running: ``bounded_read - read`` is what the
sandbox adds), ``server_start`` (a cold fork server until it forks a child),
``plan`` and ``commit``. ``pandas.read_excel`` (openpyxl, the default engine;
and calamine) only parses the data sheet into a frame.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import CACHE, collect, emit, load_average  # noqa: E402

INSTITUTIONS, PER, ROUNDS = 2500, 20, 2


def base_db() -> Path:
    import subprocess

    from common import HOME

    path = CACHE / f"import-base-{INSTITUTIONS}x{PER}.duckdb"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(HOME / "cli.py"), "synth", "--institutions", str(INSTITUTIONS),
                        "--services-per-institution", str(PER), "--rounds", str(ROUNDS), "--seed", "3",
                        "--db", str(path)], check=True, stdout=subprocess.DEVNULL)
    return path


def workbook(rows: int, kind: str) -> Path:
    """A self-assessment workbook of ``rows`` service rows (cached: writing 50 000 rows takes a while)."""
    import numpy as np
    import openpyxl

    from ingest.messages import HEADER_LABELS
    from store import queries
    from store.db import Store

    path = CACHE / f"self-{kind}-{rows}.xlsx"
    if path.exists():
        return path
    with Store(base_db()) as st:
        svc = queries.services(st)
    svc = svc.head(rows)
    if len(svc) < rows:
        raise SystemExit(f"the base database has only {len(svc)} services")
    rng = np.random.default_rng(rows)
    answers = (rng.random((rows, 17)) < 0.55).astype(int)
    wb = openpyxl.Workbook(write_only=True)
    meta = wb.create_sheet("Meta")
    for k, v in {"round": "2025", "source": "self", "methodology": "2013-osce", "language": "az"}.items():
        meta.append([k, v])
    ws = wb.create_sheet("Services")
    keys = ["institution", "service_code", "service_name", "audience", *[f"q{i}" for i in range(1, 18)], "comment"]
    ws.append(keys)
    ws.append([HEADER_LABELS.get(k, {}).get("az", k) for k in keys])
    yes_no = np.array(["Bəli", "Xeyr"])
    for i, r in enumerate(svc.itertuples(index=False)):
        code = r.code if kind == "existing" else f"N{r.code}"
        ws.append([r.institution_az, code, r.name_az, r.audience, *yes_no[1 - answers[i]].tolist(), None])
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.xlsx")
    wb.save(tmp)
    tmp.rename(path)
    return path


def _fresh_store(tmp: Path):
    from store.actors import Actor
    from store.db import Store
    from store.rounds import open_round

    path = tmp / "work.duckdb"
    shutil.copy(base_db(), path)
    st = Store(path)
    open_round(st, Actor.system("bench"), "2025", "2013-osce")
    return st


def measure(rows: int, kind: str) -> dict:
    import pandas as pd

    from ingest import sandbox
    from ingest.pipeline import import_files
    from ingest.reader import parse_workbook
    from ingest.registry import Registry
    from ingest.sandbox import read_workbook
    from store import queries
    from store.actors import Actor
    from store.imports import commit_import, plan_import

    actor = Actor.system("bench")
    path = workbook(rows, kind)
    data = path.read_bytes()
    out: dict = {"rows": rows, "kind": kind, "file_mb": len(data) / 1e6}
    with tempfile.TemporaryDirectory() as tmp:
        st = _fresh_store(Path(tmp))
        t0 = time.perf_counter()
        outcome = import_files(st, [(path.name, data)], actor)[0]
        out["ours_total"] = time.perf_counter() - t0
        out["status"] = outcome.status
        if outcome.status != "imported":
            out["errors"] = [e.message("en") for e in outcome.errors[:5]]
        out["stored"] = int(st.scalar("SELECT count(*) FROM service_answers a JOIN rounds r USING (round_id) "
                                      "WHERE r.label = '2025'"))
        st.close()
    with tempfile.TemporaryDirectory() as tmp:  # the same import, stage by stage
        st = _fresh_store(Path(tmp))
        t0 = time.perf_counter()
        registry = Registry.from_rows(*queries.registry_rows(st))
        out["registry"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        parsed = parse_workbook(data, path.name, registry)
        out["read"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        read_workbook(data, path.name, registry)
        out["bounded_read"] = time.perf_counter() - t0
        sandbox.server().stop()
        t0 = time.perf_counter()
        sandbox.server().call("os:getpid")
        out["server_start"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        plan_import(st, parsed)
        out["plan"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        commit_import(st, actor, parsed)
        out["commit"] = time.perf_counter() - t0
        st.close()
    t0 = time.perf_counter()
    pd.read_excel(path, sheet_name="Services", engine="openpyxl")
    out["pandas_openpyxl"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    pd.read_excel(path, sheet_name="Services", engine="calamine")
    out["pandas_calamine"] = time.perf_counter() - t0
    return out


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--rows", default="10000,50000")
    p.add_argument("--kinds", default="existing,new")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--one", help="(internal) rows:kind measured in this process")
    args = p.parse_args()
    if args.one:
        rows, kind = args.one.split(":")
        emit({"kind": "import", **measure(int(rows), kind)})
        return
    import subprocess

    base_db()
    for rows in (int(r) for r in args.rows.split(",")):
        for kind in args.kinds.split(","):
            workbook(rows, kind)
            runs = []
            for _ in range(args.repeat):  # each in a fresh process: nothing cached between runs
                done = subprocess.run([sys.executable, __file__, "--one", f"{rows}:{kind}"], capture_output=True,
                                      text=True)
                if done.returncode:
                    print(done.stderr, file=sys.stderr)
                    done.check_returncode()
                runs += collect(done.stdout)
            med = {k: statistics.median(r[k] for r in runs) for k in runs[0] if isinstance(runs[0][k], float)}
            result = {**runs[0], **med, "runs": [r["ours_total"] for r in runs], "load": load_average()}
            emit(result)
            print(f"{rows:>6} rows, {kind:<8}: ours {med['ours_total']:6.2f} s (registry {med['registry']:.2f}, "
                  f"read {med['read']:.2f}, bounded read {med['bounded_read']:.2f}, server start "
                  f"{med['server_start']:.2f}, plan {med['plan']:.2f}, commit {med['commit']:.2f}) "
                  f"[{result['status']}, {result['stored']} stored]; pandas.read_excel openpyxl "
                  f"{med['pandas_openpyxl']:.2f} s, calamine {med['pandas_calamine']:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()

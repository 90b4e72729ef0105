"""Benchmark: how long a 30-institution round takes to render as PDF, handout, deck and chart pack.

    .venv/bin/python bench/bench_report.py [INSTITUTIONS] [SERVICES_PER_INSTITUTION]

Builds a fresh database with two published rounds of INSTITUTIONS (default 30)
registered institutions and SERVICES_PER_INSTITUTION (default 10) services
each, through the ordinary import path, then times each output end to end
(reading the store, scoring, drawing the charts, rendering) the way the
Reports page and ``cli.py report`` do. Targets (issue 14, 2 CPUs): PDF < 10 s,
PPTX < 5 s. Each output is rendered three times; the best and the first
(cold: fonts and Vega loaded in the process) are reported.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.model import CoverageRecord, InfrastructureAnswer, Meta, ParsedWorkbook, ServiceRecord  # noqa: E402
from scoring import load_methodology  # noqa: E402
from store import queries  # noqa: E402
from store.actors import Actor  # noqa: E402
from store.db import Store  # noqa: E402
from store.imports import commit_import  # noqa: E402
from store.publication import publish, review_overview  # noqa: E402
from store.review import approve, start_review  # noqa: E402
from store.rounds import open_round  # noqa: E402

ACTOR = Actor("bench", "admin")
NATIONAL = {"1.1": 1, "1.2": 0, "1.3": 1, "1.4": 1, "1.5": 1, "1.6": 1, "2.1": 1, "2.2": 1, "2.3": 1, "2.4": 1,
            "2.5": 60, "2.6": 40, "2.7": 70, "3.1": 1, "3.2": 55, "3.3": 45}


def _workbook(name: str, meta: Meta, **records) -> ParsedWorkbook:
    payload = json.dumps({"meta": meta.__dict__, **{k: [r.__dict__ for r in v] for k, v in records.items()}},
                         sort_keys=True, default=str)
    return ParsedWorkbook(file_name=name, sha256=hashlib.sha256(payload.encode()).hexdigest(), size=len(payload),
                          meta=meta, **records)


def _answers(level: int, m, rng) -> tuple[int, ...]:
    return tuple(int(rng.random() < ((1.0 if i.mandatory else 0.7) if i.home <= level else
                                     (0.0 if i.mandatory else 0.1))) for i in m.indicators)


def build_round(path: Path, institutions: int = 30, services: int = 10, seed: int = 14) -> None:
    """Two published rounds (2023, 2024) of ``institutions`` × ``services`` assessed services."""
    st = Store(path)
    m = load_methodology()
    rng = np.random.default_rng(seed)
    inst = queries.institutions(st).head(institutions)
    strength = {int(i): float(rng.uniform(0.2, 0.9)) for i in inst["institution_id"]}
    for k, label in enumerate(("2023", "2024")):
        open_round(st, ACTOR, label, m.id, illustrative=True, reason="benchmark")
        recs, cov = [], []
        for row, r in enumerate(inst.itertuples(index=False), start=3):
            s = strength[int(r.institution_id)] + 0.08 * k
            for j in range(services):
                level = int(np.clip(round(0.5 + 4.5 * s + rng.normal(0, 0.8)), 0, 5))
                recs.append(ServiceRecord(row=row * 100 + j, institution_id=int(r.institution_id),
                                          institution_name=r.name_az, service_code=f"90.{j + 1}",
                                          service_name=f"Xidmət {j + 1}: {r.name_az} üzrə müraciət",
                                          audience="citizen" if j % 3 else "business",
                                          answers=_answers(level, m, rng), new_service=k == 0))
            t = int(rng.integers(10, 80))
            cov.append(CoverageRecord(row=row, institution_id=int(r.institution_id), institution_name=r.name_az,
                                      transferable=t, provided=int(t * min(1.0, s))))
        meta = Meta(round=label, source="self", methodology=m.id, language="az")
        for wb in (_workbook(f"bench:{label}-self", meta, services=recs, coverage=cov),
                   _workbook(f"bench:{label}-infra", Meta(round=label, source="expert", methodology=m.id),
                             infrastructure=[InfrastructureAnswer(row=i, question_id=q, value=float(v))
                                             for i, (q, v) in enumerate(NATIONAL.items(), start=2)])):
            commit_import(st, ACTOR, wb)
        for iid, _name, state in review_overview(st, label):
            if state is None:
                start_review(st, ACTOR, label, iid)
            approve(st, ACTOR, label, iid)
        publish(st, ACTOR, label, reason="benchmark")
    st.close()


def _time(fn, runs: int = 3) -> tuple[float, float, float, object]:
    """(first wall time, best wall time, best CPU time of this process, result).

    CPU time is what a quiet machine's wall time would be for single-threaded work: on the
    shared 2-CPU machine other jobs stretch wall time, not this process's CPU time.
    """
    walls, cpus, out = [], [], None
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return walls[0], min(walls), min(cpus), out


def main(institutions: int = 30, services: int = 10) -> list[tuple[str, float, float, int]]:
    from report import render, slides
    from report.gather import gather

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        t0 = time.perf_counter()
        build_round(db, institutions, services)
        print(f"database: {institutions} institutions × {services} services, 2 rounds, built in "
              f"{time.perf_counter() - t0:.1f} s")
        st = Store(db)
        rows = []
        for kind in ("pdf", "handout", "pptx", "zip", "xlsx"):
            def job(kind=kind):
                model = gather(st, "2024", "az")
                return render(kind, model, slides.build(model), store=st)

            cold, best, cpu, content = _time(job)
            rows.append((kind, cold, best, cpu, len(content)))
            print(f"{kind:8s} first {cold:5.2f} s   best of 3 {best:5.2f} s   CPU {cpu:5.2f} s   "
                  f"{len(content) / 1024:6.0f} KB")
        st.close()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"load average {load}")
    return rows


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*args)

"""Time the online form with 60 services: the server's work for one answer, and for a whole page.

Run: .venv/bin/python bench/bench_form.py [services] [answers]

Builds the demo database in a temporary folder, registers an institution with
60 services, opens round 2025 for collection and drives the form page as its
respondent with Streamlit's AppTest. An answer in the app is one widget
callback (the save, which reads the stored item back in its own lease) and one
rerun of the answers fragment of that service's card (``st.fragment``): the
figure reported "per answer" is those two timed on the server, measured by
wrapping the two functions. AppTest reruns the whole script after each change; that time is
reported too, as an upper bound and as the cost of moving to another service.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main(services: int = 60, answers: int = 60) -> dict:
    from streamlit.testing.v1 import AppTest

    import ui.form_card as card
    from store import collection
    from store.actors import Actor
    from store.db import Store
    from store.demo import build_demo
    from store.registry import add_institution, add_service
    from store.rounds import open_round
    from ui.choosers import widget_key

    admin = Actor.system("bench")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        os.environ["EGOV_DB"] = str(db)
        os.environ["EGOV_SECRETS"] = str(Path(tmp) / "none.toml")
        st = Store(db)
        build_demo(st)
        iid = add_institution(st, admin, "Sınaq Nazirliyi", "Ministry of Benchmarks")
        for k in range(services):
            add_service(st, admin, iid, f"90.{k + 1}", f"Sınaq xidməti {k + 1}", f"Benchmark service {k + 1}", "citizen")
        open_round(st, admin, "2025", deadline=dt.date.today() + dt.timedelta(days=30))
        resp = Actor("bench", "respondent", institution_id=iid)

        t0 = time.perf_counter()
        draft = collection.ensure_draft(st, resp, "2025", iid)
        t_create = time.perf_counter() - t0

        # The store alone: one answer saved and read back in one write lease.
        item = draft.items[0]
        store_ms = []
        version = item.version
        for n in range(answers):
            t0 = time.perf_counter()
            fresh = collection.save_answer(st, resp, item.item_id, (n % 17) + 1, version=version, value=n % 2,
                                           read_back=True)
            store_ms.append(1e3 * (time.perf_counter() - t0))
            version = fresh.version

        # The page: wrap the save and the card to time the server's part of one answer.
        spent: dict[str, float] = {}
        # An answer reruns the answers fragment of the card (the notes fragment reruns for comments only).
        real_save, real_card = collection.save_answer, card.answers_part

        def timed(name, fn):
            def run(*a, **k):
                t, c = time.perf_counter(), time.process_time()
                try:
                    return fn(*a, **k)
                finally:
                    spent[name] = spent.get(name, 0.0) + 1e3 * (time.perf_counter() - t)
                    spent["cpu"] = spent.get("cpu", 0.0) + 1e3 * (time.process_time() - c)
            return run

        timed_save, timed_card = timed("save", real_save), timed("card", real_card)

        collection.save_answer, card.answers_part = timed_save, timed_card
        try:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
            at.session_state["actor"] = resp
            at.session_state["lang"] = "az"
            t0 = time.perf_counter()
            at.run()
            t_first = time.perf_counter() - t0
            assert not at.exception, [e.value for e in at.exception]
            per_answer, per_answer_cpu, full_runs = [], [], []
            ids = [it.item_id for it in draft.items]
            for n in range(answers):
                item_id = ids[(n // 17) % len(ids)]
                if at.session_state["form-item"] != item_id:
                    t0 = time.perf_counter()
                    at.selectbox(key=widget_key("form-item", "az")).set_value(item_id).run()
                    full_runs.append(1e3 * (time.perf_counter() - t0))
                spent.clear()
                key = f"fa-{item_id}-{(n % 17) + 1}"
                current = at.radio(key=key).value
                t0 = time.perf_counter()
                at.radio(key=key).set_value(1 if current != 1 else 0).run()
                full_runs.append(1e3 * (time.perf_counter() - t0))
                assert not at.exception, [e.value for e in at.exception]
                per_answer.append(spent.get("save", 0.0) + spent.get("card", 0.0))
                per_answer_cpu.append(spent.get("cpu", 0.0))
        finally:
            collection.save_answer, card.answers_part = real_save, real_card
        st.close()
    out = {
        "services": services, "answers": answers, "create_draft_s": t_create, "first_page_s": t_first,
        "store_median_ms": statistics.median(store_ms), "store_p95_ms": _pct(store_ms, 0.95),
        "answer_median_ms": statistics.median(per_answer), "answer_p95_ms": _pct(per_answer, 0.95),
        "answer_max_ms": max(per_answer), "answer_cpu_median_ms": statistics.median(per_answer_cpu),
        "page_median_ms": statistics.median(full_runs), "page_p95_ms": _pct(full_runs, 0.95),
    }
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    out["load"] = load
    print(f"form with {services} services, {answers} answers (AppTest, demo database; "
          f"{os.cpu_count()} CPUs, load average {load:.1f} at the end):")
    print(f"  draft created and prefilled: {t_create:.2f} s; first page: {t_first:.2f} s")
    print(f"  store, save + read back one answer: median {out['store_median_ms']:.0f} ms, "
          f"p95 {out['store_p95_ms']:.0f} ms")
    print(f"  server work per answer (callback + card fragment): median {out['answer_median_ms']:.0f} ms, "
          f"p95 {out['answer_p95_ms']:.0f} ms, max {out['answer_max_ms']:.0f} ms "
          f"(CPU time, all threads: median {out['answer_cpu_median_ms']:.0f} ms)")
    print(f"  whole page rerun (AppTest; also moving to another service): median {out['page_median_ms']:.0f} ms, "
          f"p95 {out['page_p95_ms']:.0f} ms")
    return out


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))

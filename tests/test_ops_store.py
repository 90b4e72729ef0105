"""One writer, many readers, any number of processes: what an operator relies on.

- a long import holds nothing while its file is parsed: another process writes meanwhile;
- a database held elsewhere past the lease's wait shows "busy, try again" in the app and the pipeline;
- the command line says so too and exits with 75 (run it again).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

import store.db as db
from ingest import pipeline
from store import queries
from store.actors import Actor
from store.db import Store
from tests.badfiles import make_self_workbook, self_row

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
EXPERT = Actor("ekspert", "expert")


def _child_write(path, name: str) -> tuple[float, subprocess.CompletedProcess]:
    code = textwrap.dedent(f"""
        from store.db import Store
        from store.actors import Actor
        from store.registry import add_institution
        add_institution(Store({str(path)!r}, busy_timeout=30), Actor.system("other"), {name!r}, None)
    """)
    t0 = time.monotonic()
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    return time.monotonic() - t0, out


@pytest.fixture()
def held(tmp_path):
    """Start a process that holds ``path`` read-write until told to let go."""
    procs = []

    def hold(path):
        p = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
            import duckdb, sys
            c = duckdb.connect({str(path)!r})
            print("held", flush=True)
            sys.stdin.readline()
        """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert p.stdout.readline().strip() == "held"
        procs.append(p)
        return p

    yield hold
    for p in procs:
        if p.poll() is None:
            p.stdin.write("\n")
            p.stdin.flush()
            p.wait(timeout=30)


def test_a_long_parse_holds_no_lock(tmp_path, monkeypatch):
    path = tmp_path / "long.duckdb"
    Store(path).close()
    real = pipeline.read_workbook
    parsing, written = threading.Event(), threading.Event()

    def slow_read(*args, **kwargs):
        parsing.set()
        written.wait(90)  # a big workbook being read: it lasts until the other process has written
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "read_workbook", slow_read)
    result = {}
    st = Store(path)
    t = threading.Thread(target=lambda: result.update(
        out=pipeline.import_files(st, [("a.xlsx", make_self_workbook([self_row()]))], EXPERT)))
    t.start()
    assert parsing.wait(30)
    _, out = _child_write(path, "Başqa Proses Agentliyi")  # would wait out its 30 s if the parse held the file
    written.set()
    t.join(timeout=120)
    assert out.returncode == 0, out.stderr
    assert [o.status for o in result["out"]] == ["imported"]
    assert "Başqa Proses Agentliyi" in set(queries.institutions(st)["name_az"])


def test_pipeline_says_busy_and_writes_nothing(tmp_path, held):
    path = tmp_path / "busy.duckdb"
    Store(path).close()
    st = Store(path, busy_timeout=1)
    files = [("a.xlsx", make_self_workbook([self_row()])), ("b.xlsx", make_self_workbook([self_row(code="7.2")]))]
    hold = held(path)
    try:
        outcomes = pipeline.import_files(st, files, EXPERT)
    finally:
        hold.stdin.write("\n")
        hold.stdin.flush()
        hold.wait(timeout=30)
    assert [o.status for o in outcomes] == ["busy", "busy"]
    assert "try again" in outcomes[0].errors[0].message("en") and "yenidən" in outcomes[0].errors[0].message("az")
    assert queries.imports(st).empty


def test_cli_says_busy_with_exit_75(tmp_path, held):
    path = tmp_path / "cli.duckdb"
    Store(path).close()
    held(path)
    import os

    env = dict(os.environ, EGOV_BUSY_TIMEOUT="1")
    out = subprocess.run([sys.executable, "cli.py", "--db", str(path), "imports"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 75, out.stderr
    assert "try again" in out.stderr and "Traceback" not in out.stderr


def test_app_shows_busy_and_recovers(tmp_path, demo_db, held, monkeypatch):
    from streamlit.testing.v1 import AppTest

    path = tmp_path / "app.duckdb"
    shutil.copy(demo_db, path)
    monkeypatch.setenv("EGOV_DB", str(path))
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(db, "BUSY_TIMEOUT", 1.0)
    hold = held(path)
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception, [e.stack_trace for e in at.exception]
    assert any("try again" in w.value or "yenidən" in w.value for w in at.warning)
    hold.stdin.write("\n")
    hold.stdin.flush()
    hold.wait(timeout=30)
    at.run()
    assert not at.exception and not any("yenidən cəhd" in w.value for w in at.warning)
    assert at.metric  # the overview is drawn once the file is free


def test_every_environment_setting_is_documented():
    """Operators find every EGOV_ setting the code reads in the README's settings table."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = set()
    for path in ROOT.rglob("*.py"):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        found |= set(re.findall(r"""environ(?:\.get)?[\(\[]\s*["'](EGOV_[A-Z_]+)""", path.read_text(encoding="utf-8")))
    assert found >= {"EGOV_DB", "EGOV_BUSY_TIMEOUT", "EGOV_PARSE_MEMORY_MB", "EGOV_PARSE_SECONDS"}
    missing = sorted(s for s in found if f"`{s}" not in readme)
    assert not missing, missing


def test_a_writer_gets_in_beside_a_process_that_never_stops_reading(tmp_path):
    """Four threads of another process read without pause (an app with many sessions); writes still get in."""
    from store.registry import add_institution

    path = tmp_path / "starve.duckdb"
    Store(path).close()
    reader = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import threading, time
        from store.db import Store
        from store import queries
        st = Store({str(path)!r})
        end = time.monotonic() + 25
        failures = []
        def loop():
            while time.monotonic() < end:
                try:
                    queries.institutions(st)
                except Exception as exc:
                    failures.append(type(exc).__name__)
        threads = [threading.Thread(target=loop) for _ in range(4)]
        [t.start() for t in threads]
        print("go", flush=True)
        [t.join() for t in threads]
        print("failures", len(failures), flush=True)
    """)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert reader.stdout.readline().strip() == "go"
    time.sleep(1)
    st = Store(path, busy_timeout=20)
    waits = []
    for k in range(4):
        t0 = time.monotonic()
        add_institution(st, Actor.system("writer"), f"Yazan {k}", None)
        waits.append(time.monotonic() - t0)
    out = reader.communicate(timeout=120)[0]
    assert max(waits) < 8, waits  # without the write intent the first write waited out its 20 s
    assert "failures 0" in out, out  # the readers only paused
    assert not Path(str(path) + ".write-intent").exists()


def test_an_intent_left_by_a_dead_writer_is_ignored(tmp_path):
    path = tmp_path / "stale.duckdb"
    Store(path).close()
    intent = Path(str(path) + ".write-intent")
    intent.write_text("999999")
    import os

    os.utime(intent, (time.time() - 10, time.time() - 10))
    t0 = time.monotonic()
    with Store(path, busy_timeout=5) as st:
        assert len(queries.institutions(st)) > 0
    assert time.monotonic() - t0 < 4

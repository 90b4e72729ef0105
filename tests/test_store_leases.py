"""Short leases: no process keeps the file between operations, several processes share it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time

import duckdb
import pytest

from store import queries
from store.actors import Actor
from store.db import Store, StoreBusy, held
from store.registry import add_institution

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent
ADMIN = Actor.system("test")


def _in_child(code: str, db) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code).replace("DB", repr(str(db)))],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.fixture
def st(tmp_path):
    s = Store(tmp_path / "l.duckdb", busy_timeout=2)
    yield s
    s.close()


def test_nothing_is_held_between_operations(st):
    queries.institutions(st)
    add_institution(st, ADMIN, "Sınaq Agentliyi", "Test Agency")
    assert not held(st.path)


def test_another_process_writes_while_this_one_is_idle(st):
    queries.institutions(st)
    before = st.version_key()
    out = _in_child("""
        from store.db import Store
        from store.actors import Actor
        from store.registry import add_institution
        add_institution(Store(DB), Actor.system("child"), "Uşaq Agentliyi", "Child Agency")
        print("ok")
    """, st.path)
    assert out.stdout.strip() == "ok", out.stderr
    assert "Uşaq Agentliyi" in set(queries.institutions(st)["name_az"])
    assert st.version_key() != before


def test_a_held_file_makes_a_write_wait_then_say_busy(st):
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import duckdb, sys, time
        c = duckdb.connect({str(st.path)!r})
        print("held", flush=True)
        sys.stdin.readline()
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        t0 = time.monotonic()
        with pytest.raises(StoreBusy) as err:
            add_institution(st, ADMIN, "Gözləyən Agentlik", "Waiting Agency")
        assert 1.5 < time.monotonic() - t0 < 10
        assert "try again" in err.value.message("en") and "yenidən" in err.value.message("az")
    finally:
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=30)
    add_institution(st, ADMIN, "Gözləyən Agentlik", "Waiting Agency")  # free again: the write goes through


def test_a_write_waits_for_a_short_hold_elsewhere(st):
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import duckdb, time
        c = duckdb.connect({str(st.path)!r}, read_only=True)
        print("held", flush=True)
        time.sleep(0.8)
        c.close()
    """)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    add_institution(st, ADMIN, "Səbirli Agentlik", "Patient Agency")
    holder.wait(timeout=30)
    assert "Səbirli Agentlik" in set(queries.institutions(st)["name_az"])


def test_readers_and_writers_in_threads_share_the_file(st):
    errors = []

    def reader():
        try:
            for _ in range(15):
                queries.institutions(st)
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)

    def writer(k):
        try:
            for i in range(3):
                add_institution(st, ADMIN, f"Agentlik {k}-{i}", f"Agency {k}-{i}")
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(3)] + [threading.Thread(target=writer, args=(k,))
                                                                      for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    assert not held(st.path)
    names = set(queries.institutions(st)["name_az"])
    assert {f"Agentlik {k}-{i}" for k in range(2) for i in range(3)} <= names


def test_a_write_inside_a_read_is_a_programming_error(st):
    with st.reading(), pytest.raises(RuntimeError):
        add_institution(st, ADMIN, "X Agentliyi", "X Agency")


def test_closed_file_is_complete_without_its_log(st):
    add_institution(st, ADMIN, "Tam Agentlik", "Complete Agency")
    import os

    assert not os.path.exists(st.path + ".wal") or os.path.getsize(st.path + ".wal") == 0
    con = duckdb.connect(st.path, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM institutions WHERE name_az = 'Tam Agentlik'").fetchone()[0] == 1
    finally:
        con.close()


def _opened(st) -> int:
    from store.db import _lease_for

    return _lease_for(st.path).opened


def test_a_pinned_rerun_opens_the_file_once_and_holds_nothing_after(st):
    before = _opened(st)
    with st.pinned():
        queries.institutions(st)
        queries.rounds(st)
        queries.services(st)
        assert held(st.path)  # idle between the leases, kept for the next one
        assert _opened(st) == before + 1
    assert not held(st.path)


def test_a_write_inside_a_pinned_rerun_reopens_for_writing_and_keeps_reading(st):
    with st.pinned():
        queries.institutions(st)
        add_institution(st, ADMIN, "Pin Agentliyi", "Pin Agency")
        assert "Pin Agentliyi" in set(queries.institutions(st)["name_az"])
    assert not held(st.path)
    out = _in_child("""
        from store.db import Store
        from store import queries
        print("Pin Agentliyi" in set(queries.institutions(Store(DB))["name_az"]))
    """, st.path)
    assert out.stdout.strip() == "True", out.stderr


def test_another_process_writes_while_a_pinned_rerun_waits_between_reads(st):
    with st.pinned():
        queries.institutions(st)
        writer = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
            from store.db import Store
            from store.actors import Actor
            from store.registry import add_institution
            add_institution(Store({str(st.path)!r}, busy_timeout=20), Actor.system("child"), "Kənar Agentliyi",
                            "Outside Agency")
            print("ok", flush=True)
        """)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 30
        while writer.poll() is None and time.monotonic() < deadline:
            queries.rounds(st)  # this rerun keeps reading; the writer's intent makes it let go between reads
            time.sleep(0.05)
        stdout, stderr = writer.communicate(timeout=30)
        assert stdout.strip() == "ok", stderr
        assert "Kənar Agentliyi" in set(queries.institutions(st)["name_az"])
    assert not held(st.path)

"""Hostile workbooks are refused within seconds, and nothing they do reaches the server or other sessions.

The corpus is in ``tests/hostile.py``. Two kinds of proof: the checks of
``ingest.safety`` refuse each file before a native parser sees it, and the
bounded child of ``ingest.sandbox`` contains what those checks would miss
(the raw reader, given the issue's files directly, dies in the child; the
test process, which is also where AppTest sessions run, carries on).
"""

from __future__ import annotations

import pickle
import re
import threading
import time

import pytest

from ingest import sandbox
from ingest.pipeline import import_files
from ingest.safety import check_parts, sheet_extent
from store import queries
from store.actors import Actor
from store.db import Store
from tests import hostile
from tests.badfiles import make_self_workbook, sample_registry, self_row

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent
CORPUS = hostile.corpus()
EXPERT = Actor("ekspert", "expert")
QUICK = 10.0  # seconds: generous on a shared 2-core machine; each file takes well under one


def test_corpus_covers_the_issue_and_a_dozen_more():
    assert len(CORPUS) >= 14
    assert CORPUS[0][0].startswith("issue-") and CORPUS[1][0].startswith("issue-")
    assert len({code for _, _, code in CORPUS}) >= 9


@pytest.mark.parametrize("name,data,code", CORPUS, ids=[c[0] for c in CORPUS])
def test_hostile_file_is_refused_quickly(name, data, code):
    t0 = time.monotonic()
    pw = sandbox.read_workbook(data, name, sample_registry())
    assert time.monotonic() - t0 < QUICK
    assert not pw.ok and not (pw.services or pw.coverage or pw.infrastructure)
    assert code in [e.code for e in pw.errors]
    for issue in pw.errors:
        for lang in ("az", "en"):
            text = issue.message(lang)
            assert text and not re.search(r"\{\w+\}", text), text


def test_the_issue_files_really_break_the_raw_reader_but_only_its_child():
    """Without the checks, python-calamine aborts on the issue's file: inside the sandbox that is a refusal."""
    (_, sst, _), (_, far, _) = CORPUS[:2]
    server = sandbox.server()
    out = server.call("tests.hostile:raw_calamine", (sst,), memory_mb=512, seconds=20)
    assert out.status == "memory", out
    out = server.call("tests.hostile:raw_grid", (far,), memory_mb=512, seconds=20)
    assert out.status in ("memory", "time"), out
    # The fork server survived its children: the next file is read by the same server.
    started = server.started
    ok = sandbox.read_workbook(make_self_workbook([self_row()]), "ok.xlsx", sample_registry())
    assert ok.ok and len(ok.services) == 1 and server.started == started


def test_time_limit_kills_a_busy_child():
    t0 = time.monotonic()
    out = sandbox.server().call("tests.hostile:spin", (60,), seconds=1.5)
    assert out.status == "time" and time.monotonic() - t0 < 8
    pw = sandbox.refusal("slow.xlsx", b"abc", out, seconds=1.5)
    assert [e.code for e in pw.errors] == ["unsafe_file"]
    assert "1.5" in pw.errors[0].message("en") and "1.5" in pw.errors[0].message("az")
    assert "could not be read safely" in pw.errors[0].message("en")


def test_refusal_names_the_memory_limit_in_both_languages():
    out = sandbox.Outcome("memory", detail="SIGABRT")
    err = sandbox.refusal("x.xlsx", b"x", out, memory_mb=512).errors[0]
    assert "512 MB" in err.message("en") and "512 MB" in err.message("az")
    assert "təhlükəsiz" in err.message("az")


def test_only_parsed_records_come_back_from_a_child():
    bad = pickle.dumps(threading.Thread)
    with pytest.raises(pickle.UnpicklingError):
        sandbox._ResultUnpickler(__import__("io").BytesIO(bad)).load()
    out = sandbox.server().call("pandas:DataFrame", ())
    assert out.status == "crash" and out.detail == "unexpected answer"


def test_pipeline_refuses_every_hostile_file_and_writes_nothing(tmp_path):
    with Store(tmp_path / "h.duckdb") as st:
        before = queries.content_fingerprint(st)
        outcomes = import_files(st, [(n, d) for n, d, _ in CORPUS], EXPERT)
        assert [o.status for o in outcomes] == ["rejected"] * len(CORPUS)
        assert queries.content_fingerprint(st) == before


def test_a_second_session_keeps_working_while_hostile_files_are_read(app_env):
    """One session feeds the hostile corpus (and the raw reader) to the sandbox; another renders the board."""
    from streamlit.testing.v1 import AppTest

    done: dict[str, object] = {}

    def attacker():
        t0 = time.monotonic()
        statuses = [sandbox.read_workbook(d, n, sample_registry()).ok for n, d, _ in CORPUS]
        statuses.append(sandbox.server().call("tests.hostile:raw_calamine", (CORPUS[0][1],), memory_mb=512).status)
        done["statuses"], done["seconds"] = statuses, time.monotonic() - t0

    thread = threading.Thread(target=attacker)
    thread.start()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/board.py").run()
    thread.join(timeout=120)
    assert not at.exception, at.exception
    assert any("Vergilər" in str(df.value) for df in at.dataframe)
    assert done["statuses"] == [False] * len(CORPUS) + ["memory"]
    assert done["seconds"] < QUICK * 3


def test_extent_counts_cells_with_values_not_formatting():
    far_empty = hostile.sheet(hostile.row(1, hostile.cell("A1", "x"), '<c r="GR1048576" s="3"/>')).encode()
    assert sheet_extent(far_empty) == (1, 1)
    far_value = hostile.sheet(hostile.row(1, hostile.cell("A1", "x"), hostile.cell("GR1048576", number=2))).encode()
    assert sheet_extent(far_value) == (1_048_576, 200)
    no_refs = hostile.sheet("<row>" + '<c t="inlineStr"><is><t>a</t></is></c>' * 5 + "</row>" * 1).encode()
    assert sheet_extent(no_refs) == (1, 5)


def test_ordinary_workbooks_pass_the_part_checks():
    from ingest.templates import build_template
    from scoring import load_methodology

    m = load_methodology()
    for data in (make_self_workbook([self_row()] * 3), build_template("self", "az", m),
                 build_template("infrastructure", "en", m), build_template("coverage", "az", m)):
        assert check_parts(data, "ok.xlsx") == []

"""The import pipeline: safety → parse → plan → commit, file by file."""

from __future__ import annotations

import pytest

from ingest.pipeline import ERROR_COLUMNS, import_files
from store import Actor, PermissionDenied, Store, queries
from store.rounds import open_round
from tests.badfiles import (
    EDECL,
    TAXES,
    bad_files,
    make_coverage_workbook,
    make_infra_workbook,
    make_self_workbook,
    self_row,
)

EXPERT = Actor("ekspert", "expert")


ADMIN = Actor("admin", "admin")


@pytest.fixture
def st(tmp_path):
    s = Store(tmp_path / "p.duckdb")
    open_round(s, ADMIN, "2024")
    yield s
    s.close()


def test_import_then_unchanged(st):
    data = make_self_workbook([self_row(), self_row(code="7.2", answers=[1] * 5 + [0] * 12)])
    [o] = import_files(st, [("a.xlsx", data)], EXPERT)
    assert o.status == "imported" and o.import_id and o.round_label == "2024" and not o.errors
    assert o.plan["status"].tolist() == ["new", "new"]
    assert len(queries.service_answers(st, "2024", "self")) == 2
    fp = queries.content_fingerprint(st)
    [again] = import_files(st, [("a.xlsx", data)], EXPERT)
    assert again.status == "unchanged" and again.identical_file and again.import_id is None
    assert queries.content_fingerprint(st) == fp


def test_dry_run_writes_nothing(st):
    fp = queries.content_fingerprint(st)
    [o] = import_files(st, [("a.xlsx", make_self_workbook([self_row()]))], Actor("v", "viewer"), dry_run=True)
    assert o.status == "dry-run" and o.plan["status"].tolist() == ["new"]
    assert queries.content_fingerprint(st) == fp


def test_viewer_cannot_import(st):
    with pytest.raises(PermissionDenied):
        import_files(st, [("a.xlsx", make_self_workbook([self_row()]))], Actor("v", "viewer"))


def test_rejected_files_write_nothing(st):
    files = [(name, data) for name, data, _ in bad_files()]
    fp = queries.content_fingerprint(st)
    outcomes = import_files(st, files, EXPERT)
    for (name, _, code), o in zip(bad_files(), outcomes):
        assert o.status == "rejected", name
        assert o.errors[0].code == code, name
        frame = o.errors_frame("en")
        assert list(frame.columns) == ERROR_COLUMNS and len(frame) == len(o.errors)
        assert frame["message"].str.len().min() > 0
    assert queries.content_fingerprint(st) == fp


def test_conflict_then_replace(st):
    import_files(st, [("a.xlsx", make_self_workbook([self_row()]))], EXPERT)
    changed = make_self_workbook([self_row(answers=[1] * 17)])
    fp = queries.content_fingerprint(st)
    [o] = import_files(st, [("b.xlsx", changed)], EXPERT)
    assert o.status == "conflict" and len(o.errors) == 1
    msg = o.errors_frame("en")["message"][0]
    assert "7.1" in msg and "replace" in msg
    assert "7.1" in o.errors_frame("az")["message"][0]
    assert queries.content_fingerprint(st) == fp
    [o] = import_files(st, [("b.xlsx", changed)], EXPERT, replace=True)
    assert o.status == "imported"
    sid = int(queries.service_answers(st, "2024", "self")["service_id"][0])
    assert len(queries.answer_history(st, "2024", sid)) == 2


def test_all_three_kinds_and_progress(st):
    calls = []
    files = [("s.xlsx", make_self_workbook([self_row()])), ("i.xlsx", make_infra_workbook()),
             ("c.xlsx", make_coverage_workbook([[TAXES, 77, 77]]))]
    outcomes = import_files(st, files, EXPERT, progress=lambda done, total, name: calls.append((done, total)))
    assert [o.status for o in outcomes] == ["imported"] * 3
    assert calls[-1] == (3, 3) and len(calls) == 4
    assert len(queries.infrastructure_answers(st, "2024")) == 16
    assert queries.coverage_rows(st, "2024")["services_transferable"].tolist() == [77]


def test_unknown_institution_needs_the_flag(st):
    data = make_self_workbook([self_row(institution="Tamamilə Yeni Agentlik", code="1.1", answers=EDECL)])
    [o] = import_files(st, [("n.xlsx", data)], EXPERT)
    assert o.status == "rejected"
    n = len(queries.institutions(st))
    [o] = import_files(st, [("n.xlsx", data)], EXPERT, add_institutions=True)
    assert o.status == "imported"
    assert len(queries.institutions(st)) == n + 1

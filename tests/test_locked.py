"""Locked data stays locked; the public view moves only when a round is republished.

Approved institutions' values and a published round's national
infrastructure are locked: experts can neither replace nor revert them; an
administrator can, with a confirmation and a reason that the audit trail
keeps. Whatever happens to live rows, visitors see the round as it was at its
last publication, until it is republished.
"""

from __future__ import annotations

import json

import duckdb
import pandas as pd
import pytest

import cli
from ingest.pipeline import import_files
from store import Store, queries, schema
from store.actors import Actor, PermissionDenied
from store.errors import Refused
from store.imports import ImportConflict, commit_import, locked_imports, plan_import, revert_import
from store.publication import publish, published_at, unpublish
from store.registry import seed_if_empty
from store.review import approve, reopen, start_review
from store.rounds import open_round
from tests.badfiles import make_self_workbook, self_row
from tests.test_store import workbook

ADMIN, EXPERT = Actor("ana", "admin"), Actor("elvin", "expert")
INFRA = {"1.1": 1.0, "2.5": 40.0}


@pytest.fixture
def st(tmp_path):
    s = Store(tmp_path / "l.duckdb")
    open_round(s, ADMIN, "2024")
    yield s
    s.close()


def _published(st):
    """Round 2024 with one service and coverage of the Ministry of Taxes and national infrastructure, published."""
    first = commit_import(st, EXPERT, workbook(st, coverage=(10, 5), infra=INFRA)).import_id
    iid = int(queries.service_answers(st, "2024", "self")["institution_id"].iloc[0])
    start_review(st, EXPERT, "2024", iid)
    approve(st, EXPERT, "2024", iid)
    publish(st, ADMIN, "2024")
    return first, iid


def _public(st):
    return (queries.service_answers(st, "2024", "validated", published_only=True),
            queries.coverage_rows(st, "2024", published_only=True),
            queries.infrastructure_answers(st, "2024", published_only=True))


def test_experts_cannot_revert_locked_data_administrators_need_a_reason(st):
    first, _ = _published(st)
    assert locked_imports(st) == {first}
    fp = queries.content_fingerprint(st)
    with pytest.raises(Refused) as exc:
        revert_import(st, EXPERT, first, reason="typo")
    assert exc.value.code == "revert_locked" and "Vergilər Nazirliyi" in exc.value.message("az")
    for reason, unlock in ((None, True), ("  ", True), ("wrong file", False)):
        with pytest.raises(Refused) as exc:
            revert_import(st, ADMIN, first, reason=reason, unlock=unlock)
        assert exc.value.code == "revert_needs_reason"
    assert queries.content_fingerprint(st) == fp
    revert_import(st, ADMIN, first, reason="the ministry sent the wrong file", unlock=True)
    event = queries.events(st).iloc[0]
    assert event["action"] == "revert" and event["reason"] == "the ministry sent the wrong file"
    assert json.loads(event["detail"])["locked"] == {"institutions": ["Vergilər Nazirliyi"], "published_national": True}


def test_public_view_is_frozen_until_republished(st):
    first, _ = _published(st)
    public = _public(st)
    at = published_at(st, "2024")
    assert at is not None and len(public[0]) == 1 and len(public[1]) == 1 and len(public[2]) == 2
    revert_import(st, ADMIN, first, reason="wrong file", unlock=True)
    assert queries.service_answers(st, "2024", "validated").empty  # live values are gone…
    for before, after in zip(public, _public(st)):
        pd.testing.assert_frame_equal(before, after)  # …but visitors still see the published round
    publish(st, ADMIN, "2024", reason="after the revert")
    assert all(frame.empty for frame in _public(st))
    assert published_at(st, "2024") > at
    unpublish(st, ADMIN, "2024", reason="withdrawn")
    assert published_at(st, "2024") is None


def test_replacing_locked_data(st):
    _published(st)
    changed = workbook(st, (1,) * 17, name="b.xlsx", coverage=(10, 6), infra={"1.1": 0.0, "2.5": 60.0})
    with pytest.raises(ImportConflict) as exc:
        commit_import(st, EXPERT, changed, replace=True)
    assert exc.value.code == "conflict_locked"
    with pytest.raises(PermissionDenied):
        commit_import(st, EXPERT, changed, replace=True, unlock_reason="I know")
    with pytest.raises(ImportConflict):
        commit_import(st, ADMIN, changed, replace=True)  # administrators too, without a reason
    public = _public(st)
    res = commit_import(st, ADMIN, changed, replace=True, unlock_reason="court decision of 12 May")
    assert res.status == "imported" and res.plan.locked_changes == 4
    event = queries.events(st).iloc[0]
    assert event["reason"] == "court decision of 12 May" and json.loads(event["detail"])["locked_changed"] == 4
    for before, after in zip(public, _public(st)):
        pd.testing.assert_frame_equal(before, after)


def test_national_infrastructure_of_a_published_round_is_locked(st):
    _, iid = _published(st)
    reopen(st, ADMIN, "2024", iid, reason="recheck")  # the institution's own values are open again…
    plan = plan_import(st, workbook(st, name="i2.xlsx", infra={"1.1": 0.0, "2.5": 40.0}), replace=True)
    # …but the national answers have no review of their own: published, they stay locked.
    assert plan.conflicts[["kind", "reason"]].values.tolist() == [["infrastructure", "locked"]]
    assert plan.conflicts["key"].tolist() == ["national › 1.1"]


def test_pipeline_lets_an_administrator_unlock_with_a_reason(st):
    _published(st)
    data = make_self_workbook([self_row(answers=[1] * 17)])
    [o] = import_files(st, [("c.xlsx", data)], EXPERT, replace=True)
    assert o.status == "conflict" and o.lockable and {i.code for i in o.errors} == {"conflict_locked"}
    assert "Vergilər Nazirliyi › 7.1" in o.errors[0].message("en")
    with pytest.raises(PermissionDenied):
        import_files(st, [("c.xlsx", data)], EXPERT, replace=True, unlock_reason="please")
    [o] = import_files(st, [("c.xlsx", data)], ADMIN, replace=True, unlock_reason="corrected by the ministry")
    assert o.status == "imported" and "locked_unlocked" in {w.code for w in o.warnings}


def test_cli_revert_of_locked_data_needs_a_reason(tmp_path, capsys):
    db = tmp_path / "c.duckdb"
    with Store(db) as st:
        open_round(st, ADMIN, "2024")
        first, _ = _published(st)
    assert cli.main(["--db", str(db), "revert", str(first), "--lang", "en"]) == 1
    assert "needs a confirmation and a reason" in capsys.readouterr().err
    assert cli.main(["--db", str(db), "revert", str(first), "--reason", "wrong file", "--lang", "en"]) == 0
    assert "reverted" in capsys.readouterr().out
    with Store(db) as st:
        assert queries.events(st).iloc[0]["reason"] == "wrong file"


def test_rounds_published_before_the_upgrade_keep_their_public_view(tmp_path):
    path = tmp_path / "old.duckdb"
    old = Store(path, migrate=False)
    schema.migrate(old, target=4)
    seed_if_empty(old)
    open_round(old, ADMIN, "2024")
    commit_import(old, EXPERT, workbook(old, coverage=(10, 5)))
    iid = int(old.scalar("SELECT institution_id FROM institutions WHERE name_az = 'Vergilər Nazirliyi'"))
    start_review(old, EXPERT, "2024", iid)
    approve(old, EXPERT, "2024", iid)
    with old.transaction() as cur:  # how a round was published before public rows were recorded
        cur.execute("UPDATE rounds SET published = TRUE, published_at = now()::TIMESTAMP WHERE label = '2024'")
        cur.execute("INSERT INTO publications SELECT 1, round_id, now()::TIMESTAMP, 'ana', '', '{}', NULL "
                    "FROM rounds WHERE label = '2024'")
    old.close()
    con = duckdb.connect(str(path))
    assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 4
    con.close()
    st = Store(path)
    assert len(queries.service_answers(st, "2024", "validated", published_only=True)) == 1
    assert len(queries.coverage_rows(st, "2024", published_only=True)) == 1
    st.close()

"""Review workflow: the state machine, expert readings, locking, publication and methodology versions."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import scoring
from store import Store, queries
from store.actors import Actor, PermissionDenied
from store.imports import ImportConflict, commit_import
from store.methodologies import add_methodology, preview, set_round_methodology
from store.publication import NotReviewed, publish, unpublish
from store.review import IllegalTransition, InstitutionLocked, review_service, transition
from store.rounds import open_round
from tests.test_store import workbook

ROOT = Path(__file__).resolve().parent.parent
ADMIN, EXPERT, VIEWER = Actor("ana", "admin"), Actor("elvin", "expert"), Actor("vera", "viewer")


@pytest.fixture()
def st(writable_db):
    s = Store(writable_db)
    yield s
    s.close()


def _svc(st, label="2024"):
    return queries.service_answers(st, label, "self").iloc[0]


def _new_round(st):
    """A private round 2030 with one self-assessed service, not reviewed."""
    open_round(st, ADMIN, "2030")
    commit_import(st, ADMIN, workbook(st, round="2030"))
    return queries.service_answers(st, "2030", "self").iloc[0]


def test_state_machine_refuses_illegal_transitions(st):
    row = _new_round(st)
    iid = int(row.institution_id)
    with pytest.raises(IllegalTransition):
        transition(st, EXPERT, "2030", iid, "approved")  # none → approved skips review
    transition(st, EXPERT, "2030", iid, "submitted")
    with pytest.raises(IllegalTransition):
        transition(st, EXPERT, "2030", iid, "approved")  # submitted → approved skips review
    transition(st, EXPERT, "2030", iid, "under_review")
    with pytest.raises(ValueError, match="reason"):
        transition(st, EXPERT, "2030", iid, "returned")
    transition(st, EXPERT, "2030", iid, "approved")
    with pytest.raises(IllegalTransition):
        transition(st, EXPERT, "2030", iid, "returned", reason="too late")
    with pytest.raises(PermissionDenied):
        transition(st, EXPERT, "2030", iid, "under_review", reason="reopen")  # reopen is an admin's
    with pytest.raises(ValueError, match="reason"):
        transition(st, ADMIN, "2030", iid, "under_review")
    transition(st, ADMIN, "2030", iid, "under_review", reason="typo in q3")
    with pytest.raises(PermissionDenied):
        transition(st, VIEWER, "2030", iid, "returned", reason="x")


def test_approval_locks_imports_and_readings(st):
    row = _new_round(st)
    iid, sid = int(row.institution_id), int(row.service_id)
    transition(st, EXPERT, "2030", iid, "under_review")
    transition(st, EXPERT, "2030", iid, "approved")
    wb = workbook(st, (1,) * 17, name="again.xlsx", round="2030")
    with pytest.raises(ImportConflict, match="locked"):
        commit_import(st, EXPERT, wb, replace=True)
    with pytest.raises(InstitutionLocked, match="locked"):
        review_service(st, EXPERT, "2030", sid, [1] * 17, "all met")
    transition(st, ADMIN, "2030", iid, "under_review", reason="new evidence")
    assert commit_import(st, EXPERT, wb, replace=True).status == "imported"


def test_override_writes_expert_answers_with_provenance(st):
    row = _new_round(st)
    sid = int(row.service_id)
    own = [int(row[f"q{i}"]) for i in range(1, 18)]
    agree = review_service(st, EXPERT, "2030", sid, own)
    changed = [1 - own[0], *own[1:]]
    with pytest.raises(ValueError, match="comment"):
        review_service(st, EXPERT, "2030", sid, changed)
    override = review_service(st, EXPERT, "2030", sid, changed, "no evidence for q1")
    ev = queries.events(st).set_index("event_id")
    assert ev.loc[agree, "action"] == "agree" and ev.loc[override, "action"] == "override"
    expert = queries.service_answers(st, "2030", "expert")
    assert expert["q1"].tolist() == [changed[0]] and expert["comment"].tolist() == ["no evidence for q1"]
    imp = int(expert["import_id"].iloc[0])
    assert queries.imports(st).set_index("import_id").loc[imp, "file_name"] == "review:elvin"
    assert queries.event_of_import(st, imp) == override
    assert len(queries.answer_history(st, "2030", sid).query("source == 'expert'")) == 2
    with pytest.raises(PermissionDenied):
        review_service(st, VIEWER, "2030", sid, own)


def test_publish_needs_review_and_republish_says_what_changed(st):
    row = _new_round(st)
    iid, sid = int(row.institution_id), int(row.service_id)
    with pytest.raises(NotReviewed):
        publish(st, ADMIN, "2030")
    transition(st, EXPERT, "2030", iid, "under_review")
    with pytest.raises(PermissionDenied):
        publish(st, EXPERT, "2030")
    transition(st, EXPERT, "2030", iid, "approved")
    publish(st, ADMIN, "2030")
    published = queries.service_answers(st, "2030", "validated", published_only=True)
    assert len(published) == 1 and published["q17"].tolist() == [0]
    transition(st, ADMIN, "2030", iid, "under_review", reason="correction")
    review_service(st, EXPERT, "2030", sid, [1] * 17, "corrected after the hearing")
    transition(st, EXPERT, "2030", iid, "approved")
    # The public view is frozen at publication: the correction shows only once republished.
    pd.testing.assert_frame_equal(queries.service_answers(st, "2030", "validated", published_only=True), published)
    ev = publish(st, ADMIN, "2030", reason="corrections")
    e = queries.events(st).set_index("event_id").loc[ev]
    assert e["action"] == "republish" and f'"changed": ["{iid}"]' in e["detail"]
    shown = queries.service_answers(st, "2030", "validated", published_only=True)
    assert shown["q17"].tolist() == [1]


def test_anonymous_never_sees_unpublished_or_unapproved_values(st):
    _new_round(st)
    assert queries.service_answers(st, "2030", "self", published_only=True).empty
    assert queries.coverage_rows(st, "2030", published_only=True).empty
    assert queries.infrastructure_answers(st, "2030", published_only=True).empty
    # The demo's published rounds stay fully visible.
    full = queries.service_answers(st, "2024", "validated")
    assert len(queries.service_answers(st, "2024", "validated", published_only=True)) == len(full)
    assert len(queries.infrastructure_answers(st, "2024", published_only=True)) == \
        len(queries.infrastructure_answers(st, "2024"))
    # Reopening a review changes nothing public: visitors see the round as last published.
    iid = int(full.institution_id.iloc[0])
    before = queries.coverage_rows(st, "2024", published_only=True)
    transition(st, ADMIN, "2024", iid, "under_review", reason="check")
    assert len(queries.service_answers(st, "2024", "validated", published_only=True)) == len(full)
    pd.testing.assert_frame_equal(queries.coverage_rows(st, "2024", published_only=True), before)
    # Withdrawing the round hides it at once.
    unpublish(st, ADMIN, "2024", reason="error found")
    assert queries.service_answers(st, "2024", "validated", published_only=True).empty


def _new_version_text() -> str:
    text = (ROOT / "data" / "methodology" / "2013-osce.yaml").read_text(encoding="utf-8")
    return (text.replace("id: 2013-osce", "id: 2025-test", 1).replace("released: 2013-01-01", "released: 2025-01-01", 1)
            .replace("min_share: 0.5", "min_share: 0.75", 1))


def test_old_round_scores_unchanged_after_new_version(st):
    def board():
        m = queries.load_round_methodology(st, "2023")
        return scoring.score_answers(queries.service_answers(st, "2023", "validated"), m)

    before = board()
    with pytest.raises(PermissionDenied):
        add_methodology(st, EXPERT, _new_version_text())
    _, prev, diff = preview(st, _new_version_text())
    assert prev == "2013-osce" and "min_share" in set(diff["item"])
    assert add_methodology(st, ADMIN, _new_version_text()) == "2025-test"
    with pytest.raises(ValueError, match="already stored"):
        add_methodology(st, ADMIN, _new_version_text())
    pd.testing.assert_frame_equal(board(), before)
    assert queries.round_methodology(st, "2023") == "2013-osce"
    with pytest.raises(ValueError, match="holds data"):
        set_round_methodology(st, ADMIN, "2023", "2025-test", reason="try")
    with pytest.raises(PermissionDenied):
        set_round_methodology(st, EXPERT, "2023", "2025-test")
    open_round(st, ADMIN, "2031", "2013-osce")
    set_round_methodology(st, ADMIN, "2031", "2025-test", reason="new method")
    assert queries.round_methodology(st, "2031") == "2025-test"


def test_invalid_methodology_is_refused(st):
    with pytest.raises(ValueError):
        add_methodology(st, ADMIN, _new_version_text().replace("min_share: 0.75", "min_share: lots"))
    assert "2025-test" not in set(queries.methodologies(st)["id"])

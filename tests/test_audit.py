"""The audit trail: each write leaves exactly one event, with who, what and why; values link to events."""

from __future__ import annotations

from pathlib import Path

from store import Store, queries
from store.accounts import set_role
from store.actors import Actor
from store.imports import commit_import, revert_import
from store.methodologies import add_methodology, set_round_methodology
from store.publication import publish
from store.review import review_service, transition
from store.rounds import open_round
from tests.test_review import _new_version_text
from tests.test_store import workbook

ADMIN, EXPERT = Actor("ana", "admin"), Actor("elvin", "expert")


def _new_actions(st, before: int) -> list[str]:
    ev = queries.events(st)
    return ev[ev["event_id"] > before]["action"].tolist()[::-1]


def test_each_action_recorded_exactly_once(writable_db):
    with Store(writable_db) as st:
        open_round(st, ADMIN, "2030", "2013-osce")
        start = int(queries.events(st)["event_id"].max())
        first = commit_import(st, EXPERT, workbook(st, round="2030")).import_id
        second = commit_import(st, EXPERT, workbook(st, (1,) * 17, name="b.xlsx", round="2030"), replace=True).import_id
        revert_import(st, EXPERT, second, reason="wrong file")
        row = queries.service_answers(st, "2030", "self").iloc[0]
        iid, sid = int(row.institution_id), int(row.service_id)
        transition(st, EXPERT, "2030", iid, "submitted")
        transition(st, EXPERT, "2030", iid, "under_review")
        review_service(st, EXPERT, "2030", sid, [1] * 17, "all seen on the portal")
        transition(st, EXPERT, "2030", iid, "returned", reason="q15 needs evidence")
        transition(st, EXPERT, "2030", iid, "submitted")
        transition(st, EXPERT, "2030", iid, "under_review")
        transition(st, EXPERT, "2030", iid, "approved")
        publish(st, ADMIN, "2030")
        transition(st, ADMIN, "2030", iid, "under_review", reason="typo")
        transition(st, EXPERT, "2030", iid, "approved")
        publish(st, ADMIN, "2030", reason="typo fixed")
        set_role(st, ADMIN, "x@gov.az", "expert", reason="joined")
        add_methodology(st, ADMIN, _new_version_text(), reason="2025 revision")
        open_round(st, ADMIN, "2031", "2013-osce")
        set_round_methodology(st, ADMIN, "2031", "2025-test", reason="new method")
        actions = _new_actions(st, start)
        assert actions == ["import", "replace", "revert", "submit", "start_review", "override", "return", "submit",
                           "start_review", "approve", "publish", "reopen", "approve", "republish", "role_change",
                           "add_methodology", "open_round", "change_methodology"]
        ev = queries.events_filtered(st, round_label="2030")
        assert set(ev["actor"]) == {"ana", "elvin"}
        assert ev.set_index("action").loc["return", "reason"] == "q15 needs evidence"
        assert queries.event_of_import(st, first) == int(ev.set_index("action").loc["import", "event_id"])
        expert = queries.service_answers(st, "2030", "expert")
        assert queries.event_of_import(st, int(expert["import_id"].iloc[0])) == \
            int(ev.set_index("action").loc["override", "event_id"])
        assert len(queries.events_filtered(st, actions=["approve"], actor="elvin")) >= 2
        assert len(queries.events_filtered(st, text="typo")) == 2


def test_audit_page_filters_and_exports(writable_db, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("EGOV_SECRETS", str(tmp_path / "none.toml"))
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=60)
    at.session_state["actor"] = Actor("vera", "viewer")
    at.run()
    at.switch_page("pages/audit.py").run()
    assert not at.exception and at.dataframe
    at.text_input(key="audit-actor").set_value("demo").run()
    assert not at.exception
    assert set(at.dataframe[0].value.iloc[:, 2].str.startswith("demo")) == {True}


def test_audit_page_shows_the_newest_events_and_says_how_many_there_are(writable_db, tmp_path, monkeypatch):
    """A country's year of reviews is tens of thousands of events: the page draws the newest, says so."""
    from streamlit.testing.v1 import AppTest

    with Store(writable_db) as st, st.transaction() as cur:
        cur.execute("""INSERT INTO events (event_id, "at", actor, role, action, detail)
                       SELECT 1000000 + i, TIMESTAMP '2020-01-01' + to_seconds(i), 'bulk', 'expert', 'approve', '{}'
                       FROM range(700) t(i)""")
        total = len(queries.events(st))
    monkeypatch.setenv("EGOV_SECRETS", str(tmp_path / "none.toml"))
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=60)
    at.session_state["actor"] = Actor("vera", "viewer")
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page("pages/audit.py").run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 500
    assert any(f"of {total:,}" in c.value for c in at.caption), [c.value for c in at.caption]

"""The DuckDB store: migrations, registry seed, imports (plan, commit, replace, revert), roles."""

from __future__ import annotations

import hashlib

import duckdb
import pandas as pd
import pytest

from ingest.model import CoverageRecord, InfrastructureAnswer, Meta, ParsedWorkbook, ServiceRecord
from store import Actor, PermissionDenied, Store, open_store, queries, schema
from store.errors import Refused
from store.imports import ImportConflict, commit_import, plan_import, revert_import
from store.registry import CATALOGUE_CSV, add_institution, add_service, import_portal_usage_csv
from store.rounds import open_round, publish_round, set_review_state, set_round_status

EXPERT = Actor("ekspert", "expert")
ADMIN = Actor.system("test")
VIEWER = Actor("baxan", "viewer")
E_DECL = (1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0)


@pytest.fixture
def st(tmp_path):
    s = Store(tmp_path / "t.duckdb")
    open_round(s, ADMIN, "2024")  # rounds are opened by an administrator, never by an import
    yield s
    s.close()


def _svc(st, code="7.1"):
    df = queries.services(st)
    return df[df["code"] == code].iloc[0]


def workbook(st, answers=E_DECL, *, name="a.xlsx", round="2024", source="self", code="7.1", coverage=None,
             infra=None, comment=None) -> ParsedWorkbook:
    s = _svc(st, code)
    services = [ServiceRecord(row=3, institution_id=int(s.institution_id), institution_name=s.institution_az,
                              service_code=code, service_name=s.name_az, audience=s.audience,
                              answers=tuple(answers), comment=comment)]
    cov = [CoverageRecord(row=3, institution_id=int(s.institution_id), institution_name=s.institution_az,
                          transferable=t, provided=p) for t, p in ([coverage] if coverage else [])]
    inf = [InfrastructureAnswer(row=i + 2, question_id=q, value=v) for i, (q, v) in enumerate((infra or {}).items())]
    payload = repr((name, round, source, code, tuple(answers), coverage, infra, comment)).encode()
    return ParsedWorkbook(file_name=name, sha256=hashlib.sha256(payload).hexdigest(), size=len(payload),
                          meta=Meta(round=round, source=source), services=services, coverage=cov, infrastructure=inf)


def test_new_store_is_seeded(st):
    inst, svc = queries.registry_frames(st)
    cat = pd.read_csv(CATALOGUE_CSV, dtype=str, keep_default_na=False)
    assert len(inst) >= 39
    assert len(svc) == (cat["com_number"].str.strip() != "").sum()
    assert "7.10" in set(svc["code"]) and "7.1" in set(svc["code"])  # codes stay text
    names = set(inst["name_az"])
    # Two wordings of the communications ministry are kept apart, as the sources give them.
    assert {"Rabitə və Yüksək Texnologiyalar Nazirliyi", "Rabitə və İnformasiya Texnologiyaları Nazirliyi"} <= names
    assert "Vergilər Nazirliyi" in names
    usage = queries.portal_usage(st)
    assert len(usage) == 39 and set(usage["period"]) == {"2014-07"}
    assert queries.methodologies(st)["id"].tolist() == ["2013-osce"]


def test_older_file_is_upgraded(tmp_path):
    path = tmp_path / "old.duckdb"
    old = Store(path, migrate=False)
    schema.migrate(old, target=1)
    old.close()
    con = duckdb.connect(str(path))
    assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 1
    assert not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name='review_states'").fetchone()[0]
    con.close()
    st = Store(path)
    assert st.scalar("SELECT max(version) FROM schema_version") == schema.LATEST
    assert st.scalar("SELECT count(*) FROM review_states") == 0
    assert len(queries.institutions(st)) >= 39  # seeded on the upgrade since it was empty
    st.close()
    again = Store(path)  # reopening applies nothing twice
    assert again.rows("SELECT version FROM schema_version ORDER BY version") == [(v,) for v in range(1, schema.LATEST + 1)]
    again.close()


def test_open_store_is_shared(tmp_path):
    a = open_store(tmp_path / "s.duckdb")
    assert open_store(str(tmp_path / "s.duckdb")) is a
    a.close()


def test_transaction_rolls_back(st):
    before = queries.content_fingerprint(st)
    with pytest.raises(RuntimeError), st.transaction() as cur:
        cur.execute("DELETE FROM institutions")
        raise RuntimeError("boom")
    assert queries.content_fingerprint(st) == before


def test_commit_then_identical_and_unchanged(st):
    wb = workbook(st)
    plan = plan_import(st, wb, replace=False)
    assert plan.rows["status"].tolist() == ["new"] and not plan.identical_file and plan.round_exists
    res = commit_import(st, EXPERT, wb)
    assert res.status == "imported" and res.import_id == 1
    df = queries.service_answers(st, "2024", "self")
    assert len(df) == 1 and df.iloc[0][[f"q{i}" for i in range(1, 18)]].tolist() == list(E_DECL)
    assert list(df.columns) == queries.SERVICE_ANSWER_COLUMNS
    fp = queries.content_fingerprint(st)
    assert plan_import(st, wb, False).identical_file
    assert commit_import(st, EXPERT, wb).status == "identical"
    # Another file with the same values changes nothing either.
    other = workbook(st, name="b.xlsx")
    other.sha256 = "0" * 64
    assert commit_import(st, EXPERT, other).status == "unchanged"
    assert queries.content_fingerprint(st) == fp


def test_conflict_without_replace_and_history_with_it(st):
    commit_import(st, ADMIN, workbook(st, coverage=(10, 5)))
    changed = (1,) * 17
    wb2 = workbook(st, changed, name="b.xlsx", coverage=(10, 6))
    plan = plan_import(st, wb2, replace=False)
    assert set(plan.conflicts["reason"]) == {"replace"} and len(plan.conflicts) == 2
    fp = queries.content_fingerprint(st)
    with pytest.raises(ImportConflict) as exc:
        commit_import(st, EXPERT, wb2)
    assert len(exc.value.conflicts) == 2
    assert queries.content_fingerprint(st) == fp
    res = commit_import(st, EXPERT, wb2, replace=True)
    assert res.status == "imported"
    sid = int(_svc(st).service_id)
    hist = queries.answer_history(st, "2024", sid)
    assert len(hist) == 2 and hist["file_name"].tolist() == ["b.xlsx", "a.xlsx"]
    assert hist["current"].tolist() == [True, False]
    assert queries.service_answers(st, "2024", "self").iloc[0]["q17"] == 1
    assert queries.coverage_rows(st, "2024")["e_services_provided"].tolist() == [6]
    assert queries.events(st)["action"].iloc[0] == "replace"


def test_revert_restores_exactly(st):
    infra = {"1.1": 1.0, "2.5": 40.0}
    commit_import(st, ADMIN, workbook(st, coverage=(10, 5), infra=infra))
    snapshot = (queries.service_answers(st, "2024", "validated"), queries.coverage_rows(st, "2024"),
                queries.infrastructure_answers(st, "2024"), queries.institutions(st), queries.services(st))
    wb = workbook(st, (1,) * 17, name="b.xlsx", coverage=(12, 12), infra={"1.1": 0.0, "2.5": 60.0}, comment="x")
    res = commit_import(st, EXPERT, wb, replace=True)
    assert queries.coverage_rows(st, "2024")["services_transferable"].tolist() == [12]
    restored = revert_import(st, EXPERT, res.import_id)
    assert restored["service_answers"] == 1 and restored["coverage"] == 1 and restored["infrastructure_answers"] == 2
    after = (queries.service_answers(st, "2024", "validated"), queries.coverage_rows(st, "2024"),
             queries.infrastructure_answers(st, "2024"), queries.institutions(st), queries.services(st))
    for a, b in zip(snapshot, after):
        pd.testing.assert_frame_equal(a, b)
    imp = queries.imports(st)
    assert imp.set_index("import_id").loc[res.import_id, "outcome"] == "reverted"
    assert queries.events(st)["action"].iloc[0] == "revert"
    with pytest.raises(ValueError):
        revert_import(st, EXPERT, res.import_id)
    # The reverted file may now be imported again.
    assert commit_import(st, EXPERT, wb, replace=True).status == "imported"


def test_revert_refused_when_superseded(st):
    first = commit_import(st, ADMIN, workbook(st)).import_id
    commit_import(st, EXPERT, workbook(st, (1,) * 17, name="b.xlsx"), replace=True)
    with pytest.raises(ImportConflict):
        revert_import(st, EXPERT, first)


def test_new_institution_and_service_hidden_after_revert(st):
    wb = ParsedWorkbook(
        file_name="n.xlsx", sha256="1" * 64, meta=Meta(round="2024"),
        services=[ServiceRecord(row=3, institution_id=None, institution_name="Yeni Agentlik", service_code="99.1",
                                service_name="Yeni xidmət", audience=None, answers=E_DECL, new_institution=True,
                                new_service=True)],
        coverage=[CoverageRecord(row=3, institution_id=None, institution_name="Yeni Agentlik", transferable=3,
                                 provided=1, new_institution=True)])
    n_inst = len(queries.institutions(st))
    res = commit_import(st, ADMIN, wb)
    inst = queries.institutions(st)
    assert len(inst) == n_inst + 1 and (inst["name_az"] == "Yeni Agentlik").sum() == 1
    assert queries.coverage_rows(st, "2024")["institution_az"].tolist() == ["Yeni Agentlik"]
    revert_import(st, ADMIN, res.import_id)
    assert len(queries.institutions(st)) == n_inst and "99.1" not in set(queries.services(st)["code"])
    res2 = commit_import(st, ADMIN, wb)  # the hidden institution is reused, not duplicated
    assert res2.status == "imported"
    assert st.scalar("SELECT count(*) FROM institutions WHERE name_az = 'Yeni Agentlik'") == 1
    assert len(queries.institutions(st)) == n_inst + 1


def test_validated_prefers_expert(st):
    commit_import(st, ADMIN, workbook(st))
    commit_import(st, ADMIN, workbook(st, code="7.2", name="c.xlsx"))
    commit_import(st, EXPERT, workbook(st, (1,) * 17, name="e.xlsx", source="expert"))
    v = queries.service_answers(st, "2024", "validated").set_index("code")
    assert v.loc["7.1", "source"] == "expert" and v.loc["7.1", "q17"] == 1
    assert v.loc["7.2", "source"] == "self"
    assert len(queries.service_answers(st, "2024", "expert")) == 1


def test_locked_institution_is_a_conflict(st):
    commit_import(st, ADMIN, workbook(st))
    iid = int(_svc(st).institution_id)
    set_review_state(st, ADMIN, "2024", iid, "approved")
    plan = plan_import(st, workbook(st, (1,) * 17, name="b.xlsx"), replace=True)
    assert plan.conflicts["reason"].tolist() == ["locked"]
    with pytest.raises(ImportConflict):
        commit_import(st, EXPERT, workbook(st, (1,) * 17, name="b.xlsx"), replace=True)
    set_review_state(st, ADMIN, "2024", iid, "returned", reason="q15 needs evidence")
    assert commit_import(st, EXPERT, workbook(st, (1,) * 17, name="b.xlsx"), replace=True).status == "imported"


def test_experts_change_review_states_only_through_the_workflow(st):
    commit_import(st, ADMIN, workbook(st))
    with pytest.raises(PermissionDenied):
        set_review_state(st, EXPERT, "2024", int(_svc(st).institution_id), "approved")


def test_no_import_opens_a_round(st):
    fp = queries.content_fingerprint(st)
    for actor in (EXPERT, ADMIN):
        with pytest.raises(Refused) as exc:
            commit_import(st, actor, workbook(st, round="2099"))
        assert exc.value.code == "round_not_open" and "2024" in exc.value.message("en")
        assert "2099" in exc.value.message("az")
    assert queries.rounds(st)["label"].tolist() == ["2024"]
    assert queries.content_fingerprint(st) == fp


def test_viewer_may_write_nothing(st):
    commit_import(st, ADMIN, workbook(st))
    fp = queries.content_fingerprint(st)
    writes = [
        lambda: commit_import(st, VIEWER, workbook(st, (1,) * 17, name="v.xlsx"), replace=True),
        lambda: revert_import(st, VIEWER, 1),
        lambda: open_round(st, VIEWER, "2030"),
        lambda: publish_round(st, VIEWER, "2024"),
        lambda: set_round_status(st, VIEWER, "2024", "closed"),
        lambda: set_review_state(st, VIEWER, "2024", 1, "approved"),
        lambda: add_institution(st, VIEWER, "Test"),
        lambda: add_service(st, VIEWER, 1, "1.1"),
        lambda: import_portal_usage_csv(st, VIEWER, pd.DataFrame({"institution": [], "e_services_on_portal": [], "uses": []}), "2015-01"),
    ]
    for w in writes:
        with pytest.raises(PermissionDenied) as exc:
            w()
        assert "viewer" in str(exc.value) or "baxış" in str(exc.value)
    assert queries.content_fingerprint(st) == fp


def test_expert_cannot_do_admin_things(st):
    with pytest.raises(PermissionDenied):
        open_round(st, EXPERT, "2030")
    with pytest.raises(PermissionDenied):
        add_institution(st, EXPERT, "Test")


def test_closed_round_refuses_imports(st):
    commit_import(st, ADMIN, workbook(st))
    set_round_status(st, ADMIN, "2024", "closed")
    with pytest.raises(ImportConflict):
        commit_import(st, EXPERT, workbook(st, code="7.2", name="c.xlsx"))


def test_portal_usage_csv(st, tmp_path):
    csv = tmp_path / "u.csv"
    csv.write_text("institution,e_services_on_portal,uses\nMinistry of Taxes,12,5000\nədliyyə nazirliyi,3,70\n",
                   encoding="utf-8")
    import_id = import_portal_usage_csv(st, EXPERT, csv, "2015-01")
    u = queries.portal_usage(st, "2015-01")
    assert len(u) == 2 and set(u["import_id"]) == {import_id}
    with pytest.raises(ImportConflict):
        import_portal_usage_csv(st, EXPERT, csv, "2015-01")
    import_portal_usage_csv(st, EXPERT, csv, "2015-01", replace=True)
    assert len(queries.portal_usage(st, "2015-01")) == 2
    bad = pd.DataFrame({"institution": ["Nowhere Ministry"], "e_services_on_portal": [1], "uses": [1]})
    with pytest.raises(ValueError, match="Nowhere"):
        import_portal_usage_csv(st, EXPERT, bad, "2015-02")


def test_every_write_leaves_an_event(st):
    n = len(queries.events(st))
    commit_import(st, ADMIN, workbook(st))
    set_review_state(st, ADMIN, "2024", int(_svc(st).institution_id), "approved")
    publish_round(st, ADMIN, "2024")
    iid = add_institution(st, ADMIN, "Sınaq Agentliyi", "Test Agency")
    add_service(st, ADMIN, iid, "1.1", "Sınaq")
    actions = queries.events(st)["action"].tolist()[: len(queries.events(st)) - n]
    assert actions == ["add_service", "add_institution", "publish", "review_approved", "import"]


def test_concurrent_writers_are_serialised(st):
    import threading

    commit_import(st, ADMIN, workbook(st))
    codes = ["7.2", "7.4", "7.8", "7.10"]
    results, errors = [], []

    def work(code):
        try:
            results.append(commit_import(st, EXPERT, workbook(st, code=code, name=f"{code}.xlsx")).import_id)
            queries.service_answers(st, "2024", "self")  # a read on this thread's own cursor
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(c,)) for c in codes]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and sorted(results) == [2, 3, 4, 5]
    assert len(queries.service_answers(st, "2024", "self")) == 5


def test_service_codes_match_loosely_but_stay_as_written(st):
    wb = workbook(st, code="7.1")
    wb.services[0].service_code = " 7.1 "
    commit_import(st, ADMIN, wb)
    assert (queries.services(st)["code"] == "7.1").sum() == 1  # no twin service created
    assert len(queries.service_answers(st, "2024", "self")) == 1

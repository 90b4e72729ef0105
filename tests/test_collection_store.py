"""Online collection in the store: scoping, conflicting saves, the change log, prefill, submission and review,
lateness and extensions, workbook uploads."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from store import Store, collection, queries
from store.accounts import AccountError, identity_for_email, set_role
from store.actors import Actor, PermissionDenied
from store.imports import commit_import
from store.publication import publish
from store.review import approve, return_submission, start_review
from store.rounds import open_round
from tests.test_store import workbook

ADMIN, EXPERT, VIEWER = Actor("ana", "admin"), Actor("elvin", "expert"), Actor("vera", "viewer")
ROUND = "2025"
DEADLINE, CLOSES = dt.date(2025, 12, 1), dt.date(2025, 12, 15)


@pytest.fixture()
def st(writable_db, monkeypatch):
    s = Store(writable_db)
    open_round(s, ADMIN, ROUND, deadline=DEADLINE, closes=CLOSES, reason="yearly collection")
    monkeypatch.setattr(collection, "_today", lambda: dt.date(2025, 11, 20))
    yield s
    s.close()


def iid_of(st, name: str) -> int:
    inst = queries.institutions(st)
    return int(inst.loc[inst["name_az"] == name, "institution_id"].iloc[0])


@pytest.fixture()
def taxes(st) -> int:
    return iid_of(st, "Vergilər Nazirliyi")


@pytest.fixture()
def justice(st) -> int:
    return iid_of(st, "Ədliyyə Nazirliyi")


def n_services(st, iid: int) -> int:
    """How many services the registry lists for an institution (the demo decides; the tests do not)."""
    return int((queries.services(st)["institution_id"] == iid).sum())


def complete(st, actor: Actor, label: str, iid: int) -> None:
    """Confirm every carried-over service and the coverage figures (what a careful respondent does)."""
    d = collection.ensure_draft(st, actor, label, iid)
    for it in d.live_items:
        if it.state == "carried":
            collection.confirm_item(st, actor, it.item_id, version=it.version)
        elif not it.complete:
            for j, a in enumerate(it.answers):
                if a is None:
                    collection.save_answer(st, actor, it.item_id, j + 1, version=None, value=0)
    cov = collection.draft(st, actor, label, iid).coverage
    if cov.transferable is None:
        collection.save_coverage(st, actor, label, iid, version=cov.version, transferable=10, provided=5)
    else:
        collection.save_coverage(st, actor, label, iid, version=cov.version, confirm=True)


def test_round_freezes_questions_and_services(st, taxes):
    q = collection.questionnaire(st, ROUND)
    m = queries.load_round_methodology(st, ROUND)
    assert [fq.wording("az") for fq in q.questions] == [i.text.az for i in m.indicators]
    expected = collection.expected_services(st, ROUND, taxes)
    owed = n_services(st, taxes)
    assert len(expected) == owed > 0
    from store.registry import add_service

    add_service(st, ADMIN, taxes, "7.99", "Sonradan əlavə olunan xidmət", None, None)
    assert len(collection.expected_services(st, ROUND, taxes)) == owed  # frozen at opening
    ev = queries.events(st)
    assert {"open_round", "open_collection"} <= set(ev["action"])
    assert json.loads(ev[ev["action"] == "open_collection"]["detail"].iloc[0])["services"] > 0


def test_prefill_from_last_approved_round(st, taxes):
    resp = Actor("aysel", "respondent", institution_id=taxes)
    d = collection.ensure_draft(st, resp, ROUND, taxes)
    approved = queries.service_answers(st, "2024", "validated")
    approved = approved[approved["institution_id"] == taxes].set_index("service_id")
    assert {it.state for it in d.items} == {"carried"} and {it.carried_from for it in d.items} == {"2024"}
    for it in d.items:
        assert it.answers == tuple(int(approved.loc[it.service_id, f"q{i}"]) for i in range(1, 18))
    assert (d.coverage.transferable, d.coverage.provided, d.coverage.state) == (77, 77, "carried")
    first = d.items[0]
    collection.confirm_item(st, resp, first.item_id, version=first.version)
    second = d.items[1]
    collection.save_answer(st, resp, second.item_id, 17, version=second.version, value=1 - second.answers[16])
    states = {it.item_id: it.state for it in collection.draft(st, resp, ROUND, taxes).items}
    assert states[first.item_id] == "confirmed" and states[second.item_id] == "changed"
    # Not started until a person changes something: opening the form is no activity.
    assert collection.form_status(st, resp, ROUND, taxes).started


def test_respondent_of_one_institution_cannot_touch_another(st, taxes, justice):
    """Every draft and submission function refuses a respondent of A acting on B."""
    a = Actor("aysel", "respondent", institution_id=taxes)
    b_resp = Actor("bahar", "respondent", institution_id=justice)
    b_draft = collection.ensure_draft(st, b_resp, ROUND, justice)
    b_item = b_draft.items[0]
    complete(st, b_resp, ROUND, justice)
    collection.submit(st, b_resp, ROUND, justice)
    sub_id = int(collection.submissions(st, b_resp, justice)["submission_id"].iloc[0])
    collection.flag_answer(st, EXPERT, ROUND, justice, b_item.item_id, 3, "evidence?")
    calls = {
        "ensure_draft": lambda: collection.ensure_draft(st, a, ROUND, justice),
        "draft": lambda: collection.draft(st, a, ROUND, justice),
        "item": lambda: collection.item(st, a, b_item.item_id),
        "save_answer": lambda: collection.save_answer(st, a, b_item.item_id, 1, version=None, value=0),
        "confirm_item": lambda: collection.confirm_item(st, a, b_item.item_id, version=None),
        "set_not_applicable": lambda: collection.set_not_applicable(st, a, b_item.item_id, version=None,
                                                                    not_applicable=True, reason="x"),
        "set_note": lambda: collection.set_note(st, a, b_item.item_id, version=None, note="x"),
        "propose_service": lambda: collection.propose_service(st, a, ROUND, justice, code="99.1", name="x"),
        "save_coverage": lambda: collection.save_coverage(st, a, ROUND, justice, version=None, transferable=1),
        "change_log": lambda: collection.change_log(st, a, ROUND, justice),
        "run_checks": lambda: collection.run_checks(st, a, ROUND, justice),
        "submit": lambda: collection.submit(st, a, ROUND, justice),
        "submissions": lambda: collection.submissions(st, a, justice),
        "submission_snapshot": lambda: collection.submission_snapshot(st, a, sub_id),
        "flags": lambda: collection.flags(st, a, ROUND, justice),
        "returned_flags": lambda: collection.returned_flags(st, a, ROUND, justice),
        "review_changes": lambda: collection.review_changes(st, a, ROUND, justice),
        "form_status": lambda: collection.form_status(st, a, ROUND, justice),
        "plan_upload": lambda: collection.plan_upload(st, a, ROUND, justice, None),
        "load_workbook": lambda: collection.load_workbook(st, a, ROUND, justice, None),
    }
    for name, call in calls.items():
        with pytest.raises(collection.ScopeDenied):
            call()
            pytest.fail(f"{name} let a respondent of another institution through")
    # Proposals of B cannot be edited or withdrawn by A either.
    return_submission(st, EXPERT, ROUND, justice, "check q3")
    proposal = collection.propose_service(st, b_resp, ROUND, justice, code="99.1", name="Yeni xidmət")
    for call in (lambda: collection.edit_proposal(st, a, proposal, version=None, name="x"),
                 lambda: collection.withdraw_proposal(st, a, proposal, version=None)):
        with pytest.raises(collection.ScopeDenied):
            call()
    # The reviewer's side and the tracker are for experts only; respondents hold no ladder role.
    for call in (lambda: collection.tracker(st, a, ROUND), lambda: collection.reminders(st, a, ROUND),
                 lambda: collection.flag_answer(st, a, ROUND, taxes, b_item.item_id, 1, "x"),
                 lambda: collection.grant_extension(st, a, ROUND, taxes, deadline="2025-12-20", reason="x"),
                 lambda: commit_import(st, a, workbook(st, round=ROUND))):  # a workbook is an expert's import
        with pytest.raises(PermissionDenied):
            call()
    # Nor can a crafted "form" import for B pass the importer's own check.
    forged = workbook(st, round=ROUND, code="7.1")
    forged.meta.source = "form"
    forged.services[0].institution_id = justice
    with pytest.raises(PermissionDenied):
        commit_import(st, a, forged, replace=True)
    # Nothing of B changed.
    assert collection.draft(st, b_resp, ROUND, justice).item(b_item.item_id).answers == \
        b_draft.item(b_item.item_id).answers


def test_two_editors_never_silently_overwrite_each_other(st, taxes):
    aysel = Actor("aysel", "respondent", institution_id=taxes)
    orxan = Actor("orxan", "respondent", institution_id=taxes)
    it = collection.ensure_draft(st, aysel, ROUND, taxes).items[0]
    seen = it.version  # both opened the card at this version
    v1 = collection.save_answer(st, aysel, it.item_id, 3, version=seen, value=1 - it.answers[2])
    assert v1 == seen + 1
    with pytest.raises(collection.EditConflict) as err:
        collection.save_answer(st, orxan, it.item_id, 3, version=seen, value=it.answers[2])
    assert err.value.by == "aysel" and "aysel" in err.value.message("en") and "aysel" in err.value.message("az")
    assert collection.item(st, orxan, it.item_id).answers[2] == 1 - it.answers[2]  # aysel's answer stands
    # A change to another field merges; so does a comment on the same question.
    v2 = collection.save_answer(st, orxan, it.item_id, 4, version=seen, value=1 - it.answers[3])
    v3 = collection.save_answer(st, orxan, it.item_id, 3, version=seen, comment="portal link added")
    assert v3 == v2 + 1 == seen + 3
    # Confirming "unchanged" asserts the whole card: refused once anything changed since.
    with pytest.raises(collection.EditConflict):
        collection.confirm_item(st, aysel, it.item_id, version=v1)
    cov = collection.draft(st, aysel, ROUND, taxes).coverage
    collection.save_coverage(st, aysel, ROUND, taxes, version=cov.version, transferable=80)
    with pytest.raises(collection.EditConflict):
        collection.save_coverage(st, orxan, ROUND, taxes, version=cov.version, transferable=70)
    collection.save_coverage(st, orxan, ROUND, taxes, version=cov.version, provided=60)  # other field: merged
    cov = collection.draft(st, aysel, ROUND, taxes).coverage
    assert (cov.transferable, cov.provided) == (80, 60)
    log = collection.change_log(st, aysel, ROUND, taxes)
    q3 = log[(log["item_id"] == it.item_id) & (log["field"] == "q3")]
    assert len(q3) == 1 and q3["actor"].iloc[0] == "aysel"
    assert q3["old"].iloc[0] == str(it.answers[2]) and q3["new"].iloc[0] == str(1 - it.answers[2])
    assert set(log["actor"]) == {"aysel", "orxan"}


def test_change_log_is_append_only_per_answer(st, taxes):
    resp = Actor("aysel", "respondent", institution_id=taxes)
    it = collection.ensure_draft(st, resp, ROUND, taxes).items[0]
    start = it.answers[8]
    v = it.version
    for value in (1 - start, start, 1 - start):
        v = collection.save_answer(st, resp, it.item_id, 9, version=v, value=value)
    assert collection.save_answer(st, resp, it.item_id, 9, version=v, value=1 - start) == v  # no change, no write
    log = collection.change_log(st, resp, ROUND, taxes, it.item_id)
    q9 = log[log["field"] == "q9"].sort_values("change_id")
    values = [str(start), str(1 - start), str(start), str(1 - start)]
    assert list(zip(q9["old"], q9["new"])) == list(zip(values, values[1:]))
    assert q9["version"].is_monotonic_increasing and set(q9["actor"]) == {"aysel"}


def test_submission_review_return_fix_approve(st, taxes):
    resp = Actor("aysel", "respondent", institution_id=taxes)
    collection.ensure_draft(st, resp, ROUND, taxes)
    with pytest.raises(collection.SubmitBlocked) as blocked:
        collection.submit(st, resp, ROUND, taxes)
    assert {c.code for c in blocked.value.checks} >= {"carried_unconfirmed", "coverage_carried"}
    complete(st, resp, ROUND, taxes)
    sub = collection.submit(st, resp, ROUND, taxes)
    imp = queries.imports(st).iloc[0]
    assert imp["source"] == "form" and imp["file_name"] == f"form:{ROUND}:{taxes}:1" and imp["actor"] == "aysel"
    stored = queries.service_answers(st, ROUND, "self")
    assert set(stored["institution_id"]) == {taxes} and len(stored) == n_services(st, taxes)
    assert queries.coverage_rows(st, ROUND)["services_transferable"].tolist() == [77]
    assert collection.form_status(st, resp, ROUND, taxes).state == "submitted"
    it = collection.draft(st, resp, ROUND, taxes).items[0]
    with pytest.raises(collection.FormLocked):  # read-only until returned
        collection.save_answer(st, resp, it.item_id, 1, version=it.version, value=0)
    # The reviewer flags one answer and returns the form with a reason.
    start_review(st, EXPERT, ROUND, taxes)
    collection.flag_answer(st, EXPERT, ROUND, taxes, it.item_id, 10, "No evidence for once-only.")
    return_submission(st, EXPERT, ROUND, taxes, "Please check indicator 10.")
    status = collection.form_status(st, resp, ROUND, taxes)
    assert status.state == "returned" and status.reason == "Please check indicator 10."
    notices = collection.respondent_notices(st, resp)
    assert notices[0]["kind"] == "returned" and notices[0]["reason"] == "Please check indicator 10."
    flagged = collection.returned_flags(st, resp, ROUND, taxes)
    assert flagged[["item_id", "indicator"]].values.tolist() == [[it.item_id, 10]]
    # The respondent fixes the flagged answer and submits again.
    fixed = 1 - it.answers[9]
    fresh = collection.save_answer(st, resp, it.item_id, 10, version=it.version, value=fixed, read_back=True)
    assert fresh.answers[9] == fixed and fresh.state == "changed"
    collection.save_answer(st, resp, it.item_id, 10, version=None, evidence="https://www.taxes.gov.az/az/page/x")
    second = collection.submit(st, resp, ROUND, taxes)
    assert second == sub + 1
    changes = collection.review_changes(st, EXPERT, ROUND, taxes)
    moved = changes[changes["since_submission"]]
    assert moved[["item_id", "indicator", "previous_submission", "submitted"]].values.tolist() == \
        [[it.item_id, 10, it.answers[9], fixed]]
    assert changes["round_value"].dropna().unique().tolist() == ["2024"]
    assert collection.flags(st, EXPERT, ROUND, taxes, open_only=True).empty  # resolved by the resubmission
    start_review(st, EXPERT, ROUND, taxes)
    approve(st, EXPERT, ROUND, taxes)
    publish(st, ADMIN, ROUND)
    public = queries.service_answers(st, ROUND, "validated", published_only=True)
    assert len(public) == n_services(st, taxes) and int(public.set_index("code").loc[it.code, "q10"]) == fixed
    history = queries.answer_history(st, ROUND, it.service_id)
    assert len(history) == 2 and set(history["file_name"]) == {f"form:{ROUND}:{taxes}:1", f"form:{ROUND}:{taxes}:2"}
    actions = queries.events(st)["action"].tolist()
    for a in ("submit", "flag_answer", "return", "approve", "import", "replace"):
        assert a in actions
    with pytest.raises(collection.FormLocked):
        collection.save_answer(st, resp, it.item_id, 1, version=None, value=0)


def test_only_the_submitter_submits(st, taxes):
    aysel = Actor("aysel", "respondent", institution_id=taxes)
    orxan = Actor("orxan", "respondent", institution_id=taxes)
    collection.set_submitter(st, ADMIN, taxes, "aysel")
    complete(st, orxan, ROUND, taxes)
    with pytest.raises(collection.CollectionError, match="aysel"):
        collection.submit(st, orxan, ROUND, taxes)
    assert not collection.form_status(st, orxan, ROUND, taxes).may_submit
    assert collection.form_status(st, aysel, ROUND, taxes).may_submit
    with pytest.raises(collection.ScopeDenied):
        collection.submit(st, ADMIN, ROUND, taxes)  # administrators help with drafts, never submit
    collection.submit(st, aysel, ROUND, taxes)


def test_not_applicable_and_proposed_services(st, taxes):
    resp = Actor("aysel", "respondent", institution_id=taxes)
    complete(st, resp, ROUND, taxes)
    last = collection.draft(st, resp, ROUND, taxes).items[-1]
    collection.set_not_applicable(st, resp, last.item_id, version=last.version, not_applicable=True, reason="")
    codes = {c.code for c in collection.run_checks(st, resp, ROUND, taxes)}
    assert "na_without_reason" in codes
    collection.set_not_applicable(st, resp, last.item_id, version=None, not_applicable=True,
                                  reason="Xidmət 2025-ci ildə ləğv olunub")
    new = collection.propose_service(st, resp, ROUND, taxes, code="7.99", name="Onlayn vergi məsləhəti",
                                     audience="citizen")
    with pytest.raises(collection.CollectionError):
        collection.propose_service(st, resp, ROUND, taxes, code="7.99", name="twice")
    codes = {c.code for c in collection.run_checks(st, resp, ROUND, taxes)}
    assert "missing_answers" in codes
    for n in range(1, 18):
        collection.save_answer(st, resp, new, n, version=None, value=1 if n <= 9 else 0)
    collection.submit(st, resp, ROUND, taxes)
    stored = queries.service_answers(st, ROUND, "self").set_index("code")
    assert "7.99" in stored.index and last.code not in stored.index
    svc = queries.services(st)
    assert svc[(svc["code"] == "7.99") & (svc["institution_id"] == taxes)]["created_by_import"].notna().all()


def test_lateness_extensions_and_closing(st, taxes, justice, monkeypatch):
    aysel = Actor("aysel", "respondent", institution_id=taxes)
    bahar = Actor("bahar", "respondent", institution_id=justice)
    with pytest.raises(collection.CollectionError):
        collection.grant_extension(st, ADMIN, ROUND, justice, deadline="2025-12-20", reason=" ")
    with pytest.raises(PermissionDenied):
        collection.grant_extension(st, EXPERT, ROUND, justice, deadline="2025-12-20", reason="x")
    with pytest.raises(collection.CollectionError):
        collection.grant_extension(st, ADMIN, ROUND, justice, deadline="2025-11-25", reason="earlier")
    collection.grant_extension(st, ADMIN, ROUND, justice, deadline="2025-12-20", closes="2025-12-31",
                               reason="new minister appointed")
    complete(st, aysel, ROUND, taxes)
    complete(st, bahar, ROUND, justice)
    monkeypatch.setattr(collection, "_today", lambda: dt.date(2025, 12, 10))
    monkeypatch.setattr(collection, "now", lambda: dt.datetime(2025, 12, 10, 8, 0))  # the submissions' clock
    collection.submit(st, aysel, ROUND, taxes)  # 9 days late
    collection.submit(st, bahar, ROUND, justice)  # within the extension
    frame = collection.tracker(st, EXPERT, ROUND, on=dt.date(2025, 12, 10)).set_index("institution_id")
    assert frame.loc[taxes, "timeliness"] == "late" and frame.loc[justice, "timeliness"] == "on_time"
    assert frame.loc[justice, "deadline"] == dt.date(2025, 12, 20) and bool(frame.loc[justice, "extended"])
    assert frame.loc[taxes, "days_to_deadline"] == -9 and frame.loc[justice, "days_to_deadline"] == 10
    assert frame.loc[taxes, "status"] == "submitted" and frame.loc[taxes, "answered"] == n_services(st, taxes)
    others = frame.drop(index=[taxes, justice])
    assert (others["status"] == "not_started").all() and (others["timeliness"] == "late").all()
    subs = collection.submissions(st, EXPERT, taxes)
    assert bool(subs["late"].iloc[0]) and not bool(collection.submissions(st, EXPERT, justice)["late"].iloc[0])
    # After the closing date the form is locked, except where an extension moved it.
    return_submission(st, EXPERT, ROUND, taxes, "fix")
    return_submission(st, EXPERT, ROUND, justice, "fix")
    monkeypatch.setattr(collection, "_today", lambda: dt.date(2025, 12, 16))
    it = collection.draft(st, aysel, ROUND, taxes).items[0]
    with pytest.raises(collection.FormLocked, match="2025-12-15"):
        collection.save_answer(st, aysel, it.item_id, 1, version=None, value=0)
    jt = collection.draft(st, bahar, ROUND, justice).items[0]
    collection.save_answer(st, bahar, jt.item_id, 1, version=None, value=1 - jt.answers[0])
    assert "grant_extension" in queries.events(st)["action"].tolist()
    collection.set_calendar(st, ADMIN, ROUND, deadline="2025-12-05", closes="2025-12-31", reason="postponed")
    assert "change_calendar" in queries.events(st)["action"].tolist()
    collection.save_answer(st, aysel, it.item_id, 1, version=None, value=1 - it.answers[0])  # open again


def test_reminders_name_the_respondents(st, taxes, justice, tmp_path, monkeypatch):
    from store import accounts

    secrets = tmp_path / "secrets.toml"
    monkeypatch.setenv("EGOV_SECRETS", str(secrets))
    accounts.add_account("aysel", "Gizli-parol-1", "respondent", "Aysel Məmmədova", institution_id=taxes)
    set_role(st, ADMIN, "bahar@justice.gov.az", "respondent", "Bahar Əliyeva", institution_id=justice)
    collection.ensure_draft(st, Actor("aysel", "respondent", institution_id=taxes), ROUND, taxes)
    it = collection.draft(st, ADMIN, ROUND, taxes).items[0]
    collection.confirm_item(st, Actor("aysel", "respondent", institution_id=taxes), it.item_id, version=it.version)
    far = collection.reminders(st, EXPERT, ROUND, on=dt.date(2025, 11, 1)).set_index("institution_id")
    assert justice in far.index and taxes not in far.index  # a draft far from its deadline needs no reminder
    assert far.loc[justice, "respondents"] == "Bahar Əliyeva" and far.loc[justice, "logins"] == "bahar@justice.gov.az"
    near = collection.reminders(st, EXPERT, ROUND, on=dt.date(2025, 11, 28)).set_index("institution_id")
    assert near.loc[taxes, "status"] == "draft" and near.loc[taxes, "respondents"] == "Aysel Məmmədova"


def test_sso_respondents_need_an_institution(st, taxes):
    with pytest.raises(AccountError):
        set_role(st, ADMIN, "x@taxes.gov.az", "respondent")
    set_role(st, ADMIN, "x@taxes.gov.az", "respondent", institution_id=taxes)
    assert identity_for_email(st, "X@taxes.gov.az") == ("respondent", taxes)
    set_role(st, ADMIN, "x@taxes.gov.az", "expert")
    assert identity_for_email(st, "x@taxes.gov.az") == ("expert", None)
    with pytest.raises(ValueError):
        Actor("x", "respondent")
    assert not Actor("x", "respondent", institution_id=1).can("viewer")


def test_workbook_upload_goes_through_the_reader_into_the_draft(st, taxes, justice):
    from form.workbook import prefilled_workbook
    from ingest.pipeline import read_file
    from ingest.registry import Registry

    resp = Actor("aysel", "respondent", institution_id=taxes)
    d = collection.ensure_draft(st, resp, ROUND, taxes)
    m = queries.load_round_methodology(st, ROUND)
    reg = Registry.from_frames(*queries.registry_frames(st))
    data = prefilled_workbook(m, reg, d, "az")
    parsed, errors, _ = read_file(st, "self-2025.xlsx", data)
    owed = n_services(st, taxes)
    assert not errors and len(parsed.services) == owed and parsed.coverage[0].transferable == 77
    changed = parsed.services[0]
    changed.answers = tuple(1 - a for a in changed.answers)
    plan = collection.plan_upload(st, resp, ROUND, taxes, parsed)
    assert plan.updated == [changed.service_code] and len(plan.confirmed) == owed - 1
    collection.load_workbook(st, resp, ROUND, taxes, parsed)
    after = collection.draft(st, resp, ROUND, taxes)
    assert {it.state for it in after.items} == {"changed", "confirmed"}
    assert after.coverage.state == "confirmed"
    log = collection.change_log(st, resp, ROUND, taxes)
    assert set(log["via"]) == {"workbook:self-2025.xlsx"}
    assert "form_upload" in queries.events(st)["action"].tolist()
    # A workbook of another institution is refused whole.
    other = collection.ensure_draft(st, Actor("b", "respondent", institution_id=justice), ROUND, justice)
    foreign, _, _ = read_file(st, "justice.xlsx", prefilled_workbook(m, reg, other, "en"))
    with pytest.raises(collection.CollectionError, match="Ədliyyə"):
        collection.load_workbook(st, resp, ROUND, taxes, foreign)


def test_a_collecting_round_keeps_its_methodology(st):
    from store.methodologies import set_round_methodology

    with pytest.raises(ValueError, match="frozen"):
        set_round_methodology(st, ADMIN, ROUND, "2013-osce", reason="try")


def test_an_institution_without_registered_services_still_reports(st):
    from store.registry import add_institution

    iid = add_institution(st, ADMIN, "Yeni Agentlik", "New Agency")
    resp = Actor("nuran", "respondent", institution_id=iid)
    for _ in range(2):  # opening the form twice creates one draft
        assert collection.ensure_draft(st, resp, ROUND, iid).items == []
    assert {c.code for c in collection.run_checks(st, resp, ROUND, iid)} == {"coverage_missing"}
    item = collection.propose_service(st, resp, ROUND, iid, code="1.1", name="Onlayn qeydiyyat")
    for n in range(1, 18):
        collection.save_answer(st, resp, item, n, version=None, value=int(n <= 5))
    cov = collection.draft(st, resp, ROUND, iid).coverage
    collection.save_coverage(st, resp, ROUND, iid, version=cov.version, transferable=3, provided=1)
    collection.submit(st, resp, ROUND, iid)
    assert queries.service_answers(st, ROUND, "self").query("institution_id == @iid")["code"].tolist() == ["1.1"]

"""The online form in the app (AppTest): the whole collection flow in both languages, and what respondents may see.

Open a round → a respondent fills the form, leaves, comes back to the draft, submits → an expert flags an answer
and returns it → the respondent, told at sign-in, fixes it → the expert approves → the board shows it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from l10n import fmt_days
from store import Store, collection, queries
from store.actors import Actor
from ui.choosers import widget_key
from ui.i18n import t
from ui.safe import md

APP = str(Path(__file__).resolve().parent.parent / "app.py")
ROUND = "2025"
CUSTOMS = "Dövlət Gömrük Komitəsi"
ADMIN, EXPERT = Actor("ana", "admin"), Actor("elvin", "expert")


AGENCY, AGENCY_EN = "Sınaq Agentliyi", "Test Agency"


def small_institution(st) -> int:
    """An institution with one service, assessed and approved in 2024: its 2025 form has one carried-over card."""
    from ingest.model import CoverageRecord, Meta, ParsedWorkbook, ServiceRecord
    from store.imports import commit_import
    from store.registry import add_institution, add_service
    from store.review import approve, start_review

    iid = add_institution(st, ADMIN, AGENCY, AGENCY_EN)
    add_service(st, ADMIN, iid, "1.1", "Onlayn qeydiyyat", "Online registration", "citizen")
    record = ServiceRecord(row=3, institution_id=iid, institution_name=AGENCY, service_code="1.1",
                           service_name="Onlayn qeydiyyat", audience="citizen", answers=(1,) * 9 + (0,) * 8)
    commit_import(st, ADMIN, ParsedWorkbook(
        file_name="agency-2024.xlsx", sha256="a" * 64, meta=Meta(round="2024", source="self"), services=[record],
        coverage=[CoverageRecord(row=3, institution_id=iid, institution_name=AGENCY, transferable=10, provided=6)]))
    start_review(st, EXPERT, "2024", iid)
    approve(st, EXPERT, "2024", iid)
    return iid


@pytest.fixture()
def env(writable_db, tmp_path, monkeypatch):
    monkeypatch.setenv("EGOV_SECRETS", str(tmp_path / "none.toml"))
    with Store(writable_db) as st:
        inst = queries.institutions(st).set_index("name_az")
        return writable_db, int(inst.loc[CUSTOMS, "institution_id"]), int(inst.loc["Vergilər Nazirliyi",
                                                                                    "institution_id"])


@pytest.fixture()
def agency(env):
    with Store(env[0]) as st:
        return small_institution(st)


def app(actor: Actor | None, lang: str, page: str | None = None, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = lang
    if actor is not None:
        at.session_state["actor"] = actor
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(page).run()
    clean(at)
    return at


def clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click().run()
    return at


def texts(at: AppTest) -> str:
    parts = [e.value for e in (*at.markdown, *at.caption, *at.title, *at.info, *at.warning, *at.success,
                               *at.subheader)]
    for d in at.dataframe:
        value = d.value
        parts.append((value.data if hasattr(value, "data") else value).to_string())
    return "\n".join(str(p) for p in parts)


def draft_items(db, iid: int):
    with Store(db) as st:
        return collection.draft(st, ADMIN, ROUND, iid).items


@pytest.mark.parametrize("lang", ["az", "en"])
def test_full_collection_flow(env, agency, lang):
    db, _, _ = env
    customs = agency  # the institution whose form goes through the whole flow
    resp = Actor("gunel", "respondent", institution_id=customs)
    deadline = dt.date.today() + dt.timedelta(days=14)

    # An administrator opens the round for collection on the Administration page.
    at = app(ADMIN, lang, "pages/admin.py")
    at.text_input(key="new-round").input(ROUND)
    at.date_input(key="new-round-deadline").set_value(deadline)
    click(at, t("admin.open", lang))
    clean(at)
    with Store(db) as st:
        assert collection.collection_rounds(st)["label"].tolist() == [ROUND]

    # The respondent lands on its form, changes one answer and adds evidence, then leaves.
    at = app(resp, lang)
    assert at.title[0].value == t("form.title", lang)
    (it,) = draft_items(db, customs)
    assert it.state == "carried"
    before = it.answers[6]
    at.radio(key=f"fa-{it.item_id}-7").set_value(1 - before).run()
    clean(at)
    at.text_input(key=f"fe-{it.item_id}-7").input("https://customs.gov.az/e-declaration").run()
    clean(at)
    level = next(m.value for m in at.metric if m.label == t("form.level", lang))

    # A new session (a closed tab, a restart) finds the draft in the database.
    at = app(resp, lang)
    assert at.radio(key=f"fa-{it.item_id}-7").value == 1 - before
    assert at.text_input(key=f"fe-{it.item_id}-7").value == "https://customs.gov.az/e-declaration"
    assert next(m.value for m in at.metric if m.label == t("form.level", lang)) == level
    at.button_group(key="form-section").set_value("coverage").run()
    at.button(key="fcov-confirm").click().run()
    at.button_group(key="form-section").set_value("check").run()
    clean(at)
    assert at.button(key="form-submit").disabled  # the declaration is not ticked yet
    at.checkbox(key="form-declare").check().run()
    at.button(key="form-submit").click().run()
    clean(at)
    assert any(t("form.submit.done", lang, round=ROUND) in s.value for s in at.success)
    at.button_group(key="form-section").set_value("services").run()
    assert at.radio(key=f"fa-{it.item_id}-7").disabled  # read-only until returned

    # The expert sees what changed since the last round, flags the answer and returns the form.
    at = app(EXPERT, lang, "pages/review.py", round=ROUND)
    at.selectbox(key=widget_key("review-inst", lang)).set_value(customs).run()
    clean(at)
    body = texts(at)
    assert t("form.review.title", lang) in body and "customs.gov.az" in body
    at.selectbox(key=f"flag-item-{lang}").set_value(it.item_id)
    at.selectbox(key=f"flag-ind-{lang}").set_value(7)
    at.text_area(key="flag-comment").input("Link shows the paper form only.")
    click(at, t("form.review.flag.button", lang))
    clean(at)
    at.selectbox(key=f"review-target-{lang}").set_value("returned")
    at.text_input(key="review-reason").input("See the note on indicator 7.")
    click(at, t("review.apply", lang))
    clean(at)

    # Signed in again, the respondent is told about the return and the note, then fixes the answer.
    at = app(resp, lang)
    assert any(md("See the note on indicator 7.") in w.value for w in at.sidebar.warning)
    body = texts(at)
    assert md("See the note on indicator 7.") in body and md("Link shows the paper form only.") in body
    link = at.button(key=f"fflag-{it.item_id}")  # the flagged service is one click away, whatever the list
    assert it.code in link.label and "7" in link.label
    link.click().run()
    clean(at)
    assert at.session_state["form-item"] == it.item_id
    at.radio(key=f"fa-{it.item_id}-7").set_value(before).run()
    clean(at)
    at.button_group(key="form-section").set_value("check").run()
    at.checkbox(key="form-declare").check().run()
    at.button(key="form-submit").click().run()
    clean(at)

    # The expert reviews and approves; the board then shows the institution in the round.
    at = app(EXPERT, lang, "pages/review.py", round=ROUND)
    at.selectbox(key=widget_key("review-inst", lang)).set_value(customs).run()
    assert t("form.review.mode.since_submission", lang) in [o for o in at.button_group(key="review-form-mode").options]
    for step in ("under_review", "approved"):
        at.selectbox(key=f"review-target-{lang}").set_value(step)
        click(at, t("review.apply", lang))
        clean(at)
    with Store(db) as st:
        assert collection.form_status(st, ADMIN, ROUND, customs).state == "approved"
        stored = queries.service_answers(st, ROUND, "self")
        assert stored["institution_id"].tolist() == [customs] and int(stored["q7"].iloc[0]) == before
    board = app(EXPERT, lang, "pages/board.py", round=ROUND)
    name = AGENCY if lang == "az" else AGENCY_EN
    assert name in texts(board)
    # Published, visitors see it too.
    at = app(ADMIN, lang, "pages/admin.py", round=ROUND)
    at.selectbox(key=widget_key("admin-round", lang)).set_value(ROUND)
    at.button(key="btn-publish").click().run()
    clean(at)
    visitor = app(None, lang, "pages/board.py", round=ROUND)
    assert name in texts(visitor)


def test_respondent_sees_public_pages_and_its_own_form_only(env):
    db, customs, taxes = env
    with Store(db) as st:
        from store.rounds import open_round

        open_round(st, ADMIN, ROUND, deadline=dt.date.today() + dt.timedelta(days=3))
    resp = Actor("gunel", "respondent", institution_id=customs)
    at = app(resp, "en")
    # No unpublished round in the results, no expert or admin page.
    assert all(not o.startswith(ROUND) for o in at.sidebar.selectbox[0].options)
    for page in ("pages/data.py", "pages/review.py", "pages/admin.py", "pages/tracker.py", "pages/audit.py",
                 "pages/discrepancy.py"):
        with pytest.raises(ValueError):
            app(resp, "en").switch_page(page).run()
    from form.clock import today

    days = (dt.date.today() + dt.timedelta(days=3) - today()).days  # Baku's date may already be tomorrow
    due = t("form.notice.due", "en", round=ROUND, days=fmt_days(days, "en"))
    assert any(due in i.value for i in at.sidebar.info)
    # Crafted session values and URL parameters do not open another institution's form.
    with Store(db) as st:
        other = collection.ensure_draft(st, Actor("t", "respondent", institution_id=taxes), ROUND, taxes)
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["actor"] = resp
    at.session_state["form-admin-inst"] = taxes
    at.session_state["form-item"] = other.items[0].item_id
    at.query_params["institution"] = str(taxes)
    at.run()
    clean(at)
    assert CUSTOMS in texts(at) and "Vergilər Nazirliyi" not in texts(at)
    assert at.session_state["form-item"] != other.items[0].item_id
    with Store(db) as st:
        log = collection.change_log(st, ADMIN, ROUND, taxes)
        assert log.empty  # nothing was written to the other institution's form


def test_tracker_page_and_admin_collection_tab(env):
    db, customs, _ = env
    with Store(db) as st:
        from store.rounds import open_round

        open_round(st, ADMIN, ROUND, deadline=dt.date.today() + dt.timedelta(days=3))
        collection.ensure_draft(st, Actor("g", "respondent", institution_id=customs), ROUND, customs)
        it = collection.draft(st, ADMIN, ROUND, customs).items[0]
        collection.confirm_item(st, Actor("g", "respondent", institution_id=customs), it.item_id, version=0)
    for lang in ("az", "en"):
        at = app(EXPERT, lang, "pages/tracker.py")
        body = texts(at)
        assert t("tracker.status.draft", lang) in body and t("tracker.status.not_started", lang) in body
        expected = str(len(set(collection.expected_services(Store(db), ROUND)["institution_id"])))
        assert any(m.label == t("tracker.expected", lang) and m.value == expected for m in at.metric)
        assert at.get("download_button")
    at = app(ADMIN, "en", "pages/admin.py")
    at.selectbox(key="coll-ext-inst-en").set_value(customs)
    at.date_input(key="coll-ext-d").set_value(dt.date.today() + dt.timedelta(days=30))
    at.text_input(key="coll-ext-reason").input("IT outage at the committee")
    click(at, t("collection.admin.extend.button", "en"))
    clean(at)
    with Store(db) as st:
        ext = collection.extensions(st, ROUND)
        assert ext["institution_id"].tolist() == [customs] and ext["reason"].tolist() == ["IT outage at the committee"]


def test_two_sessions_editing_one_answer_see_the_conflict(env):
    db, customs, _ = env
    with Store(db) as st:
        from store.rounds import open_round

        open_round(st, ADMIN, ROUND, deadline=dt.date.today() + dt.timedelta(days=10))
    first = app(Actor("gunel", "respondent", institution_id=customs), "en")
    second = app(Actor("nigar", "respondent", institution_id=customs), "en")
    it = draft_items(db, customs)[0]  # the card shown first
    answer, comment = f"fa-{it.item_id}-3", f"fc-{it.item_id}-3"
    first.radio(key=answer).set_value(1 - it.answers[2]).run()
    second.radio(key=answer).set_value(1 - it.answers[2]).run()  # the same answer: nothing to overwrite
    clean(second)
    first.text_input(key=comment).input("Survey runs since March.").run()
    second.text_input(key=comment).input("No survey yet.").run()  # typed over the card drawn before gunel's
    assert not second.exception
    message = " ".join(e.value for e in second.error)
    assert "gunel" in message and t("form.reload", "en") in [b.label for b in second.button]
    assert draft_items(db, customs)[0].comments[2] == "Survey runs since March."  # nothing silently overwritten
    next(b for b in second.button if b.label == t("form.reload", "en")).click().run()
    clean(second)
    assert second.text_input(key=comment).value == "Survey runs since March."


def _speaks(at: AppTest, lang: str, db) -> None:
    """The locale area's checks (no English on an az page, no raw keys, no ``nan``, CLDR numbers)."""
    from tests.test_locale_pages import check

    check(at, lang, db)


@pytest.mark.parametrize("lang", ["az", "en"])
def test_collection_pages_speak_the_language(env, lang):
    """Form (every section, with a returned submission and a flag), review panel, tracker and administration."""
    db, customs, _ = env
    resp = Actor("gunel", "respondent", institution_id=customs)
    with Store(db) as st:
        from store.review import transition
        from store.rounds import open_round

        open_round(st, ADMIN, ROUND, deadline=dt.date.today() + dt.timedelta(days=3))
        d = collection.ensure_draft(st, resp, ROUND, customs)
        for it in d.items:
            collection.confirm_item(st, resp, it.item_id, version=it.version)
        first = collection.draft(st, resp, ROUND, customs).items[0]
        collection.save_answer(st, resp, first.item_id, 7, version=first.version, value=1 - first.answers[6],
                               evidence="https://customs.gov.az/x")
        collection.save_coverage(st, resp, ROUND, customs, version=None, confirm=True)
        collection.submit(st, resp, ROUND, customs)
        collection.flag_answer(st, EXPERT, ROUND, customs, first.item_id, 7, "Bax")
        transition(st, EXPERT, ROUND, customs, "returned", "Bax")
    at = app(resp, lang)
    _speaks(at, lang, db)
    for section in ("coverage", "check", "files", "history"):
        at.button_group(key="form-section").set_value(section).run()
        _speaks(at, lang, db)
    _speaks(app(EXPERT, lang, "pages/tracker.py"), lang, db)
    at = app(EXPERT, lang, "pages/review.py", round=ROUND)
    at.selectbox(key=widget_key("review-inst", lang)).set_value(customs).run()
    _speaks(at, lang, db)
    _speaks(app(ADMIN, lang, "pages/admin.py"), lang, db)


def test_administration_adds_respondents_and_maps_sign_in(env):
    """A local respondent account from the collection tab (the first one submits); an e-mail mapped to a respondent
    of one institution on the roles tab, for single sign-on."""
    from store import accounts

    db, customs, _ = env
    at = app(ADMIN, "en", "pages/admin.py")
    at.text_input(key="coll-new-user").input("gunel")
    at.text_input(key="coll-new-name").input("Günel Həsənova")
    at.selectbox(key="coll-new-inst-en").set_value(customs)
    at.text_input(key="coll-new-pw").input("a-long-enough-secret-9")
    at.text_input(key="coll-new-reason").input("customs' form for 2025")
    click(at, t("collection.admin.add_local.button", "en"))
    clean(at)
    assert ("gunel", "Günel Həsənova", customs) in accounts.respondent_accounts()
    with Store(db) as st:  # the account change is in the audit trail, with its institution and reason
        added = queries.events(st).query("action == 'account_add'").iloc[0]
        assert added["institution_id"] == customs and added["reason"] == "customs' form for 2025"
    with Store(db) as st, st.reading() as cur:
        assert collection.submitter_of(cur, customs) == "gunel"
    at.text_input(key="role-email").input("nigar@customs.gov.az")
    at.selectbox(key="role-pick-en").set_value("respondent")
    at.selectbox(key="role-inst-en").set_value(customs)
    click(at, t("admin.role.save", "en"))
    clean(at)
    with Store(db) as st:
        assert accounts.identity_for_email(st, "Nigar@customs.gov.az") == ("respondent", customs)
        people = collection.respondents(st).set_index("login")
    assert people.loc["nigar@customs.gov.az", "institution_id"] == customs
    assert bool(people.loc["gunel", "submitter"]) and not bool(people.loc["nigar@customs.gov.az", "submitter"])

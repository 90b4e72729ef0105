"""The form's pure rules: pre-submit checks, web addresses, tracker arithmetic, questionnaire help, printable form."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as hs

from form import checks, clock, tracker
from form.model import Draft, DraftCoverage, DraftItem
from form.questions import Questionnaire
from form.submission import compose_comment, to_parsed
from scoring import load_methodology

M = load_methodology("2013-osce")
N = M.n_indicators


def item(item_id=1, answers=(1,) * 9 + (0,) * 8, **kw) -> DraftItem:
    defaults = dict(item_id=item_id, service_id=item_id, origin="registry", code=f"7.{item_id}", name="E-bəyannamə",
                    audience="citizen", state="confirmed", answers=tuple(answers), comments=(None,) * N,
                    evidence=tuple("https://e-taxes.gov.az" if a == 1 else None for a in answers))
    defaults.update(kw)
    return DraftItem(**defaults)


COVERAGE = DraftCoverage(10, 5, "changed")


def draft(*items, coverage=COVERAGE) -> Draft:
    return Draft("2025", 41, "Vergilər Nazirliyi", M.id, list(items), coverage)


def codes(found) -> set[str]:
    return {c.code for c in found}


def test_a_complete_confirmed_form_passes():
    assert checks.run_checks(draft(item()), M) == []


def test_missing_answers_and_unconfirmed_carry_block():
    found = checks.run_checks(draft(item(answers=(1, None) + (0,) * 15), item(2, state="carried",
                                                                              carried_from="2024")), M)
    assert codes(checks.blocking(found)) == {"missing_answers", "carried_unconfirmed"}
    missing = next(c for c in found if c.code == "missing_answers")
    assert missing.item_id == 1 and missing.params["indicators"] == "2"
    assert "7.1" in missing.message("az") and "7.1" in missing.message("en")


def test_doubtful_answers_warn_and_name_the_indicators():
    no_link = item(evidence=(None,) * N)
    not_url = item(2, evidence=("see the portal",) + (None,) * (N - 1))
    found = checks.run_checks(draft(no_link, not_url), M)
    assert not checks.blocking(found)
    warn = {(c.code, c.item_id): c for c in found}
    assert warn[("yes_without_evidence", 1)].params["n"] == 9
    assert warn[("evidence_not_url", 2)].params["indicators"] == "1"


def test_not_applicable_proposals_and_coverage():
    na = item(not_applicable=True, na_reason=" ", answers=(None,) * N)
    dup = item(2, origin="proposed", code="7.1", service_id=None)
    nameless = item(3, origin="proposed", name="", service_id=None)
    found = checks.run_checks(draft(na, dup, nameless, coverage=DraftCoverage(5, 9, "changed")), M)
    assert codes(checks.blocking(found)) == {"na_without_reason", "proposal_duplicate", "proposal_incomplete",
                                             "coverage_provided_gt"}
    assert "coverage_missing" in codes(checks.run_checks(draft(item(), coverage=None), M))
    assert "coverage_carried" in codes(checks.run_checks(draft(item(), coverage=DraftCoverage(5, 3, "carried")), M))


def test_a_level_that_fell_since_last_round_is_pointed_out():
    fell = item(previous=(1,) * 15 + (0, 0), carried_from="2024")
    found = {c.code: c for c in checks.run_checks(draft(fell), M)}
    assert found["level_dropped"].params["before"] == 4 and found["level_dropped"].params["now"] == 3


@pytest.mark.parametrize("url,ok", [
    ("https://www.e-gov.az/az/services/1", True), ("http://localhost:8501/form", True), ("https://ədliyyə.az", True),
    ("www.e-gov.az", False), ("javascript:alert(1)", False), ("https://", False), ("see portal", False),
    ("https://e-gov.az/a b", False), ("ftp://files.gov.az", False), ("", False), (None, False)])
def test_evidence_must_be_a_web_address(url, ok):
    assert checks.is_url(url) is ok


@given(hs.text(max_size=200))
def test_is_url_never_raises(text):
    assert checks.is_url(text) in (True, False)


def test_submission_records_and_comment():
    it = item(note="Portal üzərindən", comments=(None, "sayt yenilənib") + (None,) * (N - 2))
    assert compose_comment(it) == "Portal üzərindən; 2: sayt yenilənib"
    na = item(2, not_applicable=True, na_reason="ləğv olunub", answers=(None,) * N)
    parsed = to_parsed(draft(it, na), "form:2025:41:1")
    assert parsed.meta.source == "form" and [r.service_code for r in parsed.services] == ["7.1"]
    assert parsed.coverage[0].transferable == 10
    assert to_parsed(draft(it, na), "x").sha256 == parsed.sha256  # same content, same hash
    with pytest.raises(ValueError):
        to_parsed(draft(item(answers=(None,) * N)), "x")


def test_questionnaire_groups_by_level_and_explains_each_question():
    q = Questionnaire.of(M)
    groups = dict(q.groups())
    assert [fq.number for fq in groups[1]] == [1, 2, 3, 4, 5] and [fq.number for fq in groups[5]] == [16, 17]
    q7 = q.questions[6]
    assert q7.wording("az") == M.indicators[6].text.az
    for lang in ("az", "en"):
        help_text = q7.help_text(lang, q.stages)
        assert "3–5" in help_text and q7.short_name(lang) in help_text
    assert "2–4" in q.questions[5].help_text("en", q.stages)
    assert Questionnaire.from_frozen(__import__("json").dumps(__import__("form.questions").questions.freeze(M))) == q


def test_clock_turns_utc_into_baku_days():
    late_evening_utc = dt.datetime(2025, 12, 1, 21, 30)
    assert clock.local_date(late_evening_utc) == dt.date(2025, 12, 2)
    assert clock.local(dt.datetime(2025, 6, 1, 10, 5)).strftime("%H:%M") == "14:05"


def _rows(**over) -> pd.DataFrame:
    base = dict(institution_id=[1, 2, 3, 4, 5], name_az=list("ABCDE"), name_en=list("ABCDE"),
                expected=[4, 4, 4, 4, 0], answered=[0, 2, 4, 4, 0],
                review_state=[None, None, "submitted", "approved", "returned"],
                has_activity=[False, True, True, True, True], has_data=[False, False, True, True, True],
                last_activity=[None, dt.datetime(2025, 11, 2), None, None, None],
                first_submitted=[None, None, dt.datetime(2025, 11, 30, 19, 0), dt.datetime(2025, 12, 1, 20, 30),
                                 dt.datetime(2025, 11, 1)],
                deadline=[dt.date(2025, 12, 1)] * 4 + [dt.date(2025, 12, 20)], closes=[None] * 5,
                extended=[False] * 4 + [True])
    base.update(over)
    return pd.DataFrame(base)


def test_tracker_status_lateness_and_rates():
    frame = tracker.tracker_frame(_rows(), dt.date(2025, 12, 3)).set_index("institution_id")
    assert frame["status"].to_dict() == {1: "not_started", 2: "draft", 3: "submitted", 4: "approved", 5: "returned"}
    # 19:00 UTC on 30 Nov is 23:00 in Baku: on time; 20:30 UTC on 1 Dec is 00:30 on 2 Dec in Baku: late.
    assert frame["timeliness"].to_dict() == {1: "late", 2: "late", 3: "on_time", 4: "late", 5: "on_time"}
    assert frame.loc[1, "days_to_deadline"] == -2 and frame.loc[5, "days_to_deadline"] == 17
    s = tracker.summary(frame.reset_index())
    assert (s["expected"], s["submitted"], s["on_time"], s["late"]) == (5, 3, 2, 3)
    assert s["submitted_rate"] == pytest.approx(0.6) and s["on_time_rate"] == pytest.approx(0.4)
    before = tracker.summary(tracker.tracker_frame(_rows(), dt.date(2025, 11, 20)))
    assert before["late"] == 1  # only the late submission; nobody else is late before the deadline


def test_tracker_lists_names_in_the_readers_alphabet():
    # Same status and deadline: the names decide, in the language shown (Ə after E, Ş after S; English by name_en).
    rows = _rows(review_state=[None] * 5, has_activity=[False] * 5, has_data=[False] * 5,
                 first_submitted=[None] * 5, deadline=[dt.date(2025, 12, 1)] * 5,
                 name_az=["Şəki İcra Hakimiyyəti", "Əmək Nazirliyi", "Energetika Nazirliyi", "Səhiyyə Nazirliyi",
                          "Fövqəladə Hallar Nazirliyi"],
                 name_en=["Shaki Executive Authority", "Ministry of Labour", "Ministry of Energy", "Ministry of Health",
                          None])
    az = tracker.tracker_frame(rows, dt.date(2025, 11, 1), "az")["institution_id"].tolist()
    assert az == [3, 2, 5, 4, 1]
    en = tracker.tracker_frame(rows, dt.date(2025, 11, 1), "en")
    assert en["institution_id"].tolist() == [5, 3, 4, 2, 1]  # no English name: the Azerbaijani one stands in


def test_reminders_pick_the_unstarted_and_the_near():
    people = pd.DataFrame({"institution_id": [1, 1, 2], "name": ["Aysel", "Orxan", "Bahar"],
                           "login": ["aysel", "orxan", "bahar@x.az"]})
    far = tracker.reminders(tracker.tracker_frame(_rows(), dt.date(2025, 11, 1)), people)
    assert far["institution_id"].tolist() == [1]
    assert far["respondents"].iloc[0] == "Aysel, Orxan"
    near = tracker.reminders(tracker.tracker_frame(_rows(), dt.date(2025, 11, 28)), people)
    assert near["institution_id"].tolist() == [1, 2] and near.set_index("institution_id").loc[2, "logins"] == "bahar@x.az"


def test_printable_form_opens_with_a_page_per_service():
    from openpyxl import load_workbook

    from form.printable import printable_form

    q = Questionnaire.of(M)
    d = draft(item(), item(2, code="7.2", name="=HYPERLINK(\"http://x\")"))
    for blank in (False, True):
        wb = load_workbook(io.BytesIO(printable_form(q, d, "az", blank=blank, deadline=dt.date(2025, 12, 1))))
        ws = wb.active
        texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        assert any("Vergilər Nazirliyi" in v for v in texts)
        assert sum(v == "☒" for v in texts) == (0 if blank else 17 * 2)
        assert len(ws.row_breaks.brk) == (3 if blank else 2)
        assert ws.page_setup.orientation == "landscape"
        assert all(c.data_type == "s" for row in ws.iter_rows() for c in row
                   if isinstance(c.value, str) and c.value.startswith("="))  # names never become formulas
        assert any(v.startswith("7.2 — =HYPERLINK") for v in texts)  # printed as typed
        assert M.indicators[0].text.az in texts


def test_prefilled_workbook_keeps_names_as_text():
    from openpyxl import load_workbook

    from form.workbook import prefilled_workbook

    d = draft(item(name='=HYPERLINK("http://evil","x")', note="=1+1"))
    wb = load_workbook(io.BytesIO(prefilled_workbook(M, None, d, "en")))
    ws = wb["Services"]
    assert ws["C3"].value == '=HYPERLINK("http://evil","x")' and ws["C3"].data_type == "s"
    assert ws["V3"].data_type == "s" and ws["E3"].value == "yes"
    assert wb["Coverage"]["B3"].value == 10 and wb["Meta"]["B2"].value == "2025"


def test_flagged_services_name_their_indicators_in_code_order():
    from ui.form_views import flagged_services

    flags = pd.DataFrame({"item_id": [5, 9, 9, 9], "code": ["3.1", "7.2", "7.2", "7.2"],
                          "indicator": [None, 10, 7, None]})
    assert flagged_services(flags, "en") == [(5, "Service 3.1: whole service"),
                                             (9, "Service 7.2: 7, 10; whole service")]
    assert flagged_services(flags.iloc[:0], "az") == [] and flagged_services(None, "az") == []
    assert flagged_services(flags.iloc[1:2], "az") == [(9, "7.2 xidməti: 10")]

"""Reader rules of docs/FORMATS.md, one behaviour per test."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.reader import parse_workbook, parse_yesno
from ingest.registry import Registry, normalise
from scoring import infrastructure, load_methodology, maturity
from tests.badfiles import (
    DEFAULT_META,
    EDECL,
    JUSTICE,
    SEED_INFRA,
    SELF_HEADER,
    TAXES,
    make_coverage_workbook,
    make_infra_workbook,
    make_self_workbook,
    make_workbook,
    sample_registry,
    self_row,
)

REG = sample_registry()


def parse(data, **kw):
    return parse_workbook(data, "t.xlsx", REG, **kw)


def test_registry_folding():
    assert normalise("  DAXİLİ   İŞLƏR nazirliyi ") == normalise("Daxili İşlər Nazirliyi")
    assert normalise("DAXILI IŞLƏR") == normalise("daxili işlər")  # I and ı/i are one letter
    assert normalise("«Azərsu» ASC") == normalise('"Azərsu" ASC') == normalise("Azərsu ASC")
    assert REG.match("ministry of  TAXES") == REG.match(TAXES) is not None
    assert REG.match("nobody") is None
    assert TAXES in REG.suggest("Vergilər")


def test_registry_from_frames_and_services():
    reg = Registry.from_frames(pd.DataFrame({"institution_id": [5], "name_az": ["Ədliyyə Nazirliyi"], "name_en": [None]}),
                               pd.DataFrame({"institution_id": [5], "code": ["3.5"]}))
    assert reg.match("ƏDLİYYƏ NAZİRLİYİ") == 5
    assert reg.has_service(5, " 3.5 ") and not reg.has_service(5, "3.6") and not reg.has_service(None, "3.5")


def test_yesno_tokens():
    for v in (1, 1.0, True, "1", "yes", " Y ", "BƏLİ", "bəli", "True", "ДА", "da".replace("da", "да")):
        assert parse_yesno(v) == 1, v
    for v in (0, 0.0, False, "0", "No", "n", "XEYR", "false", "нет"):
        assert parse_yesno(v) == 0, v
    for v in (2, 0.5, "maybe", "", None, "yes!"):
        assert parse_yesno(v) is None, v


def test_valid_self_workbook_scores_seed_example():
    pw = parse(make_self_workbook([self_row(), self_row(institution=JUSTICE, code="3.5", audience="vətəndaş")]))
    assert pw.ok, [e.message("en") for e in pw.errors]
    assert pw.meta.round == "2024" and pw.meta.source == "self" and pw.meta.methodology == "2013-osce"
    rec = pw.services[0]
    assert rec.institution_id == REG.match(TAXES) and rec.answers == tuple(EDECL) and rec.row == 2
    assert maturity(rec.answers, load_methodology(pw.meta.methodology)).level == 3
    assert pw.services[1].audience == "citizen"
    assert pw.sheets == ["Services"] and len(pw.sha256) == 64


def test_case_space_insensitive_sheets_and_headers_extra_columns_empty_rows():
    header = [f"  {h.upper()} " for h in SELF_HEADER] + ["my notes"]
    rows = [header, [None] * 5, self_row() + ["x"], [], self_row(code="7.2") + ["y"]]
    data = make_workbook({" services ": rows}, {"ROUND": 2024, " Source ": "EXPERT"})
    pw = parse(data)
    assert pw.ok, [e.message("en") for e in pw.errors]
    assert [r.row for r in pw.services] == [3, 5]
    assert pw.meta.round == "2024" and pw.meta.source == "expert"


def test_wording_row_skipped_and_data_row_not():
    wording = ["Qurumun adı", "Kod", "Ad", "Auditoriya", *["göstərici"] * 17, "Şərh"]
    pw = parse(make_workbook({"Services": [SELF_HEADER, wording, self_row()]}))
    assert pw.ok and pw.services[0].row == 3
    # a row whose institution is a real name is data, even with bad answers
    bad = parse(make_workbook({"Services": [SELF_HEADER, [TAXES, "7.1", "", "", *["?"] * 17]]}))
    assert any(e.code == "bad_yesno" and e.row == 2 for e in bad.errors)


def test_all_errors_collected():
    rows = [self_row(answers=["maybe", *EDECL[1:]]), self_row(institution="Nowhere", code="9"), self_row(audience="?")]
    pw = parse(make_self_workbook(rows, meta={**DEFAULT_META, "source": "bad"}))
    assert {e.code for e in pw.errors} >= {"bad_yesno", "unknown_institution", "bad_audience", "meta_bad_source"}
    assert sorted({e.row for e in pw.errors if e.sheet == "Services"}) == [2, 3, 4]


def test_add_institutions_and_new_service():
    pw = parse(make_self_workbook([self_row(institution="Yeni Agentlik", code="1.1"), self_row(code="7.99")]),
               add_institutions=True)
    assert pw.ok
    new, svc = pw.services
    assert new.new_institution and new.institution_id is None and new.new_service
    assert svc.new_service and not svc.new_institution
    assert {w.code for w in pw.warnings} == {"new_institution", "new_service"}
    assert not parse(make_self_workbook([self_row(institution="Yeni Agentlik")])).ok


def test_infrastructure_seed_example_and_percent_forms():
    answers = {**SEED_INFRA, "2.5": "1%", "2.6": "1 %", "1.1": "bəli", "1.2": "xeyr"}
    pw = parse(make_infra_workbook(answers))
    assert pw.ok, [e.message("en") for e in pw.errors]
    values = {a.question_id: a.value for a in pw.infrastructure}
    assert values["2.5"] == 1 and values["1.1"] == 1 and values["1.2"] == 0
    res = infrastructure(values, load_methodology())
    assert [round(v, 1) for v in res.components.values()] == [0.8, 0.6, 0.3] and round(res.index, 1) == 0.6


def test_percent_formatted_cell_is_scaled():
    wb = openpyxl.load_workbook(io.BytesIO(make_infra_workbook()))
    ws = wb["Infrastructure"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "3.2")
    ws.cell(row, 3).value = 0.51
    ws.cell(row, 3).number_format = "0%"
    buf = io.BytesIO()
    wb.save(buf)
    pw = parse(buf.getvalue())
    assert pw.ok and {a.question_id: a.value for a in pw.infrastructure}["3.2"] == 51


def test_plain_fraction_warns():
    pw = parse(make_infra_workbook({**SEED_INFRA, "3.2": 0.51}))
    assert pw.ok and any(w.code == "percent_fraction" for w in pw.warnings)


def test_scope_institution():
    meta = {**DEFAULT_META, "source": "expert", "scope": "ministry of taxes"}
    pw = parse(make_infra_workbook(meta=meta))
    assert pw.ok and pw.meta.scope_institution_id == REG.match(TAXES)
    bad = parse(make_infra_workbook(meta={**meta, "scope": "Atlantis"}))
    assert [e.code for e in bad.errors] == ["meta_scope_unknown"]


def test_several_sheets_under_one_meta():
    infra = [["id", "question", "answer"], *[[k, "", v] for k, v in SEED_INFRA.items()]]
    data = make_workbook({"Services": [SELF_HEADER, self_row()], "Infrastructure": infra,
                          "Coverage": [["institution", "services_transferable", "e_services_provided"], [TAXES, 54, 35]]})
    pw = parse(data)
    assert pw.ok and pw.sheets == ["Services", "Infrastructure", "Coverage"]
    assert pw.coverage[0].transferable == 54 and pw.coverage[0].provided == 35


def test_coverage_text_numbers():
    pw = parse(make_coverage_workbook([[TAXES, "1 200", "35"], [JUSTICE, 22.0, 21]]))
    assert pw.ok and [(c.transferable, c.provided) for c in pw.coverage] == [(1200, 35), (22, 21)]


def test_unknown_meta_key_and_language_warn():
    pw = parse(make_self_workbook([self_row()], meta={**DEFAULT_META, "colour": "blue", "language": "fr"}))
    assert pw.ok and {w.code for w in pw.warnings} == {"meta_unknown_key", "meta_bad_language"}


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=600))
def test_never_raises_on_random_bytes(data):
    pw = parse(b"PK\x03\x04" + data)
    assert not pw.ok


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=100, max_value=3000))
def test_never_raises_on_truncated_workbook(cut):
    data = make_self_workbook([self_row()])
    parse(data[:cut] + data[cut + 50:])  # any outcome but an exception

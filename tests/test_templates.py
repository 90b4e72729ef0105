"""Every generated template, filled programmatically, imports back and scores as expected."""

from __future__ import annotations

import io

import openpyxl
import pytest

from ingest.reader import parse_workbook
from ingest.templates import FIRST_DATA_ROW, YES_NO, build_template
from scoring import corruption, coverage, infrastructure, load_methodology, maturity
from tests.badfiles import EDECL, JUSTICE, SEED_INFRA, TAXES, sample_registry

M = load_methodology()
REG = sample_registry()


def _fill(template: bytes, fill) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(template))
    fill(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _parse(data):
    pw = parse_workbook(data, "filled.xlsx", REG)
    assert pw.ok, [e.message("en") for e in pw.errors]
    return pw


@pytest.mark.parametrize("lang", ["az", "en"])
def test_self_round_trip(lang):
    yes, no = YES_NO[lang]
    template = build_template("self", lang, M, REG, round_label="2024")

    def fill(wb):
        ws = wb["Services"]
        assert [c.value for c in ws[1]][:5] == ["institution", "service_code", "service_name", "audience", "q1"]
        ws.cell(FIRST_DATA_ROW, 1, TAXES)
        ws.cell(FIRST_DATA_ROW, 2, "7.1")
        ws.cell(FIRST_DATA_ROW, 3, "Onlayn vergi bəyannaməsi")
        ws.cell(FIRST_DATA_ROW, 4, "biznes" if lang == "az" else "business")
        for i, a in enumerate(EDECL):
            ws.cell(FIRST_DATA_ROW, 5 + i, yes if a else no)
        ws.cell(FIRST_DATA_ROW + 1, 1, JUSTICE)
        ws.cell(FIRST_DATA_ROW + 1, 2, "3.5")
        for i in range(17):
            ws.cell(FIRST_DATA_ROW + 1, 5 + i, no)

    pw = _parse(_fill(template, fill))
    assert pw.meta.round == "2024" and pw.meta.language == lang and pw.meta.methodology == M.id
    first, second = pw.services
    assert first.answers == tuple(EDECL) and first.audience == "business" and first.row == FIRST_DATA_ROW
    assert maturity(first.answers, M).level == 3 and corruption(first.answers, M).score == 4
    assert maturity(second.answers, M).level == 0


@pytest.mark.parametrize("lang", ["az", "en"])
def test_infrastructure_round_trip(lang):
    yes, no = YES_NO[lang]

    def fill(wb):
        wb["Meta"]["B2"] = "2024"
        ws = wb["Infrastructure"]
        for r in range(FIRST_DATA_ROW, ws.max_row + 1):
            qid = ws.cell(r, 1).value
            value = SEED_INFRA[qid]
            if M.question(qid).type == "yesno":
                ws.cell(r, 3, yes if value else no)
            elif qid == "2.7":
                ws.cell(r, 3, value / 100).number_format = "0%"  # typed as 10 % in Excel
            else:
                ws.cell(r, 3, value)

    pw = _parse(_fill(build_template("infrastructure", lang, M), fill))
    assert pw.meta.source == "expert" and pw.meta.scope is None
    values = {a.question_id: a.value for a in pw.infrastructure}
    assert values["2.7"] == pytest.approx(10)
    res = infrastructure(values, M)
    assert [round(v, 1) for v in res.components.values()] == [0.8, 0.6, 0.3] and round(res.index, 1) == 0.6


@pytest.mark.parametrize("lang", ["az", "en"])
def test_coverage_round_trip(lang):
    def fill(wb):
        wb["Meta"]["B2"] = "2024"
        ws = wb["Coverage"]
        ws.cell(FIRST_DATA_ROW, 1, TAXES)
        ws.cell(FIRST_DATA_ROW, 2, 54)
        ws.cell(FIRST_DATA_ROW, 3, 35)
        ws.cell(FIRST_DATA_ROW + 1, 1, REG.name(REG.match(JUSTICE), lang))
        ws.cell(FIRST_DATA_ROW + 1, 2, 77)
        ws.cell(FIRST_DATA_ROW + 1, 3, 77)

    pw = _parse(_fill(build_template("coverage", lang, M, REG), fill))
    first, second = pw.coverage
    assert round(coverage(first.transferable, first.provided)) == 65
    assert second.institution_id == REG.match(JUSTICE) and second.provided == 77


@pytest.mark.parametrize("kind", ["self", "infrastructure", "coverage"])
def test_template_structure(kind):
    data = build_template(kind, "az", M, REG)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames[:2] == ["Təlimat", "Meta"]
    assert wb.security.lockStructure
    sheet = {"self": "Services", "infrastructure": "Infrastructure", "coverage": "Coverage"}[kind]
    ws = wb[sheet]
    assert ws.protection.sheet and ws.freeze_panes
    assert ws.data_validations.dataValidation
    assert not ws.cell(FIRST_DATA_ROW, 3).protection.locked and ws.cell(1, 1).protection.locked
    meta = {r[0].value: r[1].value for r in wb["Meta"].iter_rows(min_row=2)}
    assert meta["methodology"] == M.id and meta["language"] == "az"
    if kind == "self":
        assert wb["Lists"].sheet_state == "hidden" and wb["Lists"].max_row == len({REG.name(i) for i in REG.names}) + 1
        assert ws.cell(2, 5).comment is not None
        formulas = {dv.formula1 for dv in ws.data_validations.dataValidation}
        assert '"bəli,xeyr"' in formulas
    if kind == "infrastructure":
        assert [ws.cell(r, 1).value for r in range(FIRST_DATA_ROW, ws.max_row + 1)] == [q.id for q in M.questions]


def test_unfilled_template_is_refused_cleanly():
    pw = parse_workbook(build_template("self", "en", M), "blank.xlsx", REG)
    assert [e.code for e in pw.errors] == ["meta_round_missing"]
    pw = parse_workbook(build_template("self", "en", M, round_label="2024"), "blank.xlsx", REG)
    assert [e.code for e in pw.errors] == ["no_rows"]

"""Property tests: any workbook is imported or refused with a message, never a traceback.

Hypothesis builds workbooks from the pieces real files are made of (the
contract's keys, the template's words, Azerbaijani headers, numbers, dates,
booleans, invisible characters, ticks, merges, hidden rows and columns,
hidden sheets, formulas) and arbitrary text; each goes through the whole
pipeline in a dry run and through the annotated copy.
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.annotate import annotate
from ingest.messages import MESSAGES
from ingest.pipeline import STATUSES, import_files
from l10n.catalogue import placeholders
from store.actors import Actor
from tests.badfiles import EDECL, SELF_HEADER

EXPERT = Actor("ekspert", "expert")
WORDS = ["Vergilər Nazirliyi", "VERGİLƏR NAZİRLİYİ", "Sehiyye Nazirliyi", "DİN", "ƏƏSMN", "Cəmi", "№", "7.1", "7.10",
         "14.1", "bəli", "xeyr", "hə", "yox", "+", "-", "✓", "x", "qismən", "Qurumun adı", "Xidmətin kodu", "Kod",
         "round", "dövr", "2024", "2024-cü il", "2099", "self", "expert", "Nömrə", "Cavab", "1.1", "51 %",
         "\u200b7.2", "yes\u00a0", "=1+1", "<script>", "{value}", "Services", "Meta", ""]
CELL = st.one_of(
    st.none(), st.sampled_from(WORDS), st.sampled_from(SELF_HEADER), st.integers(-5, 120),
    st.floats(allow_nan=False, allow_infinity=False, width=32), st.booleans(),
    st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
)
SHEET_NAMES = st.sampled_from(["Services", " services ", "Xidmətlər", "Infrastructure", "İnfrastruktur", "Coverage",
                               "Əhatə", "Vərəq1", "Sheet2", "Notes"])


@st.composite
def workbooks(draw) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    if draw(st.booleans()):
        meta = wb.create_sheet(draw(st.sampled_from(["Meta", "meta", "Parametrlər"])))
        meta.append([draw(st.sampled_from(["round", "dövr", "il", "x"])),
                     draw(st.one_of(st.sampled_from(["2024", " 2024 ", "2024-cü il", "2099", "2023"]), CELL))])
        for _ in range(draw(st.integers(0, 3))):
            meta.append([draw(st.sampled_from(["source", "mənbə", "methodology", "scope", "language", "y"])),
                         draw(CELL)])
    used = set()
    for _ in range(draw(st.integers(1, 3))):
        name = draw(SHEET_NAMES)
        if name in used:
            continue
        used.add(name)
        ws = wb.create_sheet(name)
        if draw(st.booleans()):
            ws.append(draw(st.sampled_from([SELF_HEADER, ["id", "question", "answer"],
                                            ["institution", "services_transferable", "e_services_provided"],
                                            ["Qurumun adı", "Xidmətin kodu", *map(str, range(1, 18))]])))
        for _ in range(draw(st.integers(0, 6))):
            if draw(st.booleans()):
                ws.append(["Vergilər Nazirliyi", draw(st.sampled_from(["7.1", "7.2", 7.1, 7.2])), "x", "biznes",
                           *[draw(st.sampled_from([a, "bəli", "hə", "✓", None])) for a in EDECL]])
            else:
                ws.append(draw(st.lists(CELL, max_size=24)))
        rows = max(ws.max_row, 1)
        if draw(st.booleans()):  # before merging: a merged cell other than the first cannot be written
            ws.cell(draw(st.integers(1, rows)), draw(st.integers(1, 20)), "=SUM(A1:A2)")
        if draw(st.booleans()) and rows > 2:
            r = draw(st.integers(1, rows - 1))
            c = draw(st.integers(1, 5))
            ws.merge_cells(start_row=r, start_column=c, end_row=r + 1, end_column=c + draw(st.integers(0, 1)))
        if draw(st.booleans()):
            ws.row_dimensions[draw(st.integers(1, rows))].hidden = True
        if draw(st.booleans()):
            ws.column_dimensions[draw(st.sampled_from("ABCE"))].hidden = True
        if draw(st.integers(0, 5)) == 0:
            ws.sheet_state = "hidden"
    if not any(ws.sheet_state == "visible" for ws in wb.worksheets):
        wb.create_sheet("Visible")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


AZ_HEADER = ["Qurumun adı", "Xidmətin kodu", "Xidmətin adı", "Auditoriya", *map(str, range(1, 18)), "Şərh"]


@st.composite
def near_valid(draw) -> bytes:
    """Files that are nearly right: the kinds of variation the reader must accept, plus the odd slip."""
    wb = openpyxl.Workbook()
    meta = wb.active
    meta.title = draw(st.sampled_from(["Meta", "Meta "]))
    meta.append([draw(st.sampled_from(["round", "dövr"])), draw(st.sampled_from(["2024", "2024-cü il", " 2024"]))])
    ws = wb.create_sheet(draw(st.sampled_from(["Services", "Xidmətlər", "Vərəq1"])))
    ws.append(draw(st.sampled_from([SELF_HEADER, AZ_HEADER])))
    answer = st.sampled_from(["bəli", "xeyr", 1, 0, "yes", "no", "hə", "yox", "+", "-", True, False])
    used = set()
    for _ in range(draw(st.integers(1, 8))):
        inst = draw(st.sampled_from(["Vergilər Nazirliyi", "VERGİLƏR NAZİRLİYİ", "Ədliyyə Nazirliyi",
                                     "Sehiyye Nazirliyi"]))
        code = draw(st.sampled_from(["7.2", "7.4", "3.5", "14.13", "99.1", 7.4]))
        if (inst.casefold()[:3], str(code)) in used:
            continue
        used.add((inst.casefold()[:3], str(code)))
        answers = [draw(answer) for _ in range(17)]
        if draw(st.integers(0, 9)) == 0:
            answers[draw(st.integers(0, 16))] = draw(CELL)  # the odd slip
        ws.append([inst, code, draw(st.sampled_from(["", "Xidmət"])), draw(st.sampled_from([None, "biznes"])),
                   *answers, None])
    if draw(st.booleans()):
        ws.append(["Cəmi", None, None, None, *[3] * 17])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def store(corpus_store):
    return corpus_store


def _assert_messages(outcome) -> None:
    """Every issue has a catalogue text in both languages, with every placeholder given (data may hold braces)."""
    for issue in outcome.errors + outcome.warnings:
        assert issue.code in MESSAGES, issue.code
        for lang in ("az", "en"):
            assert placeholders(MESSAGES[issue.code][lang]) <= set(issue.params), (issue.code, issue.params)
            assert issue.message(lang)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                                 HealthCheck.function_scoped_fixture])
@given(workbooks())
def test_any_workbook_is_imported_or_refused_with_a_message(store, data):
    [o] = import_files(store, [("any.xlsx", data)], EXPERT, dry_run=True)
    assert o.status in STATUSES
    if o.status in ("rejected", "conflict"):
        assert o.errors, "a refusal always says why"
    else:
        assert not o.errors
    _assert_messages(o)
    copy = annotate(data, o.issues, "en")
    if copy is not None:
        book = openpyxl.load_workbook(io.BytesIO(copy))
        marked = {(ws.title, c.coordinate) for ws in book.worksheets for row in ws.iter_rows() for c in row
                  if c.comment is not None}
        wanted = {(i.params.get("sheet"), ref) for i in o.issues for ref in i.cells}
        assert {cell for _, cell in marked} <= {ref for _, ref in wanted} | {
            r.start_cell.coordinate for ws in book.worksheets for r in ws.merged_cells.ranges}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(near_valid())
def test_nearly_right_workbooks_are_read_or_refused_with_a_message(store, data):
    [o] = import_files(store, [("near.xlsx", data)], EXPERT, dry_run=True)
    assert o.status in ("dry-run", "rejected")
    assert bool(o.errors) == (o.status == "rejected")
    _assert_messages(o)
    if o.status == "dry-run":
        shown = o.preview("az", store)["Services"]
        assert len(shown) == len(o.plan)
        answers = shown.iloc[:, 8:25].to_numpy().ravel()
        assert set(answers) <= {"Bəli", "Xeyr"}  # words, never 1/0
        assert not any("_id" in str(c) for c in shown.columns)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400), st.sampled_from(["a.xlsx", "a.ods", "a.xls", "a.csv", "a"]))
def test_any_bytes_are_refused_with_a_message(store, data, name):
    [o] = import_files(store, [(name, b"PK\x03\x04" + data)], EXPERT, dry_run=True)
    assert o.status == "rejected" and o.errors
    _assert_messages(o)
    assert annotate(b"PK\x03\x04" + data, o.issues, "az") is None

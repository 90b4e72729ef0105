"""The corpus of workbooks as people send them: each file reaches its stated outcome, also after LibreOffice.

Every case is checked through the whole pipeline (safety, reader, round,
plan) in a dry run against one prepared store: the rows it would store, and
exactly which warnings or errors it raises, in both languages. The files
resaved by LibreOffice (committed in tests/corpus/resaved/) must reach the
same outcome as the file they were made from.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest

from ingest.annotate import annotate
from ingest.pipeline import import_files
from store import Store, queries
from store.actors import Actor
from tests.corpus.cases import BY_NAME, CASES, prepare_store

RESAVED = sorted((Path(__file__).parent / "corpus" / "resaved").iterdir())
EXPERT = Actor("ekspert", "expert")


def check(st, case, name: str, data: bytes):
    [o] = import_files(st, [(name, data)], EXPERT, dry_run=True)
    errors, warnings = {i.code for i in o.errors}, {i.code for i in o.warnings}
    shown = [i.message("en") for i in o.errors + o.warnings]
    assert o.status == case.status, shown
    assert errors == case.errors, shown
    assert warnings == case.warnings, shown
    if case.status == "dry-run":
        counts = o.plan["kind"].value_counts().to_dict()
        assert counts == case.rows, counts
    for issue in o.errors + o.warnings:
        for lang in ("az", "en"):
            msg = issue.message(lang)
            assert msg and not re.search(r"\{\w+\}", msg), msg  # every placeholder filled
    first = (o.errors or o.warnings)
    for text in case.says:
        assert any(text in i.message("en") for i in first), (text, shown)
    return o


def test_corpus_is_large_and_varied():
    assert len(CASES) >= 40
    assert sum(c.status == "rejected" for c in CASES) >= 12 and sum(bool(c.warnings) for c in CASES) >= 15
    assert len({c.name for c in CASES}) == len(CASES)
    assert len([p for p in RESAVED if p.suffix == ".xlsx"]) >= 10


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(corpus_store, case):
    check(corpus_store, case, case.file_name, case.build())


@pytest.mark.parametrize("path", RESAVED, ids=[p.name for p in RESAVED])
def test_resaved_by_libreoffice(corpus_store, path):
    case = BY_NAME[path.stem]
    check(corpus_store, case, path.name, path.read_bytes())


@pytest.mark.parametrize("case", [c for c in CASES if c.status == "rejected" or c.warnings],
                         ids=[c.name for c in CASES if c.status == "rejected" or c.warnings])
def test_annotated_copy_marks_exactly_the_problem_cells(corpus_store, case):
    data = case.build()
    [o] = import_files(corpus_store, [(case.file_name, data)], EXPERT, dry_run=True)
    copy = annotate(data, o.issues, "az")
    if o.parsed is None:  # refused before any sheet was read: nothing to mark
        assert copy is None
        return
    original = openpyxl.load_workbook(io.BytesIO(data))
    book = openpyxl.load_workbook(io.BytesIO(copy))
    assert book.sheetnames == [*original.sheetnames, "Yoxlama"]
    expected: dict[str, set[str]] = {}
    for issue in o.issues:
        for ref in issue.cells:
            ws = book[issue.params["sheet"]]
            anchor = next((r.start_cell.coordinate for r in ws.merged_cells.ranges if ref in r), ref)
            expected.setdefault(issue.params["sheet"], set()).add(anchor)
    for ws in original.worksheets:
        copied = book[ws.title]
        commented = {c.coordinate for row in copied.iter_rows() for c in row if c.comment is not None}
        assert commented == expected.get(ws.title, set()), ws.title
        # Everything else untouched: every value, and the look of every cell without a note.
        for row in ws.iter_rows():
            for cell in row:
                twin = copied[cell.coordinate]
                assert twin.value == cell.value
                if cell.coordinate not in commented:
                    assert repr(twin.fill) == repr(cell.fill) and repr(twin.font) == repr(cell.font)
                    assert twin.number_format == cell.number_format
        assert copied.merged_cells.ranges == ws.merged_cells.ranges
        assert {k: d.width for k, d in copied.column_dimensions.items()} == \
            {k: d.width for k, d in ws.column_dimensions.items()}
    for code, cells in case.cells.items():
        issue = next(i for i in o.issues if i.code == code)
        assert cells <= set(issue.cells), (code, issue.cells)
    summary = [r for r in book["Yoxlama"].iter_rows(min_row=2, values_only=True)]
    assert len(summary) == len(o.issues)


def test_some_cases_really_store_their_rows(tmp_path):
    st = Store(tmp_path / "s.duckdb")
    prepare_store(st)
    files = [(c.file_name, c.build()) for c in (BY_NAME["template_az_filled"], BY_NAME["merged_institution"],
                                                 BY_NAME["infrastructure_template"], BY_NAME["registered_alias"])]
    outcomes = import_files(st, files, EXPERT)
    assert [o.status for o in outcomes] == ["imported"] * 4, [i.message("en") for o in outcomes for i in o.errors]
    services = queries.service_answers(st, "2024", "self")
    assert len(services) == 3 + 2 + 1  # 7.1 of the Ministry of Taxes is in two files, with the same answers
    assert "Daxili İşlər Nazirliyi" in set(services["institution_az"])  # DİN read through its alias
    infra = queries.infrastructure_answers(st, "2024")
    assert dict(zip(infra["question_id"], infra["value"]))["3.2"] == 5  # 5 % formatted as a percentage
    # The warnings of an import are kept with it, for the audit trail.
    assert "merged_filled" in queries.imports(st).set_index("file_name").loc["merged_institution.xlsx", "warnings"]
    st.close()

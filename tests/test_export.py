"""Exported results: the public CSV columns, the seed's examples, inert workbooks."""

from __future__ import annotations

import csv
import hashlib
import io

import openpyxl
import pytest

from ingest.export import INFRA_COLUMNS, INSTITUTION_COLUMNS, SERVICES_COLUMNS, export_csv, export_workbook, neutralise
from ingest.model import Meta, ParsedWorkbook, ServiceRecord
from store import Actor, Store, queries
from store.imports import commit_import


@pytest.fixture(scope="module")
def exported(demo_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("csv")
    st = Store(demo_db)
    try:
        export_csv(st, out)
    finally:
        st.close()
    return out


def _read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_csv_columns_exactly(exported):
    for name, cols in (("services", SERVICES_COLUMNS), ("infrastructure", INFRA_COLUMNS),
                       ("institutions", INSTITUTION_COLUMNS)):
        with open(exported / f"{name}.csv", encoding="utf-8") as f:
            assert f.readline().strip() == ",".join(cols)
    assert SERVICES_COLUMNS == ["round", "source", "institution", "service_code", "level", "columns",
                                "corruption_score", "corruption_band"]
    assert INFRA_COLUMNS == ["round", "scope", "authentic_sources", "eid", "secure_edelivery", "index"]


def test_e_declaration_row(exported):
    rows = [r for r in _read(exported / "services.csv")
            if r["round"] == "2024" and r["institution"] == "Vergilər Nazirliyi" and r["service_code"] == "7.1"]
    assert len(rows) == 1
    r = rows[0]
    assert (r["columns"], r["level"], r["corruption_score"], r["corruption_band"]) == ("0 1 2 3 0 0", "3", "4", "good")


def test_infrastructure_and_board(exported):
    infra = {(r["round"], r["scope"]): r for r in _read(exported / "infrastructure.csv")}
    nat = infra[("2024", "national")]
    assert (nat["authentic_sources"], nat["eid"], nat["secure_edelivery"]) == ("0.833", "0.571", "0.333")
    assert nat["index"] == "0.579"
    board = [r for r in _read(exported / "institutions.csv") if r["round"] == "2024"]
    taxes = next(r for r in board if r["institution"] == "Vergilər Nazirliyi")
    assert (taxes["services_transferable"], taxes["e_services_provided"], taxes["coverage_pct"]) == ("77", "77", "100.000")
    assert taxes["coverage_light"] == "green"
    lights = {r[c] for r in board for c in ("coverage_light", "maturity_light", "corruption_light")}
    assert lights <= {"green", "yellow", "red", ""}


def test_workbook_has_no_formulas(tmp_path):
    st = Store(tmp_path / "f.duckdb")
    svc = queries.services(st).iloc[0]
    evil = "=HYPERLINK(\"http://x\",\"y\")"
    wb = ParsedWorkbook(
        file_name="evil.xlsx", sha256=hashlib.sha256(b"evil").hexdigest(), meta=Meta(round="2024"),
        services=[ServiceRecord(row=3, institution_id=None, institution_name=evil, service_code="@1",
                                service_name="+cmd", audience=None, answers=(1,) * 17, new_institution=True)])
    commit_import(st, Actor.system(), wb)
    buf = io.BytesIO()
    export_workbook(st, buf, lang="en")
    export_csv(st, tmp_path / "csv")
    st.close()
    book = openpyxl.load_workbook(io.BytesIO(buf.getvalue()))
    texts = []
    for ws in book:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    assert "'" + evil in texts and all(not t.startswith(("=", "+", "@")) for t in texts)
    assert svc is not None
    assert _read(tmp_path / "csv" / "services.csv")[0]["institution"] == "'" + evil


def test_neutralise():
    assert neutralise("=1+1") == "'=1+1" and neutralise("-2+3") == "'-2+3" and neutralise("\tx") == "'\tx"
    assert neutralise("  =cmd|' /C calc'!A0") == "'  =cmd|' /C calc'!A0" and neutralise("＝1+1") == "'＝1+1"
    assert neutralise("Vergilər") == "Vergilər" and neutralise(5) == 5
    # Plain numbers written as text cannot run anything and stay readable as numbers.
    assert neutralise("-5") == "-5" and neutralise("+3,5") == "+3,5" and neutralise("-12 %") == "-12 %"

"""Later portal usage figures import from CSV or a workbook, through the command line."""

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from ingest.usage import UsageFileError, read_usage
from store import queries
from store.db import Store

ROOT = Path(__file__).resolve().parent.parent


def _cli(db, *args):
    return subprocess.run([sys.executable, "cli.py", "--db", str(db), *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_csv_and_workbook_usage_import(tmp_path):
    db = tmp_path / "u.duckdb"
    assert _cli(db, "init").returncode == 0
    csv = tmp_path / "usage-2015-01.csv"
    csv.write_text("institution,e_services_on_portal,uses\nVergilər Nazirliyi,40,120000\n"
                   "Ministry of Justice,5,900\n", encoding="utf-8")
    r = _cli(db, "usage", str(csv), "--period", "2015-01")
    assert r.returncode == 0, r.stderr
    book = tmp_path / "usage-2015-02.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Institution", "E_services_on_portal", "Uses"])
    ws.append(["Vergilər Nazirliyi", 41, 130000])
    wb.save(book)
    r = _cli(db, "usage", str(book), "--period", "2015-02")
    assert r.returncode == 0, r.stderr
    with Store(db) as st:
        usage = queries.portal_usage(st)
    later = usage[usage["period"].isin(["2015-01", "2015-02"])]
    assert sorted(later["uses"].tolist()) == [900, 120000, 130000]
    assert _cli(db, "usage", str(csv), "--period", "2015-01").returncode != 0, "same month again needs --replace"


def test_unknown_institution_is_refused(tmp_path):
    db = tmp_path / "u.duckdb"
    assert _cli(db, "init").returncode == 0
    csv = tmp_path / "bad.csv"
    csv.write_text("institution,e_services_on_portal,uses\nNo such body,1,2\n", encoding="utf-8")
    r = _cli(db, "usage", str(csv), "--period", "2015-03")
    assert r.returncode != 0 and "No such body" in r.stderr


def test_not_a_workbook_is_refused():
    with pytest.raises(UsageFileError):
        read_usage(b"institution,uses\n", "renamed.xlsx")

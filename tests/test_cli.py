"""The command line, run as a subprocess as a user would."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import openpyxl

import cli
from store.demo import ROUNDS

ROOT = Path(__file__).resolve().parent.parent


def run(*args, cwd=None):
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def inproc(capsys, *args) -> tuple[int, str]:
    """The same command in this process: the variations need no fresh interpreter each."""
    code = cli.main([str(a) for a in args])
    return code, capsys.readouterr().out


def test_help():
    r = run("--help")
    assert r.returncode == 0
    for cmd in ("init", "demo", "template", "import", "imports", "revert", "export"):
        assert cmd in r.stdout


def test_demo_imports_export(tmp_path, capsys):
    db = tmp_path / "d.duckdb"
    r = run("--db", db, "demo")
    assert r.returncode == 0, r.stderr
    assert inproc(capsys, "--db", db, "demo")[0] == 1  # refuses to overwrite
    code, out = inproc(capsys, "imports", "--db", db)
    assert code == 0 and "demo:2024-self" in out
    r = run("export", "--db", db, "--csv-dir", tmp_path / "out", "-o", tmp_path / "out" / "r.xlsx")
    assert r.returncode == 0, r.stderr
    with open(tmp_path / "out" / "services.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {r["round"] for r in rows} == set(ROUNDS)
    assert openpyxl.load_workbook(tmp_path / "out" / "r.xlsx").sheetnames[:3] == ["services", "infrastructure", "institutions"]


def test_init_template_import_revert(tmp_path, capsys):
    db = tmp_path / "i.duckdb"
    r = run("--db", db, "init")
    assert r.returncode == 0 and "created" in r.stdout
    tpl = tmp_path / "self.xlsx"
    r = run("--db", db, "template", "self", "--lang", "en", "--round", "2024", "-o", tpl)
    assert r.returncode == 0, r.stderr
    wb = openpyxl.load_workbook(tpl)
    ws = wb["Services"]
    row = ["Vergilər Nazirliyi", "7.1", "Online tax declaration", "business", *([1] * 9 + [0] * 8), None]
    for col, value in enumerate(row, start=1):
        ws.cell(row=3, column=col, value=value)
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    r = run("import", "--db", db, filled, "--as", "tester")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "imported" in r.stdout
    r = run("import", "--db", db, filled)
    assert r.returncode == 0 and "unchanged" in r.stdout

    # A changed value conflicts until --replace; errors are located and reported.
    ws.cell(row=3, column=5 + 16, value=1)
    changed = tmp_path / "changed.xlsx"
    wb.save(changed)
    report = tmp_path / "report.csv"
    code, out = inproc(capsys, "import", "--db", db, changed, "--lang", "en", "--report", report)
    assert code == 1
    assert "changed.xlsx › Services › 3" in out
    assert report.read_text(encoding="utf-8-sig").startswith("file,sheet,row,column,value,message")
    code, out = inproc(capsys, "import", "--db", db, changed, "--replace")
    assert code == 0, out
    code, out = inproc(capsys, "imports", "--db", db)
    assert "tester" in out
    assert inproc(capsys, "revert", "--db", db, "2")[0] == 0
    assert inproc(capsys, "revert", "--db", db, "2")[0] == 1


def test_rejected_file_exit_code(tmp_path, capsys):
    db = tmp_path / "r.duckdb"
    bad = tmp_path / "bad.xlsx"
    bad.write_text("institution,q1\nx,1\n", encoding="utf-8")
    code, out = inproc(capsys, "import", "--db", db, bad, "--lang", "en", "--report", tmp_path / "rep.xlsx")
    assert code == 1
    assert "bad.xlsx: rejected" in out
    assert openpyxl.load_workbook(tmp_path / "rep.xlsx")["errors"].max_row == 2

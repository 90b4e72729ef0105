"""``cli.py user add --role respondent`` and ``cli.py collection``: the tracker, reminders, extensions."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tomllib

import pytest

import cli
from store import Store, collection, queries
from store.actors import Actor


def run(capsys, *args, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = cli.main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture()
def db(writable_db, tmp_path, monkeypatch):
    monkeypatch.setenv("EGOV_SECRETS", str(tmp_path / "secrets.toml"))
    return writable_db


def test_respondent_accounts_from_the_command_line(db, capsys, monkeypatch, tmp_path):
    code, out, err = run(capsys, "--db", db, "user", "add", "aysel", "--role", "respondent", "--institution",
                         "Vergilər Nazirliyi", "--name", "Aysel Məmmədova", "--password-stdin",
                         stdin="Gizli-parol-1\n", monkeypatch=monkeypatch)
    assert code == 0, err
    assert "submitter" in out  # the first respondent of an institution submits its form
    code, _, err = run(capsys, "--db", db, "user", "add", "orxan", "--role", "respondent", "--institution",
                       "Ministry of Taxes", "--password-stdin", stdin="Gizli-parol-2\n", monkeypatch=monkeypatch)
    assert code == 0, err
    with pytest.raises(SystemExit, match="Vergilər Nazirliyi"):  # a near miss names the close institutions
        run(capsys, "--db", db, "user", "add", "x1", "--role", "respondent", "--institution", "Vergi",
            "--password-stdin", stdin="Gizli-parol-3\n", monkeypatch=monkeypatch)
    with pytest.raises(SystemExit, match="institution"):
        run(capsys, "--db", db, "user", "add", "x2", "--role", "respondent", "--password-stdin",
            stdin="Gizli-parol-3\n", monkeypatch=monkeypatch)
    secrets = tomllib.loads((tmp_path / "secrets.toml").read_text(encoding="utf-8"))["accounts"]
    with Store(db) as st:
        taxes = int(queries.institutions(st).set_index("name_az").loc["Vergilər Nazirliyi", "institution_id"])
        people = collection.respondents(st).set_index("login")
        events = queries.events(st)
    assert secrets["aysel"]["institution_id"] == taxes and secrets["orxan"]["role"] == "respondent"
    assert bool(people.loc["aysel", "submitter"]) and not bool(people.loc["orxan", "submitter"])
    assert {"account_add", "set_submitter"} <= set(events["action"])
    added = events[events["action"] == "account_add"]
    assert set(added["institution_id"].dropna().astype(int)) == {taxes}  # the audit names the institution
    _, out, _ = run(capsys, "--db", db, "user", "list")
    assert f"aysel\trespondent\tAysel Məmmədova\tinstitution {taxes}" in out
    from store.accounts import authenticate

    assert authenticate("aysel", "Gizli-parol-1") == Actor("aysel", "respondent", institution_id=taxes)


def test_collection_tracker_reminders_and_extension(db, capsys, monkeypatch):
    code, _, err = run(capsys, "--db", db, "round", "open", "2025", "--deadline", "2025-12-01", "--closes",
                       "2025-12-15")
    assert code == 0, err
    run(capsys, "--db", db, "user", "add", "aysel", "--role", "respondent", "--institution", "Vergilər Nazirliyi",
        "--name", "Aysel Məmmədova", "--password-stdin", stdin="Gizli-parol-1\n", monkeypatch=monkeypatch)
    with Store(db) as st:
        taxes = int(queries.institutions(st).set_index("name_az").loc["Vergilər Nazirliyi", "institution_id"])
        monkeypatch.setattr(collection, "_today", lambda: dt.date(2025, 11, 20))
        d = collection.ensure_draft(st, Actor("aysel", "respondent", institution_id=taxes), "2025", taxes)
        collection.confirm_item(st, Actor("aysel", "respondent", institution_id=taxes), d.items[0].item_id,
                                version=0)
    with Store(db) as st:
        svc = queries.services(st)
    owed, expected = int((svc["institution_id"] == taxes).sum()), svc["institution_id"].nunique()
    code, out, err = run(capsys, "--db", db, "collection", "--round", "2025", "--on", "2025-11-28")
    assert code == 0, err
    assert "Vergilər Nazirliyi" in out and "draft" in out and f"expected {expected}" in out
    assert f"not started {expected - 1}" in out
    code, out, _ = run(capsys, "--db", db, "collection", "--round", "2025", "--format", "csv", "--on", "2025-12-03")
    rows = {r["name_az"]: r for r in csv.DictReader(io.StringIO(out))}
    assert len(rows) == expected
    assert rows["Vergilər Nazirliyi"]["status"] == "draft" and rows["Vergilər Nazirliyi"]["answered"] == "1"
    assert rows["Vergilər Nazirliyi"]["expected"] == str(owed) and rows["Vergilər Nazirliyi"]["days_to_deadline"] == "-2"
    assert {r["timeliness"] for r in rows.values()} == {"late"}
    code, out, _ = run(capsys, "--db", db, "collection", "reminders", "--round", "2025", "--format", "csv",
                       "--on", "2025-11-28")
    remind = {r["name_az"]: r for r in csv.DictReader(io.StringIO(out))}
    assert remind["Vergilər Nazirliyi"]["respondents"] == "Aysel Məmmədova"
    code, _, err = run(capsys, "--db", db, "collection", "extend", "--round", "2025", "--institution",
                       "Ədliyyə Nazirliyi", "--deadline", "2025-12-20")
    assert code == 1 and "reason" in err.lower()
    code, _, err = run(capsys, "--db", db, "collection", "extend", "--round", "2025", "--institution",
                       "Ədliyyə Nazirliyi", "--deadline", "2025-12-20", "--reason", "new minister")
    assert code == 0, err
    code, out, _ = run(capsys, "--db", db, "collection", "--round", "2025", "--format", "csv", "--on", "2025-12-03")
    rows = {r["name_az"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["Ədliyyə Nazirliyi"]["timeliness"] == "pending" and rows["Ədliyyə Nazirliyi"]["extended"] == "True"
    assert run(capsys, "--db", db, "collection", "--round", "2099")[0] == 1
    assert run(capsys, "--db", db, "collection")[0] == 2


def test_tracker_excel_and_neutralised_csv(db, capsys, tmp_path):
    from openpyxl import load_workbook

    from store.registry import add_institution, add_service

    with Store(db) as st:
        iid = add_institution(st, Actor.system("t"), '=HYPERLINK("http://evil")', None)
        add_service(st, Actor.system("t"), iid, "1.1", "x", None, None)
    run(capsys, "--db", db, "round", "open", "2025", "--deadline", "2025-12-01")
    out_file = tmp_path / "tracker.xlsx"
    assert run(capsys, "--db", db, "collection", "--round", "2025", "-o", out_file)[0] == 0
    ws = load_workbook(out_file).active
    with Store(db) as st:
        expected = queries.services(st)["institution_id"].nunique()
    assert ws.max_row == expected + 1 and ws["B1"].value == "name_az"
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)  # no formula reached the workbook
    _, out, _ = run(capsys, "--db", db, "collection", "--round", "2025", "--format", "csv")
    assert "'=HYPERLINK" in out

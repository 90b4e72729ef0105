"""Rounds a workbook may name, institutions' short names, one message per problem, the upload preview."""

from __future__ import annotations

import cli
from ingest.messages import MESSAGES
from ingest.pipeline import import_files
from store import Store, queries
from store.actors import Actor
from store.errors import Refused
from store.registry import add_alias, remove_alias
from store.rounds import open_round, set_round_status
from tests.badfiles import EDECL, TAXES, make_self_workbook, self_row

ADMIN, EXPERT = Actor("ana", "admin"), Actor("elvin", "expert")
LEVEL1 = [1, 1, 0, 1, 0] + [0] * 12


def _store(tmp_path, *rounds):
    st = Store(tmp_path / "i.duckdb")
    for label in rounds:
        open_round(st, ADMIN, label)
    return st


def _one(st, data, **kw):
    [o] = import_files(st, [("f.xlsx", data)], kw.pop("actor", EXPERT), **kw)
    return o


def test_a_round_must_be_opened_first(tmp_path):
    st = _store(tmp_path)
    o = _one(st, make_self_workbook([self_row()]))
    assert o.status == "rejected" and [e.code for e in o.errors] == ["round_not_open"]
    assert "—" in o.errors[0].message("en")  # no round is open at all
    open_round(st, ADMIN, "2025")
    open_round(st, ADMIN, "2026")
    o = _one(st, make_self_workbook([self_row()], meta={"round": "2099"}))
    msg = o.errors[0].message("en")
    assert "«2099»" in msg and "2025, 2026" in msg and "Meta" in msg
    assert o.errors[0].cells == ("B1",)
    assert queries.rounds(st)["label"].tolist() == ["2025", "2026"]  # nothing typed into existence
    st.close()


def test_round_labels_written_differently_match_with_a_warning(tmp_path):
    st = _store(tmp_path, "2024", "2024-H1")
    for written, label in (("2024-cü il", "2024"), (" 2024 ", "2024"), ("2024 il", "2024"), ("2024 h1", "2024-H1")):
        o = _one(st, make_self_workbook([self_row()], meta={"round": written}), dry_run=True)
        assert o.status == "dry-run" and o.round_label == label, written
        assert [w.code for w in o.warnings] == ["round_label_read"]
        assert f"«{written}»" in o.warnings[0].message("en") and label in o.warnings[0].message("az")
    o = _one(st, make_self_workbook([self_row()], meta={"round": 2024}), dry_run=True)
    assert o.status == "dry-run" and not o.warnings  # a number cell 2024 is the round 2024
    set_round_status(st, ADMIN, "2024", "closed")
    o = _one(st, make_self_workbook([self_row()], meta={"round": "2024"}))
    assert [e.code for e in o.errors] == ["round_closed"] and "2024-H1" in o.errors[0].message("en")
    st.close()


def test_aliases_are_registered_audited_and_read(tmp_path):
    st = _store(tmp_path, "2024")
    o = _one(st, make_self_workbook([self_row(institution="DİN", code="2.6")]), dry_run=True)
    assert [e.code for e in o.errors] == ["institution_abbreviation"]
    assert "Daxili İşlər Nazirliyi" in o.errors[0].message("az")
    interior = int(st.scalar("SELECT institution_id FROM institutions WHERE name_az = 'Daxili İşlər Nazirliyi'"))
    add_alias(st, ADMIN, interior, "DİN", reason="the ministry's initials")
    for bad, code in (("Vergilər Nazirliyi", "alias_is_name"), ("din", "alias_taken"), ("", "alias_bad")):
        try:
            add_alias(st, ADMIN, 1, bad)
        except Refused as exc:
            assert exc.code == code
        else:
            raise AssertionError(bad)
    o = _one(st, make_self_workbook([self_row(institution="DİN", code="2.6")]), dry_run=True)
    assert o.status == "dry-run" and [w.code for w in o.warnings] == ["institution_alias"]
    assert o.plan["institution_id"].tolist() == [interior]
    remove_alias(st, ADMIN, "din", reason="no longer used")
    assert queries.institution_aliases(st).empty
    assert queries.events(st)["action"].tolist()[:2] == ["remove_alias", "add_alias"]
    st.close()


def test_alias_command_line(tmp_path, capsys):
    db = tmp_path / "a.duckdb"
    assert cli.main(["--db", str(db), "init"]) == 0
    assert cli.main(["--db", str(db), "institution", "alias", "add", "daxili isler nazirliyi", "DİN",
                     "--reason", "initials", "--lang", "en"]) == 0
    assert "«DİN» now stands for «Daxili İşlər Nazirliyi»" in capsys.readouterr().out
    assert cli.main(["--db", str(db), "institution", "alias", "add", TAXES, "DİN", "--lang", "en"]) == 1
    assert "already a short name" in capsys.readouterr().err
    assert cli.main(["--db", str(db), "institution", "alias", "list"]) == 0
    assert "DİN" in capsys.readouterr().out
    assert cli.main(["--db", str(db), "institution", "alias", "remove", "DİN", "--reason", "gone"]) == 0
    with Store(db) as st:
        ev = queries.events(st)
        assert ev["action"].tolist()[:2] == ["remove_alias", "add_alias"] and ev["reason"].iloc[1] == "initials"


def test_one_message_per_kind_of_problem(tmp_path):
    st = _store(tmp_path, "2024")
    rows = [self_row(code=c, answers=["beli"] * 9 + ["maybe"] * 8) for c in ("7.1", "7.2", "7.4", "7.8")]
    o = _one(st, make_self_workbook(rows), dry_run=True)
    assert sorted((e.code, e.params["cells"]) for e in o.errors) == [("bad_yesno", "N2:U5")]
    assert o.errors[0].params["n_cells"] == 32 and len(o.errors[0].cells) == 32
    assert "cells N2:U5 (32 cells)" in o.errors[0].message("en")
    assert "xanalar N2:U5 (32 xana)" in o.errors[0].message("az")
    frame = o.errors_frame("az")
    assert len(frame) == 1 and frame["cells"].iloc[0] == "N2:U5"
    st.close()


def test_store_messages_come_from_the_catalogue():
    assert "store_warning" not in MESSAGES
    for code in ("round_not_open", "conflict_replace", "conflict_locked", "revert_locked", "revert_needs_reason",
                 "methodology_mismatch", "answers_count_mismatch"):
        assert code in MESSAGES and MESSAGES[code]["az"] != MESSAGES[code]["en"]


def test_stored_conflicts_are_one_message_with_their_cells(tmp_path):
    st = _store(tmp_path, "2024")
    _one(st, make_self_workbook([self_row(), self_row(code="7.2"), self_row(code="7.4")]))
    o = _one(st, make_self_workbook([self_row(answers=[1] * 17), self_row(code="7.2", answers=[1] * 17),
                                     self_row(code="7.4")]))
    assert o.status == "conflict" and len(o.errors) == 1
    issue = o.errors[0]
    assert issue.code == "conflict_replace" and issue.cells == ("B2", "B3")
    assert "2 value(s)" in issue.message("en") and "Vergilər Nazirliyi › 7.2" in issue.message("en")
    st.close()


def test_preview_shows_words_levels_and_changes_without_ids(tmp_path):
    st = _store(tmp_path, "2024")
    _one(st, make_self_workbook([self_row(answers=LEVEL1)]))
    o = _one(st, make_self_workbook([self_row(answers=EDECL), self_row(code="7.2", answers=LEVEL1)]), dry_run=True,
             replace=True)
    en = o.preview("en", st)["Services"].set_index("Code")
    assert list(en.index) == ["7.1", "7.2"]
    assert en.loc["7.1", "Status"] == "Replaced" and en.loc["7.2", "Status"] == "New"
    assert en.loc["7.1", "Level"] == 3 and en.loc["7.1", "Stored level"] == 1 and en.loc["7.1", "Level change"] == "▲ +2"
    assert en.loc["7.2", "Level change"] == "new"
    assert en.loc["7.1", "3. Quality is assessed"] == "No → Yes"  # a changed answer shows the stored one
    assert en.loc["7.2", "1. Public website"] == "Yes"
    assert not [c for c in en.reset_index().columns if "id" in c.lower().split("_")]
    az = o.preview("az", st)["Services"]
    assert set(az.iloc[:, 8:25].to_numpy().ravel()) <= {"Bəli", "Xeyr", "Xeyr → Bəli", "Bəli → Xeyr"}
    st.close()


def test_cli_annotate_writes_the_senders_workbook_back(tmp_path, capsys):
    import openpyxl

    db = tmp_path / "c.duckdb"
    with Store(db) as st:
        open_round(st, ADMIN, "2024")
    bad = tmp_path / "forma.xlsx"
    bad.write_bytes(make_self_workbook([self_row(answers=["✓", *EDECL[1:]]), self_row(code="7.2", answers=["hə"] * 17)]))
    out = tmp_path / "back.xlsx"
    assert cli.main(["--db", str(db), "import", str(bad), "--annotate", str(out), "--lang", "en"]) == 1
    printed = capsys.readouterr().out
    assert "✖ Sheet «Services», row 2, column q1 (E): «✓» is a mark" in printed
    assert "! Sheet «Services», cells E3:U3 (17 cells): «hə» was read as «yes»" in printed
    book = openpyxl.load_workbook(out)
    notes = {c.coordinate: c.comment.text for row in book["Services"].iter_rows() for c in row if c.comment}
    assert set(notes) == {"E2", *[f"{chr(c)}3" for c in range(ord("E"), ord("U") + 1)]}
    assert "is a mark" in notes["E2"] and book.sheetnames[-1] == "Check"


def test_every_issue_code_is_documented():
    from pathlib import Path

    docs = Path(__file__).resolve().parent.parent / "docs"
    english = (docs / "FORMATS.md").read_text(encoding="utf-8")
    assert not [code for code in MESSAGES if f"`{code}`" not in english]
    assert "FORMATS.md" in (docs / "FORMATS.az.md").read_text(encoding="utf-8")


def test_hidden_columns_are_one_message_naming_each(tmp_path):
    import io

    import openpyxl

    st = _store(tmp_path, "2024")
    book = openpyxl.load_workbook(io.BytesIO(make_self_workbook([self_row(), self_row(code="7.2")])))
    for letter in ("C", "F", "G"):
        book["Services"].column_dimensions[letter].hidden = True
    buf = io.BytesIO()
    book.save(buf)
    o = _one(st, buf.getvalue(), dry_run=True)
    [hidden] = [w for w in o.warnings if w.code == "hidden_columns"]
    assert "«C», «F», «G»" in hidden.message("en") and hidden.cells == ("C1", "F1", "G1")
    st.close()

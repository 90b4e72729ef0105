"""AppTest of the intake pages: locked data on the Data page, the annotated copy, opening rounds and short names.

On the demo database every import is approved and published, so every one is locked.
"""

from __future__ import annotations

import io
import json

import openpyxl
import pandas as pd

from store import Store, queries
from store.actors import Actor
from store.rounds import open_round
from tests.badfiles import EDECL, make_self_workbook, self_row
from tests.test_pages import run_page
from ui.choosers import widget_key

EXPERT = Actor(name="Elvin Ekspert", role="expert", email="expert@example.org")
ADMIN = Actor(name="Ana Admin", role="admin", email="admin@example.org")


def _errors(at) -> str:
    return "\n".join(e.value for e in at.error)


def _public(path) -> pd.DataFrame:
    with Store(path) as st:
        return queries.service_answers(st, "2024", "validated", published_only=True)


def _standing(path) -> int:
    """The newest standing workbook import of the published round 2024 (the demo also holds usage imports)."""
    with Store(path) as st:
        imports = queries.imports(st)
    standing = imports[(imports["outcome"] == "imported") & (imports["round"] == "2024")]
    return int(standing["import_id"].max())


def test_experts_revert_of_a_published_import_is_refused(writable_db):
    target = _standing(writable_db)
    before = _public(writable_db)
    at = run_page("data", "en", actor=EXPERT)
    assert not at.exception
    at.selectbox(key=widget_key("revert-id", "en")).set_value(target).run()
    assert any("only an administrator can revert it" in w.value for w in at.warning)
    assert not [c for c in at.checkbox if c.key == "revert-confirm"]  # no confirmation offered to experts
    at.text_input(key="revert-reason").set_value("the ministry sent a corrected file").run()
    at.button(key="btn-revert").click().run()
    assert "only an administrator can revert it" in _errors(at)
    with Store(writable_db) as st:
        assert queries.imports(st).set_index("import_id").loc[target, "outcome"] == "imported"
    pd.testing.assert_frame_equal(_public(writable_db), before)


def test_administrators_revert_needs_a_confirmation_and_a_reason(writable_db):
    target = _standing(writable_db)
    before = _public(writable_db)
    at = run_page("data", "en", actor=ADMIN)
    at.selectbox(key=widget_key("revert-id", "en")).set_value(target).run()
    at.button(key="btn-revert").click().run()
    assert "needs a confirmation and a reason" in _errors(at)
    at.text_input(key="revert-reason").set_value("wrong file from the ministry").run()
    at.button(key="btn-revert").click().run()
    assert "needs a confirmation and a reason" in _errors(at)  # a reason without the confirmation
    at.checkbox(key="revert-confirm").check().run()
    at.button(key="btn-revert").click().run()
    assert not at.exception and not at.error
    assert any(f"Import {target} reverted" in s.value for s in at.success)
    with Store(writable_db) as st:
        event = queries.events(st).iloc[0]
    assert event["action"] == "revert" and event["reason"] == "wrong file from the ministry"
    assert event["actor"] == "Ana Admin" and "locked" in json.loads(event["detail"])
    pd.testing.assert_frame_equal(_public(writable_db), before)  # public until republished


def test_annotated_copy_has_comments_on_exactly_the_problem_cells(writable_db):
    with Store(writable_db) as st:
        open_round(st, ADMIN, "2025")
    bad = make_self_workbook([self_row(answers=["✓", *EDECL[1:]]), self_row(code="7.2", answers=["hə"] * 17),
                              self_row(institution="DİN", code="2.6")], meta={"round": "2025"})
    at = run_page("data", "az", actor=EXPERT)
    at.file_uploader(key="uploads").set_value(("forma.xlsx", bad, "application/octet-stream")).run()
    at.button(key="btn-check").click().run()
    assert not at.exception
    assert any(b.key == "dl-annotated-0" for b in at.get("download_button"))
    copy = at.session_state["annotated"]["forma.xlsx"]
    [outcome] = at.session_state["plan"]
    wanted = {ref for issue in outcome.issues for ref in issue.cells}
    book = openpyxl.load_workbook(io.BytesIO(copy))
    marked = {c.coordinate for row in book["Services"].iter_rows() for c in row if c.comment is not None}
    assert marked == wanted == {"E2", "A4", *[f"{chr(c)}3" for c in range(ord("E"), ord("U") + 1)]}
    assert "işarədir" in book["Services"]["E2"].comment.text  # in the user's language
    original = openpyxl.load_workbook(io.BytesIO(bad))
    assert [[c.value for c in row] for row in book["Services"].iter_rows()] == \
        [[c.value for c in row] for row in original["Services"].iter_rows()]
    assert book.sheetnames == ["Meta", "Services", "Yoxlama"]


def test_upload_preview_shows_answers_as_words_and_levels(writable_db):
    with Store(writable_db) as st:
        open_round(st, ADMIN, "2025")
    good = make_self_workbook([self_row(answers=EDECL)], meta={"round": "2025"})
    at = run_page("data", "en", actor=EXPERT)
    at.file_uploader(key="uploads").set_value(("good.xlsx", good, "application/octet-stream")).run()
    at.button(key="btn-check").click().run()
    frames = [d.value for d in at.dataframe if "Level change" in getattr(d.value, "columns", [])]
    assert frames, "the preview table is shown"
    shown = frames[0]
    assert shown["1. Public website"].tolist() == ["Yes"] and shown["Level"].tolist() == [3]
    assert shown["Level change"].tolist() == ["new"] and "service_id" not in shown.columns


def test_administrator_opens_a_round_with_its_calendar_and_closes_it_with_a_reason(writable_db):
    import datetime as dt

    at = run_page("admin", "en", actor=ADMIN)
    assert not at.exception
    at.text_input(key="new-round").set_value("2025")
    at.date_input(key="new-round-deadline").set_value(dt.date(2025, 12, 1))
    at.date_input(key="new-round-closes").set_value(dt.date(2025, 12, 15))
    at.text_input(key="new-round-reason").set_value("yearly round")
    next(b for b in at.button if b.label == "Open").click().run()
    assert not at.exception and not at.error
    with Store(writable_db) as st:
        r = queries.rounds(st).set_index("label").loc["2025"]
        assert str(r["deadline"])[:10] == "2025-12-01" and str(r["closes"])[:10] == "2025-12-15"
        assert queries.events(st).iloc[0]["reason"] == "yearly round"
    at.text_input(key="new-round").set_value("2025")
    next(b for b in at.button if b.label == "Open").click().run()
    assert "Round 2025 already exists" in _errors(at)
    at.selectbox(key=widget_key("admin-round", "en")).set_value("2025").run()
    at.button(key="btn-status").click().run()  # close
    at.selectbox(key=widget_key("admin-round", "en")).set_value("2025").run()
    at.button(key="btn-status").click().run()  # reopen without a reason
    assert "needs a reason" in _errors(at)
    at.text_input(key="admin-reason").set_value("a ministry's late file").run()
    at.button(key="btn-status").click().run()
    with Store(writable_db) as st:
        ev = queries.events(st)
        assert ev["action"].tolist()[:2] == ["reopen_round", "close_round"]
        assert ev.iloc[0]["reason"] == "a ministry's late file"


def test_administrator_registers_a_short_name(writable_db):
    with Store(writable_db) as st:
        interior = int(st.scalar("SELECT institution_id FROM institutions WHERE name_az = 'Daxili İşlər Nazirliyi'"))
    at = run_page("admin", "az", actor=ADMIN)
    at.selectbox(key="alias-inst").set_value(interior)
    at.text_input(key="alias-text").set_value("DİN")
    at.text_input(key="alias-reason").set_value("nazirliyin öz yazılışı")
    next(b for b in at.button if b.label == "Qeydə al").click().run()
    assert not at.exception and not at.error
    with Store(writable_db) as st:
        aliases = queries.institution_aliases(st)
        assert aliases[["alias", "institution_id"]].values.tolist() == [["DİN", interior]]
        assert queries.events(st).iloc[0]["action"] == "add_alias"

"""Presentation agendas in the store (expert writes, audited) and ``cli.py report`` taking one."""

from __future__ import annotations

import json

import pytest

import cli
from store import agendas, queries
from store.actors import Actor, PermissionDenied
from store.db import Store

EXPERT = Actor("Ekspert Şəhla", "expert")
VIEWER = Actor("Baxış", "viewer")


def run(capsys, *args) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_save_update_delete_are_audited(writable_db):
    with Store(writable_db) as st:
        ids = queries.institutions(st)["institution_id"].tolist()[:2]
        aid = agendas.save_agenda(st, EXPERT, "  Dəyirmi   masa  ", ["cover", "board", "cover"], [ids[1], ids[0]])
        got = agendas.get_agenda(st, "Dəyirmi masa")
        assert got["slides"] == ["cover", "board"] and got["institutions"] == [ids[1], ids[0]]
        assert agendas.save_agenda(st, EXPERT, "Dəyirmi masa", ["headline"], []) == aid
        assert agendas.get_agenda(st, "Dəyirmi masa")["slides"] == ["headline"]
        agendas.delete_agenda(st, EXPERT, "Dəyirmi masa")
        assert agendas.get_agenda(st, "Dəyirmi masa") is None
        ev = queries.events(st)
        mine = ev[ev["action"].str.startswith("agenda_")]
        assert mine["action"].tolist() == ["agenda_delete", "agenda_update", "agenda_create"]
        assert set(mine["actor"]) == {"Ekspert Şəhla"}
        update = json.loads(mine.iloc[1]["detail"])
        assert update["before"]["slides"] == ["cover", "board"] and update["slides"] == ["headline"]


def test_only_experts_write_and_bad_input_is_refused(writable_db):
    with Store(writable_db) as st:
        with pytest.raises(PermissionDenied):
            agendas.save_agenda(st, VIEWER, "A", ["cover"])
        with pytest.raises(ValueError):
            agendas.save_agenda(st, EXPERT, "   ", ["cover"])
        with pytest.raises(ValueError):
            agendas.save_agenda(st, EXPERT, "A", [])
        with pytest.raises(ValueError, match="not in the registry"):
            agendas.save_agenda(st, EXPERT, "A", ["cover"], [99999])
        with pytest.raises(LookupError):
            agendas.delete_agenda(st, EXPERT, "none such")
        assert agendas.agendas(st).empty


def test_cli_report_takes_an_agenda_and_institutions(writable_db, tmp_path, capsys):
    from pptx import Presentation

    with Store(writable_db) as st:
        ids = queries.institutions(st).set_index("name_az")["institution_id"]
        agendas.save_agenda(st, EXPERT, "Qısa", ["cover", "institutions", "closing"],
                            [int(ids["Vergilər Nazirliyi"])])
    code, out, err = run(capsys, "--db", writable_db, "report", "--round", "2024", "--format", "pptx", "-o",
                         f"{tmp_path}/", "--agenda", "Qısa")
    assert code == 0, err
    path = out.split()[0]
    assert path.startswith(f"{tmp_path}/egov-slides-2024-az-data-") and "published" in out
    prs = Presentation(path)
    assert [s.shapes.title.text for s in prs.slides][1].startswith("Vergilər Nazirliyi")  # "(1/2)" when paged
    # --institution replaces the agenda's own list; names match in either language
    code, out, err = run(capsys, "--db", writable_db, "report", "--round", "2024", "--format", "pptx", "-o",
                         tmp_path / "two.pptx", "--agenda", "Qısa", "--institution", "Ministry of Health",
                         "--institution", "Vergilər Nazirliyi", "--lang", "en")
    assert code == 0, err
    titles = [s.shapes.title.text for s in Presentation(tmp_path / "two.pptx").slides]
    import re

    named = [re.sub(r" \(\d+/\d+\)$", "", x) for x in titles[1:-1]]  # an institution's pages share its name
    assert list(dict.fromkeys(named)) == ["Ministry of Health", "Ministry of Taxes"]


def test_cli_report_formats_and_refusals(demo_db, tmp_path, capsys):
    import pypdf

    code, out, err = run(capsys, "--db", demo_db, "report", "--round", "2024", "--format", "pdf", "--handout",
                         "-o", tmp_path / "h.pdf")
    assert code == 0, err
    page = pypdf.PdfReader(tmp_path / "h.pdf").pages[0]
    assert page.mediabox.width > page.mediabox.height
    code, out, err = run(capsys, "--db", demo_db, "report", "--round", "2024", "--format", "xlsx", "-o",
                         tmp_path / "r.xlsx", "--lang", "en")
    assert code == 0 and (tmp_path / "r.xlsx").read_bytes()[:2] == b"PK"
    assert run(capsys, "--db", demo_db, "report", "--round", "2024", "--format", "pptx", "--handout", "-o",
               tmp_path / "x")[0] == 2
    code, _, err = run(capsys, "--db", demo_db, "report", "--round", "1999", "--format", "pdf", "-o", tmp_path / "x")
    assert code == 1 and "no round" in err
    code, _, err = run(capsys, "--db", demo_db, "report", "--round", "2024", "--format", "pdf", "-o", tmp_path / "x",
                       "--agenda", "none such")
    assert code == 1 and "no agenda" in err
    code, _, err = run(capsys, "--db", demo_db, "report", "--round", "2024", "--format", "pdf", "-o", tmp_path / "x",
                       "--institution", "Nazirlik")
    assert code == 1 and "unknown institution" in err and "did you mean" in err


def test_refusals_read_in_the_users_language(writable_db):
    """A refused agenda says why in Azerbaijani or English, from the catalogue (no mixed-language text)."""
    from store.errors import NotFound, StoreError

    with Store(writable_db) as st:
        with pytest.raises(StoreError) as empty:
            agendas.save_agenda(st, EXPERT, "   ", ["cover"])
        assert empty.value.message("az") == "Gündəliyə ad verin." and "/" not in empty.value.message("en")
        with pytest.raises(StoreError) as long:
            agendas.save_agenda(st, EXPERT, "x" * (agendas.NAME_MAX + 1), ["cover"])
        assert str(agendas.NAME_MAX) in long.value.message("az")
        with pytest.raises(StoreError) as no_slides:
            agendas.save_agenda(st, EXPERT, "Boş", [])
        assert "slayd" in no_slides.value.message("az") and "slide" in no_slides.value.message("en")
        with pytest.raises(StoreError) as unknown:
            agendas.save_agenda(st, EXPERT, "Yad", ["cover"], [987654])
        assert "987654" in unknown.value.message("az")
        with pytest.raises(NotFound) as missing:
            agendas.delete_agenda(st, EXPERT, "Heç biri")
        assert "«Heç biri»" in missing.value.message("az")

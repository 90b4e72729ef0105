"""A slide file or PDF beyond the page limit is refused before rendering, with a message that points to agendas."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import report.files as files
from report import TooLarge, render
from report.slides import paginate
from tests.report_support import model_and_slides

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("kind", ["pdf", "handout", "pptx"])
def test_a_file_of_too_many_pages_is_refused_before_rendering(demo_db, monkeypatch, kind):
    m, deck = model_and_slides(str(demo_db))
    pages = len(paginate(deck))
    monkeypatch.setattr(files, "MAX_PAGES", pages - 1)
    with pytest.raises(TooLarge) as caught:
        render(kind, m, deck)
    assert caught.value.pages == pages
    assert "gündəlik" in caught.value.message("az") and "agenda" in caught.value.message("en")


def test_the_limit_leaves_a_round_table_deck_alone(demo_db):
    m, deck = model_and_slides(str(demo_db))
    assert len(paginate(deck)) < files.MAX_PAGES
    assert render("pptx", m, deck)[:2] == b"PK"


def test_the_command_line_says_why_and_fails(demo_db, tmp_path):
    code = (f"import report.files as f; f.MAX_PAGES = 3; import sys; sys.argv = ['cli.py', '--db', {str(demo_db)!r}, "
            f"'report', '--round', '2024', '--lang', 'en', '--format', 'pptx', '-o', {str(tmp_path / 'x.pptx')!r}]; "
            "import runpy; runpy.run_path('cli.py', run_name='__main__')")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode != 0
    assert "at most 3" in done.stderr
    assert not (tmp_path / "x.pptx").exists()

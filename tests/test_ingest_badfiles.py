"""Every file of the bad corpus is refused, with a located message in both languages."""

from __future__ import annotations

import re

import pytest

from ingest.messages import MESSAGES
from ingest.reader import parse_workbook
from tests.badfiles import bad_files, sample_registry

CORPUS = bad_files()


def test_corpus_is_large_enough():
    assert len(CORPUS) >= 25
    assert len({name for name, _, _ in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize("name,data,code", CORPUS, ids=[c[0] for c in CORPUS])
def test_bad_file_is_refused(name, data, code):
    pw = parse_workbook(data, name, sample_registry())
    assert not pw.ok
    assert not pw.services and not pw.coverage and not pw.infrastructure or pw.errors
    codes = [e.code for e in pw.errors]
    assert code in codes, codes
    issue = next(e for e in pw.errors if e.code == code)
    assert issue.file == name
    for lang in ("az", "en"):
        msg = issue.message(lang)
        assert msg and not re.search(r"\{\w+\}", msg), msg  # every placeholder filled
        if issue.row is not None:
            assert str(issue.row) in msg
        if issue.column is not None:
            assert issue.column in msg
        if issue.sheet is not None:
            assert issue.sheet in msg
    assert pw.sha256 and pw.size == len(data)


def test_unknown_institution_lists_closest_names():
    name, data, _ = next(c for c in CORPUS if c[2] == "unknown_institution")
    issue = parse_workbook(data, name, sample_registry()).errors[0]
    assert "Vergilər Nazirliyi" in issue.message("az")
    assert "Ən yaxın adlar" in issue.message("az") and "Closest names" in issue.message("en")


def test_duplicate_rows_name_both_rows():
    name, data, _ = next(c for c in CORPUS if c[2] == "duplicate_service")
    msg = parse_workbook(data, name, sample_registry()).errors[0].message("en")
    assert "rows 2–3" in msg


def test_every_message_exists_in_both_languages():
    for code, texts in MESSAGES.items():
        assert set(texts) == {"az", "en"}, code
        assert texts["az"] != texts["en"], code


def test_yesno_message_is_natural_azerbaijani():
    assert "cavab bəli/xeyr olmalıdır" in MESSAGES["bad_yesno"]["az"]

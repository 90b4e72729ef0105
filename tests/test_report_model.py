"""The report model and the slide definitions: the round's own numbers, the agenda's order, the frozen snapshot."""

from __future__ import annotations

import pytest

import scoring
from report import file_name, slides
from report.agenda import DEFAULT_SLIDES, SLIDE_KEYS, clean_slides, resolve
from report.gather import NotPublished, gather
from store import queries
from store.db import Store
from tests.report_support import GENERATED, model_and_slides, round_figures


def test_model_holds_the_rounds_own_numbers(demo_db):
    m, _ = model_and_slides(str(demo_db))
    f = round_figures(str(demo_db))
    with Store(demo_db) as st:
        mm = queries.load_round_methodology(st, "2024")
        scored = scoring.score_answers(queries.service_answers(st, "2024", published_only=True), mm)
        cov = queries.coverage_rows(st, "2024", published_only=True)
        board = scoring.institution_board(scored, cov, queries.infrastructure_answers(
            st, "2024", source="validated", published_only=True), mm)
    # The showcase assesses every registered service of every registered body.
    assert m.summary.services == len(scored) == sum(m.levels) == f.services > 0
    assert m.summary.institutions == len(m.board) == f.institutions > 0
    assert m.levels == f.levels
    assert m.summary.mean_level == pytest.approx(f.mean_level)
    assert {b.institution_id for b in m.board} == set(board["institution_id"])
    taxes = next(b for b in m.board if b.name == "Vergilər Nazirliyi")
    assert taxes.coverage_pct == pytest.approx(100.0) and taxes.coverage_light == "green"
    # The national infrastructure index, scored from the demo's own expert answers.
    assert m.infrastructure["index"] == pytest.approx(f.index)
    assert m.summary.infrastructure_index == pytest.approx(f.index)
    assert m.previous == "2023" and m.summary_previous is not None and m.levels_previous is not None


def test_names_are_kept_exactly_as_written(demo_db):
    m, deck = model_and_slides(str(demo_db))
    with Store(demo_db) as st:
        registered = set(queries.institutions(st)["name_az"])
    assert {b.name for b in m.board} <= registered
    board_names = [row[0].text for s in deck if s.key == "board" for row in s.table.rows]
    assert "Daxili İşlər Nazirliyi" in board_names  # capital dotted İ untouched
    assert all(name in registered for name in board_names)


def test_english_model_uses_english_names_and_cldr_numbers(demo_db):
    m, deck = model_and_slides(str(demo_db), "en")
    assert any(b.name == "Ministry of Taxes" for b in m.board)
    head = next(s for s in deck if s.key == "headline")
    mean = next(f for f in head.figures if f.label == "Mean level")
    assert "." in mean.value and "," not in mean.value
    az = next(s for s in model_and_slides(str(demo_db))[1] if s.key == "headline")
    assert "," in next(f for f in az.figures if f.label == "Orta səviyyə").value


def test_every_content_slide_has_notes_with_its_figures(demo_db):
    m, deck = model_and_slides(str(demo_db))
    for s in slides.paginate(deck):
        assert s.notes, s.key
    head = next(s for s in deck if s.key == "headline")
    f = round_figures(str(demo_db))
    assert "," in f.mean_text() and any(f.mean_text() in n for n in head.notes)  # CLDR's decimal comma
    assert any(f.index_text() in n for n in head.notes) and any(f"{f.services} " in n for n in head.notes)
    levels = next(s for s in deck if s.key == "levels")
    assert levels.chart.alt in levels.notes
    assert ", ".join(f"Səviyyə {k}: {n}" for k, n in enumerate(f.levels)) in levels.chart.alt


def test_slides_follow_the_agenda_and_its_institutions(demo_db):
    with Store(demo_db) as st:
        ids = queries.institutions(st).set_index("name_az")["institution_id"]
        wanted = [int(ids["Səhiyyə Nazirliyi"]), int(ids["Vergilər Nazirliyi"])]
        agenda = resolve({"name": "Test", "slides": ["closing", "institutions", "headline", "nonsense"],
                          "institutions": wanted})
        m = gather(st, "2024", "az", agenda=agenda, now=GENERATED)
    deck = slides.build(m)
    assert [s.key for s in deck] == ["closing", "institutions", "institutions", "headline"]
    assert [s.title for s in deck if s.key == "institutions"] == ["Səhiyyə Nazirliyi", "Vergilər Nazirliyi"]
    assert m.agenda.name == "Test" and "gündəlik: Test" in slides.cover(m).subtitle


def test_agenda_keys_are_cleaned():
    assert clean_slides(["board", "board", "cover", "x"]) == ("board", "cover")
    assert clean_slides([]) == DEFAULT_SLIDES
    assert set(DEFAULT_SLIDES) == set(SLIDE_KEYS)
    a = resolve({"name": "A", "slides": ["cover"], "institutions": [3, 1, 3]}, None)
    assert a.institutions == (3, 1)
    assert resolve({"name": "A", "slides": ["cover"], "institutions": [3]}, [5]).institutions == (5,)


def test_paginated_tables_never_overflow_and_keep_every_row(demo_db):
    _, deck = model_and_slides(str(demo_db))
    pages = slides.paginate(deck)
    for s in deck:
        if s.table is None:
            continue
        parts = [p for p in pages if p.key == s.key and p.title == s.title]
        assert all(len(p.table.rows) <= s.table.rows_per_slide for p in parts)
        assert [r for p in parts for r in p.table.rows] == list(s.table.rows)
        assert [p.page for p in parts] == list(range(1, len(parts) + 1))
        # Shared out evenly: no page left with a lone row (seven services: 4 and 3, not 6 and 1).
        sizes = [len(p.table.rows) for p in parts]
        assert max(sizes) - min(sizes) <= 1 and sizes == sorted(sizes, reverse=True), (s.title, sizes)
    board_pages = [p for p in pages if p.key == "board"]
    assert slides.slide_title(board_pages[0], "az").endswith(f"(1/{len(board_pages)})")
    assert slides.page_label(board_pages[1], "az") == f"(2/{len(board_pages)})"
    assert slides.page_label(next(p for p in pages if p.key == "headline"), "az") == ""


def test_board_is_in_the_languages_alphabetical_order(demo_db):
    """Azerbaijani order is not code-point order: Ə follows E, X follows H, Ş follows S; quotes are ignored."""
    from l10n import sort_key

    names = [b.name for b in model_and_slides(str(demo_db))[0].board]
    assert names == sorted(names, key=lambda n: sort_key(n, "az"))
    assert names.index("Energetika Nazirliyi") < names.index("Ədliyyə Nazirliyi") < names.index("Fövqəladə Hallar "
                                                                                                 "Nazirliyi")
    assert names.index("Gənclər və İdman Nazirliyi") < names.index("Xarici İşlər Nazirliyi") < names.index(
        "İqtisadiyyat və Sənaye Nazirliyi")
    assert names.index("Sumqayıt Şəhər İcra Hakimiyyəti") < names.index("Şəki Şəhər Bələdiyyəsi") < names.index(
        "Təhsil Nazirliyi")
    assert names.index("Ailə, Qadın və Uşaq Problemləri üzrə Dövlət Komitəsi") < names.index('"Azərsu" ASC') < \
        names.index("Bakı Şəhər İcra Hakimiyyəti")
    english = [b.name for b in model_and_slides(str(demo_db), "en")[0].board]
    assert english == sorted(english, key=str.casefold)
    assert sorted(["Ş", "S", "Ə", "E", "I", "İ", "X", "H", "Z"], key=lambda n: sort_key(n, "az")) == [
        "E", "Ə", "H", "X", "I", "İ", "S", "Ş", "Z"]


def test_lights_carry_icon_and_word_not_colour_alone(demo_db):
    m, deck = model_and_slides(str(demo_db))
    board = next(s for s in deck if s.key == "board")
    cells = [c for row in board.table.rows for c in row if c.light]
    assert {c.light for c in cells} >= {"green", "yellow", "red", "none"}
    assert slides.light_text("green", "az") == "✔ yaşıl" and slides.light_text(None, "en") == "– no data"
    assert "✔ yaşıl" in board.table.caption and "✖ qırmızı" in board.table.caption


def test_published_snapshot_is_refused_for_an_unpublished_round(writable_db):
    from store.actors import Actor
    from store.rounds import open_round

    with Store(writable_db) as st:
        open_round(st, Actor.system("test"), "2025")
        with pytest.raises(NotPublished):
            gather(st, "2025", "az")
        m = gather(st, "2024", "az", snapshot="current", now=GENERATED)
    assert not m.published
    assert slides.marks(m)[0] == "Dərc olunmayıb: cari məlumatlar"
    assert "Dərc olunmayıb" in slides.footer(m)
    assert "-not-published-" in file_name(m, "pdf")


def test_file_names_carry_round_language_and_both_times(demo_db):
    m, _ = model_and_slides(str(demo_db))
    name = file_name(m, "pptx")
    assert name.startswith("egov-slides-2024-az-data-") and name.endswith(".pptx")
    assert "-gen-20261127-1430." in name  # 10:30 UTC is 14:30 in Baku
    assert name.isascii() and "/" not in name
    assert file_name(m, "handout").startswith("egov-handout-")


def test_dashboard_link_keeps_the_state(demo_db):
    m, deck = model_and_slides(str(demo_db))
    assert m.dashboard_url == "https://egov.example.az/?round=2024&lang=az&source=validated"
    assert deck[0].link == m.dashboard_url and deck[-1].link == m.dashboard_url


def test_a_long_title_keeps_its_page_in_view(demo_db):
    """An institution's full name gets two lines in a smaller size; the page, "(1/2)", is never cut with it."""
    from html import escape

    from report import html

    pages = slides.paginate(model_and_slides(str(demo_db))[1])
    paged = max((p for p in pages if p.key == "institutions" and p.pages > 1), key=lambda p: len(p.title))
    head = html.slide_html(paged, "az", footer="f", counter="1 / 1", marks=(), badges=(),
                           title=slides.slide_title(paged, "az"))
    assert len(paged.title) > html.LONG_TITLE and "<h1 class='long'>" in head
    assert f"<span class='name'>{escape(paged.title)}</span><span class='page'> (1/{paged.pages})</span></h1>" in head
    short = next(p for p in pages if p.key == "board")
    head = html.slide_html(short, "az", footer="f", counter="1 / 1", marks=(), badges=(),
                           title=slides.slide_title(short, "az"))
    assert f"<h1><span class='name'>{escape(short.title)}</span><span class='page'> (1/{short.pages})</span></h1>" in head


@pytest.mark.parametrize("source", ["validated", "self", "expert"])
def test_older_rounds_read_compactly_give_the_full_rounds_figures(demo_db, source):
    """The previous round and the trend-only rounds are read as compact ids: not a figure changes."""
    import pandas as pd

    from report.gather import _other_rounds, _Round

    with Store(demo_db) as st:
        labels = queries.round_labels(st, published_only=True)
        r = queries.rounds(st)
        ids = dict(zip(r["label"].astype(str), r["round_id"].astype(int)))
        older = queries.answer_rows(st, labels, published_only=True)
        figures = _other_rounds(st, labels, older, source, True, ids)
        for label in labels:
            full = _Round(st, label, source, True)
            compact = _Round(st, label, source, True,
                             rows=older[older["round_id"] == ids[label]].reset_index(drop=True))
            assert compact.summary == full.summary and compact.levels() == full.levels()
            assert compact.national == full.national
            pd.testing.assert_frame_equal(compact.board, full.board)
            mid, services, mean, share4, transferable, provided = figures[label]
            assert (mid, services, mean, share4) == (full.m.id, full.summary.services, full.summary.mean_level,
                                                     full.summary.share_level4)
            assert transferable == full.coverage["services_transferable"].astype(float).sum()
            assert provided == full.coverage["e_services_provided"].astype(float).sum()

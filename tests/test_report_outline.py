"""Institution pages and the deck are built lazily, and lazily built they equal the eager build."""

from __future__ import annotations

import pytest

import scoring
from report import slides
from report.gather import _Round, gather
from report.model import AdviceItem, InstitutionPages, ServiceRow
from report.outline import Deck, page_count
from report.service_rows import name_in
from store.db import Store

GENERATED = __import__("datetime").datetime(2026, 11, 27, 11, 0)


def _reference_services(records: list[dict], m, lang: str) -> tuple[ServiceRow, ...]:
    """The rows as the report made them before pages became lazy: record by record, scalar advice."""
    out = []
    for r in records:
        adv = scoring.next_level_advice([int(r[c]) for c in m.answer_columns], m)
        items = tuple(AdviceItem(n, m.indicators[n - 1].short.get(lang), n in adv.mandatory) for n in adv.suggested)
        out.append(ServiceRow(
            service_id=int(r["service_id"]), code=str(r["code"]), name=name_in(r, lang, "service_az", "service_en"),
            audience=r.get("audience") if r.get("audience") in ("citizen", "business") else None,
            level=int(r["level"]), columns=" ".join(str(int(r[c])) for c in scoring.LEVEL_COLUMNS),
            corruption_score=int(r["corruption_score"]), band=m.band(r["corruption_band"]).label.get(lang),
            source=str(r["source"]), target=adv.target, advice=items,
            light=scoring.traffic_light("maturity", float(r["level"]), m)))
    return tuple(out)


@pytest.fixture(scope="module", params=["az", "en"])
def built(demo_db, request):
    with Store(demo_db) as st:
        m = gather(st, "2024", request.param, now=GENERATED)
        with st.reading():
            scored = _Round(st, "2024", "validated", True).scored
    return m, scored


def test_pages_equal_the_record_by_record_rows(built):
    """Every page, the first ones (rows taken alone) and the later ones (columns taken whole) alike."""
    from report.service_rows import WHOLE_AFTER

    m, scored = built
    assert len(m.institutions) > WHOLE_AFTER
    assert isinstance(m.institutions, InstitutionPages) and len(m.institutions) == len(m.board)
    method = scoring.load_methodology(m.method.id)
    for page, n in zip(m.institutions, m.institutions.service_counts):
        records = scored[scored["institution_id"] == page.row.institution_id].to_dict("records")
        assert page.services == _reference_services(records, method, m.lang)
        assert len(page.services) == n


def test_deck_equals_the_paginated_build(built):
    m, _ = built
    eager = slides.paginate(slides.build(m))
    deck = Deck(m)
    assert len(deck) == len(eager)
    assert list(deck) == eager
    assert deck[-1] == eager[-1] and deck[3:7] == eager[3:7]
    assert [s.extra for s in deck] == [s.extra for s in eager]  # extra is not compared by ==


def test_deck_builds_only_the_institution_shown(demo_db):
    made: list[int] = []
    with Store(demo_db) as st:
        m = gather(st, "2024", "az", now=GENERATED)
    pages = m.institutions
    m.institutions = InstitutionPages(pages.ids, pages.service_counts,
                                      lambda iid: made.append(iid) or pages._make(iid))
    deck = Deck(m)
    assert made == [] and len(deck) > len(pages)  # counted without building a page
    first = next(i for i, e in enumerate(deck._entries) if isinstance(e, tuple) and e[0][0] == "institutions")
    shown = deck[first]
    assert made == [shown.institution_id]
    assert deck[first] is shown and made == [shown.institution_id]  # kept for the next rerun


def test_deck_builds_the_board_only_when_shown(demo_db, monkeypatch):
    from report import outline

    with Store(demo_db) as st:
        m = gather(st, "2024", "az", now=GENERATED)
    calls: list[str] = []
    real = outline.BUILDERS["board"]
    monkeypatch.setitem(outline.BUILDERS, "board", lambda model: calls.append("board") or real(model))
    deck = Deck(m)
    assert calls == []
    boards = [i for i, e in enumerate(deck._entries) if isinstance(e, tuple) and e[0] == ("board",)]
    assert len(boards) == page_count(len(m.board), slides.BOARD_ROWS) > 1
    assert [deck[i].page for i in boards] == list(range(1, len(boards) + 1)) and calls == ["board"]


def test_page_count_matches_paginate():
    for n in (0, 1, 5, 6, 7, 12, 13, 50):
        rows = tuple((slides.Cell(str(k)),) for k in range(n))
        s = slides.Slide("institutions", "institution", "x",
                         table=slides.Table((slides.Column("c"),), rows, rows_per_slide=slides.INSTITUTION_ROWS))
        assert page_count(n) == len(slides.paginate([s])), n

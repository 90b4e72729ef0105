"""Names from data are text in every output: markup of HTML, Typst or Markdown shows as written."""

from __future__ import annotations

import io
import re

import pypdf
from pptx import Presentation

from report import deck, html, pdf, slides
from report.agenda import resolve
from report.gather import gather
from store import queries
from store.db import Store
from tests.report_support import GENERATED, outline_titles

HOSTILE = 'Vergi <b>x</b> #set page(width: 1pt) $a$ *b* ] [ \\ "q" & İ'


def test_markup_in_names_is_shown_literally(writable_db):
    with Store(writable_db) as st:
        iid = int(queries.institutions(st).set_index("name_az").loc["Vergilər Nazirliyi", "institution_id"])
        with st.transaction() as cur:
            cur.execute("UPDATE institutions SET name_az = ? WHERE institution_id = ?", [HOSTILE + "\x0b", iid])
        m = gather(st, "2024", "az", snapshot="current", now=GENERATED,
                   agenda=resolve({"name": "<i>A</i>", "slides": ["cover", "board", "institutions"],
                                   "institutions": [iid]}))
    built = slides.build(m)

    reader = pypdf.PdfReader(io.BytesIO(pdf.render_pdf(m, built)))
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    # The board runs over several pages now; the name is on one of them, and on the institution's own page.
    board = [p for p in pages if "Svetofor lövhəsi" in p or "Qurum Əhatə Yetkinlik" in p]
    own = [p for p in pages if "Onlayn vergi bəyannaməsi" in p]  # a service of this institution
    assert any(HOSTILE in p for p in board), "the name on the board"
    assert len(own) == 1 and HOSTILE in own[0] and "Kod Xidmət Səviyyə" in own[0], "the institution's page"
    assert HOSTILE in outline_titles(reader.outline) and "gündəlik: <i>A</i>" in pages[0]
    # Nothing in the name ran as Typst: every page keeps the report's A4 size.
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages} == {(595, 842)}

    page = next(s for s in built if s.key == "institutions")
    fragment = html.slide_html(page, "az", footer="f", counter="1 / 1", marks=(), badges=(), title=page.title)
    assert "<b>x</b>" not in fragment and "&lt;b&gt;x&lt;/b&gt;" in fragment

    prs = Presentation(io.BytesIO(deck.render_deck(m, built)))
    titles = [s.shapes.title.text for s in prs.slides]
    # The control character is dropped, the rest kept as written (with the page, when its services fill two slides).
    assert any(re.fullmatch(re.escape(HOSTILE) + r"( \(\d+/\d+\))?", x) for x in titles), titles

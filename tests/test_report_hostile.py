"""Names from data are text in every output: markup of HTML, Typst or Markdown shows as written."""

from __future__ import annotations

import io

import pypdf
from pptx import Presentation

from report import deck, html, pdf, slides
from report.agenda import resolve
from report.gather import gather
from store import queries
from store.db import Store
from tests.report_support import GENERATED

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

    text = " ".join(pypdf.PdfReader(io.BytesIO(pdf.render_pdf(m, built))).pages[2].extract_text().split())
    assert "Vergi <b>x</b> #set page(width: 1pt) $a$ *b* ] [" in text

    page = next(s for s in built if s.key == "institutions")
    fragment = html.slide_html(page, "az", footer="f", counter="1 / 1", marks=(), badges=(), title=page.title)
    assert "<b>x</b>" not in fragment and "&lt;b&gt;x&lt;/b&gt;" in fragment

    prs = Presentation(io.BytesIO(deck.render_deck(m, built)))
    titles = [s.shapes.title.text for s in prs.slides]
    assert HOSTILE in titles  # the control character is dropped, the rest kept as written

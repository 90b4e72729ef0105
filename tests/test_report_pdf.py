"""The PDF report and handout: they open, hold the expected sections, embed only the shipped fonts,
keep the Azerbaijani letters, carry alt text and the "data as of" line on every page."""

from __future__ import annotations

import io

import pypdf
import pytest

from report import pdf, slides
from tests.report_support import ALL_CASES, AZ_LETTERS, GENERATED, model_and_slides, outline_titles, round_figures


@pytest.fixture(scope="module")
def report_pdf(demo_db):
    m, deck = model_and_slides(str(demo_db))
    return m, deck, pypdf.PdfReader(io.BytesIO(pdf.render_pdf(m, deck)))


@pytest.fixture(scope="module")
def handout_pdf(demo_db):
    m, deck = model_and_slides(str(demo_db))
    return m, deck, pypdf.PdfReader(io.BytesIO(pdf.render_handout(m, deck)))


def _text(reader: pypdf.PdfReader) -> list[str]:
    return [p.extract_text() for p in reader.pages]


def _fonts(reader: pypdf.PdfReader) -> dict[str, bool]:
    """BaseFont name → whether its program is embedded."""
    found = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            desc = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            fd = desc["/FontDescriptor"].get_object()
            found[str(font["/BaseFont"])] = any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return found


def _alts(node, out: list[str]) -> list[str]:
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, pypdf.generic.DictionaryObject):
        if "/Alt" in node:
            out.append(str(node["/Alt"]))
        if "/K" in node:
            _alts(node["/K"], out)
    elif isinstance(node, pypdf.generic.ArrayObject):
        for k in node:
            _alts(k, out)
    return out


def test_report_has_the_expected_sections_in_order(report_pdf):
    m, deck, reader = report_pdf
    titles = outline_titles(reader.outline)
    expected = ["Nəticələr necə hesablanır", "2024: əsas göstəricilər", "Xidmətlərin səviyyələr üzrə bölgüsü",
                "Svetofor lövhəsi, 2024", "E-hökumət infrastrukturu", "20 əsas ictimai xidmət",
                "Klassik Aİ göstəriciləri", "BMT e-hökumət indeksi", "Dövrlər üzrə dinamika", "Qurumlar"]
    assert titles[:len(expected)] == expected
    institutions = [b.name for b in m.board]
    assert titles[len(expected):len(expected) + len(institutions)] == institutions
    assert titles[-1] == "Canlı panel eyni vəziyyətdə"
    assert str(reader.metadata.title) == "E-xidmətlərin monitorinqi: 2024 dövrünün nəticələri"


def test_report_text_keeps_azerbaijani_letters_and_figures(report_pdf, demo_db):
    m, deck, reader = report_pdf
    pages = _text(reader)
    text = "\n".join(pages)
    for letter in AZ_LETTERS:
        assert letter in text, letter
    assert "Daxili İşlər Nazirliyi" in text and "Əmək və Əhalinin Sosial Müdafiəsi Nazirliyi" in text
    # The round's mean level and infrastructure index (scored apart from report/), CLDR comma, on the headline page.
    f = round_figures(str(demo_db))
    headline = next(flat for flat in (" ".join(p.split()) for p in pages) if "2024: əsas göstəricilər 2023" in flat)
    assert "," in f.mean_text() and "," in f.index_text()
    assert f"Orta səviyyə {f.mean_text()} " in headline and f"İnfrastruktur indeksi {f.index_text()} " in headline
    assert f"Qiymətləndirilən xidmətlər {f.services} " in headline
    assert "Səviyyə 4" in text  # chart labels are text in the PDF (SVG drawn by Typst)


def test_text_written_in_any_case_comes_out_exactly(demo_db):
    """An agenda named in every Azerbaijani letter, both cases: shown as written, never re-cased."""
    from report.agenda import resolve
    from report.gather import gather
    from store.db import Store

    name = f"Gündəlik {ALL_CASES}"
    with Store(demo_db) as st:
        m = gather(st, "2024", "az", agenda=resolve({"name": name, "slides": ["cover", "headline"]}), now=GENERATED)
    text = pypdf.PdfReader(io.BytesIO(pdf.render_pdf(m, slides.build(m)))).pages[0].extract_text()
    assert name in " ".join(text.split())


def test_every_page_footer_has_data_as_of_and_generated_at(report_pdf):
    m, deck, reader = report_pdf
    for i, text in enumerate(_text(reader), start=1):
        flat = " ".join(text.split())
        assert "tarixinədir" in flat and "Hazırlanıb:" in flat, i
        assert f"{i} / {len(reader.pages)}" in flat, i


def test_fonts_are_embedded_and_only_the_shipped_ones(report_pdf, handout_pdf):
    for _, _, reader in (report_pdf, handout_pdf):
        fonts = _fonts(reader)
        assert fonts and all(fonts.values()), fonts
        assert all("Noto" in name for name in fonts), fonts


def test_charts_carry_alt_text_and_the_file_claims_pdf_ua(report_pdf):
    m, deck, reader = report_pdf
    root = reader.trailer["/Root"]
    assert str(root["/Lang"]) == "az"
    alts = _alts(root["/StructTreeRoot"], [])
    for chart in (s.chart for s in deck if s.chart is not None):
        assert chart.alt in alts, chart.id
    assert "pdfuaid" in reader.xmp_metadata.rdf_root.toxml()


def test_long_tables_continue_with_their_header_repeated(report_pdf):
    _, _, reader = report_pdf
    pages = [t for t in _text(reader) if "Qarşılığı yoxdur" in t]
    assert len(pages) >= 2, "the EU mapping table spans pages"
    assert all("Aİ xidməti" in t and "Tam onlayn" in t for t in pages)


def test_institution_pages_list_services_with_advice(report_pdf):
    _, _, reader = report_pdf
    page = next(t for t in _text(reader) if "Vergilər Nazirliyi" in t and "Növbəti addım" in t)
    assert "Səviyyə 4 üçün" in page or "Səviyyə 5 üçün" in page


def test_handout_is_a4_landscape_with_every_slide_and_its_notes(handout_pdf):
    m, deck, reader = handout_pdf
    pages = slides.paginate(deck)
    assert len(reader.pages) == len(pages)
    for p in reader.pages:
        w, h = float(p.mediabox.width), float(p.mediabox.height)
        assert w > h and abs(w - 841.89) < 1 and abs(h - 595.28) < 1
    texts = _text(reader)
    assert all("Məruzəçi qeydləri" in t for t in texts)
    assert f"Slayd 1/{len(pages)}" in texts[0] and f"Slayd {len(pages)}/{len(pages)}" in texts[-1]


def test_typst_sees_only_the_shipped_fonts():
    import typst

    from report import style

    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=style.font_paths())
    assert set(fonts.families()) == {"Noto Sans", "Noto Sans Symbols2", "Noto Sans Math"}
    assert (style.FONT_DIR / "OFL.txt").read_text().startswith("Copyright")


def test_a_typst_warning_fails_the_render(monkeypatch):
    class Noisy:
        def compile_with_warnings(self, **kwargs):
            class W:
                message = "unknown font family: arial"

            return b"%PDF", [W()]

    monkeypatch.setattr(pdf, "_compiler", lambda template: Noisy())
    with pytest.raises(pdf.RenderWarning, match="unknown font"):
        pdf._compile("report.typ", {})

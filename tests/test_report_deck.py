"""The PowerPoint deck: 16:9, the presentation's slides, native charts holding the round's numbers, native
tables, speaker notes on every content slide, alt text on every chart, lights by icon and word."""

from __future__ import annotations

import io

import pytest
from lxml import etree
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Inches

from report import deck, slides, style
from tests.report_support import model_and_slides, round_figures

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


@pytest.fixture(scope="module")
def pptx(demo_db):
    m, built = model_and_slides(str(demo_db))
    return m, slides.paginate(built), Presentation(io.BytesIO(deck.render_deck(m, built)))


def _charts(prs):
    for i, slide in enumerate(prs.slides):
        for shape in slide.shapes:
            if shape.has_chart:
                yield i, shape


def test_deck_is_16_to_9_with_one_slide_per_presentation_slide(pptx):
    m, pages, prs = pptx
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
    assert abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.001
    assert len(prs.slides) == len(pages)
    titles = [s.shapes.title.text for s in prs.slides]
    assert titles == [slides.slide_title(p, "az") for p in pages]
    assert prs.core_properties.title == "E-xidmətlərin monitorinqi: 2024 dövrünün nəticələri"


def test_native_charts_hold_the_rounds_numbers(pptx, demo_db):
    m, pages, prs = pptx
    found = {shape.name: shape.chart for _, shape in _charts(prs)}
    levels = found["Xidmətlərin səviyyələr üzrə bölgüsü"]
    assert levels.chart_type == XL_CHART_TYPE.COLUMN_CLUSTERED
    series = {s.name: tuple(s.values) for s in levels.plots[0].series}
    assert series["2024"] == tuple(float(v) for v in m.levels) == tuple(float(v) for v in round_figures(
        str(demo_db)).levels)
    assert series["2023"] == tuple(float(v) for v in m.levels_previous)
    assert list(levels.plots[0].categories) == [f"Səviyyə {k}" for k in range(6)]
    radar = found["İnfrastruktur komponentləri"]
    assert radar.chart_type == XL_CHART_TYPE.RADAR_MARKERS
    assert radar.value_axis.minimum_scale == 0 and radar.value_axis.maximum_scale == 1
    assert tuple(radar.plots[0].series[-1].values) == pytest.approx(
        [m.infrastructure[c] for c, _ in m.components])
    assert found["BMT E-Hökumət İnkişaf İndeksi (EGDI), 2010–2018"].chart_type == XL_CHART_TYPE.LINE_MARKERS
    assert found["Azərbaycan və Aİ: klassik göstəricilər, %"].chart_type == XL_CHART_TYPE.BAR_CLUSTERED


def test_chart_data_lives_in_the_embedded_sheet_with_number_formats(pptx):
    from openpyxl import load_workbook

    _, _, prs = pptx
    for _, shape in _charts(prs):
        part = shape.chart.part
        sheet = load_workbook(io.BytesIO(part.chart_workbook.xlsx_part.blob)).active
        assert sheet.max_row > 1 and sheet.max_column > 1, shape.name
        xml = etree.fromstring(part.blob)
        codes = {n.get("formatCode") for n in xml.iter(f"{C}formatCode")} | {
            n.get("formatCode") for n in xml.iter(f"{C}numFmt")}
        assert codes - {None, "General"}, f"{shape.name}: no number format set"
    trends = next(s.chart for _, s in _charts(prs) if s.name == "Dövrlər üzrə dinamika")
    assert trends.value_axis.tick_labels.number_format == '0"%"'


def test_every_chart_has_alt_text(pptx):
    m, pages, prs = pptx
    alts = {p.chart.title: p.chart.alt for p in pages if p.chart is not None}
    for _, shape in _charts(prs):
        descr = shape._element.nvGraphicFramePr.cNvPr.get("descr")
        assert descr == alts[shape.name]


def test_notes_on_every_content_slide(pptx, demo_db):
    _, pages, prs = pptx
    f = round_figures(str(demo_db))
    for page, slide in zip(pages, prs.slides):
        notes = slide.notes_slide.notes_text_frame.text
        assert notes.strip(), page.key
        if page.key == "headline":
            assert f.mean_text() in notes and f.index_text() in notes  # the round's own figures, CLDR comma


def test_tables_are_native_and_lights_read_without_colour(pptx):
    _, pages, prs = pptx
    i = next(k for k, p in enumerate(pages) if p.key == "board")
    table = next(s for s in prs.slides[i].shapes if s.has_table).table
    assert table.cell(0, 0).text == "Qurum"
    texts = [table.cell(r, c).text for r in range(1, len(table.rows)) for c in range(1, 5)]
    assert any(t.startswith("✔ ") and t.endswith("yaşıl") for t in texts)
    assert any(t.startswith("▲ ") and t.endswith("sarı") for t in texts)
    assert any(t.startswith("✖ ") and t.endswith("qırmızı") for t in texts)


def test_text_uses_an_office_font_with_azerbaijani_letters(pptx):
    _, _, prs = pptx
    faces = set()
    for slide in prs.slides:
        for el in slide._element.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}latin"):
            faces.add(el.get("typeface"))
    assert faces <= {style.DECK_FONT, style.DECK_SYMBOL_FONT}, faces
    body = "\n".join(sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame)
    for letter in "əƏğıİöşüç":
        assert letter in body, letter


def test_cover_carries_the_qr_code_and_the_link(pptx):
    m, _, prs = pptx
    cover = prs.slides[0]
    pictures = [s for s in cover.shapes if s.shape_type == 13]
    assert pictures and pictures[0].click_action.hyperlink.address == m.dashboard_url
    text = "\n".join(sh.text_frame.text for sh in cover.shapes if sh.has_text_frame)
    assert "tarixinədir" in text and "Hazırlanıb" in text and "Nümunə məlumatlar" in text

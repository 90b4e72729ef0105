"""The PowerPoint deck: the presentation's slides with native, editable charts and tables.

Starts from ``report/templates/deck.pptx`` (16:9, our theme). Charts are
PowerPoint charts (bar, radar, line) whose numbers live in the embedded sheet
with their number format set, so a presenter can restyle or update them;
tables are PowerPoint tables; every slide with figures carries speaker notes
(its figures and talking points) and every chart its alt text. Lights show as
icon and word as well as a tint. Fonts are not embedded in a deck: text names
``style.DECK_FONT`` (see ``report/fonts/README.md``).
"""

from __future__ import annotations

import io
import re

import segno
from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from l10n import t

from . import style
from .model import ReportModel
from .slides import ICONS, LIGHTS, Chart, Figure, Slide, Table, footer, marks, paginate, shorten, slide_title

TEMPLATE = style.FONT_DIR.parent / "templates" / "deck.pptx"
W, H = Inches(13.333), Inches(7.5)
LEFT, RIGHT = Inches(0.5), Inches(0.5)
LONG_TITLE = 56  # characters beyond which a title gets two lines in a smaller size (see _title)
BODY_TOP, BODY_BOTTOM = Inches(1.65), Inches(6.85)
CHART_TYPES = {"column": XL_CHART_TYPE.COLUMN_CLUSTERED, "bar": XL_CHART_TYPE.BAR_CLUSTERED,
               "line": XL_CHART_TYPE.LINE_MARKERS, "radar": XL_CHART_TYPE.RADAR_MARKERS}


def _rgb(hex_color: str) -> RGBColor:
    return RGBColor.from_string(hex_color.lstrip("#"))


_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_LANG = {"az": "az-Latn-AZ", "en": "en-GB"}
_lang = {"tag": "az-Latn-AZ"}  # the deck's language, set per render (runs carry it for spell-checking)


def _run(paragraph, text: str, size: float, *, bold: bool = False, color: str = style.TEXT, font: str | None = None):
    """A text run written straight into the XML: python-pptx's property setters cost a deck seconds."""
    p = paragraph._p
    r = etree.Element(f"{{{_A}}}r")
    rpr = etree.SubElement(r, f"{{{_A}}}rPr", lang=_lang["tag"], sz=str(round(size * 100)), b="1" if bold else "0",
                           dirty="0")
    fill = etree.SubElement(rpr, f"{{{_A}}}solidFill")
    etree.SubElement(fill, f"{{{_A}}}srgbClr", val=color.lstrip("#").upper())
    face = font or style.DECK_FONT
    etree.SubElement(rpr, f"{{{_A}}}latin", typeface=face)
    etree.SubElement(rpr, f"{{{_A}}}cs", typeface=face)
    etree.SubElement(r, f"{{{_A}}}t").text = _XML_BAD.sub("", text)
    end = p.find(f"{{{_A}}}endParaRPr")
    if end is not None:
        end.addprevious(r)
    else:
        p.append(r)
    return r


def _fill(cell, hex_color: str) -> None:
    """A table cell's background, written into its properties directly."""
    tcpr = cell._tc.get_or_add_tcPr()
    for old in tcpr.findall(f"{{{_A}}}solidFill"):
        tcpr.remove(old)
    fill = etree.Element(f"{{{_A}}}solidFill")
    etree.SubElement(fill, f"{{{_A}}}srgbClr", val=hex_color.lstrip("#").upper())
    tcpr.insert(0, fill)


def _textbox(slide, left, top, width, height, lines, size: float = 18, *, color: str = style.TEXT,
             bold: bool = False, align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP):
    box = slide.shapes.add_textbox(left, top, width, height)
    tf = box.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = anchor
    for i, line in enumerate(lines):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.alignment = align
        _run(p, line, size, bold=bold, color=color)
    return box


def _light_runs(paragraph, light: str | None, text: str, size: float, lang: str) -> None:
    """Icon, value and word: the light reads without colour."""
    key = light if light in LIGHTS else "none"
    ink = style.LIGHT_STYLE[key]["ink"]
    _run(paragraph, ICONS[key] + " ", size, color=ink, font=style.DECK_SYMBOL_FONT)
    if text:
        _run(paragraph, text + " ", size, bold=True, color=ink)
    _run(paragraph, t(f"light.{key}", lang), size * 0.8, color=ink)


def _title(slide, s: Slide, lang: str) -> None:
    text = slide_title(s, lang)
    slide.shapes.title.text = text
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = LEFT, Inches(0.3), W - LEFT - RIGHT, Inches(0.85)
    # The layout's 30 pt holds one line of about 58 characters; an institution's full name may need two,
    # which only fit above the subtitle at 24 pt.
    size = Pt(24) if len(text) > LONG_TITLE else None
    for p in title.text_frame.paragraphs:
        for r in p.runs:
            r.font.name = style.DECK_FONT
            if size is not None:
                r.font.size = size
    if s.subtitle:
        _textbox(slide, LEFT, Inches(1.1), W - LEFT - RIGHT, Inches(0.5), [s.subtitle], 16, color=style.SUBTLE)


def _footer(slide, m: ReportModel, n: int, total: int) -> None:
    _textbox(slide, LEFT, Inches(6.98), Inches(10.6), Inches(0.4), [footer(m)], 10, color=style.SUBTLE)
    _textbox(slide, Inches(11.3), Inches(6.98), Inches(1.53), Inches(0.4), [f"{n} / {total}"], 11,
             color=style.SUBTLE, align=PP_ALIGN.RIGHT)
    if not m.published:
        _textbox(slide, Inches(9.0), Inches(0.08), Inches(3.83), Inches(0.3), [marks(m)[0]], 11, color=style.MARK,
                 bold=True, align=PP_ALIGN.RIGHT)


def _figure_card(slide, f: Figure, left, top, width, height, lang: str, scale: float = 1.0) -> None:
    key = f.light if f.light in LIGHTS else None
    shape = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, left, top, width, height)
    shape.adjustments[0] = 0.06
    shape.fill.solid()
    shape.fill.fore_color.rgb = _rgb(style.LIGHT_STYLE[key]["bg"] if key else "#F3F6FA")
    shape.line.color.rgb = _rgb(style.LIGHT_STYLE[key]["color"] if key else "#D9D9D9")
    tf = shape.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = MSO_ANCHOR.TOP
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(tf, side, Inches(0.12))
    p = tf.paragraphs[0]
    _run(p, f.label, 14 * scale, color=style.SUBTLE)
    p = tf.add_paragraph()
    _run(p, f.value, 34 * scale, bold=True)
    for para in tf.paragraphs:
        para.alignment = PP_ALIGN.LEFT
    if key:
        p = tf.add_paragraph()
        _light_runs(p, key, "", 14 * scale, lang)
    if f.previous:
        p = tf.add_paragraph()
        _run(p, f.previous, 12 * scale, color=style.SUBTLE)
    if f.delta:
        arrow = {"up": "▲ ", "down": "▼ ", "same": "= "}.get(f.direction or "", "")
        p = tf.add_paragraph()
        _run(p, arrow + f.delta, 15 * scale, bold=True)
    for para in tf.paragraphs:
        para.alignment = PP_ALIGN.LEFT


def _figures(slide, figures, left, top, width, height, columns: int, lang: str, scale: float = 1.0) -> None:
    rows = (len(figures) + columns - 1) // columns
    gap = Inches(0.2)
    cw = (width - gap * (columns - 1)) // columns
    rh = (height - gap * (rows - 1)) // rows
    for i, f in enumerate(figures):
        r, c = divmod(i, columns)
        _figure_card(slide, f, left + c * (cw + gap), top + r * (rh + gap), cw, rh, lang, scale)


def _fit(text: str, width_emu: int, size: float, light: bool) -> str:
    """Shortened to one line of the column (an average glyph is about half an em wide): rows never wrap."""
    room = width_emu / 12700 - 14  # points, less the cell's margins
    chars = int(room / (size * 0.55)) - (len(" · ") + 8 if light else 0)
    return shorten(text, max(chars, 4))


def _table(slide, tbl: Table, left, top, width, lang: str, size: float = 14) -> None:
    rows = len(tbl.rows) + 1
    row_h = Inches(0.46)
    shape = slide.shapes.add_table(rows, len(tbl.columns), left, top, width, row_h * rows)
    table = shape.table
    total = sum(c.width for c in tbl.columns)
    widths = [round(width * c.width / total) for c in tbl.columns]
    widths[-1] = width - sum(widths[:-1])
    for i, w in enumerate(widths):
        table.columns[i].width = Emu(w)
    align = {"left": PP_ALIGN.LEFT, "right": PP_ALIGN.RIGHT, "center": PP_ALIGN.CENTER}
    for j, col in enumerate(tbl.columns):
        cell = table.cell(0, j)
        _fill(cell, "#E8EEF5")
        p = cell.text_frame.paragraphs[0]
        p.alignment = align[col.align]
        _run(p, col.title, size, bold=True)
    for i, row in enumerate(tbl.rows, start=1):
        for j, (c, col) in enumerate(zip(row, tbl.columns)):
            cell = table.cell(i, j)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            _fill(cell, style.LIGHT_STYLE[c.light]["bg"] if c.light in LIGHTS else "#FFFFFF")
            p = cell.text_frame.paragraphs[0]
            p.alignment = align[col.align]
            text = _fit(shorten(c.text, col.max_chars), widths[j], size, c.light in LIGHTS)
            if c.light in LIGHTS:
                _light_runs(p, c.light, "" if text in ("", "—") else text, size, lang)
            else:
                _run(p, text, size, bold=c.strong)
    shape.name = "Table"


def _chart(slide, c: Chart, left, top, width, height, lang: str) -> None:
    data = CategoryChartData(number_format=c.number_format)
    data.categories = list(c.categories)
    for s in c.series:
        data.add_series(s.name, [None if v is None else float(v) for v in s.values], number_format=c.number_format)
    frame = slide.shapes.add_chart(CHART_TYPES[c.kind], left, top, width, height, data)
    frame.name = c.title
    props = frame._element.nvGraphicFramePr.cNvPr
    props.set("descr", c.alt)  # alt text, read by screen readers and shown in PowerPoint's Alt Text pane
    props.set("title", c.title)
    chart = frame.chart
    chart.font.size = Pt(14)
    chart.font.name = style.DECK_FONT
    chart.has_legend = len(c.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(14)
    axis = chart.value_axis
    if c.value_range:
        axis.minimum_scale, axis.maximum_scale = c.value_range
    if c.kind == "radar":
        axis.major_unit = 0.25
    axis.tick_labels.font.size = Pt(14)
    axis.tick_labels.number_format = c.number_format
    axis.tick_labels.number_format_is_linked = False
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = _rgb(style.GRID)
    chart.category_axis.tick_labels.font.size = Pt(16)
    if c.kind == "bar":  # PowerPoint stacks bar categories bottom-up; keep the slide's reading order
        chart.category_axis.reverse_order = True
    if c.kind == "radar":
        _plot_area(chart, x=0.18, y=0.06, w=0.64, h=0.78)
    colors = style.series_colors([s.name for s in c.series], [s.highlight for s in c.series])
    plot = chart.plots[0]
    if c.kind in ("column", "bar"):
        plot.gap_width = 60
        plot.overlap = -10
    for series, spec, color in zip(plot.series, c.series, colors):
        if c.kind in ("column", "bar"):
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = _rgb(color)
        else:
            series.format.line.color.rgb = _rgb(color)
            series.format.line.width = Pt(4 if spec.highlight else 2.25)
            series.smooth = False
            series.marker.style = XL_MARKER_STYLE.CIRCLE
            series.marker.size = 9
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = _rgb(color)
            series.marker.format.line.color.rgb = _rgb(color)
        if c.kind != "radar" and (spec.highlight or c.kind in ("column", "bar")):
            labels = series.data_labels
            labels.show_value = True
            labels.number_format = c.number_format
            labels.number_format_is_linked = False
            labels.font.size = Pt(13)
            labels.font.bold = spec.highlight
            if c.kind in ("column", "bar"):
                labels.position = XL_LABEL_POSITION.OUTSIDE_END


def _plot_area(chart, *, x: float, y: float, w: float, h: float) -> None:
    """Give the plot a fixed share of the chart frame (a radar otherwise shrinks to leave room for labels)."""
    c = "http://schemas.openxmlformats.org/drawingml/2006/chart"
    plot = chart._chartSpace.find(f".//{{{c}}}plotArea")
    layout = plot.find(f"{{{c}}}layout")
    if layout is None:
        layout = etree.Element(f"{{{c}}}layout")
        plot.insert(0, layout)
    for child in list(layout):
        layout.remove(child)
    manual = etree.SubElement(layout, f"{{{c}}}manualLayout")
    etree.SubElement(manual, f"{{{c}}}layoutTarget", val="inner")
    for tag, value in (("xMode", "edge"), ("yMode", "edge"), ("x", x), ("y", y), ("w", w), ("h", h)):
        etree.SubElement(manual, f"{{{c}}}{tag}", val=str(value))


def _qr(slide, url: str, left, top, size) -> None:
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="png", scale=10, border=2)
    buf.seek(0)
    pic = slide.shapes.add_picture(buf, left, top, size, size)
    pic._element.nvPicPr.cNvPr.set("descr", t("report.pdf.qr_alt", "az") + " / " + url)
    pic.click_action.hyperlink.address = url


def _cover(slide, s: Slide, m: ReportModel) -> None:
    lang = m.lang
    slide.shapes.title.text = s.title
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = LEFT, Inches(1.3), Inches(8.6), Inches(1.9)
    for p in title.text_frame.paragraphs:
        p.alignment = PP_ALIGN.LEFT
        for r in p.runs:
            r.font.size, r.font.bold, r.font.name = Pt(38), True, style.DECK_FONT
            r.font.color.rgb = _rgb(style.PRIMARY)
    for ph in list(slide.placeholders):
        if ph.placeholder_format.idx == 1:  # the layout's subtitle: ours is drawn below
            ph._element.getparent().remove(ph._element)
    _textbox(slide, LEFT, Inches(3.3), Inches(8.6), Inches(0.6), [s.subtitle or ""], 20, color=style.SUBTLE)
    _textbox(slide, LEFT, Inches(4.1), Inches(8.6), Inches(1.6), list(s.bullets), 16)
    if marks(m):
        box = _textbox(slide, LEFT, Inches(5.75), Inches(8.6), Inches(0.55), [" · ".join(marks(m))], 16,
                       color=style.MARK, bold=True)
        box.line.color.rgb = _rgb(style.MARK)
        box.line.width = Pt(1.5)
    _qr(slide, s.link, Inches(9.9), Inches(1.6), Inches(2.8))
    _textbox(slide, Inches(9.6), Inches(4.5), Inches(3.4), Inches(1.2), [t("report.pdf.live", lang), s.link], 11,
             color=style.SUBTLE, align=PP_ALIGN.CENTER)


def _body(slide, s: Slide, m: ReportModel) -> None:
    lang = m.lang
    width = W - LEFT - RIGHT
    height = BODY_BOTTOM - BODY_TOP
    if s.kind == "closing":
        _textbox(slide, LEFT, BODY_TOP, Inches(8.2), height, list(s.bullets), 20)
        _qr(slide, s.link, Inches(9.6), BODY_TOP, Inches(3.0))
        _textbox(slide, Inches(9.2), BODY_TOP + Inches(3.1), Inches(3.8), Inches(1.0), [s.link], 11,
                 color=style.SUBTLE, align=PP_ALIGN.CENTER)
    elif s.kind == "figures":
        _figures(slide, s.figures, LEFT, BODY_TOP, width, height, 3, lang)
    elif s.kind == "method":
        _textbox(slide, LEFT, BODY_TOP, width, Inches(2.3), ["• " + b for b in s.bullets], 16)
        _table(slide, s.table, LEFT, BODY_TOP + Inches(2.45), width, lang, 14)
    elif s.kind == "institution":
        _figures(slide, s.figures, LEFT, BODY_TOP, width, Inches(1.75), 4, lang, scale=0.8)
        _table(slide, s.table, LEFT, BODY_TOP + Inches(1.95), width, lang, 13)
    elif s.kind == "table":
        _table(slide, s.table, LEFT, BODY_TOP, width, lang, 14)
    elif s.chart is not None:
        if s.figures:
            _chart(slide, s.chart, LEFT, BODY_TOP, Inches(8.6), height, lang)
            side = s.figures[:5]
            _figures(slide, side, Inches(9.35), BODY_TOP, Inches(3.48), height, 1, lang,
                     scale=0.75 if len(side) <= 4 else 0.62)
        elif s.table is not None:
            _chart(slide, s.chart, LEFT, BODY_TOP, width, Inches(2.75), lang)
            _table(slide, s.table, LEFT, BODY_TOP + Inches(2.85), width, lang, 12)
        else:
            _chart(slide, s.chart, LEFT, BODY_TOP, width, height, lang)


def render_deck(m: ReportModel, slides: list[Slide], progress=None) -> bytes:
    """The deck as .pptx bytes: one PowerPoint slide per presentation slide (tables paged)."""
    prs = Presentation(str(TEMPLATE))
    _lang["tag"] = _LANG.get(m.lang, "az-Latn-AZ")
    layouts = {layout.name: layout for layout in prs.slide_layouts}
    pages = paginate(slides)
    prs.core_properties.title = t("report.title", m.lang, round=m.round)
    prs.core_properties.author = t("report.author", m.lang)
    prs.core_properties.subject = footer(m)
    prs.core_properties.language = m.lang
    for n, s in enumerate(pages, start=1):
        if s.kind == "cover":
            slide = prs.slides.add_slide(layouts["Title Slide"])
            _cover(slide, s, m)
        else:
            slide = prs.slides.add_slide(layouts["Title Only"])
            _title(slide, s, m.lang)
            _body(slide, s, m)
        _footer(slide, m, n, len(pages))
        slide.notes_slide.notes_text_frame.text = "\n".join(s.notes)
        if progress is not None:
            progress(n / len(pages))
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()

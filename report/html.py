"""Slides as HTML for the presentation mode: one screen, sized to the viewport, legible from the back.

Every length is a multiple of ``--u`` = min(1vh, 0.5625vw): the slide keeps
16:9 proportions in any window and never scrolls. At 1920×1080 one unit is
10.8 px, so the smallest text (2.3u) is 24.8 px; charts are PNG drawings made
for exactly that screen (``report.charts`` preset ``slide``: labels 20–22
drawing px shown at one screen px per drawing px, or more). Every text is
escaped: names from data can never become markup.
"""

from __future__ import annotations

import base64
from html import escape

from l10n import t

from . import style
from .slides import ICONS, LIGHTS, Figure, Slide, Table, page_label, shorten

CHART_SCALE = 1.5  # drawing pixels per design pixel of the PNGs: crisp on a 4K projector too
LONG_TITLE = 48  # characters: about what one line of a title holds at the full size


def chart_preset(s: Slide) -> str:
    """The chart size a slide layout leaves room for: the whole width, or beside the figures."""
    return "slide_side" if s.figures else "slide"

CSS = f"""
<style>
.egov-slide {{
  --u: min(1vh, 0.5625vw);
  box-sizing: border-box; width: 100%; height: 100vh; overflow: hidden; position: relative;
  background: #FFFFFF; color: {style.TEXT};
  font-family: "{style.FAMILY}", "Noto Sans", "DejaVu Sans", Arial, sans-serif;
  font-size: calc(var(--u) * 2.8); line-height: 1.25;
  padding: calc(var(--u) * 3) calc(var(--u) * 5) 0 calc(var(--u) * 5);
  display: flex; flex-direction: column;
}}
.egov-slide * {{ box-sizing: border-box; }}
.egov-slide h1 {{ font-size: calc(var(--u) * 5.2); line-height: 1.1; margin: 0; color: {style.PRIMARY};
  font-weight: 700; padding: 0; white-space: nowrap; overflow: hidden; display: flex; align-items: flex-end; }}
.egov-slide h1 .name {{ min-width: 0; overflow: hidden; text-overflow: ellipsis; }}
.egov-slide h1 .page {{ flex: 0 0 auto; white-space: pre; }}
.egov-slide h1.long {{ font-size: calc(var(--u) * 4); }}
.egov-slide h1.long .name {{ white-space: normal; display: -webkit-box; -webkit-line-clamp: 2;
  -webkit-box-orient: vertical; }}
.egov-slide .sub {{ font-size: calc(var(--u) * 2.6); color: {style.SUBTLE}; margin: calc(var(--u) * 0.8) 0 0 0;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.egov-slide .body {{ flex: 1 1 auto; min-height: 0; margin-top: calc(var(--u) * 2.5); display: flex;
  gap: calc(var(--u) * 3); overflow: hidden; }}
.egov-slide footer {{ flex: 0 0 calc(var(--u) * 9); display: flex; align-items: center; gap: calc(var(--u) * 1.5);
  border-top: 1px solid {style.GRID}; font-size: calc(var(--u) * 2.3); line-height: 1.2; color: {style.SUBTLE};
  padding-right: max(calc(var(--u) * 56), 500px); overflow: hidden; }}
.egov-slide footer .foot {{ overflow: hidden; display: -webkit-box; -webkit-line-clamp: 2;
  -webkit-box-orient: vertical; }}
.egov-slide .mark {{ flex: 0 0 auto; font-weight: 700; color: {style.MARK}; border: 2px solid {style.MARK};
  border-radius: 6px; padding: 0 calc(var(--u) * 0.8); white-space: nowrap; }}
.egov-slide .cards {{ display: grid; gap: calc(var(--u) * 2); width: 100%; align-content: start; }}
.egov-slide .card {{ background: #F3F6FA; border: 1px solid {style.GRID}; border-radius: 10px;
  padding: calc(var(--u) * 1.6) calc(var(--u) * 2); overflow: hidden; }}
.egov-slide .card .label {{ font-size: calc(var(--u) * 2.4); color: {style.SUBTLE}; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; }}
.egov-slide .card .value {{ font-size: calc(var(--u) * 6.5); font-weight: 700; line-height: 1.15; }}
.egov-slide .card .prev {{ font-size: calc(var(--u) * 2.3); color: {style.SUBTLE}; }}
.egov-slide .card .delta {{ font-size: calc(var(--u) * 3); font-weight: 700; }}
.egov-slide .cards.small .value {{ font-size: calc(var(--u) * 4.2); }}
.egov-slide .chart {{ flex: 1 1 auto; min-width: 0; display: flex; align-items: flex-start; justify-content: center; }}
.egov-slide .chart img {{ max-width: 100%; max-height: 100%; height: auto; object-fit: contain; }}
.egov-slide .side {{ flex: 0 0 32%; }}
.egov-slide table {{ border-collapse: collapse; width: 100%; table-layout: fixed; font-size: calc(var(--u) * 2.5); }}
.egov-slide th {{ background: #E8EEF5; text-align: left; padding: calc(var(--u) * 1) calc(var(--u) * 1.2);
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.egov-slide td {{ padding: calc(var(--u) * 1) calc(var(--u) * 1.2); border-bottom: 1px solid {style.GRID};
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; height: calc(var(--u) * 6.6); }}
.egov-slide td.strong {{ font-weight: 700; }}
.egov-slide .word {{ font-size: calc(var(--u) * 2.3); }}
.egov-slide .caption {{ font-size: calc(var(--u) * 2.3); color: {style.SUBTLE}; margin-top: calc(var(--u) * 1); }}
.egov-slide ul {{ margin: 0; padding-left: calc(var(--u) * 3); }}
.egov-slide li, .egov-slide p, .egov-slide div {{ font-size: inherit; }}
.egov-slide li {{ margin-bottom: calc(var(--u) * 1.2); font-size: calc(var(--u) * 3); }}
.egov-slide.cover h1 {{ white-space: normal; font-size: calc(var(--u) * 7); }}
.egov-slide.cover .sub {{ font-size: calc(var(--u) * 3.4); white-space: normal; }}
.egov-slide.cover .body {{ margin-top: calc(var(--u) * 3); align-items: center; }}
.egov-slide .stamp {{ font-size: calc(var(--u) * 3.2); margin-bottom: calc(var(--u) * 1.5); }}
.egov-slide .stamp b {{ color: {style.PRIMARY}; }}
.egov-slide .markbox {{ border: 3px solid {style.MARK}; color: {style.MARK}; font-weight: 700; border-radius: 8px;
  padding: calc(var(--u) * 1) calc(var(--u) * 1.6); font-size: calc(var(--u) * 3); margin-top: calc(var(--u) * 2); }}
.egov-slide .qr {{ flex: 0 0 calc(var(--u) * 44); text-align: center; font-size: calc(var(--u) * 2.3);
  color: {style.SUBTLE}; overflow-wrap: anywhere; }}
.egov-slide .qr img {{ width: calc(var(--u) * 34); height: calc(var(--u) * 34); }}
.egov-slide .qr .cap {{ font-size: calc(var(--u) * 2.6); color: {style.TEXT}; font-weight: 700; }}
.egov-slide .cards.side .card {{ padding: calc(var(--u) * 1) calc(var(--u) * 1.6); }}
.egov-slide .cards.side {{ gap: calc(var(--u) * 1.4); }}
.egov-slide .cards.side .value {{ font-size: calc(var(--u) * 4.2); display: inline; margin-right: calc(var(--u) * 1.5); }}
.egov-slide .cards.side .delta {{ display: inline; }}
.egov-slide .cards.fill {{ height: 100%; grid-auto-rows: 1fr; }}
.egov-slide .cards.fill .card {{ display: flex; flex-direction: column; justify-content: center; }}
.egov-slide .cards.fill .label {{ font-size: calc(var(--u) * 3); }}
.egov-slide .cards.fill .value {{ font-size: calc(var(--u) * 9); }}
.egov-slide .cards.fill .prev {{ font-size: calc(var(--u) * 2.8); }}
.egov-slide .cards.fill .delta {{ font-size: calc(var(--u) * 3.6); }}
.egov-slide .col {{ display: flex; flex-direction: column; gap: calc(var(--u) * 2); min-width: 0; flex: 1 1 auto; }}
</style>
"""


def _light_html(light: str | None, text: str, lang: str) -> str:
    key = light if light in LIGHTS else "none"
    s = style.LIGHT_STYLE[key]
    word = escape(t(f"light.{key}", lang))
    body = f"{ICONS[key]} <b>{escape(text)}</b> <span class='word'>{word}</span>" if text else f"{ICONS[key]} {word}"
    return f"<span style='color:{s['ink']}' aria-label='{word}'>{body}</span>"


def _cell_style(light: str | None) -> str:
    return f" style='background:{style.LIGHT_STYLE[light]['bg']}'" if light in LIGHTS else ""


def table_html(tbl: Table, lang: str) -> str:
    total = sum(c.width for c in tbl.columns)
    cols = "".join(f"<col style='width:{100 * c.width / total:.1f}%'>" for c in tbl.columns)
    head = "".join(f"<th style='text-align:{c.align}'>{escape(c.title)}</th>" for c in tbl.columns)
    rows = []
    for row in tbl.rows:
        cells = []
        for c, col in zip(row, tbl.columns):
            text = shorten(c.text, col.max_chars)
            inner = _light_html(c.light, text, lang) if c.light in LIGHTS else escape(text)
            cls = " class='strong'" if c.strong else ""
            cells.append(f"<td{cls}{_cell_style(c.light)} style='text-align:{col.align}' title='{escape(c.text)}'>"
                         f"{inner}</td>" if not c.light else
                         f"<td{cls}{_cell_style(c.light)} title='{escape(c.text)}'>{inner}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    caption = f"<div class='caption'>{escape(tbl.caption)}</div>" if tbl.caption else ""
    return f"<div style='width:100%'><table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>" \
           f"<tbody>{''.join(rows)}</tbody></table>{caption}</div>"


def _card(f: Figure, lang: str, variant: str = "") -> str:
    fill = f" style='background:{style.LIGHT_STYLE[f.light]['bg']};border-color:{style.LIGHT_STYLE[f.light]['color']}'" \
        if f.light in LIGHTS else ""
    arrow = {"up": "▲ ", "down": "▼ ", "same": "= "}.get(f.direction or "", "")
    delta = f"<div class='delta'>{arrow}{escape(f.delta)}</div>" if f.delta else ""
    prev = f"<div class='prev'>{escape(f.previous)}</div>" if f.previous else ""
    light = f"<div>{_light_html(f.light, '', lang)}</div>" if f.light in LIGHTS else ""
    parts = [f"<div class='label'>{escape(f.label)}</div>", f"<div class='value'>{escape(f.value)}</div>"]
    # Beside a chart the change stands next to the value, so four cards fit the height.
    parts += [delta, light, prev] if variant == "side" else [light, prev, delta]
    return f"<div class='card'{fill}>{''.join(parts)}</div>"


def cards_html(figures: tuple[Figure, ...], columns: int, lang: str, variant: str = "") -> str:
    cls = f"cards {variant}".strip()
    return f"<div class='{cls}' style='grid-template-columns:repeat({columns}, minmax(0, 1fr))'>" + \
        "".join(_card(f, lang, variant) for f in figures) + "</div>"


def _img(data: bytes, mime: str, alt: str, attrs: str = "") -> str:
    return f"<img src='data:{mime};base64,{base64.b64encode(data).decode()}' alt='{escape(alt)}' {attrs}>"


def _heading(s: Slide, title: str, lang: str) -> str:
    """The slide's title. A long one (an institution's full name) takes two lines in a smaller size, and the
    page of a paged slide, ``(1/2)``, stays in view when the name has to be cut."""
    name, page = title, ""
    if s.pages > 1:
        name, page = s.title, " " + page_label(s, lang)
    long = s.kind not in ("cover", "closing") and len(name) + len(page) > LONG_TITLE
    cls = " class='long'" if long else ""
    page_html = f"<span class='page'>{escape(page)}</span>" if page else ""
    return f"<h1{cls}><span class='name'>{escape(name)}</span>{page_html}</h1>"


def png_width(png: bytes) -> int:
    """The pixel width written in a PNG's header."""
    return int.from_bytes(png[16:20], "big")


def slide_html(s: Slide, lang: str, *, footer: str, counter: str, marks: tuple[str, ...], badges: tuple[str, ...],
               title: str,
               chart_png: bytes | None = None, chart_scale: float = 1.0, qr_svg: str | None = None) -> str:
    """One slide as an HTML fragment (the page adds :data:`CSS` once)."""
    body = ""
    if s.kind in ("cover", "closing"):
        lines = "".join(f"<div class='stamp'>{escape(b)}</div>" for b in s.bullets)
        box = f"<div class='markbox'>{escape(' · '.join(marks))}</div>" if marks else ""
        qr = ""
        if qr_svg and s.link:
            qr = (f"<div class='qr'><div class='cap'>{escape(t('report.pdf.live', lang))}</div>"
                  f"{_img(qr_svg.encode(), 'image/svg+xml', t('report.pdf.qr_alt', lang))}"
                  f"<div>{escape(s.link)}</div></div>")
        body = f"<div class='col'>{lines}{box}</div>{qr}"
    elif s.kind == "figures":
        body = cards_html(s.figures, 3, lang, "fill")
    elif s.kind == "method":
        bullets = "".join(f"<li>{escape(b)}</li>" for b in s.bullets)
        body = f"<div class='col'><ul>{bullets}</ul>{table_html(s.table, lang) if s.table else ''}</div>"
    elif s.kind == "institution":
        body = f"<div class='col'>{cards_html(s.figures, 4, lang, 'small')}{table_html(s.table, lang)}</div>"
    elif s.kind == "table":
        body = table_html(s.table, lang)
    elif s.chart is not None:
        img = ""
        if chart_png:
            # Shown at one screen pixel per drawing pixel at 1920×1080, scaled with the viewport elsewhere.
            width = png_width(chart_png) / chart_scale
            attrs = (f"data-chart='{escape(s.chart.id)}' data-width='{width:.0f}' "
                     f"style='width:calc(var(--u) * {width / 10.8:.2f})'")
            img = _img(chart_png, "image/png", s.chart.alt, attrs)
        if s.figures:
            side = cards_html(s.figures[:5], 1, lang, "side")
            body = f"<div class='chart'>{img}</div><div class='side'>{side}</div>"
        elif s.table is not None:
            body = f"<div class='col'><div class='chart' style='flex:0 1 auto'>{img}</div>{table_html(s.table, lang)}</div>"
        else:
            body = f"<div class='chart'>{img}</div>"
    mark = "".join(f"<span class='mark'>{escape(b)}</span>" for b in badges)
    cls = "cover" if s.kind in ("cover", "closing") else ""
    sub = f"<p class='sub'>{escape(s.subtitle)}</p>" if s.subtitle else ""
    return (f"<section class='egov-slide {cls}' data-slide='{escape(s.key)}' data-counter='{escape(counter)}' "
            f"aria-label='{escape(title)}'><header>{_heading(s, title, lang)}{sub}</header>"
            f"<div class='body'>{body}</div><footer>{mark}<span class='foot'>{escape(footer)}</span></footer>"
            f"</section>")

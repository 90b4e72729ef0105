"""Charts of the slides as Vega-Lite, drawn offline by vl-convert with the shipped fonts only.

One :class:`~report.slides.Chart` (categories × series) becomes a Vega-Lite
spec here and a native chart in the deck (``report.deck``), so the numbers are
the same everywhere. ``preset="slide"`` draws for a 1920×1080 projector (labels
≥ 20 px), ``"page"`` for an A4 page. Numbers shown on the chart are formatted
by CLDR before they reach Vega, and axis numbers use a d3 locale built from
Babel's symbols, so Azerbaijani charts read ``0,75``.

Also the chart pack: every chart of a report as PNG and SVG in one zip.
"""

from __future__ import annotations

import io
import json
import math
import threading
import zipfile
from functools import lru_cache

import vl_convert as vlc
from babel import Locale, numbers

from l10n import fmt_num, fmt_pct

from . import style
from .slides import Chart, Slide

VL_VERSION = "6.4"
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
RINGS = (0.25, 0.5, 0.75, 1.0)
_fonts_lock = threading.Lock()
_fonts_ready = False


def _ensure_fonts() -> None:
    """Give vl-convert the shipped font folder once per process (it keeps a global font list)."""
    global _fonts_ready
    with _fonts_lock:
        if not _fonts_ready:
            vlc.register_font_directory(str(style.FONT_DIR))
            _fonts_ready = True


@lru_cache(maxsize=4)
def d3_locale(lang: str) -> dict:
    """A d3-format locale from CLDR's symbols (decimal and group separators) for Vega's axes."""
    loc = Locale.parse(lang if lang in ("az", "en") else "az")
    return {"decimal": numbers.get_decimal_symbol(loc), "thousands": numbers.get_group_symbol(loc),
            "grouping": [3], "currency": ["", ""], "percent": "%", "minus": numbers.get_minus_sign_symbol(loc)}


def _text(value, chart: Chart, lang: str) -> str:
    if value is None:
        return ""
    return fmt_pct(value, lang, chart.digits) if chart.percent else fmt_num(value, lang, chart.digits)


def _base(chart: Chart, preset: str, title: bool) -> dict:
    p = style.PRESETS[preset]
    spec = {
        "$schema": SCHEMA,
        "background": "white",
        "padding": {"left": 8, "right": 16, "top": 8, "bottom": 8},
        "config": {
            "font": style.FAMILY,
            "view": {"stroke": None},
            "axis": {"labelFontSize": p["label"], "titleFontSize": p["label"], "labelColor": style.TEXT,
                     "titleColor": style.TEXT, "gridColor": style.GRID, "labelLimit": 420, "titleFontWeight": "normal",
                     "domainColor": style.SUBTLE, "tickColor": style.SUBTLE},
            "legend": {"orient": "bottom", "labelFontSize": p["label"], "titleFontSize": p["label"],
                       "labelColor": style.TEXT, "labelLimit": 520, "symbolSize": p["label"] * 12, "columnPadding": 24,
                       "title": None},
            "title": {"fontSize": p["title"], "color": style.TEXT, "anchor": "start", "fontWeight": "bold"},
            "text": {"fontSize": p["small"], "color": style.TEXT},
        },
    }
    if title:
        spec["title"] = chart.title
    return spec


def _colors(chart: Chart) -> tuple[list[str], list[str]]:
    names = [s.name for s in chart.series]
    return names, style.series_colors(names, [s.highlight for s in chart.series])


def _rows(chart: Chart, lang: str) -> list[dict]:
    rows = []
    for s in chart.series:
        for cat, v in zip(chart.categories, s.values):
            if v is None or (isinstance(v, float) and math.isnan(v)):
                continue
            rows.append({"category": cat, "series": s.name, "value": float(v), "text": _text(v, chart, lang)})
    return rows


def _value_scale(chart: Chart) -> dict:
    if chart.value_range:
        return {"domain": list(chart.value_range), "nice": False}
    return {"zero": True}


def _axis_format(chart: Chart) -> str:
    return ",.0f" if chart.percent or chart.digits == 0 else f",.{chart.digits}f"


def _grouped(chart: Chart, lang: str, preset: str, horizontal: bool) -> dict:
    p = style.PRESETS[preset]
    names, colors = _colors(chart)
    cat_axis = {"field": "category", "type": "nominal", "sort": list(chart.categories), "title": None,
                "axis": {"labelAngle": 0, "labelFontWeight": "bold"} if not horizontal else {"labelFontWeight": "bold"}}
    offset = {"field": "series", "type": "nominal", "sort": names}
    value = {"field": "value", "type": "quantitative", "title": chart.value_title, "scale": _value_scale(chart),
             "axis": {"format": _axis_format(chart), "tickCount": 5}}
    color = {"field": "series", "type": "nominal", "scale": {"domain": names, "range": colors},
             "legend": {"orient": "bottom"} if len(names) > 1 else None}
    enc = {"color": color}
    if horizontal:
        enc.update(y=cat_axis, yOffset=offset, x=value)
        label = {"mark": {"type": "text", "align": "left", "dx": 6, "fontSize": p["small"]}}
    else:
        enc.update(x=cat_axis, xOffset=offset, y=value)
        label = {"mark": {"type": "text", "baseline": "bottom", "dy": -4, "fontSize": p["small"]}}
    label["encoding"] = {**enc, "text": {"field": "text"}, "color": {"value": style.TEXT}}
    spec = {"data": {"values": _rows(chart, lang)}, "width": p["width"], "height": p["height"],
            "layer": [{"mark": {"type": "bar", "cornerRadiusEnd": 2}, "encoding": enc}, label]}
    if horizontal:
        spec["width"] = round(p["width"] * 0.82)
        spec["height"] = {"step": round(p["label"] * 2.2)}
    return spec


def _line(chart: Chart, lang: str, preset: str) -> dict:
    p = style.PRESETS[preset]
    names, colors = _colors(chart)
    rows = _rows(chart, lang)
    # A new segment starts at each methodology break: values on the two sides are not on one scale.
    seg, segment = 0, {}
    for cat in chart.categories:
        if cat in chart.breaks:
            seg += 1
        segment[cat] = seg
    for r in rows:
        r["segment"] = segment[r["category"]]
        r["highlight"] = any(s.highlight and s.name == r["series"] for s in chart.series)
    x = {"field": "category", "type": "ordinal", "sort": list(chart.categories), "title": None,
         "axis": {"labelAngle": 0}, "scale": {"padding": 0.3}}
    y = {"field": "value", "type": "quantitative", "title": chart.value_title, "scale": _value_scale(chart),
         "axis": {"format": _axis_format(chart), "tickCount": 5}}
    color = {"field": "series", "type": "nominal", "scale": {"domain": names, "range": colors},
             "legend": {"orient": "bottom", "columns": min(len(names), 3)}}
    width = {"field": "highlight", "type": "nominal", "scale": {"domain": [True, False], "range": [5, 2.5]},
             "legend": None}
    layers = [
        {"mark": {"type": "line"}, "encoding": {"x": x, "y": y, "color": color, "strokeWidth": width,
                                                  "detail": {"field": "segment"}}},
        {"mark": {"type": "point", "filled": True, "size": p["label"] * 8, "opacity": 1},
         "encoding": {"x": x, "y": y, "color": color}},
        {"transform": [{"filter": "datum.highlight"}],
         "mark": {"type": "text", "dy": p["label"], "fontSize": p["small"], "fontWeight": "bold"},
         "encoding": {"x": x, "y": y, "text": {"field": "text"}, "color": {"value": style.HIGHLIGHT}}},
    ]
    if chart.breaks:
        layers.append({"data": {"values": [{"category": b} for b in chart.breaks]},
                       "mark": {"type": "rule", "strokeDash": [6, 4], "color": style.SUBTLE, "strokeWidth": 2},
                       "encoding": {"x": {**x, "bandPosition": 0}}})
    return {"data": {"values": rows}, "width": p["width"], "height": p["height"], "layer": layers}


def _polar(r: float, k: int, n: int) -> tuple[float, float]:
    angle = 2 * math.pi * k / n
    return r * math.sin(angle), r * math.cos(angle)


def _radar(chart: Chart, lang: str, preset: str) -> dict:
    """Axes fixed to the score's full range (0–1): rings at quarters, one spoke per component."""
    p = style.PRESETS[preset]
    n = len(chart.categories)
    names, colors = _colors(chart)
    lo, hi = chart.value_range or (0.0, 1.0)
    rings = [{"ring": r, "order": k, "x": _polar(r, k % n, n)[0], "y": _polar(r, k % n, n)[1]}
             for r in RINGS for k in range(n + 1)]
    spokes = []
    for k, cat in enumerate(chart.categories):
        x, y = _polar(1.0, k, n)
        lx, ly = _polar(1.1, k, n)
        spokes.append({"x": 0, "y": 0, "x2": x, "y2": y, "lx": lx, "ly": ly, "label": cat,
                       "align": "left" if lx > 0.05 else "right" if lx < -0.05 else "center",
                       "baseline": "bottom" if ly > 0.5 else "top" if ly < -0.5 else "middle"})
    points = []
    for s in chart.series:
        for k in range(n + 1):
            v = s.values[k % n]
            r = 0.0 if v is None else min(max((float(v) - lo) / (hi - lo), 0.0), 1.0)
            x, y = _polar(r, k % n, n)
            points.append({"series": s.name, "order": k, "x": x, "y": y, "closing": k == n,
                           "highlight": s.highlight, "text": _text(v, chart, lang)})
    # Ring values left of the top spoke (the values of the series stand right of their points),
    # each on a white halo so a crossing line never hides it.
    ring_labels = [{"x": 0.0, "y": r, "text": fmt_num(lo + r * (hi - lo), lang, 2)} for r in RINGS]
    bottom = min(min(_polar(1.0, k, n)[1] for k in range(n)), -0.3) - 0.3
    top, half = 1.3, 1.9
    unit = p["radar"] / 2.6  # drawing pixels per score unit, equal on both axes so rings stay regular
    scale_x = {"domain": [-half, half], "nice": False, "zero": False}
    scale_y = {"domain": [bottom, top], "nice": False, "zero": False}

    def xy(xf="x", yf="y"):
        return {"x": {"field": xf, "type": "quantitative", "scale": scale_x, "axis": None},
                "y": {"field": yf, "type": "quantitative", "scale": scale_y, "axis": None}}

    color = {"field": "series", "type": "nominal", "scale": {"domain": names, "range": colors},
             "legend": {"orient": "bottom"}}
    layers = [
        {"data": {"values": rings}, "mark": {"type": "line", "color": style.GRID, "strokeWidth": 1.5},
         "encoding": {**xy(), "detail": {"field": "ring"}, "order": {"field": "order"}}},
        {"data": {"values": spokes}, "mark": {"type": "rule", "color": style.GRID, "strokeWidth": 1.5},
         "encoding": {**xy(), "x2": {"field": "x2"}, "y2": {"field": "y2"}}},
    ]
    for align in ("left", "right", "center"):
        for baseline in ("top", "middle", "bottom"):
            part = [s for s in spokes if s["align"] == align and s["baseline"] == baseline]
            if part:
                layers.append({"data": {"values": part},
                               "mark": {"type": "text", "align": align, "baseline": baseline, "fontSize": p["label"],
                                        "fontWeight": "bold", "color": style.TEXT, "limit": p["radar"] * 0.9},
                               "encoding": {**xy("lx", "ly"), "text": {"field": "label"}}})
    layers += [
        {"data": {"values": points}, "mark": {"type": "line", "strokeWidth": 4},
         "encoding": {**xy(), "color": color, "order": {"field": "order"}, "detail": {"field": "series"},
                      "strokeDash": {"field": "highlight", "type": "nominal",
                                     "scale": {"domain": [True, False], "range": [[1, 0], [10, 6]]}, "legend": None}}},
        {"data": {"values": [q for q in points if not q["closing"]]},
         "mark": {"type": "point", "filled": True, "size": p["label"] * 9, "opacity": 1},
         "encoding": {**xy(), "color": color}},
        {"data": {"values": [q for q in points if not q["closing"] and q["highlight"]]},
         "mark": {"type": "text", "dx": p["label"] * 0.6, "dy": -p["label"] * 0.6, "fontSize": p["small"],
                  "fontWeight": "bold", "color": style.HIGHLIGHT, "align": "left"},
         "encoding": {**xy(), "text": {"field": "text"}}},
    ]
    for halo in (True, False):
        mark = {"type": "text", "align": "right", "baseline": "middle", "dx": -8, "fontSize": p["small"],
                "color": "white" if halo else style.SUBTLE}
        if halo:
            mark.update(stroke="white", strokeWidth=5)
        layers.append({"data": {"values": ring_labels}, "mark": mark, "encoding": {**xy(), "text": {"field": "text"}}})
    return {"width": round(unit * 2 * half), "height": round(unit * (top - bottom)), "layer": layers}


def spec(chart: Chart, lang: str, preset: str = "slide", *, title: bool = False) -> dict:
    """The chart as a Vega-Lite spec (dict) for ``preset`` ``slide`` or ``page``."""
    body = {"column": lambda: _grouped(chart, lang, preset, False), "bar": lambda: _grouped(chart, lang, preset, True),
            "line": lambda: _line(chart, lang, preset), "radar": lambda: _radar(chart, lang, preset)}[chart.kind]()
    out = _base(chart, preset, title)
    out.update(body)
    out["description"] = chart.alt
    return out


def svg(chart: Chart, lang: str, preset: str = "slide", *, title: bool = False) -> str:
    _ensure_fonts()
    return vlc.vegalite_to_svg(json.dumps(spec(chart, lang, preset, title=title)), vl_version=VL_VERSION,
                               format_locale=d3_locale(lang))


def png(chart: Chart, lang: str, preset: str = "slide", *, title: bool = False, scale: float = 1.0) -> bytes:
    _ensure_fonts()
    return vlc.vegalite_to_png(json.dumps(spec(chart, lang, preset, title=title)), vl_version=VL_VERSION,
                               scale=scale, format_locale=d3_locale(lang))


def charts_of(slides: list[Slide]) -> list[Chart]:
    """Each chart of the slides once, in slide order."""
    seen, out = set(), []
    for s in slides:
        if s.chart is not None and s.chart.id not in seen:
            seen.add(s.chart.id)
            out.append(s.chart)
    return out


def chart_pack(slides: list[Slide], lang: str, stem: str, readme: str, progress=None) -> bytes:
    """A zip of every chart as PNG (2× for crisp slides) and SVG, titled, with a short README."""
    charts = charts_of(slides)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{stem}/README.txt", readme)
        for i, c in enumerate(charts, start=1):
            name = f"{stem}/{i:02d}-{c.id}"
            z.writestr(f"{name}.svg", svg(c, lang, "slide", title=True))
            z.writestr(f"{name}.png", png(c, lang, "slide", title=True, scale=2.0))
            if progress is not None:
                progress(i / max(len(charts), 1))
    return buf.getvalue()

"""The PDF report and the handout, rendered by Typst from the templates in ``report/templates``.

Data goes in as one JSON document (``sys.inputs.data``), charts as SVG text
inside it (vl-convert, the shipped fonts), the QR code as SVG from segno: no
file is written anywhere. Typst sees only ``report/fonts`` (system and its own
embedded fonts are off) and any warning it raises (an unknown font, for one)
fails the render. The output is tagged PDF/UA-1: every chart carries its alt
text, the document its title and language.
"""

from __future__ import annotations

import io
import json
import threading
from dataclasses import asdict

import segno
import typst

from l10n import t

from . import charts, style
from .model import ReportModel
from .slides import ICONS, LIGHTS, Chart, Slide, footer, marks, paginate, shorten, slide_title, stamp

TEMPLATES = style.FONT_DIR.parent / "templates"
STANDARD = "ua-1"
_compiler_lock = threading.Lock()
_compilers: dict[str, typst.Compiler] = {}


class RenderWarning(RuntimeError):
    """Typst warned (an unknown font, a missing file…): treated as an error, never shipped silently."""


def _compiler(template: str) -> typst.Compiler:
    """One compiler per template and process: fonts are scanned once (only the shipped folder)."""
    with _compiler_lock:
        c = _compilers.get(template)
        if c is None:
            fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                                font_paths=style.font_paths())
            c = typst.Compiler(input=str(TEMPLATES / template), root=str(TEMPLATES), font_paths=fonts,
                               ignore_system_fonts=True)
            _compilers[template] = c
        return c


def qr_svg(url: str) -> str:
    """The link as a QR code (SVG text, dark modules on white, quiet zone included)."""
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="svg", scale=4, border=2, dark="#1F1F1F", light="#FFFFFF",
                                    xmldecl=False, svgns=True, title=url)
    return buf.getvalue().decode("utf-8")


def _lights(lang: str) -> dict:
    return {k: {**style.LIGHT_STYLE[k], "icon": ICONS[k], "word": t(f"light.{k}", lang)} for k in LIGHTS}


def _table(tbl, shorten_cells: bool) -> dict | None:
    if tbl is None:
        return None
    cols = [asdict(c) for c in tbl.columns]
    rows = [[{"text": shorten(c.text, col.max_chars) if shorten_cells else c.text, "light": c.light,
              "strong": c.strong} for c, col in zip(row, tbl.columns)] for row in tbl.rows]
    return {"columns": cols, "rows": rows, "caption": tbl.caption}


def _chart(c: Chart | None, lang: str, preset: str, cache: dict) -> dict | None:
    if c is None:
        return None
    key = (c.id, preset)
    if key not in cache:
        cache[key] = charts.svg(c, lang, preset)
    return {"svg": cache[key], "alt": c.alt, "title": c.title}


def _points(s: Slide) -> list[str]:
    alt = s.chart.alt if s.chart else None
    return [n for n in s.notes if n != alt and n != s.link]


def _common(m: ReportModel, slides: list[Slide]) -> dict:
    lang = m.lang
    cover = next((s for s in slides if s.kind == "cover"), None)
    title = t("report.title", lang, round=m.round)
    return {
        "lang": lang,
        "title": title,
        "author": t("report.author", lang),
        "keywords": [m.round, m.method.id, m.source],
        "running": title,
        "footer": footer(m),
        "marks": list(marks(m)),
        "lights": _lights(lang),
        "qr": qr_svg(m.dashboard_url),
        "cover": {"title": title, "subtitle": cover.subtitle if cover else "",
                  "bullets": list(cover.bullets) if cover else [t("report.data_as_of", lang, time=stamp(m.data_as_of, lang))],
                  "link": m.dashboard_url},
        "labels": {k: t(f"report.pdf.{k}", lang) for k in
                   ("contents", "key_points", "institutions", "institutions_intro", "live", "qr_alt", "notes")},
    }


def _compile(template: str, data: dict) -> bytes:
    c = _compiler(template)
    with _compiler_lock:  # one compiler object per template: its inputs are set per call
        pdf, warnings = c.compile_with_warnings(format="pdf", sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
                                                pdf_standards=[STANDARD])
    if warnings:
        raise RenderWarning("; ".join(w.message for w in warnings))
    return pdf


def _stages_table(m: ReportModel) -> dict:
    lang = m.lang
    return {"columns": [{"title": t("col.level", lang), "width": 0.6, "align": "center"},
                        {"title": t("col.eu_stage", lang), "width": 2.5, "align": "left"},
                        {"title": t("col.un_stage", lang), "width": 1.8, "align": "left"}],
            "rows": [[{"text": str(lv), "light": None, "strong": True}, {"text": eu, "light": None, "strong": False},
                      {"text": un, "light": None, "strong": False}] for lv, eu, un in m.method.stages],
            "caption": None}


def render_pdf(m: ReportModel, slides: list[Slide], progress=None) -> bytes:
    """The full report: tables whole (continued across pages), charts drawn for the page."""
    cache: dict = {}
    sections = []
    first_institution = True
    body = [s for s in slides if s.kind != "cover"]
    for i, s in enumerate(body, start=1):
        sec = {"kind": s.kind, "title": s.title, "subtitle": s.subtitle, "bullets": list(s.bullets),
               "figures": [asdict(f) for f in s.figures], "chart": _chart(s.chart, m.lang, "page", cache),
               "table": _table(s.extra.get("full_table", s.table), shorten_cells=False), "points": _points(s),
               "link": s.link,
               "first_institution": False}
        if s.kind == "closing":  # a report ends with the way to the live data, not with thanks
            sec.update(title=t("report.pdf.live", m.lang), subtitle=None, bullets=[t("report.closing.live", m.lang)])
        if s.kind == "institution":
            sec["first_institution"], first_institution = first_institution, False
            sec["points"] = []  # the table says it all; the notes repeat it for the speaker
        if s.kind == "method":
            sec["stages"] = _stages_table(m)
            sec["points"] = []
        sections.append(sec)
        if progress is not None:
            progress(i / max(len(body), 1) * 0.8)
    data = _common(m, slides) | {"sections": sections}
    out = _compile("report.typ", data)
    if progress is not None:
        progress(1.0)
    return out


def render_handout(m: ReportModel, slides: list[Slide], progress=None) -> bytes:
    """Every slide as the projector shows it (tables paged), its speaker notes beside it."""
    cache: dict = {}
    pages = paginate(slides)
    items = []
    for i, s in enumerate(pages, start=1):
        items.append({"kind": s.kind, "title": slide_title(s, m.lang), "subtitle": s.subtitle,
                      "bullets": list(s.bullets), "figures": [asdict(f) for f in s.figures],
                      "chart": _chart(s.chart, m.lang, "slide", cache), "table": _table(s.table, shorten_cells=True),
                      "notes": list(s.notes), "link": s.link,
                      "counter": t("report.handout.slide", m.lang, n=i, total=len(pages))})
        if progress is not None:
            progress(i / max(len(pages), 1) * 0.8)
    data = _common(m, slides) | {"slides": items, "title": t("report.handout.title", m.lang, round=m.round)}
    out = _compile("handout.typ", data)
    if progress is not None:
        progress(1.0)
    return out

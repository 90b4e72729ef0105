"""Build ``deck.pptx``, the 16:9 template every deck starts from (run once; the result is committed).

    .venv/bin/python report/templates/make_deck_template.py

Starts from python-pptx's blank template, makes it 16:9 (13.333 × 7.5 in),
widens every placeholder of the master and the layouts to match, and sets the
theme: Arial for headings and body (Office installs it on Windows and macOS and
it covers every Azerbaijani letter) and the dashboard's colours. A designer may
edit the committed file in PowerPoint (colours, fonts, logo on the master) as
long as the layout names "Title Slide" and "Title Only" stay.
"""

from __future__ import annotations

import sys
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Emu, Inches

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from report import style  # noqa: E402

OUT = Path(__file__).resolve().parent / "deck.pptx"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
COLORS = {"dk1": "1F1F1F", "lt1": "FFFFFF", "dk2": "1F5F99", "lt2": "F3F6FA", "accent1": "0072B2",
          "accent2": "E69F00", "accent3": "009E73", "accent4": "CC79A7", "accent5": "56B4E9", "accent6": "D55E00",
          "hlink": "1F5F99", "folHlink": "5B3F8C"}


def _widen(shapes, factor: float) -> None:
    for sh in shapes:
        sh.left = Emu(round(sh.left * factor))
        sh.width = Emu(round(sh.width * factor))


def _theme(prs: Presentation) -> None:
    part = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)
    ns = {"a": A}
    for tag in ("majorFont", "minorFont"):
        latin = root.find(f".//a:fontScheme/a:{tag}/a:latin", ns)
        latin.set("typeface", style.DECK_FONT)
    scheme = root.find(".//a:clrScheme", ns)
    scheme.set("name", "E-xidmetler")
    for name, value in COLORS.items():
        node = scheme.find(f"a:{name}", ns)
        for child in list(node):
            node.remove(child)
        etree.SubElement(node, f"{{{A}}}srgbClr", val=value)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _title_style(prs: Presentation) -> None:
    """Headings left-aligned, 30 pt, bold, in the dashboard's blue; body text dark grey."""
    master = prs.slide_master.element
    lvl1 = master.find(f".//{{{P}}}txStyles/{{{P}}}titleStyle/{{{A}}}lvl1pPr")
    lvl1.set("algn", "l")
    rpr = lvl1.find(f"{{{A}}}defRPr")
    rpr.set("sz", "3000")
    rpr.set("b", "1")
    for child in list(rpr):
        if child.tag == f"{{{A}}}solidFill":
            rpr.remove(child)
    fill = etree.Element(f"{{{A}}}solidFill")
    etree.SubElement(fill, f"{{{A}}}srgbClr", val="1F5F99")
    rpr.insert(0, fill)
    body = master.find(f".//{{{P}}}txStyles/{{{P}}}bodyStyle")
    for lvl in body:
        r = lvl.find(f"{{{A}}}defRPr")
        if r is not None:
            r.set("sz", str(min(int(r.get("sz", "2000")), 2000)))


def build() -> Path:
    prs = Presentation()
    factor = Inches(13.333) / prs.slide_width
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    _widen(prs.slide_master.placeholders, factor)
    for layout in prs.slide_layouts:
        _widen(layout.placeholders, factor)
    _theme(prs)
    _title_style(prs)
    prs.core_properties.title = "E-services monitoring deck template"
    prs.core_properties.author = "E-services monitoring working group"
    prs.save(OUT)
    return OUT


if __name__ == "__main__":
    print(build())

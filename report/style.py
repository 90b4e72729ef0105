"""The look shared by every report output: fonts, colours, light tints, sizes.

Fonts: the PDF, the handout, the chart pack and every chart drawn by
vl-convert use only the OFL fonts shipped in ``report/fonts`` (Noto Sans with
every Azerbaijani letter; Noto Sans Symbols 2 and Noto Sans Math for ✔ ▲ ✖ ≥
→), never the machine's own: Typst is given that folder alone and Vega-Lite
names the exact family, since Typst draws an SVG's text with its own fonts
and knows no ``sans-serif``. A deck cannot carry fonts, so it names
:data:`DECK_FONT`, which Office installs on Windows and macOS and which covers
ə Ə ğ ı İ ö ş ü ç (see ``report/fonts/README.md``).
"""

from __future__ import annotations

from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FAMILY = "Noto Sans"  # exact family name: Vega-Lite's config.font and Typst's text font
FALLBACKS = ("Noto Sans Symbols2", "Noto Sans Math")  # icons and signs Noto Sans lacks
DECK_FONT = "Arial"
DECK_SYMBOL_FONT = "Segoe UI Symbol"  # ✔ ▲ ✖ in the deck; Office falls back elsewhere

TEXT = "#1F1F1F"
SUBTLE = "#555555"
GRID = "#D9D9D9"
PRIMARY = "#1F5F99"
HIGHLIGHT = "#0072B2"
PREVIOUS = "#8C8C8C"  # the earlier round beside this one: grey reads as "before"
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
MARK = "#B3261E"  # the "not published" mark

# Light fills for table cells and cards, with an ink dark enough for text on them (Okabe–Ito hues).
LIGHT_STYLE = {
    "green": {"color": "#009E73", "ink": "#00573F", "bg": "#D5F0E6"},
    "yellow": {"color": "#E69F00", "ink": "#6B4A00", "bg": "#FCEFCF"},
    "red": {"color": "#D55E00", "ink": "#8F3300", "bg": "#F9DFCF"},
    "none": {"color": "#9E9E9E", "ink": "#4A4A4A", "bg": "#EEEEEE"},
}

# Chart sizes and type sizes (px in the drawing). "slide": drawn for a 1920×1080 screen at one
# drawing pixel per screen pixel, so an 18 px label stays 18 px on the projector; "page": A4.
PRESETS = {
    "slide": {"width": 1480, "height": 600, "radar": 600, "label": 22, "small": 20, "title": 30},
    "slide_side": {"width": 1000, "height": 560, "radar": 660, "label": 22, "small": 20, "title": 30},
    "page": {"width": 640, "height": 280, "radar": 300, "label": 11, "small": 10, "title": 14},
}


def series_colors(names: list[str], highlighted: list[bool]) -> list[str]:
    """Colours for chart series: the highlighted one in the highlight blue; a lone other in grey."""
    if len(names) == 2 and any(highlighted):
        return [HIGHLIGHT if h else PREVIOUS for h in highlighted]
    others = [c for c in PALETTE if c != HIGHLIGHT]
    out, k = [], 0
    for h in highlighted:
        if h:
            out.append(HIGHLIGHT)
        else:
            out.append(others[k % len(others)])
            k += 1
    return out


def font_paths() -> list[str]:
    return [str(FONT_DIR)]

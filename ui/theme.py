"""The palette and the traffic-light symbols, shared by charts, tables and badges.

Pure Python (no Streamlit). Colours follow the Okabe–Ito set so that the
board stays readable for colour-blind users, and every light is ALSO given an
icon and a word: colour is never the only carrier of meaning.
"""

from __future__ import annotations

import functools
import html
import math
from typing import Any

from .i18n import t

# --- traffic lights ------------------------------------------------------------

# color: fill in charts; ink: darker shade for text/icons on the light tint
# (the amber fill itself is too pale for text); bg: tint behind a badge.
LIGHTS: dict[str, dict[str, str]] = {
    "green": {
        "color": "#009E73",
        "ink": "#00664A",
        "bg": "#D5F0E6",
        "icon": "✔",
        "symbol": "●",
        "label_key": "light.green",
        "meaning_key": "light.green.meaning",
    },
    "yellow": {
        "color": "#E69F00",
        "ink": "#7A4F00",
        "bg": "#FCEFCF",
        "icon": "▲",
        "symbol": "◐",
        "label_key": "light.yellow",
        "meaning_key": "light.yellow.meaning",
    },
    "red": {
        "color": "#D55E00",
        "ink": "#9C3A00",
        "bg": "#F9DFCF",
        "icon": "✖",
        "symbol": "○",
        "label_key": "light.red",
        "meaning_key": "light.red.meaning",
    },
    "none": {
        "color": "#9E9E9E",
        "ink": "#555555",
        "bg": "#EEEEEE",
        "icon": "–",
        "symbol": "·",
        "label_key": "light.none",
        "meaning_key": "light.none.meaning",
    },
}
LIGHT_ORDER = ("green", "yellow", "red", "none")

# --- levels, sources, series -------------------------------------------------------

# Sequential blues: a darker bar means a more mature service; level 0 is grey
# because it means "not online at all" rather than "a little".
LEVEL_COLORS: dict[int, str] = {
    0: "#BDBDBD",
    1: "#C6DBEF",
    2: "#9ECAE1",
    3: "#6BAED6",
    4: "#2171B5",
    5: "#08306B",
}
# Text drawn on top of a level colour must stay legible.
LEVEL_TEXT_COLORS: dict[int, str] = {0: "#1F1F1F", 1: "#1F1F1F", 2: "#1F1F1F", 3: "#1F1F1F", 4: "#FFFFFF", 5: "#FFFFFF"}

SOURCE_COLORS: dict[str, str] = {
    "self": "#56B4E9",
    "expert": "#CC79A7",
    "validated": "#0072B2",
}

# Categorical series (rounds, countries...): Okabe–Ito without its pale yellow.
SERIES_COLORS: tuple[str, ...] = ("#0072B2", "#CC79A7", "#009E73", "#E69F00", "#56B4E9", "#D55E00", "#000000")

PRIMARY = "#1F5F99"  # calm blue, same as .streamlit/config.toml primaryColor
HIGHLIGHT = "#0072B2"
MUTED = "#BDBDBD"
RULE = "#7F7F7F"  # reference and break lines
GRID = "#DDDDDD"
TEXT = "#1F1F1F"
SUBTLE_TEXT = "#555555"

# DejaVu Sans first: it is installed with the renderer's system fonts and has
# every Azerbaijani letter (ə, ğ, ş...), so PNG/SVG exports match the screen.
FONT = "DejaVu Sans, Noto Sans, Source Sans Pro, Arial, sans-serif"
FONT_SIZE = 12
TITLE_SIZE = 15


def light_key(light: Any) -> str:
    """Normalise a light value: ``green``/``yellow``/``red``; anything else (None, NaN) is ``none``."""
    if isinstance(light, float) and math.isnan(light):
        return "none"
    key = str(light).strip().lower() if light is not None else "none"
    return key if key in LIGHTS else "none"


def light_label(light: Any, lang: str) -> str:
    """The word for a light (``yaşıl`` / ``green``)."""
    return t(LIGHTS[light_key(light)]["label_key"], lang)


def light_meaning(light: Any, lang: str) -> str:
    """What a light means (``Meets requirements``...)."""
    return t(LIGHTS[light_key(light)]["meaning_key"], lang)


def light_text(light: Any, lang: str) -> str:
    """Plain text for a table cell, icon then word: ``✔ yaşıl``."""
    return _light_text(light_key(light), lang)


@functools.lru_cache(maxsize=32)
def _light_text(key: str, lang: str) -> str:
    # A board cell per institution and light: thousands a rerun, four distinct texts.
    return f"{LIGHTS[key]['icon']} {light_label(key, lang)}"


def light_badge_html(light: Any, lang: str, text: str | None = None) -> str:
    """A small inline pill (icon + word) for ``st.markdown(..., unsafe_allow_html=True)``.

    ``text`` replaces the word (e.g. ``"65 %"``); the accessible name always
    keeps the light's word and meaning so screen readers get the verdict.
    """
    key = light_key(light)
    spec = LIGHTS[key]
    word = light_label(key, lang)
    shown = html.escape(text if text is not None else word)
    aria = html.escape(f"{word}: {light_meaning(key, lang)}", quote=True)
    style = (
        f"display:inline-block;padding:0 .55em;border-radius:1em;"
        f"border:1px solid {spec['color']};background:{spec['bg']};color:{spec['ink']};"
        f"font-size:.85em;line-height:1.6;white-space:nowrap"
    )
    return (
        f'<span role="img" aria-label="{aria}" title="{aria}" style="{style}">'
        f'<span aria-hidden="true">{spec["icon"]}</span> {shown}</span>'
    )


def level_color(level: Any) -> str:
    """The colour of a maturity level 0–5 (grey for anything else)."""
    try:
        return LEVEL_COLORS.get(int(level), LIGHTS["none"]["color"])
    except (TypeError, ValueError):
        return LIGHTS["none"]["color"]


def source_color(source: str) -> str:
    """The colour of a data source (self, expert, validated)."""
    return SOURCE_COLORS.get(source, LIGHTS["none"]["color"])

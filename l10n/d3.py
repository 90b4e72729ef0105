"""Vega's number and time locales, built from CLDR (Babel) rather than written by hand.

Vega and Vega-Lite format axis ticks, legends and tooltips with d3-format and
d3-time-format. Both take a *locale object* (decimal mark, grouping, percent
sign, month and day names, date patterns). Vega-Lite reads one from
``config.locale`` (``{"number": …, "time": …}``), in the browser and in
vl-convert alike, so a chart in Azerbaijani shows ``0,75`` and ``noyabr`` on
screen and in its PNG/SVG.

The objects are derived from the same CLDR tables as :mod:`l10n.formats`:
separators, signs and grouping from the locale's number symbols and decimal
pattern, names from its calendar, and the ``%x``/``%X``/``%c`` patterns
translated from CLDR's date patterns (``d MMM y`` → ``%-d %b %Y``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .formats import locale

# CLDR pattern letters (by run length) → d3-time-format directives.
_CLDR_TO_D3 = {
    ("y", 1): "%Y", ("y", 2): "%y", ("y", 3): "%Y", ("y", 4): "%Y",
    ("M", 1): "%-m", ("M", 2): "%m", ("M", 3): "%b", ("M", 4): "%B",
    ("L", 1): "%-m", ("L", 2): "%m", ("L", 3): "%b", ("L", 4): "%B",
    ("d", 1): "%-d", ("d", 2): "%d",
    ("E", 1): "%a", ("E", 2): "%a", ("E", 3): "%a", ("E", 4): "%A",
    ("H", 1): "%-H", ("H", 2): "%H",
    ("h", 1): "%-I", ("h", 2): "%I",
    ("m", 1): "%-M", ("m", 2): "%M",
    ("s", 1): "%-S", ("s", 2): "%S",
    ("a", 1): "%p",
}


def cldr_to_d3(pattern: str) -> str:
    """A CLDR date/time pattern as a d3-time-format specifier (``dd.MM.yy`` → ``%d.%m.%y``).

    Quoted CLDR literals (``'of'``) stay literal; a ``%`` in the text is escaped.
    Letters without a d3 equivalent (era, time zone) are dropped with the
    separator before them, which CLDR's default patterns for ``az``/``en`` never need.
    """
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "'":
            end = pattern.find("'", i + 1)
            end = n if end < 0 else end
            literal = pattern[i + 1:end] or "'"  # '' is an apostrophe
            out.append(literal.replace("%", "%%"))
            i = end + 1
        elif ch.isalpha():
            j = i
            while j < n and pattern[j] == ch:
                j += 1
            run = min(j - i, 4)
            directive = _CLDR_TO_D3.get((ch, run)) or _CLDR_TO_D3.get((ch, 1))
            if directive:
                out.append(directive)
            elif out and not out[-1].startswith("%"):
                out.pop()  # the separator belonged to the dropped field
            i = j
        else:
            out.append("%%" if ch == "%" else ch)
            i += 1
    return "".join(out).strip()


def _grouping(lang: str) -> list[int]:
    primary, secondary = locale(lang).decimal_formats.get(None).grouping
    return [int(primary), int(secondary)]


def _symbols(lang: str) -> dict[str, str]:
    loc = locale(lang)
    return loc.number_symbols.get(loc.default_numbering_system, {})


@lru_cache(maxsize=4)
def _number_locale(lang: str) -> tuple[tuple[str, Any], ...]:
    loc = locale(lang)
    sym = _symbols(lang)
    currency = loc.currency_formats["standard"]
    symbol = loc.currency_symbols.get("AZN", "AZN")
    prefix = currency.prefix[0].replace("¤", symbol)
    suffix = currency.suffix[0].replace("¤", symbol)
    percent = loc.percent_formats.get(None)
    return (
        ("decimal", sym.get("decimal", ".")),
        ("thousands", sym.get("group", ",")),
        ("grouping", _grouping(lang)),
        ("currency", [prefix, suffix]),
        ("percent", percent.suffix[0] or sym.get("percentSign", "%")),
        ("minus", sym.get("minusSign", "-")),
        ("nan", sym.get("nan", "NaN")),
    )


def number_locale(lang: str) -> dict[str, Any]:
    """The d3-format locale of ``lang`` (``{"decimal": ",", "thousands": ".", …}`` for ``az``)."""
    return {k: (list(v) if isinstance(v, list) else v) for k, v in _number_locale(lang)}


@lru_cache(maxsize=4)
def _time_locale(lang: str) -> tuple[tuple[str, Any], ...]:
    loc = locale(lang)
    days, months = loc.days["format"], loc.months["format"]
    # CLDR numbers weekdays Monday=0 … Sunday=6; d3 lists them from Sunday.
    week = [6, 0, 1, 2, 3, 4, 5]
    periods = loc.day_periods["format"]["abbreviated"]
    date = cldr_to_d3(loc.date_formats["medium"].pattern)
    time = cldr_to_d3(loc.time_formats["medium"].pattern)
    joined = str(loc.datetime_formats["medium"]).replace("{1}", "\0").replace("{0}", "\1")
    date_time = joined.replace("\0", "%x").replace("\1", "%X")
    return (
        ("dateTime", date_time),
        ("date", date),
        ("time", time),
        ("periods", [str(periods.get("am", "AM")), str(periods.get("pm", "PM"))]),
        ("days", [str(days["wide"][d]) for d in week]),
        ("shortDays", [str(days["abbreviated"][d]) for d in week]),
        ("months", [str(months["wide"][m]) for m in range(1, 13)]),
        ("shortMonths", [str(months["abbreviated"][m]) for m in range(1, 13)]),
    )


def time_locale(lang: str) -> dict[str, Any]:
    """The d3-time-format locale of ``lang`` (month and day names, ``%x``/``%X``/``%c`` patterns)."""
    return {k: (list(v) if isinstance(v, list) else v) for k, v in _time_locale(lang)}


def vega_locale(lang: str) -> dict[str, dict[str, Any]]:
    """``{"number": …, "time": …}``: what Vega-Lite's ``config.locale`` takes."""
    return {"number": number_locale(lang), "time": time_locale(lang)}

"""Numbers, percents, changes, dates and territory names from CLDR (Babel), in ``az`` or ``en``.

Nothing here is hand-written locale data: separators, percent signs, month
names and country names all come from Babel's CLDR tables, so Azerbaijani
shows ``3,75``, ``1.200.290``, ``65%`` and ``27 noyabr 2026``, and English
``3.75``, ``1,200,290``, ``65%`` and ``November 27, 2026``. Missing values
(None, NaN, blanks) show as a dash.
"""

from __future__ import annotations

import datetime as _dt
import math
from functools import lru_cache
from typing import Any

from babel import Locale
from babel import dates as _dates
from babel import numbers as _numbers
from babel import units as _units

from .catalogue import normalise_lang

NBSP = "\u00a0"
DASH = "—"  # shown for missing numbers


@lru_cache(maxsize=8)
def locale(lang: str) -> Locale:
    return Locale.parse(normalise_lang(lang))


def _as_float(x: Any) -> float | None:
    """A float, or None for None/NaN/blank/unparsable."""
    if x is None:
        return None
    if isinstance(x, bool):
        return float(x)
    if isinstance(x, str):
        x = x.strip().replace(",", ".")
        if not x:
            return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


@lru_cache(maxsize=64)
def decimal_pattern(digits: int, *, grouping: bool = True) -> str:
    """A CLDR number pattern with exactly ``digits`` decimals (``#,##0.00``)."""
    body = "#,##0" if grouping else "0"
    return body + ("." + "0" * digits if digits > 0 else "")


def fmt_num(x: Any, lang: str = "az", digits: int = 1) -> str:
    """A number with ``digits`` decimals in the language's CLDR format; ``—`` when missing."""
    v = _as_float(x)
    if v is None:
        return DASH
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    digits = max(int(digits), 0)
    v = round(v, digits) + 0.0  # + 0.0 turns -0.0 into 0.0
    return _numbers.format_decimal(v, format=decimal_pattern(digits), locale=locale(lang))


def fmt_int(x: Any, lang: str = "az") -> str:
    """A whole number with the language's digit grouping."""
    return fmt_num(x, lang, digits=0)


def fmt_days(n: Any, lang: str = "az") -> str:
    """A count of days with CLDR's unit and plural (``1 day``, ``13 days``, ``13 gün``); ``—`` when missing."""
    v = _as_float(n)
    if v is None:
        return DASH
    return _units.format_unit(int(v), "duration-day", length="long", locale=locale(lang))


def fmt_pct(x: Any, lang: str = "az", digits: int = 0, *, ratio: bool = False) -> str:
    """A percentage in the language's CLDR percent format; ``x`` is 65 for 65 %, or a share with ``ratio=True``."""
    v = _as_float(x)
    if v is None:
        return DASH
    share = v if ratio else v / 100
    digits = max(int(digits), 0)
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    share = round(share, digits + 2) + 0.0
    return _numbers.format_percent(share, format=pattern, locale=locale(lang))


def fmt_delta(x: Any, lang: str = "az", digits: int = 1, *, pct: bool = False) -> str:
    """A signed change, ``+0,4`` / ``-2%``; ``—`` when missing; no sign when it rounds to zero.

    The sign is the ASCII one: ``st.metric`` reads a leading ``-`` to colour a delta red.
    """
    v = _as_float(x)
    if v is None:
        return DASH
    body = fmt_pct(abs(v), lang, digits) if pct else fmt_num(abs(v), lang, digits)
    if round(v, digits) == 0:
        return body
    return ("+" if v > 0 else "-") + body


def _as_datetime(value: Any) -> _dt.datetime | _dt.date | None:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        try:
            return value.to_pydatetime()
        except ValueError:
            return None
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return _dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def fmt_date(value: Any, lang: str = "az", format: str = "medium") -> str:
    """A date in the language's CLDR form (``medium``: ``27 noy 2026`` / ``Nov 27, 2026``); ``—`` when missing."""
    d = _as_datetime(value)
    if d is None:
        return DASH
    if isinstance(d, _dt.datetime):
        d = d.date()
    return _dates.format_date(d, format=format, locale=locale(lang))


def fmt_datetime(value: Any, lang: str = "az", format: str = "medium") -> str:
    """A date and time in the language's CLDR form; ``—`` when missing. Naive values are shown as given."""
    d = _as_datetime(value)
    if d is None:
        return DASH
    if not isinstance(d, _dt.datetime):
        d = _dt.datetime.combine(d, _dt.time())
    date_part = _dates.format_date(d.date(), format=format, locale=locale(lang))
    time_part = _dates.format_time(d.time(), format="short", locale=locale(lang))
    return f"{date_part}, {time_part}"


@lru_cache(maxsize=1)
def _territory_aliases() -> dict[str, str]:
    from babel.core import get_global

    # CLDR's alias table maps every ISO 3166 alpha-3 code (EST) to its alpha-2 code (EE).
    return {k: v[0] for k, v in get_global("territory_aliases").items() if len(v) == 1}


def territory_name(code: str, lang: str = "az") -> str | None:
    """The CLDR name of a country or region code (``EE``, ``EST``, ``GE``, ``150``), or None when CLDR has none.

    Alpha-3 codes (the UN survey's key) are read through CLDR's territory aliases.
    """
    if not code:
        return None
    key = str(code).strip().upper()
    names = locale(lang).territories
    if key not in names:
        key = _territory_aliases().get(key, key)
    return names.get(key)


def fmt_list(items: Any, lang: str = "az") -> str:
    """Items joined the CLDR way: ``Avstriya, İrlandiya və Malta`` / ``Austria, Ireland, and Malta``."""
    from babel.lists import format_list

    items = [str(i) for i in items if i is not None and str(i)]
    return format_list(items, locale=locale(lang)) if items else DASH


ARROWS = ("▲", "▼", "=")


def fmt_change(x: Any, lang: str = "az", digits: int = 1, *, pct: bool = False) -> str:
    """A change as an arrow and its size, ``▲ 0,75`` / ``▼ 2%`` / ``=``; blank when missing.

    The arrow carries the direction, so the size is shown without a sign.
    """
    v = _as_float(x)
    if v is None:
        return ""
    digits = max(int(digits), 0)
    if round(v, digits) == 0:
        return ARROWS[2]
    body = fmt_pct(abs(v), lang, digits) if pct else fmt_num(abs(v), lang, digits)
    return f"{ARROWS[0] if v > 0 else ARROWS[1]}{NBSP}{body}"


def excel_number_format(digits: int = 0, *, percent: bool = False, change: bool = False,
                        grouping: bool = True) -> str:
    """A spreadsheet number format: the value stays a number, the reader's Excel shows its own separators.

    ``percent`` expects a share (0.65 shows as 65%); ``change`` prefixes ▲/▼ like the screen does.
    """
    body = ("#,##0" if grouping else "0") + ("." + "0" * digits if digits > 0 else "")
    if percent:
        body += "%"
    if not change:
        return body
    return f'"{ARROWS[0]} "{body};"{ARROWS[1]} "{body};"{ARROWS[2]}"'

"""Whether a sheet part fits the reader's limits, answered cheaply for sheets written the usual way.

:func:`ingest.safety.sheet_extent` measures a sheet exactly: it finds every
cell that holds a value, with patterns general enough for any way XML allows
a cell to be written. On a 10 000-row sheet that is three quarters of a
second, and a 50 000-row sheet takes five times as long; yet the reader only
needs to know whether the sheet stays within its limits.

Excel, LibreOffice, openpyxl and Google Sheets write every cell as
``<c r="B7" …>`` and every row as ``<row r="7" …>``. When a sheet part is
written that way throughout (checked by searching for a tag written
otherwise, nearly at the speed of a byte search), a grid can only reach as
far as its largest reference, with or without a value; so no reference
beyond the limits means the sheet fits, whatever :func:`sheet_extent` would
count. Every other sheet (prefixed tags,
references written ``$A$1`` or in lower case, rows without numbers, a
reference beyond the limits even on an empty cell) is measured exactly, so
nothing is let through that the exact measure refuses.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .safety import sheet_extent

# A cell tag that does not open with a plain reference (upper-case letters, a row number without a
# leading zero), and a row tag that does not open with its number.
_ODD_CELL = re.compile(rb'<c\b(?! r="[A-Z]{1,3}[1-9][0-9]{0,6}")')
_ODD_ROW = re.compile(rb'<row\b(?! r=")')
_PREFIXED = re.compile(rb"<\w+:(?:c|row)\b")
MAX_PLAIN_COLUMNS = 702  # ZZ: three letters always lie beyond (the patterns below rely on it)


def _numbers_above(n: int) -> bytes:
    """A pattern for the row numbers (no leading zero, at most 7 digits) greater than ``n``."""
    s = str(n)
    alts = [b"[1-9][0-9]{%d,6}" % len(s)] if len(s) < 7 else []
    for i, ch in enumerate(s):
        if ch != "9":
            alts.append(s[:i].encode() + b"[%d-9]" % (int(ch) + 1) + b"[0-9]{%d}" % (len(s) - i - 1))
    return b"(?:" + b"|".join(alts) + b")" if alts else b"(?!)"


def _letters_above(n: int) -> bytes:
    """A pattern for the column letters (one to three) numbered greater than ``n`` (A = 1, Z = 26, AA = 27)."""
    alts = [b"[A-Z]{3}"]  # AAA is column 703
    if n < 26:
        alts.append(b"[%c-Z]" % (65 + n))
    for first in range(1, 27):
        low = max(n + 1 - first * 26, 1)  # the smallest second letter that makes first·26 + second exceed n
        if low <= 26:
            alts.append(bytes([64 + first]) + (b"[A-Z]" if low == 1 else b"[%c-Z]" % (64 + low)))
    return b"(?:" + b"|".join(alts) + b")"


@lru_cache(maxsize=8)
def _beyond(max_rows: int, max_cols: int) -> re.Pattern:
    """A plainly written cell reference beyond ``max_rows`` or ``max_cols``."""
    return re.compile(b'<c r="(?:[A-Z]{1,3}' + _numbers_above(max_rows) + b"|" + _letters_above(max_cols)
                      + b'[1-9][0-9]{0,6})"')


def plain_fit(xml: bytes, max_rows: int, max_cols: int) -> bool:
    """True when the part is written plainly throughout and no cell reference lies beyond the limits.

    False says nothing: the sheet may still fit (it must then be measured).
    """
    if max_cols > MAX_PLAIN_COLUMNS or max_rows < 1 or max_cols < 1:
        return False
    if _ODD_CELL.search(xml) or _ODD_ROW.search(xml):
        return False  # a tag written otherwise: no reference, other spacing, $A$1, lower case
    if (b":c" in xml or b":row" in xml) and _PREFIXED.search(xml):
        return False  # tags with a namespace prefix
    return _beyond(max_rows, max_cols).search(xml) is None


def sheet_fits(xml: bytes, max_rows: int, max_cols: int) -> bool:
    """Whether the grid :func:`ingest.safety.sheet_extent` measures stays within ``max_rows`` × ``max_cols``."""
    if plain_fit(xml, max_rows, max_cols):
        return True
    rows, cols = sheet_extent(xml)
    return rows <= max_rows and cols <= max_cols

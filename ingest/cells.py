"""Cell values and cell references as people see them in Excel.

Small pure helpers shared by the reader, the issue collector and the annotated
copy: A1 references, ranges (``B4:B19``) for messages, how a value is shown
back to a person, and the invisible characters that copy-paste from web pages
and PDFs leaves in names and codes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

MAX_TEXT = 1000  # longer names/comments are cut (a cell may hold 32 767 chars)
MAX_RANGES_SHOWN = 12  # a message lists this many ranges, then says how many cells more

# Zero-width and direction marks, the soft hyphen, the BOM, and control
# characters: invisible in Excel, but they make "7.1" and "7.1\u200b" two codes.
INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e"
                       "\u2060-\u2064\u2066-\u2069\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")
_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


def col_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    out = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def letters_to_index(letters: bytes | str) -> int:
    """A → 0, Z → 25, AA → 26."""
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode():
        n = n * 26 + ord(ch) - 64
    return n - 1


def ref(row: int, col: int) -> str:
    """1-based row and 0-based column → ``B4``."""
    return f"{col_letter(col)}{row}"


def split_ref(text: str) -> tuple[int, int] | None:
    """``B4`` → (4, 1) (1-based row, 0-based column); None for anything else."""
    m = _REF.match(text or "")
    return (int(m.group(2)), letters_to_index(m.group(1))) if m else None


def is_blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and math.isnan(v))


def show(v: object) -> str:
    """A cell value as a person would recognise it in a message."""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M") if (v.hour or v.minute) else v.strftime("%Y-%m-%d")
    if isinstance(v, (date, time, timedelta)):
        return str(v)
    text = "" if v is None else str(v).strip()
    text = INVISIBLE.sub("", text)
    return text if len(text) <= 80 else text[:77] + "…"


def strip_invisible(text: str) -> tuple[str, bool]:
    """``text`` without invisible characters, and whether any were there."""
    if text.isprintable():  # format and control characters are never printable: nothing to remove
        return text, False
    cleaned = INVISIBLE.sub("", text)
    return cleaned, len(cleaned) != len(text)


def text_value(v: object) -> str:
    """Text of a name/code cell: numbers without a spurious .0, spaces collapsed, invisible characters gone."""
    if isinstance(v, str) and v.isprintable() and "  " not in v and v[:1] != " " and v[-1:] != " ":
        return v[:MAX_TEXT]  # the usual case: nothing to clean
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    elif isinstance(v, float):
        v = repr(v)
    return _SPACES.sub(" ", INVISIBLE.sub("", str(v))).strip()[:MAX_TEXT]


def row_ranges(rows: Iterable[int]) -> str:
    """{4, 5, 6, 9} → ``4–6, 9``."""
    out: list[str] = []
    for a, b in _runs(sorted(set(rows))):
        out.append(str(a) if a == b else f"{a}–{b}")
    return ", ".join(out)


def _runs(values: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for v in values:
        if runs and v == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], v)
        else:
            runs.append((v, v))
    return runs


def cell_ranges(refs: Iterable[str], limit: int = MAX_RANGES_SHOWN) -> str:
    """``["B4", "B5", …, "B19", "D4"]`` → ``B4:B19, D4``; blocks of equal row runs merge (``E4:U9``)."""
    by_col: dict[int, list[int]] = {}
    for r in refs:
        rc = split_ref(r)
        if rc is not None:
            by_col.setdefault(rc[1], []).append(rc[0])
    # (first row, last row) -> sorted columns having that run
    blocks: dict[tuple[int, int], list[int]] = {}
    for col, rows in by_col.items():
        for run in _runs(sorted(set(rows))):
            blocks.setdefault(run, []).append(col)
    pieces: list[tuple[int, int, str]] = []
    for (r0, r1), cols in blocks.items():
        for c0, c1 in _runs(sorted(cols)):
            a, b = ref(r0, c0), ref(r1, c1)
            pieces.append((r0, c0, a if a == b else f"{a}:{b}"))
    pieces.sort()
    shown = [p[2] for p in pieces[:limit]]
    if len(pieces) > limit:
        shown.append("…")
    return ", ".join(shown)

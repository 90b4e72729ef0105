"""Reading answer cells: yes/no as people write them, counts and percentages.

Three outcomes for a yes/no cell. The documented spellings (FORMATS.md) are
read silently. Spellings whose meaning is plain but which the contract does
not list (``hə``/``yox``, ``+``/``-``, a trailing full stop, answers
carrying non-breaking or invisible spaces) are read and reported once per spelling. Ticks, crosses
and "partly" are refused with a message saying why: a tick can mean "yes" or
"applies", a cross "no" or "done", and the methodology has no half answers.
"""

from __future__ import annotations

import math
import re

from .cells import strip_invisible
from .registry import normalise

_YES = {"1", "1.0", "yes", "y", "bəli", "beli", "true", "да", "doğru"}
_NO = {"0", "0.0", "no", "n", "xeyr", "false", "нет", "yanliş"}  # normalise() merges ı into i
YESNO_TOKENS = {**{normalise(t): 1 for t in _YES}, **{normalise(t): 0 for t in _NO}}
# Read, and reported once per spelling: plainly meant, but not in the contract.
LENIENT_TOKENS = {normalise("hə"): 1, normalise("yox"): 0, normalise("xeyir"): 0,
                  "+": 1, "-": 0, "\u2212": 0}
_READABLE = {**YESNO_TOKENS, **LENIENT_TOKENS}
# Refused with their own explanation.
MARKS = {"✓", "✔", "☑", "√", "✅", "v", "✗", "✘", "☒", "×", "x", "❌", "☐", "■", "□", "●", "○"}
PARTIAL = {normalise(t) for t in ("qismən", "qismen", "qisman", "qismən bəli", "partly", "partially", "partial",
                                  "part", "частично", "bəzən", "sometimes", "50/50")}

# Typographic dashes, unlike the hyphen-minus and the minus sign, mark an empty or inapplicable cell.
_DASHES = {"\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015"}

OK, LENIENT, HIDDEN, MARK, PART, BAD, BLANK = "ok", "lenient", "hidden", "mark", "partial", "bad", "blank"

_PERCENT_RE = re.compile(r"^([+-]?\d+(?:[.,]\d+)?)\s*%?$")
_COUNT_RE = re.compile(r"^[+-]?\d+(?:[.,]0+)?$")
_cache: dict[str, tuple[int | None, str]] = {}


def _read_text(raw: str) -> tuple[int | None, str]:
    cleaned, hidden = strip_invisible(raw)
    token = normalise(cleaned)
    if not token:
        return None, BLANK
    plain = cleaned.strip(" \t\r\n")
    if plain in _DASHES:
        return None, BAD  # a dash in a table means "nothing" as often as "no"
    if token in YESNO_TOKENS:
        # NBSP, inner runs of spaces or invisible characters: read, but say so.
        odd = hidden or any(ch.isspace() and ch not in " \t\r\n" for ch in plain) or "  " in plain
        return YESNO_TOKENS[token], HIDDEN if odd else OK
    if token in LENIENT_TOKENS:
        return LENIENT_TOKENS[token], LENIENT
    bare = token.rstrip(".")  # "Bəli.", "Hə.": a full stop typed out of habit
    if bare != token and bare in _READABLE:
        return _READABLE[bare], LENIENT
    if token in MARKS:
        return None, MARK
    if token in PARTIAL:
        return None, PART
    return None, BAD


def read_yesno(v: object) -> tuple[int | None, str]:
    """(1/0 or None, how it was read): ``ok``, ``lenient``, ``hidden``, ``mark``, ``partial``, ``bad``, ``blank``."""
    if v is None:
        return None, BLANK
    if isinstance(v, bool):
        return int(v), OK
    if isinstance(v, (int, float)):
        if isinstance(v, float) and math.isnan(v):
            return None, BLANK
        return (int(v), OK) if v in (0, 1) else (None, BAD)
    if isinstance(v, str):
        got = _cache.get(v)
        if got is None:
            got = _read_text(v)
            if len(_cache) < 10_000:  # the distinct spellings of a file are few; a hostile file gets no more
                _cache[v] = got
        return got
    return None, BAD


def parse_yesno(v: object) -> int | None:
    """1/0 for any answer read as yes or no (documented or plainly meant), else None."""
    answer, how = read_yesno(v)
    return answer if how in (OK, LENIENT, HIDDEN) else None


def parse_count(v: object) -> tuple[int | None, str | None]:
    """(whole number, None) or (None, issue code)."""
    if isinstance(v, bool):
        return None, "bad_count"
    if isinstance(v, (int, float)):
        if isinstance(v, float) and (math.isnan(v) or not v.is_integer()):
            return None, "bad_count"
        n = int(v)
    elif isinstance(v, str):
        t = re.sub(r"[\s\u00a0\u202f]", "", strip_invisible(v)[0])  # "1 200" with any kind of space
        if not _COUNT_RE.match(t):
            return None, "bad_count"
        n = int(re.split(r"[.,]", t)[0])
    else:
        return None, "bad_count"
    if n < 0:
        return None, "negative_count"
    return n, None


def parse_percent_text(v: object) -> float | None:
    """51, '51', '51%', '51 %', '51,5 %' → float; anything else None."""
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return None if isinstance(v, float) and math.isnan(v) else float(v)
    if isinstance(v, str):
        m = _PERCENT_RE.match(strip_invisible(v)[0].strip().replace("\u00a0", " "))
        if m:
            return float(m.group(1).replace(",", "."))
    return None

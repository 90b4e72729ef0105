"""What "speaks the reader's language" means, as checks shared by the AppTest walk and the browser test.

Each check takes the texts of one page and returns the problems found (empty: clean):

- :func:`english_on_az`: words of a list that only English pages may show;
- :func:`azerbaijani_on_en`: letters only Azerbaijani has (proper names on English
  pages are written in English in this registry);
- :func:`raw_keys`: catalogue keys (``review.state.nan``) instead of their texts;
- :func:`missing_markers`: ``nan``, ``None``, ``<NA>`` shown as if they were values;
- :func:`decimal_points`: a number written with a decimal point on an Azerbaijani page
  (CLDR ``az`` groups with a dot, ``1.200``, and separates decimals with a comma, ``3,75``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from l10n.catalogue import all_keys

ENGLISH_WORDS = (
    "Choose", "options", "Select", "Upload", "Browse", "Drag", "Download", "Search", "Institution", "Level",
    "Service", "Coverage", "Maturity", "Infrastructure", "Corruption", "Round", "Source", "Ministry", "Committee",
    "Agency", "Yes", "No", "green", "yellow", "red", "over", "under", "Name", "Value", "Count", "Share",
    "Score", "Series", "Group", "Total", "average", "countries", "Estonia", "Georgia", "Austria", "Ireland",
    "Government", "Page not found", "per file", "the", "and", "of", "not", "with", "Sign in", "Press Enter",
    "No results", "View", "more", "Skip", "Print", "Settings", "Running",
)
_ENGLISH = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGLISH_WORDS) + r")\b")
_AZ_LETTERS = re.compile(r"[əƏı]")
_MISSING = re.compile(r"(?<![\w.])(nan|NaN|None|<NA>|NaT)(?![\w.])")
_KEY = re.compile(r"\b[a-z][a-z_]*(?:\.[a-z0-9_]+)+\b")
_PREFIXES = frozenset(k.split(".")[0] for k in all_keys())
_KEYS = frozenset(all_keys())
# A dot followed by one, two or four-plus digits is a decimal point; a group of three is CLDR az grouping.
_POINT = re.compile(r"\d\.(\d{1,2}|\d{4,})(?!\d)")


def _lines(texts: Iterable[str]) -> list[str]:
    return [str(t) for t in texts if t is not None and str(t).strip()]


def english_on_az(texts: Iterable[str]) -> list[str]:
    return [f"English {m.group(0)!r} in {t[:120]!r}" for t in _lines(texts) for m in [_ENGLISH.search(t)] if m]


# Each language is named in itself in the language switch: that is a proper name on every page.
NAMES_OF_LANGUAGES = frozenset({"AZ · Azərbaycanca", "EN · English"})


def azerbaijani_on_en(texts: Iterable[str]) -> list[str]:
    return [f"Azerbaijani letter in {t[:120]!r}" for t in _lines(texts)
            if _AZ_LETTERS.search(t) and t.strip() not in NAMES_OF_LANGUAGES]


def raw_keys(texts: Iterable[str]) -> list[str]:
    out = []
    for t in _lines(texts):
        for m in _KEY.finditer(t):
            token = m.group(0)
            if token in _KEYS or (token.split(".")[0] in _PREFIXES and token.count(".") >= 1
                                  and token.split(".")[0] not in ("demo",)):
                out.append(f"raw key {token!r} in {t[:120]!r}")
    return out


def missing_markers(texts: Iterable[str]) -> list[str]:
    return [f"{m.group(0)!r} shown in {t[:120]!r}" for t in _lines(texts) for m in [_MISSING.search(t)] if m]


def decimal_points(texts: Iterable[str], codes: Iterable[str] = ()) -> list[str]:
    """Numbers with a decimal point; ``codes`` (service codes, question numbers such as ``7.10``) are not numbers."""
    known = sorted({str(c) for c in codes if c}, key=len, reverse=True)
    strip = re.compile(r"(?<![\d.])(" + "|".join(re.escape(c) for c in known) + r")(?![\d.])") if known else None
    out = []
    for t in _lines(texts):
        scrubbed = strip.sub(" ", t) if strip else t
        m = _POINT.search(scrubbed)
        if m:
            out.append(f"decimal point {m.group(0)!r} in {t[:120]!r}")
    return out


def problems(texts: Iterable[str], lang: str, codes: Iterable[str] = ()) -> list[str]:
    """Every check that applies to a page in ``lang``."""
    texts = _lines(texts)
    found = raw_keys(texts) + missing_markers(texts)
    if lang == "az":
        found += english_on_az(texts) + decimal_points(texts, codes)
    else:
        found += azerbaijani_on_en(texts)
    return found

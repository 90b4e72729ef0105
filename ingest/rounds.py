"""Which opened round a workbook's Meta ``round`` means.

Rounds are opened by an administrator; a workbook only names one. People
write the same round as ``2025``, `` 2025 ``, ``2025-ci il``, ``2025 il`` or
``Year 2025``: these match the round whose label folds to the same key, when
exactly one does, and the sender is told. Anything else names no round and
the file is refused (a typo such as ``2099`` must not start a new round).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .registry import normalise

# After normalise(): ı is i, so the ordinal suffixes are -ci, -cu, -cü, -inci, -uncu, -üncü.
_ORDINAL = re.compile(r"(?<=\d)\s*-?\s*(?:inci|uncu|üncü|nci|ncu|ncü|ci|cu|cü)\b")
_WORDS = re.compile(r"\b(?:il|ili|ilin|illik|yil|yili|year|round|dövr|dövrü|dovr|dovru|qiymətləndirmə)\b")
_JUNK = re.compile(r"[^0-9a-zəöüğşç]+")


def round_key(label: object) -> str:
    """The folding key of a round label: ``2025-ci il`` → ``2025``, ``2024 H1`` → ``2024h1``."""
    text = normalise(label)
    text = _ORDINAL.sub("", text)
    text = _WORDS.sub(" ", text)
    return _JUNK.sub("", text)


def match_round(written: object, labels: Iterable[str]) -> tuple[str | None, str]:
    """(label, how): ``exact``, ``lenient`` (one label folds the same way), or (None, ``none``/``ambiguous``)."""
    labels = [str(lab) for lab in labels]
    text = "" if written is None else str(written)
    if text in labels:
        return text, "exact"
    key = round_key(text)
    found = [lab for lab in labels if key and round_key(lab) == key]
    if len(found) == 1:
        return found[0], "lenient"
    return None, "ambiguous" if found else "none"

"""The interface's view of the one catalogue (``l10n``): texts and CLDR number formats.

Texts live in gettext PO files under ``l10n/locale`` (see :mod:`l10n.catalogue`);
numbers, percents and dates come from Babel (:mod:`l10n.formats`). This module
keeps the names the pages import (``t``, ``fmt_num`` …) and adds one rule of
its own: a workbook-checker code (``bad_yesno``) is found under its ``ingest.``
key, so a page never needs to know where a text lives.

No streamlit import here, so pages, the command line and tests all share it.
"""

from __future__ import annotations

from typing import Any

from l10n import catalogue as _cat
from l10n.catalogue import DEFAULT_LANG, LANGS, normalise_lang
from l10n.formats import DASH, NBSP, fmt_date, fmt_datetime, fmt_delta, fmt_int, fmt_num, fmt_pct, territory_name

__all__ = [
    "CATALOGUE", "DASH", "DEFAULT_LANG", "LANGS", "NBSP", "SAME_IN_BOTH", "all_keys", "fmt_date", "fmt_datetime",
    "fmt_delta", "fmt_int", "fmt_num", "fmt_pct", "has", "lookup", "normalise_lang", "t", "territory_name",
]

CATALOGUE = _cat.catalogue()
SAME_IN_BOTH = _cat.same_in_both()


def _key(key: str) -> str:
    if key in CATALOGUE or ("ingest." + key) not in CATALOGUE:
        return key
    return "ingest." + key


def lookup(key: str):
    """The ``{'az', 'en'}`` entry for a key (an ingest code is found under ``ingest.<code>``)."""
    return _cat.lookup(_key(key))


def has(key: str) -> bool:
    return _key(key) in CATALOGUE


def all_keys() -> list[str]:
    return _cat.all_keys()


def t(key: str, lang: str = DEFAULT_LANG, /, *, strict: bool | None = None, **params: Any) -> str:
    """The text for ``key`` in ``lang`` with ``{placeholders}`` filled (see :func:`l10n.catalogue.t`)."""
    return _cat.t(_key(key), lang, strict=strict, **params)

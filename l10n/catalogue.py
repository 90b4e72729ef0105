"""The text catalogue: one gettext PO file per language, keyed by dotted message ids.

Keys (``nav.board``, ``ingest.bad_yesno`` …) are the msgids; each language's
``messages.po`` holds the texts as msgstrs, with ``{name}`` placeholders that
:func:`t` fills. Files are read once per process with Babel's PO reader.

Entries whose two texts are rightly identical (proper names, codes) carry the
PO flag ``same-in-both`` so the completeness check accepts them.

Strictness: a missing key raises ``KeyError`` under pytest, with
``EGOV_I18N_STRICT=1`` or ``strict=True``; otherwise :func:`t` logs it and
shows the key, so a forgotten text never takes a page down in front of users.

Maintenance: ``python -m l10n check`` validates both files (every key in both
languages, same placeholders) and ``python -m l10n sort`` rewrites them sorted
by key, the form in which they are committed.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from string import Formatter
from typing import Any

log = logging.getLogger(__name__)

LANGS = ("az", "en")
DEFAULT_LANG = "az"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
SAME_FLAG = "same-in-both"
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?:[!:][^{}]*)?\}")


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"


def read_catalogue(lang: str):
    """The Babel :class:`~babel.messages.catalog.Catalog` of one language."""
    from babel.messages.pofile import read_po

    with po_path(lang).open("rb") as fh:
        return read_po(fh, locale=lang)


@lru_cache(maxsize=1)
def _entries() -> tuple[dict[str, dict[str, str]], frozenset[str]]:
    texts: dict[str, dict[str, str]] = {}
    same: set[str] = set()
    for lang in LANGS:
        for msg in read_catalogue(lang):
            if not msg.id:
                continue  # the header
            key = str(msg.id)
            texts.setdefault(key, {})[lang] = str(msg.string or "")
            if SAME_FLAG in msg.flags:
                same.add(key)
    return texts, frozenset(same)


def catalogue() -> dict[str, dict[str, str]]:
    """``{key: {"az": text, "en": text}}`` for every key (a shared dict: do not change it)."""
    return _entries()[0]


def same_in_both() -> frozenset[str]:
    """Keys whose az and en texts are meant to be equal."""
    return _entries()[1]


def reload() -> None:
    """Read the PO files again (after a translator's edit, in a running process)."""
    _entries.cache_clear()


def normalise_lang(lang: str | None) -> str:
    """``az`` or ``en``; anything else falls back to the default language."""
    return lang if lang in LANGS else DEFAULT_LANG


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text or ""))


def _strict_default() -> bool:
    # Tests must see missing keys; users must never see a crash for a text.
    return os.environ.get("EGOV_I18N_STRICT") == "1" or "PYTEST_CURRENT_TEST" in os.environ


def lookup(key: str) -> Mapping[str, str] | None:
    """The ``{'az', 'en'}`` entry of a key, or None."""
    return catalogue().get(key)


def has(key: str) -> bool:
    return key in catalogue()


def all_keys() -> list[str]:
    return sorted(catalogue())


class _Lenient(dict):
    """Leaves an unknown placeholder visible instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, params: Mapping[str, Any]) -> str:
    """``template`` with its placeholders filled; a missing one stays visible, never raises."""
    return Formatter().vformat(template, (), _Lenient(params))


def t(key: str, lang: str = DEFAULT_LANG, /, *, strict: bool | None = None, **params: Any) -> str:
    """The text for ``key`` in ``lang`` with ``{placeholders}`` filled from ``params``.

    ``key`` and ``lang`` are positional-only so that a placeholder may itself be
    called ``key`` or ``lang``.
    """
    strict = _strict_default() if strict is None else strict
    entry = catalogue().get(key)
    if entry is None:
        if strict:
            raise KeyError(f"no translation for {key!r}")
        log.warning("missing translation key %r", key)
        return key
    text = entry.get(normalise_lang(lang)) or entry.get("en") or key
    if not params:
        return text
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        if strict:
            raise
        log.warning("bad placeholders for %r: %r", key, sorted(params))
        return fill(text, params)


# -- maintenance -------------------------------------------------------------------

def problems() -> list[str]:
    """What is wrong with the catalogue: keys missing a language, empty texts, differing placeholders."""
    out = []
    same = same_in_both()
    for key, entry in sorted(catalogue().items()):
        for lang in LANGS:
            if not entry.get(lang, "").strip():
                out.append(f"{key}: no {lang} text")
        az, en = entry.get("az", ""), entry.get("en", "")
        if placeholders(az) != placeholders(en):
            out.append(f"{key}: placeholders differ: az {sorted(placeholders(az))} / en {sorted(placeholders(en))}")
        if az and az == en and key not in same:
            out.append(f"{key}: az text equals en (translate it, or flag the entry '{SAME_FLAG}')")
    return out


HEADER_COMMENT = {
    "az": "# E-xidmətlərin monitorinqi: interfeys, hesabatlar və yoxlama mesajları (Azərbaycan dili).\n"
          "# msgid açardır (nav.board …); mətni msgstr-də dəyişin, {yer tutucuları} saxlayın.",
    "en": "# E-services monitoring: interface, reports and checker messages (English).\n"
          "# The msgid is a key (nav.board …); edit the text in msgstr and keep the {placeholders}.",
}
LANGUAGE_TEAM = {"az": "Azerbaijani <az@li.org>", "en": "English <en@li.org>"}


def write_sorted() -> None:
    """Rewrite both PO files sorted by key, with a clean header (the committed form)."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    for lang in LANGS:
        old = read_catalogue(lang)
        cat = Catalog(locale=lang, project="egov-monitoring", version="1", header_comment=HEADER_COMMENT[lang],
                      msgid_bugs_address="", last_translator="E-services monitoring working group",
                      language_team=LANGUAGE_TEAM[lang], fuzzy=False,
                      creation_date=old.creation_date, revision_date=old.creation_date)
        for msg in old:
            if msg.id:
                cat.add(msg.id, msg.string, auto_comments=msg.auto_comments, user_comments=msg.user_comments,
                        flags=msg.flags)
        with po_path(lang).open("wb") as fh:
            write_po(fh, cat, width=0, sort_output=True, no_location=True, omit_header=False)
    reload()

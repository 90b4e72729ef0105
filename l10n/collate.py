"""Alphabetical order of names in the reader's language.

Python orders strings by code point, which puts every name beginning with
Ə, Ş, Ç, Ö or Ü after Z and X before Ş ("Ədliyyə Nazirliyi" last on a board of
49 bodies). Babel carries no collation, so the Azerbaijani alphabet is
spelled here once: a b c ç d e ə f g ğ h x ı i j k q l m n o ö p r s ş t u ü
v y z. Quote marks are ignored ("Azərsu" ASC sorts under A), case is folded
with Azerbaijani rules (I → ı, İ → i), and letters outside the alphabet
(w, é …) follow their plain Latin base. English uses the Latin alphabet.
"""

from __future__ import annotations

import functools
import unicodedata

AZ_ALPHABET = "abcçdeəfgğhxıijkqlmnoöprsştuüvyz"
LATIN_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
_QUOTES = str.maketrans("", "", "«»\"“”„‟‘’‚‛'`´")
_SPACES = " \t\n\u00a0"


def _lower(text: str, lang: str) -> str:
    if lang == "az":
        text = text.replace("İ", "i").replace("I", "ı")
    return text.lower()


def _plain(ch: str) -> str:
    """The Latin base of a letter with a mark (é → e); other characters as they are."""
    base = unicodedata.normalize("NFKD", ch)[:1]
    return base if base.isascii() else ch


def sort_key(text: object, lang: str = "az") -> tuple:
    """A key for ``sorted``: the language's alphabetical order, ignoring quotes and case.

    Spaces come before digits, digits before letters, and the original text breaks
    ties, so the order is total and the same on every machine.
    """
    return _sort_key("" if text is None else str(text), lang)


@functools.lru_cache(maxsize=1 << 16)
def _sort_key(text: str, lang: str) -> tuple:
    # Remembered: the same institutions' names are sorted on every rerun of every page.
    raw = unicodedata.normalize("NFC", text)
    folded = _lower(raw.translate(_QUOTES), lang).strip()
    return tuple(_rank(ch, lang) for ch in folded), raw


@functools.lru_cache(maxsize=4096)
def _rank(ch: str, lang: str) -> int:
    alphabet = AZ_ALPHABET if lang == "az" else LATIN_ALPHABET
    if ch in _SPACES:
        return 0
    if ch.isdigit():
        return 10 + int(unicodedata.digit(ch, 0))
    if ch in alphabet:
        return 100 + alphabet.index(ch)
    if _plain(ch) in alphabet:
        return 100 + alphabet.index(_plain(ch))
    return 50 if not ch.isalpha() else 200 + ord(ch)

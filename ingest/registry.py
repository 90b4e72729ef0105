"""Matching institution names written in workbooks against the registry.

People type institution names by hand, in Azerbaijani or English, with Turkish
or Azerbaijani keyboards, Excel's upper-casing and assorted quote marks. The
registry folds all of that to one key so that "DAXİLİ İŞLƏR NAZİRLİYİ",
"Daxili Isler Nazirliyi" and "daxili  işlər nazirliyi" find the same row.

:meth:`Registry.resolve` goes further, one step at a time, and says which step
found the name: a name typed without Azerbaijani letters ("Sehiyye
Nazirliyi"), the full official form ("Azərbaycan Respublikasının Vergilər
Nazirliyi"), or an alias an administrator registered. A step counts only when
exactly one institution fits. Abbreviations ("DİN") are never guessed: the
answer lists the institutions whose initials they could be.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

# Quote marks removed before matching: «Azərsu» ASC, "Azərsu" ASC and Azərsu ASC
# are the same company.
_QUOTES = str.maketrans("", "", "«»\"“”„‟‘’‚‛'`´")
_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−"})
_SPACES = re.compile(r"\s+")


def az_lower(text: str) -> str:
    """Lower-case with Azerbaijani rules: İ→i and I→ı (Python's lower() gives i̇ and i)."""
    return text.replace("İ", "i").replace("I", "ı").lower()


def normalise(name: object) -> str:
    """Matching key for a name: no quotes, single spaces, Azerbaijani case folding.

    After folding, dotless ı and dotted i are merged: people type either for the
    same letter (Excel's UPPER() and non-Azerbaijani keyboards mix them up).
    """
    if name is None or (isinstance(name, float) and math.isnan(name)):
        return ""
    return _normalise_text(str(name))


@lru_cache(maxsize=65536)
def _normalise_text(text: str) -> str:
    # A workbook repeats the same few spellings (answers, institution names) thousands of times.
    text = unicodedata.normalize("NFC", text)
    text = text.translate(_QUOTES).translate(_DASHES)
    text = az_lower(text).casefold()
    # casefold() of a stray combining dot (from decomposed İ) leaves U+0307 behind.
    text = text.replace("\u0307", "").replace("ı", "i")
    return _SPACES.sub(" ", text).strip()


class _Folding(dict):
    """Code point → the character folded (see :func:`fold`), worked out the first time it is seen."""

    LIMIT = 8192  # distinct characters remembered; names use a few dozen

    def __missing__(self, code: int) -> str:
        text = unicodedata.normalize("NFKD", chr(code))
        out = "".join(c for c in text if not unicodedata.combining(c)).replace("ə", "e")
        if len(self) < self.LIMIT:
            self[code] = out
        return out


_FOLDING = _Folding()


def fold(name: object) -> str:
    """:func:`normalise`, then letters folded to their plain Latin base (ə→e, ş→s, ç→c, ğ→g, ö→o, ü→u).

    The key for a name typed without Azerbaijani letters: ``Sehiyye`` finds
    ``Səhiyyə``. Searches use it; matching a workbook's name may too, with a warning.
    """
    # NFKD decomposes each character on its own and reorders only combining marks, which are all
    # dropped: folding character by character, through a table, gives the same text much faster.
    return normalise(name).translate(_FOLDING)


def normalise_code(code: object) -> str:
    """Service-code key: text as written, spaces removed, case folded; 12.0 → 12."""
    if code is None or (isinstance(code, float) and math.isnan(code)):
        return ""
    if isinstance(code, float):
        code = repr(code)  # shortest faithful form: 7.1 stays "7.1"
    return _code_key(str(code))


@lru_cache(maxsize=65536)
def _code_key(text: str) -> str:
    # Registries and workbooks repeat the same codes (7.1, 7.2 …) for every institution.
    text = _SPACES.sub("", text).casefold()
    if re.fullmatch(r"\d+\.0", text):
        text = text[:-2]
    return text


@dataclass
class Registry:
    """Registered institutions (ids, az/en names) and their service codes."""

    names: dict[int, tuple[str, str | None]] = field(default_factory=dict)  # id -> (az, en)
    keys: dict[str, int] = field(default_factory=dict)  # normalised name -> id
    display: dict[str, str] = field(default_factory=dict)  # normalised name -> name as registered
    services: set[tuple[int, str]] = field(default_factory=set)
    aliases: dict[str, int] = field(default_factory=dict)  # normalised alias -> id (registered by an administrator)
    folded: dict[str, set[int]] = field(default_factory=dict)  # loose_key() of every name -> ids
    vowels: dict[str, set[int]] = field(default_factory=dict)  # vowel_key() of every name -> ids
    codes: dict[int, set[str]] = field(default_factory=dict)  # id -> service codes as registered

    @classmethod
    def from_frames(cls, institutions, services=None, aliases=None) -> Registry:
        """Build from DataFrames: (institution_id, name_az, name_en), (institution_id, code), (institution_id, alias)."""

        def column(frame, name):
            return frame[name].tolist() if name in frame.columns else [None] * len(frame)

        return cls.from_rows(
            zip(column(institutions, "institution_id"), column(institutions, "name_az"),
                column(institutions, "name_en")),
            () if services is None else zip(column(services, "institution_id"), column(services, "code")),
            () if aliases is None else zip(column(aliases, "institution_id"), column(aliases, "alias")))

    @classmethod
    def from_rows(cls, institutions, services=(), aliases=()) -> Registry:
        """Build from rows: (institution_id, name_az, name_en), (institution_id, code), (institution_id, alias).

        Institutions in id order (the first to register a name keeps it);
        aliases in the order they apply (see :func:`store.queries.registry_rows`).
        """
        reg = cls()
        for iid, az, en in institutions:
            az, en = _clean(az), _clean(en)
            reg.add(int(iid), az or en or str(iid), en)
        pairs = reg.services
        codes = reg.codes
        for iid, raw in services:
            if iid is None or (isinstance(iid, float) and math.isnan(iid)):
                continue
            code = normalise_code(raw)  # remembered per distinct code
            if code:
                iid = int(iid)
                pairs.add((iid, code))
                got = codes.get(iid)
                if got is None:
                    codes[iid] = {code}
                else:
                    got.add(code)
        for iid, raw in aliases:
            alias = _clean(raw)
            if alias and int(iid) in reg.names:
                reg.add_alias(int(iid), alias)
        return reg

    def add(self, institution_id: int, name_az: str, name_en: str | None = None) -> None:
        self.names[institution_id] = (name_az, name_en)
        for name in (name_az, name_en):
            key = name_key(name)
            # The first registration of a key wins: ids must not change under
            # a name because another institution was added later.
            if key and key not in self.keys:
                self.keys[key] = institution_id
                self.display[key] = name
            if key:
                loose = loose_key(name)
                self.folded.setdefault(loose, set()).add(institution_id)
                self.vowels.setdefault(vowel_key(loose), set()).add(institution_id)

    def add_alias(self, institution_id: int, alias: str) -> None:
        key = name_key(alias)
        if key and key not in self.keys and key not in self.aliases:
            self.aliases[key] = institution_id

    def resolve(self, name: object) -> Resolved:
        """Which institution ``name`` stands for, and how it was found (see :class:`Resolved`)."""
        key = name_key(name)
        if not key:
            return Resolved(None, "unknown")
        iid = self.keys.get(key)
        if iid is not None:
            registered = {n for n in self.names[iid] if n}
            text = _SPACES.sub(" ", str(name)).strip()
            return Resolved(iid, "exact" if text in registered else "folded")
        if key in self.aliases:
            return Resolved(self.aliases[key], "alias")
        # Without Azerbaijani letters, then without the official form's wrapping, then with ə typed as
        # either a or e ("Adliyye" for "Ədliyyə": both are common on keyboards without ə).
        loose = loose_key(key)
        for how, candidate, index in (("letters", fold(key), self.folded), ("official", loose, self.folded),
                                      ("letters" if loose == fold(key) else "official", vowel_key(loose),
                                       self.vowels)):
            ids = index.get(candidate, set())
            if index is self.folded and how == "letters":
                ids = {i for i in ids if fold(self.names[i][0]) == candidate or fold(self.names[i][1]) == candidate}
            if len(ids) == 1:
                return Resolved(next(iter(ids)), how)
            if len(ids) > 1:
                return Resolved(None, "ambiguous", tuple(sorted(ids)))
        if looks_like_abbreviation(name):
            return Resolved(None, "abbreviation", tuple(self.expansions(name)))
        return Resolved(None, "unknown")

    def expansions(self, abbreviation: object, n: int = 5) -> list[int]:
        """Institutions whose initials ``abbreviation`` could be, best first (never used to match)."""
        letters = fold(re.sub(r"[.\s]", "", str(abbreviation)))
        if not letters:
            return []
        scored: list[tuple[int, int]] = []
        for iid, names in self.names.items():
            best = None
            for text in names:
                if not text:
                    continue
                words = fold(text).split()
                if letters in {w.strip("()") for w in words}:
                    best = 0  # the name itself carries the abbreviation, e.g. "… (ASAN)"
                    break
                for initials, rank in ((_initials(words, True), 1), (_initials(words, False), 2)):
                    if initials == letters:
                        best = min(best if best is not None else 9, rank)
                    elif _is_subsequence(letters, initials) and letters[0] == initials[:1]:
                        best = min(best if best is not None else 9, 3 + len(initials) - len(letters))
            if best is not None:
                scored.append((best, iid))
        return [iid for _, iid in sorted(scored)[:n]]

    def match(self, name: object) -> int | None:
        """The id of the institution called ``name`` (az or en, folded), or None."""
        return self.keys.get(name_key(name))

    def name(self, institution_id: int, lang: str = "az") -> str:
        az, en = self.names[institution_id]
        return (en or az) if lang == "en" else az

    def suggest(self, name: object, n: int = 3) -> list[str]:
        """Up to ``n`` registered names closest to ``name``, as registered."""
        key = normalise(name)
        if not key or not self.keys:
            return []
        found: list[str] = []
        seen: set[int] = set()

        def take(k: str) -> None:
            iid = self.keys[k]
            if iid not in seen and len(found) < n:
                seen.add(iid)
                found.append(self.display[k])

        for k in difflib.get_close_matches(key, list(self.keys), n=n * 2, cutoff=0.5):
            take(k)
        # A fragment such as "Vergilər" is far from the full name by ratio but
        # obviously meant: offer names that contain it (or its words).
        if len(found) < n and len(key) >= 4:
            for k in sorted(self.keys):
                if key in k:
                    take(k)
        if len(found) < n:
            for k in difflib.get_close_matches(key, list(self.keys), n=n * 2, cutoff=0.3):
                take(k)
        return found

    def has_service(self, institution_id: int | None, code: object) -> bool:
        if institution_id is None:
            return False
        return (int(institution_id), normalise_code(code)) in self.services

    def __len__(self) -> int:
        return len(self.names)


class Resolved(NamedTuple):
    """How a written name maps to the registry.

    ``how``: ``exact`` (as registered), ``folded`` (case, quotes, punctuation or spacing
    differ), ``alias`` (an administrator's alias), ``letters`` (typed without
    Azerbaijani letters), ``official`` (the full official form), or no match:
    ``ambiguous`` (``candidates`` fit equally), ``abbreviation`` (``candidates``
    are what it could stand for, best first), ``unknown``.
    """

    institution_id: int | None
    how: str
    candidates: tuple[int, ...] = ()


# The wrapping of official names: "Azərbaycan Respublikasının …", "… of the Republic of Azerbaijan".
_OFFICIAL = [re.compile(p) for p in (
    r"^(?:azerbaycan respublikasinin|azerbaycan respublikasi|ar|az\.? resp\.?|the republic of azerbaijan|"
    r"republic of azerbaijan|azerbaijan republic|the)\s+",
    r"\s+(?:of the republic of azerbaijan|of azerbaijan republic|of azerbaijan|of the azerbaijan republic)$",
    r"^the\s+",
)]
_LEGAL_FORMS = re.compile(r"\s+(?:asc|qsc|mmc|ojsc|cjsc|llc|acig sehmdar cemiyyeti|qapali sehmdar cemiyyeti|"
                          r"mehdud mesuliyyetli cemiyyet|open joint stock company)$")
_PRESIDENT = re.compile(r"\bprezidenti yaninda\b")
_SMALL_WORDS = {"ve", "uzre", "of", "and", "the", "for", "on", "under", "in", "yaninda", "ile"}


def name_key(name: object) -> str:
    """:func:`normalise`, without a stray full stop, comma or semicolon at either end ("Vergilər Nazirliyi.")."""
    return normalise(name).strip(" .,;")


def vowel_key(key: str) -> str:
    """A folded key with a and e merged: ``Ə`` typed as ``A`` or ``E`` on a keyboard that has no ``Ə``."""
    return key.replace("a", "e")


def loose_key(name: object) -> str:
    """The loosest matching key: :func:`fold`, without the official form's wrapping or a legal form."""
    key = fold(name).strip(" .,;")
    key = _PRESIDENT.sub("prezident yaninda", key)
    for _ in range(2):
        for pattern in _OFFICIAL:
            key = pattern.sub("", key)
    key = _LEGAL_FORMS.sub("", key)
    return _SPACES.sub(" ", key).strip()


def looks_like_abbreviation(name: object) -> bool:
    """'DİN', 'ASAN', 'D.İ.N.', 'ƏƏSMN': one short word of capitals."""
    text = _SPACES.sub("", str(name or "")).replace(".", "")
    return 2 <= len(text) <= 8 and text.isalpha() and text.upper() == text and len(text.split()) == 1


def _initials(words: list[str], skip_small: bool) -> str:
    return "".join(w[0] for w in words if w and (not skip_small or w not in _SMALL_WORDS) and w[0].isalnum())


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _clean(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = _SPACES.sub(" ", str(value)).strip()
    return text or None

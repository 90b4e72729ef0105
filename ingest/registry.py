"""Matching institution names written in workbooks against the registry.

People type institution names by hand, in Azerbaijani or English, with Turkish
or Azerbaijani keyboards, Excel's upper-casing and assorted quote marks. The
registry folds all of that to one key so that "DAXİLİ İŞLƏR NAZİRLİYİ",
"Daxili Isler Nazirliyi" and "daxili  işlər nazirliyi" find the same row.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from dataclasses import dataclass, field

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
    text = unicodedata.normalize("NFC", str(name))
    text = text.translate(_QUOTES).translate(_DASHES)
    text = az_lower(text).casefold()
    # casefold() of a stray combining dot (from decomposed İ) leaves U+0307 behind.
    text = text.replace("\u0307", "").replace("ı", "i")
    return _SPACES.sub(" ", text).strip()


def fold(name: object) -> str:
    """:func:`normalise`, then letters folded to their plain Latin base (ə→e, ş→s, ç→c, ğ→g, ö→o, ü→u).

    The key for a name typed without Azerbaijani letters: ``Sehiyye`` finds
    ``Səhiyyə``. Searches use it; matching a workbook's name may too, with a warning.
    """
    text = unicodedata.normalize("NFKD", normalise(name))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("ə", "e")


def normalise_code(code: object) -> str:
    """Service-code key: text as written, spaces removed, case folded; 12.0 → 12."""
    if code is None or (isinstance(code, float) and math.isnan(code)):
        return ""
    if isinstance(code, float):
        code = repr(code)  # shortest faithful form: 7.1 stays "7.1"
    text = _SPACES.sub("", str(code)).casefold()
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

    @classmethod
    def from_frames(cls, institutions, services=None) -> Registry:
        """Build from DataFrames: (institution_id, name_az, name_en) and (institution_id, code)."""
        reg = cls()
        for rec in institutions.to_dict("records"):
            iid = int(rec["institution_id"])
            az = _clean(rec.get("name_az"))
            en = _clean(rec.get("name_en"))
            reg.add(iid, az or en or str(iid), en)
        if services is not None:
            for rec in services.to_dict("records"):
                code = normalise_code(rec.get("code"))
                if code and rec.get("institution_id") is not None:
                    reg.services.add((int(rec["institution_id"]), code))
        return reg

    def add(self, institution_id: int, name_az: str, name_en: str | None = None) -> None:
        self.names[institution_id] = (name_az, name_en)
        for name in (name_az, name_en):
            key = normalise(name)
            # The first registration of a key wins: ids must not change under
            # a name because another institution was added later.
            if key and key not in self.keys:
                self.keys[key] = institution_id
                self.display[key] = name

    def match(self, name: object) -> int | None:
        """The id of the institution called ``name`` (az or en, folded), or None."""
        return self.keys.get(normalise(name))

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


def _clean(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = _SPACES.sub(" ", str(value)).strip()
    return text or None

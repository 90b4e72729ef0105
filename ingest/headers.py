"""The words people head columns, sheets and Meta keys with, mapped to the contract's keys.

The contract's keys are English (``institution``, ``q3``, ``answer``). People
who fill a template keep them; people who lay a workbook out from scratch, or
delete row 1 of a template, head their columns with the template's own second
row (``Qurumun adı``), with the usual Azerbaijani names (``Xidmətin kodu``),
with the indicators' numbers (``1`` … ``17``) or short names. All of these are
read as meant; every alias here names exactly one key, so no guess is made.
"""

from __future__ import annotations

import re

from scoring import Methodology

from .cells import is_blank, text_value
from .messages import HEADER_LABELS
from .registry import normalise

KINDS = ("Services", "Infrastructure", "Coverage")
META = "Meta"
_TRAIL = re.compile(r"[\s:*.]+$")
_QNUM = re.compile(r"^(?:q|s|g|sual|göstərici|gostərici|gosterici|indicator|ind|question)?_?\.?_?(\d{1,2})$")


def header_key(v: object) -> str:
    """'Service Code ' → 'service_code'; 'Q 3' → 'q3'; 'Qurumun adı:' → 'qurumun_adi'."""
    if is_blank(v):
        return ""
    text = _TRAIL.sub("", normalise(text_value(v)))
    key = re.sub(r"[\s\-]+", "_", text).strip("_")
    m = re.fullmatch(r"q_?(\d+)", key)
    return f"q{m.group(1)}" if m else key


def _keys(*words: str) -> set[str]:
    return {header_key(w) for w in words}


# Key columns: the contract's key, the template's row-2 wording in both
# languages, and the names people commonly use.
_COMMON: dict[str, set[str]] = {
    "institution": _keys("institution", "qurum", "qurumun adı", "dövlət qurumu", "dövlət orqanı", "təşkilat",
                         "təşkilatın adı", "xidmət göstərən qurum", "institution name", "organisation",
                         "organization", "provider", "agency"),
    "service_code": _keys("service_code", "xidmətin kodu", "xidmət kodu", "kod", "code", "service code",
                          "xidmətin nömrəsi", "service number", "e-xidmətin kodu"),
    "service_name": _keys("service_name", "xidmətin adı", "xidmət", "xidmətin adı (az)", "service name",
                          "service", "e-xidmətin adı", "e-xidmət"),
    "audience": _keys("audience", "auditoriya", "istifadəçi", "hədəf qrup", "audience (citizen/business)",
                      "auditoriya (vətəndaş/biznes)", "istifadəçilər"),
    "comment": _keys("comment", "şərh", "qeyd", "qeydlər", "izah", "note", "notes", "remarks", "comments"),
    "services_transferable": _keys("services_transferable", "e-xidmətə çevrilə bilən xidmətlər",
                                   "çevrilə bilən xidmətlər", "services transferable to e-services",
                                   "transferable services", "transferable",
                                   # the methodology's own wording, and the verbs people use for it
                                   "elektron xidmətlərə keçirilə bilən xidmətlər", "e-xidmətlərə keçirilə bilən xidmətlər",
                                   "keçirilə bilən xidmətlər", "elektron xidmətə çevrilə bilən xidmətlər",
                                   "elektronlaşdırıla bilən xidmətlər", "elektronlaşdırıla bilən"),
    "e_services_provided": _keys("e_services_provided", "göstərilən e-xidmətlər", "e-xidmətlər",
                                 "e-services provided", "provided e-services", "provided",
                                 "elektron xidmətlər", "göstərilən elektron xidmətlər", "mövcud e-xidmətlər",
                                 "mövcud elektron xidmətlər", "e-xidmətlərin sayı", "elektron xidmətlərin sayı"),
    "id": _keys("id", "nömrə", "sualın nömrəsi", "sual nömrəsi", "no", "№", "question id", "question no"),
    "question": _keys("question", "sual", "sualın mətni", "question text"),
    "answer": _keys("answer", "cavab", "cavablar", "dəyər", "value", "response"),
}
for _key, _labels in HEADER_LABELS.items():
    _COMMON.setdefault(_key, set()).update(header_key(v) for v in _labels.values())

_SHEET_KEYS = {
    "Services": ("institution", "service_code", "service_name", "audience", "comment"),
    "Coverage": ("institution", "services_transferable", "e_services_provided"),
    "Infrastructure": ("id", "question", "answer"),
}
# A running-number column someone added: ignored, and rows holding only its number are skipped.
NUMBERING = _keys("№", "no", "#", "n", "nn", "n/n", "sıra", "sıra №", "sıra sayı", "s/s", "s/n", "sira no")
TOTALS = {normalise(w) for w in ("cəmi", "cemi", "cəm", "yekun", "yekunu", "total", "totals", "grand total",
                                 "sum", "ümumi", "umumi", "hamısı", "итого", "всего", "cəmi say")}
_TOTALS_STRIP = re.compile(r"^[\s:*.\-]+|[\s:*.\-]+$")


def column_aliases(kind: str, m: Methodology | None) -> dict[str, str]:
    """Header key as written → contract key, for the data sheet ``kind``."""
    out: dict[str, str] = {}
    for key in _SHEET_KEYS[kind]:
        for alias in _COMMON[key]:
            out.setdefault(alias, key)
    if kind == "Services" and m is not None:
        for i, ind in enumerate(m.indicators, start=1):
            col = f"q{i}"
            out[col] = col
            out[str(i)] = col
            for text in (ind.short.az, ind.short.en, ind.text.az, ind.text.en):
                out.setdefault(header_key(text), col)
    return out


def map_header(cell: object, aliases: dict[str, str], n_indicators: int = 0) -> str:
    """The contract key a header cell stands for, or '' when it names none."""
    key = header_key(cell)
    if not key:
        return ""
    if key in aliases:
        return aliases[key]
    m = _QNUM.match(key)
    if m and n_indicators and 1 <= int(m.group(1)) <= n_indicators:
        return f"q{int(m.group(1))}"
    return ""


def is_totals(v: object) -> bool:
    """A cell reading Cəmi / Yekun / Total (with or without a colon)."""
    if not isinstance(v, str) or len(v) > 24:  # the totals words are short; names are not
        return False
    return normalise(_TOTALS_STRIP.sub("", v)) in TOTALS


# Sheet names: the contract's, then the names people give them in their language.
SHEET_ALIASES: dict[str, set[str]] = {
    "Services": {normalise(w) for w in ("xidmətlər", "xidmetler", "e-xidmətlər", "e-xidmetler", "özünüqiymətləndirmə",
                                        "özünü qiymətləndirmə", "self-assessment", "self assessment", "service")},
    "Infrastructure": {normalise(w) for w in ("infrastruktur", "infrastructure assessment")},
    "Coverage": {normalise(w) for w in ("əhatə", "ehate", "keçid", "transition")},
    META: {normalise(w) for w in ("metadata", "meta məlumat", "meta-məlumat", "meta data")},
}

META_KEYS: dict[str, str] = {}
for _k, _words in {
    "round": ("round", "dövr", "dovr", "qiymətləndirmə dövrü", "assessment round", "il", "year", "period"),
    "source": ("source", "mənbə", "menbe", "qiymətləndirən"),
    "methodology": ("methodology", "metodika", "metodologiya", "methodology version", "metodika versiyası"),
    "language": ("language", "dil"),
    "scope": ("scope", "əhatə", "əhatə dairəsi", "ehate"),
}.items():
    for _w in _words:
        META_KEYS[header_key(_w)] = _k
META_HEADER_KEYS = _keys("key", "açar", "acar", "meta", "parametr", "parameter")

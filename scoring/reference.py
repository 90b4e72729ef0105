"""Loaders for the published reference data under ``data/reference/`` and the
per-version EU mapping under ``data/eu_mapping/``.

Pure file readers returning pandas objects: no database, no interface. Files
are parsed once per directory (``lru_cache``) and every call hands out a copy,
so a caller that edits its frame cannot corrupt the next caller's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from .errors import MethodologyError
from .methodology import Text

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
REFERENCE_DIR = DATA_DIR / "reference"
EU_MAPPING_DIR = DATA_DIR / "eu_mapping"
AUDIENCES = ("citizen", "business")
SEED_MARKERS = ("X", "blank")

EGDI_COLUMNS = ["year", "iso3", "country", "rank", "egdi", "osi", "hci", "tii", "epart"]
_EGDI_RENAME = {
    "country-code": "iso3",
    "country-name": "country",
    "e-gov-rank": "rank",
    "e-gov-index": "egdi",
    "e-pat-index": "epart",
}
_EGDI_FILE = re.compile(r"egdi-(\d{4})\.csv$")


def _dir(directory: str | Path | None, default: Path) -> str:
    return str(Path(directory) if directory is not None else default)


# ---------------------------------------------------------------- UN EGDI


@lru_cache(maxsize=8)
def _egdi(directory: str) -> pd.DataFrame:
    frames = []
    for path in sorted(Path(directory).glob("egdi-*.csv")):
        match = _EGDI_FILE.search(path.name)
        if not match:
            continue
        df = pd.read_csv(path, dtype={"country-code": str, "country-name": str}).rename(columns=_EGDI_RENAME)
        df.insert(0, "year", int(match.group(1)))
        frames.append(df)
    if not frames:
        raise FileNotFoundError(f"no egdi-YYYY.csv file in {directory}")
    out = pd.concat(frames, ignore_index=True)[EGDI_COLUMNS]
    # 2010 stores ranks as 83.0 and one country has none: a nullable integer
    # keeps 83 == 83 comparisons exact without inventing a rank.
    out["rank"] = pd.to_numeric(out["rank"]).round().astype("Int64")
    out["year"] = out["year"].astype("int64")
    for c in ("egdi", "osi", "hci", "tii", "epart"):
        out[c] = pd.to_numeric(out[c]).astype("float64")
    dup = out.duplicated(["year", "iso3"])
    if dup.any():
        raise ValueError(f"duplicate country rows in EGDI files: {out.loc[dup, ['year', 'iso3']].values.tolist()}")
    return out.sort_values(["year", "iso3"], ignore_index=True)


def load_egdi(directory: str | Path | None = None) -> pd.DataFrame:
    """All UN E-Government Survey editions as one long frame.

    Columns: ``year`` (int), ``iso3``, ``country``, ``rank`` (Int64, nullable),
    ``egdi``, ``osi``, ``hci``, ``tii``, ``epart`` (floats, 0–1), one row per
    country and survey year, sorted by year then iso3.
    """
    return _egdi(_dir(directory, REFERENCE_DIR / "un_egdi")).copy()


# ---------------------------------------------------------------- EU files


@lru_cache(maxsize=8)
def _csv(path: str, dtypes: tuple[tuple[str, str], ...]) -> pd.DataFrame:
    return pd.read_csv(path, dtype=dict(dtypes), keep_default_na=False, na_values=[""])


def load_eu_members(directory: str | Path | None = None) -> pd.DataFrame:
    """EU membership: ``iso3``, ``country``, ``joined`` (Int64), ``left`` (Int64, NA while a member)."""
    path = Path(_dir(directory, REFERENCE_DIR)) / "eu_members.csv"
    df = _csv(str(path), (("iso3", "str"), ("country", "str"))).copy()
    for c in ("joined", "left"):
        df[c] = pd.to_numeric(df[c]).astype("Int64")
    return df


def load_eu_benchmark(directory: str | Path | None = None) -> pd.DataFrame:
    """Published EU benchmark figures: ``measurement_year`` (int), ``scope``,
    ``indicator``, ``value_percent`` (float), ``source``."""
    path = Path(_dir(directory, REFERENCE_DIR)) / "eu_benchmark.csv"
    df = _csv(str(path), (("scope", "str"), ("indicator", "str"), ("source", "str"))).copy()
    df["measurement_year"] = df["measurement_year"].astype("int64")
    df["value_percent"] = df["value_percent"].astype("float64")
    return df


def load_catalogue(directory: str | Path | None = None) -> pd.DataFrame:
    """The seed's Azerbaijan ↔ EU service table (``service_catalogue.csv``).

    Every column is text; ``com_number`` stays a string (``"7.10"`` ≠ ``"7.1"``).
    Empty cells are ``None``-like (NA).
    """
    path = Path(_dir(directory, REFERENCE_DIR)) / "service_catalogue.csv"
    df = _csv(str(path), (("com_number", "str"),)).astype(object)
    return df.where(df.notna(), None)


def load_portal_usage_2014(directory: str | Path | None = None) -> pd.DataFrame:
    """Portal use in July 2014 per institution (bulletin of August 2014).

    Columns: ``rank``, ``institution_az``, ``institution_en``,
    ``e_services_on_portal``, ``uses`` (renamed from ``uses_july_2014``), all
    counts as int64.
    """
    path = Path(_dir(directory, REFERENCE_DIR)) / "portal_usage_2014_07.csv"
    df = _csv(str(path), (("institution_az", "str"), ("institution_en", "str"))).copy()
    df = df.rename(columns={"uses_july_2014": "uses"})
    for c in ("rank", "e_services_on_portal", "uses"):
        df[c] = df[c].astype("int64")
    return df


# ---------------------------------------------------------------- EU mapping


@dataclass(frozen=True)
class EuPart:
    """One measured part of an EU service (or the service itself when it has no parts)."""

    id: str
    name: Text
    catalogue: str | None
    az_codes: tuple[str, ...]


@dataclass(frozen=True)
class EuService:
    id: str
    audience: str
    name: Text
    catalogue: str | None
    parts: tuple[EuPart, ...]

    @property
    def az_codes(self) -> tuple[str, ...]:
        return tuple(code for p in self.parts for code in p.az_codes)


@dataclass(frozen=True)
class AzOnly:
    code: str
    audience: str
    seed: str  # "X" or "blank": what the seed's EU column showed


@dataclass(frozen=True)
class EuMapping:
    """Which Azerbaijani services stand for each of the EU's basic public services."""

    id: str
    methodology: str
    services: tuple[EuService, ...]
    az_only: tuple[AzOnly, ...]
    full_online_min_level: int = 4
    source: str = ""

    def service(self, eu_id: str) -> EuService:
        for s in self.services:
            if s.id == eu_id:
                return s
        raise KeyError(eu_id)

    @property
    def mapped_codes(self) -> tuple[str, ...]:
        return tuple(c for s in self.services for c in s.az_codes)

    @property
    def all_codes(self) -> tuple[str, ...]:
        return self.mapped_codes + tuple(a.code for a in self.az_only)

    def eu_for_code(self, code: str) -> str | None:
        """The EU service id a Cabinet code is mapped to, ``None`` for Azerbaijan-only services."""
        for s in self.services:
            if code in s.az_codes:
                return s.id
        return None

    def to_frame(self) -> pd.DataFrame:
        """Long form: one row per (EU part, Azerbaijani code) pair, EU parts
        without a code and Azerbaijan-only codes included.

        Columns: ``eu_id``, ``part_id``, ``audience``, ``eu_name_en``,
        ``eu_name_az``, ``part_name_en``, ``part_name_az``, ``code``,
        ``eu_counterpart``, ``az_counterpart``, ``seed_marker``.
        """
        rows: list[dict[str, Any]] = []
        for s in self.services:
            for p in s.parts:
                for code in p.az_codes or (None,):
                    rows.append({
                        "eu_id": s.id, "part_id": p.id, "audience": s.audience,
                        "eu_name_en": s.name.en, "eu_name_az": s.name.az,
                        "part_name_en": p.name.en, "part_name_az": p.name.az,
                        "code": code, "eu_counterpart": True, "az_counterpart": code is not None,
                        "seed_marker": None if code is not None else "X",
                    })
        for a in self.az_only:
            rows.append({
                "eu_id": None, "part_id": None, "audience": a.audience,
                "eu_name_en": None, "eu_name_az": None, "part_name_en": None, "part_name_az": None,
                "code": a.code, "eu_counterpart": False, "az_counterpart": True, "seed_marker": a.seed,
            })
        return pd.DataFrame(rows)


def _err(field: str, en: str, az: str) -> MethodologyError:
    return MethodologyError(field, en, az)


def _text(raw: Any, where: str) -> Text:
    if not isinstance(raw, Mapping) or not all(isinstance(raw.get(k), str) and raw.get(k).strip() for k in ("az", "en")):
        raise _err(where, "needs non-empty 'az' and 'en' names", "boş olmayan 'az' və 'en' adları lazımdır")
    return Text(az=raw["az"], en=raw["en"])


def _codes(raw: Any, where: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise _err(where, "must be a list of quoted codes", "dırnaq içində kodların siyahısı olmalıdır")
    for c in raw:
        # An unquoted 7.10 arrives as the float 7.1: refuse rather than guess.
        if not isinstance(c, str) or not re.fullmatch(r"\d+(\.\d+)*", c):
            raise _err(where, f"code {c!r} must be a quoted Cabinet number like '7.10'", f"{c!r} kodu dırnaq içində yazılmalıdır, məs. '7.10'")
    return tuple(raw)


def parse_eu_mapping(raw: Any, source: str = "") -> EuMapping:
    """Validate a parsed mapping document; raises :class:`MethodologyError` on the first problem."""
    if not isinstance(raw, Mapping):
        raise _err("(file)", "must hold a mapping at top level", "faylın yuxarı səviyyəsi xəritə olmalıdır")
    for key in ("id", "methodology", "eu_services"):
        if key not in raw or raw[key] in (None, ""):
            raise _err(key, "is missing", "yoxdur")
    services: list[EuService] = []
    ids: set[str] = set()

    def _new_id(value: Any, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise _err(where, "must be a non-empty word", "boş olmayan söz olmalıdır")
        if value in ids:
            raise _err(where, f"duplicate id {value!r}", f"təkrarlanan id {value!r}")
        ids.add(value)
        return value

    for i, s in enumerate(raw["eu_services"] or []):
        where = f"eu_services[{i}]"
        if not isinstance(s, Mapping):
            raise _err(where, "must be a mapping", "xəritə olmalıdır")
        sid = _new_id(s.get("id"), f"{where}.id")
        audience = s.get("audience")
        if audience not in AUDIENCES:
            raise _err(f"{where}.audience", f"unknown audience {audience!r} (citizen or business)", f"naməlum auditoriya {audience!r} (citizen və ya business)")
        name = _text(s.get("name"), f"{where}.name")
        if "parts" in s and "az" in s:
            raise _err(where, "lists codes both on the service and on its parts", "kodlar həm xidmətdə, həm də hissələrdə yazılıb")
        if "parts" in s:
            if not isinstance(s["parts"], list) or not s["parts"]:
                raise _err(f"{where}.parts", "must be a non-empty list", "boş olmayan siyahı olmalıdır")
            parts = tuple(
                EuPart(_new_id(p.get("id"), f"{where}.parts[{j}].id"), _text(p.get("name"), f"{where}.parts[{j}].name"),
                       p.get("catalogue"), _codes(p.get("az"), f"{where}.parts[{j}].az"))
                for j, p in enumerate(s["parts"])
            )
        else:
            parts = (EuPart(sid, name, s.get("catalogue"), _codes(s.get("az"), f"{where}.az")),)
        services.append(EuService(sid, audience, name, s.get("catalogue"), parts))

    az_only: list[AzOnly] = []
    for i, a in enumerate(raw.get("az_only") or []):
        where = f"az_only[{i}]"
        (code,) = _codes([a.get("code")], f"{where}.code")
        if a.get("audience") not in AUDIENCES:
            raise _err(f"{where}.audience", f"unknown audience {a.get('audience')!r}", f"naməlum auditoriya {a.get('audience')!r}")
        seed = str(a.get("seed", "X"))
        if seed not in SEED_MARKERS:
            raise _err(f"{where}.seed", f"must be one of {SEED_MARKERS}", f"{SEED_MARKERS} dəyərlərindən biri olmalıdır")
        az_only.append(AzOnly(code, a["audience"], seed))

    # A code counted twice would weigh twice in every EU view.
    seen: set[str] = set()
    for code in [c for s in services for c in s.az_codes] + [a.code for a in az_only]:
        if code in seen:
            raise _err("az", f"code {code!r} is mapped more than once", f"{code!r} kodu bir dəfədən çox göstərilib")
        seen.add(code)

    expected = raw.get("expected_counts")
    if expected is not None:
        for aud, n in expected.items():
            if aud not in AUDIENCES:
                raise _err("expected_counts", f"unknown audience {aud!r}", f"naməlum auditoriya {aud!r}")
            found = sum(s.audience == aud for s in services)
            if found != n:
                raise _err("eu_services", f"{found} {aud} services, the version declares {n}", f"{found} {aud} xidməti var, versiyada {n} göstərilib")

    ind = raw.get("indicators") or {}
    min_level = int((ind.get("full_online_availability") or {}).get("min_level", 4))
    return EuMapping(str(raw["id"]), str(raw["methodology"]), tuple(services), tuple(az_only), min_level, source)


def parse_eu_mapping_text(text: str, source: str = "") -> EuMapping:
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise _err("(file)", f"is not valid YAML: {exc}", f"düzgün YAML deyil: {exc}") from exc
    return parse_eu_mapping(raw, source)


@lru_cache(maxsize=16)
def _mapping_file(path: str) -> EuMapping:
    return parse_eu_mapping_text(Path(path).read_text(encoding="utf-8"), source=path)


def load_eu_mapping(version: str | None = None, directory: str | Path | None = None) -> EuMapping:
    """The EU mapping of a methodology version (``data/eu_mapping/<version>.yaml``).

    ``None`` gives the last file in name order. The result is immutable, so the
    cached object itself is returned.
    """
    d = Path(_dir(directory, EU_MAPPING_DIR))
    if version is None:
        files = sorted(d.glob("*.yaml"))
        if not files:
            raise FileNotFoundError(f"no EU mapping in {d}")
        path = files[-1]
    else:
        path = d / f"{version}.yaml"
        if not path.exists():
            raise FileNotFoundError(f"no EU mapping for methodology version {version!r} in {d}")
    return _mapping_file(str(path))

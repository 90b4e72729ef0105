"""The registry: methodology versions, institutions, services, portal usage.

A new database is seeded from the reference files: institutions from the 2014
portal bulletin and the providers of the service catalogue, services from the
catalogue rows that carry a Cabinet of Ministers number, and the bulletin's
July 2014 usage figures.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from pathlib import Path

import pandas as pd

from scoring import METHODOLOGY_DIR, parse_methodology_text

from .actors import Actor, require
from .audit import next_id, now, record_event, to_json

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"
PORTAL_CSV = REFERENCE_DIR / "portal_usage_2014_07.csv"
CATALOGUE_CSV = REFERENCE_DIR / "service_catalogue.csv"
PORTAL_PERIOD = "2014-07"
PORTAL_SOURCE = "Ministry bulletin, August 2014: e-government portal, July 2014"
KINDS = ("central", "regional", "local")
SEED_ACTOR = Actor.system("seed")

_SPACES = re.compile(r"\s+")
# Quotes differ between files ("AzərEnerji" vs «AzərEnerji»); they carry no meaning for matching.
_QUOTES = str.maketrans("", "", "\"'«»“”„`")


def normalise_name(name: str | None) -> str:
    """A matching key: case-folded, Azerbaijani dotted/dotless i merged, spaces and quotes collapsed.

    All four of I, İ, ı, i map to one letter because people and Excel type
    them interchangeably; two real names never differ only there.
    """
    if name is None:
        return ""
    s = str(name).translate(_QUOTES)
    s = s.replace("İ", "i").replace("I", "i").replace("ı", "i")
    s = s.casefold().replace("i̇", "i")  # casefold of a stray combining dot
    return _SPACES.sub(" ", s).strip()


def normalise_code(code) -> str:
    """Service-code key, the same folding as the reader's: no spaces, case folded, ``12.0`` → ``12``.

    Codes are stored as written; only matching uses this key, so that a file
    writing ``7.1 `` or ``12.0`` finds the registered service instead of
    creating a twin.
    """
    if code is None:
        return ""
    text = _SPACES.sub("", str(code)).casefold()
    if re.fullmatch(r"\d+\.0", text):
        text = text[:-2]
    return text


# -- methodologies -------------------------------------------------------------

def sync_methodologies(st, directory: str | os.PathLike | None = None, actor: Actor = SEED_ACTOR) -> list[str]:
    """Store every methodology file not yet stored; returns the ids added.

    A stored version is never overwritten: rounds keep the exact text they were
    scored with even if someone edits the file on disk.
    """
    directory = Path(directory or METHODOLOGY_DIR)
    added = []
    files = sorted(directory.glob("*.y*ml"))
    # Read first: opening a database (every app process, every command) then takes no write lease.
    stored = {r[0] for r in st.rows("SELECT id FROM methodologies")}
    if all(parse_methodology_text(p.read_text(encoding="utf-8"), source=str(p)).id in stored for p in files):
        return added
    with st.transaction() as cur:
        have = {r[0] for r in cur.execute("SELECT id FROM methodologies").fetchall()}
        for path in files:
            text = path.read_text(encoding="utf-8")
            m = parse_methodology_text(text, source=str(path))
            if m.id in have:
                continue
            cur.execute(
                "INSERT INTO methodologies VALUES (?, ?, ?, ?, ?, ?)",
                [m.id, m.released, text, hashlib.sha256(text.encode("utf-8")).hexdigest(), now(), actor.name],
            )
            have.add(m.id)
            added.append(m.id)
        if added:
            record_event(cur, actor, "add_methodology", detail={"ids": added})
    return added


def newest_methodology_id(cur) -> str:
    row = cur.execute("SELECT id FROM methodologies ORDER BY released DESC, id DESC LIMIT 1").fetchone()
    if row is None:
        raise LookupError("no methodology version is stored")
    return row[0]


# -- institutions and services -------------------------------------------------

def insert_institution(cur, name_az: str, name_en: str | None, kind: str = "central",
                       parent_id: int | None = None, created_by_import: int | None = None) -> int:
    """Low-level insert used by the seed, :func:`add_institution` and imports (no checks, no event)."""
    if kind not in KINDS:
        raise ValueError(f"unknown institution kind {kind!r}; known: {', '.join(KINDS)}")
    iid = next_id(cur, "institutions", "institution_id")
    cur.execute(
        "INSERT INTO institutions VALUES (?, ?, ?, ?, ?, ?, ?)",
        [iid, name_az.strip(), (name_en or None) and name_en.strip(), kind, parent_id, now(), created_by_import],
    )
    return iid


def insert_service(cur, institution_id: int, code: str, name_az: str | None, name_en: str | None,
                   audience: str | None, eu_service: str | None = None,
                   created_by_import: int | None = None) -> int:
    sid = next_id(cur, "services", "service_id")
    cur.execute(
        "INSERT INTO services VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [sid, institution_id, str(code).strip(), name_az, name_en, audience or None, eu_service or None,
         now(), created_by_import],
    )
    return sid


def name_index(cur) -> dict[str, int]:
    """Normalised az and en names → institution id, for matching reference names."""
    out: dict[str, int] = {}
    for iid, az, en in cur.execute("SELECT institution_id, name_az, name_en FROM institutions ORDER BY institution_id").fetchall():
        for n in (az, en):
            if n:
                out.setdefault(normalise_name(n), iid)
    return out


def _clean(v) -> str | None:
    if v is None or (isinstance(v, float) and pd.isna(v)) or pd.isna(v):
        return None
    s = str(v).strip()
    return s or None


def seed_registry(st, actor: Actor = SEED_ACTOR) -> dict[str, int]:
    """Fill an empty registry from the reference CSVs; returns counts."""
    require(actor, "admin", "seed the registry")
    portal = pd.read_csv(PORTAL_CSV, dtype=str, keep_default_na=False)
    catalogue = pd.read_csv(CATALOGUE_CSV, dtype=str, keep_default_na=False)
    with st.transaction() as cur:
        if cur.execute("SELECT count(*) FROM institutions").fetchone()[0]:
            raise RuntimeError("the registry is not empty; seeding runs only on a new database")
        names = {}
        for r in portal.itertuples(index=False):
            iid = insert_institution(cur, r.institution_az, r.institution_en)
            names[normalise_name(r.institution_az)] = iid
            names.setdefault(normalise_name(r.institution_en), iid)
        n_services = 0
        for r in catalogue.itertuples(index=False):
            code = _clean(r.com_number)
            if code is None:
                continue  # an EU service without Azerbaijani counterpart: nothing to assess
            iid = names.get(normalise_name(r.provider_az)) or names.get(normalise_name(r.provider_en))
            if iid is None:
                # Different wording of a ministry in the two sources: kept as a separate
                # institution rather than guessed to be the same one.
                iid = insert_institution(cur, r.provider_az, _clean(r.provider_en))
                names[normalise_name(r.provider_az)] = iid
            insert_service(cur, iid, code, _clean(r.service_az), _clean(r.service_en),
                           _clean(r.audience), _clean(r.eu_service))
            n_services += 1
        uid = next_id(cur, "portal_usage", "usage_id")
        for k, r in enumerate(portal.itertuples(index=False)):
            cur.execute(
                "INSERT INTO portal_usage VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, ?)",
                [uid + k, PORTAL_PERIOD, names[normalise_name(r.institution_az)],
                 int(r.e_services_on_portal), int(r.uses_july_2014), PORTAL_SOURCE, now()],
            )
        counts = {
            "institutions": cur.execute("SELECT count(*) FROM institutions").fetchone()[0],
            "services": n_services,
            "portal_usage": len(portal),
        }
        record_event(cur, actor, "seed", detail=counts)
    return counts


def seed_if_empty(st) -> bool:
    """Methodologies always (new files appear); the registry only into an empty database."""
    sync_methodologies(st)
    empty = st.scalar("SELECT (SELECT count(*) FROM institutions) + (SELECT count(*) FROM events WHERE action = 'seed')") == 0
    if empty:
        seed_registry(st)
    return empty


def add_institution(st, actor: Actor, name_az: str, name_en: str | None = None, kind: str = "central",
                    parent_id: int | None = None, reason: str | None = None) -> int:
    """Register an institution by hand (admin); refuses a name already registered."""
    require(actor, "admin", "add an institution")
    if not name_az or not name_az.strip():
        raise ValueError("name_az is required")
    with st.transaction() as cur:
        index = name_index(cur)
        for n in (name_az, name_en):
            if n and normalise_name(n) in index:
                raise ValueError(f"an institution named {n!r} is already registered (id {index[normalise_name(n)]})")
        iid = insert_institution(cur, name_az, name_en, kind, parent_id)
        record_event(cur, actor, "add_institution", institution_id=iid,
                     detail={"name_az": name_az, "name_en": name_en, "kind": kind, "parent_id": parent_id}, reason=reason)
    return iid


def add_service(st, actor: Actor, institution_id: int, code: str, name_az: str | None = None,
                name_en: str | None = None, audience: str | None = None, eu_service: str | None = None,
                reason: str | None = None) -> int:
    """Register a service of an institution by hand (admin)."""
    require(actor, "admin", "add a service")
    with st.transaction() as cur:
        if not cur.execute("SELECT count(*) FROM institutions WHERE institution_id = ?", [institution_id]).fetchone()[0]:
            raise ValueError(f"no institution with id {institution_id}")
        sid = insert_service(cur, institution_id, str(code), name_az, name_en, audience, eu_service)
        record_event(cur, actor, "add_service", institution_id=institution_id,
                     detail={"service_id": sid, "code": str(code), "name_az": name_az}, reason=reason)
    return sid


def import_portal_usage_csv(st, actor: Actor, path_or_df, period: str, *, source: str | None = None,
                            replace: bool = False) -> int:
    """Load portal usage figures for one period (e.g. ``'2015-01'``); returns the import id.

    Input: a CSV path, CSV text/bytes, or a DataFrame with the columns
    ``institution`` (Azerbaijani or English registry name), ``e_services_on_portal``
    (whole number) and ``uses`` (whole number). Every name must match a
    registered institution, otherwise nothing is written and a ValueError lists
    the unknown names. Figures already stored for the same period and
    institution are refused unless ``replace`` is true; replaced figures stay in
    the table, marked as superseded. Needs the expert role.
    """
    require(actor, "expert", "import portal usage")
    if not re.fullmatch(r"\d{4}-\d{2}", period or ""):
        raise ValueError(f"period must look like 2014-07, not {period!r}")
    if isinstance(path_or_df, pd.DataFrame):
        df, file_name = path_or_df.copy(), f"dataframe:{period}"
        raw = df.to_csv(index=False).encode("utf-8")
    else:
        if isinstance(path_or_df, bytes):
            raw, file_name = path_or_df, f"csv:{period}"
        else:
            raw, file_name = Path(path_or_df).read_bytes(), Path(path_or_df).name
        df = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False)
    df.columns = [str(c).strip().lower() for c in df.columns]
    missing = [c for c in ("institution", "e_services_on_portal", "uses") if c not in df.columns]
    if missing:
        raise ValueError(f"missing column(s): {', '.join(missing)}")
    with st.transaction() as cur:
        index = name_index(cur)
        rows, unknown, bad = [], [], []
        for k, r in enumerate(df.itertuples(index=False), start=2):
            name = _clean(r.institution)
            if name is None:
                continue
            iid = index.get(normalise_name(name))
            if iid is None:
                unknown.append(name)
                continue
            try:
                n, uses = int(str(r.e_services_on_portal).strip()), int(str(r.uses).strip())
                if n < 0 or uses < 0:
                    raise ValueError
            except ValueError:
                bad.append(k)
                continue
            rows.append((iid, n, uses))
        if unknown or bad:
            raise ValueError(
                (f"unknown institution(s): {', '.join(unknown)}. " if unknown else "")
                + (f"row(s) {bad}: figures must be whole numbers ≥ 0" if bad else "")
            )
        current = dict(cur.execute(
            "SELECT p.institution_id, p.usage_id FROM portal_usage p LEFT JOIN imports i USING (import_id) "
            "WHERE p.period = ? AND p.replaced_by_import IS NULL AND coalesce(i.outcome, 'imported') = 'imported'",
            [period]).fetchall())
        clash = [iid for iid, _, _ in rows if iid in current]
        if clash and not replace:
            from .imports import ImportConflict

            raise ImportConflict(f"usage figures for {period} already stored for {len(clash)} institution(s); use replace",
                                 pd.DataFrame({"kind": "portal_usage", "key": [str(c) for c in clash]}))
        import_id = next_id(cur, "imports", "import_id")
        sha = hashlib.sha256(raw).hexdigest()
        for iid in clash:
            cur.execute("UPDATE portal_usage SET replaced_by_import = ? WHERE usage_id = ?", [import_id, current[iid]])
        uid = next_id(cur, "portal_usage", "usage_id")
        for k, (iid, n, uses) in enumerate(rows):
            cur.execute("INSERT INTO portal_usage VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)",
                        [uid + k, period, iid, n, uses, source or file_name, import_id, now()])
        counts = {"portal_usage": len(rows), "replaced": len(clash)}
        cur.execute(
            "INSERT INTO imports (import_id, file_name, sha256, size, actor, role, \"at\", round_id, source, kinds, counts, "
            "outcome, \"replace\", warnings) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, 'portal_usage', ?, 'imported', ?, '[]')",
            [import_id, file_name, sha, len(raw), actor.name, actor.role, now(), to_json(counts), bool(replace)],
        )
        record_event(cur, actor, "replace" if clash else "import", import_id=import_id,
                     detail={"kind": "portal_usage", "period": period, **counts})
    return import_id

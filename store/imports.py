"""Writing parsed workbooks: plan, commit (all or nothing) and revert.

Stored values are versions: a new value never overwrites an old one in place.
Committing a replacement marks the superseded row with ``replaced_by_import``;
reverting an import clears that mark again and flags the import as reverted, so
its own rows drop out of every "current value" query while the history stays.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from ingest.model import ParsedWorkbook

from . import originals
from .actors import Actor, PermissionDenied, require
from .audit import next_id, now, record_event, to_json
from .errors import Localised, NotFound, StoreError
from .registry import (
    insert_institution,
    insert_service,
    name_index,
    newest_methodology_id,
    normalise_code,
    normalise_name,
)
from .rounds import insert_round, round_id
from .schema import ANSWER_COLUMNS

# Filters shared with store.queries: a row is current when nothing replaced it
# and the import that wrote it still stands.
LIVE_IMPORTS = "(SELECT import_id FROM imports WHERE outcome = 'imported')"
PLAN_COLUMNS = ["kind", "key", "row", "institution_id", "institution", "service_id", "code", "question_id",
                "status", "locked", "reason", "old", "new", "existing_id"]


class ImportConflict(ValueError):
    """A commit would overwrite stored values (without ``replace``) or touch locked rows."""

    def __init__(self, message: str, conflicts: pd.DataFrame | None = None):
        super().__init__(message)
        self.conflicts = conflicts if conflicts is not None else pd.DataFrame(columns=PLAN_COLUMNS)


@dataclass
class ImportPlan:
    """What committing a parsed workbook would do, row by row.

    ``rows`` has one row per record: ``kind`` (services, coverage,
    infrastructure), ``key`` (readable), ``status`` (new, replaced, unchanged),
    ``locked`` and ``reason`` (``replace``, ``locked``, ``closed``) for
    conflicts, ``old``/``new`` values as text. ``conflicts`` holds the rows that
    stop the commit. ``identical_file`` means this very file is already stored.
    """

    file_name: str
    sha256: str
    round_label: str
    source: str
    methodology_id: str
    round_exists: bool
    replace: bool
    rows: pd.DataFrame
    conflicts: pd.DataFrame
    identical_file: bool = False
    identical_import_id: int | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def answer_source(self) -> str:
        """The source the answers are stored under: a form submission is the institution's own (self)."""
        return "self" if self.source == "form" else self.source

    @property
    def changes(self) -> int:
        return int(self.rows["status"].isin(["new", "replaced"]).sum()) if len(self.rows) else 0

    @property
    def nothing_to_do(self) -> bool:
        return self.identical_file or self.changes == 0

    def counts(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for (kind, status), n in self.rows.groupby(["kind", "status"]).size().items():
            out.setdefault(kind, {})[status] = int(n)
        return out


@dataclass
class ImportResult:
    """``status`` is imported, unchanged (every value already stored) or identical (same file)."""

    import_id: int | None
    status: str
    plan: ImportPlan


def _answers_text(values) -> str:
    return " ".join(str(int(v)) for v in values)


def _same_comment(a, b) -> bool:
    return (a or None) == (b or None)


def _round_info(cur, label: str):
    return cur.execute("SELECT round_id, methodology_id, status FROM rounds WHERE label = ?", [label]).fetchone()


def _plan(cur, parsed: ParsedWorkbook, replace: bool) -> ImportPlan:
    from scoring import load_methodology

    if parsed.meta is None:
        raise ValueError(f"{parsed.file_name}: the workbook has no Meta (round) information")
    if parsed.errors:
        raise ValueError(f"{parsed.file_name}: the workbook has {len(parsed.errors)} error(s); nothing can be imported")
    meta = parsed.meta
    label, source = str(meta.round).strip(), (meta.source or "self")
    if source not in ("self", "expert", "form"):
        raise ValueError(f"unknown source {source!r}")
    answer_source = "self" if source == "form" else source
    info = _round_info(cur, label)
    warnings: list[str] = []
    if info is None:
        rid, mid, closed = None, meta.methodology or newest_methodology_id(cur), False
    else:
        rid, mid, closed = info[0], info[1], info[2] == "closed"
        if meta.methodology and meta.methodology != mid:
            warnings.append(f"the file names methodology {meta.methodology}; round {label} is scored with {mid}")
    m = load_methodology(mid)
    for rec in parsed.services:
        if len(rec.answers) != m.n_indicators or len(rec.answers) > len(ANSWER_COLUMNS):
            raise ValueError(f"row {rec.row}: {len(rec.answers)} answers; methodology {mid} has {m.n_indicators} indicators")

    identical = cur.execute(
        "SELECT min(import_id) FROM imports WHERE sha256 = ? AND outcome = 'imported'", [parsed.sha256]
    ).fetchone()[0]
    names = name_index(cur)
    service_ids = {(i, normalise_code(c)): s
                   for s, i, c in cur.execute("SELECT service_id, institution_id, code FROM services ORDER BY service_id DESC").fetchall()}
    locked = set()
    if rid is not None:
        locked = {r[0] for r in cur.execute(
            "SELECT institution_id FROM review_states WHERE round_id = ? AND state = 'approved'", [rid]).fetchall()}

    def inst_id(given: int | None, name: str) -> int | None:
        return given if given is not None else names.get(normalise_name(name))

    rows: list[dict] = []

    def add(kind, key, row, iid, iname, status, old, new, existing_id, service_id=None, code=None, qid=None):
        rows.append({"kind": kind, "key": key, "row": row, "institution_id": iid, "institution": iname,
                     "service_id": service_id, "code": code, "question_id": qid, "status": status,
                     "old": old, "new": new, "existing_id": existing_id})

    if parsed.services:
        current = {}
        if rid is not None:
            q = ", ".join(ANSWER_COLUMNS[: m.n_indicators])
            for r in cur.execute(
                f"SELECT service_id, answer_id, comment, {q} FROM service_answers WHERE round_id = ? AND source = ? "
                f"AND replaced_by_import IS NULL AND import_id IN {LIVE_IMPORTS}", [rid, answer_source]).fetchall():
                current[r[0]] = (r[1], r[2], tuple(r[3:]))
        for rec in parsed.services:
            iid = inst_id(rec.institution_id, rec.institution_name)
            code = str(rec.service_code).strip()
            sid = service_ids.get((iid, normalise_code(code))) if iid is not None else None
            new = _answers_text(rec.answers)
            cur_row = current.get(sid) if sid is not None else None
            if cur_row is None:
                status, old, existing = "new", None, None
            elif cur_row[2] == tuple(int(a) for a in rec.answers) and _same_comment(cur_row[1], rec.comment):
                status, old, existing = "unchanged", _answers_text(cur_row[2]), cur_row[0]
            else:
                status, old, existing = "replaced", _answers_text(cur_row[2]), cur_row[0]
            add("services", f"{rec.institution_name} › {code}", rec.row, iid, rec.institution_name, status, old, new,
                existing, sid, code)

    if parsed.coverage:
        current = {}
        if rid is not None:
            for r in cur.execute(
                "SELECT institution_id, coverage_id, services_transferable, e_services_provided FROM coverage "
                f"WHERE round_id = ? AND replaced_by_import IS NULL AND import_id IN {LIVE_IMPORTS}", [rid]).fetchall():
                current[r[0]] = (r[1], r[2], r[3])
        for rec in parsed.coverage:
            iid = inst_id(rec.institution_id, rec.institution_name)
            new = f"{int(rec.transferable)}/{int(rec.provided)}"
            cur_row = current.get(iid) if iid is not None else None
            if cur_row is None:
                status, old, existing = "new", None, None
            else:
                old = f"{cur_row[1]}/{cur_row[2]}"
                status, existing = ("unchanged" if old == new else "replaced"), cur_row[0]
            add("coverage", rec.institution_name, rec.row, iid, rec.institution_name, status, old, new, existing)

    if parsed.infrastructure:
        scope_name = meta.scope if meta.scope and str(meta.scope).strip().lower() != "national" else None
        scope_id = meta.scope_institution_id
        if scope_id is None and scope_name:
            scope_id = names.get(normalise_name(scope_name))
        current = {}
        if rid is not None:
            for r in cur.execute(
                "SELECT scope_institution_id, question_id, answer_id, value FROM infrastructure_answers "
                "WHERE round_id = ? AND source = ? AND replaced_by_import IS NULL "
                f"AND import_id IN {LIVE_IMPORTS}", [rid, answer_source]).fetchall():
                current[(r[0], r[1])] = (r[2], r[3])
        for rec in parsed.infrastructure:
            cur_row = current.get((scope_id, str(rec.question_id))) if (scope_id is not None or not scope_name) else None
            new = f"{float(rec.value):g}"
            if cur_row is None:
                status, old, existing = "new", None, None
            else:
                old = f"{cur_row[1]:g}"
                same = math.isclose(cur_row[1], float(rec.value), rel_tol=0, abs_tol=1e-9)
                status, existing = ("unchanged" if same else "replaced"), cur_row[0]
            add("infrastructure", f"{scope_name or 'national'} › {rec.question_id}", rec.row, scope_id,
                scope_name or "national", status, old, new, existing, qid=str(rec.question_id))

    df = pd.DataFrame(rows, columns=[c for c in PLAN_COLUMNS if c not in ("locked", "reason")])
    changing = df["status"].isin(["new", "replaced"])
    df["locked"] = changing & df["institution_id"].isin(locked)
    reason = pd.Series([None] * len(df), index=df.index, dtype=object)
    if not replace:
        reason[df["status"] == "replaced"] = "replace"
    reason[df["locked"]] = "locked"
    if closed:
        reason[changing] = "closed"
    df["reason"] = reason
    df = df[PLAN_COLUMNS]
    conflicts = df[df["reason"].notna()].reset_index(drop=True)
    return ImportPlan(
        file_name=parsed.file_name, sha256=parsed.sha256, round_label=label, source=source, methodology_id=mid,
        round_exists=rid is not None, replace=bool(replace), rows=df, conflicts=conflicts,
        identical_file=identical is not None, identical_import_id=identical, warnings=warnings,
    )


def plan_import(st, parsed: ParsedWorkbook, replace: bool = False) -> ImportPlan:
    """Compare a parsed workbook with the stored current values; writes nothing."""
    with st.reading() as cur:
        return _plan(cur, parsed, replace)


def _conflict_message(plan: ImportPlan) -> str:
    reasons = plan.conflicts["reason"].value_counts().to_dict()
    parts = []
    if reasons.get("replace"):
        parts.append(f"{reasons['replace']} stored value(s) would be overwritten (ask for replace)")
    if reasons.get("locked"):
        parts.append(f"{reasons['locked']} row(s) belong to approved, locked institutions")
    if reasons.get("closed"):
        parts.append(f"round {plan.round_label} is closed")
    keys = ", ".join(plan.conflicts["key"].astype(str).head(10))
    more = "…" if len(plan.conflicts) > 10 else ""
    return f"{plan.file_name}: " + "; ".join(parts) + f": {keys}{more}"


def _hidden_ids(cur, table: str, id_col: str) -> set[int]:
    """Every registry row of ``table`` created by an import that was reverted since (one query, not one a row)."""
    return {r[0] for r in cur.execute(
        f"SELECT {id_col} FROM {table} WHERE created_by_import IS NOT NULL AND created_by_import NOT IN {LIVE_IMPORTS}"
    ).fetchall()}


def _insert_frame(cur, table: str, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    # DuckDB 2 refuses register() while an earlier SELECT was only partly fetched
    # (fetchone); a fully fetched statement closes it on every version.
    cur.execute("SELECT 1").fetchall()
    cur.register("_incoming", frame)
    try:
        cols = ", ".join(frame.columns)
        cur.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _incoming")
    finally:
        cur.unregister("_incoming")


def _write_versions(cur, table: str, id_col: str, columns: list[str], rows: list[list], replaced: list[int],
                    import_id: int, stamp) -> None:
    """Mark the superseded rows of ``table`` and insert the new versions (history is never overwritten)."""
    if replaced:
        cur.execute(f"UPDATE {table} SET replaced_by_import = ? WHERE {id_col} IN (SELECT unnest(?))",
                    [import_id, replaced])
    if not rows:
        return
    frame = pd.DataFrame(rows, columns=columns)
    # Nullable columns keep their type when every value in this batch is missing.
    if "comment" in frame:
        frame["comment"] = frame["comment"].astype(object)
    if "scope_institution_id" in frame:
        frame["scope_institution_id"] = frame["scope_institution_id"].astype("Int64")
    first = next_id(cur, table, id_col)
    frame.insert(0, id_col, range(first, first + len(frame)))
    frame["import_id"] = import_id
    frame["created_at"] = stamp
    _insert_frame(cur, table, frame)


def _require_importer(actor: Actor, parsed: ParsedWorkbook) -> None:
    """Experts import anything; a respondent only its own institution's form submission (``store.collection``)."""
    if actor.is_respondent:
        meta = parsed.meta
        ids = {r.institution_id for r in parsed.services} | {r.institution_id for r in parsed.coverage}
        if meta is not None and meta.source == "form" and not parsed.infrastructure and ids <= {actor.institution_id}:
            return
        raise PermissionDenied(actor, "expert", "import assessments")
    require(actor, "expert", "import assessments")


def commit_import(st, actor: Actor, parsed: ParsedWorkbook, replace: bool = False, *,
                  open_round: bool = False, illustrative: bool = False, original: bytes | None = None) -> ImportResult:
    """Store a parsed workbook in one transaction; returns the import id (or None when nothing changed).

    Needs the expert role. A missing round is opened with the file's methodology
    (default: the newest) when the actor is an admin, or when ``open_round`` is
    true: the import pipeline passes it, so that experts open a year's round by
    importing its first file; other callers must open rounds explicitly.
    Raises :class:`ImportConflict` when stored values would be overwritten
    without ``replace`` or when rows of an approved institution would change.
    ``original`` (the file's bytes) is kept with the import (:mod:`store.originals`).
    """
    _require_importer(actor, parsed)
    with st.transaction() as cur:
        plan = _plan(cur, parsed, replace)
        if plan.identical_file:
            return ImportResult(None, "identical", plan)
        if plan.changes == 0:
            return ImportResult(None, "unchanged", plan)
        if len(plan.conflicts):
            raise ImportConflict(_conflict_message(plan), plan.conflicts)
        meta = parsed.meta
        rid = round_id(cur, plan.round_label)
        if rid is None:
            if not (open_round or actor.can("admin")):
                require(actor, "admin", f"open round {plan.round_label}")
            rid = insert_round(cur, actor, plan.round_label, plan.methodology_id, illustrative=illustrative,
                               reason=f"opened by importing {parsed.file_name}")
        import_id = next_id(cur, "imports", "import_id")
        counts = plan.counts()
        cur.execute(
            "INSERT INTO imports (import_id, file_name, sha256, size, actor, role, \"at\", round_id, source, kinds, counts, "
            "outcome, \"replace\", warnings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'imported', ?, ?)",
            [import_id, parsed.file_name, parsed.sha256, int(parsed.size or 0), actor.name, actor.role, now(), rid,
             plan.source, ",".join(sorted(counts)), to_json(counts), bool(replace),
             to_json([{"code": w.code, "sheet": w.sheet, "row": w.row, "column": w.column, "value": w.value,
                       "params": w.params} for w in parsed.warnings] + [{"note": w} for w in plan.warnings])],
        )
        if original is not None:
            originals.keep(cur, parsed.sha256, original)
        rows = plan.rows
        created: dict[str, int] = {}
        new_institutions: list[str] = []
        hidden_institutions = _hidden_ids(cur, "institutions", "institution_id")
        hidden_services = _hidden_ids(cur, "services", "service_id")

        def ensure_institution(iid, name) -> int:
            if iid is not None and not pd.isna(iid):
                iid = int(iid)
                if iid in hidden_institutions:
                    hidden_institutions.discard(iid)
                    cur.execute("UPDATE institutions SET created_by_import = ? WHERE institution_id = ?", [import_id, iid])
                return iid
            key = normalise_name(name)
            if key not in created:
                created[key] = insert_institution(cur, name, None, created_by_import=import_id)
                new_institutions.append(name)
            return created[key]

        stamp = now()
        changing = rows[rows["status"].isin(["new", "replaced"])]

        # Service answers: records in file order, joined to the plan rows by position.
        svc_plan = rows[rows["kind"] == "services"].reset_index(drop=True)
        svc_out, svc_replaced, new_services = [], [], []
        for rec, (_, p) in zip(parsed.services, svc_plan.iterrows()):
            if p["status"] == "unchanged":
                continue
            iid = ensure_institution(p["institution_id"], rec.institution_name)
            sid = p["service_id"]
            if sid is None or pd.isna(sid):
                # The institution may be new in this very import (created above), or a
                # second row of the file may name the same new service.
                found = [s for s, c in cur.execute("SELECT service_id, code FROM services WHERE institution_id = ?",
                                                   [iid]).fetchall() if normalise_code(c) == normalise_code(p["code"])]
                if found:
                    sid = found[0]
                else:
                    sid = insert_service(cur, iid, p["code"], rec.service_name, None, rec.audience,
                                         created_by_import=import_id)
                    new_services.append(p["code"])
            sid = int(sid)
            if sid in hidden_services:
                hidden_services.discard(sid)
                cur.execute("UPDATE services SET created_by_import = ? WHERE service_id = ?", [import_id, sid])
            if p["status"] == "replaced":
                svc_replaced.append(int(p["existing_id"]))
            svc_out.append([rid, plan.answer_source, sid, *[int(a) for a in rec.answers],
                            *([0] * (len(ANSWER_COLUMNS) - len(rec.answers))), rec.comment or None])
        _write_versions(cur, "service_answers", "answer_id",
                        ["round_id", "source", "service_id", *ANSWER_COLUMNS, "comment"], svc_out, svc_replaced,
                        import_id, stamp)

        cov_plan = rows[rows["kind"] == "coverage"].reset_index(drop=True)
        cov_out, cov_replaced = [], []
        for rec, (_, p) in zip(parsed.coverage, cov_plan.iterrows()):
            if p["status"] == "unchanged":
                continue
            iid = ensure_institution(p["institution_id"], rec.institution_name)
            if p["status"] == "replaced":
                cov_replaced.append(int(p["existing_id"]))
            cov_out.append([rid, iid, int(rec.transferable), int(rec.provided)])
        _write_versions(cur, "coverage", "coverage_id",
                        ["round_id", "institution_id", "services_transferable", "e_services_provided"], cov_out,
                        cov_replaced, import_id, stamp)

        inf_plan = rows[rows["kind"] == "infrastructure"].reset_index(drop=True)
        inf_out, inf_replaced = [], []
        scope_id = None
        if len(inf_plan) and inf_plan["institution"].iloc[0] != "national":
            scope_id = ensure_institution(inf_plan["institution_id"].iloc[0], meta.scope)
        for rec, (_, p) in zip(parsed.infrastructure, inf_plan.iterrows()):
            if p["status"] == "unchanged":
                continue
            if p["status"] == "replaced":
                inf_replaced.append(int(p["existing_id"]))
            inf_out.append([rid, plan.answer_source, scope_id, str(rec.question_id), float(rec.value)])
        _write_versions(cur, "infrastructure_answers", "answer_id",
                        ["round_id", "source", "scope_institution_id", "question_id", "value"], inf_out,
                        inf_replaced, import_id, stamp)

        n_replaced = int((changing["status"] == "replaced").sum())
        record_event(cur, actor, "replace" if n_replaced else "import", round_id=rid, import_id=import_id,
                     detail={"file": parsed.file_name, "source": plan.source, "counts": counts,
                             "new_institutions": new_institutions, "new_services": new_services})
        return ImportResult(import_id, "imported", plan)


_VERSIONED = {
    "service_answers": "answer_id",
    "infrastructure_answers": "answer_id",
    "coverage": "coverage_id",
    "portal_usage": "usage_id",
}


class RevertBlocked(Localised, ImportConflict):
    """A revert that later imports stand in the way of (say which, in the reader's language)."""

    def __init__(self, key: str, **params):
        ImportConflict.__init__(self, self._localise(key, params))


def revert_import(st, actor: Actor, import_id: int, reason: str | None = None) -> dict[str, int]:
    """Undo an import: its rows disappear from current values, the rows it replaced come back.

    Refused when a later import has already replaced some of its rows (revert
    that one first), or when later imports use an institution or service this
    import created. Needs the expert role. Returns the restored row counts.
    """
    require(actor, "expert", "revert an import")
    import_id = int(import_id)
    with st.transaction() as cur:
        row = cur.execute("SELECT outcome, round_id FROM imports WHERE import_id = ?", [import_id]).fetchone()
        if row is None:
            raise NotFound("store.revert.no_import", id=import_id)
        if row[0] == "reverted":
            raise StoreError("store.revert.already", id=import_id)
        later = set()
        for table in _VERSIONED:
            later |= {r[0] for r in cur.execute(
                f"SELECT DISTINCT replaced_by_import FROM {table} WHERE import_id = ? AND replaced_by_import IS NOT NULL",
                [import_id]).fetchall()}
        if later:
            ids = ", ".join(str(i) for i in sorted(later))
            raise RevertBlocked("store.revert.replaced_later", id=import_id, ids=ids)
        users = cur.execute(
            "SELECT DISTINCT a.import_id FROM service_answers a JOIN services s USING (service_id) "
            f"WHERE s.created_by_import = ? AND a.import_id <> ? AND a.import_id IN {LIVE_IMPORTS} "
            "UNION SELECT DISTINCT c.import_id FROM coverage c JOIN institutions i USING (institution_id) "
            f"WHERE i.created_by_import = ? AND c.import_id <> ? AND c.import_id IN {LIVE_IMPORTS}",
            [import_id, import_id, import_id, import_id]).fetchall()
        if users:
            ids = ", ".join(str(r[0]) for r in sorted(users))
            raise RevertBlocked("store.revert.used_later", id=import_id, ids=ids)
        restored = {}
        for table in _VERSIONED:
            n = cur.execute(f"SELECT count(*) FROM {table} WHERE replaced_by_import = ?", [import_id]).fetchone()[0]
            if n:
                cur.execute(f"UPDATE {table} SET replaced_by_import = NULL WHERE replaced_by_import = ?", [import_id])
            restored[table] = int(n)
        cur.execute("UPDATE imports SET outcome = 'reverted', reverted_at = ?, reverted_by = ? WHERE import_id = ?",
                    [now(), actor.name, import_id])
        record_event(cur, actor, "revert", round_id=row[1], import_id=import_id, detail={"restored": restored},
                     reason=reason)
    return restored

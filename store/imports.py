"""Writing parsed workbooks: plan, commit (all or nothing) and revert.

Stored values are versions: a new value never overwrites an old one in place.
Committing a replacement marks the superseded row with ``replaced_by_import``;
reverting an import clears that mark again and flags the import as reverted, so
its own rows drop out of every "current value" query while the history stays.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from ingest.model import ParsedWorkbook
from ingest.progress import Report

from . import originals
from .actors import Actor, require
from .audit import insert_frame, next_id, now, record_event, to_json
from .errors import Localised, NotFound, StoreError
from .registry import name_index, newest_methodology_id, normalise_code, normalise_name
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
    return _answers_text_of(values if isinstance(values, tuple) else tuple(values))


@lru_cache(maxsize=1 << 17)
def _answers_text_of(values: tuple) -> str:
    return " ".join(str(int(v)) for v in values)  # at most 2^17 answer patterns; a file repeats them


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
    if source not in ("self", "expert"):
        raise ValueError(f"unknown source {source!r}")
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
    folded: dict[str, str] = {}  # codes repeat across institutions (7.1 …): fold each distinct code once
    service_ids = {(i, folded.get(c) or folded.setdefault(c, normalise_code(c))): s
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
                f"AND replaced_by_import IS NULL AND import_id IN {LIVE_IMPORTS}", [rid, source]).fetchall():
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
                f"AND import_id IN {LIVE_IMPORTS}", [rid, source]).fetchall():
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


def _write_versions(cur, table: str, id_col: str, frame: pd.DataFrame, replaced: list[int], import_id: int,
                    stamp) -> None:
    """Mark the superseded rows of ``table`` and insert the new versions (history is never overwritten).

    Two statements whatever the number of rows: one ``UPDATE … IN`` for the
    replaced versions, one ``INSERT … SELECT`` of the staged frame.
    """
    if replaced:
        cur.execute(f"UPDATE {table} SET replaced_by_import = ? WHERE {id_col} IN (SELECT unnest(?))",
                    [import_id, replaced])
    if frame.empty:
        return
    frame = frame.reset_index(drop=True)
    # Nullable columns keep their type when every value in this batch is missing.
    if "comment" in frame:
        frame["comment"] = frame["comment"].astype(object)
    if "scope_institution_id" in frame:
        frame["scope_institution_id"] = frame["scope_institution_id"].astype("Int64")
    first = next_id(cur, table, id_col)
    frame.insert(0, id_col, np.arange(first, first + len(frame), dtype=np.int64))
    frame["import_id"] = import_id
    frame["created_at"] = stamp
    insert_frame(cur, table, frame)


def _revive(cur, table: str, id_col: str, ids, import_id: int) -> None:
    """Registry rows created by a since-reverted import are used again: this import now owns them (one statement)."""
    ids = sorted({int(i) for i in ids})
    if ids:
        cur.execute(f"UPDATE {table} SET created_by_import = ? WHERE {id_col} IN (SELECT unnest(?)) "
                    f"AND created_by_import IS NOT NULL AND created_by_import NOT IN {LIVE_IMPORTS}",
                    [import_id, ids])


class _NewInstitutions:
    """Institutions named in the file but not registered: created once per folded name, in file order, by bulk insert."""

    def __init__(self, cur, import_id: int, stamp):
        self.cur, self.import_id, self.stamp = cur, import_id, stamp
        self.ids: dict[str, int] = {}
        self.names: list[str] = []  # as written, in the order they were created (the audit event lists them)

    def resolve(self, given: pd.Series, names: list[str]) -> np.ndarray:
        """Institution ids for rows: the plan's id where it has one, else the id created for the name."""
        out = given.to_numpy(dtype="float64", na_value=np.nan).copy()
        missing = np.flatnonzero(np.isnan(out))
        fresh: dict[str, str] = {}
        for i in missing:
            key = normalise_name(names[i])
            if key not in self.ids and key not in fresh:
                fresh[key] = str(names[i]).strip()
        if fresh:
            first = next_id(self.cur, "institutions", "institution_id")
            new_ids = range(first, first + len(fresh))
            n = len(fresh)
            insert_frame(self.cur, "institutions", pd.DataFrame({
                "institution_id": np.asarray(new_ids, dtype=np.int64), "name_az": list(fresh.values()),
                "name_en": pd.array([None] * n, dtype=object), "kind": "central",
                "parent_id": pd.array([None] * n, dtype="Int64"), "created_at": self.stamp,
                "created_by_import": self.import_id}))
            self.ids.update(zip(fresh, new_ids))
            self.names += list(fresh.values())
        for i in missing:
            out[i] = self.ids[normalise_name(names[i])]
        return out.astype(np.int64)


def _service_ids(cur, import_id: int, stamp, institution_ids: np.ndarray, plan: pd.DataFrame, recs) -> tuple:
    """Service ids of the staged rows: the plan's, an existing one with the same folded code, or a new one.

    New services are created in one insert, in file order; returns (ids, codes of the new services).
    """
    sid = plan["service_id"].to_numpy(dtype="float64", na_value=np.nan).copy()
    missing = np.flatnonzero(np.isnan(sid))
    if not len(missing):
        return sid.astype(np.int64), []
    codes = plan["code"].astype(str).to_numpy()
    folded: dict[str, str] = {}

    def fold(code: str) -> str:
        key = folded.get(code)
        if key is None:
            key = folded[code] = normalise_code(code)
        return key

    # A service may exist although the plan found none (an institution created above cannot have any,
    # but callers that build records by hand may repeat a service): one query for all the institutions.
    wanted = sorted({int(institution_ids[i]) for i in missing})
    known = {(iid, fold(code)): s for s, iid, code in cur.execute(
        "SELECT service_id, institution_id, code FROM services WHERE institution_id IN (SELECT unnest(?)) "
        "ORDER BY service_id DESC", [wanted]).fetchall()}
    fresh: dict[tuple, int] = {}
    for i in missing:
        key = (int(institution_ids[i]), fold(codes[i]))
        if key in known:
            sid[i] = known[key]
        else:
            fresh.setdefault(key, i)
    new_codes = []
    if fresh:
        first = next_id(cur, "services", "service_id")
        rows = list(fresh.values())
        n = len(rows)
        insert_frame(cur, "services", pd.DataFrame({
            "service_id": np.arange(first, first + n, dtype=np.int64),
            "institution_id": institution_ids[rows].astype(np.int64),
            "code": [codes[i].strip() for i in rows],
            "name_az": pd.array([recs[i].service_name for i in rows], dtype=object),
            "name_en": pd.array([None] * n, dtype=object),
            "audience": pd.array([recs[i].audience or None for i in rows], dtype=object),
            "eu_service": pd.array([None] * n, dtype=object), "created_at": stamp, "created_by_import": import_id}))
        ids = dict(zip(fresh, range(first, first + n)))
        for i in missing:
            key = (int(institution_ids[i]), fold(codes[i]))
            if key in ids:
                sid[i] = ids[key]
        new_codes = [codes[i] for i in rows]
    return sid.astype(np.int64), new_codes


def _changing(kind_plan: pd.DataFrame, records: list) -> tuple[pd.DataFrame, list]:
    """The plan rows of one kind that change something, with their records (file order; joined by position)."""
    keep = np.flatnonzero(kind_plan["status"].isin(["new", "replaced"]).to_numpy())
    return kind_plan.iloc[keep].reset_index(drop=True), [records[i] for i in keep]


def _replaced_ids(plan: pd.DataFrame) -> list[int]:
    return [int(x) for x in plan.loc[plan["status"] == "replaced", "existing_id"]]


def commit_import(st, actor: Actor, parsed: ParsedWorkbook, replace: bool = False, *,
                  open_round: bool = False, illustrative: bool = False, original: bytes | None = None,
                  progress: Report | None = None) -> ImportResult:
    """Store a parsed workbook in one transaction; returns the import id (or None when nothing changed).

    Needs the expert role. A missing round is opened with the file's methodology
    (default: the newest) when the actor is an admin, or when ``open_round`` is
    true: the import pipeline passes it, so that experts open a year's round by
    importing its first file; other callers must open rounds explicitly.
    Raises :class:`ImportConflict` when stored values would be overwritten
    without ``replace`` or when rows of an approved institution would change.

    Set-based: the plan's rows are staged as frames and written with a fixed
    number of statements whatever the size of the file (new institutions, new
    services, revived registry rows, superseded versions, new versions: one
    statement each per kind). ``progress(fraction, stage)`` is told how far the
    commit has come. ``original`` (the file's bytes) is kept with the import (:mod:`store.originals`).
    """
    require(actor, "expert", "import assessments")
    report = progress or (lambda fraction, stage="": None)
    with st.transaction() as cur:
        report(0.0, "progress.import.plan")
        plan = _plan(cur, parsed, replace)
        if plan.identical_file:
            return ImportResult(None, "identical", plan)
        if plan.changes == 0:
            return ImportResult(None, "unchanged", plan)
        if len(plan.conflicts):
            raise ImportConflict(_conflict_message(plan), plan.conflicts)
        report(0.3, "progress.import.write")
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
        stamp = now()
        created = _NewInstitutions(cur, import_id, stamp)

        # Service answers.
        svc_plan, svc_recs = _changing(rows[rows["kind"] == "services"].reset_index(drop=True), parsed.services)
        new_services: list[str] = []
        if len(svc_plan):
            iids = created.resolve(svc_plan["institution_id"], [r.institution_name for r in svc_recs])
            _revive(cur, "institutions", "institution_id", iids, import_id)
            sids, new_services = _service_ids(cur, import_id, stamp, iids, svc_plan, svc_recs)
            _revive(cur, "services", "service_id", sids, import_id)
            width = len(ANSWER_COLUMNS)
            answers = np.zeros((len(svc_recs), width), dtype=np.int8)
            for i, rec in enumerate(svc_recs):
                answers[i, :len(rec.answers)] = rec.answers
            frame = pd.DataFrame({"round_id": rid, "source": plan.source, "service_id": sids,
                                  **{q: answers[:, k] for k, q in enumerate(ANSWER_COLUMNS)},
                                  "comment": pd.array([r.comment or None for r in svc_recs], dtype=object)})
            report(0.5, "progress.import.write")
            _write_versions(cur, "service_answers", "answer_id", frame, _replaced_ids(svc_plan), import_id, stamp)
        report(0.85, "progress.import.write")

        # Coverage.
        cov_plan, cov_recs = _changing(rows[rows["kind"] == "coverage"].reset_index(drop=True), parsed.coverage)
        if len(cov_plan):
            iids = created.resolve(cov_plan["institution_id"], [r.institution_name for r in cov_recs])
            _revive(cur, "institutions", "institution_id", iids, import_id)
            frame = pd.DataFrame({"round_id": rid, "institution_id": iids,
                                  "services_transferable": [int(r.transferable) for r in cov_recs],
                                  "e_services_provided": [int(r.provided) for r in cov_recs]})
            _write_versions(cur, "coverage", "coverage_id", frame, _replaced_ids(cov_plan), import_id, stamp)

        # Infrastructure: one scope per file (national, or the institution the Meta sheet names).
        all_inf = rows[rows["kind"] == "infrastructure"].reset_index(drop=True)
        inf_plan, inf_recs = _changing(all_inf, parsed.infrastructure)
        if len(inf_plan):
            scope_id = None
            if all_inf["institution"].iloc[0] != "national":
                scope_id = int(created.resolve(all_inf["institution_id"].iloc[:1], [meta.scope])[0])
                _revive(cur, "institutions", "institution_id", [scope_id], import_id)
            frame = pd.DataFrame({"round_id": rid, "source": plan.source,
                                  "scope_institution_id": pd.array([scope_id] * len(inf_recs), dtype="Int64"),
                                  "question_id": [str(r.question_id) for r in inf_recs],
                                  "value": [float(r.value) for r in inf_recs]})
            _write_versions(cur, "infrastructure_answers", "answer_id", frame, _replaced_ids(inf_plan), import_id,
                            stamp)

        n_replaced = int((rows["status"] == "replaced").sum())
        record_event(cur, actor, "replace" if n_replaced else "import", round_id=rid, import_id=import_id,
                     detail={"file": parsed.file_name, "source": plan.source, "counts": counts,
                             "new_institutions": created.names, "new_services": new_services})
        report(0.95, "progress.import.write")
    report(1.0, "progress.import.write")
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

"""Writing parsed workbooks: plan, commit (all or nothing) and revert.

Stored values are versions: a new value never overwrites an old one in place.
Committing a replacement marks the superseded row with ``replaced_by_import``;
reverting an import clears that mark again and flags the import as reverted, so
its own rows drop out of every "current value" query while the history stays.

Rounds are opened by an administrator (``store.rounds.open_round``), never by
an import: a file naming a round that does not exist is refused.

Locked data: the values of an institution approved in a round, and the
national infrastructure answers of a published round, are locked. Changing
them, by a new file or by reverting the import that wrote them, is refused for
experts; an administrator may do it with a confirmation and a reason, which
the audit trail records. The public view does not move until the round is
republished (``store.publication``).
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
from .actors import Actor, PermissionDenied, require
from .audit import insert_frame, next_id, now, record_event, to_json
from .errors import Refused
from .registry import (
    name_index,
    normalise_code,
    normalise_name,
)
from .schema import ANSWER_COLUMNS

# Filters shared with store.queries: a row is current when nothing replaced it
# and the import that wrote it still stands.
LIVE_IMPORTS = "(SELECT import_id FROM imports WHERE outcome = 'imported')"
PLAN_COLUMNS = ["kind", "key", "row", "institution_id", "institution", "service_id", "code", "question_id",
                "status", "locked", "reason", "old", "new", "existing_id"]


class ImportConflict(Refused):
    """A commit would overwrite stored values (without ``replace``), touch locked rows or undo used ones.

    Raised with a catalogue ``key`` and its parameters; a plain English
    ``message`` (older callers) is shown as the detail of ``ingest.plan_failed``.
    """

    def __init__(self, message: str | None = None, conflicts: pd.DataFrame | None = None, *,
                 key: str = "ingest.plan_failed", **params):
        if message is not None and not params:
            params = {"detail": message}
        super().__init__(key, **params)
        self.conflicts = conflicts if conflicts is not None else pd.DataFrame(columns=PLAN_COLUMNS)


@dataclass
class ImportPlan:
    """What committing a parsed workbook would do, row by row.

    ``rows`` has one row per record: ``kind`` (services, coverage,
    infrastructure), ``key`` (readable), ``status`` (new, replaced, unchanged),
    ``locked`` and ``reason`` (``replace``, ``locked``, ``closed``) for
    conflicts, ``old``/``new`` values as text. ``conflicts`` holds the rows that
    stop the commit. ``identical_file`` means this very file is already stored.
    ``warnings`` are ``{"code", "params"}`` dicts rendered from the catalogue
    (``ingest.<code>``). ``unlock``: locked rows were let through (an
    administrator's confirmed change, see :func:`commit_import`).
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
    warnings: list[dict] = field(default_factory=list)
    published: bool = False
    unlock: bool = False

    @property
    def locked_changes(self) -> int:
        """Rows that change locked (approved or published) data."""
        return int(self.rows["locked"].sum()) if len(self.rows) else 0

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
    return _answers_text_of(values if isinstance(values, tuple) else tuple(values))


@lru_cache(maxsize=1 << 17)
def _answers_text_of(values: tuple) -> str:
    return " ".join(map(str, map(int, values)))  # at most 2^17 answer patterns; a file repeats them


def _same_comment(a, b) -> bool:
    return (a or None) == (b or None)


def _round_info(cur, label: str):
    return cur.execute("SELECT round_id, methodology_id, status, published FROM rounds WHERE label = ?",
                       [label]).fetchone()


def open_labels(cur) -> str:
    """The open rounds, for messages ("2024, 2025"), or a dash."""
    labels = [r[0] for r in cur.execute("SELECT label FROM rounds WHERE status = 'open' ORDER BY label").fetchall()]
    return ", ".join(labels) or "—"


def _plan(cur, parsed: ParsedWorkbook, replace: bool, unlock: bool = False) -> ImportPlan:
    from scoring import load_methodology

    if parsed.meta is None:
        raise Refused("ingest.meta_missing")
    if parsed.errors:
        raise Refused("ingest.plan_has_errors", count=len(parsed.errors))
    meta = parsed.meta
    label, source = str(meta.round).strip(), (meta.source or "self")
    if source not in ("self", "expert", "form"):
        raise Refused("ingest.meta_bad_source", value=source)
    answer_source = "self" if source == "form" else source
    info = _round_info(cur, label)
    if info is None:
        raise Refused("ingest.round_not_open", value=label, open=open_labels(cur))
    warnings: list[dict] = []
    rid, mid, closed, published = info[0], info[1], info[2] == "closed", bool(info[3])
    if meta.methodology and meta.methodology != mid:
        warnings.append({"code": "methodology_mismatch",
                         "params": {"file": meta.methodology, "round": label, "used": mid}})
    m = load_methodology(mid)
    for rec in parsed.services:
        if len(rec.answers) != m.n_indicators or len(rec.answers) > len(ANSWER_COLUMNS):
            raise Refused("ingest.answers_count_mismatch", row=rec.row, n=len(rec.answers), methodology=mid,
                          m=m.n_indicators)

    identical = cur.execute(
        "SELECT min(import_id) FROM imports WHERE sha256 = ? AND outcome = 'imported'", [parsed.sha256]
    ).fetchone()[0]
    index: dict[str, int] | None = None  # registered names, read only when a record names a new institution

    def names() -> dict[str, int]:
        nonlocal index
        if index is None:
            index = name_index(cur)
        return index

    def inst_id(given: int | None, name: str) -> int | None:
        return given if given is not None else names().get(normalise_name(name))

    # Only the registry rows of the institutions the file names: a file is a few of a country's bodies.
    iids = [inst_id(r.institution_id, r.institution_name) for r in parsed.services]
    cov_iids = [inst_id(r.institution_id, r.institution_name) for r in parsed.coverage]
    wanted = sorted({i for i in (*iids, *cov_iids) if i is not None} | (
        {meta.scope_institution_id} if meta.scope_institution_id is not None else set()))
    folded: dict[str, str] = {}  # codes repeat across institutions (7.1 …): fold each distinct code once
    service_ids = {(i, folded.get(c) or folded.setdefault(c, normalise_code(c))): s
                   for s, i, c in cur.execute(
                       "SELECT service_id, institution_id, code FROM services "
                       "WHERE institution_id IN (SELECT unnest(?)) ORDER BY service_id DESC",
                       [sorted({i for i in iids if i is not None})]).fetchall()} if parsed.services else {}
    locked = {r[0] for r in cur.execute(
        "SELECT institution_id FROM review_states WHERE round_id = ? AND state = 'approved'", [rid]).fetchall()}

    registered = dict(cur.execute("SELECT institution_id, name_az FROM institutions "
                                  "WHERE institution_id IN (SELECT unnest(?))", [wanted]).fetchall())

    def shown(iid: int | None, name: str) -> str:
        return registered.get(iid, name) if iid is not None else name

    rows: list[dict] = []

    def add(kind, key, row, iid, iname, status, old, new, existing_id, service_id=None, code=None, qid=None):
        rows.append({"kind": kind, "key": key, "row": row, "institution_id": iid, "institution": iname,
                     "service_id": service_id, "code": code, "question_id": qid, "status": status,
                     "old": old, "new": new, "existing_id": existing_id})

    if parsed.services:
        current = {}
        q = ", ".join(ANSWER_COLUMNS[: m.n_indicators])
        for r in cur.execute(
            f"SELECT service_id, answer_id, comment, {q} FROM service_answers WHERE round_id = ? AND source = ? "
            f"AND replaced_by_import IS NULL AND import_id IN {LIVE_IMPORTS}", [rid, answer_source]).fetchall():
            current[r[0]] = (r[1], r[2], tuple(r[3:]))
        for rec, iid in zip(parsed.services, iids):
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
            add("services", f"{shown(iid, rec.institution_name)} › {code}", rec.row, iid,
                shown(iid, rec.institution_name), status, old, new, existing, sid, code)

    if parsed.coverage:
        current = {}
        for r in cur.execute(
            "SELECT institution_id, coverage_id, services_transferable, e_services_provided FROM coverage "
            f"WHERE round_id = ? AND replaced_by_import IS NULL AND import_id IN {LIVE_IMPORTS}", [rid]).fetchall():
            current[r[0]] = (r[1], r[2], r[3])
        for rec, iid in zip(parsed.coverage, cov_iids):
            new = f"{int(rec.transferable)}/{int(rec.provided)}"
            cur_row = current.get(iid) if iid is not None else None
            if cur_row is None:
                status, old, existing = "new", None, None
            else:
                old = f"{cur_row[1]}/{cur_row[2]}"
                status, existing = ("unchanged" if old == new else "replaced"), cur_row[0]
            add("coverage", shown(iid, rec.institution_name), rec.row, iid, shown(iid, rec.institution_name), status,
                old, new, existing)

    if parsed.infrastructure:
        scope_name = meta.scope if meta.scope and str(meta.scope).strip().lower() != "national" else None
        scope_id = meta.scope_institution_id
        if scope_id is None and scope_name:
            scope_id = names().get(normalise_name(scope_name))
        current = {}
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
    # Locked: an approved institution's values; national infrastructure (no review of its own) once published.
    national = (df["kind"] == "infrastructure") & df["institution_id"].isna()
    df["locked"] = changing & (df["institution_id"].isin(locked) | (national & published))
    reason = pd.Series([None] * len(df), index=df.index, dtype=object)
    if not replace:
        reason[df["status"] == "replaced"] = "replace"
    if not unlock:
        reason[df["locked"]] = "locked"
    if closed:
        reason[changing] = "closed"
    df["reason"] = reason
    df = df[PLAN_COLUMNS]
    conflicts = df[df["reason"].notna()].reset_index(drop=True)
    return ImportPlan(
        file_name=parsed.file_name, sha256=parsed.sha256, round_label=label, source=source, methodology_id=mid,
        round_exists=True, replace=bool(replace), rows=df, conflicts=conflicts,
        identical_file=identical is not None, identical_import_id=identical, warnings=warnings,
        published=published, unlock=bool(unlock),
    )


def plan_import(st, parsed: ParsedWorkbook, replace: bool = False, unlock: bool = False) -> ImportPlan:
    """Compare a parsed workbook with the stored current values; writes nothing.

    Raises :class:`~store.errors.Refused` when the file cannot be planned at
    all (its round is not open, its answers do not fit the round's methodology).
    ``unlock`` plans an administrator's confirmed change of locked data.
    """
    with st.reading() as cur:
        return _plan(cur, parsed, replace, unlock)


def _conflict(plan: ImportPlan) -> ImportConflict:
    """The refusal for a plan with conflicts, keyed by the weightiest reason (closed, locked, replace)."""
    reasons = set(plan.conflicts["reason"])
    reason = next(r for r in ("closed", "locked", "replace") if r in reasons)
    rows = plan.conflicts[plan.conflicts["reason"] == reason]
    keys = ", ".join(rows["key"].astype(str).head(10)) + ("…" if len(rows) > 10 else "")
    return ImportConflict(None, plan.conflicts, key=f"ingest.conflict_{reason}", n=len(rows), keys=keys,
                          round=plan.round_label)


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
                  unlock_reason: str | None = None, original: bytes | None = None,
                  progress: Report | None = None) -> ImportResult:
    """Store a parsed workbook in one transaction; returns the import id (or None when nothing changed).

    Needs the expert role, and a round an administrator has opened: a file
    naming any other round is refused (:class:`~store.errors.Refused`).
    Raises :class:`ImportConflict` when stored values would be overwritten
    without ``replace``, when the round is closed, or when locked data (an
    approved institution, a published round's national infrastructure) would
    change. An administrator may change locked data by giving ``unlock_reason``
    (the confirmation); the audit event records it.

    Set-based: the plan's rows are staged as frames and written with a fixed
    number of statements whatever the size of the file (new institutions, new
    services, revived registry rows, superseded versions, new versions: one
    statement each per kind). ``progress(fraction, stage)`` is told how far the
    commit has come. ``original`` (the file's bytes) is kept with the import (:mod:`store.originals`).
    """
    _require_importer(actor, parsed)
    unlock = bool(unlock_reason and unlock_reason.strip())
    if unlock:
        require(actor, "admin", "change approved or published data")
    report = progress or (lambda fraction, stage="": None)
    with st.transaction() as cur:
        report(0.0, "progress.import.plan")
        plan = _plan(cur, parsed, replace, unlock)
        if plan.identical_file:
            return ImportResult(None, "identical", plan)
        if plan.changes == 0:
            return ImportResult(None, "unchanged", plan)
        if len(plan.conflicts):
            raise _conflict(plan)
        report(0.3, "progress.import.write")
        meta = parsed.meta
        rid = _round_info(cur, plan.round_label)[0]
        import_id = next_id(cur, "imports", "import_id")
        counts = plan.counts()
        cur.execute(
            "INSERT INTO imports (import_id, file_name, sha256, size, actor, role, \"at\", round_id, source, kinds, counts, "
            "outcome, \"replace\", warnings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'imported', ?, ?)",
            [import_id, parsed.file_name, parsed.sha256, int(parsed.size or 0), actor.name, actor.role, now(), rid,
             plan.source, ",".join(sorted(counts)), to_json(counts), bool(replace),
             to_json([{"code": w.code, "sheet": w.sheet, "row": w.row, "column": w.column, "value": w.value,
                       "params": w.params} for w in parsed.warnings] + list(plan.warnings))],
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
            frame = pd.DataFrame({"round_id": rid, "source": plan.answer_source, "service_id": sids,
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
            frame = pd.DataFrame({"round_id": rid, "source": plan.answer_source,
                                  "scope_institution_id": pd.array([scope_id] * len(inf_recs), dtype="Int64"),
                                  "question_id": [str(r.question_id) for r in inf_recs],
                                  "value": [float(r.value) for r in inf_recs]})
            _write_versions(cur, "infrastructure_answers", "answer_id", frame, _replaced_ids(inf_plan), import_id,
                            stamp)

        n_replaced = int((rows["status"] == "replaced").sum())
        detail = {"file": parsed.file_name, "source": plan.source, "counts": counts,
                  "new_institutions": created.names, "new_services": new_services}
        if plan.locked_changes:
            detail["locked_changed"] = plan.locked_changes
        record_event(cur, actor, "replace" if n_replaced else "import", round_id=rid, import_id=import_id,
                     detail=detail, reason=unlock_reason if plan.locked_changes else None)
        report(0.95, "progress.import.write")
    report(1.0, "progress.import.write")
    return ImportResult(import_id, "imported", plan)


_VERSIONED = {
    "service_answers": "answer_id",
    "infrastructure_answers": "answer_id",
    "coverage": "coverage_id",
    "portal_usage": "usage_id",
}


_TOUCHED = """
    SELECT a.import_id, a.round_id, s.institution_id FROM service_answers a JOIN services s USING (service_id)
    UNION SELECT import_id, round_id, institution_id FROM coverage
    UNION SELECT import_id, round_id, scope_institution_id FROM infrastructure_answers
    WHERE scope_institution_id IS NOT NULL"""


def _lock(cur, import_id: int) -> dict | None:
    """What locks an import's data: institutions approved in its round, a published round's national answers."""
    approved = cur.execute(f"""
        SELECT DISTINCT i.name_az FROM ({_TOUCHED}) t
        JOIN review_states v ON v.round_id = t.round_id AND v.institution_id = t.institution_id AND v.state = 'approved'
        JOIN institutions i ON i.institution_id = t.institution_id
        WHERE t.import_id = ? ORDER BY 1""", [import_id]).fetchall()
    national = cur.execute("""
        SELECT count(*) > 0 FROM infrastructure_answers x JOIN rounds r USING (round_id)
        WHERE x.import_id = ? AND x.scope_institution_id IS NULL AND r.published""", [import_id]).fetchone()[0]
    if not approved and not national:
        return None
    return {"institutions": [r[0] for r in approved], "published_national": bool(national)}


def locked_imports(st) -> set[int]:
    """Imports (still standing) whose data is locked: reverting them needs an administrator and a reason."""
    rows = st.rows(f"""
        SELECT DISTINCT t.import_id FROM ({_TOUCHED}) t
        JOIN review_states v ON v.round_id = t.round_id AND v.institution_id = t.institution_id AND v.state = 'approved'
        WHERE t.import_id IN {LIVE_IMPORTS}
        UNION SELECT DISTINCT x.import_id FROM infrastructure_answers x JOIN rounds r USING (round_id)
        WHERE x.scope_institution_id IS NULL AND r.published AND x.import_id IN {LIVE_IMPORTS}""")
    return {int(r[0]) for r in rows}


def revert_import(st, actor: Actor, import_id: int, reason: str | None = None, *, unlock: bool = False) -> dict[str, int]:
    """Undo an import: its rows disappear from current values, the rows it replaced come back.

    Refused when a later import has already replaced some of its rows (revert
    that one first), or when later imports use an institution or service this
    import created. Needs the expert role. Returns the restored row counts.

    Locked data (an institution approved in the round, a published round's
    national infrastructure): refused for experts; an administrator must
    confirm (``unlock=True``) and give a ``reason``, both recorded in the audit
    event. The public view keeps the published values until republication.
    All refusals are :class:`~store.errors.Refused` with a catalogue key.
    """
    require(actor, "expert", "revert an import")
    import_id = int(import_id)
    with st.transaction() as cur:
        row = cur.execute("SELECT outcome, round_id FROM imports WHERE import_id = ?", [import_id]).fetchone()
        if row is None:
            raise Refused("ingest.revert_unknown", id=import_id)
        if row[0] == "reverted":
            raise Refused("ingest.revert_already", id=import_id)
        later = set()
        for table in _VERSIONED:
            later |= {r[0] for r in cur.execute(
                f"SELECT DISTINCT replaced_by_import FROM {table} WHERE import_id = ? AND replaced_by_import IS NOT NULL",
                [import_id]).fetchall()}
        if later:
            raise ImportConflict(None, key="ingest.revert_superseded", id=import_id,
                                 ids=", ".join(str(i) for i in sorted(later)))
        users = cur.execute(
            "SELECT DISTINCT a.import_id FROM service_answers a JOIN services s USING (service_id) "
            f"WHERE s.created_by_import = ? AND a.import_id <> ? AND a.import_id IN {LIVE_IMPORTS} "
            "UNION SELECT DISTINCT c.import_id FROM coverage c JOIN institutions i USING (institution_id) "
            f"WHERE i.created_by_import = ? AND c.import_id <> ? AND c.import_id IN {LIVE_IMPORTS}",
            [import_id, import_id, import_id, import_id]).fetchall()
        if users:
            raise ImportConflict(None, key="ingest.revert_in_use", id=import_id,
                                 ids=", ".join(str(r[0]) for r in sorted(users)))
        lock = _lock(cur, import_id)
        if lock is not None:
            round_label = cur.execute("SELECT label FROM rounds WHERE round_id = ?", [row[1]]).fetchone()[0]
            what = dict(id=import_id, round=round_label, institutions=", ".join(lock["institutions"]) or "—")
            if not actor.can("admin"):
                raise Refused("ingest.revert_locked", **what)
            if not (unlock and reason and reason.strip()):
                raise Refused("ingest.revert_needs_reason", **what)
        restored = {}
        for table in _VERSIONED:
            n = cur.execute(f"SELECT count(*) FROM {table} WHERE replaced_by_import = ?", [import_id]).fetchone()[0]
            if n:
                cur.execute(f"UPDATE {table} SET replaced_by_import = NULL WHERE replaced_by_import = ?", [import_id])
            restored[table] = int(n)
        cur.execute("UPDATE imports SET outcome = 'reverted', reverted_at = ?, reverted_by = ? WHERE import_id = ?",
                    [now(), actor.name, import_id])
        detail = {"restored": restored}
        if lock is not None:
            detail["locked"] = lock
        record_event(cur, actor, "revert", round_id=row[1], import_id=import_id, detail=detail, reason=reason)
    return restored

"""The import pipeline: safety check → parse → round → plan → commit, one file at a time.

Each file is handled on its own: a refused file writes nothing and does not
stop the others. Every problem comes back as an :class:`ingest.model.Issue`,
one per kind of problem with the cells it covers, rendered from the PO
catalogue, so the app, the command line and the error report say the same
thing in the user's language.

Parsing runs in a bounded child process (:mod:`ingest.sandbox`) and, like
planning, holds no write lock: the database is written once per file, in one
short transaction at the end (which re-checks the plan against what other
writers committed meanwhile). The app's Data page, ``cli.py import`` and the
online form's uploads all come through here, so they share those limits. The
original bytes of every imported file are kept with the import (see
:mod:`store.originals`).

Rounds: a file must name a round an administrator has opened (its label as
written, or written differently but folding to exactly one round, with a
warning). No import opens a round. Locked data (approved institutions, a
published round's national infrastructure) is changed only by an
administrator who gives ``unlock_reason``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from store import queries
from store.actors import Actor, require
from store.db import StoreBusy
from store.errors import Refused
from store.imports import ImportConflict, commit_import, plan_import

from .issues import IssueCollector
from .messages import location, text
from .model import Issue, ParsedWorkbook
from .progress import Report, part
from .registry import Registry
from .rounds import match_round
from .safety import check_container
from .sandbox import prestart, read_workbook

STATUSES = ("imported", "unchanged", "rejected", "dry-run", "conflict", "busy")
ERROR_COLUMNS = ["file", "sheet", "cells", "row", "column", "value", "message"]
SHEETS = {"services": "Services", "coverage": "Coverage", "infrastructure": "Infrastructure"}


def issue_text(issue: Issue, lang: str = "az") -> str:
    """The message of an issue without its location (reports print the location apart)."""
    return text(issue.code, lang, **issue.params)


def issue_location(issue: Issue, lang: str = "az") -> str:
    """Where an issue is, as the message prefix says it: sheet and cells (or row and column)."""
    p = issue.params
    return location(lang, p.get("sheet", issue.sheet), p.get("row", issue.row), p.get("column", issue.column),
                    p.get("cells"), p.get("n_cells"))


def issues_frame(issues: list[Issue], lang: str = "az") -> pd.DataFrame:
    """Issues as a table: file, sheet, cells, row, column, value, message (the message without location)."""
    rows = [{"file": i.file, "sheet": i.params.get("sheet", i.sheet), "cells": i.params.get("cells"),
             "row": i.row, "column": i.column, "value": None if i.value is None else str(i.value),
             "message": issue_text(i, lang)} for i in issues]
    df = pd.DataFrame(rows, columns=ERROR_COLUMNS)
    df["row"] = df["row"].astype("Int64")
    return df


@dataclass
class ImportOutcome:
    """What happened to one file. ``plan`` has one row per record (see ``store.imports.ImportPlan``).

    ``parsed`` is what the reader made of the file (for the preview and the
    annotated copy). ``lockable``: the file is refused only because it changes
    locked data, which an administrator may do with a reason. ``locked_changes``
    counts the locked values an administrator's import changes.
    """

    file_name: str
    status: str
    import_id: int | None = None
    plan: pd.DataFrame | None = None
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    round_label: str | None = None
    source: str | None = None
    identical_file: bool = False
    methodology_id: str | None = None
    parsed: ParsedWorkbook | None = None
    lockable: bool = False
    locked_changes: int = 0

    @property
    def ok(self) -> bool:
        """True when nothing went wrong (imported, unchanged or a clean dry run)."""
        return self.status in ("imported", "unchanged", "dry-run")

    @property
    def issues(self) -> list[Issue]:
        return [*self.errors, *self.warnings]

    def errors_frame(self, lang: str = "az") -> pd.DataFrame:
        return issues_frame(self.errors, lang)

    def warnings_frame(self, lang: str = "az") -> pd.DataFrame:
        return issues_frame(self.warnings, lang)

    def preview(self, lang: str = "az", store=None) -> dict[str, pd.DataFrame]:
        """What would be stored, per sheet kind, as tables in ``lang`` (see :mod:`ingest.preview`).

        ``store``: read the round's methodology as stored (else from the methodology files).
        """
        from .preview import preview_frames

        if self.plan is None or self.parsed is None or self.methodology_id is None:
            return {}
        m = queries.methodology(store, self.methodology_id) if store is not None else self.methodology_id
        return preview_frames(self.parsed, self.plan, m, lang)


def _issues(file_name: str) -> IssueCollector:
    return IssueCollector(file_name)


def _check_round(store, parsed: ParsedWorkbook) -> None:
    """The Meta round must name an open round; a label written differently is read with a warning."""
    meta = parsed.meta
    if meta is None:
        return
    status = queries.round_statuses(store)
    open_ = ", ".join(sorted(k for k, v in status.items() if v == "open")) or "—"
    cell = meta.cells.get("round")
    row = int(cell[1:]) if cell and cell[1:].isdigit() else None
    where = dict(sheet=meta.sheet, row=row, column="B" if row else None, cell=cell)
    out = _issues(parsed.file_name)
    label, how = match_round(meta.round, status)
    if label is None:
        out.add("round_not_open", value=str(meta.round).strip(), open=open_, **where)
    elif status[label] != "open":
        out.add("round_closed", value=str(meta.round).strip(), round=label, open=open_, **where)
    else:
        if how != "exact":
            out.warn("round_label_read", written=str(meta.round), round=label, **where)
        meta.round = label
    errors, warnings = out.issues()
    parsed.errors.extend(errors)
    parsed.warnings.extend(warnings)


def _refusal(parsed: ParsedWorkbook, exc: Refused) -> Issue:
    """A store refusal as an issue of the file (codes of the ``ingest.`` area keep their own text)."""
    out = _issues(parsed.file_name)
    if exc.key.startswith("ingest."):
        out.add(exc.code, **exc.params)
    else:
        out.add("plan_failed", detail=exc.message("en"))
    return out.issues()[0][0]


def _cells_of(parsed: ParsedWorkbook) -> dict[tuple[str, int], str]:
    """(kind, row) → A1 reference of the record's key cell, to locate stored-data conflicts."""
    out = {}
    for kind, records in (("services", parsed.services), ("coverage", parsed.coverage),
                          ("infrastructure", parsed.infrastructure)):
        for rec in records:
            if rec.cell:
                out[(kind, rec.row)] = rec.cell
    return out


def _conflict_issues(parsed: ParsedWorkbook, plan) -> list[Issue]:
    """One issue per reason and sheet: the values that stop the commit, with their cells."""
    out = _issues(parsed.file_name)
    cells = _cells_of(parsed)
    for (reason, kind), rows in plan.conflicts.groupby(["reason", "kind"], sort=False):
        keys = ", ".join(rows["key"].astype(str).head(10)) + ("…" if len(rows) > 10 else "")
        sheet = parsed.sheet_names.get(SHEETS.get(kind, kind), SHEETS.get(kind, kind))
        for r in rows.itertuples(index=False):
            row = None if pd.isna(r.row) else int(r.row)
            out.add(f"conflict_{reason}", sheet=sheet, row=row, cell=cells.get((kind, row)), n=len(rows), keys=keys,
                    round=plan.round_label)
    return out.issues()[0]


def _plan_frame(plan) -> pd.DataFrame:
    return plan.rows.drop(columns=["existing_id"]).reset_index(drop=True)


def import_files(
    store,
    files: list[tuple[str, bytes]],
    actor: Actor,
    *,
    dry_run: bool = False,
    replace: bool = False,
    add_institutions: bool = False,
    lang: str = "az",
    progress: Callable[[int, int, str], None] | None = None,
    unlock_reason: str | None = None,
    report: Report | None = None,
    trusted: bool = False,
) -> list[ImportOutcome]:
    """Check and import workbooks; one :class:`ImportOutcome` per file, in order.

    ``dry_run`` parses and plans but writes nothing (any role may check files).
    ``replace`` allows overwriting stored values (the old ones stay in the
    history). ``add_institutions`` registers unknown institution names instead
    of refusing them. ``unlock_reason`` (administrators only) lets the files
    change locked data; it is the confirmation and goes into the audit trail.
    ``progress(done, total, file_name)`` is called before each file and once at
    the end with ``done == total``. ``lang`` is accepted for symmetry with the
    interface; texts are rendered later from the issues.
    ``report(fraction, stage)`` follows the whole batch stage by stage (each
    file its share; within a file: checks, reading, planning, writing), for a
    progress bar with an estimate of the time left (``ingest.progress``).
    ``trusted`` reads the files in this process instead of the bounded child
    (only for bytes this program generated itself, e.g. benchmarks).
    When another process holds the database past the lease's wait, the file
    at hand and the rest come back as ``busy`` (nothing of them written;
    files before it keep their outcome): "busy, try again".
    """
    if not dry_run:
        require(actor, "expert", "import files")
    unlock = (unlock_reason or "").strip() or None
    if unlock:
        require(actor, "admin", "change approved or published data")
    outcomes: list[ImportOutcome] = []
    total = len(files)
    busy: StoreBusy | None = None
    for k, (name, data) in enumerate(files):
        if progress:
            progress(k, total, name)
        if busy is None:
            try:
                outcomes.append(_one(store, name, bytes(data or b""), actor, dry_run, replace, add_institutions,
                                     unlock, trusted, part(report, k / total, (k + 1) / total)))
                continue
            except StoreBusy as exc:  # another process held the database past the wait: stop here
                busy = exc
        outcomes.append(ImportOutcome(name, "busy", errors=[Issue(name, None, None, None, None, "store_busy", {})]))
    if progress:
        progress(total, total, "")
    if report:
        report(1.0, "progress.import.write" if not dry_run else "progress.import.plan")
    return outcomes


def read_file(store, name: str, data: bytes, add_institutions: bool = False, trusted: bool = False,
              tell=None):
    """Safety check and parse one file (in the bounded reader): ``(parsed or None, errors, warnings)``; writes nothing.

    The one way into the reader for the Data page, the command line and the
    online form's workbook upload (``store.collection.load_workbook``).
    ``tell(fraction, stage)``: told when the checks are done and reading starts.
    """
    data = bytes(data or b"")
    issues = check_container(data, name)
    errors = [i for i in issues if i.severity == "error"]
    if errors:
        return None, errors, [i for i in issues if i.severity != "error"]
    if tell:
        tell(_STAGES["check"], "progress.import.read")
    if not trusted:
        prestart()  # a cold fork server imports the reader meanwhile, on the other core
    # The registry is rebuilt per file: an earlier file of the batch may have added institutions.
    registry = Registry.from_rows(*queries.registry_rows(store))
    parsed = read_workbook(data, name, registry, trusted=trusted, add_institutions=add_institutions)
    warnings = [i for i in issues if i.severity != "error"] + list(parsed.warnings)
    return parsed, list(parsed.errors), warnings


# Shares of one file's work (measured: reading dominates, then writing), so that the estimate holds.
_STAGES = {"check": 0.02, "read": 0.55, "plan": 0.7}  # fractions reached at the end of each stage
_STAGES_DRY = {"check": 0.02, "read": 0.75, "plan": 1.0}


def _one(store, name: str, data: bytes, actor: Actor, dry_run: bool, replace: bool, add_new: bool,
         unlock: str | None, trusted: bool = False, report: Report | None = None) -> ImportOutcome:
    stages = _STAGES_DRY if dry_run else _STAGES
    tell = report or (lambda fraction, stage="": None)
    tell(0.0, "progress.import.check")
    parsed, errors, warnings = read_file(store, name, data, add_new, trusted, tell=tell)
    if parsed is None:
        return ImportOutcome(name, "rejected", errors=errors, warnings=warnings)
    seen = len(parsed.warnings)
    _check_round(store, parsed)  # may add errors, and warnings (a round label read as written)
    warnings += list(parsed.warnings)[seen:]
    tell(stages["read"], "progress.import.plan")
    meta = parsed.meta
    base = dict(round_label=meta.round if meta else None, source=meta.source if meta else None, parsed=parsed)
    if parsed.errors:
        return ImportOutcome(name, "rejected", errors=list(parsed.errors), warnings=warnings, **base)
    try:
        plan = plan_import(store, parsed, replace, unlock=bool(unlock))
    except Refused as exc:
        return ImportOutcome(name, "rejected", errors=[_refusal(parsed, exc)], warnings=warnings, **base)
    notes = _issues(name)
    for w in plan.warnings:
        notes.warn(w["code"], **w["params"])
    if unlock and plan.locked_changes:
        notes.warn("locked_unlocked", n=plan.locked_changes)
    warnings += notes.issues()[1]
    out = ImportOutcome(name, "dry-run", plan=_plan_frame(plan), warnings=warnings, identical_file=plan.identical_file,
                        methodology_id=plan.methodology_id, locked_changes=plan.locked_changes, **base)
    if plan.nothing_to_do:
        out.status = "unchanged"
        return out
    if len(plan.conflicts):
        reasons = set(plan.conflicts["reason"])
        out.status, out.errors = "conflict", _conflict_issues(parsed, plan)
        out.lockable = "locked" in reasons and "closed" not in reasons
        return out
    if dry_run:
        return out
    try:
        # No import opens a round (issue 10 §7): the round was checked above and is re-checked in the commit.
        result = commit_import(store, actor, parsed, replace, unlock_reason=unlock, original=data,
                               progress=part(report, stages["read"], 1.0))
    except ImportConflict:  # another writer got there between plan and commit
        out.status = "conflict"
        out.errors = [_refusal(parsed, Refused("ingest.conflict_race"))]
        return out
    except Refused as exc:
        out.status = "rejected"
        out.errors = [_refusal(parsed, exc)]
        return out
    out.plan = _plan_frame(result.plan)
    out.import_id = result.import_id
    out.status = "imported" if result.import_id is not None else "unchanged"
    return out

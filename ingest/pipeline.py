"""The import pipeline: safety check → parse → plan → commit, one file at a time.

Each file is handled on its own: a refused file writes nothing and does not
stop the others. Every problem comes back as an :class:`ingest.model.Issue`
so the command line and the app report them the same way.

Parsing runs in a bounded child process (:mod:`ingest.sandbox`) and, like
planning, holds no write lock: the database is written once per file, in one
short transaction at the end (which re-checks the plan against what other
writers committed meanwhile). The app's Data page, ``cli.py import`` and the
online form's uploads all come through here, so they share those limits. The
original bytes of every imported file are kept with the import (see
:mod:`store.originals`).

Who may open a round: :func:`store.imports.commit_import` lets only admins open
a missing round, except through this pipeline, which passes ``open_round=True``:
an expert importing the first file of a new year opens that year's round with
the file's methodology version. Everything else about rounds stays with admins.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from store import queries
from store.actors import Actor, require
from store.db import StoreBusy
from store.imports import ImportConflict, commit_import, plan_import

from .messages import MESSAGES, location, render
from .model import Issue
from .registry import Registry
from .safety import check_container
from .sandbox import read_workbook

STATUSES = ("imported", "unchanged", "rejected", "dry-run", "conflict", "busy")
ERROR_COLUMNS = ["file", "sheet", "row", "column", "value", "message"]
SHEETS = {"services": "Services", "coverage": "Coverage", "infrastructure": "Infrastructure"}

# Texts for what the pipeline itself reports (conflicts with stored data) live in
# the catalogue beside the reader's, under ``ingest.<code>``.
PIPELINE_MESSAGES = MESSAGES


@dataclass(frozen=True)
class PipelineIssue(Issue):
    """An issue raised by the pipeline (not the reader); renders from :data:`PIPELINE_MESSAGES`."""

    def message(self, lang: str = "az") -> str:
        text = render(self.code, lang, **{k: v for k, v in self.params.items() if k not in ("sheet", "row", "column")})
        where = location(lang if lang in ("az", "en") else "en", self.sheet, self.row, self.column)
        return f"{where}: {text}" if where else text


def issue_text(issue: Issue, lang: str = "az") -> str:
    """The message of an issue without its location prefix (reports print the location apart)."""
    text = issue.message(lang) if isinstance(issue, PipelineIssue) else render(issue.code, lang, **issue.params)
    where = location(lang if lang in ("az", "en") else "en", issue.params.get("sheet", issue.sheet),
                     issue.params.get("row", issue.row), issue.params.get("column", issue.column))
    if where and text.startswith(where + ": "):
        text = text[len(where) + 2:]
    return text


def issues_frame(issues: list[Issue], lang: str = "az") -> pd.DataFrame:
    """Issues as a table: file, sheet, row, column, value, message."""
    rows = [{"file": i.file, "sheet": i.sheet, "row": i.row, "column": i.column,
             "value": None if i.value is None else str(i.value), "message": issue_text(i, lang)} for i in issues]
    df = pd.DataFrame(rows, columns=ERROR_COLUMNS)
    df["row"] = df["row"].astype("Int64")
    return df


@dataclass
class ImportOutcome:
    """What happened to one file. ``plan`` has one row per record (see ``store.imports.ImportPlan``)."""

    file_name: str
    status: str
    import_id: int | None = None
    plan: pd.DataFrame | None = None
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    round_label: str | None = None
    source: str | None = None
    identical_file: bool = False

    @property
    def ok(self) -> bool:
        """True when nothing went wrong (imported, unchanged or a clean dry run)."""
        return self.status in ("imported", "unchanged", "dry-run")

    def errors_frame(self, lang: str = "az") -> pd.DataFrame:
        return issues_frame(self.errors, lang)

    def warnings_frame(self, lang: str = "az") -> pd.DataFrame:
        return issues_frame(self.warnings, lang)


def _conflict_issues(file_name: str, plan, lang_round: str) -> list[Issue]:
    out = []
    for r in plan.conflicts.itertuples(index=False):
        code = {"replace": "conflict_replace", "locked": "conflict_locked", "closed": "conflict_closed"}[r.reason]
        row = None if pd.isna(r.row) else int(r.row)
        out.append(PipelineIssue(
            file=file_name, sheet=SHEETS.get(r.kind, r.kind), row=row, column=None, value=r.new, code=code,
            params={"key": r.key, "old": r.old, "new": r.new, "round": lang_round}))
    return out


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
    trusted: bool = False,
) -> list[ImportOutcome]:
    """Check and import workbooks; one :class:`ImportOutcome` per file, in order.

    ``dry_run`` parses and plans but writes nothing (any role may check files).
    ``replace`` allows overwriting stored values (the old ones stay in the
    history). ``add_institutions`` registers unknown institution names instead
    of refusing them. ``progress(done, total, file_name)`` is called before each
    file and once at the end with ``done == total``. ``lang`` is accepted for
    symmetry with the interface; texts are rendered later from the issues.
    ``trusted`` reads the files in this process instead of the bounded child
    (only for bytes this program generated itself, e.g. benchmarks).
    When another process holds the database past the lease's wait, the file
    at hand and the rest come back as ``busy`` (nothing of them written;
    files before it keep their outcome): "busy, try again".
    """
    if not dry_run:
        require(actor, "expert", "import files")
    outcomes: list[ImportOutcome] = []
    total = len(files)
    busy: StoreBusy | None = None
    for k, (name, data) in enumerate(files):
        if progress:
            progress(k, total, name)
        if busy is None:
            try:
                outcomes.append(_one(store, name, bytes(data or b""), actor, dry_run, replace, add_institutions,
                                     trusted))
                continue
            except StoreBusy as exc:  # another process held the database past the wait: stop here
                busy = exc
        outcomes.append(ImportOutcome(name, "busy", errors=[PipelineIssue(
            name, None, None, None, None, "store_busy", {})]))
    if progress:
        progress(total, total, "")
    return outcomes


def read_file(store, name: str, data: bytes, add_institutions: bool = False, trusted: bool = False):
    """Safety check and parse one file (in the bounded reader): ``(parsed or None, errors, warnings)``; writes nothing.

    The one way into the reader for the Data page, the command line and the
    online form's workbook upload (``store.collection.load_workbook``).
    """
    data = bytes(data or b"")
    issues = check_container(data, name)
    errors = [i for i in issues if i.severity == "error"]
    if errors:
        return None, errors, [i for i in issues if i.severity != "error"]
    # The registry is rebuilt per file: an earlier file of the batch may have added institutions.
    registry = Registry.from_frames(*queries.registry_frames(store))
    parsed = read_workbook(data, name, registry, trusted=trusted, add_institutions=add_institutions)
    warnings = [i for i in issues if i.severity != "error"] + list(parsed.warnings)
    return parsed, list(parsed.errors), warnings


def _one(store, name: str, data: bytes, actor: Actor, dry_run: bool, replace: bool, add_new: bool,
         trusted: bool = False) -> ImportOutcome:
    parsed, errors, warnings = read_file(store, name, data, add_new, trusted)
    if parsed is None:
        return ImportOutcome(name, "rejected", errors=errors, warnings=warnings)
    meta = parsed.meta
    base = dict(round_label=meta.round if meta else None, source=meta.source if meta else None)
    if parsed.errors:
        return ImportOutcome(name, "rejected", errors=list(parsed.errors), warnings=warnings, **base)
    try:
        plan = plan_import(store, parsed, replace)
    except (ValueError, LookupError) as exc:
        err = PipelineIssue(name, None, None, None, None, "plan_failed", {"detail": str(exc)})
        return ImportOutcome(name, "rejected", errors=[err], warnings=warnings, **base)
    warnings += [PipelineIssue(name, None, None, None, None, "store_warning", {"detail": w}, severity="warning")
                 for w in plan.warnings]
    out = ImportOutcome(name, "dry-run", plan=_plan_frame(plan), warnings=warnings,
                        identical_file=plan.identical_file, **base)
    if plan.nothing_to_do:
        out.status = "unchanged"
        return out
    if len(plan.conflicts):
        out.status, out.errors = "conflict", _conflict_issues(name, plan, plan.round_label)
        return out
    if dry_run:
        return out
    try:
        result = commit_import(store, actor, parsed, replace, open_round=True, original=data)
    except ImportConflict as exc:  # another writer got there between plan and commit
        out.status = "conflict"
        out.errors = [PipelineIssue(name, None, None, None, None, "plan_failed", {"detail": str(exc)})]
        return out
    out.plan = _plan_frame(result.plan)
    out.import_id = result.import_id
    out.status = "imported" if result.import_id is not None else "unchanged"
    return out

"""Collecting problems found in a file as one message per kind of problem.

A sender who misspelt ``bəli`` in 68 cells needs one message naming the 68
cells (``E4:U7``), not 68 messages. :class:`IssueCollector` receives problems
cell by cell and groups them: problems with the same code, sheet and
identifying parameters (usually the value found) become one
:class:`~ingest.model.Issue` whose ``cells`` lists every cell and whose
``params["cells"]`` shows them as ranges. The reader, the pipeline and the
annotated copy all work from these grouped issues, so the app, the command
line and the error report say the same thing.
"""

from __future__ import annotations

from .cells import cell_ranges, row_ranges, show
from .model import Issue

MAX_GROUPS = 1000  # past this, one summary issue: nobody reads 10 000 messages
MAX_CELLS = 10_000  # cells remembered per issue (for the annotated copy); the count goes on
MAX_VALUES = 5  # distinct values quoted in one message

LOCATION = ("sheet", "row", "column")

# Parameters that vary from cell to cell within one kind of problem. By default
# every other parameter, the value found included, identifies the problem: two
# different misspellings are two messages, the same misspelling in 68 cells one.
VARYING: dict[str, tuple[str, ...]] = {
    "formula": ("value", "formula"),
    "missing_answer": ("value",),
    "missing_value": ("value",),
    "code_is_date": ("value",),
    "code_text_date": ("value",),
    "invisible_removed": ("value",),
    "rows_skipped_header": ("value",),
    "rows_skipped_totals": ("value",),
    "rows_skipped_numbering": ("value",),
    "rows_skipped_component": ("value",),
    "rows_skipped_note": ("value",),
    "rows_skipped_repeated_header": ("value",),
    "new_service": ("value",),
    "percent_range": ("value",),
    "bad_count": ("value",),
    "negative_count": ("value",),
    "provided_gt_transferable": ("value", "provided", "transferable"),
    "duplicate_service": ("row",),
    "duplicate_institution": ("row",),
    "duplicate_question": ("row",),
    "code_zero_dropped": ("row",),
    "merged_filled": ("value", "range"),
    "hidden_columns": ("value",),
    "bad_percent": (),
}


def _frozen(value: object) -> object:
    if isinstance(value, dict):
        return tuple(sorted((str(k), _frozen(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple, set)):
        return tuple(_frozen(v) for v in value)
    return value if isinstance(value, (str, int, float, bool, type(None))) else repr(value)


class _Group:
    __slots__ = ("code", "severity", "sheet", "row", "column", "value", "params", "cells", "rows", "values", "count")

    def __init__(self, code, severity, sheet, row, column, value, params):
        self.code, self.severity, self.sheet = code, severity, sheet
        self.row, self.column, self.value, self.params = row, column, value, params
        self.cells: list[str] = []
        self.rows: set[int] = set()
        self.values: list[str] = []
        self.count = 0


class IssueCollector:
    """Receives problems one cell at a time; :meth:`issues` returns them grouped, in order of first appearance."""

    def __init__(self, file_name: str):
        self.file_name = file_name
        self._groups: dict[tuple, _Group] = {}
        self._dropped = 0
        # Cells already explained by a problem that makes their value unknowable (a formula): other
        # problems found in them would only repeat it.
        self.explained: set[tuple[str | None, str]] = set()

    def add(self, code: str, sheet: str | None = None, row: int | None = None, column: str | None = None,
            value: object = None, severity: str = "error", cell: str | None = None, **params) -> None:
        """One problem: ``cell`` is its A1 reference on ``sheet`` (for ranges and the annotated copy)."""
        if cell is not None and (sheet, cell) in self.explained:
            return
        if value is not None and "value" not in params:
            params["value"] = show(value)
        varying = VARYING.get(code, ())
        ident = tuple(sorted((k, v if isinstance(v, (str, int, float, bool, type(None))) else _frozen(v))
                             for k, v in params.items() if k not in varying and k not in LOCATION))
        key = (severity, code, sheet, ident)
        group = self._groups.get(key)
        if group is None:
            if len(self._groups) >= MAX_GROUPS:
                self._dropped += severity == "error"
                return
            shown = value if isinstance(value, (str, int, float, bool)) or value is None else show(value)
            group = self._groups[key] = _Group(code, severity, sheet, row, column, shown, dict(params))
        group.count += 1
        if cell and len(group.cells) < MAX_CELLS:
            group.cells.append(cell)
        if row is not None:
            group.rows.add(row)
        if "value" in params and len(group.values) <= MAX_VALUES and params["value"] not in group.values:
            group.values.append(params["value"])

    def warn(self, code: str, **kw) -> None:
        self.add(code, severity="warning", **kw)

    @property
    def has_errors(self) -> bool:
        return any(g.severity == "error" for g in self._groups.values())

    def issues(self) -> tuple[list[Issue], list[Issue]]:
        """(errors, warnings), each problem kind once with all its cells."""
        errors: list[Issue] = []
        warnings: list[Issue] = []
        for g in self._groups.values():
            params = dict(g.params)
            for key, val in (("sheet", g.sheet), ("row", g.row), ("column", g.column)):
                if val is not None:
                    params[key] = val
            params["n_cells"] = g.count
            if g.rows:
                params["rows"] = row_ranges(g.rows | ({params["first_row"]} if isinstance(params.get("first_row"), int)
                                                      else set()))
            if g.values:
                quoted = ", ".join(f"«{v}»" for v in g.values[:MAX_VALUES])
                params["values"] = quoted + (" …" if len(g.values) > MAX_VALUES else "")
            if g.cells:
                params["cells"] = cell_ranges(g.cells)
            issue = Issue(file=self.file_name, sheet=g.sheet, row=g.row, column=g.column, value=g.value, code=g.code,
                          params=params, severity=g.severity, cells=tuple(g.cells))
            (errors if g.severity == "error" else warnings).append(issue)
        if self._dropped:
            errors.append(Issue(self.file_name, None, None, None, self._dropped, "too_many_issues",
                                {"count": self._dropped}))
        return errors, warnings

"""The institution's own exchange workbook, prefilled from its draft, to fill offline and upload again.

It is the ordinary self-assessment template (``ingest.templates``) of the
round's methodology with the Meta round set, one Services row per service of
the draft (answers as yes/no words, empty where not answered yet, the service
comment) and a Coverage sheet with the institution's figures, so the very
reader every workbook goes through reads it back.
"""

from __future__ import annotations

import io

from openpyxl import load_workbook

from ingest.registry import Registry
from ingest.templates import AUDIENCE, FIRST_DATA_ROW, LIST_SHEET, YES_NO, _coverage, build_template

from .model import Draft


def _text_cell(ws, row: int, col: int, value) -> None:
    """Write a value; text is always text, never a formula (a name may begin with '=')."""
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def prefilled_workbook(m, registry: Registry | None, draft: Draft, lang: str) -> bytes:
    """An .xlsx of the ``self`` template holding the draft's answers and coverage figures."""
    data = build_template("self", lang, m, registry, draft.round_label)
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Services"]
    yes, no = YES_NO[lang]
    audiences = dict(zip(("citizen", "business"), AUDIENCE[lang]))
    row = FIRST_DATA_ROW
    for it in draft.live_items:
        if it.not_applicable:
            continue  # the exchange format has no "not applicable": such services are left out
        values = [draft.institution_name, it.code, it.name, audiences.get(it.audience or "")]
        values += [None if a is None else (yes if a == 1 else no) for a in it.answers]
        values.append(it.note)
        for col, v in enumerate(values, start=1):
            _text_cell(ws, row, col, v)
        row += 1
    names_range = None
    if LIST_SHEET in wb.sheetnames:
        names_range = f"{LIST_SHEET}!$A$2:$A${wb[LIST_SHEET].max_row}"
    _coverage(wb, lang, names_range)
    cov = wb["Coverage"]
    _text_cell(cov, FIRST_DATA_ROW, 1, draft.institution_name)
    if draft.coverage is not None:
        cov.cell(row=FIRST_DATA_ROW, column=2, value=draft.coverage.transferable)
        cov.cell(row=FIRST_DATA_ROW, column=3, value=draft.coverage.provided)
    if LIST_SHEET in wb.sheetnames:
        wb.move_sheet(LIST_SHEET, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(LIST_SHEET))
    wb.active = wb.sheetnames.index("Services")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

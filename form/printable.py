"""The printable form, blank or filled, as an Excel workbook laid out for paper.

One sheet, A4 landscape, fitted to the page width: a head with the
institution, the round and its deadline; the coverage figures; then one block
per service (a page each) with its questions grouped by level, a box for yes
and for no, the comment and the evidence link. A blank form keeps the boxes
empty and adds one block for a service the institution would propose.
"""

from __future__ import annotations

import datetime as _dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.pagebreak import Break

from l10n import fmt_date, fmt_datetime, t

from .model import Draft, DraftItem
from .questions import Questionnaire

CHECKED, EMPTY = "☒", "☐"
_THIN = Side(style="thin", color="9E9E9E")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD = PatternFill("solid", fgColor="1F4E79")
_LEVEL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTRE = Alignment(horizontal="center", vertical="top")
WIDTHS = {"A": 5, "B": 70, "C": 7, "D": 7, "E": 34, "F": 34}


def _text(ws, row: int, column: int, value):
    """Write a cell; text stays text exactly as typed, never a formula (a name may begin with '=')."""
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def _line(ws, row: int, values: list, *, bold: bool = False, fill=None, font=None) -> None:
    for col, v in enumerate(values, start=1):
        cell = _text(ws, row, col, v)
        cell.alignment = _CENTRE if col in (1, 3, 4) else _WRAP
        if bold:
            cell.font = Font(bold=True)
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill


def _service_block(ws, row: int, q: Questionnaire, it: DraftItem | None, lang: str, blank: bool) -> int:
    title = (f"{it.code} — {it.title(lang)}" if it is not None else t("form.print.new_service", lang))
    _text(ws, row, 1, title).font = Font(bold=True, size=12)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
    row += 1
    if it is not None and not blank:
        state = t(f"form.state.{it.state}", lang)
        extra = ""
        if it.not_applicable:
            extra = " · " + t("form.print.not_applicable", lang, reason=it.na_reason or "—")
        _text(ws, row, 1, state + extra).font = Font(italic=True)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
        row += 1
    elif it is None:
        ws.cell(row=row, column=1, value=t("form.print.new_service_fields", lang))
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
        row += 1
    _line(ws, row, ["№", t("form.print.question", lang), t("form.yes", lang), t("form.no", lang),
                    t("form.comment", lang), t("form.evidence", lang)], font=Font(bold=True, color="FFFFFF"),
          fill=_HEAD)
    row += 1
    for level, questions in q.groups():
        ws.cell(row=row, column=1, value=t("form.level_group", lang, level=level, stage=q.stage(level, lang)))
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
        ws.cell(row=row, column=1).fill = _LEVEL
        ws.cell(row=row, column=1).font = Font(bold=True)
        row += 1
        for fq in questions:
            j = fq.number - 1
            answer = None if (blank or it is None) else it.answers[j]
            comment = None if (blank or it is None) else it.comments[j]
            evidence = None if (blank or it is None) else it.evidence[j]
            _line(ws, row, [fq.number, f"{fq.wording(lang)}", CHECKED if answer == 1 else EMPTY,
                            CHECKED if answer == 0 else EMPTY, comment, evidence])
            for col in range(1, 7):
                ws.cell(row=row, column=col).border = _BOX
            ws.row_dimensions[row].height = max(30, 15 * (1 + len(fq.wording(lang)) // 90))
            row += 1
    if it is not None and not blank and it.note:
        _text(ws, row, 2, t("form.print.note", lang, note=it.note)).alignment = _WRAP
        row += 1
    return row


def printable_form(q: Questionnaire, draft: Draft, lang: str, *, blank: bool, deadline: _dt.date | None = None,
                   status: str | None = None, generated_at: _dt.datetime | None = None) -> bytes:
    """The form of ``draft`` as an .xlsx ready to print; ``blank`` leaves every answer empty."""
    wb = Workbook()
    ws = wb.active
    ws.title = t("form.print.sheet", lang)
    for col, width in WIDTHS.items():
        ws.column_dimensions[col].width = width
    _text(ws, 1, 1, t("form.print.title", lang, institution=draft.institution(lang))) \
        .font = Font(bold=True, size=14)
    ws.merge_cells("A1:F1")
    head = t("form.print.head", lang, round=draft.round_label, deadline=fmt_date(deadline, lang),
             methodology=draft.methodology_id)
    ws.cell(row=2, column=1, value=head)
    ws.merge_cells("A2:F2")
    made = fmt_datetime(generated_at, lang) if generated_at else "—"
    _text(ws, 3, 1, t("form.print.blank" if blank else "form.print.filled", lang, status=status or "—", at=made))
    ws.merge_cells("A3:F3")
    cov = draft.coverage
    row = 5
    ws.cell(row=row, column=1, value=t("form.coverage", lang)).font = Font(bold=True, size=12)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
    row += 1
    for key, value in (("form.coverage.transferable", None if blank or cov is None else cov.transferable),
                       ("form.coverage.provided", None if blank or cov is None else cov.provided)):
        ws.cell(row=row, column=2, value=t(key, lang)).alignment = _WRAP
        box = ws.cell(row=row, column=3, value=value)
        box.border = _BOX
        ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=4)
        row += 1
    for it in draft.live_items:
        ws.row_breaks.append(Break(id=row))
        row = _service_block(ws, row + 1, q, it, lang, blank)
    if blank:
        ws.row_breaks.append(Break(id=row))
        row = _service_block(ws, row + 1, q, None, lang, True)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = t("form.print.footer", lang, institution=draft.institution(lang),
                                 round=draft.round_label) + " · &P / &N"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

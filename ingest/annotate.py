"""The annotated copy: the sender's own workbook with every problem cell marked and explained.

An expert sends this back to the ministry: the same file, its sheets, values
and formatting untouched, except that each cell an issue points at is filled
(red for errors, amber for warnings) and carries the message as a comment in
the chosen language. A cell that already had a comment keeps it, below ours.
A last sheet (``Yoxlama`` / ``Check``) lists every message, those without a
cell too (a missing sheet or column), so nothing is only in the app.

Built with openpyxl on the original bytes. openpyxl keeps values, styles,
number formats, merged cells, column widths, hidden rows and sheets, data
validation, conditional formatting and defined names; it does not keep
charts, images or form controls, which exchange workbooks do not use.
"""

from __future__ import annotations

import io
import os
import zipfile

from .cells import split_ref
from .model import Issue

MAX_ANNOTATED_CELLS = 1_500_000  # openpyxl holds every cell in memory: bigger workbooks get no copy
COMMENT_AUTHOR = "E-xidmətlər monitorinqi"
_FILLS = {"error": "FFC7CE", "warning": "FFEB9C"}
_SUMMARY = {"az": "Yoxlama", "en": "Check"}
_SUFFIX = {"az": "yoxlama", "en": "checked"}


def annotated_name(file_name: str, lang: str = "az") -> str:
    """``forma.xlsx`` → ``forma-yoxlama.xlsx`` (``-checked`` in English)."""
    stem = os.path.splitext(os.path.basename(file_name or "workbook"))[0] or "workbook"
    return f"{stem}-{_SUFFIX.get(lang, 'checked')}.xlsx"


def _too_big(data: bytes) -> bool:
    from .reader import scan_sheet_xml

    total = 0
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                rows, cols, _, _ = scan_sheet_xml(zf.read(name))
                total += rows * cols
    return total > MAX_ANNOTATED_CELLS


def annotate(data: bytes, issues: list[Issue], lang: str = "az") -> bytes | None:
    """The workbook ``data`` with ``issues`` marked on their cells; None when it cannot be opened as .xlsx."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    from .messages import text
    from .safety import check_container

    if any(i.severity == "error" for i in check_container(data, "copy.xlsx")):
        return None
    if not openpyxl.DEFUSEDXML:  # never parse an upload without entity protection
        return None
    try:
        if _too_big(data):
            return None
        wb = openpyxl.load_workbook(io.BytesIO(data), rich_text=True, keep_links=True)
    except Exception:  # noqa: BLE001 - whatever openpyxl cannot open gets no annotated copy
        return None

    notes: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for issue in issues:
        sheet = issue.params.get("sheet", issue.sheet)
        if not issue.cells or sheet not in wb.sheetnames:
            continue
        ws = wb[sheet]
        message = text(issue.code, lang, **issue.params)
        for ref in issue.cells:
            target = _anchor(ws, ref)
            if target is not None:
                notes.setdefault((sheet, target), []).append((issue.severity, message))

    for (sheet, ref), found in notes.items():
        cell = wb[sheet][ref]
        severity = "error" if any(s == "error" for s, _ in found) else "warning"
        body = "\n\n".join(dict.fromkeys(m for _, m in found))
        old = cell.comment.text if cell.comment is not None else None
        if old:
            body += "\n\n— " + old
        comment = Comment(body[:30_000], COMMENT_AUTHOR)
        comment.width = 360
        comment.height = min(60 + 15 * (len(body) // 55 + body.count("\n")), 600)
        cell.comment = comment
        cell.fill = PatternFill("solid", fgColor=_FILLS[severity])

    title = _SUMMARY.get(lang, "Check")
    name, k = title, 2
    while name in wb.sheetnames:
        name, k = f"{title} ({k})", k + 1
    ws = wb.create_sheet(name)
    from l10n.catalogue import t

    head = [t("col.status", lang), t("col.sheet", lang), t("intake.col.cells", lang), t("col.message", lang)]
    ws.append(head)
    for c in range(1, 5):
        ws.cell(row=1, column=c).font = Font(bold=True)
    for issue in issues:
        ws.append([t(f"intake.severity.{issue.severity}", lang), issue.params.get("sheet", issue.sheet) or "",
                   issue.params.get("cells") or "", text(issue.code, lang, **issue.params)])
        ws.cell(row=ws.max_row, column=4).alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(row=ws.max_row, column=1).fill = PatternFill("solid", fgColor=_FILLS.get(issue.severity, "FFFFFF"))
    for letter, width in zip("ABCD", (14, 18, 24, 100)):
        ws.column_dimensions[letter].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _anchor(ws, ref: str) -> str | None:
    """The cell that shows ``ref``: itself, or the top-left cell of the merged range it lies in."""
    rc = split_ref(ref)
    if rc is None:
        return None
    row, col = rc
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= row <= rng.max_row and rng.min_col <= col + 1 <= rng.max_col:
            return rng.start_cell.coordinate
    return ref

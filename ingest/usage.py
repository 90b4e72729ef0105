"""Reading later portal usage figures (CSV or .xlsx) into the frame the store imports.

Columns, in any order and case: ``institution`` (Azerbaijani or English
registry name), ``e_services_on_portal`` and ``uses`` (whole numbers). A
workbook is read from its first sheet, after the same container checks as the
exchange workbooks; a CSV is read as UTF-8 (a byte-order mark is accepted).
"""

from __future__ import annotations

import io

import pandas as pd
from python_calamine import CalamineWorkbook

from .model import Issue
from .safety import check_container

USAGE_COLUMNS = ("institution", "e_services_on_portal", "uses")


class UsageFileError(ValueError):
    """A usage file that cannot be read; ``issues`` say why."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        super().__init__("; ".join(i.message("en") for i in issues))


def read_usage(data: bytes, file_name: str) -> pd.DataFrame:
    """The usage rows of a CSV or workbook as text columns (the store validates the values)."""
    if file_name.lower().endswith(".csv"):
        frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    else:
        issues = check_container(data, file_name)
        if issues:
            raise UsageFileError(issues)
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
        rows = [r for r in sheet if any(str(c).strip() for c in r)]
        if not rows:
            return pd.DataFrame(columns=list(USAGE_COLUMNS))
        header = [str(c).strip().lower() for c in rows[0]]
        body = [[_text(c) for c in r] for r in rows[1:]]
        frame = pd.DataFrame(body, columns=header)
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    return frame


def _text(value: object) -> str:
    # Excel stores whole numbers as floats: 1553.0 must read as "1553".
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()

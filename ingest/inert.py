"""Cells that never run: text a spreadsheet would take for a formula is neutralised.

Excel, LibreOffice and Google Sheets run a cell that starts with ``=``, ``+``,
``-`` or ``@`` (and, through DDE, tab or carriage return) as a formula when
they open a CSV or an .xlsx; an institution called ``=HYPERLINK("http://…")``
would then act in the reader's spreadsheet (CSV or formula injection). Every
CSV and workbook the project writes goes through :func:`neutralise`, which
puts an apostrophe in front of such text, as OWASP recommends. The apostrophe
is what spreadsheets themselves use to mark "text, not a formula".

Plain numbers written as text (``-5``, ``+3,5``, ``-12 %``) are left alone:
they cannot run anything, and a data consumer reads them as numbers. The
full-width forms of the trigger characters are treated like the ASCII ones,
and leading spaces do not hide a trigger.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
_NUMBER = re.compile(r"^[+\-−]?\s?\d[\d\s.,]*\s?%?$")


def neutralise(value):
    """``value`` with a leading apostrophe when it is text a spreadsheet would run; anything else unchanged."""
    if not isinstance(value, str) or not value:
        return value
    start = value.lstrip(" ")
    if start.startswith(TRIGGERS) and not _NUMBER.match(start):
        return "'" + value
    return value


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell and every column name neutralised."""
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].map(neutralise).astype(object)
    out.columns = [neutralise(c) if isinstance(c, str) else c for c in out.columns]
    return out


def csv_bytes(df: pd.DataFrame, **kwargs) -> bytes:
    """``df`` as neutralised UTF-8 CSV (with a byte-order mark, so Excel shows Azerbaijani letters)."""
    buf = io.StringIO()
    neutralise_frame(df).to_csv(buf, index=False, lineterminator="\n", **kwargs)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def write_csv(df: pd.DataFrame, path: str | os.PathLike, *, bom: bool = False, **kwargs) -> Path:
    """Write ``df`` as neutralised UTF-8 CSV to ``path``; ``bom`` adds Excel's byte-order mark."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = csv_bytes(df, **kwargs)
    path.write_bytes(data if bom else data[len("\ufeff".encode()):])
    return path

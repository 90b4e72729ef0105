"""Files for download: charts as PNG/SVG (vl-convert, offline) and tables as xlsx.

Pure Python (no Streamlit), so exports can be tested and reused by the
command line. Charts are rendered by vl-convert's embedded Vega engine: no
browser and no network are involved.
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import math
import re
from collections.abc import Mapping
from typing import Any

import altair as alt
import pandas as pd
import vl_convert as vlc
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ingest.inert import neutralise

EXPORT_WIDTH = 720  # px used when a chart asks for the (absent) container width
PNG_SCALE = 2  # crisp on slides and high-density screens
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG_MIME = "image/png"
SVG_MIME = "image/svg+xml"

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="E8EEF5")
_MIN_WIDTH, _MAX_WIDTH = 8, 60


# --- charts ---------------------------------------------------------------------


def _vl_version() -> str:
    """The Vega-Lite version Altair writes (``v6.4.1`` → ``6.4``), for vl-convert."""
    major_minor = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return major_minor if major_minor in vlc.get_vegalite_versions() else vlc.get_vegalite_versions()[-1]


def _fix_container_sizes(spec: Any) -> Any:
    """Replace ``"container"`` sizes: off-screen there is no container to measure."""
    if isinstance(spec, dict):
        out = {k: _fix_container_sizes(v) for k, v in spec.items()}
        if out.get("width") == "container":
            out["width"] = EXPORT_WIDTH
        if out.get("height") == "container":
            out["height"] = round(EXPORT_WIDTH * 0.6)
        return out
    if isinstance(spec, list):
        return [_fix_container_sizes(v) for v in spec]
    return spec


def _spec_json(chart: alt.TopLevelMixin | Mapping[str, Any]) -> str:
    spec = chart.to_dict() if hasattr(chart, "to_dict") else dict(chart)
    return json.dumps(_fix_container_sizes(spec))


def chart_png(chart: alt.TopLevelMixin | Mapping[str, Any], scale: float = PNG_SCALE) -> bytes:
    """The chart as PNG bytes (white background, ``scale`` × pixel density)."""
    return vlc.vegalite_to_png(_spec_json(chart), vl_version=_vl_version(), scale=scale)


def chart_svg(chart: alt.TopLevelMixin | Mapping[str, Any]) -> bytes:
    """The chart as UTF-8 SVG bytes."""
    return vlc.vegalite_to_svg(_spec_json(chart), vl_version=_vl_version()).encode("utf-8")


# --- tables ----------------------------------------------------------------------


def _cell_value(value: Any) -> Any:
    """A value openpyxl can store safely: no NaN, no time zones, no numpy scalars."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, _dt.datetime) and value.tzinfo is not None:
        # Excel has no time zones; store UTC wall-clock time.
        value = value.astimezone(_dt.UTC).replace(tzinfo=None)
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy scalar → Python scalar
    if isinstance(value, (list, tuple, set, dict)):
        value = json.dumps(value if not isinstance(value, set) else sorted(value), ensure_ascii=False, default=str)
    if not isinstance(value, (str, int, float, bool, _dt.date, _dt.datetime, _dt.time)):
        value = str(value)
    return neutralise(value)


def _sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name (≤ 31 characters, no ``[]:*?/\\``)."""
    base = _BAD_SHEET_CHARS.sub("_", str(name)).strip("'") or "Sheet"
    base = base[:31]
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def _write_sheet(ws: Worksheet, df: pd.DataFrame, lang: str) -> None:
    from ui import grid

    if not isinstance(df.index, pd.RangeIndex):
        df = df.reset_index()  # a meaningful index (e.g. institution) becomes a column
    sheet = grid.excel_frame(df, lang)
    frame = sheet.frame
    headers = [str(c) for c in frame.columns]
    ws.append([neutralise(h) for h in headers])
    for row in frame.itertuples(index=False, name=None):
        ws.append([_cell_value(v) for v in row])
    for cell in ws[1]:
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    # Numbers stay numbers; the format makes each reader's Excel show them in its own locale.
    for idx, name in enumerate(headers, start=1):
        fmt = sheet.number_formats.get(name)
        fills = sheet.fills.get(name)
        if fmt is None and fills is None:
            continue
        for r, cell in enumerate(ws.iter_rows(min_row=2, min_col=idx, max_col=idx), start=0):
            c = cell[0]
            if fmt and isinstance(c.value, (int, float)) and not isinstance(c.value, bool):
                c.number_format = fmt
            if fills and r < len(fills) and fills[r]:
                c.fill = PatternFill("solid", fgColor=fills[r])
    ws.freeze_panes = "B2" if _first_is_name(headers) else "A2"
    if headers:
        ws.auto_filter.ref = ws.dimensions
    _fit_widths(ws)


def _first_is_name(headers: list[str]) -> bool:
    """Keep the first column in view when it names the row (a table wider than a few columns)."""
    return len(headers) > 6


def _fit_widths(ws: Worksheet) -> None:
    """Column widths from the longest text, within sane bounds."""
    for idx, column in enumerate(ws.iter_cols(values_only=True), start=1):
        longest = max((len(str(v)) for v in column if v is not None), default=0)
        ws.column_dimensions[get_column_letter(idx)].width = min(max(longest + 2, _MIN_WIDTH), _MAX_WIDTH)


def frame_xlsx(data: pd.DataFrame | Mapping[str, pd.DataFrame], sheet_name: str = "Data", lang: str = "az") -> bytes:
    """One DataFrame (sheet ``sheet_name``) or ``{sheet name: DataFrame}`` as xlsx bytes.

    Numbers are stored as numbers with a number format (see :func:`ui.grid.excel_frame`),
    headers bold on a tint, header row frozen, filters on, widths fitted, and
    formula-like texts neutralised so opening the file never runs anything.
    """
    sheets = {sheet_name: data} if isinstance(data, pd.DataFrame) else dict(data)
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    for name, df in sheets.items():
        _write_sheet(wb.create_sheet(_sheet_title(name, taken)), df, lang)
    if not wb.worksheets:
        wb.create_sheet(_sheet_title(sheet_name, taken))  # a workbook needs one sheet
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

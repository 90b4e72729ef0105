"""Tables as people read them: numbers stay numbers, shown in the user's CLDR format.

Streamlit's grid formats numbers with the *browser's* locale (``"localized"``)
or printf patterns that always write a decimal point. Neither gives an
Azerbaijani reader ``3,75`` on an English browser. What the grid does support
(checked in Streamlit 1.67's frontend): a pandas ``Styler``'s display text
replaces what a read-only number cell shows, while the cell keeps its number,
and sorting compares those numbers. So every table goes through here:

- a page builds a frame of real values (ints, floats, texts) and describes its
  columns with :class:`Col` (:func:`describe`; the description travels in
  ``DataFrame.attrs`` and survives ``drop``/``copy``);
- :func:`styled` turns it into a Styler whose display texts come from Babel
  (``fmt_num``/``fmt_pct``/``fmt_change``, lights with their mark and word), with
  the light colours as cell backgrounds; clicking a header still sorts numerically;
- :func:`excel_frame` gives the same table for a workbook: numbers as numbers,
  a number format per column, light words beside their figures, and fills.

Pure pandas (no Streamlit): :func:`ui.components.table` shows and offers the
download; tests read :func:`display_frame`.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from l10n import DASH, excel_number_format, fmt_change, fmt_date, fmt_datetime, fmt_num, fmt_pct
from ui import theme
from ui.i18n import t

ATTR = "grid"  # key of the column descriptions in DataFrame.attrs
# Above this many cells a Styler costs more than a second: such tables show
# their texts pre-formatted (right separators, but text sorting) instead.
MAX_STYLED_CELLS = 60_000
KINDS = ("auto", "text", "int", "num", "pct", "change", "light", "yesno", "date", "datetime", "id", "hidden")


@dataclass(frozen=True)
class Col:
    """How one column is shown and exported.

    ``kind``: ``int`` (grouped whole number), ``num`` (``digits`` decimals),
    ``pct`` (a percentage; ``ratio`` when the value is a share 0–1), ``change``
    (▲/▼ and the size; ``pct`` for percentage points shown with %), ``light``
    (the figure with its light's mark and word; ``light`` names the column
    holding the light key, which is not shown), ``yesno`` (booleans as words),
    ``date``/``datetime`` (CLDR), ``id`` (a number shown without grouping),
    ``text``, ``hidden`` (kept for the page, e.g. an id behind a selection, but
    neither shown nor exported) or ``auto`` (from the dtype).
    """

    kind: str = "auto"
    digits: int = 0
    ratio: bool = False
    pct: bool = False
    light: str | None = None
    pinned: bool = False
    width: str | int | None = None
    help: str | None = None


def describe(df: pd.DataFrame, columns: Mapping[str, Col] | None = None, **flags: Any) -> pd.DataFrame:
    """Attach column descriptions (merged with any already there) and return the same frame."""
    spec = dict(df.attrs.get(ATTR, {}))
    spec.update(columns or {})
    df.attrs[ATTR] = spec
    for k, v in flags.items():
        df.attrs[k] = v
    return df


def spec_of(df: pd.DataFrame) -> dict[str, Col]:
    """Every shown column's description: the declared one, else one inferred from the dtype."""
    declared = df.attrs.get(ATTR, {})
    hidden = hidden_columns(df)
    return {c: _resolve(declared.get(c, Col()), df[c]) for c in df.columns if c not in hidden}


def hidden_columns(df: pd.DataFrame) -> set[str]:
    """Columns not shown: those that carry data for another column (light keys) or for the page (ids)."""
    declared = df.attrs.get(ATTR, {})
    keys = {c.light for c in declared.values() if c.light}
    return (keys | {name for name, c in declared.items() if c.kind == "hidden"}) & set(df.columns)


def _resolve(col: Col, series: pd.Series) -> Col:
    if col.kind != "auto":
        return col
    if pd.api.types.is_bool_dtype(series):
        return replace(col, kind="yesno")
    if pd.api.types.is_integer_dtype(series):
        return replace(col, kind="int")
    if pd.api.types.is_float_dtype(series):
        whole = series.dropna()
        whole = bool(len(whole)) and bool((whole == whole.round(0)).all())
        return replace(col, kind="int" if whole else "num", digits=0 if whole else 2)
    if pd.api.types.is_datetime64_any_dtype(series):
        return replace(col, kind="datetime")
    return replace(col, kind="text")


def _missing(v: Any) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    try:
        return bool(isinstance(v, float) and math.isnan(v))
    except TypeError:
        return False


def _number(v: float, lang: str, kind: str, digits: int, ratio: bool, pct: bool) -> str:
    # fmt_num and fmt_change round to ``digits`` before formatting: rounding here first gives the same
    # text and lets a large table's many near-equal figures share one cached Babel call.
    if kind == "int" or kind == "num" or (kind == "change" and not pct):
        v = round(v, 0 if kind == "int" else digits) + 0.0
    return _formatted(v, lang, kind, digits, ratio, pct)


@lru_cache(maxsize=65536)
def _formatted(v: float, lang: str, kind: str, digits: int, ratio: bool, pct: bool) -> str:
    if kind == "int":
        return fmt_num(v, lang, 0)
    if kind == "num":
        return fmt_num(v, lang, digits)
    if kind == "pct":
        return fmt_pct(v, lang, digits, ratio=ratio)
    if kind == "change":
        return fmt_change(v, lang, digits, pct=pct)
    if kind == "id":
        return str(int(v)) if float(v).is_integer() else str(v)
    return str(v)


def cell_text(value: Any, col: Col, lang: str, light: Any = None) -> str:
    """What one cell shows, in ``lang``."""
    kind = col.kind
    if kind == "light":
        if _missing(value):
            return theme.light_text(light, lang)
        figure = _number(float(value), lang, "pct" if col.pct else "num", col.digits, col.ratio, False)
        return f"{theme.light_text(light, lang)} · {figure}"
    if _missing(value):
        return "" if kind == "change" else DASH
    if kind == "yesno":
        return t("answer.yes" if bool(value) else "answer.no", lang)
    if kind in ("int", "num", "pct", "change", "id"):
        try:
            return _number(float(value), lang, kind, col.digits, col.ratio, col.pct)
        except (TypeError, ValueError):
            return str(value)
    if kind == "date":
        return fmt_date(value, lang)
    if kind == "datetime":
        return fmt_datetime(value, lang) if isinstance(value, (_dt.datetime, pd.Timestamp)) else fmt_date(value, lang)
    return str(value)


def _column_texts(df: pd.DataFrame, name: str, col: Col, lang: str) -> list[str]:
    """The column's texts, each distinct (value, light) formatted once: a board of thousands of rows
    repeats its lights, kinds and rounded figures, and Babel takes tens of microseconds a cell."""
    values = df[name]
    if col.kind != "light" or col.light not in df:
        try:
            codes, uniques = pd.factorize(values, use_na_sentinel=True)
        except TypeError:  # unhashable values (a list in a cell): formatted one by one below
            pass
        else:
            texts = np.array([cell_text(v, col, lang) for v in uniques] + [cell_text(None, col, lang)], dtype=object)
            return texts[codes].tolist()  # code -1 (missing) takes the last text
    lights = df[col.light].tolist() if col.kind == "light" and col.light in df else [None] * len(df)
    done: dict = {}
    out = []
    for v, li in zip(values.tolist(), lights):
        try:
            text = done.get((v, li))
        except TypeError:  # an unhashable value (a list in a cell): formatted as it comes
            text = cell_text(v, col, lang, li)
        if text is None:
            text = done[(v, li)] = cell_text(v, col, lang, li)
        out.append(text)
    return out


def display_frame(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every shown cell as the text the reader sees (for tests and for very large tables)."""
    spec = spec_of(df)
    return pd.DataFrame({name: _column_texts(df, name, col, lang) for name, col in spec.items()}, index=df.index)


def light_css(light: Any) -> str:
    spec = theme.LIGHTS[theme.light_key(light)]
    return f"background-color: {spec['bg']}; color: {spec['ink']}"


def styled(df: pd.DataFrame, lang: str):
    """A Styler showing ``df`` in ``lang``: CLDR texts over real values, lights coloured."""
    spec = spec_of(df)
    shown = df[list(spec)].reset_index(drop=True)
    shown.attrs = {}  # the descriptions are for us; Streamlit would try to serialise them
    texts = display_frame(df, lang).reset_index(drop=True)
    for name, col in spec.items():
        if col.kind == "light":
            # The grid shows a null cell as empty and ignores its display text; a light
            # without a figure still has a word to show, and sorts below every figure.
            shown[name] = pd.to_numeric(shown[name], errors="coerce").astype("float64").fillna(-math.inf)
        elif col.kind == "yesno":
            shown[name] = texts[name]  # the grid draws booleans as checkboxes; readers expect the words
    styler = shown.style
    # One text per cell, looked up by position: equal values may read differently
    # (a light column shows the light beside its figure). Styler keeps its cell
    # formatters in ``_display_funcs[(row, col)]`` (pandas 1.3–3.x); a test reads
    # the texts back, so a pandas that changes this fails loudly, not silently.
    funcs = styler._display_funcs
    for c, name in enumerate(spec):
        for r, text in enumerate(texts[name].tolist()):
            funcs[(r, c)] = _constant(text)
    for name, col in spec.items():
        if col.kind == "light" and col.light in df:
            colours = [light_css(v) for v in df[col.light].tolist()]
            styler.apply(lambda s, css=colours: css, subset=[name], axis=0)
        elif col.pinned:
            # The grid fades a pinned column like an index; bold keeps a name column (content) legible.
            styler.map(lambda _v: f"color: {theme.TEXT}; font-weight: 600", subset=[name])
    return styler


def _constant(text: str):
    return lambda _value: text


# --- spreadsheets ---------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    """A frame ready for openpyxl: values, a number format per column, fills per cell."""

    frame: pd.DataFrame
    number_formats: dict[str, str]
    fills: dict[str, list[str | None]]


def excel_number_format_of(col: Col) -> str | None:
    if col.kind == "int":
        return excel_number_format(0)
    if col.kind in ("num", "light") and not col.pct:
        return excel_number_format(col.digits)
    if col.kind in ("pct", "light"):
        return excel_number_format(col.digits, percent=True)
    if col.kind == "change":
        return excel_number_format(col.digits, change=True)
    if col.kind == "id":
        return "0"
    return None


def excel_frame(df: pd.DataFrame, lang: str) -> Sheet:
    """The table for a workbook: numbers stay numbers (percentages as shares with a % format), a light
    column becomes its figure and, beside it, the light's word on the light's colour."""
    spec = spec_of(df)
    out: dict[str, list] = {}
    formats: dict[str, str] = {}
    fills: dict[str, list[str | None]] = {}
    for name, col in spec.items():
        values = df[name].tolist()
        if col.kind in ("pct", "light") and (col.kind == "pct" or col.pct) and not col.ratio:
            values = [None if _missing(v) else float(v) / 100 for v in values]
        elif col.kind == "yesno":
            values = [None if _missing(v) else t("answer.yes" if bool(v) else "answer.no", lang) for v in values]
        elif col.kind == "change" and col.pct:
            values = [None if _missing(v) else float(v) / 100 for v in values]
        elif col.kind == "text":
            values = [None if _missing(v) else v for v in values]
        out[name] = values
        fmt = excel_number_format_of(col)
        if col.kind == "change" and col.pct:
            fmt = excel_number_format(col.digits, percent=True, change=True)
        if fmt:
            formats[name] = fmt
        if col.kind == "light" and col.light in df:
            word = f"{name} · {t('col.light', lang)}"
            keys = [theme.light_key(v) for v in df[col.light].tolist()]
            out[word] = [theme.light_label(k, lang) for k in keys]
            fills[word] = [theme.LIGHTS[k]["bg"].lstrip("#") for k in keys]
    return Sheet(pd.DataFrame(out), formats, fills)

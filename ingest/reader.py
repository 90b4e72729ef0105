"""Parsing an uploaded exchange workbook into records and issues (docs/FORMATS.md).

``parse_workbook`` never raises on bad input and never writes anything: every
problem becomes an :class:`~ingest.model.Issue`, located as Excel shows it
(sheet, 1-based row, column header and letter), and all of them are collected,
so that a sender can fix a file in one pass.

Values are read with python-calamine (fast, no formula evaluation). openpyxl is
used for one thing only: the number format of Infrastructure answer cells,
because Excel stores "51 %" as 0.51 and only the format says which was meant.
Formulas are found by scanning the sheet XML for ``<f>`` elements: calamine
returns cached results, which may be stale or absent, so formula cells are
refused rather than trusted.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import zipfile
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from posixpath import join as _posix_join
from posixpath import normpath

from defusedxml import ElementTree as SafeET

from scoring import Methodology, available_versions, load_methodology

from .messages import HEADER_LABELS
from .model import CoverageRecord, InfrastructureAnswer, Issue, Meta, ParsedWorkbook, ServiceRecord
from .registry import Registry, normalise, normalise_code
from .safety import MAX_COLUMNS, MAX_ROWS, check_container, check_parts, sheet_extent

DATA_SHEETS = ("Services", "Infrastructure", "Coverage")
META_SHEET = "Meta"
HEADER_SCAN_ROWS = 10  # the header row is looked for among the first rows
MAX_ISSUES = 1000  # past this, one summary issue: nobody reads 10 000 messages
MAX_FORMULA_ISSUES = 20  # formula cells listed one by one, the rest counted
MAX_TEXT = 1000  # longer names/comments are cut (a cell may hold 32 767 chars)

_YES = {"1", "1.0", "yes", "y", "bəli", "beli", "true", "да", "doğru"}
_NO = {"0", "0.0", "no", "n", "xeyr", "false", "нет", "yanliş"}  # normalise() merges ı into i
YESNO_TOKENS = {**{normalise(t): 1 for t in _YES}, **{normalise(t): 0 for t in _NO}}
AUDIENCES = {"citizen": "citizen", "vətəndaş": "citizen", "vetendas": "citizen",
             "business": "business", "biznes": "business", "sahibkar": "business"}
SOURCES = {"self": "self", "özü": "self", "özünüqiymətləndirmə": "self", "self-assessment": "self",
           "expert": "expert", "ekspert": "expert"}
NATIONAL = {"national", "milli", "ümummilli", "ölkə", "country"}
META_KEYS = {"round": "round", "dövr": "round", "source": "source", "mənbə": "source",
             "methodology": "methodology", "metodika": "methodology", "language": "language",
             "dil": "language", "scope": "scope", "əhatə": "scope"}
META_HEADER_KEYS = {"key", "açar", "meta"}
_ROUND_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._/ -]{0,31}$")
_PERCENT_RE = re.compile(r"^([+-]?\d+(?:[.,]\d+)?)\s*%?$")
_COUNT_RE = re.compile(r"^[+-]?\d+(?:[.,]0+)?$")

EXPECT_INSTITUTION = {"az": "qurumun adı", "en": "an institution name"}
EXPECT_CODE = {"az": "xidmətin kodu (məsələn 7.1)", "en": "a service code (e.g. 7.1)"}
EXPECT_COUNT = {"az": "0 və ya daha böyük tam ədəd", "en": "a whole number of 0 or more"}
EXPECT_PERCENT = {"az": "0 ilə 100 arasında faiz", "en": "a percentage from 0 to 100"}
EXPECT_QID = {"az": "sualın nömrəsi (məsələn 1.1)", "en": "a question id (e.g. 1.1)"}


# --------------------------------------------------------------------------- cells

def col_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    out = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def is_blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and math.isnan(v))


def show(v: object) -> str:
    """A cell value as a person would recognise it in a message."""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, (datetime, date, time, timedelta)):
        return str(v)
    text = "" if v is None else str(v).strip()
    return text if len(text) <= 80 else text[:77] + "…"


def text_value(v: object) -> str:
    """Text of a name/code cell: numbers without a spurious .0, spaces collapsed."""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    elif isinstance(v, float):
        v = repr(v)
    return re.sub(r"\s+", " ", str(v)).strip()[:MAX_TEXT]


def parse_yesno(v: object) -> int | None:
    """1/0 for any accepted yes/no token (FORMATS.md), else None."""
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, (int, float)):
        return int(v) if v in (0, 1) else None
    if isinstance(v, str):
        return YESNO_TOKENS.get(normalise(v))
    return None


def parse_count(v: object) -> tuple[int | None, str | None]:
    """(whole number, None) or (None, issue code)."""
    if isinstance(v, bool):
        return None, "bad_count"
    if isinstance(v, (int, float)):
        if isinstance(v, float) and (math.isnan(v) or not v.is_integer()):
            return None, "bad_count"
        n = int(v)
    elif isinstance(v, str):
        t = re.sub(r"[\s\u00a0\u202f]", "", v)  # "1 200" with any kind of space
        if not _COUNT_RE.match(t):
            return None, "bad_count"
        n = int(re.split(r"[.,]", t)[0])
    else:
        return None, "bad_count"
    if n < 0:
        return None, "negative_count"
    return n, None


def parse_percent_text(v: object) -> float | None:
    """51, '51', '51%', '51 %', '51,5 %' → float; anything else None."""
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return None if isinstance(v, float) and math.isnan(v) else float(v)
    if isinstance(v, str):
        m = _PERCENT_RE.match(v.strip().replace("\u00a0", " "))
        if m:
            return float(m.group(1).replace(",", "."))
    return None


def header_key(v: object) -> str:
    """'Service Code ' → 'service_code'; 'Q 3' → 'q3'."""
    if is_blank(v):
        return ""
    key = re.sub(r"[\s\-]+", "_", normalise(text_value(v))).strip("_")
    m = re.fullmatch(r"q_?(\d+)", key)
    return f"q{m.group(1)}" if m else key


# --------------------------------------------------------------------------- collector

class _Collector:
    """Gathers issues for one file, capped so a hopeless file stays readable."""

    def __init__(self, pw: ParsedWorkbook):
        self.pw = pw
        self.dropped = 0

    def add(self, code: str, sheet: str | None = None, row: int | None = None, column: str | None = None,
            value: object = None, severity: str = "error", **params) -> None:
        target = self.pw.errors if severity == "error" else self.pw.warnings
        if len(target) >= MAX_ISSUES:
            self.dropped += severity == "error"
            return
        if value is not None and "value" not in params:
            params["value"] = show(value)
        for key, val in (("sheet", sheet), ("row", row), ("column", column)):
            if val is not None:
                params[key] = val
        shown = value if isinstance(value, (str, int, float, bool)) or value is None else show(value)
        target.append(Issue(file=self.pw.file_name, sheet=sheet, row=row, column=column, value=shown,
                            code=code, params=params, severity=severity))

    def warn(self, code: str, **kw) -> None:
        self.add(code, severity="warning", **kw)

    def finish(self) -> None:
        if self.dropped:
            self.pw.errors.append(Issue(self.pw.file_name, None, None, None, self.dropped, "too_many_issues",
                                        {"count": self.dropped}))


# --------------------------------------------------------------------------- zip parts

_SHEET_TAG = re.compile(r"\}sheet$|^sheet$")
_CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\sr=\"([A-Z]{1,3}\d+)\"")
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → path of its XML part, from workbook.xml and its relationships."""
    wb = SafeET.fromstring(zf.read("xl/workbook.xml"))
    rels_xml = zf.read("xl/_rels/workbook.xml.rels") if "xl/_rels/workbook.xml.rels" in zf.namelist() else b"<r/>"
    rels = {}
    for el in SafeET.fromstring(rels_xml).iter():
        if el.get("Id") and el.get("Target"):
            target = el.get("Target")
            path = target.lstrip("/") if target.startswith("/") else normpath(_posix_join("xl", target))
            rels[el.get("Id")] = path
    out = {}
    for el in wb.iter():
        if isinstance(el.tag, str) and _SHEET_TAG.search(el.tag) and el.get("name") is not None:
            rid = next((v for k, v in el.attrib.items() if k.endswith("}id") or k == "id"), None)
            if rid in rels:
                out[el.get("name")] = rels[rid]
    return out


def scan_sheet_xml(xml: bytes) -> tuple[int, int, list[tuple[str, str]], int]:
    """(rows, columns, first formula cells as (ref, formula), formula count) of a sheet part.

    Cheap byte scanning, done before calamine builds the (dense) cell grid, so
    that a sheet declaring a cell at XFD1048576 is refused instead of allocated.
    """
    rows, cols = sheet_extent(xml)
    formulas: list[tuple[str, str]] = []
    count = 0
    for m in _FORMULA.finditer(xml):
        count += 1
        if len(formulas) < MAX_FORMULA_ISSUES:
            # The enclosing cell is the last <c r="…"> opened before the formula.
            start = max(xml.rfind(b"<c ", 0, m.start()), xml.rfind(b":c ", 0, m.start()))
            ref_m = _CELL_REF.search(xml, max(start - 1, 0), m.start()) if start >= 0 else None
            ref = ref_m.group(1).decode() if ref_m else "?"
            body = (m.group(1) or b"").decode("utf-8", "replace")
            formulas.append((ref, "=" + body[:60] if body else "="))
    return rows, cols, formulas, count


def _split_ref(ref: str) -> tuple[str, int | None]:
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    return (m.group(1), int(m.group(2))) if m else (ref, None)


# --------------------------------------------------------------------------- sheet tables

class _Table:
    """A sheet's rows with its header located and mapped to keys."""

    def __init__(self, name: str, rows: list[list]):
        self.name = name
        self.rows = rows
        self.header_row: int | None = None  # 0-based index
        self.cols: dict[str, int] = {}

    def cell(self, row: Sequence, key: str) -> object:
        c = self.cols.get(key)
        return row[c] if c is not None and c < len(row) else None

    def column(self, key: str) -> str:
        c = self.cols.get(key)
        return f"{key} ({col_letter(c)})" if c is not None else key

    def find_header(self, anchor: str, out: _Collector) -> bool:
        for i, row in enumerate(self.rows[:HEADER_SCAN_ROWS]):
            keys = [header_key(v) for v in row]
            if anchor in keys:
                self.header_row = i
                seen: dict[str, int] = {}
                for c, k in enumerate(keys):
                    if not k:
                        continue
                    if k in seen:
                        out.add("duplicate_column", sheet=self.name, row=i + 1, column=col_letter(c), value=k,
                                name=k, letters=f"{col_letter(seen[k])}, {col_letter(c)}")
                        continue
                    seen[k] = c
                self.cols = seen
                return True
        out.add("header_not_found", sheet=self.name, value=anchor, expected=anchor)
        return False

    def require(self, keys: Sequence[str], out: _Collector) -> bool:
        missing = [k for k in keys if k not in self.cols]
        if missing:
            out.add("missing_column", sheet=self.name, row=(self.header_row or 0) + 1, value=", ".join(missing),
                    missing=", ".join(missing))
        return not missing

    def data_rows(self, anchor: str, answer_keys: Sequence[str], valid: Callable[[object], bool]):
        """(excel_row, row) for data rows: empty rows and leading wording rows skipped."""
        labels = {anchor} | {normalise(t) for t in HEADER_LABELS.get(anchor, {}).values()}
        leading = True
        for i in range(self.header_row + 1, len(self.rows)):
            row = self.rows[i]
            if all(is_blank(v) for v in row):
                continue
            if leading:
                anchor_v = self.cell(row, anchor)
                wording = (is_blank(anchor_v) or normalise(text_value(anchor_v)) in labels
                           or header_key(anchor_v) == anchor)
                if wording and not any(valid(self.cell(row, k)) for k in answer_keys):
                    continue
                leading = False
            yield i + 1, row


# --------------------------------------------------------------------------- parser

class _Parser:
    def __init__(self, data: bytes, pw: ParsedWorkbook, registry: Registry, add_institutions: bool):
        self.data = data
        self.pw = pw
        self.reg = registry
        self.add_new = add_institutions
        self.out = _Collector(pw)
        self._suggest_cache: dict[str, list[str]] = {}
        self._new_warned: set[str] = set()

    # -- entry
    def run(self) -> None:
        for issue in check_container(self.data, self.pw.file_name) or check_parts(self.data, self.pw.file_name):
            (self.pw.errors if issue.severity == "error" else self.pw.warnings).append(issue)
        if self.pw.errors:
            return
        try:
            import python_calamine

            with zipfile.ZipFile(io.BytesIO(self.data)) as zf:
                parts = sheet_parts(zf)
                self._run(zf, parts, python_calamine)
        except Exception as exc:  # noqa: BLE001 - hostile input: report, never raise
            self.out.add("unreadable", detail=f"{type(exc).__name__}: {str(exc)[:160]}")
        self.out.finish()

    def _run(self, zf: zipfile.ZipFile, parts: dict[str, str], calamine) -> None:
        try:
            wb = calamine.CalamineWorkbook.from_filelike(io.BytesIO(self.data))
        except Exception as exc:  # noqa: BLE001 - calamine raises several error types
            self.out.add("unreadable", detail=f"{type(exc).__name__}: {str(exc)[:160]}")
            return
        metas = wb.sheets_metadata
        by_kind: dict[str, list] = {}
        for sm in metas:
            key = normalise(sm.name)
            for kind in (META_SHEET, *DATA_SHEETS):
                if key == normalise(kind):
                    by_kind.setdefault(kind, []).append(sm)
        for kind, found in by_kind.items():
            if len(found) > 1:
                names = ", ".join(f"«{s.name}»" for s in found)
                self.out.add("duplicate_sheet", sheet=found[1].name, value=found[1].name, name=kind, names=names)

        tables: dict[str, _Table] = {}
        for kind in (META_SHEET, *DATA_SHEETS):
            if kind not in by_kind:
                continue
            sm = by_kind[kind][0]
            if kind != META_SHEET and "visible" not in str(sm.visible).lower().rsplit(".", 1)[-1]:
                self.out.add("hidden_sheet", sheet=sm.name, value=sm.name)
            part = parts.get(sm.name)
            if part is None or part not in zf.namelist():
                self.out.add("unreadable", sheet=sm.name, detail=f"sheet part for «{sm.name}» not found")
                continue
            rows, cols, formulas, n_formulas = scan_sheet_xml(zf.read(part))
            if rows > MAX_ROWS or cols > MAX_COLUMNS:
                self.out.add("sheet_too_large", sheet=sm.name, value=f"{rows}×{cols}", rows=rows, cols=cols,
                             max_rows=MAX_ROWS, max_cols=MAX_COLUMNS)
                continue
            for ref, formula in formulas:
                letter, row = _split_ref(ref)
                self.out.add("formula", sheet=sm.name, row=row, column=letter, value=formula, formula=formula)
            if n_formulas > len(formulas):
                self.out.add("formulas_more", sheet=sm.name, value=n_formulas - len(formulas),
                             count=n_formulas - len(formulas))
            tables[kind] = _Table(sm.name, wb.get_sheet_by_name(sm.name).to_python(skip_empty_area=False))

        m = self._meta(tables.get(META_SHEET), has_meta=META_SHEET in by_kind)
        data_kinds = [k for k in DATA_SHEETS if k in by_kind]
        if not data_kinds:
            found = ", ".join(f"«{s.name}»" for s in metas) or "—"
            self.out.add("no_data_sheet", value=found, found=found)
            return
        if "Services" in tables:
            self._services(tables["Services"], m)
        if "Infrastructure" in tables:
            self._infrastructure(tables["Infrastructure"], m)
        if "Coverage" in tables:
            self._coverage(tables["Coverage"])
        if not self.pw.errors and not (self.pw.services or self.pw.infrastructure or self.pw.coverage):
            self.out.add("no_rows")

    # -- Meta
    def _meta(self, table: _Table | None, has_meta: bool) -> Methodology:
        newest = load_methodology(None)
        if table is None:
            if not has_meta:
                self.out.add("meta_missing", sheet=META_SHEET)
            return newest
        values: dict[str, tuple[int, object]] = {}
        for i, row in enumerate(table.rows):
            if not row or is_blank(row[0]):
                continue
            raw_key = header_key(row[0])
            key = META_KEYS.get(raw_key)
            if key is None:
                if raw_key not in META_HEADER_KEYS:
                    self.out.warn("meta_unknown_key", sheet=table.name, row=i + 1, column="A", value=show(row[0]))
                continue
            if key in values:
                self.out.add("meta_duplicate_key", sheet=table.name, row=i + 1, column="A", value=key,
                             first_row=values[key][0])
                continue
            values[key] = (i + 1, row[1] if len(row) > 1 else None)

        def val(key):
            return values.get(key, (None, None))

        row, raw = val("round")
        round_label = None
        if is_blank(raw):
            self.out.add("meta_round_missing", sheet=table.name, row=row, column="B" if row else None)
        elif isinstance(raw, (bool, datetime, date, time, timedelta)) or not _ROUND_RE.match(text_value(raw)):
            self.out.add("meta_bad_round", sheet=table.name, row=row, column="B", value=raw)
        else:
            round_label = text_value(raw)

        row, raw = val("source")
        source = "self"
        if not is_blank(raw):
            source = SOURCES.get(normalise(text_value(raw)))
            if source is None:
                self.out.add("meta_bad_source", sheet=table.name, row=row, column="B", value=raw)
                source = "self"

        row, raw = val("methodology")
        m = newest
        if not is_blank(raw):
            version = text_value(raw)
            known = available_versions()
            match = next((v for v in known if v.casefold() == version.casefold()), None)
            if match is None:
                self.out.add("meta_unknown_methodology", sheet=table.name, row=row, column="B", value=raw,
                             known=", ".join(known))
            else:
                m = load_methodology(match)

        row, raw = val("language")
        language = None
        if not is_blank(raw):
            language = normalise(text_value(raw))
            if language not in ("az", "en"):
                self.out.warn("meta_bad_language", sheet=table.name, row=row, column="B", value=raw)
                language = None

        row, raw = val("scope")
        scope, scope_id = None, None
        if not is_blank(raw) and normalise(text_value(raw)) not in NATIONAL:
            scope = text_value(raw)
            scope_id = self.reg.match(scope)
            if scope_id is None:
                if self.add_new:
                    self.out.warn("meta_scope_new", sheet=table.name, row=row, column="B", value=scope)
                else:
                    self.out.add("meta_scope_unknown", sheet=table.name, row=row, column="B", value=scope,
                                 suggestions=self._suggestions(scope))

        if round_label is not None:
            self.pw.meta = Meta(round=round_label, source=source, methodology=m.id, language=language,
                                scope=scope, scope_institution_id=scope_id)
        return m

    # -- helpers
    def _suggestions(self, name: str) -> str:
        key = normalise(name)
        if key not in self._suggest_cache:
            self._suggest_cache[key] = self.reg.suggest(name, n=3)
        found = self._suggest_cache[key]
        return ", ".join(f"«{s}»" for s in found) if found else "—"

    def _institution(self, table: _Table, excel_row: int, name: str) -> tuple[bool, int | None, bool]:
        """(ok, institution_id, new) for a name cell."""
        iid = self.reg.match(name)
        if iid is not None:
            return True, iid, False
        if self.add_new:
            key = normalise(name)
            if key not in self._new_warned:
                self._new_warned.add(key)
                self.out.warn("new_institution", sheet=table.name, row=excel_row, column=table.column("institution"),
                              value=name)
            return True, None, True
        self.out.add("unknown_institution", sheet=table.name, row=excel_row, column=table.column("institution"),
                     value=name, suggestions=self._suggestions(name))
        return False, None, False

    def _name_cell(self, table: _Table, excel_row: int, row: Sequence) -> str | None:
        raw = table.cell(row, "institution")
        if is_blank(raw):
            self.out.add("missing_value", sheet=table.name, row=excel_row, column=table.column("institution"),
                         value="", expected=EXPECT_INSTITUTION)
            return None
        return text_value(raw)

    # -- Services
    def _services(self, t: _Table, m: Methodology) -> None:
        if not t.find_header("institution", self.out):
            return
        qcols = m.answer_columns
        if not t.require(["institution", "service_code", *qcols], self.out):
            return
        seen: dict[tuple, int] = {}
        count = 0
        for excel_row, row in t.data_rows("institution", qcols, lambda v: parse_yesno(v) is not None):
            count += 1
            ok = True
            name = self._name_cell(t, excel_row, row)
            ok &= name is not None
            raw_code = t.cell(row, "service_code")
            code = None
            if is_blank(raw_code):
                self.out.add("missing_value", sheet=t.name, row=excel_row, column=t.column("service_code"),
                             value="", expected=EXPECT_CODE)
                ok = False
            else:
                code = text_value(raw_code)
            answers = []
            for q in qcols:
                v = t.cell(row, q)
                if is_blank(v):
                    self.out.add("missing_answer", sheet=t.name, row=excel_row, column=t.column(q), value="")
                    ok = False
                    continue
                a = parse_yesno(v)
                if a is None:
                    self.out.add("bad_yesno", sheet=t.name, row=excel_row, column=t.column(q), value=v)
                    ok = False
                answers.append(a)
            audience = None
            raw_aud = t.cell(row, "audience")
            if not is_blank(raw_aud):
                audience = AUDIENCES.get(normalise(text_value(raw_aud)))
                if audience is None:
                    self.out.add("bad_audience", sheet=t.name, row=excel_row, column=t.column("audience"), value=raw_aud)
                    ok = False
            iid, new_inst = None, False
            if name is not None:
                found, iid, new_inst = self._institution(t, excel_row, name)
                ok &= found
            if name is not None and code is not None:
                key = (iid if iid is not None else "new:" + normalise(name), normalise_code(code))
                if key in seen:
                    self.out.add("duplicate_service", sheet=t.name, row=excel_row, column=t.column("service_code"),
                                 value=code, institution=name, first_row=seen[key])
                    ok = False
                else:
                    seen[key] = excel_row
            if not ok:
                continue
            new_service = new_inst or not self.reg.has_service(iid, code)
            if new_service and not new_inst:
                self.out.warn("new_service", sheet=t.name, row=excel_row, column=t.column("service_code"), value=code,
                              institution=name)
            sname = t.cell(row, "service_name")
            comment = t.cell(row, "comment")
            self.pw.services.append(ServiceRecord(
                row=excel_row, institution_id=iid, institution_name=name, service_code=code,
                service_name=None if is_blank(sname) else text_value(sname), audience=audience,
                answers=tuple(answers), comment=None if is_blank(comment) else str(comment).strip()[:MAX_TEXT],
                new_institution=new_inst, new_service=new_service))
        if count == 0:
            self.out.warn("empty_sheet", sheet=t.name)

    # -- Infrastructure
    def _percent_formats(self, sheet: str, col: int, rows: set[int]) -> dict[int, str]:
        """Number formats of the answer cells in ``rows`` (1-based), read with openpyxl."""
        import openpyxl

        # openpyxl parses XML with defusedxml only when it is installed; without
        # it, an uploaded file could expand entities. Refuse rather than risk it.
        if not openpyxl.DEFUSEDXML:
            raise RuntimeError("defusedxml is not active for openpyxl")
        wb = openpyxl.load_workbook(io.BytesIO(self.data), read_only=True, data_only=True)
        try:
            ws = wb[sheet]
            out = {}
            lo, hi = min(rows), max(rows)
            for r, (cell,) in enumerate(ws.iter_rows(min_row=lo, max_row=hi, min_col=col + 1, max_col=col + 1), lo):
                if r in rows:
                    out[r] = getattr(cell, "number_format", "General") or "General"
            return out
        finally:
            wb.close()

    def _infrastructure(self, t: _Table, m: Methodology) -> None:
        if not t.find_header("id", self.out):
            return
        if not t.require(["id", "answer"], self.out):
            return
        questions = {q.id: q for q in m.questions}

        def valid(v):
            return parse_yesno(v) is not None or parse_percent_text(v) is not None

        rows = list(t.data_rows("id", ["answer"], valid))
        numeric_rows = {r for r, row in rows if isinstance(t.cell(row, "answer"), (int, float))
                        and not isinstance(t.cell(row, "answer"), bool)}
        formats = self._percent_formats(t.name, t.cols["answer"], numeric_rows) if numeric_rows else {}
        seen: dict[str, int] = {}
        for excel_row, row in rows:
            raw_id, v = t.cell(row, "id"), t.cell(row, "answer")
            if is_blank(raw_id):
                self.out.add("missing_value", sheet=t.name, row=excel_row, column=t.column("id"), value="",
                             expected=EXPECT_QID)
                continue
            qid = text_value(raw_id)
            q = questions.get(qid)
            if q is None:
                self.out.add("unknown_question", sheet=t.name, row=excel_row, column=t.column("id"), value=qid,
                             known=", ".join(questions))
                continue
            if qid in seen:
                self.out.add("duplicate_question", sheet=t.name, row=excel_row, column=t.column("id"), value=qid,
                             first_row=seen[qid])
                continue
            seen[qid] = excel_row
            col = t.column("answer")
            if is_blank(v):
                if q.type == "yesno":
                    self.out.add("missing_answer", sheet=t.name, row=excel_row, column=col, value="")
                else:
                    self.out.add("missing_value", sheet=t.name, row=excel_row, column=col, value="",
                                 expected=EXPECT_PERCENT)
                continue
            if q.type == "yesno":
                a = parse_yesno(v)
                if a is None:
                    self.out.add("bad_yesno", sheet=t.name, row=excel_row, column=col, value=v)
                    continue
                value = float(a)
            else:
                value = parse_percent_text(v)
                if value is None:
                    self.out.add("bad_percent", sheet=t.name, row=excel_row, column=col, value=v)
                    continue
                if excel_row in formats and "%" in formats[excel_row]:
                    value = round(value * 100, 9)  # 0.51 shown as 51 % → 51
                elif isinstance(v, (int, float)) and 0 < value < 1:
                    self.out.warn("percent_fraction", sheet=t.name, row=excel_row, column=col, value=v,
                                  pct=show(round(value * 100, 6)))
                if not 0 <= value <= 100:
                    self.out.add("percent_range", sheet=t.name, row=excel_row, column=col, value=show(value))
                    continue
            self.pw.infrastructure.append(InfrastructureAnswer(row=excel_row, question_id=qid, value=value))
        for qid in questions:
            if qid not in seen:
                self.out.add("question_missing", sheet=t.name, column=t.column("id"), value=qid)

    # -- Coverage
    def _coverage(self, t: _Table) -> None:
        if not t.find_header("institution", self.out):
            return
        keys = ["services_transferable", "e_services_provided"]
        if not t.require(["institution", *keys], self.out):
            return
        seen: dict[object, int] = {}
        count = 0
        for excel_row, row in t.data_rows("institution", keys, lambda v: parse_count(v)[0] is not None):
            count += 1
            ok = True
            name = self._name_cell(t, excel_row, row)
            ok &= name is not None
            nums = {}
            for k in keys:
                v = t.cell(row, k)
                if is_blank(v):
                    self.out.add("missing_value", sheet=t.name, row=excel_row, column=t.column(k), value="",
                                 expected=EXPECT_COUNT)
                    ok = False
                    continue
                n, err = parse_count(v)
                if err:
                    self.out.add(err, sheet=t.name, row=excel_row, column=t.column(k), value=v)
                    ok = False
                nums[k] = n
            if ok and nums["e_services_provided"] > nums["services_transferable"]:
                self.out.add("provided_gt_transferable", sheet=t.name, row=excel_row,
                             column=t.column("e_services_provided"), value=nums["e_services_provided"],
                             provided=nums["e_services_provided"], transferable=nums["services_transferable"])
                ok = False
            iid, new_inst = None, False
            if name is not None:
                found, iid, new_inst = self._institution(t, excel_row, name)
                ok &= found
                key = iid if iid is not None else "new:" + normalise(name)
                if key in seen:
                    self.out.add("duplicate_institution", sheet=t.name, row=excel_row,
                                 column=t.column("institution"), value=name, first_row=seen[key])
                    ok = False
                else:
                    seen[key] = excel_row
            if ok:
                self.pw.coverage.append(CoverageRecord(
                    row=excel_row, institution_id=iid, institution_name=name,
                    transferable=nums["services_transferable"], provided=nums["e_services_provided"],
                    new_institution=new_inst))
        if count == 0:
            self.out.warn("empty_sheet", sheet=t.name)


def parse_workbook(data: bytes, file_name: str, registry: Registry, add_institutions: bool = False) -> ParsedWorkbook:
    """Parse one uploaded workbook; all problems are in ``.errors`` / ``.warnings``, none raised.

    ``add_institutions`` turns unknown institution names from errors into
    warnings, with ``new_institution=True`` and ``institution_id=None`` on the record.
    """
    data = bytes(data or b"")
    pw = ParsedWorkbook(file_name=file_name, sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    try:
        _Parser(data, pw, registry, add_institutions).run()
    except Exception as exc:  # noqa: BLE001 - last line of defence: a bad file must never crash an import
        pw.errors.append(Issue(file_name, None, None, None, None, "unreadable",
                               {"detail": f"{type(exc).__name__}: {str(exc)[:160]}"}))
    return pw

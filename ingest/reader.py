"""Parsing an uploaded exchange workbook into records and issues (docs/FORMATS.md).

``parse_workbook`` never raises on bad input and never writes anything: every
problem becomes an :class:`~ingest.model.Issue`, located as Excel shows it
(sheet, 1-based row, column header and letter, cell ranges), and all of them are
collected, so that a sender can fix a file in one pass. Problems of one kind
come back as one issue covering all their cells (:mod:`ingest.issues`).

The reader reads what a person plainly meant and says what it assumed:
headers and sheets in the template's own words (:mod:`ingest.headers`),
answers written ``hə``/``+`` (:mod:`ingest.answers`), institution names in
their official form or without Azerbaijani letters (:mod:`ingest.registry`),
values merged down over several rows, hidden rows and columns, rows that are
not services (a header in the sender's words, totals, running numbers). It
refuses what cannot be known: codes Excel turned into dates or whose trailing
zero a number cell dropped, abbreviations, ticks and crosses.

Values are read with python-calamine (fast, no formula evaluation). openpyxl is
used for one thing only: the number format of Infrastructure answer cells,
because Excel stores "51 %" as 0.51 and only the format says which was meant.
Hidden rows and columns, merged ranges and formulas are found by scanning the
sheet XML: calamine returns cached formula results, which may be stale or
absent, so formula cells are refused rather than trusted.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, time, timedelta
from posixpath import join as _posix_join
from posixpath import normpath

from defusedxml import ElementTree as SafeET

from scoring import Methodology, available_versions, load_methodology

from . import answers as A
from .answers import YESNO_TOKENS, parse_count, parse_percent_text, parse_yesno  # noqa: F401 - re-exported
from .cells import (  # noqa: F401 - col_letter, show re-exported for callers of the reader
    MAX_TEXT,
    col_letter,
    is_blank,
    letters_to_index,
    ref,
    show,
    strip_invisible,
    text_value,
)
from .extent import plain_fit
from .headers import (
    KINDS,
    META,
    META_HEADER_KEYS,
    META_KEYS,
    SHEET_ALIASES,
    column_aliases,
    header_key,
    is_totals,
    map_header,
)
from .issues import IssueCollector
from .model import CoverageRecord, InfrastructureAnswer, Issue, Meta, ParsedWorkbook, ServiceRecord
from .registry import Registry, Resolved, normalise, normalise_code
from .safety import HEADER_ALLOWANCE, MAX_COLUMNS, MAX_ROWS, check_container, check_parts, sheet_extent

DATA_SHEETS = KINDS
META_SHEET = META
HEADER_SCAN_ROWS = 10  # the header row is looked for among the first rows
MAX_FORMULA_CELLS = 10_000  # formula cells located one by one (for messages and the annotated copy)
MAX_ROUND_TEXT = 40

AUDIENCES = {normalise(k): v for k, v in {
    "citizen": "citizen", "citizens": "citizen", "vətəndaş": "citizen", "vətəndaşlar": "citizen",
    "vetendas": "citizen", "business": "business", "biznes": "business", "sahibkar": "business",
    "sahibkarlar": "business", "businesses": "business"}.items()}
SOURCES = {normalise(k): v for k, v in {
    "self": "self", "özü": "self", "özünüqiymətləndirmə": "self", "özünü qiymətləndirmə": "self",
    "self-assessment": "self", "self assessment": "self", "qurum": "self", "institution": "self",
    "expert": "expert", "ekspert": "expert", "ekspert qiymətləndirməsi": "expert",
    "expert assessment": "expert"}.items()}
NATIONAL = {normalise(w) for w in ("national", "milli", "ümummilli", "ölkə", "country", "ölkə üzrə", "respublika")}

EXPECT_INSTITUTION = {"az": "qurumun adı", "en": "an institution name"}
EXPECT_CODE = {"az": "xidmətin kodu (məsələn 7.1)", "en": "a service code (e.g. 7.1)"}
EXPECT_COUNT = {"az": "0 və ya daha böyük tam ədəd", "en": "a whole number of 0 or more"}
EXPECT_PERCENT = {"az": "0 ilə 100 arasında faiz", "en": "a percentage from 0 to 100"}
EXPECT_QID = {"az": "sualın nömrəsi (məsələn 1.1)", "en": "a question id (e.g. 1.1)"}
YES_WORD = {"az": "bəli", "en": "yes"}
NO_WORD = {"az": "xeyr", "en": "no"}
KIND_WORDS = {
    "Services": {"az": "özünüqiymətləndirmə (Services)", "en": "self-assessment (Services)"},
    "Infrastructure": {"az": "infrastruktur (Infrastructure)", "en": "infrastructure (Infrastructure)"},
    "Coverage": {"az": "əhatə (Coverage)", "en": "coverage (Coverage)"},
    "Meta": {"az": "Meta", "en": "Meta"},
}
_MONTH = (r"(?:jan|yan|feb|fev|mar|apr|may|mai|jun|iyn|jul|iyl|aug|avq|sep|sen|oct|okt|nov|noy|dec|dek"
          r"|янв|фев|мар|апр|ма[йя]|июн|июл|авг|сен|окт|ноя|дек"  # Russian-language Excel
          r"|oca|şub|sub|nis|haz|tem|ağu|agu|eyl|eki|kas|ara)[a-zəöüğışçа-яё]*")  # Turkish-language Excel
# "14-Jan", "Jan-14", "14.yan", "14.янв": what a code cell shows after a spreadsheet turned 14.1 or 1.14 into a date.
_TEXT_DATE = re.compile(rf"\d{{1,2}}[\s./-]*{_MONTH}\.?|{_MONTH}[\s./-]*\d{{1,4}}", re.I)
_DECIMALS = re.compile(r"^[#,0]*0\.(0+)(?:;|$)")
_CODE_LIKE = re.compile(r"^[^\s]{1,16}$")
# A note or signature under a table reads like a sentence, a label or a signature line, never like a name:
# "Qeyd: …", "İcraçı:", "* məlumat 1 dekabr tarixinədir.", "Source: …", "İmza ______", "M.Y.",
# "Məmmədov Əli Vəli oğlu", "01.12.2024".
_NOTE = re.compile(r"^\s*(?:[*†¹]|(?:qeyd|izah|mənbə|menbe|icraçı|icraci|hazırladı|hazirladi|məsul|note|notes|"
                   r"source|prepared by|contact)\b)|:|\.\s*$|_{3,}|\b(?:imza|möhür|mohur|signature|"
                   r"oğlu|oglu|qızı|qizi)\b|^\s*\d{1,2}[./]\d{1,2}[./]\d{2,4}\s*$", re.IGNORECASE)


# --------------------------------------------------------------------------- zip parts

_SHEET_TAG = re.compile(r"\}sheet$|^sheet$")
_CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\sr=\"([A-Z]{1,3}\d+)\"")
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_HIDDEN_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*?\shidden=\"(?:1|true)\"[^>]*>")
_ROW_NUMBER = re.compile(rb"\sr=\"(\d+)\"")
_HIDDEN_COL = re.compile(rb"<(?:\w+:)?col\b[^>]*?/?>")
_COL_ATTR = re.compile(rb"\s(min|max|hidden)=\"([^\"]*)\"")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\sref=\"([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)\"")


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


def scan_sheet_xml(xml: bytes, limits: tuple[int, int] | None = None
                   ) -> tuple[int | None, int | None, list[tuple[str, str]], int]:
    """(rows, columns, first formula cells as (ref, formula), formula count) of a sheet part.

    Cheap byte scanning, done before calamine builds the (dense) cell grid, so
    that a sheet declaring a cell at XFD1048576 is refused instead of allocated.
    With ``limits`` (rows, columns), a sheet shown to fit them comes back with
    rows and columns ``None``: only a sheet beyond them needs the exact numbers
    (see :mod:`ingest.extent`).
    """
    if limits is not None and plain_fit(xml, *limits):
        rows = cols = None
    else:
        rows, cols = sheet_extent(xml)
    formulas: list[tuple[str, str]] = []
    count = 0
    # Every formula is an <f> element: a sheet without those bytes has none (most sheets; saves a full scan).
    for m in _FORMULA.finditer(xml) if b"<f" in xml or b":f" in xml else ():
        count += 1
        if len(formulas) < MAX_FORMULA_CELLS:
            # The enclosing cell is the last <c r="…"> opened before the formula.
            start = max(xml.rfind(b"<c ", 0, m.start()), xml.rfind(b":c ", 0, m.start()))
            ref_m = _CELL_REF.search(xml, max(start - 1, 0), m.start()) if start >= 0 else None
            cell = ref_m.group(1).decode() if ref_m else "?"
            body = (m.group(1) or b"").decode("utf-8", "replace")
            formulas.append((cell, "=" + body[:60] if body else "="))
    return rows, cols, formulas, count


def sheet_layout(xml: bytes) -> tuple[set[int], set[int], list[tuple[int, int, int, int]]]:
    """(hidden rows 1-based, hidden columns 0-based, merged ranges as (row0, col0, row1, col1), 1-based rows).

    Hidden rows, column definitions and merges are rare and sit in known places
    of the part: find them by their literal bytes instead of running a regex
    over every cell of a large sheet.
    """
    hidden_rows = set()
    pos = xml.find(b'hidden="')
    while pos >= 0:
        start = max(xml.rfind(b"<", 0, pos), 0)
        element = xml[start:xml.find(b">", pos) + 1]
        if _HIDDEN_ROW.match(element):
            n = _ROW_NUMBER.search(element)
            if n:
                hidden_rows.add(int(n.group(1)))
        pos = xml.find(b'hidden="', pos + 8)
    hidden_cols: set[int] = set()
    lo, hi = xml.find(b"cols>"), xml.find(b"sheetData")
    for m in _HIDDEN_COL.finditer(xml, max(lo, 0), hi if lo >= 0 and hi > lo else 0):
        attrs = {k: v for k, v in _COL_ATTR.findall(m.group(0))}
        if attrs.get(b"hidden") in (b"1", b"true") and attrs.get(b"min", b"").isdigit():
            first = int(attrs[b"min"])
            last = int(attrs[b"max"]) if attrs.get(b"max", b"").isdigit() else first
            hidden_cols.update(range(first - 1, min(last, MAX_COLUMNS + 1)))
    merges = []
    at = xml.find(b"mergeCell")
    if at >= 0:
        merges = [(int(r0), letters_to_index(c0), int(r1), letters_to_index(c1))
                  for c0, r0, c1, r1 in _MERGE.findall(xml, max(at - 10, 0))]
    return hidden_rows, hidden_cols, merges


def _split_ref(cell: str) -> tuple[str, int | None]:
    m = re.fullmatch(r"([A-Z]+)(\d+)", cell)
    return (m.group(1), int(m.group(2))) if m else (cell, None)


def _is_date(v: object) -> bool:
    return isinstance(v, (datetime, date, time, timedelta))


def _is_whole(v: object) -> bool:
    if isinstance(v, bool):
        return False
    if isinstance(v, int):
        return True
    if isinstance(v, float):
        return v.is_integer()
    return isinstance(v, str) and v.strip().rstrip(".").isdigit()


# --------------------------------------------------------------------------- sheet tables

class _Table:
    """A sheet's rows with its header located and mapped to contract keys."""

    def __init__(self, name: str, rows: list[list], hidden_rows: set[int] = frozenset(),
                 hidden_cols: set[int] = frozenset()):
        self.name = name
        self.rows = rows
        self.hidden_rows = hidden_rows
        self.hidden_cols = hidden_cols
        self.header_row: int | None = None  # 0-based index
        self.cols: dict[str, int] = {}
        self.keys_by_col: dict[int, str] = {}
        self.letters: dict[str, str] = {}
        self.aliases: dict[str, str] = {}
        self.merges: list[tuple[int, int, int, int]] = []
        self.renamed: list[tuple[str, str, str]] = []  # (letter, header as written, key)

    def cell(self, row: Sequence, key: str) -> object:
        c = self.cols.get(key)
        return row[c] if c is not None and c < len(row) else None

    def column(self, key: str) -> str:
        letter = self.letters.get(key)
        return f"{key} ({letter})" if letter is not None else key

    def ref(self, excel_row: int, key: str) -> str | None:
        letter = self.letters.get(key)
        return f"{letter}{excel_row}" if letter is not None else None

    def headers_found(self) -> str:
        """The header cells of the header row (or the first non-empty row), as «A: text» for messages."""
        rows = [self.rows[self.header_row]] if self.header_row is not None else self.rows[:HEADER_SCAN_ROWS]
        for row in rows:
            found = [f"{col_letter(c)} «{show(v)}»" for c, v in enumerate(row) if not is_blank(v)]
            if found:
                return ", ".join(found[:30]) + (" …" if len(found) > 30 else "")
        return "—"

    def find_header(self, anchor: str, aliases: dict[str, str], n_ind: int, out: IssueCollector | None) -> bool:
        """Locate the header row: of the first rows holding ``anchor``, the one naming the most keys."""
        best: tuple[int, int, dict[int, str]] | None = None
        for i, row in enumerate(self.rows[:HEADER_SCAN_ROWS]):
            mapped = {c: k for c, v in enumerate(row) if (k := map_header(v, aliases, n_ind))}
            if anchor in mapped.values() and (best is None or len(mapped) > best[1]):
                best = (i, len(mapped), mapped)
        if best is None:
            if out is not None:
                out.add("header_not_found", sheet=self.name, value=anchor, expected=anchor,
                        found=self.headers_found())
            return False
        i, _, mapped = best
        self.header_row = i
        header = self.rows[i]
        seen: dict[str, int] = {}
        for c, k in mapped.items():
            if k in seen:
                if out is not None:
                    out.add("duplicate_column", sheet=self.name, row=i + 1, column=col_letter(c), value=k,
                            cell=ref(i + 1, c), name=k, letters=f"{col_letter(seen[k])}, {col_letter(c)}")
                continue
            seen[k] = c
            if header_key(header[c]) != k:
                self.renamed.append((col_letter(c), show(header[c]), k))
        self.cols = seen
        self.keys_by_col = {c: k for k, c in seen.items()}
        self.letters = {k: col_letter(c) for k, c in seen.items()}
        return True

    def require(self, keys: Sequence[str], out: IssueCollector) -> bool:
        missing = [k for k in keys if k not in self.cols]
        if missing:
            out.add("missing_column", sheet=self.name, row=(self.header_row or 0) + 1, value=", ".join(missing),
                    missing=", ".join(missing), found=self.headers_found())
        return not missing


# --------------------------------------------------------------------------- parser

class _Parser:
    def __init__(self, data: bytes, pw: ParsedWorkbook, registry: Registry, add_institutions: bool):
        self.data = data
        self.pw = pw
        self.reg = registry
        self.add_new = add_institutions
        self.out = IssueCollector(pw.file_name)
        self._suggest_cache: dict[str, list[str]] = {}
        self._resolved: dict[str, Resolved] = {}
        self._code_formats: dict[int, str] = {}

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
        errors, warnings = self.out.issues()
        self.pw.errors.extend(errors)
        self.pw.warnings.extend(warnings)

    def _run(self, zf: zipfile.ZipFile, parts: dict[str, str], calamine) -> None:
        try:
            wb = calamine.CalamineWorkbook.from_filelike(io.BytesIO(self.data))
        except Exception as exc:  # noqa: BLE001 - calamine raises several error types
            self.out.add("unreadable", detail=f"{type(exc).__name__}: {str(exc)[:160]}")
            return
        self._zf, self._parts, self._wb = zf, parts, wb
        self._scans: dict[str, tuple | None] = {}
        self._tables: dict[str, _Table] = {}
        metas = wb.sheets_metadata
        visible = {sm.name: "visible" in str(sm.visible).lower().rsplit(".", 1)[-1] for sm in metas}

        # 1. Sheets named after a kind, in the contract's words or the sender's language.
        by_kind: dict[str, list[tuple[str, bool]]] = {}
        for sm in metas:
            key = normalise(sm.name)
            for kind in (META, *KINDS):
                if key == normalise(kind):
                    by_kind.setdefault(kind, []).append((sm.name, False))
                elif key in SHEET_ALIASES[kind]:
                    by_kind.setdefault(kind, []).append((sm.name, True))
        chosen: dict[str, str] = {}
        for kind, found in by_kind.items():
            if len(found) > 1:
                names = ", ".join(f"«{n}»" for n, _ in found)
                self.out.add("duplicate_sheet", sheet=found[1][0], value=found[1][0], name=kind, names=names)
            name, alias = found[0]
            chosen[kind] = name
            if alias:
                self.out.warn("sheet_renamed", sheet=name, value=name, kind=KIND_WORDS[kind])

        # 2. The other visible sheets: one that carries a kind's header stands for that kind.
        tables: dict[str, _Table] = {}
        m_guess = load_methodology(None)
        others = [sm.name for sm in metas if sm.name not in chosen.values() and visible.get(sm.name)]
        candidates: dict[str, list[str]] = {}
        for name in others:
            table = self._load(name, report=False)
            if table is None:
                continue
            kind = self._kind_by_content(table, m_guess)
            if kind is not None:
                candidates.setdefault(kind, []).append(name)
                tables.setdefault(name, table)
        ambiguous = False
        for kind, names in candidates.items():
            if kind in chosen:
                for name in names:
                    self.out.warn("sheet_ignored", sheet=name, value=name, kind=KIND_WORDS[kind], used=chosen[kind])
            elif len(names) == 1:
                chosen[kind] = names[0]
                self.out.warn("sheet_by_content", sheet=names[0], value=names[0], kind=KIND_WORDS[kind])
            else:
                ambiguous = True
                self.out.add("sheet_ambiguous", value=", ".join(f"«{n}»" for n in names), kind=KIND_WORDS[kind],
                             names=", ".join(f"«{n}»" for n in names))

        # 3. Read the chosen sheets.
        for kind in (META, *KINDS):
            name = chosen.get(kind)
            if name is None:
                continue
            if kind != META and not visible.get(name, True):
                self.out.add("hidden_sheet", sheet=name, value=name)
            table = self._load(name, report=True)
            if table is not None:
                tables[kind] = table
                self.pw.sheet_names[kind] = name

        m = self._meta(tables.get(META), has_meta=META in chosen)
        data_kinds = [k for k in KINDS if k in chosen]
        if not data_kinds and not ambiguous:
            found = ", ".join(f"«{s.name}»" for s in metas) or "—"
            self.out.add("no_data_sheet", value=found, found=found)
            return
        if "Services" in tables:
            self._services(tables["Services"], m)
        if "Infrastructure" in tables:
            self._infrastructure(tables["Infrastructure"], m)
        if "Coverage" in tables:
            self._coverage(tables["Coverage"])
        if data_kinds and not self.out.has_errors and not (self.pw.services or self.pw.infrastructure or self.pw.coverage):
            self.out.add("no_rows")

    def _kind_by_content(self, table: _Table, m: Methodology) -> str | None:
        """The kind whose header the sheet carries (all key columns found), else None."""
        if any(header_key(row[0]) in META_KEYS and META_KEYS[header_key(row[0])] == "round"
               for row in table.rows[:HEADER_SCAN_ROWS] if row and len(row) > 1 and not is_blank(row[1])):
            return META
        required = {"Services": ["institution", "service_code", *m.answer_columns],
                    "Coverage": ["institution", "services_transferable", "e_services_provided"],
                    "Infrastructure": ["id", "answer"]}
        for kind, anchor in (("Services", "institution"), ("Coverage", "institution"), ("Infrastructure", "id")):
            probe = _Table(table.name, table.rows)
            if probe.find_header(anchor, column_aliases(kind, m), m.n_indicators, None) and all(
                    k in probe.cols for k in required[kind]):
                return kind
        return None

    def _scan(self, name: str) -> tuple | None:
        """The cheap XML scan of a sheet (extent, formulas, hidden rows/columns, merges), or None without a part."""
        if name not in self._scans:
            part = self._parts.get(name)
            if part is None or part not in self._zf.namelist():
                self._scans[name] = None
            else:
                xml = self._zf.read(part)
                self._scans[name] = (scan_sheet_xml(xml, (MAX_ROWS + HEADER_ALLOWANCE, MAX_COLUMNS)),
                                     sheet_layout(xml))
        return self._scans[name]

    def _load(self, name: str, report: bool) -> _Table | None:
        """The sheet's cells (merged values filled down), or None when it cannot or must not be read.

        ``report``: the sheet is used, so its problems (size, formulas) are the file's problems.
        """
        scan = self._scan(name)
        if scan is None:
            if report:
                self.out.add("unreadable", sheet=name, detail=f"sheet part for «{name}» not found")
            return None
        (rows, cols, formulas, n_formulas), (hidden_rows, hidden_cols, merges) = scan
        if rows is not None and (rows > MAX_ROWS + HEADER_ALLOWANCE or cols > MAX_COLUMNS):
            if report:
                self.out.add("sheet_too_large", sheet=name, value=f"{rows}×{cols}", rows=rows, cols=cols,
                             max_rows=MAX_ROWS, max_cols=MAX_COLUMNS)
            return None
        if report:
            for cell, formula in formulas:
                letter, row = _split_ref(cell)
                self.out.add("formula", sheet=name, row=row, column=letter, value=formula, formula=formula,
                             cell=cell if row else None)
                self.out.explained.add((name, cell))
            if n_formulas > len(formulas):
                self.out.add("formulas_more", sheet=name, value=n_formulas - len(formulas),
                             count=n_formulas - len(formulas))
        if name in self._tables:
            return self._tables[name]
        grid = self._wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        filled = []
        for r0, c0, r1, c1 in merges:
            # A value merged down over several rows belongs to each of them.
            if r1 > r0 and r0 - 1 < len(grid) and c0 < len(grid[r0 - 1]):
                value = grid[r0 - 1][c0]
                if is_blank(value):
                    continue
                filled.append((r0, c0, r1, c1))
                for r in range(r0, min(r1, len(grid))):
                    row = grid[r]
                    if c0 < len(row) and is_blank(row[c0]):
                        row[c0] = value
        table = _Table(name, grid, hidden_rows, hidden_cols)
        table.merges = filled
        self._tables[name] = table
        return table

    # -- Meta
    def _meta(self, table: _Table | None, has_meta: bool) -> Methodology:
        newest = load_methodology(None)
        if table is None:
            if not has_meta:
                self.out.add("meta_missing", sheet=META)
            return newest
        name = table.name
        values: dict[str, tuple[int, object]] = {}
        for i, row in enumerate(table.rows):
            if not row or is_blank(row[0]):
                continue
            raw_key = header_key(row[0])
            key = META_KEYS.get(raw_key)
            if key is None:
                if raw_key not in META_HEADER_KEYS:
                    self.out.warn("meta_unknown_key", sheet=name, row=i + 1, column="A", value=show(row[0]),
                                  cell=ref(i + 1, 0))
                continue
            if key in values:
                self.out.add("meta_duplicate_key", sheet=name, row=i + 1, column="A", value=key,
                             first_row=values[key][0], cell=ref(i + 1, 0))
                continue
            values[key] = (i + 1, row[1] if len(row) > 1 else None)

        def val(key):
            return values.get(key, (None, None))

        cells = {k: ref(r, 1) for k, (r, _) in values.items()}

        def where(row):
            return dict(sheet=name, row=row, column="B" if row else None, cell=ref(row, 1) if row else None)

        row, raw = val("round")
        round_label = None
        if is_blank(raw):
            self.out.add("meta_round_missing", **where(row))
        elif _is_date(raw):
            self.out.add("meta_round_date", value=raw, **where(row))
        else:
            text = text_value(raw)
            if len(text) > MAX_ROUND_TEXT or not any(ch.isalnum() for ch in text):
                self.out.add("meta_bad_round", value=raw, **where(row))
            else:
                # As written (stray spaces kept): the pipeline matches it to an opened round and says
                # so when it had to read it leniently.
                round_label = strip_invisible(raw)[0] if isinstance(raw, str) else text

        row, raw = val("source")
        source = "self"
        if not is_blank(raw):
            source = SOURCES.get(normalise(text_value(raw)))
            if source is None:
                self.out.add("meta_bad_source", value=raw, **where(row))
                source = "self"

        row, raw = val("methodology")
        m = newest
        if not is_blank(raw):
            version = text_value(raw)
            known = available_versions()
            match = next((v for v in known if v.casefold() == version.casefold()), None)
            if match is None:
                self.out.add("meta_unknown_methodology", value=raw, known=", ".join(known), **where(row))
            else:
                m = load_methodology(match)

        row, raw = val("language")
        language = None
        if not is_blank(raw):
            language = normalise(text_value(raw))
            if language in ("azərbaycan", "azerbaycan", "azərbaycanca", "azerbaijani", "az-latn"):
                language = "az"
            elif language in ("english", "ingilis", "ingiliscə", "en-gb", "en-us"):
                language = "en"
            if language not in ("az", "en"):
                self.out.warn("meta_bad_language", value=raw, **where(row))
                language = None

        row, raw = val("scope")
        scope, scope_id = None, None
        if not is_blank(raw) and normalise(text_value(raw)) not in NATIONAL:
            scope = text_value(raw)
            res = self._resolve(scope)
            if res.institution_id is not None:
                scope_id = res.institution_id
                self._name_note(res, scope, name, row, "B", ref(row, 1))
            elif res.how in ("ambiguous", "abbreviation"):
                self._name_refused(res, scope, name, row, "B", ref(row, 1))
            elif self.add_new:
                self.out.warn("meta_scope_new", value=scope, **where(row))
            else:
                self.out.add("meta_scope_unknown", value=scope, suggestions=self._suggestions(scope), **where(row))

        if round_label is not None:
            self.pw.meta = Meta(round=round_label, source=source, methodology=m.id, language=language,
                                scope=scope, scope_institution_id=scope_id, sheet=name, cells=cells)
        return m

    # -- names
    def _suggestions(self, name: str) -> str:
        key = normalise(name)
        if key not in self._suggest_cache:
            self._suggest_cache[key] = self.reg.suggest(name, n=3)
        found = self._suggest_cache[key]
        return ", ".join(f"«{s}»" for s in found) if found else "—"

    def _resolve(self, name: str) -> Resolved:
        got = self._resolved.get(name)
        if got is None:
            got = self._resolved[name] = self.reg.resolve(name)
        return got

    def _names(self, ids) -> str:
        return ", ".join(f"«{self.reg.name(i)}»" for i in ids) or "—"

    def _name_note(self, res: Resolved, written: str, sheet, row, column, cell) -> None:
        if res.how != "exact":
            self.out.warn(f"institution_{res.how}", sheet=sheet, row=row, column=column, value=written, cell=cell,
                          name=self.reg.name(res.institution_id))

    def _name_refused(self, res: Resolved, written: str, sheet, row, column, cell) -> None:
        self.out.add(f"institution_{res.how}", sheet=sheet, row=row, column=column, value=written, cell=cell,
                     candidates=self._names(res.candidates))

    def _institution(self, t: _Table, excel_row: int, name: str) -> tuple[bool, int | None, bool]:
        """(ok, institution_id, new) for a name cell."""
        res = self._resolve(name)
        column, cell = t.column("institution"), t.ref(excel_row, "institution")
        if res.institution_id is not None:
            self._name_note(res, name, t.name, excel_row, column, cell)
            return True, res.institution_id, False
        if res.how in ("ambiguous", "abbreviation"):
            self._name_refused(res, name, t.name, excel_row, column, cell)
            return False, None, False
        if self.add_new:
            self.out.warn("new_institution", sheet=t.name, row=excel_row, column=column, value=name, cell=cell,
                          suggestions=self._suggestions(name))
            return True, None, True
        self.out.add("unknown_institution", sheet=t.name, row=excel_row, column=column, value=name, cell=cell,
                     suggestions=self._suggestions(name))
        return False, None, False

    def _text_cell(self, t: _Table, excel_row: int, key: str, raw: object) -> str:
        """A name or code cell as text; invisible characters are removed and reported."""
        if isinstance(raw, str):
            cleaned, hidden = strip_invisible(raw)
            if hidden:
                self.out.warn("invisible_removed", sheet=t.name, row=excel_row, column=t.column(key),
                              value=cleaned, cell=t.ref(excel_row, key))
        return text_value(raw)

    def _name_cell(self, t: _Table, excel_row: int, row: Sequence) -> str | None:
        raw = t.cell(row, "institution")
        if is_blank(raw) or not text_value(raw):
            self.out.add("missing_value", sheet=t.name, row=excel_row, column=t.column("institution"),
                         value="", expected=EXPECT_INSTITUTION, cell=t.ref(excel_row, "institution"))
            return None
        return self._text_cell(t, excel_row, "institution", raw)

    # -- rows that are not data
    def _rows(self, t: _Table, answer_keys: Sequence[str], valid: Callable[[object], bool],
              is_key: Callable[[Sequence], bool],
              heading: Callable[[int, Sequence], bool] | None = None) -> Iterator[tuple[int, Sequence]]:
        """(excel_row, row) of the data rows; other rows are skipped here, with a warning saying why.

        Skipped anywhere: empty rows, totals rows, rows holding only a running
        number, repeated header rows, and rows ``heading`` reports (and skips).
        After the last row that could be data: notes and signatures (worded as
        a note, no answer, no service name, no known institution or code).
        Before the first data row only: the template's own wording row
        (silently) and a header row in the sender's words (no answer in its
        answer cells, no key that names data).
        A half-filled row is data: its gaps are errors.
        """
        answer_cols = [t.cols[k] for k in answer_keys if k in t.cols]
        anchor_col = min(t.cols.values()) if t.cols else 0
        name_col = t.cols.get("service_name")

        def is_note(row: Sequence) -> bool:
            # Below the table: "Qeyd: …", "İcraçı: … Tel: …", a signature block. Worded as a note (a date
            # counts: "01.12.2024"); no answer, no service name other than note text, nothing naming data.
            # An unregistered name alone ("Mədəniyyət Nazirliyi") is a half-filled row.
            if not any(_is_date(v) or (isinstance(v, str) and _NOTE.search(v)) for v in row):
                return False
            name = row[name_col] if name_col is not None and name_col < len(row) else None
            return (all(c >= len(row) or is_blank(row[c]) for c in answer_cols)
                    and (is_blank(name) or (isinstance(name, str) and bool(_NOTE.search(name))))
                    and not is_key(row))

        # Rows after the last one that could be data (scanned from the end: only the tail is read twice).
        last = len(t.rows) - 1
        while last > t.header_row and (all(is_blank(v) for v in t.rows[last]) or is_note(t.rows[last])):
            last -= 1
        leading = True
        name = t.name
        for i in range(t.header_row + 1, len(t.rows)):
            row = t.rows[i]
            first = next((c for c, v in enumerate(row) if not is_blank(v)), None)
            if first is None:
                continue
            excel_row = i + 1
            cell = ref(excel_row, first)
            if is_totals(row[first]):
                self.out.warn("rows_skipped_totals", sheet=name, row=excel_row, value=show(row[first]), cell=cell)
                continue
            if first not in t.keys_by_col:
                filled = [c for c in range(first, len(row)) if not is_blank(row[c])]
                if all(c not in t.keys_by_col and _is_whole(row[c]) for c in filled):
                    self.out.warn("rows_skipped_numbering", sheet=name, row=excel_row, value=show(row[first]),
                                  cell=cell)
                    continue
            if heading is not None and heading(excel_row, row):
                continue
            if i > last and not leading:
                self.out.warn("rows_skipped_note", sheet=name, row=excel_row, value=show(row[first]), cell=cell)
                continue
            has_answer = any(c < len(row) and valid(row[c]) for c in answer_cols)
            if not has_answer and self._is_header_row(t, row):
                if not leading:
                    self.out.warn("rows_skipped_repeated_header", sheet=name, row=excel_row, cell=cell)
                continue
            if leading and not has_answer and not is_key(row):
                self.out.warn("rows_skipped_header", sheet=name, row=excel_row, value=show(row[first]),
                              cell=ref(excel_row, anchor_col))
                continue
            leading = False
            yield excel_row, row

    def _is_header_row(self, t: _Table, row: Sequence) -> bool:
        """Every filled key cell names its own column (the template's wording row, a repeated header)."""
        named = 0
        for c, key in t.keys_by_col.items():
            if c < len(row) and not is_blank(row[c]):
                if t.aliases.get(header_key(row[c])) != key and header_key(row[c]) != key:
                    return False
                named += 1
        return named > 0

    def _warn_layout(self, t: _Table) -> None:
        """Hidden rows and columns that hold data, and values merged down over rows: read, and said so."""
        first_data = (t.header_row or 0) + 2
        for r in sorted(t.hidden_rows):
            if r >= first_data and r - 1 < len(t.rows) and any(not is_blank(v) for v in t.rows[r - 1]):
                c = next(c for c, v in enumerate(t.rows[r - 1]) if not is_blank(v))
                self.out.warn("hidden_rows", sheet=t.name, row=r, cell=ref(r, c))
        used = set(t.keys_by_col)
        for c in sorted(t.hidden_cols & used):
            self.out.warn("hidden_columns", sheet=t.name, column=col_letter(c), value=col_letter(c),
                          cell=ref((t.header_row or 0) + 1, c))
        for r0, c0, r1, _c1 in t.merges:
            if r1 >= first_data and c0 in used:
                for r in range(max(r0, first_data), min(r1, len(t.rows)) + 1):
                    self.out.warn("merged_filled", sheet=t.name, row=r, cell=ref(r, c0))

    def _warn_renamed(self, t: _Table) -> None:
        if t.renamed:
            mapping = ", ".join(f"{letter} «{written}» = {key}" for letter, written, key in t.renamed[:8])
            if len(t.renamed) > 8:
                mapping += f", … (+{len(t.renamed) - 8})"
            self.out.warn("headers_read", sheet=t.name, row=(t.header_row or 0) + 1, mapping=mapping)

    # -- codes
    def _code(self, t: _Table, excel_row: int, raw: object, iid: int | None,
              numeric: dict[tuple, list[int]]) -> tuple[str | None, bool]:
        """(code text, ok) of a service-code cell; dates and number cells that lost a zero are refused."""
        column, cell = t.column("service_code"), t.ref(excel_row, "service_code")
        if is_blank(raw):
            self.out.add("missing_value", sheet=t.name, row=excel_row, column=column, value="", expected=EXPECT_CODE,
                         cell=cell)
            return None, False
        if _is_date(raw):
            self.out.add("code_is_date", sheet=t.name, row=excel_row, column=column, value=raw, cell=cell)
            return None, False
        code = self._text_cell(t, excel_row, "service_code", raw)
        if isinstance(raw, str) and _TEXT_DATE.fullmatch(code):
            self.out.add("code_text_date", sheet=t.name, row=excel_row, column=column, value=raw, cell=cell)
            return None, False
        if isinstance(raw, float) and not raw.is_integer():
            shown = _DECIMALS.search(self._code_formats.get(excel_row, ""))
            if shown:  # the cell showed a fixed number of decimals: 7.10 was on screen, read 7.10
                return f"{raw:.{len(shown.group(1))}f}", True
            longer = sorted(c for c in self.reg.codes.get(iid, ()) if c != normalise_code(code)
                            and re.fullmatch(re.escape(normalise_code(code)) + "0+", c))
            if longer:
                self.out.add("code_zero_dropped", sheet=t.name, row=excel_row, column=column, value=code, cell=cell,
                             other=", ".join(longer))
                return None, False
            numeric.setdefault((iid, normalise_code(code)), []).append(excel_row)
        return code, True

    # -- Services
    def _services(self, t: _Table, m: Methodology) -> None:
        t.aliases = column_aliases("Services", m)
        if not t.find_header("institution", t.aliases, m.n_indicators, self.out):
            return
        qcols = m.answer_columns
        if not t.require(["institution", "service_code", *qcols], self.out):
            return
        self._warn_renamed(t)
        self._warn_layout(t)
        name_sheet = t.name
        out = self.out
        qidx = [(t.cols[q], t.column(q), col_letter(t.cols[q])) for q in qcols]
        code_col = t.cols["service_code"]
        inst_col = t.cols["institution"]
        read = A.read_yesno
        # Most answer cells hold one of a few values: look them up instead of calling the parser per cell.
        seen_values: dict = {}
        audiences: dict[str, str] = {}

        def is_key(row) -> bool:
            # A row names data when its institution is known or its code cell looks like a code.
            inst = row[inst_col] if inst_col < len(row) else None
            code = row[code_col] if code_col < len(row) else None
            if not is_blank(inst) and self._resolve(text_value(inst)).institution_id is not None:
                return True
            return not is_blank(code) and (isinstance(code, (int, float)) or (
                bool(_CODE_LIKE.match(text_value(code))) and any(ch.isdigit() for ch in text_value(code))))

        seen: dict[tuple, int] = {}
        numeric: dict[tuple, list[int]] = {}
        decimal_rows = {i + 1 for i in range(t.header_row + 1, len(t.rows)) if code_col < len(t.rows[i])
                        and isinstance(t.rows[i][code_col], float) and not t.rows[i][code_col].is_integer()}
        self._code_formats = self._number_formats(t.name, code_col, decimal_rows) if decimal_rows else {}
        count = 0
        for excel_row, row in self._rows(t, qcols, lambda v: parse_yesno(v) is not None, is_key):
            count += 1
            ok = True
            name = self._name_cell(t, excel_row, row)
            ok &= name is not None
            iid, new_inst = None, False
            if name is not None:
                found, iid, new_inst = self._institution(t, excel_row, name)
                ok &= found
            code, code_ok = self._code(t, excel_row, t.cell(row, "service_code"), iid, numeric)
            ok &= code_ok
            answers = []
            n = len(row)
            for c, label, letter in qidx:
                v = row[c] if c < n else None
                try:
                    got = seen_values.get(v)
                except TypeError:  # an unhashable value: parse it directly
                    got = None
                if got is None:
                    got = read(v)
                    if len(seen_values) < 1000 and isinstance(v, (str, int, float, bool, type(None))):
                        seen_values[v] = got
                a, how = got
                if how != "ok":
                    cell = f"{letter}{excel_row}"
                    if how == "lenient":
                        out.warn("yesno_lenient", sheet=name_sheet, row=excel_row, column=label, value=v,
                                 cell=cell, meaning=YES_WORD if a else NO_WORD)
                    elif how == "hidden":
                        out.warn("yesno_hidden", sheet=name_sheet, row=excel_row, column=label,
                                 value=show(v), cell=cell, meaning=YES_WORD if a else NO_WORD)
                    elif how == "blank":
                        out.add("missing_answer", sheet=name_sheet, row=excel_row, column=label, value="",
                                cell=cell)
                        ok = False
                        continue
                    else:
                        code_ = {"mark": "yesno_mark", "partial": "yesno_partial"}.get(how, "bad_yesno")
                        out.add(code_, sheet=name_sheet, row=excel_row, column=label, value=v, cell=cell)
                        ok = False
                answers.append(a)
            audience = None
            raw_aud = t.cell(row, "audience")
            if not is_blank(raw_aud):
                audience = audiences.get(raw_aud) if isinstance(raw_aud, str) else None
                if audience is None:
                    audience = AUDIENCES.get(normalise(text_value(raw_aud)))
                    if audience is not None and isinstance(raw_aud, str) and len(audiences) < 100:
                        audiences[raw_aud] = audience
                if audience is None:
                    out.add("bad_audience", sheet=name_sheet, row=excel_row, column=t.column("audience"),
                            value=raw_aud, cell=t.ref(excel_row, "audience"))
                    ok = False
            if name is not None and code is not None:
                key = (iid if iid is not None else "new:" + normalise(name), normalise_code(code))
                if key in seen:
                    first = seen[key]
                    dup = "code_zero_dropped_rows" if (iid, key[1]) in numeric else "duplicate_service"
                    out.add(dup, sheet=name_sheet, row=excel_row, column=t.column("service_code"), value=code,
                            institution=name, first_row=first, cell=t.ref(excel_row, "service_code"))
                    ok = False
                else:
                    seen[key] = excel_row
            if not ok:
                continue
            # has_service, with the code key folded above (the registry's pairs hold folded codes)
            new_service = new_inst or iid is None or (int(iid), key[1]) not in self.reg.services
            if new_service and not new_inst:
                out.warn("new_service", sheet=name_sheet, row=excel_row, column=t.column("service_code"),
                         value=code, institution=self.reg.name(iid), cell=t.ref(excel_row, "service_code"))
            sname = t.cell(row, "service_name")
            comment = t.cell(row, "comment")
            self.pw.services.append(ServiceRecord(
                row=excel_row, institution_id=iid, institution_name=name, service_code=code,
                service_name=None if is_blank(sname) else text_value(sname), audience=audience,
                answers=tuple(answers), comment=None if is_blank(comment) else str(comment).strip()[:MAX_TEXT],
                new_institution=new_inst, new_service=new_service, cell=t.ref(excel_row, "service_code")))
        # A number cell shows 7.1 for what was typed 7.10: a file holding the same
        # institution's 7.1 both as a number and as a longer code cannot be read.
        texts = {k for k in seen}
        for (iid, code), rows in numeric.items():
            longer = sorted(c for (i, c) in texts if i == iid and c != code and re.fullmatch(re.escape(code) + "0+", c))
            if longer:
                for r in rows:
                    out.add("code_zero_dropped", sheet=name_sheet, row=r, column=t.column("service_code"), value=code,
                            cell=ref(r, code_col), other=", ".join(longer))
        if count == 0:
            out.warn("empty_sheet", sheet=t.name)

    # -- Infrastructure
    def _number_formats(self, sheet: str, col: int, rows: set[int]) -> dict[int, str]:
        """Number formats of the cells of column ``col`` in ``rows`` (1-based), read with openpyxl."""
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
        t.aliases = column_aliases("Infrastructure", m)
        if not t.find_header("id", t.aliases, 0, self.out):
            return
        if not t.require(["id", "answer"], self.out):
            return
        self._warn_renamed(t)
        self._warn_layout(t)
        questions = {q.id: q for q in m.questions}
        components = {str(c.number) for c in m.components}

        def valid(v):
            return parse_yesno(v) is not None or parse_percent_text(v) is not None

        def qid_of(raw) -> str:
            return text_value(raw).rstrip(".") if not _is_date(raw) else ""

        def is_key(row) -> bool:
            return qid_of(t.cell(row, "id")) in questions

        def component(excel_row, row) -> bool:
            # "2 | eID | (empty)": a component's heading between its questions, not a question.
            raw_id = t.cell(row, "id")
            if not is_blank(raw_id) and qid_of(raw_id) in components and is_blank(t.cell(row, "answer")):
                self.out.warn("rows_skipped_component", sheet=t.name, row=excel_row, value=show(raw_id),
                              cell=t.ref(excel_row, "id"))
                return True
            return False

        rows = list(self._rows(t, ["answer"], valid, is_key, component))
        numeric_rows = {r for r, row in rows if isinstance(t.cell(row, "answer"), (int, float))
                        and not isinstance(t.cell(row, "answer"), bool)}
        formats = self._number_formats(t.name, t.cols["answer"], numeric_rows) if numeric_rows else {}
        seen: dict[str, int] = {}
        for excel_row, row in rows:
            raw_id, v = t.cell(row, "id"), t.cell(row, "answer")
            id_col, id_cell = t.column("id"), t.ref(excel_row, "id")
            if is_blank(raw_id):
                self.out.add("missing_value", sheet=t.name, row=excel_row, column=id_col, value="",
                             expected=EXPECT_QID, cell=id_cell)
                continue
            if _is_date(raw_id):
                self.out.add("question_id_date", sheet=t.name, row=excel_row, column=id_col, value=raw_id,
                             cell=id_cell)
                continue
            qid = self._text_cell(t, excel_row, "id", raw_id).rstrip(".")
            q = questions.get(qid)
            if q is None:
                self.out.add("unknown_question", sheet=t.name, row=excel_row, column=id_col, value=qid,
                             known=", ".join(questions), cell=id_cell)
                continue
            if isinstance(raw_id, float):
                longer = [k for k in questions if k != qid and re.fullmatch(re.escape(qid) + "0+", k)]
                if longer:
                    self.out.add("code_zero_dropped", sheet=t.name, row=excel_row, column=id_col, value=qid,
                                 cell=id_cell, other=", ".join(longer))
                    continue
            if qid in seen:
                self.out.add("duplicate_question", sheet=t.name, row=excel_row, column=id_col, value=qid,
                             first_row=seen[qid], cell=id_cell)
                continue
            seen[qid] = excel_row
            col, cell = t.column("answer"), t.ref(excel_row, "answer")
            if is_blank(v):
                if q.type == "yesno":
                    self.out.add("missing_answer", sheet=t.name, row=excel_row, column=col, value="", cell=cell)
                else:
                    self.out.add("missing_value", sheet=t.name, row=excel_row, column=col, value="",
                                 expected=EXPECT_PERCENT, cell=cell)
                continue
            if q.type == "yesno":
                a, how = A.read_yesno(v)
                if how in ("lenient", "hidden"):
                    self.out.warn("yesno_lenient" if how == "lenient" else "yesno_hidden", sheet=t.name,
                                  row=excel_row, column=col, value=show(v), cell=cell,
                                  meaning=YES_WORD if a else NO_WORD)
                elif how != "ok":
                    code_ = {"mark": "yesno_mark", "partial": "yesno_partial"}.get(how, "bad_yesno")
                    self.out.add(code_, sheet=t.name, row=excel_row, column=col, value=v, cell=cell)
                    continue
                value = float(a)
            else:
                value = parse_percent_text(v)
                if value is None:
                    self.out.add("bad_percent", sheet=t.name, row=excel_row, column=col, value=v, cell=cell)
                    continue
                if excel_row in formats and "%" in formats[excel_row]:
                    value = round(value * 100, 9)  # 0.51 shown as 51 % → 51
                elif isinstance(v, (int, float)) and 0 < value < 1:
                    self.out.warn("percent_fraction", sheet=t.name, row=excel_row, column=col, value=v, cell=cell,
                                  pct=show(round(value * 100, 6)))
                if not 0 <= value <= 100:
                    self.out.add("percent_range", sheet=t.name, row=excel_row, column=col, value=show(value),
                                 cell=cell)
                    continue
            self.pw.infrastructure.append(InfrastructureAnswer(row=excel_row, question_id=qid, value=value,
                                                               cell=cell))
        for qid in questions:
            if qid not in seen:
                self.out.add("question_missing", sheet=t.name, column=t.column("id"), value=qid)

    # -- Coverage
    def _coverage(self, t: _Table) -> None:
        t.aliases = column_aliases("Coverage", None)
        if not t.find_header("institution", t.aliases, 0, self.out):
            return
        keys = ["services_transferable", "e_services_provided"]
        if not t.require(["institution", *keys], self.out):
            return
        self._warn_renamed(t)
        self._warn_layout(t)
        inst_col = t.cols["institution"]

        def is_key(row) -> bool:
            inst = row[inst_col] if inst_col < len(row) else None
            return not is_blank(inst) and self._resolve(text_value(inst)).institution_id is not None

        seen: dict[object, int] = {}
        count = 0
        for excel_row, row in self._rows(t, keys, lambda v: parse_count(v)[0] is not None, is_key):
            count += 1
            ok = True
            name = self._name_cell(t, excel_row, row)
            ok &= name is not None
            nums = {}
            for k in keys:
                v = t.cell(row, k)
                cell = t.ref(excel_row, k)
                if is_blank(v):
                    self.out.add("missing_value", sheet=t.name, row=excel_row, column=t.column(k), value="",
                                 expected=EXPECT_COUNT, cell=cell)
                    ok = False
                    continue
                n, err = parse_count(v)
                if err:
                    self.out.add(err, sheet=t.name, row=excel_row, column=t.column(k), value=v, cell=cell)
                    ok = False
                nums[k] = n
            if ok and nums["e_services_provided"] > nums["services_transferable"]:
                self.out.add("provided_gt_transferable", sheet=t.name, row=excel_row,
                             column=t.column("e_services_provided"), value=nums["e_services_provided"],
                             provided=nums["e_services_provided"], transferable=nums["services_transferable"],
                             cell=t.ref(excel_row, "e_services_provided"))
                ok = False
            iid, new_inst = None, False
            if name is not None:
                found, iid, new_inst = self._institution(t, excel_row, name)
                ok &= found
                key = iid if iid is not None else "new:" + normalise(name)
                if key in seen:
                    self.out.add("duplicate_institution", sheet=t.name, row=excel_row,
                                 column=t.column("institution"), value=name, first_row=seen[key],
                                 cell=t.ref(excel_row, "institution"))
                    ok = False
                else:
                    seen[key] = excel_row
            if ok:
                self.pw.coverage.append(CoverageRecord(
                    row=excel_row, institution_id=iid, institution_name=name,
                    transferable=nums["services_transferable"], provided=nums["e_services_provided"],
                    new_institution=new_inst, cell=t.ref(excel_row, "institution")))
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

"""Checks on an uploaded file as a container, before any spreadsheet parser sees it.

An .xlsx is a zip archive of XML parts. Parsers trust that archive; this module
does not. It refuses what is not a plain .xlsx (macros, encryption, old .xls,
renamed CSV), what is damaged, and what would cost far more memory or time to
unpack than any real assessment workbook (zip bombs, giant sheets). Limits are
module constants so that operators can read them in one place (docs/FORMATS.md
repeats them).

Two levels, because they cost differently:

- :func:`check_container` reads only the archive's directory (cheap; the
  server runs it before anything else).
- :func:`check_parts` unpacks every part once and checks what the XML
  *announces* against what is really there: each part must unpack to exactly
  the size the archive declares, no part may declare a DTD or entities
  (billion laughs), and the shared-string table may not promise more strings
  than its bytes can hold (python-calamine reserves memory for the promised
  count before reading a single string: a 3 KB file promising 4·10¹² strings
  aborted the whole process). The reader runs it inside the bounded child
  process of :mod:`ingest.sandbox`.

:func:`sheet_extent` bounds a sheet by its largest cell reference, not by the
number of ``<row>`` elements: one cell at ``GR1048576`` in an ordinary row
makes a reader build a grid of 200 million cells. Only cells that carry a
value count, because only those make the grid grow (python-calamine skips
empty, merely formatted cells), so a sheet formatted far below its data is
still read.
"""

from __future__ import annotations

import io
import os
import re
import struct
import zipfile
import zlib

from .model import Issue

MAX_FILE_BYTES = 20 * 1024 * 1024  # a full national self-assessment is well under 2 MB
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024  # sum of all parts, as declared by the archive
MAX_MEMBER_BYTES = 100 * 1024 * 1024  # any single part
MAX_RATIO = 100  # compression ratio allowed for big parts; XML rarely exceeds 20
RATIO_MIN_BYTES = 1024 * 1024  # small parts may compress extremely (empty styles…)
MAX_MEMBERS = 1000  # a workbook has a few dozen parts
MAX_ROWS = 50_000  # data rows per sheet, applied by the reader
# Rows above the data do not count against MAX_ROWS: the header may sit anywhere in the
# first ten rows, and the template puts a row of wording under it.
HEADER_ALLOWANCE = 11
MAX_COLUMNS = 200  # per sheet, applied by the reader
MAX_SHEETS = 250  # sheets listed in workbook.xml (Excel's own practical limit is memory)
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384  # the largest grid any spreadsheet can address
MIN_SHARED_STRING_BYTES = 5  # "<si/>": no shared string takes fewer bytes
MIN_CELL_BYTES = 16  # '<c t="s"><v>0</v>' and its end tag: no cell referring to a string is shorter

ALLOWED_EXTENSIONS = (".xlsx",)
# Spreadsheets people save in other formats: refused with a "save as .xlsx" hint of their own.
OTHER_FORMATS = {".ods": "ods_file", ".fods": "ods_file", ".xls": "xls_file", ".csv": "csv_file", ".tsv": "csv_file",
                 ".txt": "csv_file"}
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: encrypted xlsx or .xls
ZIP_MAGIC = (b"PK\x03\x04",)  # an empty archive (PK\x05\x06) holds no workbook anyway
REQUIRED_MEMBERS = ("[Content_Types].xml", "xl/workbook.xml")
ZIP_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # what Excel and LibreOffice write


def _mb(n: int) -> dict[str, str]:
    """Megabytes in each language's CLDR format (the message picks its language's: ``20,0`` / ``20.0``)."""
    from l10n import fmt_num

    return {lang: fmt_num(n / (1024 * 1024), lang, 1) for lang in ("az", "en")}


def _issue(file_name: str, code: str, value=None, **params) -> Issue:
    return Issue(file=file_name, sheet=None, row=None, column=None, value=value, code=code, params=params)


def _looks_like_text(head: bytes) -> bool:
    """True for CSV/TSV/plain text: decodable and free of control bytes."""
    sample = head[:4096]
    if sample.startswith(b"\xef\xbb\xbf"):
        return True
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = sample.decode("cp1251")  # Russian-era exports
        except UnicodeDecodeError:
            return False
    return all(ch.isprintable() or ch in "\r\n\t" for ch in text)


def _ole2_kind(data: bytes) -> str:
    """An OLE2 compound file is an .xlsx encrypted with a password or an old .xls: its stream names tell."""
    if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
        return "encrypted_file"
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "xls_file"
    return "ole2_file"


def check_container(data: bytes, file_name: str) -> list[Issue]:
    """Problems that make ``data`` unsafe or impossible to parse; empty when it may be parsed.

    Never raises: every failure, including a broken archive, becomes an Issue.
    """
    ext = os.path.splitext(file_name or "")[1].lower()
    if ext in OTHER_FORMATS:
        return [_issue(file_name, OTHER_FORMATS[ext], ext, ext=ext)]
    if ext not in ALLOWED_EXTENSIONS:
        return [_issue(file_name, "bad_extension", ext or "(none)", ext=ext or "(none)")]
    if not data:
        return [_issue(file_name, "empty_file", 0)]
    size = len(data)
    if size > MAX_FILE_BYTES:
        return [_issue(file_name, "file_too_large", size, size_mb=_mb(size), max_mb=_mb(MAX_FILE_BYTES))]
    if data.startswith(OLE2_MAGIC[:4]):
        return [_issue(file_name, _ole2_kind(data))]
    if not data.startswith(ZIP_MAGIC):
        code = "text_file" if _looks_like_text(data) else "not_zip"
        return [_issue(file_name, code, data[:16].hex(" "))]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        return [_issue(file_name, "corrupt_zip", detail=type(exc).__name__ + ": " + str(exc)[:120])]
    except Exception as exc:  # noqa: BLE001 - hostile input may trip anything in zipfile
        return [_issue(file_name, "corrupt_zip", detail=type(exc).__name__)]

    issues: list[Issue] = []
    if len(infos) > MAX_MEMBERS:
        return [_issue(file_name, "zip_bomb_members", len(infos), count=len(infos), max=MAX_MEMBERS)]
    total = 0
    names = set()
    for info in infos:
        names.add(info.filename)
        total += info.file_size
        if info.flag_bits & 0x1:
            issues.append(_issue(file_name, "zip_encrypted", info.filename, member=info.filename))
        if info.file_size > MAX_MEMBER_BYTES:
            issues.append(_issue(file_name, "zip_bomb_member", info.file_size, member=info.filename,
                                 size_mb=_mb(info.file_size), max_mb=_mb(MAX_MEMBER_BYTES)))
        elif info.file_size >= RATIO_MIN_BYTES:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > MAX_RATIO:
                issues.append(_issue(file_name, "zip_bomb_ratio", round(ratio), member=info.filename,
                                     ratio=round(ratio), max=MAX_RATIO))
        base = info.filename.rsplit("/", 1)[-1].lower()
        if base in ("vbaproject.bin", "vbaprojectsignature.bin") or base.endswith(".bin") and "vba" in base:
            issues.append(_issue(file_name, "macros", info.filename, member=info.filename))
    if total > MAX_UNCOMPRESSED_BYTES:
        issues.append(_issue(file_name, "zip_bomb_size", total, size_mb=_mb(total), max_mb=_mb(MAX_UNCOMPRESSED_BYTES)))
    if "mimetype" in names and "xl/workbook.xml" not in names:
        return [_issue(file_name, "ods_file", ".ods", ext=".ods")]  # an OpenDocument file renamed to .xlsx
    for member in REQUIRED_MEMBERS:
        if member not in names:
            issues.append(_issue(file_name, "not_workbook", member, member=member))
    # A workbook declared macro-enabled in its content types is refused even if
    # the macro part was stripped: Excel would reopen it as .xlsm.
    if not issues and "[Content_Types].xml" in names:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                ct = zf.read("[Content_Types].xml")
        except Exception as exc:  # noqa: BLE001 - CRC errors, truncated data, bad compression
            return [_issue(file_name, "corrupt_zip", detail=type(exc).__name__ + ": " + str(exc)[:120])]
        if b"macroEnabled" in ct or b"vbaProject" in ct:
            issues.append(_issue(file_name, "macros", "[Content_Types].xml", member="[Content_Types].xml"))
    return issues


# --------------------------------------------------------------------------- parts

_CHUNK = 1 << 16
_DTD_MARKS = (b"<!DOCTYPE", b"<!ENTITY")
_SST_HEAD = re.compile(rb"<(?:\w+:)?sst\b([^>]*)>")
_ATTR_COUNT = re.compile(rb"""\s(count|uniqueCount)\s*=\s*["']([^"']*)["']""")
_SHEET_ENTRY = re.compile(rb"<(?:\w+:)?sheet\b")
_DIMENSION = re.compile(rb"""<(?:\w+:)?dimension\b[^>]*?\sref\s*=\s*["']([^"']*)["']""")
_MERGE = re.compile(rb"""<(?:\w+:)?mergeCell\b[^>]*?\sref\s*=\s*["']([^"']*)["']""")
_REF = re.compile(r"^\$?([A-Za-z]{1,10})\$?(\d{1,12})$")
_SHEET_ROOT = re.compile(rb"<(?:\w+:)?worksheet\b")


def _unpacked(data: bytes, info: zipfile.ZipInfo) -> tuple[bytes | None, str | None]:
    """The part's bytes, unpacked with a cap at its declared size, or (None, issue code).

    Reads the raw stream instead of trusting :mod:`zipfile`: zipfile stops at
    the declared size, but a native reader may inflate a lying entry to its
    real end. An entry that unpacks to more (or fewer) bytes than declared is
    refused, as is any compression method office programs never use.
    """
    if info.compress_type not in ZIP_METHODS:
        return None, "zip_method"
    pos = info.header_offset
    if data[pos:pos + 4] != b"PK\x03\x04":
        return None, "corrupt_zip"
    name_len, extra_len = struct.unpack_from("<HH", data, pos + 26)
    start = pos + 30 + name_len + extra_len
    raw = data[start:start + info.compress_size]
    if len(raw) != info.compress_size:
        return None, "corrupt_zip"
    if info.compress_type == zipfile.ZIP_STORED:
        out = raw
    else:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        parts, size = [], 0
        try:
            for k in range(0, len(raw), _CHUNK):
                piece = inflater.decompress(raw[k:k + _CHUNK], info.file_size + 1 - size)
                parts.append(piece)
                size += len(piece)
                if size > info.file_size or inflater.unconsumed_tail:
                    return None, "zip_size_lie"
            piece = inflater.flush(info.file_size + 1 - size)
            parts.append(piece)
            size += len(piece)
        except zlib.error:
            return None, "corrupt_zip"
        out = b"".join(parts)
    if len(out) != info.file_size:
        return None, "zip_size_lie"
    return out, None


def _ref(text: str) -> tuple[int, int] | None:
    """(row, column) of a cell reference such as ``GR1048576``, 1-based; None when malformed."""
    m = _REF.match(text.strip())
    if not m:
        return None
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def _range(text: str) -> tuple[int, int] | None:
    """(rows, columns) spanned by ``A1`` or ``A1:C9``; None when malformed."""
    ends = [_ref(p) for p in text.split(":")] if text.count(":") <= 1 else [None]
    if not ends or any(e is None for e in ends):
        return None
    if len(ends) == 1:
        return 1, 1
    (r1, c1), (r2, c2) = ends
    return abs(r2 - r1) + 1, abs(c2 - c1) + 1


def _parts_issue(file_name: str, code: str, member: str, **params) -> Issue:
    return _issue(file_name, code, member, member=member, **params)


def check_parts(data: bytes, file_name: str) -> list[Issue]:
    """What the workbook's XML announces, checked against what is there; empty when it may be parsed.

    Run after :func:`check_container` passed. Never raises.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except Exception as exc:  # noqa: BLE001 - hostile input may trip anything in zipfile
        return [_issue(file_name, "corrupt_zip", detail=type(exc).__name__)]
    issues: list[Issue] = []
    shared: list[tuple[str, bytes, int]] = []  # (member, <sst …> attributes, unpacked size)
    sheet_bytes = 0
    for info in infos:
        if info.is_dir():
            continue
        body, code = _unpacked(data, info)
        if code:
            issues.append(_parts_issue(file_name, code, info.filename, method=info.compress_type,
                                       size=info.file_size, detail=info.filename))
            continue
        if info.filename.lower().endswith((".xml", ".rels")) and any(mark in body for mark in _DTD_MARKS):
            issues.append(_parts_issue(file_name, "xml_dtd", info.filename))
            continue
        head = body[:4096]
        sst = _SST_HEAD.search(head)
        if sst:
            shared.append((info.filename, sst.group(1), len(body)))
        if info.filename == "xl/workbook.xml":
            n = len(_SHEET_ENTRY.findall(body))
            if n > MAX_SHEETS:
                issues.append(_parts_issue(file_name, "too_many_sheets", info.filename, count=n, max=MAX_SHEETS))
        if _SHEET_ROOT.search(head):
            sheet_bytes += len(body)
            issues += _sheet_announcements(file_name, info.filename, body)
    for member, attrs, size in shared:
        counts = {k.decode(): v.decode("ascii", "replace") for k, v in _ATTR_COUNT.findall(attrs)}
        room = {"uniqueCount": size // MIN_SHARED_STRING_BYTES + 1,
                "count": max(sheet_bytes // MIN_CELL_BYTES + 1, size // MIN_SHARED_STRING_BYTES + 1)}
        for key, value in counts.items():
            if not value.isdigit() or int(value) > room[key]:
                issues.append(_parts_issue(file_name, "announced_count", member, count=value[:30], max=room[key]))
                break
    return issues


def _sheet_announcements(file_name: str, member: str, xml: bytes) -> list[Issue]:
    """A sheet's declared range must be addressable; merged areas must fit the sheet limits."""
    out = []
    m = _DIMENSION.search(xml[:65536])
    if m:
        ref = m.group(1).decode("ascii", "replace")
        span = _range(ref)
        ends = [_ref(p) for p in ref.split(":")] if span else []
        if span is None or any(r > EXCEL_ROWS or c > EXCEL_COLUMNS for r, c in ends):
            out.append(_parts_issue(file_name, "bad_dimension", member, ref=ref[:40]))
    # Merges are rare: look for them only in a part that names one (a full regex scan of a large sheet costs).
    for raw in _MERGE.findall(xml) if b"mergeCell" in xml else ():
        ref = raw.decode("ascii", "replace")
        span = _range(ref)
        if span is None or span[0] > MAX_ROWS or span[1] > MAX_COLUMNS:
            rows, cols = span or ("?", "?")
            out.append(_parts_issue(file_name, "merge_too_large", member, ref=ref[:40], rows=rows, cols=cols,
                                    max_rows=MAX_ROWS, max_cols=MAX_COLUMNS))
            break
    return out


# --------------------------------------------------------------------------- sheet extent

# A cell that holds something: an opening tag that is not self-closing, followed by
# a value, an inline string or a formula. Empty styled cells do not make a grid grow.
_VALUE_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr\s*=\s*"\$?([A-Za-z]+)\$?(\d+)"[^>]*?(?<!/)>\s*<(?:\w+:)?(?:v|is|f)\b')
_VALUE_CELL = re.compile(rb"<(?:\w+:)?c\b[^>]*?(?<!/)>\s*<(?:\w+:)?(?:v|is|f)\b")
_ROW_OPEN = re.compile(rb"<(?:\w+:)?row\b")
_ROW_WITHOUT_R = re.compile(rb'<(?:\w+:)?row\b(?![^>]*\sr\s*=)')
_CAP = 10 ** 12  # numbers shown in messages stay readable


def _letters(letters: bytes) -> int:
    if len(letters) > 8:
        return _CAP
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def sheet_extent(xml: bytes) -> tuple[int, int]:
    """(rows, columns) of the grid a reader builds for a sheet part: up to its farthest cell with a value.

    Cells and rows written without an ``r`` reference (allowed, rare) are
    counted where a reader would place them, conservatively.
    """
    refs = _VALUE_CELL_REF.findall(xml)
    rows = min(max((int(d) for d in {d for _, d in refs}), default=0), _CAP)
    cols = max((_letters(x) for x in {x for x, _ in refs}), default=0)
    if len(_VALUE_CELL.findall(xml)) > len(refs):
        # Cells without references follow their left neighbour: count them per row.
        widest = max((len(_VALUE_CELL.findall(piece)) for piece in _ROW_OPEN.split(xml)[1:]), default=0)
        cols += widest
    rows += len(_ROW_WITHOUT_R.findall(xml))
    return rows, min(cols, _CAP)

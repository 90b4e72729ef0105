"""Checks on an uploaded file as a container, before any spreadsheet parser sees it.

An .xlsx is a zip archive of XML parts. Parsers trust that archive; this module
does not. It refuses what is not a plain .xlsx (macros, encryption, old .xls,
renamed CSV), what is damaged, and what would cost far more memory or time to
unpack than any real assessment workbook (zip bombs, giant sheets). Limits are
module constants so that operators can read them in one place (docs/FORMATS.md
repeats them).
"""

from __future__ import annotations

import io
import os
import zipfile

from .model import Issue

MAX_FILE_BYTES = 20 * 1024 * 1024  # a full national self-assessment is well under 2 MB
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024  # sum of all parts, as declared by the archive
MAX_MEMBER_BYTES = 100 * 1024 * 1024  # any single part
MAX_RATIO = 100  # compression ratio allowed for big parts; XML rarely exceeds 20
RATIO_MIN_BYTES = 1024 * 1024  # small parts may compress extremely (empty styles…)
MAX_MEMBERS = 1000  # a workbook has a few dozen parts
MAX_ROWS = 50_000  # per sheet, applied by the reader
MAX_COLUMNS = 200  # per sheet, applied by the reader

ALLOWED_EXTENSIONS = (".xlsx",)
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: encrypted xlsx or .xls
ZIP_MAGIC = (b"PK\x03\x04",)  # an empty archive (PK\x05\x06) holds no workbook anyway
REQUIRED_MEMBERS = ("[Content_Types].xml", "xl/workbook.xml")


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


def check_container(data: bytes, file_name: str) -> list[Issue]:
    """Problems that make ``data`` unsafe or impossible to parse; empty when it may be parsed.

    Never raises: every failure, including a broken archive, becomes an Issue.
    """
    ext = os.path.splitext(file_name or "")[1].lower()
    if ext not in ALLOWED_EXTENSIONS:
        return [_issue(file_name, "bad_extension", ext or "(none)", ext=ext or "(none)")]
    if not data:
        return [_issue(file_name, "empty_file", 0)]
    size = len(data)
    if size > MAX_FILE_BYTES:
        return [_issue(file_name, "file_too_large", size, size_mb=_mb(size), max_mb=_mb(MAX_FILE_BYTES))]
    if data.startswith(OLE2_MAGIC[:4]):
        return [_issue(file_name, "ole2_file")]
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

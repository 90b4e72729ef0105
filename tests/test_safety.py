"""Container checks: limits, magic numbers and the defusedxml guard."""

from __future__ import annotations

import io
import zipfile

import openpyxl

from ingest import safety
from ingest.safety import check_container
from tests.badfiles import make_self_workbook, self_row


def _codes(data, name="f.xlsx"):
    return [i.code for i in check_container(data, name)]


def test_valid_workbook_passes():
    assert check_container(make_self_workbook([self_row()]), "ok.xlsx") == []
    assert check_container(make_self_workbook([self_row()]), "OK.XLSX") == []


def test_extensions():
    good = make_self_workbook([self_row()])
    for name in ("a.xlsm", "a", "a.xlsx.exe"):
        assert _codes(good, name) == ["bad_extension"]
    # Other spreadsheet formats get their own "save as .xlsx" hint.
    for name, code in (("a.xls", "xls_file"), ("a.ods", "ods_file"), ("a.CSV", "csv_file")):
        assert _codes(good, name) == [code]


def test_formats_recognised_by_content():
    ods = io.BytesIO()
    with zipfile.ZipFile(ods, "w") as zf:
        zf.writestr("mimetype", b"application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", b"<x/>")
    assert _codes(ods.getvalue()) == ["ods_file"]
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    assert _codes(ole + "Workbook".encode("utf-16-le")) == ["xls_file"]
    assert _codes(ole + "EncryptionInfo".encode("utf-16-le")) == ["encrypted_file"]
    assert _codes(ole) == ["ole2_file"]


def test_oversize(monkeypatch):
    monkeypatch.setattr(safety, "MAX_FILE_BYTES", 100)
    assert _codes(make_self_workbook([self_row()])) == ["file_too_large"]


def test_too_many_members(monkeypatch):
    monkeypatch.setattr(safety, "MAX_MEMBERS", 3)
    assert _codes(make_self_workbook([self_row()])) == ["zip_bomb_members"]


def test_total_uncompressed(monkeypatch):
    monkeypatch.setattr(safety, "MAX_UNCOMPRESSED_BYTES", 1000)
    assert "zip_bomb_size" in _codes(make_self_workbook([self_row()]))


def test_encrypted_member():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", b"<x/>")
        zf.writestr("xl/workbook.xml", b"<x/>")
    raw = bytearray(buf.getvalue())
    # set the "encrypted" flag bit in the central directory entries
    pos = raw.find(b"PK\x01\x02")
    while pos >= 0:
        raw[pos + 8] |= 1
        pos = raw.find(b"PK\x01\x02", pos + 4)
    assert "zip_encrypted" in _codes(bytes(raw))


def test_macro_content_type():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", b"<Types>application/vnd.ms-excel.sheet.macroEnabled.main+xml</Types>")
        zf.writestr("xl/workbook.xml", b"<x/>")
    assert _codes(buf.getvalue()) == ["macros"]


def test_openpyxl_uses_defusedxml():
    # The reader reads number formats with openpyxl; it must parse uploads with defusedxml.
    assert openpyxl.DEFUSEDXML is True


def test_never_raises_on_garbage():
    for data in (b"PK\x03\x04", b"PK\x03\x04" + b"\xff" * 100, b"\xd0\xcf", b"\x00", "şəkil".encode()):
        assert check_container(data, "g.xlsx")

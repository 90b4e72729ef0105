"""Hostile workbooks: files built to crash, exhaust or fool a spreadsheet reader.

Each is written from raw XML (not through openpyxl, which would refuse to
write most of them), small on disk and aimed at one weakness. ``corpus()``
returns (file name, bytes, expected issue code); ``tests/test_hostile_files.py``
checks each is refused within seconds while the server keeps serving.
The first two are the cases reported in issue 11.
"""

from __future__ import annotations

import io
import struct
import zipfile

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_PKG = "http://schemas.openxmlformats.org/package/2006"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_SST_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
LAUGHS = ('<!DOCTYPE lolz [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
          '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
          '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">'
          '<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]>')


def _s(text: str) -> str:
    return f'<c t="inlineStr"><is><t>{text}</t></is></c>'


def sheet(rows_xml: str, *, dimension: str | None = None, tail: str = "", prolog: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<?xml version="1.0"?>{prolog}<worksheet {NS}>{dim}<sheetData>{rows_xml}</sheetData>{tail}</worksheet>'


def row(r: int, *cells: str) -> str:
    return f'<row r="{r}">' + "".join(cells) + "</row>"


def cell(ref: str, text: str | None = None, number: float | None = None) -> str:
    if text is not None:
        return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'
    return f'<c r="{ref}"><v>{number if number is not None else 1}</v></c>'


META = sheet(row(1, cell("A1", "round"), cell("B1", "2024")) + row(2, cell("A2", "source"), cell("B2", "self")))
HEADER = row(1, cell("A1", "institution"), cell("B1", "service_code"), cell("C1", "q1"))


def xlsx(sheets: dict[str, str], shared: str | None = None, *, workbook: str | None = None,
         extra: dict[str, bytes] | None = None, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A minimal, well-formed .xlsx container around the given parts."""
    ct = [f'<?xml version="1.0"?><Types xmlns="{_PKG}/content-types">',
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>',
          '<Default Extension="xml" ContentType="application/xml"/>',
          '<Override PartName="/xl/workbook.xml" '
          'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>']
    rels = [f'<?xml version="1.0"?><Relationships xmlns="{_PKG}/relationships">']
    entries = []
    members: dict[str, bytes] = {}
    for i, (name, xml) in enumerate(sheets.items(), 1):
        ct.append(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_SHEET_CT}"/>')
        rels.append(f'<Relationship Id="rId{i}" Type="{_DOC}/worksheet" Target="worksheets/sheet{i}.xml"/>')
        entries.append(f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>')
        members[f"xl/worksheets/sheet{i}.xml"] = xml.encode()
    if shared is not None:
        ct.append(f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SST_CT}"/>')
        rels.append(f'<Relationship Id="rIdS" Type="{_DOC}/sharedStrings" Target="sharedStrings.xml"/>')
        members["xl/sharedStrings.xml"] = shared.encode()
    ct.append("</Types>")
    rels.append("</Relationships>")
    members["[Content_Types].xml"] = "".join(ct).encode()
    members["_rels/.rels"] = (f'<?xml version="1.0"?><Relationships xmlns="{_PKG}/relationships"><Relationship '
                              f'Id="rId1" Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>').encode()
    members["xl/workbook.xml"] = (workbook or f'<?xml version="1.0"?><workbook {NS} {RNS}><sheets>'
                                  + "".join(entries) + "</sheets></workbook>").encode()
    members["xl/_rels/workbook.xml.rels"] = "".join(rels).encode()
    members.update(extra or {})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def services(rows_xml: str = "", **kw) -> bytes:
    """A workbook with a Meta sheet and a Services sheet holding the header plus ``rows_xml``."""
    return xlsx({"Meta": META, "Services": sheet(HEADER + rows_xml, **{k: v for k, v in kw.items()
                                                                       if k in ("dimension", "tail", "prolog")})},
                **{k: v for k, v in kw.items() if k in ("shared", "workbook", "extra", "compression")})


def shared_strings(unique: str, count: str = "1", prolog: str = "", body: str = "<si><t>x</t></si>") -> str:
    return f'<?xml version="1.0"?>{prolog}<sst {NS} count="{count}" uniqueCount="{unique}">{body}</sst>'


def _lying_entry(real: bytes, declared: int) -> bytes:
    """A workbook whose Services sheet part unpacks to ``real`` bytes but declares ``declared`` in both headers."""
    data = bytearray(services(shared=None, extra={"xl/worksheets/sheet2.xml": real}))
    name = b"xl/worksheets/sheet2.xml"
    for sig, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        pos = data.find(sig)
        while pos >= 0:
            name_at = pos + (30 if sig == b"PK\x03\x04" else 46)
            n = struct.unpack_from("<H", data, pos + (26 if sig == b"PK\x03\x04" else 28))[0]
            if bytes(data[name_at:name_at + n]) == name:
                struct.pack_into("<I", data, pos + size_at, declared)
            pos = data.find(sig, pos + 4)
    return bytes(data)


def _deep_workbook(depth: int) -> str:
    return (f'<?xml version="1.0"?><workbook {NS} {RNS}><sheets><sheet name="Meta" sheetId="1" r:id="rId1"/>'
            f'<sheet name="Services" sheetId="2" r:id="rId2"/></sheets>' + "<x>" * depth
            + "</x>" * depth + "</workbook>")


def corpus() -> list[tuple[str, bytes, str]]:
    """(file name, bytes, the issue code the file must be refused with)."""
    big_sheet = sheet(HEADER + row(2, *[f'<c t="inlineStr"><is><t>{k}</t></is></c>' for k in range(300)]))
    padding = sheet(HEADER + "".join(row(r, cell(f"A{r}", "Vergilər Nazirliyi")) for r in range(2, 4000)))
    return [
        # Issue 11: 3 KB whose shared-string table announces 4·10¹² strings (the reader aborted the process).
        ("issue-sst-4e12.xlsx", services(row(2, '<c r="A2" t="s"><v>0</v></c>'),
                                         shared=shared_strings("4000000000000", "4000000000000")), "announced_count"),
        # Issue 11: one value at GR1048576 inside an ordinary row (56 s and 8.5 GB before).
        ("issue-cell-GR1048576.xlsx", services(row(2, cell("A2", "x"), cell("GR1048576", number=1))),
         "sheet_too_large"),
        ("sst-count-lies.xlsx", services(shared=shared_strings("1", "999999999999999")), "announced_count"),
        ("sst-count-not-a-number.xlsx", services(shared=shared_strings("lots")), "announced_count"),
        ("cell-beyond-excel-columns.xlsx", services(row(2, cell("ZZZZZZ2", "x"))), "sheet_too_large"),
        ("cell-beyond-excel-rows.xlsx", services(row(2, cell("A99999999999", number=1))), "sheet_too_large"),
        ("row-far-down.xlsx", services(row(60_001, cell("A60001", "x"))), "sheet_too_large"),
        ("cells-without-references.xlsx", xlsx({"Meta": META, "Services": big_sheet}), "sheet_too_large"),
        ("dimension-absurd.xlsx", services(dimension="A1:ZZZZ99999999"), "bad_dimension"),
        ("merge-whole-sheet.xlsx", services(tail='<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'),
         "merge_too_large"),
        ("billion-laughs-strings.xlsx", services(shared=shared_strings("1", prolog=LAUGHS, body="<si><t>&h;</t></si>")),
         "xml_dtd"),
        ("billion-laughs-sheet.xlsx", services(row(2, cell("A2", "&h;")), prolog=LAUGHS), "xml_dtd"),
        # 100 000 levels of nesting in workbook.xml: read without harm, then refused for what it lacks.
        ("deep-nesting.xlsx", services(workbook=_deep_workbook(100_000)), "missing_column"),
        ("zip-entry-lies-small.xlsx", _lying_entry(padding.encode(), 1000), "zip_size_lie"),
        ("zip-entry-lies-large.xlsx", _lying_entry(padding.encode(), len(padding) + 5000), "zip_size_lie"),
        ("zip-bzip2.xlsx", services(compression=zipfile.ZIP_BZIP2), "zip_method"),
        ("ten-thousand-sheets.xlsx", services(workbook=f'<?xml version="1.0"?><workbook {NS} {RNS}><sheets>'
                                              + '<sheet name="S" sheetId="1" r:id="rId2"/>' * 10_000
                                              + "</sheets></workbook>"), "too_many_sheets"),
    ]


def raw_calamine(data: bytes) -> int:
    """Open a workbook with python-calamine directly, skipping every check (run only inside the sandbox)."""
    import python_calamine

    wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return len(wb.sheet_names)


def raw_grid(data: bytes, sheet_name: str = "Services") -> int:
    """Build the dense grid of one sheet directly (run only inside the sandbox)."""
    import python_calamine

    wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return len(wb.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False))


def spin(seconds: float) -> int:
    """Burn CPU (a stand-in for a file that keeps a parser busy)."""
    import time

    end, n = time.monotonic() + seconds, 0
    while time.monotonic() < end:
        n += 1
    return n

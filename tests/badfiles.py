"""Builders for exchange workbooks, good and bad, for tests and benchmarks.

``bad_files()`` is a corpus of files that must each be refused whole, with the
issue code expected first among their errors; the store tests reuse it to
check that a refused import leaves the database untouched.
``make_self_workbook`` / ``make_infra_workbook`` / ``make_coverage_workbook``
build valid files from plain rows, so a test states only what it varies.
"""

from __future__ import annotations

import io
import struct
import zipfile
from functools import lru_cache
from pathlib import Path

import openpyxl
import pandas as pd

from ingest.registry import Registry

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "data" / "reference"

DEFAULT_META = {"round": "2024", "source": "self", "methodology": "2013-osce", "language": "en"}
SELF_HEADER = ["institution", "service_code", "service_name", "audience", *[f"q{i}" for i in range(1, 18)], "comment"]
EDECL = [1] * 9 + [0] * 8  # the seed's e-declaration: level 3, corruption 4
TAXES = "Vergilər Nazirliyi"  # registered, with service 7.1 in the catalogue
JUSTICE = "Ədliyyə Nazirliyi"

# The seed's infrastructure example: authentic sources 5/6, eID 4/7, eDelivery 1/3.
SEED_INFRA = {"1.1": 1, "1.2": 0, "1.3": 1, "1.4": 1, "1.5": 1, "1.6": 1, "2.1": 1, "2.2": 1, "2.3": 1, "2.4": 1,
              "2.5": 1, "2.6": 1, "2.7": 10, "3.1": 1, "3.2": 5, "3.3": 10}


def registry_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Institutions and services of the reference catalogue and the 2014 portal list."""
    portal = pd.read_csv(REFERENCE / "portal_usage_2014_07.csv")
    cat = pd.read_csv(REFERENCE / "service_catalogue.csv", dtype={"com_number": str})
    names = pd.concat([
        portal.rename(columns={"institution_az": "name_az", "institution_en": "name_en"})[["name_az", "name_en"]],
        cat.rename(columns={"provider_az": "name_az", "provider_en": "name_en"})[["name_az", "name_en"]],
    ]).dropna(subset=["name_az"]).drop_duplicates("name_az").sort_values("name_az").reset_index(drop=True)
    names.insert(0, "institution_id", range(1, len(names) + 1))
    ids = dict(zip(names["name_az"], names["institution_id"]))
    svc = cat.dropna(subset=["com_number", "provider_az"])
    services = pd.DataFrame({"institution_id": svc["provider_az"].map(ids), "code": svc["com_number"]})
    return names, services


@lru_cache(maxsize=1)
def sample_registry() -> Registry:
    return Registry.from_frames(*registry_frames())


def _save(wb: openpyxl.Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def make_workbook(sheets: dict[str, list[list]], meta: dict | None | bool = None, hidden: tuple[str, ...] = ()) -> bytes:
    """A workbook with a Meta sheet (``meta=False`` leaves it out) and the given sheets of rows."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    if meta is not False:
        ws = wb.create_sheet("Meta")
        for k, v in (DEFAULT_META if meta is None else meta).items():
            if v is not None:
                ws.append([k, v])
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
        if name in hidden:
            ws.sheet_state = "hidden"
    return _save(wb)


def self_row(institution=TAXES, code="7.1", answers=EDECL, name="Online tax declaration", audience="business",
             comment=None) -> list:
    return [institution, code, name, audience, *answers, comment]


def make_self_workbook(rows: list, meta: dict | None | bool = None, header: list[str] | None = None) -> bytes:
    """A self-assessment workbook; each row a list in SELF_HEADER order or a dict of self_row() arguments."""
    body = [self_row(**r) if isinstance(r, dict) else list(r) for r in rows]
    return make_workbook({"Services": [header or SELF_HEADER, *body]}, meta)


def make_infra_workbook(answers: dict[str, object] | None = None, meta: dict | None | bool = None) -> bytes:
    answers = SEED_INFRA if answers is None else answers
    meta = {**DEFAULT_META, "source": "expert", "scope": "national"} if meta is None else meta
    return make_workbook({"Infrastructure": [["id", "question", "answer"], *[[k, "", v] for k, v in answers.items()]]},
                         meta)


def make_coverage_workbook(rows: list[list], meta: dict | None | bool = None) -> bytes:
    return make_workbook({"Coverage": [["institution", "services_transferable", "e_services_provided"], *rows]}, meta)


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _with_member(data: bytes, name: str, payload: bytes) -> bytes:
    """A copy of the xlsx ``data`` with one more member."""
    src = zipfile.ZipFile(io.BytesIO(data))
    members = {i.filename: src.read(i.filename) for i in src.infolist()}
    members[name] = payload
    return _zip(members)


def _declare_size(data: bytes, member: str, size: int) -> bytes:
    """Patch the central directory so that ``member`` claims ``size`` bytes unpacked."""
    raw = bytearray(data)
    sig = b"PK\x01\x02"
    pos = raw.find(sig)
    while pos >= 0:
        name_len = struct.unpack_from("<H", raw, pos + 28)[0]
        name = bytes(raw[pos + 46: pos + 46 + name_len]).decode()
        if name == member:
            struct.pack_into("<I", raw, pos + 24, size)
        pos = raw.find(sig, pos + 4)
    return bytes(raw)


def _formula_workbook() -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(make_self_workbook([self_row()])))
    wb["Services"]["E2"] = "=1*1"
    return _save(wb)


def _huge_sheet() -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(make_self_workbook([self_row()])))
    wb["Services"].cell(row=60_001, column=1, value="x")  # one far cell: the sheet spans 60 001 rows
    return _save(wb)


def bad_files() -> list[tuple[str, bytes, str]]:
    """(file name, content, expected issue code) for files that must be refused."""
    good = make_self_workbook([self_row()])
    meta = dict(DEFAULT_META)
    q5_empty = list(EDECL)
    q5_empty[4] = ""
    no_q17 = SELF_HEADER[:-2] + ["comment"]
    return [
        ("bad_yesno.xlsx", make_self_workbook([self_row(answers=["maybe", *EDECL[1:]])]), "bad_yesno"),
        ("missing_answer.xlsx", make_self_workbook([self_row(answers=q5_empty)]), "missing_answer"),
        ("unknown_institution.xlsx", make_self_workbook([self_row(institution="Vergilər Nazirliyyi")]),
         "unknown_institution"),
        ("duplicate_rows.xlsx", make_self_workbook([self_row(), self_row(institution="VERGİLƏR NAZİRLİYİ")]),
         "duplicate_service"),
        ("missing_meta.xlsx", make_self_workbook([self_row()], meta=False), "meta_missing"),
        ("missing_round.xlsx", make_self_workbook([self_row()], meta={**meta, "round": None}), "meta_round_missing"),
        ("unknown_methodology.xlsx", make_self_workbook([self_row()], meta={**meta, "methodology": "1999-x"}),
         "meta_unknown_methodology"),
        ("wrong_source.xlsx", make_self_workbook([self_row()], meta={**meta, "source": "minister"}), "meta_bad_source"),
        ("missing_column.xlsx", make_self_workbook([self_row(answers=EDECL[:16])[:-1] + [None]], header=no_q17),
         "missing_column"),
        ("bad_audience.xlsx", make_self_workbook([self_row(audience="tourists")]), "bad_audience"),
        ("missing_institution.xlsx", make_self_workbook([self_row(institution=None)]), "missing_value"),
        ("percent_out_of_range.xlsx", make_infra_workbook({**SEED_INFRA, "2.5": 150}), "percent_range"),
        ("bad_percent.xlsx", make_infra_workbook({**SEED_INFRA, "3.2": "about half"}), "bad_percent"),
        ("infra_question_missing.xlsx", make_infra_workbook({k: v for k, v in SEED_INFRA.items() if k != "3.3"}),
         "question_missing"),
        ("infra_unknown_question.xlsx", make_infra_workbook({**SEED_INFRA, "4.1": 1}), "unknown_question"),
        ("infra_duplicate_question.xlsx", make_infra_workbook({**SEED_INFRA, "1.1 ": 0}), "duplicate_question"),
        ("infra_bad_yesno.xlsx", make_infra_workbook({**SEED_INFRA, "1.1": 2}), "bad_yesno"),
        ("provided_gt_transferable.xlsx", make_coverage_workbook([[TAXES, 10, 12]]), "provided_gt_transferable"),
        ("negative_number.xlsx", make_coverage_workbook([[TAXES, -1, 0]]), "negative_count"),
        ("non_integer_count.xlsx", make_coverage_workbook([[TAXES, 10, 2.5]]), "bad_count"),
        ("coverage_duplicate.xlsx", make_coverage_workbook([[TAXES, 10, 2], ["Ministry of Taxes", 10, 3]]),
         "duplicate_institution"),
        ("no_data_sheet.xlsx", make_workbook({"Notes": [["hello"]]}), "no_data_sheet"),
        ("not_a_zip.xlsx", bytes(range(256)) * 4, "not_zip"),
        ("truncated.xlsx", good[: len(good) // 2], "corrupt_zip"),
        ("empty.xlsx", b"", "empty_file"),
        ("macro_name.xlsm", good, "bad_extension"),
        ("old_format.xls", good, "xls_file"),
        ("macros_inside.xlsx", _with_member(good, "xl/vbaProject.bin", b"\x00" * 64), "macros"),
        ("zip_bomb_ratio.xlsx", _with_member(good, "xl/media/zeros.bin", b"\x00" * (2 * 1024 * 1024)),
         "zip_bomb_ratio"),
        ("zip_bomb_declared.xlsx", _declare_size(_with_member(good, "xl/media/zeros.bin", b"\x00" * 4096),
                                                 "xl/media/zeros.bin", 3_000_000_000), "zip_bomb_member"),
        ("not_a_workbook.xlsx", _zip({"readme.txt": b"hello"}), "not_workbook"),
        ("huge_sheet.xlsx", _huge_sheet(), "sheet_too_large"),
        ("formulas.xlsx", _formula_workbook(), "formula"),
        ("hidden_sheet.xlsx", make_workbook({"Services": [SELF_HEADER, self_row()]}, hidden=("Services",)),
         "hidden_sheet"),
        ("encrypted.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048, "ole2_file"),
        ("csv_renamed.xlsx", "institution,service_code,q1\nVergilər Nazirliyi,7.1,1\n".encode(), "text_file"),
    ]

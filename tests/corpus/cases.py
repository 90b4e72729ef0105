"""The corpus: workbooks that careful but human ministry staff and experts send, with their outcomes.

Each :class:`Case` builds one file (the project's templates filled by hand,
layouts made from scratch after FORMATS.md, a few plainly wrong) and states
what the importer must do with it: store so many rows with exactly these
warnings, or refuse it with exactly these errors and a message saying why.

The cases assume the store that :func:`prepare_store` sets up: the seeded
registry, round 2024 open, round 2023 closed, and the short name ``DİN``
registered for the Ministry of Internal Affairs. ``tests/corpus/build.py``
writes every case to disk and, where LibreOffice is installed, resaves some
of them through it; those resaved files are committed under ``resaved/``.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field

import openpyxl
from openpyxl.styles import Font, PatternFill

from ingest.templates import FIRST_DATA_ROW, build_template
from scoring import load_methodology
from tests.badfiles import EDECL, SEED_INFRA, SELF_HEADER, TAXES, sample_registry

M = load_methodology("2013-osce")
JUSTICE = "Ədliyyə Nazirliyi"
HEALTH = "Səhiyyə Nazirliyi"
INTERIOR = "Daxili İşlər Nazirliyi"
FUND = "Dövlət Sosial Müdafiə Fondu"
META = {"round": "2024", "source": "self", "methodology": "2013-osce", "language": "az"}
LEVEL1 = [1, 1, 0, 1, 0] + [0] * 12  # website and information only: level 1


@dataclass
class Case:
    """One file and its expected outcome (``status`` of a dry run: ``dry-run`` or ``rejected``)."""

    name: str
    build: Callable[[], bytes]
    status: str
    rows: dict[str, int] = field(default_factory=dict)  # kind -> rows the file would store
    warnings: set[str] = field(default_factory=set)  # exactly these warning codes
    errors: set[str] = field(default_factory=set)  # exactly these error codes
    says: tuple[str, ...] = ()  # texts the first error (or warning) must contain, in English
    ext: str = ".xlsx"
    resave: bool = False  # also resaved by LibreOffice into tests/corpus/resaved/
    cells: dict[str, set[str]] = field(default_factory=dict)  # code -> cells it must cover (annotated copy)

    @property
    def file_name(self) -> str:
        return f"{self.name}{self.ext}"


# --------------------------------------------------------------------------- builders

def _save(wb: openpyxl.Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _book(sheets: dict[str, list[list]], meta: dict | None = None, meta_name: str = "Meta") -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    if meta is not False:
        ws = wb.create_sheet(meta_name)
        for k, v in (META if meta is None else meta).items():
            ws.append([k, v])
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
    return wb


def _row(institution=TAXES, code="7.1", answers=EDECL, name="Vergi bəyannaməsi", audience="biznes", comment=None):
    return [institution, code, name, audience, *answers, comment]


def _yesno(answers, yes="bəli", no="xeyr"):
    return [yes if a else no for a in answers]


def _services(rows, meta=None, header=None, sheet="Services") -> bytes:
    return _save(_book({sheet: [header or SELF_HEADER, *rows]}, meta))


def _template(kind: str, lang: str, fill) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(build_template(kind, lang, M, sample_registry(), "2024")))
    fill(wb)
    return _save(wb)


def _fill_rows(ws, rows, first=FIRST_DATA_ROW):
    for r, row in enumerate(rows, start=first):
        for c, v in enumerate(row, start=1):
            ws.cell(r, c, v)


# -- accepted as they are

def template_az() -> bytes:
    return _template("self", "az", lambda wb: _fill_rows(wb["Services"], [
        [TAXES, "7.1", "Vergi bəyannaməsi", "biznes", *_yesno(EDECL)],
        [JUSTICE, "3.5", "Notariat arayışı", "vətəndaş", *_yesno(LEVEL1)],
        [HEALTH, "14.1", "Həkimə yazılma", "vətəndaş", *_yesno([1] * 7 + [0] * 10)]]))


def template_en() -> bytes:
    return _template("self", "en", lambda wb: _fill_rows(wb["Services"], [
        [TAXES, "7.2", "VAT refund", "business", *_yesno(EDECL, "yes", "no")],
        [JUSTICE, "3.4", "Court records", "citizen", *_yesno(LEVEL1, "yes", "no")]]))


def contract_plain() -> bytes:
    return _services([_row(answers=EDECL), _row(code="7.2", answers=[1] * 17), _row(JUSTICE, "3.5", answers=LEVEL1)])


def infra_template() -> bytes:
    def fill(wb):
        ws = wb["Infrastructure"]
        for r in range(FIRST_DATA_ROW, ws.max_row + 1):
            qid = ws.cell(r, 1).value
            value = SEED_INFRA.get(qid)
            if qid == "2.7":
                ws.cell(r, 3, "10 %")
            elif qid == "3.2":
                ws.cell(r, 3, 0.05).number_format = "0%"  # Excel keeps 5 % as 0.05
            elif value is not None:
                ws.cell(r, 3, ("bəli" if value else "xeyr") if qid in YESNO_IDS else value)
    return _template("infrastructure", "az", fill)


YESNO_IDS = {q.id for q in M.questions if q.type == "yesno"}


def coverage_template() -> bytes:
    return _template("coverage", "en", lambda wb: _fill_rows(wb["Coverage"], [
        [TAXES, 77, 77], [JUSTICE, 42, 36], [HEALTH, 65, 20]]))


def three_sheets() -> bytes:
    infra = [["id", "question", "answer"], *[[k, "", v] for k, v in SEED_INFRA.items()]]
    return _save(_book({"Services": [SELF_HEADER, _row()],
                        "Infrastructure": infra,
                        "Coverage": [["institution", "services_transferable", "e_services_provided"], [TAXES, 77, 77]]},
                       {**META, "source": "expert"}))


def meta_in_azerbaijani() -> bytes:
    return _services([_row()], meta={"dövr": "2024", "mənbə": "özünüqiymətləndirmə", "metodika": "2013-osce",
                                     "dil": "az"})


def numbers_as_codes() -> bytes:
    return _services([_row(code=7.2), _row(JUSTICE, 3.5, answers=LEVEL1)])


def code_shown_with_two_decimals() -> bytes:
    wb = _book({"Services": [SELF_HEADER, _row(code=7.1), _row(code=7.35, answers=LEVEL1)]})
    ws = wb["Services"]
    ws["B2"].number_format = "0.00"  # the person saw 7.10: that is what is read
    ws["B3"].number_format = "0.00"
    return _save(wb)


# -- read leniently, with one warning per kind

def answers_he_yox() -> bytes:
    return _services([_row(answers=_yesno(EDECL, "hə", "yox")), _row(code="7.2", answers=_yesno(LEVEL1, "Hə", "YOX"))])


def answers_plus_minus() -> bytes:
    return _services([_row(answers=_yesno(EDECL, "+", "-")), _row(code="7.2", answers=_yesno(LEVEL1, "+", "\u2212"))])


def answers_spaces_and_case() -> bytes:
    return _services([_row(answers=_yesno(EDECL, "BƏLİ", "xeyr\u00a0")), _row(code="7.2", answers=_yesno(LEVEL1, " Bəli ", "Xeyr"))])


def answers_with_a_full_stop() -> bytes:
    return _services([_row(answers=_yesno(EDECL, "Bəli.", "Xeyr.")), _row(code="7.2", answers=_yesno(LEVEL1, "Hə.", "yox"))])


def own_header_row() -> bytes:
    words = ["Qurum", "Kod (məsələn 7.1)", "Xidmət", "Kimə", *["Göstərici"] * 17, "Qeyd"]
    return _services([words, _row(), _row(code="7.2", answers=LEVEL1)])


def totals_row() -> bytes:
    return _services([_row(), _row(code="7.2", answers=LEVEL1), ["Cəmi:", None, None, None, *[2] * 17, None]])


def numbering_column() -> bytes:
    header = ["№", *SELF_HEADER]
    rows = [[1, *_row()], [2, *_row(code="7.2", answers=LEVEL1)], *[[n] for n in range(3, 21)]]
    return _save(_book({"Services": [header, *rows]}))


def template_words_as_headers() -> bytes:
    header = ["Qurumun adı", "Xidmətin kodu", "Xidmətin adı", "Auditoriya", *[str(i) for i in range(1, 18)], "Şərh"]
    return _services([_row(), _row(JUSTICE, "3.5", answers=LEVEL1)], header=header)


def short_names_as_headers() -> bytes:
    header = ["Institution name", "Service code", "Service name", "Audience",
              *[ind.short.en for ind in M.indicators], "Comment"]
    return _services([_row(), _row(code="7.2", answers=LEVEL1)], header=header)


def two_row_header_merged() -> bytes:
    """A from-scratch layout: key headers merged over two rows, the indicators numbered under a group title."""
    top = ["Qurumun adı", "Xidmətin kodu", "Xidmətin adı", "Auditoriya", "Göstəricilər", *[None] * 16, "Şərh"]
    numbers = [None, None, None, None, *range(1, 18), None]
    wb = _book({"Services": [top, numbers, _row(), _row(code="7.2", answers=LEVEL1)]})
    ws = wb["Services"]
    for col in "ABCDV":
        ws.merge_cells(f"{col}1:{col}2")
    ws.merge_cells("E1:U1")
    return _save(wb)


def infra_azerbaijani_headers() -> bytes:
    rows = [["Nömrə", "Sual", "Cavab"], *[[k, "", v] for k, v in SEED_INFRA.items()]]
    return _save(_book({"İnfrastruktur": rows}, {**META, "source": "expert", "scope": "milli"}))


def infra_component_headings() -> bytes:
    rows = [["id", "question", "answer"]]
    for comp in M.components:
        rows.append([comp.number, comp.name.az, None])
        rows += [[q.id, q.text.az, SEED_INFRA[q.id]] for q in comp.questions]
    return _save(_book({"Infrastructure": rows}, {**META, "source": "expert"}))


def sheet_renamed_in_azerbaijani() -> bytes:
    return _services([_row()], sheet="Xidmətlər")


def sheet_found_by_content() -> bytes:
    return _save(_book({"Vərəq1": [SELF_HEADER, _row(), _row(code="7.2", answers=LEVEL1)], "Qeydlər": [["yoxlanıb"]]}))


def merged_institution() -> bytes:
    wb = _book({"Services": [SELF_HEADER, _row(), _row(None, "7.2", answers=LEVEL1), _row(None, "7.4", answers=LEVEL1)]})
    wb["Services"].merge_cells("A2:A4")
    return _save(wb)


def official_names() -> bytes:
    return _services([_row("Azərbaycan Respublikasının Vergilər Nazirliyi"),
                      _row("Ministry of Justice of the Republic of Azerbaijan", "3.5", answers=LEVEL1)])


def names_without_azerbaijani_letters() -> bytes:
    return _services([_row("Sehiyye Nazirliyi", "14.1", answers=LEVEL1), _row("Vergiler Nazirliyi")])


def names_with_schwa_as_a_and_a_full_stop() -> bytes:
    """Ə typed as A (and ə as e) on a keyboard without it; a full stop after the name."""
    return _services([_row("Adliyye Nazirliyi", "3.5", answers=LEVEL1), _row("Vergilər Nazirliyi.")])


def names_case_and_quotes() -> bytes:
    return _services([_row("«VERGİLƏR  NAZİRLİYİ»"), _row("ədliyyə nazirliyi", "3.5", answers=LEVEL1)])


def invisible_characters() -> bytes:
    return _services([_row(code="7.1\u200b"), _row("\u200eƏdliyyə Nazirliyi", "3.5", answers=LEVEL1)])


def hidden_rows_and_columns() -> bytes:
    wb = _book({"Services": [SELF_HEADER, _row(), _row(code="7.2", answers=LEVEL1), _row(code="7.4", answers=LEVEL1)]})
    ws = wb["Services"]
    ws.row_dimensions[3].hidden = True
    ws.column_dimensions["C"].hidden = True
    return _save(wb)


def round_written_differently() -> bytes:
    return _services([_row()], meta={**META, "round": "2024-cü il"})


def registered_alias() -> bytes:
    return _services([_row("DİN", "2.6", answers=LEVEL1)])


def notes_below_the_table() -> bytes:
    """A ministry's letter-style ending: a note and the executor's name and telephone under the data."""
    return _services([_row(), _row(code="7.2", answers=LEVEL1), [],
                      ["Qeyd: məlumatlar 1 dekabr tarixinə verilib."],
                      ["İcraçı:", "Məmmədov Əli", None, "Tel: (012) 555-55-55"]])


def signature_block() -> bytes:
    """A letter's signature block spread over the columns: a title, "İmza: ____", the stamp place, a date, a name."""
    return _services([_row(), _row(code="7.2", answers=LEVEL1), [],
                      ["Nazir müavini", None, "İmza: ____________", None],
                      ["M.Y."], [dt.datetime(2024, 12, 1)], ["Məmmədova Aygün Rauf qızı", None, None, "Tel: 012 555 55 55"]])


def half_filled_last_row() -> bytes:
    """The last row names a service but its answers were never filled: not a note, an error."""
    return _services([_row(), [None, None, "Elektron qaimə", None, *[None] * 17, None]])


def unregistered_name_alone_last() -> bytes:
    """A last row holding only a name that is not registered: a service begun, not a note."""
    return _services([_row(), ["Mədəniyyət Nazirliyi"]])


def coverage_with_totals_and_spaces() -> bytes:
    rows = [["Qurumun adı", "E-xidmətə çevrilə bilən xidmətlər", "Göstərilən e-xidmətlər"],
            [TAXES, "1 200", "1 150"], [JUSTICE, 42, 36], ["Cəmi", 1242, 1186]]
    return _save(_book({"Coverage": rows}))


def coverage_in_the_methodologys_words() -> bytes:
    rows = [["Qurum", "Elektron xidmətlərə keçirilə bilən xidmətlər", "Elektron xidmətlər"], [TAXES, 77, 70]]
    return _save(_book({"Əhatə": rows}))


def styled_by_hand() -> bytes:
    """Colours, fonts, widths, a frozen header and a note in the margin: none of it matters."""
    wb = _book({"Services": [SELF_HEADER + ["Qeydlərim"], _row() + ["yoxla"], _row(code="7.2", answers=LEVEL1)]})
    ws = wb["Services"]
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E79")
    ws.column_dimensions["A"].width = 48
    ws.freeze_panes = "C2"
    return _save(wb)


# -- refused, with the cause

def ticks_and_crosses() -> bytes:
    return _services([_row(answers=["✓" if a else "✗" for a in EDECL])])


def partly() -> bytes:
    return _services([_row(answers=["qismən", *EDECL[1:]])])


def empty_answers() -> bytes:
    return _services([_row(answers=[1, 1, None, *EDECL[3:]])])


def half_filled_row() -> bytes:
    return _services([_row(), [TAXES, "7.2", "Yarımçıq", None, *[None] * 17, None]])


def code_became_date() -> bytes:
    return _services([_row(HEALTH, dt.datetime(2024, 1, 14), answers=LEVEL1)])


def codes_collide_dropped_zero() -> bytes:
    return _services([_row(FUND, 30.2, answers=LEVEL1), _row(FUND, 30.20, answers=EDECL)])


def code_became_date_in_russian_excel() -> bytes:
    """What a code shows after Russian-language Excel made a date of it and the sheet was copied as text."""
    return _services([_row(HEALTH, "14.янв", answers=LEVEL1)])


def number_code_may_be_longer() -> bytes:
    return _services([_row(TAXES, 7.1)])


def abbreviation() -> bytes:
    return _services([_row("ƏƏSMN", "9.3", answers=LEVEL1)])


def round_not_opened() -> bytes:
    return _services([_row()], meta={**META, "round": "2099"})


def round_closed() -> bytes:
    return _services([_row()], meta={**META, "round": "2023"})


def key_columns_missing() -> bytes:
    header = [h for h in SELF_HEADER if h not in ("service_code", "q5")]
    row = [h for h, v in zip(SELF_HEADER, _row()) if h not in ("service_code", "q5")]
    return _services([row], header=header)


def two_candidate_sheets() -> bytes:
    return _save(_book({"Vərəq1": [SELF_HEADER, _row()], "Vərəq2": [SELF_HEADER, _row(code="7.2")]}))


def formulas() -> bytes:
    wb = _book({"Services": [SELF_HEADER, _row(), _row(code="7.2")]})
    wb["Services"]["E2"] = "=1*1"
    wb["Services"]["E3"] = "=E2"
    return _save(wb)


def hidden_data_sheet() -> bytes:
    wb = _book({"Services": [SELF_HEADER, _row()]})
    wb["Services"].sheet_state = "hidden"
    return _save(wb)


def one_misspelling_many_cells() -> bytes:
    return _services([_row(code=c, answers=["bali"] * 17) for c in ("7.1", "7.2", "7.4", "7.8")])


def csv_text() -> bytes:
    return "institution,service_code,q1\nVergilər Nazirliyi,7.1,bəli\n".encode()


def xls_bytes() -> bytes:
    # An OLE2 compound file naming a Workbook stream: what Excel 97–2003 writes.
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024 + "Workbook".encode("utf-16-le")


def ods_bytes() -> bytes:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", b"application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", b"<office:document-content/>")
    return buf.getvalue()


# --------------------------------------------------------------------------- the corpus

S = "services"
CASES: list[Case] = [
    # Templates and contract-exact files.
    Case("template_az_filled", template_az, "dry-run", {S: 3}, resave=True),
    Case("template_en_filled", template_en, "dry-run", {S: 2}),
    Case("contract_plain", contract_plain, "dry-run", {S: 3}, resave=True),
    Case("infrastructure_template", infra_template, "dry-run", {"infrastructure": 16}, resave=True),
    Case("coverage_template", coverage_template, "dry-run", {"coverage": 3}),
    Case("three_sheets_one_meta", three_sheets, "dry-run", {S: 1, "infrastructure": 16, "coverage": 1}),
    Case("meta_keys_in_azerbaijani", meta_in_azerbaijani, "dry-run", {S: 1}),
    Case("codes_as_numbers", numbers_as_codes, "dry-run", {S: 2}, resave=True),
    Case("code_shown_with_decimals", code_shown_with_two_decimals, "dry-run", {S: 2}),
    Case("styled_by_hand", styled_by_hand, "dry-run", {S: 2}, resave=True),
    # Read as meant, with what was assumed.
    Case("answers_he_yox", answers_he_yox, "dry-run", {S: 2}, {"yesno_lenient"}, says=("«hə» was read as «yes»",)),
    Case("answers_plus_minus", answers_plus_minus, "dry-run", {S: 2}, {"yesno_lenient"}, resave=True),
    Case("answers_spaces_and_case", answers_spaces_and_case, "dry-run", {S: 2}, {"yesno_hidden"}),
    Case("own_header_row", own_header_row, "dry-run", {S: 2}, {"rows_skipped_header"}, says=("Row(s) 2",)),
    Case("totals_row", totals_row, "dry-run", {S: 2}, {"rows_skipped_totals"}, says=("Cəmi",), resave=True),
    Case("numbering_column", numbering_column, "dry-run", {S: 2}, {"rows_skipped_numbering"}, says=("4–21",)),
    Case("template_words_as_headers", template_words_as_headers, "dry-run", {S: 2}, {"headers_read"}, resave=True),
    Case("short_names_as_headers", short_names_as_headers, "dry-run", {S: 2}, {"headers_read"}),
    Case("two_row_header_merged", two_row_header_merged, "dry-run", {S: 2}, {"headers_read"}, resave=True),
    Case("infrastructure_in_azerbaijani", infra_azerbaijani_headers, "dry-run", {"infrastructure": 16},
         {"headers_read", "sheet_renamed"}),
    Case("infrastructure_component_headings", infra_component_headings, "dry-run", {"infrastructure": 16},
         {"rows_skipped_component"}),
    Case("sheet_named_in_azerbaijani", sheet_renamed_in_azerbaijani, "dry-run", {S: 1}, {"sheet_renamed"}),
    Case("sheet_found_by_content", sheet_found_by_content, "dry-run", {S: 2}, {"sheet_by_content"}, resave=True),
    Case("merged_institution", merged_institution, "dry-run", {S: 3}, {"merged_filled"},
         cells={"merged_filled": {"A2", "A3", "A4"}}, resave=True),
    Case("official_names", official_names, "dry-run", {S: 2}, {"institution_official"}),
    Case("names_without_azerbaijani_letters", names_without_azerbaijani_letters, "dry-run", {S: 2},
         {"institution_letters"}, says=("«Sehiyye Nazirliyi» was read as the registered «Səhiyyə Nazirliyi»",)),
    Case("names_case_and_quotes", names_case_and_quotes, "dry-run", {S: 2}, {"institution_folded"}),
    Case("invisible_characters", invisible_characters, "dry-run", {S: 2}, {"invisible_removed"},
         cells={"invisible_removed": {"B2", "A3"}}),
    Case("hidden_rows_and_columns", hidden_rows_and_columns, "dry-run", {S: 3}, {"hidden_rows", "hidden_columns"},
         resave=True),
    Case("round_written_differently", round_written_differently, "dry-run", {S: 1}, {"round_label_read"}),
    Case("registered_alias", registered_alias, "dry-run", {S: 1}, {"institution_alias"}),
    Case("notes_below_the_table", notes_below_the_table, "dry-run", {S: 2}, {"rows_skipped_note"}, resave=True,
         says=("5–6", "«Qeyd: məlumatlar 1 dekabr tarixinə verilib.», «İcraçı:»")),
    Case("signature_block", signature_block, "dry-run", {S: 2}, {"rows_skipped_note"}, resave=True,
         says=("5–8",)),
    Case("answers_with_a_full_stop", answers_with_a_full_stop, "dry-run", {S: 2}, {"yesno_lenient"},
         says=("«Bəli.» was read as «yes»",)),
    Case("names_schwa_as_a_full_stop", names_with_schwa_as_a_and_a_full_stop, "dry-run", {S: 2},
         {"institution_letters", "institution_folded"}, says=("«Adliyye Nazirliyi» was read as the registered «Ədliyyə",)),
    Case("coverage_totals_and_spaces", coverage_with_totals_and_spaces, "dry-run", {"coverage": 2},
         {"rows_skipped_totals", "headers_read"}, resave=True),
    Case("coverage_in_the_methodologys_words", coverage_in_the_methodologys_words, "dry-run", {"coverage": 1},
         {"headers_read", "sheet_renamed"}),
    # Refused, saying why.
    Case("ticks_and_crosses", ticks_and_crosses, "rejected", errors={"yesno_mark"}, says=("a tick or a cross",)),
    Case("partly", partly, "rejected", errors={"yesno_partial"}, says=("neither yes nor no",)),
    Case("empty_answer", empty_answers, "rejected", errors={"missing_answer"}, cells={"missing_answer": {"G2"}}),
    Case("half_filled_row", half_filled_row, "rejected", errors={"missing_answer"}, says=("E3:U3",)),
    Case("half_filled_last_row", half_filled_last_row, "rejected", errors={"missing_value", "missing_answer"},
         says=("row 3",)),
    Case("unregistered_name_alone_last", unregistered_name_alone_last, "rejected",
         errors={"unknown_institution", "missing_value", "missing_answer"}, says=("«Mədəniyyət Nazirliyi»",)),
    Case("code_became_date", code_became_date, "rejected", errors={"code_is_date"}, says=("14.1",), resave=True),
    Case("code_became_date_in_russian_excel", code_became_date_in_russian_excel, "rejected",
         errors={"code_text_date"}, says=("«14.янв»",)),
    Case("codes_collide_dropped_zero", codes_collide_dropped_zero, "rejected", errors={"code_zero_dropped_rows"},
         says=("drops trailing zeros",)),
    Case("number_code_may_be_longer", number_code_may_be_longer, "rejected", errors={"code_zero_dropped"},
         says=("7.10",)),
    Case("abbreviation", abbreviation, "rejected", errors={"institution_abbreviation"},
         says=("«ƏƏSMN»", "Əmək və Əhalinin Sosial Müdafiəsi Nazirliyi")),
    Case("round_not_opened", round_not_opened, "rejected", errors={"round_not_open"}, says=("2099", "2024")),
    Case("round_closed", round_closed, "rejected", errors={"round_closed"}, says=("2023", "2024")),
    Case("key_columns_missing", key_columns_missing, "rejected", errors={"missing_column"},
         says=("service_code, q5", "Headers found")),
    Case("two_candidate_sheets", two_candidate_sheets, "rejected", errors={"sheet_ambiguous"}, says=("«Vərəq1»",)),
    Case("formulas", formulas, "rejected", errors={"formula"}, says=("E2:E3",)),
    Case("hidden_data_sheet", hidden_data_sheet, "rejected", errors={"hidden_sheet"}),
    Case("one_misspelling_many_cells", one_misspelling_many_cells, "rejected", errors={"bad_yesno"},
         says=("E2:U5", "68 cells")),
    Case("saved_as_csv", csv_text, "rejected", errors={"csv_file"}, says=("Excel Workbook (.xlsx)",), ext=".csv"),
    Case("saved_as_xls", xls_bytes, "rejected", errors={"xls_file"}, says=("Excel Workbook (.xlsx)",), ext=".xls"),
    Case("saved_as_ods", ods_bytes, "rejected", errors={"ods_file"}, says=("Excel Workbook (.xlsx)",), ext=".ods"),
    Case("ods_renamed_to_xlsx", ods_bytes, "rejected", errors={"ods_file"}, says=("OpenDocument",)),
    Case("xls_renamed_to_xlsx", xls_bytes, "rejected", errors={"xls_file"}, says=("Excel 97",)),
]
BY_NAME = {c.name: c for c in CASES}


def prepare_store(st) -> None:
    """The state the cases assume: round 2024 open, 2023 closed, the alias DİN registered."""
    from store.actors import Actor
    from store.registry import add_alias
    from store.rounds import open_round, set_round_status

    admin = Actor("corpus", "admin")
    open_round(st, admin, "2023")
    set_round_status(st, admin, "2023", "closed", reason="past round")
    open_round(st, admin, "2024")
    iid = int(st.scalar("SELECT institution_id FROM institutions WHERE name_az = ?", [INTERIOR]))
    add_alias(st, admin, iid, "DİN", reason="the ministry writes its initials")

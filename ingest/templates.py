"""Blank exchange workbooks for institutions and experts to fill (docs/FORMATS.md).

Every template is generated from the methodology version it will be scored
with, so questions and indicator texts never drift from the rules. Row 1 holds
the English column keys the reader looks up; row 2 repeats them in the
template's language for people, and the reader skips it. Sheets are protected
without a password: the point is to stop accidental edits of keys and
structure, not to lock anyone out (Review → Unprotect Sheet lifts it).
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from scoring import Methodology

from .messages import HEADER_LABELS
from .registry import Registry
from .safety import MAX_ROWS

KINDS = ("self", "infrastructure", "coverage")
INPUT_ROWS = 1000  # rows prepared with drop-downs and unlocked cells
FIRST_DATA_ROW = 3  # row 1 keys, row 2 wording
LIST_SHEET = "Lists"

YES_NO = {"az": ("bəli", "xeyr"), "en": ("yes", "no")}
AUDIENCE = {"az": ("vətəndaş", "biznes"), "en": ("citizen", "business")}

_HEAD_FILL = PatternFill("solid", fgColor="1F4E79")
_WORD_FILL = PatternFill("solid", fgColor="DDEBF7")
_INPUT_FILL = PatternFill("solid", fgColor="FFFDE7")
_HEAD_FONT = Font(bold=True, color="FFFFFF")
_WRAP = Alignment(wrap_text=True, vertical="top")
_LOCKED = Protection(locked=True)
_UNLOCKED = Protection(locked=False)

T = {
    "az": {
        "instructions": "Təlimat",
        "title": {
            "self": "E-xidmətlərin özünüqiymətləndirmə forması",
            "infrastructure": "E-hökumət infrastrukturunun ekspert qiymətləndirməsi",
            "coverage": "E-xidmətlərə keçid: əhatə forması",
        },
        "methodology": "Metodika versiyası: {id} — {title}",
        "steps_head": "Necə doldurmalı",
        "steps": {
            "self": [
                "«Meta» vərəqində dövrü (round) yazın, məsələn 2024.",
                "«Services» vərəqində hər e-xidmət üçün bir sətir doldurun, 3-cü sətirdən başlayaraq.",
                "«institution» sütununda qurumun adını siyahıdan seçin və ya qeydiyyatdakı kimi yazın.",
                "«service_code» — Nazirlər Kabinetinin siyahısındakı nömrə (məsələn 7.1) və ya qurumun öz kodu.",
                "q1–q17 sütunlarının hər birinə bəli və ya xeyr yazın (1/0 da olar). Boş xana qəbul edilmir.",
                "Göstəricinin tam mətni 2-ci sətirdəki başlığın qeydində və aşağıdakı cədvəldədir.",
            ],
            "infrastructure": [
                "«Meta» vərəqində dövrü (round) yazın; «scope» — «national» (bütün ölkə) və ya qurumun adı.",
                "«Infrastructure» vərəqində hər suala «answer» sütununda cavab verin.",
                "Bəli/xeyr suallarına bəli və ya xeyr, faiz suallarına 0–100 arası ədəd yazın (51, 51% də olar).",
                "Bütün suallar cavablandırılmalıdır; nömrələri və sətirləri dəyişməyin.",
            ],
            "coverage": [
                "«Meta» vərəqində dövrü (round) yazın, məsələn 2024.",
                "«Coverage» vərəqində hər qurum üçün bir sətir doldurun, 3-cü sətirdən başlayaraq.",
                "«services_transferable» — e-xidmətə çevrilə bilən xidmətlərin sayı (tam ədəd).",
                "«e_services_provided» — hazırda elektron göstərilən xidmətlərin sayı; birincidən çox ola bilməz.",
            ],
        },
        "rules_head": "Ümumi qaydalar",
        "rules": [
            "Faylı .xlsx kimi saxlayın (makroslu .xlsm, .xls və .csv qəbul olunmur); şifrə qoymayın.",
            "Düstur yazmayın: yalnız dəyərlər qəbul olunur.",
            "1-ci sətirdəki ingiliscə açarları və vərəq adlarını dəyişməyin; məlumat vərəqlərini gizlətməyin.",
            "Qəbul olunan bəli/xeyr cavabları: bəli/xeyr, yes/no, 1/0, true/false, y/n, да/нет.",
            "Bütün xətalar bir dəfəyə göstərilir: sətir və sütun nömrəsi ilə. Xətalı fayl heç bir hissəsi yazılmadan rədd edilir.",
            "Vərəqin qorunması şifrəsizdir (Rəy → Vərəqin qorunmasını götür), amma quruluşu dəyişməmək tövsiyə olunur.",
        ],
        "indicators_head": "Göstəricilər",
        "questions_head": "Suallar",
        "meta": {
            "round": "Qiymətləndirmə dövrü: il (2024) və ya etiket (2024-H1). Mütləqdir.",
            "source": "self — qurumun özünüqiymətləndirməsi; expert — ekspert qiymətləndirməsi.",
            "methodology": "Metodika versiyası; dəyişməyin.",
            "language": "Formanın dili (məlumat üçün).",
            "scope": "national — bütün ölkə; və ya qurumun qeydiyyatdakı adı.",
        },
        "meta_head": ("açar", "dəyər", "izah"),
        "yesno_prompt": "bəli və ya xeyr",
        "percent_prompt": "0 ilə 100 arasında faiz",
        "count_prompt": "0 və ya daha böyük tam ədəd",
        "type": {"yesno": "bəli/xeyr", "percent": "faiz 0–100"},
        "type_label": "Cavab növü",
        "component_label": "Komponent",
        "list_label": "Qeydiyyatdakı qurumlar",
    },
    "en": {
        "instructions": "Instructions",
        "title": {
            "self": "E-service self-assessment form",
            "infrastructure": "Expert assessment of the e-government infrastructure",
            "coverage": "Move to e-services: coverage form",
        },
        "methodology": "Methodology version: {id} — {title}",
        "steps_head": "How to fill it in",
        "steps": {
            "self": [
                "On the «Meta» sheet, enter the round, e.g. 2024.",
                "On the «Services» sheet, fill one row per e-service, starting at row 3.",
                "In «institution», pick the institution from the list or type its registered name.",
                "«service_code» is the number in the Cabinet of Ministers' list (e.g. 7.1) or the institution's own code.",
                "Answer each of q1–q17 with yes or no (1/0 also works). Empty answers are not accepted.",
                "The full text of each indicator is in the note on its row-2 heading and in the table below.",
            ],
            "infrastructure": [
                "On the «Meta» sheet, enter the round; «scope» is «national» (whole country) or an institution name.",
                "On the «Infrastructure» sheet, answer every question in the «answer» column.",
                "Yes/no questions take yes or no; percentage questions a number 0–100 (51 or 51% both work).",
                "Every question must be answered; do not change the ids or remove rows.",
            ],
            "coverage": [
                "On the «Meta» sheet, enter the round, e.g. 2024.",
                "On the «Coverage» sheet, fill one row per institution, starting at row 3.",
                "«services_transferable»: how many services can become e-services (whole number).",
                "«e_services_provided»: how many are electronic now; it cannot exceed the first number.",
            ],
        },
        "rules_head": "General rules",
        "rules": [
            "Save as .xlsx (macro-enabled .xlsm, .xls and .csv are refused) and do not set a password.",
            "Do not enter formulas: only plain values are accepted.",
            "Keep the English keys in row 1 and the sheet names; do not hide data sheets.",
            "Accepted yes/no answers: yes/no, bəli/xeyr, 1/0, true/false, y/n, да/нет.",
            "All problems are reported at once with row and column; a file with errors is refused whole.",
            "Sheet protection has no password (Review → Unprotect Sheet), but please keep the structure.",
        ],
        "indicators_head": "Indicators",
        "questions_head": "Questions",
        "meta": {
            "round": "Assessment round: a year (2024) or a label (2024-H1). Required.",
            "source": "self — the institution's own assessment; expert — an expert assessment.",
            "methodology": "Methodology version; leave as is.",
            "language": "Language of this form (informational).",
            "scope": "national — the whole country; or the registered name of an institution.",
        },
        "meta_head": ("key", "value", "explanation"),
        "yesno_prompt": "yes or no",
        "percent_prompt": "a percentage from 0 to 100",
        "count_prompt": "a whole number of 0 or more",
        "type": {"yesno": "yes/no", "percent": "percent 0–100"},
        "type_label": "Answer type",
        "component_label": "Component",
        "list_label": "Registered institutions",
    },
}


def _header(ws, keys: list[str], wording: list[str], widths: list[int]) -> None:
    for c, (key, word, width) in enumerate(zip(keys, wording, widths), start=1):
        top = ws.cell(row=1, column=c, value=key)
        top.font, top.fill, top.protection = _HEAD_FONT, _HEAD_FILL, _LOCKED
        second = ws.cell(row=2, column=c, value=word)
        second.fill, second.alignment, second.protection = _WORD_FILL, _WRAP, _LOCKED
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.row_dimensions[2].height = 60


def _unlock_columns(ws, first_col: int, last_col: int, rows: int = INPUT_ROWS, text: set[int] = frozenset()) -> None:
    """Unlock and shade the input area; text columns get the '@' format so 7.10 stays 7.10."""
    for c in range(first_col, last_col + 1):
        for r in range(FIRST_DATA_ROW, FIRST_DATA_ROW + rows):
            cell = ws.cell(row=r, column=c)
            cell.protection = _UNLOCKED
            if c in text:
                cell.number_format = "@"


def _protect(ws) -> None:
    ws.protection.sheet = True
    # In openpyxl True means "forbidden while protected": allow what a person
    # filling a table normally does.
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.insertRows = False
    ws.protection.deleteRows = False
    ws.protection.sort = False
    ws.protection.autoFilter = False


def _validation(ws, kind: str, rng: str, lang: str, *, formula1: str | None = None, operator: str | None = None,
                formula2: str | None = None, prompt: str = "", strict: bool = True) -> None:
    dv = DataValidation(type=kind, formula1=formula1, formula2=formula2, operator=operator, allow_blank=True,
                        showErrorMessage=True, errorStyle="stop" if strict else "warning", showInputMessage=bool(prompt))
    dv.prompt = prompt or None
    dv.error = prompt or None
    ws.add_data_validation(dv)
    for part in rng.split():
        dv.add(part)


def _last_row() -> int:
    return FIRST_DATA_ROW + INPUT_ROWS - 1


def _instructions(wb: Workbook, kind: str, lang: str, m: Methodology) -> None:
    t = T[lang]
    ws = wb.active
    ws.title = t["instructions"]
    ws.column_dimensions["A"].width = 8
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 90
    ws.append([t["title"][kind]])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([t["methodology"].format(id=m.id, title=m.title.get(lang))])
    ws.append([])
    for head, lines in ((t["steps_head"], t["steps"][kind]), (t["rules_head"], t["rules"])):
        ws.append([head])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
        for i, line in enumerate(lines, start=1):
            ws.append([f"{i}.", line])
        ws.append([])
    if kind == "self":
        ws.append([t["indicators_head"]])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
        for ind in m.indicators:
            ws.append([ind.id, ind.short.get(lang), ind.text.get(lang)])
            ws.cell(row=ws.max_row, column=3).alignment = _WRAP
    elif kind == "infrastructure":
        ws.append([t["questions_head"]])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
        for comp in m.components:
            ws.append([comp.number, comp.name.get(lang)])
            ws.cell(row=ws.max_row, column=2).font = Font(bold=True)
            for q in comp.questions:
                ws.append([q.id, t["type"][q.type], q.text.get(lang)])
                ws.cell(row=ws.max_row, column=3).alignment = _WRAP
    _protect(ws)


def _meta(wb: Workbook, kind: str, lang: str, m: Methodology, round_label: str | None) -> None:
    t = T[lang]
    ws = wb.create_sheet("Meta")
    ws.append(list(t["meta_head"]))
    for c in range(1, 4):
        ws.cell(row=1, column=c).font, ws.cell(row=1, column=c).fill = _HEAD_FONT, _HEAD_FILL
    rows = [
        ("round", round_label or ""),
        ("source", "expert" if kind == "infrastructure" else "self"),
        ("methodology", m.id),
        ("language", lang),
    ]
    if kind == "infrastructure":
        rows.append(("scope", "national"))
    for key, value in rows:
        ws.append([key, value, t["meta"][key]])
        r = ws.max_row
        ws.cell(row=r, column=2).protection = _UNLOCKED
        ws.cell(row=r, column=2).fill = _INPUT_FILL
        ws.cell(row=r, column=2).number_format = "@"  # a round "2024" must stay text
        ws.cell(row=r, column=3).alignment = _WRAP
    _validation(ws, "list", "B3", lang, formula1='"self,expert"')
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["C"].width = 70
    _protect(ws)


def _institution_list(wb: Workbook, lang: str, registry: Registry | None) -> str | None:
    """Hidden list sheet of registered names; returns the range for the drop-down."""
    if registry is None or not len(registry):
        return None
    names = sorted({registry.name(i, lang) for i in registry.names}, key=lambda s: s.casefold())
    ws = wb.create_sheet(LIST_SHEET)
    ws.append([T[lang]["list_label"]])
    for n in names:
        ws.append([n])
    ws.column_dimensions["A"].width = 70
    ws.sheet_state = "hidden"
    _protect(ws)
    return f"{LIST_SHEET}!$A$2:$A${len(names) + 1}"


def _services(wb: Workbook, lang: str, m: Methodology, names_range: str | None) -> None:
    t = T[lang]
    ws = wb.create_sheet("Services")
    fixed = ["institution", "service_code", "service_name", "audience"]
    keys = fixed + m.answer_columns + ["comment"]
    wording = ([HEADER_LABELS[k][lang] for k in fixed] + [ind.short.get(lang) for ind in m.indicators]
               + [HEADER_LABELS["comment"][lang]])
    widths = [40, 12, 40, 16] + [11] * m.n_indicators + [40]
    _header(ws, keys, wording, widths)
    for i, ind in enumerate(m.indicators):
        cell = ws.cell(row=2, column=len(fixed) + 1 + i)
        cell.comment = Comment(f"{ind.id}: {ind.text.get(lang)}", "egov")
    ncol = len(keys)
    _unlock_columns(ws, 1, ncol, text={2})
    last = _last_row()
    first_q, last_q = get_column_letter(len(fixed) + 1), get_column_letter(len(fixed) + m.n_indicators)
    yes, no = YES_NO[lang]
    _validation(ws, "list", f"{first_q}{FIRST_DATA_ROW}:{last_q}{last}", lang, formula1=f'"{yes},{no}"',
                prompt=t["yesno_prompt"])
    a1, a2 = AUDIENCE[lang]
    _validation(ws, "list", f"D{FIRST_DATA_ROW}:D{last}", lang, formula1=f'"{a1},{a2}"')
    if names_range:
        # A warning, not a stop: a new institution may be typed, the import then asks.
        _validation(ws, "list", f"A{FIRST_DATA_ROW}:A{last}", lang, formula1=names_range, strict=False)
    ws.freeze_panes = "C3"
    _protect(ws)


def _infrastructure(wb: Workbook, lang: str, m: Methodology) -> None:
    t = T[lang]
    ws = wb.create_sheet("Infrastructure")
    keys = ["id", "question", "answer", "type", "component"]
    wording = [HEADER_LABELS["id"][lang], HEADER_LABELS["question"][lang], HEADER_LABELS["answer"][lang],
               t["type_label"], t["component_label"]]
    _header(ws, keys, wording, [8, 80, 14, 16, 28])
    r = FIRST_DATA_ROW
    yes, no = YES_NO[lang]
    yesno_cells, pct_cells = [], []
    for comp in m.components:
        for q in comp.questions:
            ws.cell(row=r, column=1, value=q.id).number_format = "@"
            ws.cell(row=r, column=2, value=q.text.get(lang)).alignment = _WRAP
            ans = ws.cell(row=r, column=3)
            ans.protection, ans.fill = _UNLOCKED, _INPUT_FILL
            ws.cell(row=r, column=4, value=t["type"][q.type])
            ws.cell(row=r, column=5, value=comp.name.get(lang))
            (yesno_cells if q.type == "yesno" else pct_cells).append(f"C{r}")
            r += 1
    if yesno_cells:
        _validation(ws, "list", " ".join(yesno_cells), lang, formula1=f'"{yes},{no}"', prompt=t["yesno_prompt"])
    if pct_cells:
        _validation(ws, "decimal", " ".join(pct_cells), lang, operator="between", formula1="0", formula2="100",
                    prompt=t["percent_prompt"])
    ws.freeze_panes = "B3"
    _protect(ws)


def _coverage(wb: Workbook, lang: str, names_range: str | None) -> None:
    t = T[lang]
    ws = wb.create_sheet("Coverage")
    keys = ["institution", "services_transferable", "e_services_provided"]
    _header(ws, keys, [HEADER_LABELS[k][lang] for k in keys], [50, 24, 24])
    _unlock_columns(ws, 1, 3)
    last = _last_row()
    _validation(ws, "whole", f"B{FIRST_DATA_ROW}:C{last}", lang, operator="between", formula1="0",
                formula2=str(10**6), prompt=t["count_prompt"])
    if names_range:
        _validation(ws, "list", f"A{FIRST_DATA_ROW}:A{last}", lang, formula1=names_range, strict=False)
    ws.freeze_panes = "B3"
    _protect(ws)


def build_template(kind: str, lang: str, m: Methodology, registry: Registry | None = None,
                   round_label: str | None = None) -> bytes:
    """An .xlsx template of ``kind`` (self | infrastructure | coverage) in ``lang`` (az | en)."""
    if kind not in KINDS:
        raise ValueError(f"unknown template kind {kind!r}; expected one of {KINDS}")
    if lang not in T:
        raise ValueError(f"unknown language {lang!r}; expected az or en")
    assert INPUT_ROWS + FIRST_DATA_ROW < MAX_ROWS  # a template must pass the reader's row cap
    wb = Workbook()
    _instructions(wb, kind, lang, m)
    _meta(wb, kind, lang, m, round_label)
    names_range = _institution_list(wb, lang, registry) if kind in ("self", "coverage") else None
    if kind == "self":
        _services(wb, lang, m, names_range)
    elif kind == "infrastructure":
        _infrastructure(wb, lang, m)
    else:
        _coverage(wb, lang, names_range)
    if LIST_SHEET in wb.sheetnames:
        wb.move_sheet(LIST_SHEET, offset=len(wb.sheetnames))  # keep it last
    wb.active = 2  # open on the data sheet
    wb.security = WorkbookProtection(lockStructure=True)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

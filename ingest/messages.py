"""Texts of every issue the ingest layer reports, in Azerbaijani and English.

Azerbaijani comes first: most people who fill the workbooks read it. Each text
says what was found and what was expected. Location (sheet, row, column) is not
repeated in the texts: :func:`render` prefixes it from the issue's params, so
the same wording serves container-level and cell-level problems.
"""

from __future__ import annotations

from string import Formatter

MESSAGES: dict[str, dict[str, str]] = {
    # --- the file as a container (ingest.safety) ---------------------------------
    "empty_file": {
        "az": "Fayl boşdur (0 bayt). Doldurulmuş .xlsx iş kitabı gözlənilir.",
        "en": "The file is empty (0 bytes). A filled-in .xlsx workbook is expected.",
    },
    "file_too_large": {
        "az": "Faylın ölçüsü {size_mb} MB-dır; ən çox {max_mb} MB qəbul olunur.",
        "en": "The file is {size_mb} MB; at most {max_mb} MB is accepted.",
    },
    "bad_extension": {
        "az": "Faylın növü «{ext}»-dir; yalnız .xlsx faylları qəbul olunur (makroslu .xlsm, köhnə .xls və .csv yox).",
        "en": "The file type is «{ext}»; only .xlsx files are accepted (not macro-enabled .xlsm, old .xls or .csv).",
    },
    "ole2_file": {
        "az": "Fayl şifrə ilə qorunan və ya köhnə formatlı (.xls) Excel faylıdır; şifrəsiz .xlsx gözlənilir. Şifrəni götürüb «.xlsx» kimi yenidən saxlayın.",
        "en": "The file is password-protected or an old-format (.xls) Excel file; an unprotected .xlsx is expected. Remove the password and save it again as .xlsx.",
    },
    "text_file": {
        "az": "Fayl mətn faylıdır (məsələn, adı dəyişdirilmiş CSV), Excel iş kitabı deyil; .xlsx gözlənilir.",
        "en": "The file is plain text (for example a CSV renamed to .xlsx), not an Excel workbook; an .xlsx is expected.",
    },
    "not_zip": {
        "az": "Fayl .xlsx iş kitabı deyil (daxili quruluşu tanınmadı); Excel-də «.xlsx» kimi saxlanmış fayl gözlənilir.",
        "en": "The file is not an .xlsx workbook (its content was not recognised); a file saved from Excel as .xlsx is expected.",
    },
    "corrupt_zip": {
        "az": "Fayl zədələnib və ya yarımçıq yüklənib ({detail}); faylı Excel-də açıb yenidən saxlayın.",
        "en": "The file is damaged or incompletely uploaded ({detail}); open it in Excel and save it again.",
    },
    "zip_encrypted": {
        "az": "Faylın içində şifrələnmiş hissə var («{member}»); şifrəsiz .xlsx gözlənilir.",
        "en": "The file contains an encrypted part («{member}»); an unprotected .xlsx is expected.",
    },
    "zip_bomb_members": {
        "az": "Faylın içində {count} hissə var; ən çox {max} hissə ola bilər. Bu, adi iş kitabı deyil.",
        "en": "The file holds {count} parts; at most {max} are allowed. This is not an ordinary workbook.",
    },
    "zip_bomb_size": {
        "az": "Açıldıqda fayl {size_mb} MB tutur; ən çox {max_mb} MB icazə verilir.",
        "en": "Unpacked, the file takes {size_mb} MB; at most {max_mb} MB is allowed.",
    },
    "zip_bomb_member": {
        "az": "Faylın «{member}» hissəsi açıldıqda {size_mb} MB tutur; bir hissə üçün ən çox {max_mb} MB icazə verilir.",
        "en": "The part «{member}» takes {size_mb} MB unpacked; at most {max_mb} MB is allowed for one part.",
    },
    "zip_bomb_ratio": {
        "az": "Faylın «{member}» hissəsi {ratio} dəfə sıxılıb; ən çox {max} dəfə gözlənilir. Fayl təhlükəli ola bilər.",
        "en": "The part «{member}» is compressed {ratio} times; at most {max} times is expected. The file may be malicious.",
    },
    "macros": {
        "az": "Faylda makroslar var («{member}»); makrossuz .xlsx gözlənilir. Faylı «Excel iş kitabı (.xlsx)» kimi saxlayın.",
        "en": "The file contains macros («{member}»); a macro-free .xlsx is expected. Save it as «Excel Workbook (.xlsx)».",
    },
    "not_workbook": {
        "az": "Faylda Excel iş kitabının vacib hissəsi yoxdur («{member}»); Excel-də saxlanmış .xlsx gözlənilir.",
        "en": "The file lacks a required part of an Excel workbook («{member}»); an .xlsx saved from Excel is expected.",
    },
    "unreadable": {
        "az": "Fayl oxuna bilmədi ({detail}); Excel-də açıb .xlsx kimi yenidən saxlayın.",
        "en": "The file could not be read ({detail}); open it in Excel and save it again as .xlsx.",
    },
    # --- sheets ---------------------------------------------------------------------
    "sheet_too_large": {
        "az": "Vərəqdə {rows} sətir və {cols} sütun var; ən çox {max_rows} sətir və {max_cols} sütun qəbul olunur.",
        "en": "The sheet has {rows} rows and {cols} columns; at most {max_rows} rows and {max_cols} columns are accepted.",
    },
    "formula": {
        "az": "Xanada düstur var ({formula}); yalnız dəyərlər gözlənilir. Düsturları dəyərlə əvəz edin (Kopyala → Xüsusi yapışdır → Dəyərlər).",
        "en": "The cell holds a formula ({formula}); only plain values are expected. Replace formulas by values (Copy → Paste special → Values).",
    },
    "formulas_more": {
        "az": "Vərəqdə daha {count} düsturlu xana var; yalnız dəyərlər gözlənilir.",
        "en": "The sheet has {count} more cells with formulas; only plain values are expected.",
    },
    "hidden_sheet": {
        "az": "Məlumat vərəqi gizlədilib; görünən vərəq gözlənilir. Gizli məlumat yoxlanmadan idxal olunmasın deyə vərəqi göstərin və ya silin.",
        "en": "The data sheet is hidden; a visible sheet is expected. Unhide or delete it, so that nothing unseen gets imported.",
    },
    "duplicate_sheet": {
        "az": "«{name}» adlı vərəq bir neçə dəfə var ({names}); hər növdən bir vərəq gözlənilir.",
        "en": "The sheet «{name}» appears more than once ({names}); one sheet of each kind is expected.",
    },
    "no_data_sheet": {
        "az": "Faylda məlumat vərəqi tapılmadı (vərəqlər: {found}); Services, Infrastructure və ya Coverage vərəqi gözlənilir.",
        "en": "No data sheet found (sheets: {found}); a sheet named Services, Infrastructure or Coverage is expected.",
    },
    "empty_sheet": {
        "az": "Vərəqdə doldurulmuş sətir yoxdur; ən azı bir sətir gözlənilirdi.",
        "en": "The sheet has no filled-in row; at least one row was expected.",
    },
    "no_rows": {
        "az": "Faylda idxal ediləcək heç bir sətir yoxdur; doldurulmuş məlumat vərəqi gözlənilir.",
        "en": "The file holds no row to import; a filled-in data sheet is expected.",
    },
    "header_not_found": {
        "az": "Başlıq sətri tapılmadı: ilk sətirlərdə «{expected}» sütunu yoxdur.",
        "en": "No header row found: none of the first rows has a «{expected}» column.",
    },
    "missing_column": {
        "az": "Vacib sütun yoxdur: {missing}; başlıq sətrində bu adlar gözlənilir.",
        "en": "Required column(s) missing: {missing}; the header row must name them.",
    },
    "duplicate_column": {
        "az": "«{name}» sütunu iki dəfə var ({letters}); hər sütun bir dəfə gözlənilir.",
        "en": "The column «{name}» appears twice ({letters}); each column is expected once.",
    },
    "too_many_issues": {
        "az": "Daha {count} xəta göstərilmədi; əvvəlcə yuxarıdakıları düzəldin.",
        "en": "{count} more problems were not listed; fix the ones above first.",
    },
    # --- Meta --------------------------------------------------------------------------
    "meta_missing": {
        "az": "«Meta» vərəqi yoxdur; dövrü (round) göstərən Meta vərəqi gözlənilir.",
        "en": "The «Meta» sheet is missing; a Meta sheet giving at least the round is expected.",
    },
    "meta_round_missing": {
        "az": "Meta vərəqində «round» (dövr) dəyəri yoxdur; il (2024) və ya etiket (2024-H1) gözlənilir.",
        "en": "The Meta sheet gives no «round»; a year (2024) or a label (2024-H1) is expected.",
    },
    "meta_bad_round": {
        "az": "Dövr «{value}» qəbul olunmur; il (2024) və ya qısa etiket (2024-H1) gözlənilir.",
        "en": "The round «{value}» is not accepted; a year (2024) or a short label (2024-H1) is expected.",
    },
    "meta_bad_source": {
        "az": "Mənbə (source) «{value}» tanınmadı; «self» (özünüqiymətləndirmə) və ya «expert» (ekspert) gözlənilir.",
        "en": "The source «{value}» is not recognised; «self» or «expert» is expected.",
    },
    "meta_unknown_methodology": {
        "az": "Metodika versiyası «{value}» tanınmadı; mövcud versiyalar: {known}.",
        "en": "The methodology version «{value}» is unknown; known versions: {known}.",
    },
    "meta_bad_language": {
        "az": "Dil (language) «{value}» tanınmadı; «az» və ya «en» gözlənilir. Dəyər nəzərə alınmadı.",
        "en": "The language «{value}» is not recognised; «az» or «en» is expected. It was ignored.",
    },
    "meta_unknown_key": {
        "az": "Meta vərəqində naməlum açar «{value}» nəzərə alınmadı; round, source, methodology, language, scope gözlənilir.",
        "en": "The unknown Meta key «{value}» was ignored; round, source, methodology, language, scope are expected.",
    },
    "meta_duplicate_key": {
        "az": "Meta açarı «{value}» iki dəfə verilib (sətirlər: {first_row} və {row}); bir dəfə gözlənilir.",
        "en": "The Meta key «{value}» is given twice (rows {first_row} and {row}); once is expected.",
    },
    "meta_scope_unknown": {
        "az": "Əhatə (scope) «{value}» nə «national», nə də qeydiyyatdakı qurumdur. Ən yaxın adlar: {suggestions}.",
        "en": "The scope «{value}» is neither «national» nor a registered institution. Closest names: {suggestions}.",
    },
    "meta_scope_new": {
        "az": "Əhatə (scope) «{value}» qeydiyyatda yoxdur; yeni qurum kimi əlavə olunacaq.",
        "en": "The scope «{value}» is not registered; it will be added as a new institution.",
    },
    # --- cells -------------------------------------------------------------------------
    "missing_value": {
        "az": "Xana boşdur; {expected} gözlənilir.",
        "en": "The cell is empty; {expected} is expected.",
    },
    "bad_yesno": {
        "az": "Cavab «{value}» tanınmadı; cavab bəli/xeyr olmalıdır (1/0, bəli/xeyr, yes/no, true/false).",
        "en": "The answer «{value}» is not recognised; it must be yes or no (1/0, yes/no, bəli/xeyr, true/false).",
    },
    "missing_answer": {
        "az": "Cavab boşdur; bəli və ya xeyr (1 və ya 0) gözlənilir.",
        "en": "The answer is empty; yes or no (1 or 0) is expected.",
    },
    "unknown_institution": {
        "az": "Qurum «{value}» qeydiyyatda tapılmadı. Ən yaxın adlar: {suggestions}. Yeni qurum yalnız açıq razılıqla əlavə olunur.",
        "en": "The institution «{value}» is not registered. Closest names: {suggestions}. A new institution is added only when explicitly asked for.",
    },
    "new_institution": {
        "az": "Qurum «{value}» qeydiyyatda yoxdur; yeni qurum kimi əlavə olunacaq.",
        "en": "The institution «{value}» is not registered; it will be added as a new institution.",
    },
    "new_service": {
        "az": "«{institution}» qurumu üçün «{value}» kodlu xidmət qeydiyyatda yoxdur; yeni xidmət kimi əlavə olunacaq.",
        "en": "No service with code «{value}» is registered for «{institution}»; it will be added as a new service.",
    },
    "duplicate_service": {
        "az": "«{institution}» qurumunun «{value}» kodlu xidməti təkrarlanır (sətirlər: {first_row} və {row}); hər xidmət bir dəfə gözlənilir.",
        "en": "The service «{value}» of «{institution}» appears twice: rows {first_row} and {row}; each service is expected once.",
    },
    "bad_audience": {
        "az": "Auditoriya «{value}» tanınmadı; «citizen» (vətəndaş), «business» (biznes) və ya boş xana gözlənilir.",
        "en": "The audience «{value}» is not recognised; «citizen», «business» or an empty cell is expected.",
    },
    "bad_count": {
        "az": "Say «{value}» tam ədəd deyil; 0 və ya daha böyük tam ədəd gözlənilir.",
        "en": "The count «{value}» is not a whole number; a whole number of 0 or more is expected.",
    },
    "negative_count": {
        "az": "Say «{value}» mənfidir; 0 və ya daha böyük tam ədəd gözlənilir.",
        "en": "The count «{value}» is negative; a whole number of 0 or more is expected.",
    },
    "provided_gt_transferable": {
        "az": "Göstərilən e-xidmətlərin sayı ({provided}) e-xidmətə çevrilə bilən xidmətlərin sayından ({transferable}) çoxdur; çox olmamalıdır.",
        "en": "E-services provided ({provided}) exceed the services transferable to e-services ({transferable}); they must not exceed them.",
    },
    "duplicate_institution": {
        "az": "Qurum «{value}» təkrarlanır (sətirlər: {first_row} və {row}); hər qurum bir dəfə gözlənilir.",
        "en": "The institution «{value}» appears twice: rows {first_row} and {row}; each institution is expected once.",
    },
    "unknown_question": {
        "az": "Sual nömrəsi «{value}» bu metodikada yoxdur; gözlənilən nömrələr: {known}.",
        "en": "The question id «{value}» is not part of this methodology; expected ids: {known}.",
    },
    "duplicate_question": {
        "az": "Sual «{value}» təkrarlanır (sətirlər: {first_row} və {row}); hər sual bir dəfə gözlənilir.",
        "en": "The question «{value}» appears twice: rows {first_row} and {row}; each question is expected once.",
    },
    "question_missing": {
        "az": "{value} nömrəli suala cavab verilməyib; metodikanın bütün suallarına cavab gözlənilir.",
        "en": "Question {value} is not answered; every question of the methodology must be answered.",
    },
    "bad_percent": {
        "az": "Faiz «{value}» tanınmadı; 0 ilə 100 arasında ədəd gözlənilir (məsələn 51, 51% və ya faiz formatlı xana).",
        "en": "The percentage «{value}» is not recognised; a number from 0 to 100 is expected (e.g. 51, 51% or a percent-formatted cell).",
    },
    "percent_range": {
        "az": "Faiz {value} 0–100 aralığından kənardadır; 0 ilə 100 arasında ədəd gözlənilir.",
        "en": "The percentage {value} lies outside 0–100; a number from 0 to 100 is expected.",
    },
    "percent_fraction": {
        "az": "Faiz {value} çox kiçikdir: {value}% kimi oxundu. {pct}% nəzərdə tutulubsa, xanaya {pct} yazın və ya faiz formatı verin.",
        "en": "The percentage {value} is very small: it was read as {value}%. If {pct}% was meant, type {pct} or format the cell as a percentage.",
    },
}

# Wording shown in the second header row of the templates; the reader also uses
# it to recognise that row in files filled from older or translated templates.
HEADER_LABELS: dict[str, dict[str, str]] = {
    "institution": {"az": "Qurumun adı", "en": "Institution name"},
    "service_code": {"az": "Xidmətin kodu", "en": "Service code"},
    "service_name": {"az": "Xidmətin adı", "en": "Service name"},
    "audience": {"az": "Auditoriya (vətəndaş/biznes)", "en": "Audience (citizen/business)"},
    "comment": {"az": "Şərh", "en": "Comment"},
    "id": {"az": "Nömrə", "en": "No."},
    "question": {"az": "Sual", "en": "Question"},
    "answer": {"az": "Cavab", "en": "Answer"},
    "services_transferable": {"az": "E-xidmətə çevrilə bilən xidmətlər", "en": "Services transferable to e-services"},
    "e_services_provided": {"az": "Göstərilən e-xidmətlər", "en": "E-services provided"},
}

LOCATION = {
    "az": {"sheet": "Vərəq «{sheet}»", "row": "sətir {row}", "column": "sütun {column}"},
    "en": {"sheet": "Sheet «{sheet}»", "row": "row {row}", "column": "column {column}"},
}


class _Lenient(dict):
    """Leaves unknown placeholders visible instead of raising KeyError."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fill(template: str, params: dict) -> str:
    # Formatter.vformat with a lenient mapping: a missing parameter must never
    # turn an error report into a crash.
    return Formatter().vformat(template, (), _Lenient(params))


def location(lang: str, sheet=None, row=None, column=None) -> str:
    """'Vərəq «Services», sətir 5, sütun q3 (F)' — only the parts that are known."""
    lang = lang if lang in LOCATION else "en"
    parts = []
    for key, val in (("sheet", sheet), ("row", row), ("column", column)):
        if val not in (None, ""):
            parts.append(LOCATION[lang][key].format(**{key: val}))
    return ", ".join(parts)


def render(code: str, lang: str = "az", **params) -> str:
    """The message for ``code`` in ``lang`` (az or en), located when params say where."""
    lang = lang if lang in ("az", "en") else "en"
    # A param may itself be bilingual ({"az": ..., "en": ...}), e.g. "expected".
    params = {k: (v.get(lang, v.get("en")) if isinstance(v, dict) and ("az" in v or "en" in v) else v)
              for k, v in params.items()}
    entry = MESSAGES.get(code)
    if entry is None:
        text = f"{code}: {params}"
    else:
        text = _fill(entry[lang], params)
    where = location(lang, params.get("sheet"), params.get("row"), params.get("column"))
    return f"{where}: {text}" if where else text

"""Texts of every issue the ingest layer reports, in Azerbaijani and English.

Azerbaijani comes first: most people who fill the workbooks read it. Each text
says what was found and what was expected. Location (sheet, row, column) is not
repeated in the texts: :func:`render` prefixes it from the issue's params, so
the same wording serves container-level and cell-level problems.
"""

from __future__ import annotations


def _messages() -> dict[str, dict[str, str]]:
    """``{code: {"az", "en"}}`` of the ``ingest.*`` entries of the catalogue."""
    from l10n.catalogue import catalogue

    return {k[len("ingest."):]: v for k, v in catalogue().items()
            if k.startswith("ingest.") and not k.startswith("ingest.location.")}


# Texts live in the PO catalogue (l10n/locale) under ``ingest.<code>``; this
# view keeps the name the reader, the pipeline and the tests use.
MESSAGES: dict[str, dict[str, str]] = _messages()


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

def _fill(template: str, params: dict) -> str:
    # A missing parameter must never turn an error report into a crash.
    from l10n.catalogue import fill

    return fill(template, params)


def location(lang: str, sheet=None, row=None, column=None, cells=None, n_cells=None) -> str:
    """'Vərəq «Services», sətir 5, sütun q3 (F)' — only the parts that are known.

    A problem found in several cells is located by its ranges instead:
    'Vərəq «Services», xanalar E4:E19, G4 (17 xana)'.
    """
    from l10n.catalogue import t

    lang = lang if lang in ("az", "en") else "en"
    parts = []
    if sheet not in (None, ""):
        parts.append(t("ingest.location.sheet", lang, strict=False, sheet=sheet))
    if cells and isinstance(n_cells, int) and n_cells > 1:
        parts.append(t("ingest.location.cells", lang, strict=False, cells=cells, n=n_cells))
    else:
        for key, val in (("row", row), ("column", column)):
            if val not in (None, ""):
                parts.append(t(f"ingest.location.{key}", lang, strict=False, **{key: val}))
    return ", ".join(parts)


def text(code: str, lang: str = "az", **params) -> str:
    """The message for ``code`` in ``lang`` without its location."""
    lang = lang if lang in ("az", "en") else "en"
    # A param may itself be bilingual ({"az": ..., "en": ...}), e.g. "expected".
    params = {k: (v.get(lang, v.get("en")) if isinstance(v, dict) and ("az" in v or "en" in v) else v)
              for k, v in params.items()}
    entry = MESSAGES.get(code)
    if entry is None:
        return f"{code}: {params}"
    return _fill(entry[lang], params)


def render(code: str, lang: str = "az", **params) -> str:
    """The message for ``code`` in ``lang`` (az or en), located when params say where."""
    body = text(code, lang, **params)
    where = location(lang, params.get("sheet"), params.get("row"), params.get("column"), params.get("cells"),
                     params.get("n_cells"))
    return f"{where}: {body}" if where else body

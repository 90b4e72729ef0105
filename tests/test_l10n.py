"""The PO catalogue is complete and consistent; formats come from CLDR (Babel)."""

from __future__ import annotations

import datetime as dt

import pytest
from babel import Locale
from babel import numbers as babel_numbers
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as hs

from l10n import (
    catalogue,
    d3,
    excel_number_format,
    fmt_change,
    fmt_date,
    fmt_list,
    fmt_num,
    fmt_pct,
    territory_name,
    vega_locale,
)


def test_catalogue_has_no_problems():
    assert catalogue.problems() == []


def test_both_po_files_hold_the_same_keys():
    keys = {lang: {str(m.id) for m in catalogue.read_catalogue(lang) if m.id} for lang in catalogue.LANGS}
    assert keys["az"] == keys["en"]


def test_po_files_are_committed_sorted():
    for lang in catalogue.LANGS:
        ids = [str(m.id) for m in catalogue.read_catalogue(lang) if m.id]
        assert ids == sorted(ids), f"run `python -m l10n sort` ({lang})"


def test_numbers_follow_cldr():
    for lang in ("az", "en"):
        assert fmt_num(1234567.891, lang, 3) == format_decimal(1234567.891, locale=lang)
    assert fmt_num(0.6, "az") == "0,6" and fmt_pct(64.8, "az", 1) == "64,8%"


def test_dates_and_territories_from_cldr():
    assert fmt_date(dt.date(2026, 11, 27), "az", "long") == "27 noyabr 2026"
    assert fmt_date("2026-11-27", "en", "long") == "November 27, 2026"
    assert territory_name("GE", "az") == Locale.parse("az").territories["GE"] == "Gürcüstan"
    assert territory_name("EE", "en") == "Estonia"
    assert territory_name("", "en") is None


# --- formats against Babel, Vega's locales from CLDR -------------------------------------------------

@given(hs.floats(min_value=-1e9, max_value=1e9, allow_nan=False), hs.integers(min_value=0, max_value=3),
       hs.sampled_from(["az", "en"]))
def test_fmt_num_is_babel_with_fixed_digits(x, digits, lang):
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    expected = babel_numbers.format_decimal(round(x, digits) + 0.0, format=pattern, locale=lang)
    assert fmt_num(x, lang, digits) == expected


@pytest.mark.parametrize("lang", ["az", "en"])
def test_fmt_pct_is_babel(lang):
    assert fmt_pct(64.8, lang, 1) == babel_numbers.format_percent(0.648, format="#,##0.0%", locale=lang)
    assert fmt_pct(0.5, lang, 0, ratio=True) == babel_numbers.format_percent(0.5, locale=lang)


def test_changes_lists_and_spreadsheet_formats():
    assert fmt_change(0.754, "az", 2) == "▲\u00a00,75" and fmt_change(-0.5, "en", 2) == "▼\u00a00.50"
    assert fmt_change(0.001, "az", 2) == "=" and fmt_change(None, "az") == ""
    assert fmt_change(-3, "en", 0, pct=True) == "▼\u00a03%"
    assert fmt_list(["Avstriya", "İrlandiya", "Malta"], "az") == "Avstriya, İrlandiya və Malta"
    assert fmt_list(["Austria", "Ireland", "Malta"], "en") == "Austria, Ireland, and Malta"
    assert excel_number_format(2) == "#,##0.00" and excel_number_format(0, percent=True) == "#,##0%"
    assert excel_number_format(2, change=True) == '"▲ "#,##0.00;"▼ "#,##0.00;"="'


def test_territories_by_alpha3_through_cldr_aliases():
    assert territory_name("EST", "az") == Locale.parse("az").territories["EE"] == "Estoniya"
    assert territory_name("GEO", "en") == "Georgia" and territory_name("AZE", "az") == "Azərbaycan"
    assert territory_name("XXX", "en") is None


@pytest.mark.parametrize("lang", ["az", "en"])
def test_vega_number_locale_is_cldr(lang):
    loc = Locale.parse(lang)
    symbols = loc.number_symbols["latn"]
    number = vega_locale(lang)["number"]
    assert number["decimal"] == symbols["decimal"] and number["thousands"] == symbols["group"]
    assert number["grouping"] == list(loc.decimal_formats[None].grouping)
    assert number["minus"] == symbols["minusSign"]


@pytest.mark.parametrize("lang", ["az", "en"])
def test_vega_time_locale_is_cldr(lang):
    loc = Locale.parse(lang)
    time = vega_locale(lang)["time"]
    assert time["months"] == [loc.months["format"]["wide"][m] for m in range(1, 13)]
    assert time["days"][0] == loc.days["format"]["wide"][6]  # d3 weeks start on Sunday
    assert len(time["shortDays"]) == 7 and len(time["periods"]) == 2
    assert vega_locale("az")["time"]["date"] == "%-d %b %Y"  # CLDR az medium date: d MMM y


def test_cldr_patterns_become_d3_directives():
    assert d3.cldr_to_d3("dd.MM.yy") == "%d.%m.%y"
    assert d3.cldr_to_d3("EEEE, d MMMM y") == "%A, %-d %B %Y"
    assert d3.cldr_to_d3("h:mm:ss a") == "%-I:%M:%S %p"
    assert d3.cldr_to_d3("d 'of' MMMM, 100%") == "%-d of %B, 100%%"


def test_every_catalogue_key_used_in_code_exists():
    """A ``t("…")`` with a literal key in the code must find its text in both PO files."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    literal = re.compile(r"""\bt\(\s*["']([a-z][a-z0-9_]*(?:\.[a-z0-9_\-]+)+)["']""")
    missing = []
    for folder in ("app.py", "pages", "ui", "store", "ingest", "commands", "l10n"):
        for path in ([root / folder] if folder.endswith(".py") else sorted((root / folder).rglob("*.py"))):
            for key in literal.findall(path.read_text(encoding="utf-8")):
                if not catalogue.has(key) and not catalogue.has("ingest." + key):
                    missing.append(f"{path.relative_to(root)}: {key}")
    assert missing == []


def test_names_sort_in_the_languages_alphabet():
    from l10n import sort_key

    az = ["Şəki", "Zaqatala", "Səhiyyə", "Sabirabad", "Ədliyyə", "Energetika", "Xaçmaz", "Hacıqabul", "İsmayıllı",
          "Ismayıllı", "«Azərsu» ASC", "Ağdam", "Üçüncü", "Uşaq", "Ölkə", "Oğuz", "Çay", "Cəlilabad", "2-ci", None]
    assert sorted(az, key=lambda n: sort_key(n, "az")) == [
        None, "2-ci", "Ağdam", "«Azərsu» ASC", "Cəlilabad", "Çay", "Energetika", "Ədliyyə", "Hacıqabul", "Xaçmaz",
        "Ismayıllı", "İsmayıllı", "Oğuz", "Ölkə", "Sabirabad", "Səhiyyə", "Şəki", "Uşaq", "Üçüncü", "Zaqatala"]
    en = ["ministry of Taxes", "Ministry of Health", '"Azersu" OJSC', "État"]
    assert sorted(en, key=lambda n: sort_key(n, "en")) == ['"Azersu" OJSC', "État", "Ministry of Health",
                                                           "ministry of Taxes"]

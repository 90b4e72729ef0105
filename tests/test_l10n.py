"""The PO catalogue is complete and consistent; formats come from CLDR (Babel)."""

from __future__ import annotations

import datetime as dt

from babel import Locale
from babel.numbers import format_decimal

from l10n import catalogue, fmt_date, fmt_num, fmt_pct, territory_name


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

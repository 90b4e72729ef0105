"""Portal use of July 2014: totals recomputed from the CSV, and the supply/demand join."""

import csv
from pathlib import Path

import pandas as pd
import pytest

from scoring.portal import normalise_name, portal_table, portal_totals, unmatched_institutions
from scoring.reference import load_portal_usage_2014

CSV = Path(__file__).resolve().parent.parent / "data" / "reference" / "portal_usage_2014_07.csv"


def test_totals_against_plain_csv():
    with open(CSV, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    uses = sum(int(r["uses_july_2014"]) for r in rows)
    assert uses == 1_200_362
    t = portal_totals(load_portal_usage_2014())
    assert (t.institutions, t.e_services) == (39, 298)
    assert t.uses_sum == uses
    assert t.uses_printed == 1_200_290
    assert t.difference == -72 and not t.consistent


def test_portal_table_shares_and_join():
    usage = load_portal_usage_2014()
    maturity = pd.DataFrame({
        "institution_name": ["  ədliyyə   NAZİRLİYİ ", "State Social Protection Fund", "Unknown body"],
        "mean_level": [2.0, 3.5, 1.0],
        "n_services": [2, 4, 1],
    })
    t = portal_table(usage, maturity)
    assert len(t) == 39
    assert t["uses_share_pct"].sum() == pytest.approx(100)
    assert t["e_services_share_pct"].sum() == pytest.approx(100)
    top = t.iloc[0]
    assert top["uses_per_e_service"] == pytest.approx(962480 / 18)
    by = t.set_index("institution_en")
    assert by.loc["Ministry of Justice", "mean_level"] == 2.0
    assert by.loc["State Social Protection Fund", "n_assessed"] == 4
    assert t["assessed"].sum() == 2
    assert unmatched_institutions(usage, maturity)["institution_name"].tolist() == ["Unknown body"]


def test_portal_table_without_maturity():
    t = portal_table(load_portal_usage_2014())
    assert not t["assessed"].any() and (t["n_assessed"] == 0).all()


def test_normalise_name_azerbaijani_case():
    s = normalise_name(pd.Series(["İQTİSADİYYAT  Nazirliyi", "Ilham"]))
    assert s.tolist() == ["iqtisadiyyat nazirliyi", "ılham"]

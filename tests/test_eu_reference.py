"""Golden tests for the EU/UN comparison: expected values are recomputed here
from the CSV files with the plain csv module, not through scoring.reference."""

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.errors import MethodologyError
from scoring.eu import (
    azerbaijan_ranks,
    classic_indicators,
    egdi_comparison_table,
    egdi_country_series,
    egdi_eu_average,
    eu_benchmark_series,
    eu_headline,
    eu_members_in,
    service_mapping_table,
    stage_share_table,
)
from scoring.methodology import load_methodology
from scoring.reference import (
    load_catalogue,
    load_egdi,
    load_eu_benchmark,
    load_eu_mapping,
    load_eu_members,
    parse_eu_mapping_text,
)

REF = Path(__file__).resolve().parent.parent / "data" / "reference"
YEARS = (2010, 2012, 2014, 2016, 2018)


def _csv_rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _expected_eu_average(year):
    members = [r["iso3"] for r in _csv_rows(REF / "eu_members.csv")
               if int(r["joined"]) <= year and (not r["left"] or int(r["left"]) > year)]
    rows = {r["country-code"]: r for r in _csv_rows(REF / "un_egdi" / f"egdi-{year}.csv")}
    egdi = [float(rows[c]["e-gov-index"]) for c in members]
    osi = [float(rows[c]["osi"]) for c in members]
    return len(members), sum(egdi) / len(egdi), sum(osi) / len(osi)


@pytest.fixture(scope="module")
def egdi():
    return load_egdi()


@pytest.fixture(scope="module")
def members():
    return load_eu_members()


def test_egdi_long_frame_shape(egdi):
    assert list(egdi.columns) == ["year", "iso3", "country", "rank", "egdi", "osi", "hci", "tii", "epart"]
    assert sorted(egdi["year"].unique()) == list(YEARS)
    assert (egdi.groupby("year").size() == 193).all()
    assert str(egdi["rank"].dtype) == "Int64"


def test_loaders_return_copies(egdi):
    a = load_egdi()
    a.loc[:, "egdi"] = -1.0
    assert not (load_egdi()["egdi"] == -1.0).any()


@pytest.mark.parametrize("year", YEARS)
def test_eu_average_matches_independent_computation(egdi, members, year):
    n, e, o = _expected_eu_average(year)
    row = egdi_eu_average(egdi, members).set_index("year").loc[year]
    assert row["n_members"] == n
    assert row["n_with_data"] == n
    assert row["egdi_mean"] == pytest.approx(e, abs=1e-12)
    assert row["osi_mean"] == pytest.approx(o, abs=1e-12)


def test_member_counts_per_year(members):
    counts = {y: len(eu_members_in(y, members)) for y in (2010, 2012, 2013, 2014, 2016, 2018, 2019, 2020)}
    assert counts == {2010: 27, 2012: 27, 2013: 28, 2014: 28, 2016: 28, 2018: 28, 2019: 28, 2020: 27}
    assert "HRV" not in set(eu_members_in(2012, members)["iso3"])
    assert "GBR" in set(eu_members_in(2018, members)["iso3"])
    assert "GBR" not in set(eu_members_in(2020, members)["iso3"])


def test_azerbaijan_ranks(egdi):
    ranks = azerbaijan_ranks(egdi)
    assert ranks.to_dict() == {2010: 83, 2012: 96, 2014: 68, 2016: 56, 2018: 70}
    # 2010 is stored as 83.0 in the source: must come out as an exact integer.
    assert ranks[2010] == 83 and not isinstance(ranks[2010], float)


def test_country_series_order_and_unknown_code(egdi):
    s = egdi_country_series(egdi, ["EST", "AZE"])
    assert s["iso3"].tolist() == ["EST"] * 5 + ["AZE"] * 5
    with pytest.raises(KeyError):
        egdi_country_series(egdi, ["XXX"])


def test_comparison_table_has_eu_series(egdi, members):
    t = egdi_comparison_table(egdi, members, countries=("AZE", "EST"), lang="az")
    assert set(t["series"]) == {"AZE", "EST", "EU"}
    eu = t[t["series"] == "EU"].set_index("year")
    assert eu.loc[2014, "egdi"] == pytest.approx(_expected_eu_average(2014)[1])
    assert eu["label"].iloc[0] == "Aİ ortalaması"
    assert eu["rank"].isna().all()
    assert t.set_index(["series", "year"]).loc[("AZE", 2012), "n_countries"] == 193


def test_eu_headline_and_series():
    bench = load_eu_benchmark()
    h = eu_headline(bench)
    assert (h.year, h.online_sophistication_pct, h.full_online_availability_pct) == (2010, 90.0, 82.0)
    assert h.scope.startswith("EU27+")
    assert "9th benchmark" in h.source_sophistication
    assert h.best_performers == ("Austria", "Ireland", "Malta", "Portugal")
    assert h.best_performers_year == 2010
    s = eu_benchmark_series(bench).set_index("year")
    assert s.loc[2007, "full_online_availability_pct"] == 59
    assert pd.isna(s.loc[2006, "full_online_availability_pct"])


def test_classic_indicators_hand_built():
    scored = pd.DataFrame({"level": [3, 4, 5, 1, 2, 0], "audience": ["citizen"] * 4 + ["business"] * 2})
    t = classic_indicators(scored)
    assert list(t.index) == ["citizen", "business", "overall"]
    assert t.loc["citizen", "online_sophistication_pct"] == pytest.approx(65.0)
    assert t.loc["citizen", "full_online_availability_pct"] == pytest.approx(50.0)
    assert t.loc["business", "online_sophistication_pct"] == pytest.approx(20.0)
    assert t.loc["business", "full_online_availability_pct"] == 0
    assert t.loc["overall", "n_services"] == 6
    assert t.loc["overall", "online_sophistication_pct"] == pytest.approx(15 / 6 / 5 * 100)


def test_classic_indicators_empty_group_and_bad_input():
    t = classic_indicators(pd.DataFrame({"level": [5], "audience": ["citizen"]}))
    assert t.loc["business", "n_services"] == 0 and pd.isna(t.loc["business", "online_sophistication_pct"])
    with pytest.raises(ValueError):
        classic_indicators(pd.DataFrame({"level": [6], "audience": ["citizen"]}))
    with pytest.raises(ValueError):
        classic_indicators(pd.DataFrame({"level": [3], "audience": ["people"]}))


def test_stage_share_table():
    m = load_methodology("2013-osce")
    t = stage_share_table(pd.DataFrame({"level": [3, 3, 4, 0], "audience": ["citizen"] * 4}), m, "en")
    assert t["level"].tolist() == [0, 1, 2, 3, 4, 5]
    assert t["n_services"].tolist() == [1, 0, 0, 2, 1, 0]
    assert t["share_pct"].sum() == pytest.approx(100)
    assert t.set_index("level").loc[4, "stage_eu"].startswith("Transaction")


# ---------------------------------------------------------------- mapping


def test_mapping_counts_and_codes_are_strings():
    m = load_eu_mapping("2013-osce")
    assert len(m.services) == 20
    assert sum(s.audience == "citizen" for s in m.services) == 12
    assert sum(s.audience == "business" for s in m.services) == 8
    assert all(isinstance(c, str) for c in m.all_codes)
    assert "7.10" in m.all_codes and "7.1" in m.all_codes


def test_mapping_agrees_with_catalogue():
    m = load_eu_mapping("2013-osce")
    cat = load_catalogue()
    coded = cat[cat["com_number"].notna()]
    assert set(m.all_codes) == set(coded["com_number"])
    az_only = set(coded.loc[coded["eu_service"].isna(), "com_number"])
    assert {a.code for a in m.az_only} == az_only
    # Each mapped code sits under the EU service (or part) the catalogue names.
    catalogue_names = {p.catalogue: p.az_codes for s in m.services for p in s.parts}
    for _, row in coded[coded["eu_service"].notna()].iterrows():
        assert row["com_number"] in catalogue_names[row["eu_service"]]
    # Every EU label in the catalogue is known to the mapping.
    known = {s.catalogue for s in m.services} | set(catalogue_names)
    assert set(cat["eu_service"].dropna()) <= known


BAD_HEAD = "id: t\nmethodology: t\n"


@pytest.mark.parametrize("body, field", [
    ("eu_services:\n  - {id: a, audience: people, name: {en: A, az: A}}\n", "audience"),
    ("eu_services:\n  - {id: a, audience: citizen, name: {en: A, az: A}}\n"
     "  - {id: a, audience: citizen, name: {en: B, az: B}}\n", "id"),
    ("eu_services:\n  - {id: a, audience: citizen, name: {en: A, az: A}, az: [7.10]}\n", "az"),
    ("eu_services:\n  - {id: a, audience: citizen, name: {en: A, az: A}, az: ['7.1']}\n"
     "  - {id: b, audience: citizen, name: {en: B, az: B}, az: ['7.1']}\n", "az"),
    ("expected_counts: {citizen: 2}\neu_services:\n  - {id: a, audience: citizen, name: {en: A, az: A}}\n", "eu_services"),
])
def test_mapping_validation(body, field):
    with pytest.raises(MethodologyError) as exc:
        parse_eu_mapping_text(BAD_HEAD + body)
    assert field in exc.value.field


def test_service_mapping_table_keeps_x_rows():
    m = load_eu_mapping("2013-osce")
    scored = pd.DataFrame({
        "service_code": ["9.3", "14.1", "14.13", "7.10", "30.1"],
        "level": [2, 4, 3, 1, 5],
    })
    t = service_mapping_table(m, scored, "en")
    eu = t[t["eu_counterpart"]]
    assert eu["eu_id"].nunique() == 20 and len(eu) == 20
    assert (~eu["az_counterpart"]).sum() == 10  # EU services with no Azerbaijani counterpart kept
    az = t[~t["eu_counterpart"]]
    assert len(az) == 16 and az["az_counterpart"].all()
    assert "7.10" in set(az["az_codes"])
    health = t.set_index("eu_id").loc["c12"]
    assert health["az_codes"] == "14.1, 14.13, 14.14"
    assert health["level"] == 4 and bool(health["fully_online"]) is True
    assert health["levels"] == "4, 3, –"
    assert t.set_index("az_codes").loc["30.1", "level"] == 5
    income = t.set_index("eu_id").loc["c01"]
    assert pd.isna(income["level"]) and income["seed_marker"] == "X"
    assert t.set_index("eu_id").loc["c02", "az_services"] == "Job search through employment agencies"


def test_service_mapping_table_detail_and_az_names():
    m = load_eu_mapping("2013-osce")
    d = service_mapping_table(m, pd.DataFrame({"code": ["2.15"], "level": [4]}), "az", detail=True)
    assert d["eu_id"].dropna().nunique() == 20
    row = d[d["code"] == "2.15"].iloc[0]
    assert row["eu_part"] == "Pasport" and row["provider"] == "Daxili İşlər Nazirliyi"
    with pytest.raises(ValueError):
        service_mapping_table(m, pd.DataFrame({"code": ["2.15", "2.15"], "level": [4, 3]}))


def test_service_mapping_table_unlisted_services():
    m = load_eu_mapping("2013-osce")
    scored = pd.DataFrame({"service_code": ["99.1"], "level": [3], "audience": ["business"]})
    assert "99.1" not in set(service_mapping_table(m, scored)["az_codes"].dropna())
    t = service_mapping_table(m, scored, include_unlisted=True)
    assert t.set_index("az_codes").loc["99.1", "eu_counterpart"] == False  # noqa: E712


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([None, 0, 1, 2, 3, 4, 5]), st.sampled_from([None, "citizen", "business"])),
                max_size=40))
def test_classic_indicators_agree_with_a_plain_group_by(rows):
    scored = pd.DataFrame(rows, columns=["level", "audience"]).astype({"level": "Float64"})
    got = classic_indicators(scored)
    for group in ("citizen", "business", "overall"):
        pick = scored["level"].notna() & ((scored["audience"] == group) if group != "overall" else True)
        levels = scored.loc[pick, "level"].astype(float)
        assert got.loc[group, "n_services"] == len(levels)
        if len(levels):
            assert got.loc[group, "online_sophistication_pct"] == pytest.approx(levels.mean() / 5 * 100)
            assert got.loc[group, "full_online_availability_pct"] == pytest.approx((levels >= 4).mean() * 100)
        else:
            assert np.isnan(got.loc[group, "online_sophistication_pct"])

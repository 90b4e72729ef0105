"""Round-to-round views: small hand-built rounds with known answers, and the
refusal to compare across a methodology change."""

import pandas as pd
import pytest

from scoring.methodology import load_methodology
from scoring.trends import (
    band_distribution,
    coverage_over_time,
    institution_changes,
    level_distribution,
    series_breaks,
    transition_matrix,
)

ROUNDS = pd.DataFrame({
    "label": ["2016", "2014", "2015", "2017"],  # deliberately unsorted: `ordered` decides
    "methodology_id": ["v2", "v1", "v1", "v2"],
    "ordered": [2016, 2014, 2015, 2017],
})

SCORED = pd.DataFrame({
    "round": ["2014"] * 4 + ["2015"] * 4 + ["2016"] * 2 + ["2017"] * 2,
    "service_id": [1, 2, 3, 4, 1, 2, 3, 5, 1, 2, 1, 2],
    "institution_id": [10, 10, 11, 11, 10, 10, 11, 11, 10, 11, 10, 11],
    "level": [1, 3, 2, 4, 2, 3, 5, 0, 5, 1, 4, 1],
    "corruption_band": ["poor", "good", "poor", "excellent", "good", "good", "excellent", "poor",
                        "excellent", "poor", "good", "poor"],
})


def _round(label):
    return SCORED[SCORED["round"] == label]


def test_series_breaks():
    assert series_breaks(ROUNDS) == ["2016"]
    same = pd.DataFrame({"label": ["a", "b"], "methodology_id": ["v1", "v1"], "ordered": [1, 2]})
    assert series_breaks(same) == []


def test_transition_matrix_small_example():
    t = transition_matrix(_round("2014"), _round("2015"), methodology_a="v1", methodology_b="v1")
    assert t.comparable and t.reason is None
    assert t.matrix.shape == (6, 6)
    assert int(t.matrix.to_numpy().sum()) == 3 == t.n_common
    assert t.matrix.loc[1, 2] == 1 and t.matrix.loc[3, 3] == 1 and t.matrix.loc[2, 5] == 1
    assert t.movers.to_dict("records") == [
        {"service_id": 3, "level_a": 2, "level_b": 5, "delta": 3},
        {"service_id": 1, "level_a": 1, "level_b": 2, "delta": 1},
    ]
    assert (t.n_up, t.n_down, t.n_same) == (2, 0, 1)
    assert t.only_a == (4,) and t.only_b == (5,)


def test_transition_reads_methodology_column():
    a = _round("2014").assign(methodology_id="v1")
    b = _round("2015").assign(methodology_id="v1")
    assert transition_matrix(a, b).comparable


@pytest.mark.parametrize("kwargs, frames", [
    ({"methodology_a": "v1", "methodology_b": "v2"}, ("2015", "2016")),
    ({}, ("2014", "2015")),  # unknown version: refuse rather than assume
])
def test_transition_refuses_across_methodology_change(kwargs, frames):
    t = transition_matrix(_round(frames[0]), _round(frames[1]), **kwargs)
    assert t.comparable is False
    assert t.matrix is None and t.movers.empty
    assert t.reason.get("en") and t.reason.get("az")


def test_transition_refuses_mixed_round():
    a = _round("2014").assign(methodology_id=["v1", "v1", "v2", "v1"])
    b = _round("2015").assign(methodology_id="v1")
    assert transition_matrix(a, b).comparable is False


def test_transition_rejects_duplicate_keys():
    a = pd.DataFrame({"service_id": [1, 1], "level": [1, 2]})
    with pytest.raises(ValueError):
        transition_matrix(a, a, methodology_a="v", methodology_b="v")


def test_level_distribution():
    d = level_distribution(SCORED, ROUNDS)
    assert d["round"].unique().tolist() == ["2014", "2015", "2016", "2017"]
    assert len(d) == 4 * 6
    r15 = d[d["round"] == "2015"].set_index("level")
    assert r15["n_services"].tolist() == [1, 0, 1, 1, 0, 1]
    assert r15["share_pct"].sum() == pytest.approx(100)
    assert d.groupby("round")["series_break"].first().to_dict() == {
        "2014": False, "2015": False, "2016": True, "2017": False}


def test_band_distribution_follows_methodology_order():
    m = load_methodology("2013-osce")
    d = band_distribution(SCORED, ROUNDS, m)
    assert d[d["round"] == "2014"]["band"].tolist() == [b.id for b in m.bands]
    r14 = d[d["round"] == "2014"].set_index("band")["n_services"]
    assert r14.to_dict() == {"poor": 2, "good": 1, "excellent": 1}


def test_institution_changes_blank_delta_across_break():
    c = institution_changes(SCORED, ROUNDS).set_index(["round", "institution_id"])
    assert c.loc[("2015", 10), "mean_level"] == 2.5
    assert c.loc[("2015", 10), "delta"] == pytest.approx(0.5)
    assert bool(c.loc[("2015", 10), "comparable"])
    assert pd.isna(c.loc[("2016", 10), "delta"]) and not c.loc[("2016", 10), "comparable"]
    assert c.loc[("2017", 10), "delta"] == pytest.approx(-1)
    assert pd.isna(c.loc[("2014", 11), "delta"])


def test_coverage_over_time():
    cov = pd.DataFrame({"round": ["2014", "2014", "2015", "2016"],
                        "transferable": [10, 0, 20, 5], "provided": [5, 0, 15, 5]})
    t = coverage_over_time(cov, ROUNDS).set_index("round")
    assert t.loc["2014", "coverage_pct"] == 50
    assert t.loc["2014", "mean_institution_coverage_pct"] == 50  # 0-of-0 left out
    assert t.loc["2015", "delta_pct"] == 25
    assert pd.isna(t.loc["2016", "delta_pct"]) and t.loc["2016", "series_break"]
    assert t.loc["2017", "n_institutions"] == 0


def _changes_by_groupby(scored, rounds_df):
    """The straightforward groupby formulation, kept as the reference for the counting one."""
    order = rounds_df.sort_values("ordered")["label"].tolist()
    meth = dict(zip(rounds_df["label"], rounds_df["methodology_id"]))
    g = scored.groupby(["round", "institution_id"]).agg(mean_level=("level", "mean"),
                                                       n_services=("level", "size")).reset_index()
    g["_pos"] = g["round"].map({lab: i for i, lab in enumerate(order)})
    g = g.sort_values(["institution_id", "_pos"])
    g["prev_round"] = g.groupby("institution_id")["round"].shift(1)
    prev_mean = g.groupby("institution_id")["mean_level"].shift(1)
    breaks = [0]
    for i in range(1, len(order)):
        breaks.append(breaks[-1] + (meth[order[i]] != meth[order[i - 1]]))
    pos = {lab: i for i, lab in enumerate(order)}

    def ok(row):
        return isinstance(row.prev_round, str) and breaks[pos[row.round]] == breaks[pos[row.prev_round]]

    g["comparable"] = [ok(r) for r in g.itertuples()]
    g["delta"] = (g["mean_level"] - prev_mean).where(g["comparable"])
    return g.sort_values(["_pos", "institution_id"]).drop(columns="_pos").reset_index(drop=True)


def test_institution_changes_agree_with_a_plain_groupby():
    import numpy as np

    rng = np.random.default_rng(4)
    labels = ["2014", "2015", "2016", "2017"]
    n = 3000
    scored = pd.DataFrame({"round": rng.choice(labels, n), "institution_id": rng.integers(1, 60, n),
                           "level": rng.integers(0, 6, n)})
    scored = scored[~((scored["institution_id"] % 7 == 0) & (scored["round"] == "2015"))]  # gaps
    got = institution_changes(scored, ROUNDS)
    want = _changes_by_groupby(scored, ROUNDS)
    assert got["round"].tolist() == want["round"].tolist()
    assert got["institution_id"].tolist() == want["institution_id"].tolist()
    assert got["n_services"].tolist() == want["n_services"].tolist()
    assert np.allclose(got["mean_level"], want["mean_level"])
    assert got["prev_round"].where(got["prev_round"].notna(), None).tolist() == \
        want["prev_round"].where(want["prev_round"].notna(), None).tolist()
    assert got["comparable"].tolist() == want["comparable"].tolist()
    assert np.allclose(got["delta"], want["delta"], equal_nan=True)

"""Golden tests: every worked example of the methodology reproduced exactly."""

import math

import pandas as pd
import pytest

from scoring import (
    columns_text,
    corruption,
    coverage,
    infrastructure,
    load_methodology,
    maturity,
    next_level_advice,
    score_frame,
    traffic_light,
)

M = load_methodology("2013-osce")
E_DECLARATION = [1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]
SEED_INFRA = {
    "1.1": 1, "1.2": 0, "1.3": 1, "1.4": 1, "1.5": 1, "1.6": 1,
    "2.1": 1, "2.2": 1, "2.3": 1, "2.4": 1, "2.5": 1, "2.6": 1, "2.7": 10,
    "3.1": 1, "3.2": 5, "3.3": 10,
}


def test_newest_is_the_seed_version():
    assert load_methodology().id == "2013-osce"
    assert len(M.indicators) == 17


def test_e_declaration_level_and_columns():
    r = maturity(E_DECLARATION, M)
    assert r.level == 3
    assert r.columns == (0, 1, 2, 3, 0, 0)


def test_e_declaration_accepts_bools():
    assert maturity([bool(x) for x in E_DECLARATION], M).level == 3


def test_e_declaration_corruption():
    c = corruption(E_DECLARATION, M)
    assert (c.score, c.band) == (4, "good")


def test_empty_template_is_level_zero():
    r = maturity([0] * 17, M)
    assert r.level == 0 and r.columns == (0, 0, 0, 0, 0, 0)
    assert corruption([0] * 17, M).band == "poor"


def test_no_website_puts_service_at_zero():
    a = [0] + [1] * 16
    assert maturity(a, M).level == 0


def test_all_yes_is_level_five():
    r = maturity([1] * 17, M)
    assert r.level == 5 and r.columns == (0, 1, 2, 3, 4, 5)
    c = corruption([1] * 17, M)
    assert (c.score, c.band) == (11, "excellent")


@pytest.mark.parametrize("score,band", [(0, "poor"), (2, "poor"), (3, "good"), (5, "good"), (6, "excellent"), (11, "excellent")])
def test_corruption_band_edges(score, band):
    corr_idx = [i for i, ind in enumerate(M.indicators) if ind.corruption]
    a = [0] * 17
    for i in corr_idx[:score]:
        a[i] = 1
    assert corruption(a, M).band == band


def test_seed_infrastructure_example():
    r = infrastructure(SEED_INFRA, M)
    assert f"{r.components['authentic_sources']:.1f}" == "0.8"
    assert f"{r.components['eid']:.1f}" == "0.6"
    assert f"{r.components['secure_edelivery']:.1f}" == "0.3"
    assert f"{r.index:.1f}" == "0.6"
    assert r.components["authentic_sources"] == pytest.approx(5 / 6)
    assert r.components["eid"] == pytest.approx(4 / 7)
    assert r.components["secure_edelivery"] == pytest.approx(1 / 3)


def test_percent_rule_is_strictly_above_half():
    v = dict(SEED_INFRA, **{"3.2": 50, "3.3": 51})
    r = infrastructure(v, M)
    assert r.points["3.2"] == 0 and r.points["3.3"] == 1


@pytest.mark.parametrize(
    "transferable,provided,pct",
    [(54, 35, 65), (22, 21, 95), (42, 36, 86), (77, 77, 100), (83, 55, 66), (65, 20, 31)],
)
def test_seed_coverage_rows(transferable, provided, pct):
    assert round(coverage(transferable, provided)) == pct


def test_coverage_of_nothing_transferable_is_undefined():
    assert math.isnan(coverage(0, 0))
    assert traffic_light("coverage", coverage(0, 0), M) is None


@pytest.mark.parametrize(
    "dim,value,light",
    [
        ("coverage", 75, "green"), ("coverage", 74.9, "yellow"), ("coverage", 50, "yellow"), ("coverage", 49.9, "red"),
        ("maturity", 4, "green"), ("maturity", 3, "yellow"), ("maturity", 2.99, "red"),
        ("infrastructure", 0.76, "green"), ("infrastructure", 0.75, "yellow"), ("infrastructure", 0.5, "yellow"),
        ("infrastructure", 0.49, "red"),
        ("corruption", 6, "green"), ("corruption", 3, "yellow"), ("corruption", 2.5, "red"),
        ("maturity", None, None),
    ],
)
def test_traffic_light_thresholds(dim, value, light):
    assert traffic_light(dim, value, M) == light


def test_advice_for_e_declaration_names_indicator_15():
    adv = next_level_advice(E_DECLARATION, M)
    assert adv.level == 3 and adv.target == 4
    assert 15 in adv.mandatory
    lifted = list(E_DECLARATION)
    for n in adv.suggested:
        lifted[n - 1] = 1
    assert maturity(lifted, M).level >= 4


def test_advice_at_top_level_is_empty():
    adv = next_level_advice([1] * 17, M)
    assert adv.target is None and adv.suggested == ()


def test_score_frame_reproduces_examples():
    df = pd.DataFrame([E_DECLARATION, [0] * 17, [1] * 17], columns=M.answer_columns, index=["a", "b", "c"])
    out = score_frame(df, M)
    assert list(out.index) == ["a", "b", "c"]
    assert out["level"].tolist() == [3, 0, 5]
    assert out["corruption_score"].tolist() == [4, 0, 11]
    assert out["corruption_band"].tolist() == ["good", "poor", "excellent"]
    assert columns_text(out).tolist() == ["0 1 2 3 0 0", "0 0 0 0 0 0", "0 1 2 3 4 5"]

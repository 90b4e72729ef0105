"""Property tests of the scoring rules (hypothesis)."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import corruption, infrastructure, load_methodology, maturity, next_level_advice, score_frame

M = load_methodology()
answers = st.lists(st.integers(0, 1), min_size=17, max_size=17)


@given(answers)
def test_level_within_bounds(a):
    r = maturity(a, M)
    assert 0 <= r.level <= 5
    assert all(c in (0, k) for k, c in enumerate(r.columns))


@given(answers, st.integers(0, 16))
def test_yes_never_lowers_level_or_score(a, i):
    if a[i]:
        return
    b = list(a)
    b[i] = 1
    assert maturity(b, M).level >= maturity(a, M).level
    assert corruption(b, M).score >= corruption(a, M).score


@given(answers)
def test_level_k_meets_mandatory_up_to_k(a):
    level = maturity(a, M).level
    for i, ind in enumerate(M.indicators):
        if ind.mandatory and ind.home <= level:
            assert a[i] == 1


@given(answers)
def test_advice_reaches_the_target(a):
    adv = next_level_advice(a, M)
    if adv.target is None:
        assert maturity(a, M).level == 5
        return
    b = list(a)
    for n in adv.suggested:
        assert a[n - 1] == 0
        b[n - 1] = 1
    assert maturity(b, M).level >= adv.target


@settings(max_examples=50, deadline=None)
@given(st.lists(answers, min_size=1, max_size=60))
def test_vectorised_equals_scalar(rows):
    df = pd.DataFrame(rows, columns=M.answer_columns)
    out = score_frame(df, M)
    for i, a in enumerate(rows):
        mat, cor = maturity(a, M), corruption(a, M)
        assert out["level"].iat[i] == mat.level
        assert tuple(out[[f"col{k}" for k in range(6)]].iloc[i]) == mat.columns
        assert out["corruption_score"].iat[i] == cor.score
        assert out["corruption_band"].iat[i] == cor.band


def test_vectorised_on_bool_frame():
    rng = np.random.default_rng(1)
    a = rng.integers(0, 2, size=(500, 17)).astype(bool)
    out = score_frame(pd.DataFrame(a, columns=M.answer_columns), M)
    assert out["level"].tolist() == [maturity(list(r), M).level for r in a]


yes_no = st.integers(0, 1)
percent = st.floats(0, 100, allow_nan=False)


@given(st.data())
def test_infrastructure_scores_in_unit_range_and_monotone(data):
    values = {}
    for q in M.questions:
        values[q.id] = data.draw(yes_no if q.type == "yesno" else percent)
    r = infrastructure(values, M)
    assert 0 <= r.index <= 1
    assert all(0 <= s <= 1 for s in r.components.values())
    q = data.draw(st.sampled_from(M.questions))
    raised = dict(values, **{q.id: 1 if q.type == "yesno" else 100})
    assert infrastructure(raised, M).index >= r.index

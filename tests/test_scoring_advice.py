"""Vectorised next-level advice (``scoring.advice``) against the scalar rule on every possible answer set."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst

from scoring import available_versions, load_methodology, next_level_advice
from scoring.advice import NO_TARGET, advice_columns, numbers
from scoring.frame import answer_columns

VERSIONS = available_versions()


def _cols(a: np.ndarray, m) -> list[np.ndarray]:
    return answer_columns(pd.DataFrame(a, columns=m.answer_columns), m)


def _check(a: np.ndarray, m) -> None:
    out = advice_columns(_cols(a, m), m)
    for i, row in enumerate(a.tolist()):
        adv = next_level_advice(row, m)
        assert out.level[i] == adv.level, row
        assert (None if out.target[i] == NO_TARGET else int(out.target[i])) == adv.target, row
        assert numbers(out.mandatory[i], m) == adv.mandatory, row
        assert numbers(out.suggested[i], m) == adv.suggested, row


@pytest.mark.parametrize("version", VERSIONS)
def test_every_answer_set_gets_the_scalar_advice(version):
    m = load_methodology(version)
    n = m.n_indicators
    codes = np.arange(1 << n, dtype=np.int64)
    _check(((codes[:, None] >> np.arange(n)) & 1).astype(np.uint8), m)


@settings(max_examples=60, deadline=None)
@given(hst.lists(hst.lists(hst.booleans(), min_size=17, max_size=17), min_size=0, max_size=40))
def test_any_batch_agrees_row_by_row(rows):
    """Rows of a batch do not influence each other: a batch of any mix gets each row's own advice."""
    m = load_methodology()
    a = np.array(rows, dtype=np.uint8).reshape(len(rows), m.n_indicators)
    _check(a, m)


def test_no_rows_no_advice():
    m = load_methodology()
    out = advice_columns(_cols(np.zeros((0, m.n_indicators), np.uint8), m), m)
    assert len(out.target) == len(out.suggested) == len(out.mandatory) == 0

"""The vectorised scorer against the scalar one on every possible answer set (2^17), and its input checks."""

import numpy as np
import pandas as pd
import pytest

from scoring import AnswerError, columns_text, corruption, load_methodology, maturity, score_frame, score_matrix
from scoring.frame import BLOCK, LEVEL_COLUMNS, answer_columns

M = load_methodology()
N = M.n_indicators


def all_answer_sets() -> np.ndarray:
    codes = np.arange(1 << N, dtype=np.int64)
    return ((codes[:, None] >> np.arange(N)) & 1).astype(np.int8)


@pytest.fixture(scope="module")
def every():
    a = all_answer_sets()
    return a, score_frame(pd.DataFrame(a, columns=M.answer_columns), M)


def test_every_answer_set_scores_as_the_scalar_path(every):
    a, out = every
    level = out["level"].to_numpy()
    cols = out[LEVEL_COLUMNS].to_numpy()
    score = out["corruption_score"].to_numpy()
    band = out["corruption_band"].astype(str).to_numpy()
    for i, row in enumerate(a.tolist()):
        mat, cor = maturity(row, M), corruption(row, M)
        assert level[i] == mat.level, row
        assert tuple(cols[i]) == mat.columns, row
        assert score[i] == cor.score and band[i] == cor.band, row


def test_blocks_do_not_change_results(every):
    """Rows far past the first block (and a ragged last block) score as the same rows alone."""
    a, out = every
    assert len(a) > 2 * BLOCK
    pick = np.r_[0:5, BLOCK - 2:BLOCK + 2, len(a) - 3:len(a)]
    alone = score_frame(pd.DataFrame(a[pick], columns=M.answer_columns), M)
    pd.testing.assert_frame_equal(alone.reset_index(drop=True), out.iloc[pick].reset_index(drop=True))


def test_score_matrix_agrees_with_score_frame(every):
    a, out = every
    r = score_matrix(a[:5000], M)
    assert (r["level"] == out["level"].to_numpy()[:5000]).all()
    assert (r["columns"] == out[LEVEL_COLUMNS].to_numpy()[:5000]).all()
    assert list(r["corruption_band"]) == out["corruption_band"].astype(str).tolist()[:5000]


def test_result_is_compact(every):
    _, out = every
    assert out["corruption_band"].dtype == "category"
    assert list(out["corruption_band"].cat.categories) == [b.id for b in M.bands]
    assert out.memory_usage(index=False).sum() / len(out) <= 12


@pytest.mark.parametrize("dtype", ["int8", "int64", "bool", "float64", "Int8", "object"])
def test_any_plain_answer_type_is_read(dtype):
    rng = np.random.default_rng(3)
    a = rng.integers(0, 2, size=(300, N))
    df = pd.DataFrame(a, columns=M.answer_columns).astype(dtype)
    out = score_frame(df, M)
    assert out["level"].tolist() == [maturity(list(r), M).level for r in a.tolist()]


def test_int8_and_bool_columns_are_not_copied():
    df = pd.DataFrame(np.ones((10, N), np.int8), columns=M.answer_columns)
    cols = answer_columns(df, M)
    assert np.shares_memory(cols[0], df["q1"].to_numpy())


@pytest.mark.parametrize("bad", [2, -1])
def test_values_other_than_0_or_1_are_refused(bad):
    a = np.zeros((4, N), np.int8)
    a[2, 5] = bad
    with pytest.raises(AnswerError, match="0 or 1"):
        score_frame(pd.DataFrame(a, columns=M.answer_columns), M)


def test_missing_answers_are_named():
    df = pd.DataFrame(np.ones((3, N)), columns=M.answer_columns)
    df.loc[1, "q4"] = np.nan
    with pytest.raises(AnswerError, match="q4"):
        score_frame(df, M)
    with pytest.raises(AnswerError, match="q17"):
        score_frame(df.drop(columns=["q17"]), M)


def test_empty_frame_has_typed_columns():
    out = score_frame(pd.DataFrame(columns=M.answer_columns), M)
    assert out.empty and out["level"].dtype == "int8" and out["corruption_band"].dtype == "category"


def test_columns_text_matches_the_seed():
    df = pd.DataFrame([[1] * 9 + [0] * 8], columns=M.answer_columns)
    assert columns_text(score_frame(df, M)).tolist() == ["0 1 2 3 0 0"]

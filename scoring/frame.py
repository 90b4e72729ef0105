"""Vectorised scoring over whole DataFrames (one row per service assessment).

Boolean column algebra: each answer column is a 0/1 byte array; a level column
passes when enough of its indicators are met (a running byte sum) and all its
mandatory ones are (an AND). Rows are scored in blocks that stay in the CPU
cache, so the temporaries never grow with the number of rows: the only memory
that does is the result, ten bytes a row (level, six level columns, corruption
score, band code). The thresholds are the methodology's own integers, shared
with the scalar path in ``service.py``; both agree on all 2^17 answer sets
(``tests/test_scoring_exhaustive.py``); ``bench/bench_scoring.py`` measures it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import AnswerError
from .lights import GREEN, RED, YELLOW
from .methodology import Methodology

LEVEL_COLUMNS = [f"col{k}" for k in range(6)]
BLOCK = 1 << 15  # rows scored at a time: 17 answer bytes and a few sums per row fit in L2


@dataclass(frozen=True)
class _Plan:
    """The methodology's level rule as index lists, computed once per methodology object."""

    members: tuple[tuple[int, ...], ...]  # per level column 1..5: indicators counted
    mandatory: tuple[tuple[int, ...], ...]  # per level column 1..5: indicators that must be met
    need: tuple[int, ...]  # per level column 0..5
    corruption: tuple[int, ...]
    band_of_score: np.ndarray  # score → band index
    band_ids: tuple[str, ...]


def _plan(m: Methodology) -> _Plan:
    plan = m.__dict__.get("_vector_plan")
    if plan is None:
        members = tuple(tuple(int(i) for i in np.flatnonzero(m.cells[:, k])) for k in range(1, 6))
        mandatory = tuple(tuple(int(i) for i in np.flatnonzero(m.mandatory_cells[:, k])) for k in range(1, 6))
        corruption = tuple(int(i) for i in np.flatnonzero(m.corruption_mask))
        mins = np.array([b.min for b in m.bands])
        scores = np.arange(m.n_indicators + 1)
        band_of_score = np.maximum(np.searchsorted(mins, scores, side="right") - 1, 0).astype(np.int8)
        plan = _Plan(members, mandatory, tuple(m.need), corruption, band_of_score, tuple(b.id for b in m.bands))
        object.__setattr__(m, "_vector_plan", plan)  # derived data on a frozen object, like m.cells
    return plan


def _as_bytes(values: np.ndarray, name: str) -> np.ndarray:
    """One answer column as a 0/1 uint8 array (a view when it already is one byte wide)."""
    if values.dtype == bool:
        return values.view(np.uint8)
    if values.dtype.kind in "iu" and values.dtype.itemsize == 1:
        u = values.view(np.uint8)  # a negative int8 shows as ≥ 128 here
        if len(u) and u.max() > 1:
            raise AnswerError("answers must be 0 or 1")
        return u
    if values.dtype.kind in "iuf":
        ok = (values == 0) | (values == 1)
    else:
        ok = np.isin(values, (0, 1))
    if not ok.all():
        raise AnswerError("answers must be 0 or 1")
    return values.astype(np.uint8)


def answer_columns(df: pd.DataFrame, m: Methodology) -> list[np.ndarray]:
    """The ``q1``…``qN`` columns as 0/1 byte arrays, checked (no copy for int8 or bool columns)."""
    cols = m.answer_columns
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise AnswerError(f"missing answer columns: {', '.join(missing)}")
    series = [df[c] for c in cols]
    # NumPy integer and bool columns cannot hold a missing value; everything else is checked.
    plain = [isinstance(s.dtype, np.dtype) and s.dtype.kind in "biu" for s in series]
    empty = [c for c, s, p in zip(cols, series, plain) if not p and s.isna().any()]
    if empty:
        raise AnswerError(f"empty answers in columns: {', '.join(empty)}")
    return [_as_bytes(s.to_numpy() if p else s.to_numpy(dtype=object), c) for c, s, p in zip(cols, series, plain)]


def answers_matrix(df: pd.DataFrame, m: Methodology) -> np.ndarray:
    """The answer columns as an (n × indicators) int8 matrix, checked to hold only 0/1."""
    cols = answer_columns(df, m)
    return np.stack(cols, axis=1).astype(np.int8) if cols else np.zeros((len(df), 0), np.int8)


def score_columns(cols: Sequence[np.ndarray], m: Methodology) -> dict[str, np.ndarray]:
    """Score answer columns (0/1 uint8 arrays of equal length).

    Returns ``level`` (int8), ``col0``…``col5`` (int8: k where column k passes,
    else 0), ``corruption_score`` (int16) and ``band_code`` (int8 index into
    ``m.bands``).
    """
    plan = _plan(m)
    n = len(cols[0]) if len(cols) else 0
    level = np.zeros(n, np.int8)
    levels = [np.zeros(n, np.int8) for _ in range(6)]
    score = np.empty(n, np.int16)
    band = np.empty(n, np.int8)
    acc_buf = np.empty(min(n, BLOCK), np.uint8)
    run_buf = np.empty(min(n, BLOCK), bool)
    pass_buf = np.empty(min(n, BLOCK), bool)
    for start in range(0, n, BLOCK):
        stop = min(n, start + BLOCK)
        size = stop - start
        a = [c[start:stop] for c in cols]
        acc, run, passes = acc_buf[:size], run_buf[:size], pass_buf[:size]
        lvl = level[start:stop]
        for k in range(1, 6):
            acc.fill(0)
            for i in plan.members[k - 1]:
                np.add(acc, a[i], out=acc)
            np.greater_equal(acc, plan.need[k], out=passes)
            for i in plan.mandatory[k - 1]:
                np.logical_and(passes, a[i].view(bool), out=passes)
            shown = levels[k][start:stop]
            shown[passes] = k
            if k == 1:
                run[:] = passes
            else:
                np.logical_and(run, passes, out=run)
            np.add(lvl, run, out=lvl, casting="unsafe")
        acc.fill(0)
        for i in plan.corruption:
            np.add(acc, a[i], out=acc)
        score[start:stop] = acc
        np.take(plan.band_of_score, acc, out=band[start:stop])
    out = {"level": level, "corruption_score": score, "band_code": band}
    out.update({name: arr for name, arr in zip(LEVEL_COLUMNS, levels)})
    return out


def band_categorical(codes: np.ndarray, m: Methodology) -> pd.Categorical:
    """Band codes as a categorical of the methodology's band ids (one byte a row)."""
    return pd.Categorical.from_codes(codes, categories=list(_plan(m).band_ids))


def score_matrix(a: np.ndarray, m: Methodology) -> dict[str, np.ndarray]:
    """Score an (n × indicators) 0/1 matrix; returns level, columns (n × 6), corruption score and band ids."""
    a = np.asarray(a)
    cols = [_as_bytes(np.ascontiguousarray(a[:, i]), f"q{i + 1}") for i in range(a.shape[1])]
    r = score_columns(cols, m) if len(a) else {k: np.zeros(0, np.int8) for k in ("level", "band_code", *LEVEL_COLUMNS)}
    ids = np.array(_plan(m).band_ids, dtype=object)
    return {"level": r["level"], "columns": np.stack([r[c] for c in LEVEL_COLUMNS], axis=1),
            "corruption_score": r.get("corruption_score", np.zeros(0, np.int16)),
            "corruption_band": ids[r["band_code"]]}


def empty_scores(index: pd.Index, m: Methodology) -> pd.DataFrame:
    out = pd.DataFrame(index=index)
    out["level"] = pd.Series(dtype="int8", index=index)
    for c in LEVEL_COLUMNS:
        out[c] = pd.Series(dtype="int8", index=index)
    out["corruption_score"] = pd.Series(dtype="int16", index=index)
    out["corruption_band"] = pd.Series(band_categorical(np.zeros(0, np.int8), m), index=index)
    return out


def score_frame(df: pd.DataFrame, m: Methodology) -> pd.DataFrame:
    """Score every row of ``df`` (columns ``q1``…``q17`` holding 0/1).

    Returns a frame on the same index with ``level``, ``corruption_score``,
    ``corruption_band`` (a categorical of the band ids) and the six level
    columns ``col0``…``col5``.
    """
    if len(df) == 0:
        return empty_scores(df.index, m)
    r = score_columns(answer_columns(df, m), m)
    data = {"level": r["level"], **{c: r[c] for c in LEVEL_COLUMNS}, "corruption_score": r["corruption_score"],
            "corruption_band": band_categorical(r["band_code"], m)}
    return pd.DataFrame(data, index=df.index, copy=False)


_COLUMN_TEXT = np.array([" ".join(str(k if (code >> k) & 1 else 0) for k in range(6)) for code in range(64)],
                        dtype=object)


def columns_text(frame: pd.DataFrame) -> pd.Series:
    """The six level columns as the seed prints them: ``0 1 2 3 0 0``."""
    code = np.zeros(len(frame), np.int16)
    for k, c in enumerate(LEVEL_COLUMNS):
        if k:
            code |= (frame[c].to_numpy() != 0).astype(np.int16) << k
    return pd.Series(_COLUMN_TEXT[code], index=frame.index, dtype=object)


def light_series(dimension: str, values: pd.Series, m: Methodology) -> pd.Series:
    """Vectorised ``traffic_light`` over a Series (None where the value is missing)."""
    rule = m.lights[dimension]
    v = pd.to_numeric(values, errors="coerce").astype(float)
    green = (v > rule.green) | ((v == rule.green) & rule.green_inclusive)
    yellow = (v > rule.yellow) | ((v == rule.yellow) & rule.yellow_inclusive)
    out = np.where(green, GREEN, np.where(yellow, YELLOW, RED)).astype(object)
    out[v.isna().to_numpy()] = None
    return pd.Series(out, index=values.index, dtype=object)

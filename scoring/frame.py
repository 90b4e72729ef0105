"""Vectorised scoring over whole DataFrames (one row per service assessment).

Uses the same integer thresholds as the scalar path in ``service.py`` so that
both give identical results; ``bench/bench_scoring.py`` measures the speed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import AnswerError
from .lights import GREEN, RED, YELLOW
from .methodology import Methodology

LEVEL_COLUMNS = [f"col{k}" for k in range(6)]


def answers_matrix(df: pd.DataFrame, m: Methodology) -> np.ndarray:
    """The ``q1``…``qN`` columns as an int8 matrix, checked to hold only 0/1."""
    cols = m.answer_columns
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise AnswerError(f"missing answer columns: {', '.join(missing)}")
    raw = df[cols]
    if raw.isna().any().any():
        bad = raw.columns[raw.isna().any()].tolist()
        raise AnswerError(f"empty answers in columns: {', '.join(bad)}")
    a = raw.to_numpy()
    if a.dtype == bool:
        return a.astype(np.int8)
    if not np.isin(a, (0, 1)).all():
        raise AnswerError("answers must be 0 or 1")
    return a.astype(np.int8)


def score_matrix(a: np.ndarray, m: Methodology) -> dict[str, np.ndarray]:
    """Score an (n × indicators) 0/1 matrix; returns level, columns, corruption."""
    cells = m.cells.astype(np.int32)
    met = a.astype(np.int32) @ cells  # (n, 6) met cells per column
    mand_missing = (1 - a).astype(np.int32) @ m.mandatory_cells.astype(np.int32)
    passes = (met >= np.asarray(m.need)) & (mand_missing == 0)
    passes[:, 0] = True
    level = np.cumprod(passes[:, 1:], axis=1).sum(axis=1).astype(np.int8)
    columns = np.where(passes, np.arange(6), 0).astype(np.int8)
    columns[:, 0] = 0
    score = (a.astype(np.int32) @ m.corruption_mask.astype(np.int32)).astype(np.int16)
    mins = np.array([b.min for b in m.bands])
    band_idx = np.searchsorted(mins, score, side="right") - 1
    bands = np.array([b.id for b in m.bands], dtype=object)[band_idx]
    return {"level": level, "columns": columns, "corruption_score": score, "corruption_band": bands}


def score_frame(df: pd.DataFrame, m: Methodology) -> pd.DataFrame:
    """Score every row of ``df`` (columns ``q1``…``q17`` holding 0/1).

    Returns a frame on the same index with ``level``, ``corruption_score``,
    ``corruption_band`` and the six level columns ``col0``…``col5``.
    """
    if len(df) == 0:
        out = pd.DataFrame(index=df.index)
        out["level"] = pd.Series(dtype="int8")
        for c in LEVEL_COLUMNS:
            out[c] = pd.Series(dtype="int8")
        out["corruption_score"] = pd.Series(dtype="int16")
        out["corruption_band"] = pd.Series(dtype=object)
        return out
    r = score_matrix(answers_matrix(df, m), m)
    out = pd.DataFrame({"level": r["level"]}, index=df.index)
    for k, c in enumerate(LEVEL_COLUMNS):
        out[c] = r["columns"][:, k]
    out["corruption_score"] = r["corruption_score"]
    out["corruption_band"] = r["corruption_band"]
    return out


def columns_text(frame: pd.DataFrame) -> pd.Series:
    """The six level columns as the seed prints them: ``0 1 2 3 0 0``."""
    parts = [frame[c].astype(int).astype(str) for c in LEVEL_COLUMNS]
    out = parts[0]
    for p in parts[1:]:
        out = out + " " + p
    return out


def light_series(dimension: str, values: pd.Series, m: Methodology) -> pd.Series:
    """Vectorised ``traffic_light`` over a Series (None where the value is missing)."""
    rule = m.lights[dimension]
    v = pd.to_numeric(values, errors="coerce").astype(float)
    green = (v > rule.green) | ((v == rule.green) & rule.green_inclusive)
    yellow = (v > rule.yellow) | ((v == rule.yellow) & rule.yellow_inclusive)
    out = np.where(green, GREEN, np.where(yellow, YELLOW, RED)).astype(object)
    out[v.isna().to_numpy()] = None
    return pd.Series(out, index=values.index, dtype=object)

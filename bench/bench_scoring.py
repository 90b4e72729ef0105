"""Scoring speed and memory: the vectorised scorer, the scalar one and a plain NumPy boolean reference.

Run: .venv/bin/python bench/bench_scoring.py [--rows 1000000] [--scalar-rows N] [--repeat 5]

All three score the same random answers (one row per service, 17 yes/no
answers as int8, as the store returns them). The scalar path
(``maturity`` + ``corruption`` per row) runs once over all rows unless
``--scalar-rows`` limits it (then its rate is extrapolated, and says so). The
NumPy reference is what a careful programmer writes first: the whole boolean
matrix, one reduction per level column. Memory is the peak of Python
allocations (tracemalloc) during ``score_frame``, per row, beside the size of
its result. Growth: the vectorised time at a quarter, a half and all rows.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import emit, load_average  # noqa: E402

from scoring import corruption, load_methodology, maturity, score_frame  # noqa: E402


def numpy_reference(a: np.ndarray, m) -> dict[str, np.ndarray]:
    """Level, columns, score and band from the whole (n × 17) boolean matrix."""
    b = a.astype(bool)
    passes = np.ones((len(b), 6), dtype=bool)
    for k in range(1, 6):
        met = b[:, m.cells[:, k]].sum(axis=1)
        passes[:, k] = (met >= m.need[k]) & b[:, m.mandatory_cells[:, k]].all(axis=1)
    level = np.cumprod(passes[:, 1:], axis=1).sum(axis=1)
    columns = np.where(passes, np.arange(6), 0)
    columns[:, 0] = 0
    score = b[:, m.corruption_mask].sum(axis=1)
    band = np.searchsorted(np.array([x.min for x in m.bands]), score, side="right") - 1
    return {"level": level, "columns": columns, "score": score, "band": band}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--scalar-rows", type=int, default=0, help="score only this many rows on the scalar path")
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args()
    m = load_methodology()
    n = args.rows
    rng = np.random.default_rng(42)
    a = rng.integers(0, 2, size=(n, m.n_indicators), dtype=np.int8)
    df = pd.DataFrame(a, columns=m.answer_columns)

    ours = statistics.median(_timed(lambda: score_frame(df, m)) for _ in range(args.repeat))
    ref = statistics.median(_timed(lambda: numpy_reference(a, m)) for _ in range(args.repeat))
    out = score_frame(df, m)
    r = numpy_reference(a, m)
    assert (out["level"].to_numpy() == r["level"]).all() and (out["corruption_score"].to_numpy() == r["score"]).all()

    tracemalloc.start()
    result = score_frame(df, m)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    result_bytes = int(result.memory_usage(index=False).sum())
    tracemalloc.start()
    numpy_reference(a, m)
    _, ref_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    growth = {}
    for share in (4, 2, 1):
        part = df.iloc[: n // share]
        growth[n // share] = statistics.median(_timed(lambda part=part: score_frame(part, m)) for _ in range(3))

    scalar_n = min(args.scalar_rows or n, n)
    rows = a[:scalar_n].tolist()
    t0 = time.perf_counter()
    for row in rows:
        maturity(row, m)
        corruption(row, m)
    scalar = time.perf_counter() - t0

    result_row = {
        "kind": "scoring", "rows": n, "ours_s": ours, "ours_rows_per_s": n / ours, "reference_s": ref,
        "reference_rows_per_s": n / ref, "scalar_rows": scalar_n, "scalar_s": scalar,
        "scalar_rows_per_s": scalar_n / scalar, "speedup_vs_scalar": (n / ours) / (scalar_n / scalar),
        "speedup_vs_reference": ref / ours, "peak_bytes_per_row": peak / n, "result_bytes_per_row": result_bytes / n,
        "reference_peak_bytes_per_row": ref_peak / n, "growth": {str(k): v for k, v in growth.items()},
        "load": load_average(),
    }
    emit(result_row)
    print(f"vectorised: {n:,} rows in {ours:.3f} s = {n / ours:,.0f} rows/s "
          f"({peak / n:.1f} bytes/row at peak, result {result_bytes / n:.1f} bytes/row)", file=sys.stderr)
    print(f"NumPy boolean reference: {ref:.3f} s = {n / ref:,.0f} rows/s ({ref_peak / n:.0f} bytes/row at peak)",
          file=sys.stderr)
    print(f"scalar: {scalar_n:,} rows in {scalar:.1f} s = {scalar_n / scalar:,.0f} rows/s; "
          f"vectorised is {(n / ours) / (scalar_n / scalar):,.0f}× the scalar path", file=sys.stderr)


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


if __name__ == "__main__":
    main()

"""Benchmark: rows per second for the vectorised and the scalar scoring path.

Run with `make bench` or `.venv/bin/python bench/bench_scoring.py [ROWS]`.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scoring import corruption, load_methodology, maturity, score_frame  # noqa: E402


def main(rows: int = 1_000_000, scalar_rows: int = 20_000) -> None:
    m = load_methodology()
    rng = np.random.default_rng(42)
    df = pd.DataFrame(rng.integers(0, 2, size=(rows, m.n_indicators), dtype=np.int8), columns=m.answer_columns)

    t0 = time.perf_counter()
    score_frame(df, m)
    vec = time.perf_counter() - t0

    sample = df.head(scalar_rows).to_numpy().tolist()
    t0 = time.perf_counter()
    for a in sample:
        maturity(a, m)
        corruption(a, m)
    sca = time.perf_counter() - t0

    print(f"vectorised: {rows:>9,} rows in {vec:6.2f} s  = {rows / vec:>12,.0f} rows/s")
    print(f"scalar:     {scalar_rows:>9,} rows in {sca:6.2f} s  = {scalar_rows / sca:>12,.0f} rows/s")
    print(f"speed-up: {(rows / vec) / (scalar_rows / sca):,.0f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)

"""Shared pieces of the benchmarks: sizes, synthetic databases, timing, the machine.

Sizes are counted in self-assessments (one service assessed in one round),
always over ten yearly rounds, as a country collects them: 10 000 (1 000
services a round), 100 000 (the working set: 10 000 services a round for a
decade) and 1 000 000 (the stress case: 100 000 services a round).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HOME = Path(__file__).resolve().parent.parent  # this checkout: the benchmarks and the synth command
# The code under test: this checkout, or another one (EGOV_BENCH_TREE=/path/to/checkout) for "before" figures.
ROOT = Path(os.environ.get("EGOV_BENCH_TREE") or HOME).resolve()
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CACHE = Path(os.environ.get("EGOV_BENCH_CACHE") or HOME / "bench" / ".cache")
ROUNDS = 10
# assessments → (institutions, services per institution)
SHAPES = {10_000: (100, 10), 100_000: (500, 20), 1_000_000: (2000, 50)}
SEED = 12


def synth_db(assessments: int) -> Path:
    """A synthetic database of that many self-assessments, built once and kept in the cache folder."""
    institutions, per = SHAPES[assessments]
    path = CACHE / f"synth-{assessments}.duckdb"
    if path.exists() and not Path(str(path) + ".wal").exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    Path(str(path) + ".wal").unlink(missing_ok=True)
    subprocess.run([sys.executable, str(HOME / "cli.py"), "synth", "--institutions", str(institutions),
                    "--services-per-institution", str(per), "--rounds", str(ROUNDS), "--seed", str(SEED),
                    "--db", str(path)], check=True, stdout=subprocess.DEVNULL)
    return path


def demo_db() -> Path:
    path = CACHE / "demo.duckdb"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(HOME / "cli.py"), "--db", str(path), "demo"], check=True,
                       stdout=subprocess.DEVNULL)
    return path


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def median_time(fn: Callable[[], object], repeat: int = 3) -> float:
    return statistics.median(timed(fn) for _ in range(repeat))


def peak_rss_mb() -> float:
    """The process's peak resident memory so far, in MB."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> dict[str, str]:
    """What the numbers were measured on (CPU, cores, memory, Python and library versions)."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")).split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    import duckdb
    import numpy
    import pandas
    import streamlit

    return {"cpu": cpu, "cores": str(os.cpu_count()), "memory": mem, "os": platform.platform(terse=True),
            "python": platform.python_version(), "numpy": numpy.__version__, "pandas": pandas.__version__,
            "duckdb": duckdb.__version__, "streamlit": streamlit.__version__}


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def emit(result: dict) -> None:
    """A benchmark's machine-readable result: one JSON line on stdout, prefixed so the runner can find it."""
    print("BENCH-RESULT " + json.dumps(result), flush=True)


def collect(output: str) -> list[dict]:
    return [json.loads(line.split(" ", 1)[1]) for line in output.splitlines() if line.startswith("BENCH-RESULT ")]

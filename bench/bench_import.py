"""Time parse_workbook on a 10 000-row self-assessment workbook against pandas.read_excel.

Run: .venv/bin/python bench/bench_import.py [rows]
The registry is built from the reference CSVs (no database), as in tests/badfiles.py.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402
import pandas as pd  # noqa: E402

from ingest.reader import parse_workbook  # noqa: E402
from tests.badfiles import DEFAULT_META, SELF_HEADER, registry_frames, sample_registry  # noqa: E402


def build(path: Path, rows: int) -> None:
    """A write-only workbook: fast to build and the same shape institutions send."""
    names, services = registry_frames()
    insts = list(names["name_az"])
    wb = openpyxl.Workbook(write_only=True)
    meta = wb.create_sheet("Meta")
    for k, v in DEFAULT_META.items():
        meta.append([k, v])
    ws = wb.create_sheet("Services")
    ws.append(SELF_HEADER)
    for i in range(rows):
        answers = [(i >> (j % 12)) & 1 for j in range(17)]
        ws.append([insts[i % len(insts)], f"{i // len(insts) + 1}.{i % 97}", f"Service {i}", "citizen", *answers, None])
    wb.save(path)


def main(rows: int = 10_000) -> None:
    registry = sample_registry()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "self_10k.xlsx"
        t0 = time.perf_counter()
        build(path, rows)
        print(f"built {rows} rows ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.2f} s")
        data = path.read_bytes()
        t0 = time.perf_counter()
        pw = parse_workbook(data, path.name, registry)
        t_parse = time.perf_counter() - t0
        t0 = time.perf_counter()
        df = pd.read_excel(path, sheet_name="Services", engine="openpyxl")
        t_pandas = time.perf_counter() - t0
    print(f"parse_workbook: {t_parse:.2f} s ({len(pw.services)} records, {len(pw.errors)} errors, "
          f"{len(pw.warnings)} warnings)")
    print(f"pandas.read_excel(openpyxl): {t_pandas:.2f} s ({len(df)} rows)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)

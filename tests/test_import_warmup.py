"""What keeps a 10 000-row import quick, checked by behaviour rather than by the clock.

Speed is measured in ``bench/bench_import.py``; here: the bounded reader's
fork server is started before the registry is loaded (its imports overlap
with that work), and the workbooks people send take the quick sheet-size
check (``ingest.extent``) instead of the exact scan of every cell.
"""

from __future__ import annotations

import io
import zipfile

from ingest import pipeline, sandbox
from ingest.extent import plain_fit
from ingest.safety import HEADER_ALLOWANCE, MAX_COLUMNS, MAX_ROWS
from ingest.templates import build_template
from scoring import load_methodology
from store import Store, queries
from tests.badfiles import make_self_workbook, self_row

LIMITS = (MAX_ROWS + HEADER_ALLOWANCE, MAX_COLUMNS)


def _sheets(data: bytes) -> list[bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]


def test_workbooks_as_programs_write_them_take_the_quick_size_check():
    books = [make_self_workbook([self_row(code=f"7.{k}") for k in range(1, 40)]),
             *(build_template(kind, "az", load_methodology()) for kind in ("self", "infrastructure", "coverage"))]
    for data in books:
        sheets = _sheets(data)
        assert sheets and all(plain_fit(xml, *LIMITS) for xml in sheets)


def test_the_fork_server_starts_before_the_registry_is_loaded(tmp_path, monkeypatch):
    server = sandbox.server()
    server.stop()
    seen = []
    rows = queries.registry_rows

    def registry_rows(st):
        proc = server._proc
        seen.append(proc is not None and proc.poll() is None)
        return rows(st)

    monkeypatch.setattr(queries, "registry_rows", registry_rows)
    st = Store(tmp_path / "w.duckdb")
    parsed, errors, _ = pipeline.read_file(st, "a.xlsx", make_self_workbook([self_row()]))
    st.close()
    assert seen == [True] and parsed is not None and not errors


def test_a_refused_container_starts_no_fork_server(tmp_path):
    server = sandbox.server()
    server.stop()
    st = Store(tmp_path / "r.duckdb")
    parsed, errors, _ = pipeline.read_file(st, "a.csv", b"a;b\n1;2\n")
    st.close()
    assert parsed is None and errors and server._proc is None

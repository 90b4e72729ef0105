"""Opening the DuckDB file: one connection per store, one writer at a time.

DuckDB allows a single read-write connection per file and process, so a
:class:`Store` owns exactly one; threads (Streamlit runs each session in its own)
read through cursors derived from it. Writes go through :meth:`Store.transaction`,
which takes a process-wide lock: two writers never interleave, and a failed
write rolls back completely.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = ROOT / "data" / "egov.duckdb"
MEMORY = ":memory:"

# One lock for the whole process, not one per store: the brief is "one writer",
# and it also keeps two Store objects on the same file from racing.
_WRITE_LOCK = threading.RLock()
_CACHE: dict[str, Store] = {}
_CACHE_LOCK = threading.Lock()


def resolve_path(path: str | os.PathLike | None = None) -> str:
    """The database path: the argument, else ``$EGOV_DB``, else ``data/egov.duckdb``."""
    raw = path if path is not None else os.environ.get("EGOV_DB") or DEFAULT_PATH
    if str(raw) == MEMORY:
        return MEMORY
    return str(Path(raw).expanduser().resolve())


class Store:
    """A DuckDB database file with the project's schema, migrated on open.

    ``seed=True`` fills a brand-new file with the methodology versions, the
    registry of institutions and services and the 2014 portal figures, so that a
    fresh store is immediately usable; pass ``seed=False`` for a bare schema.
    """

    def __init__(self, path: str | os.PathLike | None = None, *, seed: bool = True, migrate: bool = True):
        self.path = resolve_path(path)
        if self.path != MEMORY:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.conn = duckdb.connect(self.path)
        self._local = threading.local()
        # Weak: a cursor dies with its thread (Streamlit sessions come and go);
        # close() still reaches the ones alive so the file is released.
        self._cursors: weakref.WeakSet[duckdb.DuckDBPyConnection] = weakref.WeakSet()
        self._cursors_lock = threading.Lock()
        self.closed = False
        if migrate:
            from . import schema

            schema.migrate(self)
            if seed:
                from . import registry

                registry.seed_if_empty(self)

    # -- reading -----------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor; inside a transaction, the transaction's own."""
        tx = getattr(self._local, "tx", None)
        if tx is not None:
            return tx
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self.conn.cursor()
            self._local.cursor = cur
            with self._cursors_lock:
                self._cursors.add(cur)
        return cur

    def df(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        """Run a read query and return a DataFrame."""
        return self.cursor().execute(sql, params or []).df()

    def rows(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple]:
        return self.cursor().execute(sql, params or []).fetchall()

    def scalar(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        rows = self.cursor().execute(sql, params or []).fetchall()  # fetchall: leaves no open result
        return rows[0][0] if rows else None

    # -- writing -----------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Serialised write: BEGIN … COMMIT, or ROLLBACK on any exception.

        Re-entrant within a thread: a write helper called inside another
        write's transaction joins it instead of opening a nested one (DuckDB
        has no nested transactions).
        """
        tx = getattr(self._local, "tx", None)
        if tx is not None:
            yield tx
            return
        with _WRITE_LOCK:
            cur = self.conn.cursor()
            cur.execute("BEGIN TRANSACTION")
            self._local.tx = cur
            try:
                yield cur
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            else:
                cur.execute("COMMIT")
            finally:
                self._local.tx = None
                cur.close()

    def close(self) -> None:
        if self.closed:
            return
        with self._cursors_lock:
            for cur in list(self._cursors):
                try:
                    cur.close()
                except duckdb.Error:
                    pass
            self._cursors.clear()
        self.conn.close()
        self.closed = True
        with _CACHE_LOCK:
            if _CACHE.get(self.path) is self:
                del _CACHE[self.path]

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.path!r})"


def open_store(path: str | os.PathLike | None = None) -> Store:
    """The process-wide shared store for a path (opened and migrated once)."""
    key = resolve_path(path)
    with _CACHE_LOCK:
        st = _CACHE.get(key)
        if st is None or st.closed:
            st = Store(key)
            _CACHE[key] = st
        return st

"""Opening the DuckDB file: short leases, one writer, any number of processes.

DuckDB lets one process open a file read-write, or several processes open it
read-only, never both at once; and inside a process every connection to a file
must use the same mode. So no process keeps the file open: every read and every
write takes a *lease* on the file for as long as it runs and gives it back at
once. Between two reruns of a page, or between two commands, the app holds
nothing, and the command line, a second app process or a backup can use the
file.

Inside a process the leases of one file share one connection (threads read
through their own cursors): readers share a read-only connection, or the
read-write one when a write is under way; a write waits until the readers of
a read-only connection have finished, and readers that arrive while a write
waits queue behind it, so a writer never starves. Across processes a refused
lock is retried with a growing pause until the lease's deadline passes, then
:class:`StoreBusy` says "busy, try again" in both languages.

Writers do not starve across processes either. A process whose write is
refused because others are reading leaves a *write intent* beside the file
(``<db>.write-intent``: its process id, touched at every retry); while a
fresh intent of another process is there, readers of this process start no
new lease, the current ones finish within milliseconds, the file comes free
and the writer gets in. (Without it, an app serving many sessions keeps
the file open without a gap and a command-line import waits in vain.) An
intent not touched for :data:`INTENT_FRESH` seconds, left by a process that
died, is ignored.

Writes go through :meth:`Store.transaction`: serialised in the process, BEGIN …
COMMIT, ROLLBACK on any exception. When the last lease on a read-write
connection ends, DuckDB checkpoints the write-ahead log into the file, so a
closed file is always complete on its own.

``:memory:`` databases (tests) cannot be closed and reopened: they keep one
connection for the life of the :class:`Store`.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = ROOT / "data" / "egov.duckdb"
MEMORY = ":memory:"
BUSY_TIMEOUT = float(os.environ.get("EGOV_BUSY_TIMEOUT") or 15.0)  # seconds a lease waits for another process

_CACHE: dict[str, Store] = {}
_CACHE_LOCK = threading.Lock()
_LEASES: dict[str, _Lease] = {}
_LEASES_LOCK = threading.Lock()


def resolve_path(path: str | os.PathLike | None = None) -> str:
    """The database path: the argument, else ``$EGOV_DB``, else ``data/egov.duckdb``."""
    raw = path if path is not None else os.environ.get("EGOV_DB") or DEFAULT_PATH
    if str(raw) == MEMORY:
        return MEMORY
    return str(Path(raw).expanduser().resolve())


class StoreBusy(RuntimeError):
    """Another process held the database for longer than a lease may wait."""

    def __init__(self, path: str, waited: float, write: bool):
        self.path, self.waited, self.write = path, waited, write
        super().__init__(f"{self.message('en')} [{path}]")

    def message(self, lang: str = "az") -> str:
        """"Busy, try again" in the reader's language (catalogue key ``store.busy``)."""
        from l10n import fmt_int, t

        return t("store.busy", lang, seconds=fmt_int(round(self.waited), lang))


def _is_lock_error(exc: BaseException) -> bool:
    text = str(exc)
    return isinstance(exc, (duckdb.IOException, duckdb.ConnectionException)) and (
        "lock" in text.lower() or "different configuration" in text)


INTENT_FRESH = 2.0  # seconds: a write intent not touched for longer belongs to a process that is gone


def _intent_path(path: str) -> str:
    return path + ".write-intent"


def _mark_intent(path: str) -> None:
    """Say (or repeat) that this process waits to write ``path``."""
    try:
        with open(_intent_path(path), "w") as fh:
            fh.write(str(os.getpid()))
    except OSError:
        pass  # a read-only directory: writers then wait as before


def _clear_intent(path: str) -> None:
    try:
        with open(_intent_path(path)) as fh:
            mine = fh.read().strip() == str(os.getpid())
        if mine:
            os.unlink(_intent_path(path))
    except OSError:
        pass


def foreign_intent(path: str) -> bool:
    """True while another process waits to write ``path`` (readers here then hold back)."""
    try:
        st = os.stat(_intent_path(path))
    except OSError:
        return False
    if time.time() - st.st_mtime > INTENT_FRESH:
        return False
    try:
        with open(_intent_path(path)) as fh:
            return fh.read().strip() != str(os.getpid())
    except OSError:
        return False


def connect_with_retry(path: str, *, read_only: bool, timeout: float) -> duckdb.DuckDBPyConnection:
    """``duckdb.connect`` that waits (with a growing pause) while another process holds the file.

    A refused writer leaves a write intent (see the module docstring) until it gets in or gives up.
    """
    start = time.monotonic()
    pause = 0.005
    intent = False
    try:
        while True:
            try:
                return duckdb.connect(path, read_only=read_only)
            except duckdb.Error as exc:
                if not _is_lock_error(exc):
                    raise
                waited = time.monotonic() - start
                if waited >= timeout:
                    raise StoreBusy(path, waited, not read_only) from exc
                if not read_only and path != MEMORY:
                    _mark_intent(path)
                    intent = True
                time.sleep(min(pause, max(timeout - waited, 0.001)))
                pause = min(pause * 2, 0.25)
    finally:
        if intent:
            _clear_intent(path)


class _Lease:
    """The in-process share of one database file (see the module docstring)."""

    def __init__(self, path: str):
        self.path = path
        self.cond = threading.Condition()
        self.conn: duckdb.DuckDBPyConnection | None = None
        self.write_mode = False
        self.users = 0
        self.writers_waiting = 0
        self.pins = 0  # blocks under way that keep an idle connection for their next lease (pinned)
        self.opening = False
        self.opened = 0  # how many times a connection was opened (tests and benchmarks read it)

    def acquire(self, write: bool, timeout: float) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + timeout
        with self.cond:
            if write:
                self.writers_waiting += 1
            try:
                while True:
                    conn = self.conn
                    # Another process waits to write: start no new read lease (held ones finish and let go).
                    if not write and not self.write_mode and foreign_intent(self.path):
                        if conn is not None and self.users == 0:
                            self._close_locked()  # opened just before the intent appeared: give it back
                        remaining = deadline - time.monotonic()
                        if remaining <= 0:
                            raise StoreBusy(self.path, timeout, write)
                        self.cond.wait(min(remaining, 0.02))
                        continue
                    if conn is not None and (self.write_mode or (not write and not self.writers_waiting)):
                        self.users += 1
                        return conn
                    if write and conn is not None and self.users == 0:
                        # Idle in the wrong mode: a read-only connection when a write is due.
                        self._close_locked()
                        continue
                    # Readers queue behind a waiting writer instead of opening read-only again.
                    if conn is None and not self.opening and (write or not self.writers_waiting):
                        self.opening = True
                        self.cond.release()
                        try:
                            new = connect_with_retry(self.path, read_only=not write,
                                                     timeout=max(deadline - time.monotonic(), 0.0))
                        finally:
                            self.cond.acquire()
                            self.opening = False
                            self.cond.notify_all()
                        self.conn, self.write_mode = new, write
                        self.opened += 1
                        continue
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise StoreBusy(self.path, timeout, write)
                    self.cond.wait(remaining)
            finally:
                if write:
                    self.writers_waiting -= 1
                    self.cond.notify_all()

    def release(self) -> None:
        with self.cond:
            self.users -= 1
            if self.users <= 0:
                self.users = 0
                if self.pins <= 0:
                    self._close_locked()
            self.cond.notify_all()

    def pin(self) -> None:
        with self.cond:
            self.pins += 1

    def unpin(self) -> None:
        with self.cond:
            self.pins = max(self.pins - 1, 0)
            if self.pins == 0 and self.users == 0:
                self._close_locked()
            self.cond.notify_all()

    def _close_locked(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            finally:
                self.conn = None
                self.write_mode = False

    @property
    def held(self) -> bool:
        with self.cond:
            return self.conn is not None


def _lease_for(path: str) -> _Lease:
    with _LEASES_LOCK:
        lease = _LEASES.get(path)
        if lease is None:
            lease = _LEASES[path] = _Lease(path)
        return lease


def held(path: str | os.PathLike | None = None) -> bool:
    """Whether this process has the file open right now (between reruns it must not)."""
    lease = _LEASES.get(resolve_path(path))
    return bool(lease and lease.held)


class Store:
    """A DuckDB database file with the project's schema, migrated on open.

    ``seed=True`` fills a brand-new file with the methodology versions, the
    registry of institutions and services and the 2014 portal figures, so that a
    fresh store is immediately usable; pass ``seed=False`` for a bare schema.
    Creating a Store opens the file only for the migration; every later read or
    write takes its own short lease.
    """

    # One lock per process for all writes: "one writer" also holds between two
    # Store objects on the same file.
    _write_lock = threading.RLock()

    def __init__(self, path: str | os.PathLike | None = None, *, seed: bool = True, migrate: bool = True,
                 busy_timeout: float | None = None):
        self.path = resolve_path(path)
        self.busy_timeout = BUSY_TIMEOUT if busy_timeout is None else float(busy_timeout)
        self._local = threading.local()
        self.closed = False
        self._memory_conn: duckdb.DuckDBPyConnection | None = None
        if self.path == MEMORY:
            self._memory_conn = duckdb.connect(MEMORY)
        else:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        if migrate:
            from . import schema

            schema.migrate(self)
            if seed:
                from . import registry

                registry.seed_if_empty(self)

    # -- leases --------------------------------------------------------------
    @contextmanager
    def _lease(self, write: bool) -> Iterator[duckdb.DuckDBPyConnection]:
        if self.closed:
            raise RuntimeError(f"{self!r} is closed")
        if self._memory_conn is not None:
            yield self._memory_conn
            return
        lease = _lease_for(self.path)
        conn = lease.acquire(write, self.busy_timeout)
        try:
            yield conn
        finally:
            lease.release()

    def pinned(self):
        """Keep this process's connection between the leases of one block: see :func:`pinned`."""
        return pinned(self.path)

    @contextmanager
    def reading(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor for reads, valid inside the ``with`` block only.

        Inside a transaction of this thread, the transaction's own cursor; inside
        another ``reading()`` of this thread, the same cursor (a nested lease
        could wait forever behind a queued writer).
        """
        tx = getattr(self._local, "tx", None)
        if tx is not None:
            yield tx
            return
        cur = getattr(self._local, "read", None)
        if cur is not None:
            yield cur
            return
        with self._lease(write=False) as conn:
            cur = conn.cursor()
            self._local.read = cur
            try:
                yield cur
            finally:
                self._local.read = None
                cur.close()

    def df(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        """Run a read query and return a DataFrame."""
        with self.reading() as cur:
            return cur.execute(sql, params or []).df()

    def arrow(self, sql: str, params: Sequence[Any] | None = None):
        """Run a read query and return a pyarrow Table (cheaper than a DataFrame for wide results).

        Through a relation (``sql``), not ``execute``: DuckDB 2 copies the rows
        once more when a DB-API result is turned into Arrow.
        """
        with self.reading() as cur:
            return cur.sql(sql, params=list(params) if params else None).to_arrow_table()

    def rows(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple]:
        with self.reading() as cur:
            return cur.execute(sql, params or []).fetchall()

    def scalar(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        rows = self.rows(sql, params)
        return rows[0][0] if rows else None

    # -- writing -------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Serialised write: BEGIN … COMMIT, or ROLLBACK on any exception.

        Re-entrant within a thread: a write helper called inside another
        write's transaction joins it instead of opening a nested one (DuckDB
        has no nested transactions). Raises :class:`StoreBusy` when another
        process holds the file past the lease timeout; nothing is written then.
        """
        tx = getattr(self._local, "tx", None)
        if tx is not None:
            yield tx
            return
        if getattr(self._local, "read", None) is not None:
            raise RuntimeError("a write cannot start inside a read lease of the same thread; end the read first")
        with self._write_lock, self._lease(write=True) as conn:
            cur = conn.cursor()
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

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the file (a backup reads a complete file afterwards)."""
        with self._write_lock, self._lease(write=True) as conn:
            conn.execute("CHECKPOINT")

    # -- cache keys ------------------------------------------------------------
    def version_key(self) -> str:
        """A token that changes with every committed write, read without opening the database.

        Built from the size and modification time of the file and its
        write-ahead log: a commit grows the log, a checkpoint rewrites the
        file, and reads change neither. Pages key their caches on it, so a
        write by any process shows on the next rerun.
        """
        if self._memory_conn is not None:
            from . import queries

            return f"mem:{queries.data_version(self)}"
        parts = []
        for p in (self.path, self.path + ".wal"):
            try:
                s = os.stat(p)
                parts.append(f"{s.st_mtime_ns}:{s.st_size}")
            except FileNotFoundError:
                parts.append("-")
        return "/".join(parts)

    def close(self) -> None:
        """Forget this store; a file store holds nothing open between leases anyway."""
        if self.closed:
            return
        self.closed = True
        if self._memory_conn is not None:
            self._memory_conn.close()
            self._memory_conn = None
        with _CACHE_LOCK:
            if _CACHE.get(self.path) is self:
                del _CACHE[self.path]

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.path!r})"


@contextmanager
def pinned(path: str | os.PathLike | None = None) -> Iterator[None]:
    """Keep this process's connection to ``path`` between the leases of one block (a page's rerun).

    A page's loaders take a dozen short leases; opening the file for each
    costs tens of milliseconds at a million rows, and DuckDB forgets the
    blocks it read. Inside the block an idle connection stays open for the
    next lease. It still gives way at once: a write of this process reopens
    it read-write, another process's write intent closes it, and the block's
    end closes it, so nothing is held between reruns. Opens nothing itself.
    """
    key = resolve_path(path)
    if key == MEMORY:
        yield
        return
    lease = _lease_for(key)
    lease.pin()
    try:
        yield
    finally:
        lease.unpin()


def open_store(path: str | os.PathLike | None = None) -> Store:
    """The process-wide store object for a path (migrated once per process)."""
    key = resolve_path(path)
    with _CACHE_LOCK:
        st = _CACHE.get(key)
        if st is None or st.closed:
            st = Store(key)
            _CACHE[key] = st
        return st

"""Small write-side helpers shared by the store's writers: ids, clock, audit events."""

from __future__ import annotations

import datetime as _dt
import json
from typing import TYPE_CHECKING, Any

import duckdb

from .actors import Actor

if TYPE_CHECKING:
    import pandas as pd


def now() -> _dt.datetime:
    """UTC, without tzinfo: DuckDB TIMESTAMP columns hold naive UTC values."""
    return _dt.datetime.now(_dt.UTC).replace(tzinfo=None)


def next_id(cur: duckdb.DuckDBPyConnection, table: str, column: str) -> int:
    """The next free id, computed under the write lock.

    Chosen over sequences because a rolled-back transaction then leaves no gap
    and the same build (the demo) always yields the same ids.
    """
    return cur.execute(f"SELECT coalesce(max({column}), 0) + 1 FROM {table}").fetchone()[0]


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def record_event(
    cur: duckdb.DuckDBPyConnection,
    actor: Actor,
    action: str,
    *,
    round_id: int | None = None,
    institution_id: int | None = None,
    import_id: int | None = None,
    detail: dict | None = None,
    reason: str | None = None,
) -> int:
    """Append one row to the audit trail; returns its id."""
    event_id = next_id(cur, "events", "event_id")
    cur.execute(
        "INSERT INTO events (event_id, \"at\", actor, role, action, round_id, institution_id, import_id, detail, reason) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [event_id, now(), actor.name, actor.role, action, round_id, institution_id, import_id,
         to_json(detail or {}), reason],
    )
    return event_id


def insert_frame(cur: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Append a whole staged frame in one ``INSERT … SELECT`` (DuckDB scans the frame in place)."""
    if frame.empty:
        return
    # DuckDB 2 refuses register() while an earlier SELECT was only partly fetched
    # (fetchone); a fully fetched statement closes it on every version.
    cur.execute("SELECT 1").fetchall()
    cur.register("_incoming", frame)
    try:
        cols = ", ".join(f'"{c}"' for c in frame.columns)
        cur.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _incoming")
    finally:
        cur.unregister("_incoming")

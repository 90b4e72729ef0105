"""Methodology versions: adding a validated version, and choosing a round's version.

A stored version is never edited. A new version is a new file (validated by the
scoring core's parser before anything is written); a round keeps the version it
was opened with for as long as it holds data, so older rounds' scores never
change. Both writes are administrators' and leave an audit event.
"""

from __future__ import annotations

import hashlib

import pandas as pd

from scoring import parse_methodology_text
from scoring.methodology_diff import methodology_diff

from . import queries
from .actors import Actor, require
from .audit import now, record_event
from .errors import NotFound, StoreError


def _previous_id(st, released) -> str | None:
    row = st.rows("SELECT id FROM methodologies WHERE released <= ? ORDER BY released DESC, id DESC LIMIT 1",
                  [released])
    return row[0][0] if row else None


def preview(st, text: str, source: str = "upload") -> tuple[object, str | None, pd.DataFrame]:
    """Validate a methodology text; returns (methodology, previous id, diff against it). Writes nothing."""
    m = parse_methodology_text(text, source=source)
    if st.scalar("SELECT count(*) FROM methodologies WHERE id = ?", [m.id]):
        raise StoreError("store.methodology.exists", id=m.id)
    prev = _previous_id(st, m.released)
    diff = methodology_diff(queries.methodology(st, prev), m) if prev else pd.DataFrame()
    return m, prev, diff


def add_methodology(st, actor: Actor, text: str, source: str = "upload", reason: str | None = None) -> str:
    """Store a new methodology version (validated, never overwriting one). Admin only; returns its id."""
    require(actor, "admin", "add a methodology version")
    m, prev, diff = preview(st, text, source)
    with st.transaction() as cur:
        cur.execute("INSERT INTO methodologies VALUES (?, ?, ?, ?, ?, ?)",
                    [m.id, m.released, text, hashlib.sha256(text.encode("utf-8")).hexdigest(), now(), actor.name])
        record_event(cur, actor, "add_methodology",
                     detail={"ids": [m.id], "previous": prev, "source": source, "differences": int(len(diff))},
                     reason=reason)
    return m.id


def round_holds_data(cur, rid: int) -> bool:
    """Any import (even a reverted one) ties a round to its version."""
    return bool(cur.execute("SELECT count(*) FROM imports WHERE round_id = ?", [rid]).fetchone()[0])


def set_round_methodology(st, actor: Actor, label: str, methodology_id: str, reason: str | None = None) -> int:
    """Change the version of a round that holds no data yet. Admin only; returns the event id."""
    require(actor, "admin", "change a round's methodology version")
    with st.transaction() as cur:
        row = cur.execute("SELECT round_id, methodology_id FROM rounds WHERE label = ?", [str(label)]).fetchone()
        if row is None:
            raise NotFound("store.no_round", label=label)
        if not cur.execute("SELECT count(*) FROM methodologies WHERE id = ?", [methodology_id]).fetchone()[0]:
            raise StoreError("store.methodology.unknown", id=methodology_id)
        if round_holds_data(cur, row[0]):
            raise StoreError("store.methodology.holds_data", label=label)
        if cur.execute("SELECT count(*) FROM collection_rounds WHERE round_id = ?", [row[0]]).fetchone()[0]:
            # Opened for collection, the round froze its questions: the version goes with them.
            raise StoreError("store.methodology.collecting", label=label)
        cur.execute("UPDATE rounds SET methodology_id = ? WHERE round_id = ?", [methodology_id, row[0]])
        return record_event(cur, actor, "change_methodology", round_id=row[0],
                            detail={"from": row[1], "to": methodology_id}, reason=reason)

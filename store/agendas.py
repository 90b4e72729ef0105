"""Presentation agendas: a named choice and order of slides and institutions, shared by link.

An agenda is round-independent: it names slide keys (``cover``, ``board`` …, see
``report.agenda.SLIDE_KEYS``) and institution ids; the presentation and every
export of any round take it. Anyone may read agendas (a visitor opens a shared
link); experts save and delete them, and every change is in the audit trail.
"""

from __future__ import annotations

import json

import pandas as pd

from .actors import Actor, require
from .audit import next_id, now, record_event
from .errors import NotFound, StoreError

NAME_MAX = 80


def clean_name(name: str) -> str:
    """An agenda name as typed, trimmed; refused when empty or too long (names are shown as text, never markup)."""
    text = " ".join(str(name or "").split())
    if not text:
        raise StoreError("store.agenda.name_needed")
    if len(text) > NAME_MAX:
        raise StoreError("store.agenda.name_long", limit=NAME_MAX)
    return text


def _ids(values) -> list[int]:
    out: list[int] = []
    for v in values or []:
        i = int(v)
        if i not in out:
            out.append(i)
    return out


def save_agenda(st, actor: Actor, name: str, slides: list[str], institutions: list[int] | None = None) -> int:
    """Create or replace the agenda called ``name``; returns its id. Expert or higher; audited.

    ``slides`` are slide keys in presentation order (checked by the caller against
    ``report.agenda.SLIDE_KEYS``); ``institutions`` are institution ids in order.
    """
    require(actor, "expert", "save a presentation agenda")
    name = clean_name(name)
    keys = [str(k) for k in dict.fromkeys(slides or [])]
    if not keys:
        raise StoreError("store.agenda.no_slides")
    ids = _ids(institutions)
    stamp = now()
    with st.transaction() as cur:
        known = {r[0] for r in cur.execute("SELECT institution_id FROM institutions").fetchall()}
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise StoreError("store.agenda.unknown_institutions", ids=", ".join(map(str, unknown)))
        row = cur.execute("SELECT agenda_id, slides, institutions FROM agendas WHERE name = ?", [name]).fetchone()
        if row is None:
            agenda_id = next_id(cur, "agendas", "agenda_id")
            cur.execute("INSERT INTO agendas VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        [agenda_id, name, json.dumps(keys), json.dumps(ids), stamp, actor.name, stamp, actor.name])
            detail = {"agenda": name, "slides": keys, "institutions": ids}
            action = "agenda_create"
        else:
            agenda_id = row[0]
            cur.execute("UPDATE agendas SET slides = ?, institutions = ?, updated_at = ?, updated_by = ? "
                        "WHERE agenda_id = ?", [json.dumps(keys), json.dumps(ids), stamp, actor.name, agenda_id])
            detail = {"agenda": name, "slides": keys, "institutions": ids,
                      "before": {"slides": json.loads(row[1]), "institutions": json.loads(row[2])}}
            action = "agenda_update"
        record_event(cur, actor, action, detail=detail)
        return int(agenda_id)


def delete_agenda(st, actor: Actor, name: str) -> None:
    """Remove an agenda. Expert or higher; audited with what it held."""
    require(actor, "expert", "delete a presentation agenda")
    with st.transaction() as cur:
        row = cur.execute("SELECT agenda_id, slides, institutions FROM agendas WHERE name = ?", [str(name)]).fetchone()
        if row is None:
            raise NotFound("store.agenda.missing", name=str(name))
        cur.execute("DELETE FROM agendas WHERE agenda_id = ?", [row[0]])
        record_event(cur, actor, "agenda_delete",
                     detail={"agenda": str(name), "slides": json.loads(row[1]), "institutions": json.loads(row[2])})


def agendas(st) -> pd.DataFrame:
    """Every agenda, by name: ``agenda_id``, ``name``, ``slides`` and ``institutions`` (lists), who and when."""
    df = st.df("SELECT agenda_id, name, slides, institutions, created_at, created_by, updated_at, updated_by "
               "FROM agendas ORDER BY lower(name), name")
    df["slides"] = df["slides"].map(json.loads)
    df["institutions"] = df["institutions"].map(json.loads)
    return df


def get_agenda(st, name: str) -> dict | None:
    """One agenda as ``{"name", "slides", "institutions", "updated_at", "updated_by"}``, or None."""
    rows = st.rows("SELECT name, slides, institutions, updated_at, updated_by FROM agendas WHERE name = ?", [str(name)])
    if not rows:
        return None
    name, slides, institutions, at, by = rows[0]
    return {"name": name, "slides": json.loads(slides), "institutions": json.loads(institutions),
            "updated_at": at, "updated_by": by}

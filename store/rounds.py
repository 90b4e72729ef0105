"""Assessment rounds (open, publish, close) and the per-institution review state.

A round exists only when an administrator opens it (:func:`open_round`);
imports into any other round are refused. Refusals are
:class:`~store.errors.StoreError` with texts in the catalogue (``store.round.*``).
"""

from __future__ import annotations

import datetime as _dt
import re

from .actors import Actor, require
from .audit import next_id, now, record_event
from .errors import NotFound, StoreError

REVIEW_STATES = ("submitted", "under_review", "approved", "returned")
# A label as people write a year or a period: 2024, 2024-H1, 2024/25.
LABEL = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._/-]{0,31}$")


def _as_date(value, name: str) -> _dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise StoreError(f"intake.round_{name}_bad", value=str(value)) from exc


def round_id(cur, label: str) -> int | None:
    row = cur.execute("SELECT round_id FROM rounds WHERE label = ?", [str(label)]).fetchone()
    return None if row is None else row[0]


def insert_round(cur, actor: Actor, label: str, methodology_id: str | None = None, *,
                 illustrative: bool = False, reason: str | None = None, deadline=None, closes=None) -> int:
    """Low-level: create a round (no permission check; callers decide who may)."""
    from .registry import newest_methodology_id

    label = str(label or "").strip()
    if not label:
        raise StoreError("store.round.label_needed")
    if not LABEL.match(label):
        raise StoreError("store.round.label_form", label=label)
    deadline, closes = _as_date(deadline, "deadline"), _as_date(closes, "closes")
    if deadline and closes and closes < deadline:
        raise StoreError("store.round.closes_before_deadline", closes=closes, deadline=deadline)
    if round_id(cur, label) is not None:
        raise StoreError("store.round.exists", label=label)
    mid = methodology_id or newest_methodology_id(cur)
    if not cur.execute("SELECT count(*) FROM methodologies WHERE id = ?", [mid]).fetchone()[0]:
        raise StoreError("store.methodology.unknown", id=mid)
    rid = next_id(cur, "rounds", "round_id")
    cur.execute(
        "INSERT INTO rounds (round_id, label, methodology_id, status, published, published_at, illustrative, opened_at, "
        "opened_by, deadline, closes) VALUES (?, ?, ?, 'open', FALSE, NULL, ?, ?, ?, ?, ?)",
        [rid, label, mid, bool(illustrative), now(), actor.name, deadline, closes],
    )
    detail = {"label": label, "methodology": mid, "illustrative": bool(illustrative)}
    if deadline or closes:
        detail.update(deadline=str(deadline) if deadline else None, closes=str(closes) if closes else None)
    record_event(cur, actor, "open_round", round_id=rid, detail=detail, reason=reason)
    return rid


def open_round(st, actor: Actor, label: str, methodology_id: str | None = None, *,
               illustrative: bool = False, reason: str | None = None, deadline=None, closes=None) -> int:
    """Open a new round under a methodology version (default: the newest). Admin only.

    ``deadline`` (lateness) and ``closes`` (editing locked) are optional dates of the collection calendar.
    With a deadline the round also opens for collection in the app: it freezes its questionnaire and
    the registered services each institution owes (``store.collection``).
    """
    require(actor, "admin", "open a round")
    with st.transaction() as cur:
        rid = insert_round(cur, actor, label, methodology_id, illustrative=illustrative, reason=reason,
                           deadline=deadline, closes=closes)
        if deadline:
            from .collection import freeze_round

            freeze_round(cur, actor, rid, reason)
        return rid


def _existing(cur, label: str) -> int:
    rid = round_id(cur, label)
    if rid is None:
        raise NotFound("store.no_round", label=label)
    return rid


def publish_round(st, actor: Actor, label: str, published: bool = True, reason: str | None = None) -> None:
    """Make a round's results public (or withdraw them). Admin only.

    Kept for older callers: publishing goes through :func:`store.publication.publish`
    (review checked, public rows frozen) and withdrawing through ``unpublish``.
    """
    from .publication import publish, unpublish

    if published:
        publish(st, actor, label, reason)
    else:
        unpublish(st, actor, label, reason)


def set_round_status(st, actor: Actor, label: str, status: str, reason: str | None = None) -> None:
    """Close a round to further imports, or reopen it. Admin only."""
    require(actor, "admin", "close or reopen a round")
    if status not in ("open", "closed"):
        raise ValueError("status is 'open' or 'closed'")
    if status == "open" and not (reason and reason.strip()):
        raise StoreError("store.round.reopen_reason")
    with st.transaction() as cur:
        rid = _existing(cur, label)
        current = cur.execute("SELECT status FROM rounds WHERE round_id = ?", [rid]).fetchone()[0]
        if current == status:
            raise StoreError(f"store.round.already_{status}", label=label)
        cur.execute("UPDATE rounds SET status = ? WHERE round_id = ?", [status, rid])
        record_event(cur, actor, "close_round" if status == "closed" else "reopen_round", round_id=rid, reason=reason)


def set_review_state(st, actor: Actor, label: str, institution_id: int, state: str,
                     reason: str | None = None) -> None:
    """Set a review state directly, outside the workflow: an administrator's repair tool.

    The app and experts go through ``store.review``, whose state machine refuses
    illegal transitions; this function skips it, so it needs the admin role.
    ``approved`` locks the institution's rows: imports touching them are refused
    until the state moves back (for example to ``returned``).
    """
    require(actor, "admin", "set a review state outside the review workflow")
    if state not in REVIEW_STATES:
        raise ValueError(f"unknown review state {state!r}; known: {', '.join(REVIEW_STATES)}")
    if state == "returned" and not (reason and reason.strip()):
        raise ValueError("returning a submission needs a reason")
    with st.transaction() as cur:
        rid = _existing(cur, label)
        cur.execute("DELETE FROM review_states WHERE round_id = ? AND institution_id = ?", [rid, institution_id])
        cur.execute("INSERT INTO review_states VALUES (?, ?, ?, ?, ?, ?)",
                    [rid, institution_id, state, reason, now(), actor.name])
        record_event(cur, actor, "review_" + state, round_id=rid, institution_id=institution_id, reason=reason)


NOTE_KINDS = ("methodology", "general")


def add_round_note(st, actor: Actor, label: str, text_az: str, text_en: str | None = None, *,
                   kind: str = "methodology", reason: str | None = None) -> int:
    """Attach a note to a round (shown wherever the round is: e.g. why values moved). Admin only; returns its id."""
    require(actor, "admin", "add a round note")
    if kind not in NOTE_KINDS:
        raise StoreError("store.note.kind", kind=kind)
    if not (text_az and text_az.strip()):
        raise StoreError("store.note.text_needed")
    with st.transaction() as cur:
        rid = _existing(cur, label)
        note_id = next_id(cur, "round_notes", "note_id")
        cur.execute("INSERT INTO round_notes VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
                    [note_id, rid, kind, text_az.strip(), (text_en or "").strip() or None, now(), actor.name])
        record_event(cur, actor, "round_note", round_id=rid,
                     detail={"note": note_id, "kind": kind, "text_az": text_az.strip(), "text_en": text_en},
                     reason=reason)
        return note_id


def remove_round_note(st, actor: Actor, note_id: int, reason: str | None = None) -> None:
    """Withdraw a round note (kept in the table, marked removed). Admin only."""
    require(actor, "admin", "remove a round note")
    with st.transaction() as cur:
        row = cur.execute("SELECT round_id FROM round_notes WHERE note_id = ? AND removed_at IS NULL",
                          [int(note_id)]).fetchone()
        if row is None:
            raise NotFound("store.note.missing", id=note_id)
        cur.execute("UPDATE round_notes SET removed_at = ? WHERE note_id = ?", [now(), int(note_id)])
        record_event(cur, actor, "remove_round_note", round_id=row[0], detail={"note": int(note_id)}, reason=reason)

"""Assessment rounds (open, publish, close) and the per-institution review state."""

from __future__ import annotations

import datetime as _dt
import re

from .actors import Actor, require
from .audit import next_id, now, record_event

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
        raise ValueError(f"{name} is a date written YYYY-MM-DD, not {value!r}") from exc


def round_id(cur, label: str) -> int | None:
    row = cur.execute("SELECT round_id FROM rounds WHERE label = ?", [str(label)]).fetchone()
    return None if row is None else row[0]


def insert_round(cur, actor: Actor, label: str, methodology_id: str | None = None, *,
                 illustrative: bool = False, reason: str | None = None, deadline=None, closes=None) -> int:
    """Low-level: create a round (no permission check; callers decide who may)."""
    from .registry import newest_methodology_id

    label = str(label).strip()
    if not label:
        raise ValueError("a round needs a label such as 2024")
    if not LABEL.match(label):
        raise ValueError(f"a round label is letters, digits and . _ / - (at most 32), such as 2024; not {label!r}")
    deadline, closes = _as_date(deadline, "the deadline"), _as_date(closes, "the closing date")
    if deadline and closes and closes < deadline:
        raise ValueError(f"the closing date {closes} is before the deadline {deadline}")
    if round_id(cur, label) is not None:
        raise ValueError(f"round {label!r} already exists")
    mid = methodology_id or newest_methodology_id(cur)
    if not cur.execute("SELECT count(*) FROM methodologies WHERE id = ?", [mid]).fetchone()[0]:
        raise ValueError(f"unknown methodology version {mid!r}")
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
        raise LookupError(f"no round {label!r}")
    return rid


def publish_round(st, actor: Actor, label: str, published: bool = True, reason: str | None = None) -> None:
    """Make a round's results public (or withdraw them). Admin only."""
    require(actor, "admin", "publish a round")
    with st.transaction() as cur:
        rid = _existing(cur, label)
        cur.execute("UPDATE rounds SET published = ?, published_at = ? WHERE round_id = ?",
                    [bool(published), now() if published else None, rid])
        record_event(cur, actor, "publish" if published else "unpublish", round_id=rid, reason=reason)


def set_round_status(st, actor: Actor, label: str, status: str, reason: str | None = None) -> None:
    """Close a round to further imports, or reopen it. Admin only."""
    require(actor, "admin", "close or reopen a round")
    if status not in ("open", "closed"):
        raise ValueError("status is 'open' or 'closed'")
    if status == "open" and not (reason and reason.strip()):
        raise ValueError("reopening a closed round needs a reason")
    with st.transaction() as cur:
        rid = _existing(cur, label)
        current = cur.execute("SELECT status FROM rounds WHERE round_id = ?", [rid]).fetchone()[0]
        if current == status:
            raise ValueError(f"round {label} is already {status}")
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

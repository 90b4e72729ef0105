"""Expert review of self-assessments: the per-institution state machine and expert readings.

Per round and institution a submission moves through::

    (none) ──submit──▶ submitted ──start_review──▶ under_review ──approve──▶ approved
                           │                           │                       │
                           └──────── return ◀──────────┘                       │
    returned ──submit──▶ submitted            approved ──reopen (admin)──▶ under_review

``approved`` locks the institution's values in the round: imports and expert
readings touching it are refused until an administrator reopens it, with a
reason. Returning needs a reason too. Every transition writes one audit event.

Expert readings (:func:`review_service`) write the expert's answers for one
service through a synthetic import (``file_name = review:<user>``) so that the
stored value links to its provenance like any imported one; the event is
``agree`` when the expert's answers equal the provider's, else ``override``.
"""

from __future__ import annotations

from .actors import Actor, require
from .audit import next_id, now, record_event, to_json
from .errors import NotFound, StoreError
from .schema import ANSWER_COLUMNS

STATES = ("submitted", "under_review", "approved", "returned")

# (from, to) -> (action recorded, role needed, reason required)
TRANSITIONS: dict[tuple[str | None, str], tuple[str, str, bool]] = {
    (None, "submitted"): ("submit", "expert", False),
    ("returned", "submitted"): ("submit", "expert", False),
    (None, "under_review"): ("start_review", "expert", False),
    ("submitted", "under_review"): ("start_review", "expert", False),
    ("submitted", "returned"): ("return", "expert", True),
    ("under_review", "returned"): ("return", "expert", True),
    ("under_review", "approved"): ("approve", "expert", False),
    ("approved", "under_review"): ("reopen", "admin", True),
}


class IllegalTransition(StoreError):
    """The requested review step does not follow from the current state."""

    def __init__(self, current: str | None, target: str):
        self.current, self.target = current, target
        self.allowed = sorted(t for (f, t) in TRANSITIONS if f == current)
        super().__init__("store.review.illegal", current=current or "none", target=target)

    def message(self, lang: str = "az") -> str:
        from l10n import t

        def word(state: str) -> str:
            return t(f"review.state.{state}", lang, strict=False)

        allowed = ", ".join(word(s) for s in self.allowed) or "—"
        return t("store.review.illegal", lang, current=word(self.current or "none"), target=word(self.target),
                 allowed=allowed)


class InstitutionLocked(StoreError):
    """The institution's values in this round are approved and locked (or the round is closed)."""


def _round(cur, label: str) -> tuple[int, str]:
    row = cur.execute("SELECT round_id, status FROM rounds WHERE label = ?", [str(label)]).fetchone()
    if row is None:
        raise NotFound("store.no_round", label=label)
    return row[0], row[1]


def state_of(cur, rid: int, institution_id: int) -> str | None:
    row = cur.execute("SELECT state FROM review_states WHERE round_id = ? AND institution_id = ?",
                      [rid, int(institution_id)]).fetchone()
    return None if row is None else row[0]


def current_state(st, label: str, institution_id: int) -> str | None:
    """The review state of an institution in a round (None: nothing recorded yet)."""
    with st.reading() as cur:
        rid, _ = _round(cur, label)
        return state_of(cur, rid, institution_id)


def check_transition(current: str | None, target: str, actor: Actor, reason: str | None,
                     institution_id: int | None = None) -> str:
    """The action name of a legal transition; raises for an illegal one or a missing right/reason.

    A respondent may take the ``submit`` step for its own institution (``institution_id``), nothing else.
    """
    if target not in STATES:
        raise StoreError("store.review.unknown_state", state=target)
    rule = TRANSITIONS.get((current, target))
    if rule is None:
        raise IllegalTransition(current, target)
    action, role, needs_reason = rule
    own_submission = (action == "submit" and actor.is_respondent and institution_id is not None
                      and actor.institution_id == int(institution_id))
    if not own_submission:
        require(actor, role, f"{action} a review")
    if needs_reason and not (reason and reason.strip()):
        raise StoreError("store.review.reason_needed")
    return action


def apply_transition(cur, actor: Actor, rid: int, institution_id: int, target: str, reason: str | None = None,
                     *, extra: dict | None = None) -> int:
    """Low-level step inside the caller's transaction (``store.collection`` submits through it); the event id."""
    current = state_of(cur, rid, institution_id)
    action = check_transition(current, target, actor, reason, institution_id)
    cur.execute("DELETE FROM review_states WHERE round_id = ? AND institution_id = ?", [rid, int(institution_id)])
    cur.execute("INSERT INTO review_states VALUES (?, ?, ?, ?, ?, ?)",
                [rid, int(institution_id), target, reason, now(), actor.name])
    return record_event(cur, actor, action, round_id=rid, institution_id=int(institution_id),
                        detail={"from": current, "to": target, **(extra or {})}, reason=reason)


def transition(st, actor: Actor, label: str, institution_id: int, target: str, reason: str | None = None) -> int:
    """Move an institution's review to ``target``; returns the audit event id."""
    require(actor, "expert", "change a review state")
    with st.transaction() as cur:
        rid, _ = _round(cur, label)
        return apply_transition(cur, actor, rid, institution_id, target, reason)


def submit(st, actor, label, institution_id, reason=None) -> int:
    return transition(st, actor, label, institution_id, "submitted", reason)


def start_review(st, actor, label, institution_id, reason=None) -> int:
    return transition(st, actor, label, institution_id, "under_review", reason)


def approve(st, actor, label, institution_id, reason=None) -> int:
    return transition(st, actor, label, institution_id, "approved", reason)


def return_submission(st, actor, label, institution_id, reason) -> int:
    return transition(st, actor, label, institution_id, "returned", reason)


def reopen(st, actor, label, institution_id, reason) -> int:
    return transition(st, actor, label, institution_id, "under_review", reason)


# -- expert readings -----------------------------------------------------------

def _current_answers(cur, rid: int, service_id: int, source: str):
    q = ", ".join(ANSWER_COLUMNS)
    return cur.execute(
        f"SELECT answer_id, {q} FROM service_answers WHERE round_id = ? AND service_id = ? AND source = ? "
        "AND replaced_by_import IS NULL AND import_id IN (SELECT import_id FROM imports WHERE outcome = 'imported')",
        [rid, int(service_id), source]).fetchone()


def _service_institution(cur, service_id: int) -> int:
    row = cur.execute("SELECT institution_id FROM services WHERE service_id = ?", [int(service_id)]).fetchone()
    if row is None:
        raise NotFound("store.no_service", id=service_id)
    return row[0]


def _check_answers(answers) -> list[int]:
    values = [int(a) for a in answers]
    if not values or len(values) > len(ANSWER_COLUMNS) or any(v not in (0, 1) for v in values):
        raise ValueError("answers are 0/1 values, one per indicator")
    return values + [0] * (len(ANSWER_COLUMNS) - len(values))


def _synthetic_import(cur, actor: Actor, rid: int, service_id: int, replacing: bool) -> int:
    import hashlib

    import_id = next_id(cur, "imports", "import_id")
    stamp = now()
    sha = hashlib.sha256(f"review:{actor.name}:{rid}:{service_id}:{stamp.isoformat()}".encode()).hexdigest()
    counts = {"services": {"replaced" if replacing else "new": 1}}
    cur.execute(
        "INSERT INTO imports (import_id, file_name, sha256, size, actor, role, \"at\", round_id, source, kinds, counts, "
        "outcome, \"replace\", warnings) VALUES (?, ?, ?, 0, ?, ?, ?, ?, 'expert', 'services', ?, 'imported', ?, '[]')",
        [import_id, f"review:{actor.name}", sha, actor.name, actor.role, stamp, rid, to_json(counts), replacing])
    return import_id


def review_service(st, actor: Actor, label: str, service_id: int, answers, comment: str | None = None) -> int:
    """Record the expert's reading of one service; returns the audit event id.

    Equal to the provider's answers: an ``agree`` event; different: an
    ``override`` event, which needs a comment. Refused for a locked
    (approved) institution or a closed round. Expert or higher.
    """
    require(actor, "expert", "record an expert reading")
    values = _check_answers(answers)
    with st.transaction() as cur:
        rid, status = _round(cur, label)
        if status == "closed":
            raise InstitutionLocked("store.round_closed", label=label)
        iid = _service_institution(cur, service_id)
        if state_of(cur, rid, iid) == "approved":
            raise InstitutionLocked("store.review.locked", label=label)
        own = _current_answers(cur, rid, service_id, "self")
        before = _current_answers(cur, rid, service_id, "expert")
        decision = "agree" if own is not None and list(own[1:]) == values else "override"
        if decision == "override" and not (comment and comment.strip()):
            raise StoreError("store.review.comment_needed")
        import_id = _synthetic_import(cur, actor, rid, service_id, before is not None)
        if before is not None:
            cur.execute("UPDATE service_answers SET replaced_by_import = ? WHERE answer_id = ?", [import_id, before[0]])
        answer_id = next_id(cur, "service_answers", "answer_id")
        cols = ", ".join(ANSWER_COLUMNS)
        marks = ", ".join("?" for _ in ANSWER_COLUMNS)
        cur.execute(
            f"INSERT INTO service_answers (answer_id, round_id, source, service_id, {cols}, comment, import_id, created_at) "
            f"VALUES (?, ?, 'expert', ?, {marks}, ?, ?, ?)",
            [answer_id, rid, int(service_id), *values, comment or None, import_id, now()])
        changed = [f"q{i + 1}" for i, (a, b) in enumerate(zip(own[1:] if own else values, values)) if a != b]
        event_id = record_event(
            cur, actor, decision, round_id=rid, institution_id=iid, import_id=import_id,
            detail={"service_id": int(service_id), "changed": changed,
                    "self": list(own[1:]) if own else None, "expert_before": list(before[1:]) if before else None,
                    "expert": values}, reason=comment)
        cur.execute("INSERT INTO review_decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [next_id(cur, "review_decisions", "decision_id"), rid, int(service_id), decision, comment or None,
                     import_id, event_id, now(), actor.name])
        return event_id

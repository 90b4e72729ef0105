"""Publishing a round: only once reviewed, frozen as published, with a snapshot of what changed.

What anonymous visitors see (decided here, explained in docs/ROLES.md): a
published round exactly as it was at its last publication. Publishing records
the id of every row that is public at that moment (``publication_rows``):
current values of approved institutions (both sources, coverage,
infrastructure in their scope) and the national infrastructure answers.
Stored rows are versions that are never deleted, so the public reads in
``store.queries`` select those very versions: a later import, an expert's
correction, a reopened review or an administrator's revert change nothing
public until an administrator republishes the round. Withdrawing the round
(unpublish) hides it at once.

Each publication also stores a snapshot: a hash of every institution's
values and row counts. The ``publish``/``republish`` event's detail lists the
institutions whose values changed, appeared or disappeared since the previous
publication. :func:`published_at` is the "data as of" time reports print.
"""

from __future__ import annotations

import hashlib
import json

from .actors import Actor, require
from .audit import next_id, now, record_event, to_json
from .errors import NotFound, StoreError
from .schema import ANSWER_COLUMNS

LIVE = "(SELECT import_id FROM imports WHERE outcome = 'imported')"


class NotReviewed(StoreError):
    """Some institutions with data in the round are not approved yet."""

    def __init__(self, label: str, names: list[str]):
        self.names = names
        shown = ", ".join(names[:8]) + ("…" if len(names) > 8 else "")
        super().__init__("store.publish.not_reviewed", label=label, n=len(names), names=shown)


def public_filter(round_alias: str, institution_expr: str) -> str:
    """SQL condition: the row belongs to a published round and a publicly approved institution.

    Written as membership in one uncorrelated set of (round, institution)
    pairs, which DuckDB runs as a single hash semi-join: a correlated EXISTS
    costs several times more over a million answers.
    """
    return (f"(({round_alias}.round_id, {institution_expr}) IN (SELECT v.round_id, v.institution_id "
            f"FROM review_states v JOIN rounds p ON p.round_id = v.round_id WHERE p.published "
            f"AND v.state = 'approved' AND v.updated_at <= p.published_at))")


def _round(cur, label: str) -> tuple[int, bool]:
    row = cur.execute("SELECT round_id, published FROM rounds WHERE label = ?", [str(label)]).fetchone()
    if row is None:
        raise NotFound("store.no_round", label=label)
    return row[0], bool(row[1])


def institutions_with_data(cur, rid: int) -> dict[int, str]:
    """Institutions holding current values in a round (services, coverage, scoped infrastructure)."""
    rows = cur.execute(f"""
        SELECT DISTINCT i.institution_id, i.name_az FROM institutions i WHERE i.institution_id IN (
            SELECT s.institution_id FROM service_answers a JOIN services s USING (service_id)
            WHERE a.round_id = ? AND a.replaced_by_import IS NULL AND a.import_id IN {LIVE}
            UNION SELECT c.institution_id FROM coverage c
            WHERE c.round_id = ? AND c.replaced_by_import IS NULL AND c.import_id IN {LIVE}
            UNION SELECT x.scope_institution_id FROM infrastructure_answers x
            WHERE x.round_id = ? AND x.scope_institution_id IS NOT NULL AND x.replaced_by_import IS NULL
              AND x.import_id IN {LIVE})
        ORDER BY i.institution_id""", [rid, rid, rid]).fetchall()
    return {r[0]: r[1] for r in rows}


def not_approved(cur, rid: int) -> dict[int, str]:
    approved = {r[0] for r in cur.execute(
        "SELECT institution_id FROM review_states WHERE round_id = ? AND state = 'approved'", [rid]).fetchall()}
    return {i: n for i, n in institutions_with_data(cur, rid).items() if i not in approved}


def snapshot(cur, rid: int) -> dict:
    """Per-institution value hashes (key ``"national"`` for national infrastructure) and row counts."""
    q = ", ".join(f"a.{c}" for c in ANSWER_COLUMNS)
    parts: dict[str, list[str]] = {}
    queries = {
        "service_answers": f"""SELECT s.institution_id, concat_ws('|', a.source, s.code, {q}, coalesce(a.comment, ''))
            FROM service_answers a JOIN services s USING (service_id)
            WHERE a.round_id = ? AND a.replaced_by_import IS NULL AND a.import_id IN {LIVE}""",
        "coverage": f"""SELECT institution_id, concat_ws('|', services_transferable, e_services_provided) FROM coverage
            WHERE round_id = ? AND replaced_by_import IS NULL AND import_id IN {LIVE}""",
        "infrastructure_answers": f"""SELECT scope_institution_id, concat_ws('|', source, question_id, value)
            FROM infrastructure_answers WHERE round_id = ? AND replaced_by_import IS NULL AND import_id IN {LIVE}""",
    }
    counts = {}
    for table, sql in queries.items():
        rows = cur.execute(sql, [rid]).fetchall()
        counts[table] = len(rows)
        for iid, text in rows:
            parts.setdefault("national" if iid is None else str(iid), []).append(f"{table}:{text}")
    hashes = {k: hashlib.sha256("\n".join(sorted(v)).encode()).hexdigest()[:16] for k, v in parts.items()}
    return {"institutions": hashes, "counts": counts}


def _previous(cur, rid: int) -> dict | None:
    row = cur.execute("SELECT snapshot FROM publications WHERE round_id = ? ORDER BY publication_id DESC LIMIT 1",
                      [rid]).fetchone()
    return json.loads(row[0]) if row else None


def compare(before: dict | None, after: dict) -> dict:
    """Institutions (ids, ``national``) changed, added and removed between two snapshots."""
    if before is None:
        return {"first": True}
    a, b = before["institutions"], after["institutions"]
    return {"changed": sorted(k for k in a.keys() & b.keys() if a[k] != b[k]),
            "added": sorted(b.keys() - a.keys()), "removed": sorted(a.keys() - b.keys()),
            "counts_before": before["counts"], "counts_after": after["counts"]}


def publish(st, actor: Actor, label: str, reason: str | None = None) -> int:
    """Publish (or republish) a reviewed round. Admin only; returns the event id.

    Refused with :class:`NotReviewed` while an institution with data is not approved.
    """
    require(actor, "admin", "publish a round")
    with st.transaction() as cur:
        rid, _ = _round(cur, label)
        missing = not_approved(cur, rid)
        if missing:
            raise NotReviewed(str(label), list(missing.values()))
        snap = snapshot(cur, rid)
        before = _previous(cur, rid)
        stamp = now()
        cur.execute("UPDATE rounds SET published = TRUE, published_at = ? WHERE round_id = ?", [stamp, rid])
        fingerprint = hashlib.sha256(to_json(snap).encode()).hexdigest()
        event_id = record_event(cur, actor, "republish" if before else "publish", round_id=rid,
                                detail={"fingerprint": fingerprint, **compare(before, snap)}, reason=reason)
        publication_id = next_id(cur, "publications", "publication_id")
        cur.execute("INSERT INTO publications VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [publication_id, rid, stamp, actor.name, fingerprint, to_json(snap), event_id])
        _record_public_rows(cur, publication_id, rid)
        return event_id


def _record_public_rows(cur, publication_id: int, rid: int) -> None:
    """Freeze the public view: the ids of the rows visitors will see until the next publication."""
    approved = "(SELECT institution_id FROM review_states WHERE round_id = ? AND state = 'approved')"
    cur.execute(f"""
        INSERT INTO publication_rows
        SELECT ?, ?, 'service_answers', a.answer_id FROM service_answers a JOIN services s USING (service_id)
        WHERE a.round_id = ? AND a.replaced_by_import IS NULL AND a.import_id IN {LIVE}
          AND s.institution_id IN {approved}
        UNION ALL SELECT ?, ?, 'coverage', c.coverage_id FROM coverage c
        WHERE c.round_id = ? AND c.replaced_by_import IS NULL AND c.import_id IN {LIVE} AND c.institution_id IN {approved}
        UNION ALL SELECT ?, ?, 'infrastructure_answers', x.answer_id FROM infrastructure_answers x
        WHERE x.round_id = ? AND x.replaced_by_import IS NULL AND x.import_id IN {LIVE}
          AND (x.scope_institution_id IS NULL OR x.scope_institution_id IN {approved})""",
                [publication_id, rid, rid, rid] * 3)


def public_rows(kind: str, id_expr: str, publication_ids, round_alias: str = "r") -> str:
    """SQL condition: the row ``id_expr`` of ``kind`` was public at the round's last publication.

    Also requires the round to be published now: a withdrawn round shows nothing.
    ``publication_ids`` are the rounds' last publications (:func:`latest_publications`,
    read in the same lease just before): written into the query as constants,
    they let DuckDB skip every other publication's rows instead of joining a
    million-row table per round. Row ids of one kind are unique and a
    publication lists only its own round's rows, so the round needs no second check.
    """
    if kind not in ("service_answers", "coverage", "infrastructure_answers"):
        raise ValueError(f"unknown kind {kind!r}")
    listed = ", ".join(str(int(i)) for i in publication_ids) or "NULL"
    return (f"({round_alias}.published AND {id_expr} IN (SELECT p.row_id FROM publication_rows p "
            f"WHERE p.kind = '{kind}' AND p.publication_id IN ({listed})))")


def latest_publications(st) -> list[int]:
    """The last publication of every round that has one (for :func:`public_rows`)."""
    return [int(r[0]) for r in st.rows("SELECT max(publication_id) FROM publications GROUP BY round_id")]


def published_at(st, label: str):
    """When the round's public data was last published (the "data as of" of reports), or None if not public."""
    return st.scalar("""
        SELECT max(p."at") FROM publications p JOIN rounds r USING (round_id) WHERE r.label = ? AND r.published""",
                     [str(label)])


def unpublish(st, actor: Actor, label: str, reason: str | None = None) -> int:
    """Withdraw a round from the public view. Admin only; returns the event id."""
    require(actor, "admin", "withdraw a round")
    if not (reason and reason.strip()):
        raise StoreError("store.publish.reason_needed")
    with st.transaction() as cur:
        rid, _ = _round(cur, label)
        cur.execute("UPDATE rounds SET published = FALSE WHERE round_id = ?", [rid])
        return record_event(cur, actor, "unpublish", round_id=rid, reason=reason)


def review_overview(st, label: str) -> list[tuple[int, str, str | None]]:
    """(institution id, name, review state) for every institution with data in the round."""
    with st.reading() as cur:
        rid, _ = _round(cur, label)
        states = dict(cur.execute("SELECT institution_id, state FROM review_states WHERE round_id = ?", [rid]).fetchall())
        return [(i, n, states.get(i)) for i, n in institutions_with_data(cur, rid).items()]

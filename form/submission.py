"""A submitted form becomes the records a workbook would have yielded, and a snapshot of the draft.

The records (:class:`ingest.model.ParsedWorkbook`, source ``form``) go through
the same planning and commit as any workbook (``store.imports``), so a form
answer is stored, versioned, reviewed, locked and published exactly like an
imported one. Per-answer comments and evidence links do not fit the exchange
format's one comment per service: the service comment gathers the
comments, and the snapshot (kept with the submission) holds everything the
respondent entered, for the reviewer and for the next round's prefill.
"""

from __future__ import annotations

import hashlib
import json

from ingest.model import CoverageRecord, Meta, ParsedWorkbook, ServiceRecord

from .model import Draft, DraftItem

MAX_COMMENT = 2000


def compose_comment(item: DraftItem) -> str | None:
    """The service's note and its per-answer comments as one text (``3: …; 7: …``)."""
    parts = [item.note.strip()] if item.note and item.note.strip() else []
    parts += [f"{i + 1}: {c.strip()}" for i, c in enumerate(item.comments) if c and c.strip()]
    text = "; ".join(parts)
    return text[:MAX_COMMENT] or None


def snapshot(draft: Draft) -> dict:
    """Everything the respondent entered, as JSON-ready data."""
    items = []
    for it in draft.live_items:
        items.append({
            "item_id": it.item_id, "service_id": it.service_id, "origin": it.origin, "code": it.code,
            "name": it.name, "audience": it.audience, "state": it.state, "carried_from": it.carried_from,
            "not_applicable": it.not_applicable, "na_reason": it.na_reason, "note": it.note,
            "answers": list(it.answers), "comments": list(it.comments), "evidence": list(it.evidence),
            "version": it.version})
    cov = draft.coverage
    return {"round": draft.round_label, "institution_id": draft.institution_id, "methodology": draft.methodology_id,
            "items": items,
            "coverage": None if cov is None else {"transferable": cov.transferable, "provided": cov.provided,
                                                  "state": cov.state}}


def to_parsed(draft: Draft, file_name: str) -> ParsedWorkbook:
    """The counted services and the coverage figures of a complete draft as parsed records.

    The hash is taken over the content, so resubmitting unchanged answers is
    recognised as the same "file" by the import planner.
    """
    services = []
    for row, it in enumerate((i for i in draft.live_items if i.counted), start=1):
        if not it.complete:
            raise ValueError(f"service {it.code}: answers are missing")
        services.append(ServiceRecord(
            row=row, institution_id=draft.institution_id, institution_name=draft.institution_name,
            service_code=it.code, service_name=it.name, audience=it.audience,
            answers=tuple(int(a) for a in it.answers), comment=compose_comment(it),
            new_service=it.origin == "proposed"))
    coverage = []
    cov = draft.coverage
    if cov is not None and cov.complete:
        coverage.append(CoverageRecord(row=1, institution_id=draft.institution_id,
                                       institution_name=draft.institution_name,
                                       transferable=int(cov.transferable), provided=int(cov.provided)))
    payload = json.dumps({"round": draft.round_label, "institution": draft.institution_id,
                          "services": [(s.service_code, s.answers, s.comment, s.service_name) for s in services],
                          "coverage": [(c.transferable, c.provided) for c in coverage]},
                         ensure_ascii=False, sort_keys=True, default=str)
    sha = hashlib.sha256(f"form\n{payload}".encode()).hexdigest()
    return ParsedWorkbook(file_name=file_name, sha256=sha, size=len(payload.encode()),
                          meta=Meta(round=draft.round_label, source="form", methodology=draft.methodology_id),
                          services=services, coverage=coverage)

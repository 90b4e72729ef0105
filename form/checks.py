"""The checks run before a form is submitted: what blocks it, what only deserves a second look.

Blocking (``error``): answers missing; a carried-over service neither confirmed
nor changed; "not applicable" without a reason; a proposed service without a
code or name, or with a code used twice; coverage figures missing, carried
over unconfirmed, or more e-services than services that could be electronic.

Doubtful (``warning``): a "yes" with no evidence link; an evidence entry that
is not a web address; a service whose level fell since the last approved round.

Every check names the service it is about (``item_id``), so the form can take
the person straight there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from l10n import t

from .model import Draft, DraftItem


def is_url(value: str | None) -> bool:
    """An absolute http(s) address with a host name and no spaces: something a reviewer can open."""
    text = str(value or "").strip()
    if not text or any(c.isspace() for c in text):
        return False
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not host:
        return False
    return host == "localhost" or ("." in host.strip(".") and ".." not in host and not host.endswith("."))


@dataclass(frozen=True)
class Check:
    severity: str  # error | warning
    code: str
    item_id: int | None = None
    params: dict = field(default_factory=dict)

    @property
    def blocking(self) -> bool:
        return self.severity == "error"

    def message(self, lang: str = "az") -> str:
        return t(f"form.check.{self.code}", lang, **self.params)


def _numbers(indices) -> str:
    return ", ".join(str(i + 1) for i in indices)


def _item_checks(it: DraftItem, m) -> list[Check]:
    out: list[Check] = []
    where = {"code": it.code or "—"}
    if it.origin == "proposed":
        if not (it.code and it.code.strip()) or not (it.name and it.name.strip()):
            out.append(Check("error", "proposal_incomplete", it.item_id, where))
    if it.not_applicable:
        if not (it.na_reason and it.na_reason.strip()):
            out.append(Check("error", "na_without_reason", it.item_id, where))
        return out
    missing = [i for i, a in enumerate(it.answers) if a is None]
    if missing:
        out.append(Check("error", "missing_answers", it.item_id,
                         {**where, "n": len(missing), "indicators": _numbers(missing)}))
    if it.state == "carried":
        out.append(Check("error", "carried_unconfirmed", it.item_id, {**where, "round": it.carried_from or "—"}))
    no_evidence = [i for i, (a, e) in enumerate(zip(it.answers, it.evidence)) if a == 1 and not (e and e.strip())]
    if no_evidence:
        out.append(Check("warning", "yes_without_evidence", it.item_id,
                         {**where, "n": len(no_evidence), "indicators": _numbers(no_evidence)}))
    bad = [i for i, e in enumerate(it.evidence) if e and e.strip() and not is_url(e)]
    if bad:
        out.append(Check("warning", "evidence_not_url", it.item_id, {**where, "indicators": _numbers(bad)}))
    if m is not None and it.complete and it.previous is not None and len(it.previous) == len(it.answers):
        from scoring import maturity

        before, now = maturity(list(it.previous), m).level, maturity(it.provisional(), m).level
        if now < before:
            out.append(Check("warning", "level_dropped", it.item_id,
                             {**where, "before": before, "now": now, "round": it.carried_from or "—"}))
    return out


def run_checks(draft: Draft, m=None) -> list[Check]:
    """Every check of a draft, blocking ones first, in the order of the form's services."""
    found: list[Check] = []
    live = draft.live_items
    for it in live:
        found += _item_checks(it, m)
    codes: dict[str, int] = {}
    for it in live:
        key = re.sub(r"\s+", "", (it.code or "")).casefold()
        if not key:
            continue
        if key in codes and it.origin == "proposed":
            found.append(Check("error", "proposal_duplicate", it.item_id, {"code": it.code}))
        codes.setdefault(key, it.item_id)
    cov = draft.coverage
    if cov is None or not cov.complete:
        found.append(Check("error", "coverage_missing"))
    else:
        if cov.state == "carried":
            found.append(Check("error", "coverage_carried", None, {"round": cov.carried_from or "—"}))
        if cov.provided > cov.transferable:
            found.append(Check("error", "coverage_provided_gt", None,
                               {"provided": cov.provided, "transferable": cov.transferable}))
    return sorted(found, key=lambda c: (not c.blocking,))


def blocking(checks: list[Check]) -> list[Check]:
    return [c for c in checks if c.blocking]

"""Online collection: rounds opened for collection, drafts, submissions, flags and the tracker.

A round *opens for collection* when an administrator gives it a deadline
(``open_round(..., deadline=)`` or :func:`open_collection`): the round then
freezes its questionnaire (the methodology's wording) and the list of
registered services each institution owes. The deadline decides lateness;
the closing date locks editing; an administrator may grant one institution an
extension, with a reason. Every one of these steps is an audit event.

Each institution fills in a *draft*: one item per service of the frozen list
(prefilled from the institution's last approved round and marked ``carried``
until someone confirms or changes it) plus services it proposes, and its
coverage figures. Every change is written at once, as it is made, with a
version per item: a save names the version it was made against, and a save
against an older version is refused (:class:`EditConflict`, "changed by X at
14:05") when someone else changed the same field since; changes to other
fields merge. Every change of a field is a row of the append-only change log
``form_changes`` (who, when, old → new, through the form or a workbook).

*Submitting* runs the pre-submit checks (``form.checks``), turns the draft into
the records a workbook would have produced (source ``form``) and stores them
through ``store.imports`` exactly like a workbook, then moves the institution's
review to ``submitted`` (``store.review``) and keeps a snapshot of the draft.
From there the ordinary review applies: an expert may flag single answers,
return with a reason (the form opens again) or approve.

Scoping is checked here, on every read and write of drafts and submissions,
never only in a page: a respondent acts for its own institution only; experts,
administrators and viewers read every institution's; only the respondents of
an institution and administrators edit its draft; only its submitter (or, while
none is named, any of its respondents) submits it.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass

import pandas as pd

from form import checks as form_checks
from form import clock
from form.model import Draft, DraftCoverage, DraftItem
from form.questions import Questionnaire, freeze
from form.submission import snapshot, to_parsed
from l10n import t

from .actors import Actor, PermissionDenied, require
from .audit import next_id, now, record_event, to_json
from .errors import Localised
from .registry import normalise_code
from .schema import ANSWER_COLUMNS

LIVE = "(SELECT import_id FROM imports WHERE outcome = 'imported')"
MAX_TEXT = 1000
_UNSET = object()


def _today() -> _dt.date:
    """Today in Baku (tests replace this function to move the calendar)."""
    return clock.today()


# -- errors ------------------------------------------------------------------------

class CollectionError(Localised, ValueError):
    """A refused collection step; ``message(lang)`` says why in the user's language (``str()``: English)."""

    def __init__(self, code: str, /, **params):
        ValueError.__init__(self, self._localise(f"collection.error.{code}", params))

    @property
    def code(self) -> str:
        """The refusal's code, without the catalogue prefix (``collection.error.``)."""
        return self.key.removeprefix("collection.error.")


class FormLocked(CollectionError):
    """The form cannot be edited now (submitted, approved, closed, past the closing date)."""


class EditConflict(CollectionError):
    """Someone else changed the same field after the version this save was made against."""

    def __init__(self, by: str, at: _dt.datetime, field: str):
        self.by, self.at, self.field = by, at, field
        shown = clock.local(at)
        super().__init__("conflict", by=by, time=shown.strftime("%H:%M"), date=shown.strftime("%Y-%m-%d"))


class SubmitBlocked(CollectionError):
    """Pre-submit checks found problems that block the submission."""

    def __init__(self, found: list):
        self.checks = found
        super().__init__("blocked", n=len(found))


class ScopeDenied(PermissionDenied):
    """An actor tried to read or write another institution's form."""

    def __init__(self, actor: Actor, institution_id: int | None, action: str):
        self.actor, self.needed, self.action = actor, "respondent", action
        self.institution_id = institution_id
        self.message_az = t("collection.error.scope", "az", name=actor.name)
        self.message_en = t("collection.error.scope", "en", name=actor.name)
        ValueError.__init__(self, self.message_en)


# -- who may do what -------------------------------------------------------------------

def _check_scope(actor: Actor, iid: int, action: str, others: str) -> None:
    """A respondent acts for its own institution only; anyone else needs the ladder role ``others``."""
    if not isinstance(actor, Actor):
        raise TypeError(f"expected an Actor, got {type(actor).__name__}")
    if actor.is_respondent:
        if actor.institution_id != int(iid):
            raise ScopeDenied(actor, iid, action)
        return
    require(actor, others, action)


def _check_read(actor: Actor, iid: int, action: str = "read a form") -> None:
    """Respondents read their own institution's form; viewers and above read every one."""
    _check_scope(actor, iid, action, "viewer")


def _check_edit(actor: Actor, iid: int, action: str = "edit a form") -> None:
    """The institution's respondents edit its draft; administrators may, on its behalf."""
    _check_scope(actor, iid, action, "admin")


def submitter_of(cur, iid: int) -> str | None:
    row = cur.execute("SELECT login FROM submitters WHERE institution_id = ?", [int(iid)]).fetchone()
    return None if row is None else row[0]


def _check_submit(cur, actor: Actor, iid: int) -> None:
    if not actor.is_respondent or actor.institution_id != int(iid):
        raise ScopeDenied(actor, iid, "submit a form")
    who = submitter_of(cur, iid)
    if who is not None and who.lower() != actor.login.lower():
        raise CollectionError("not_submitter", submitter=who)


# -- rounds and their calendar -------------------------------------------------------------

@dataclass(frozen=True)
class RoundInfo:
    round_id: int
    label: str
    methodology_id: str
    status: str
    deadline: _dt.date | None
    closes: _dt.date | None
    collecting: bool


def _round(cur, label: str) -> RoundInfo:
    row = cur.execute(
        "SELECT r.round_id, r.label, r.methodology_id, r.status, r.deadline, r.closes, "
        "EXISTS (SELECT 1 FROM collection_rounds c WHERE c.round_id = r.round_id) FROM rounds r WHERE r.label = ?",
        [str(label)]).fetchone()
    if row is None:
        raise LookupError(f"no round {label!r}")
    return RoundInfo(row[0], row[1], row[2], row[3], clock.as_date(row[4]), clock.as_date(row[5]), bool(row[6]))


def _collecting(cur, label: str) -> RoundInfo:
    info = _round(cur, label)
    if not info.collecting:
        raise CollectionError("not_collecting", round=label)
    return info


def _date(value, what: str) -> _dt.date | None:
    if value is None or value == "":
        return None
    try:
        return clock.as_date(value)
    except ValueError as exc:
        raise CollectionError("bad_date", what=what, value=str(value)) from exc


def freeze_round(cur, actor: Actor, rid: int, reason: str | None = None) -> int:
    """Low-level (no permission check): freeze a round's questionnaire and service list; returns the event id."""
    if cur.execute("SELECT count(*) FROM collection_rounds WHERE round_id = ?", [rid]).fetchone()[0]:
        label = cur.execute("SELECT label FROM rounds WHERE round_id = ?", [rid]).fetchone()[0]
        raise CollectionError("already_collecting", round=label)
    from scoring import parse_methodology_text

    mid, label, deadline, closes = cur.execute(
        "SELECT methodology_id, label, deadline, closes FROM rounds WHERE round_id = ?", [rid]).fetchone()
    text = cur.execute("SELECT yaml FROM methodologies WHERE id = ?", [mid]).fetchone()[0]
    m = parse_methodology_text(text, source=f"stored:{mid}")
    cur.execute("INSERT INTO collection_rounds VALUES (?, ?, ?, ?, ?)",
                [rid, mid, to_json(freeze(m)), now(), actor.name])
    # The registry as it stands: services hidden with a reverted import are not owed.
    cur.execute(f"""
        INSERT INTO collection_services
        SELECT ?, s.institution_id, s.service_id, s.code, s.name_az, s.name_en, s.audience
        FROM services s JOIN institutions i USING (institution_id)
        WHERE (s.created_by_import IS NULL OR s.created_by_import IN {LIVE})
          AND (i.created_by_import IS NULL OR i.created_by_import IN {LIVE})""", [rid])
    n, k = cur.execute("SELECT count(*), count(DISTINCT institution_id) FROM collection_services WHERE round_id = ?",
                       [rid]).fetchone()
    return record_event(cur, actor, "open_collection", round_id=rid, reason=reason,
                        detail={"label": label, "methodology": mid, "services": int(n), "institutions": int(k),
                                "deadline": str(deadline) if deadline else None,
                                "closes": str(closes) if closes else None})


def _check_calendar(deadline: _dt.date | None, closes: _dt.date | None) -> None:
    if deadline is None:
        raise CollectionError("deadline_needed")
    if closes is not None and closes < deadline:
        raise CollectionError("closes_before_deadline", closes=str(closes), deadline=str(deadline))


def open_collection(st, actor: Actor, label: str, *, deadline=None, closes=None, reason: str | None = None) -> int:
    """Open an existing round for collection (setting its deadline and closing date). Admin only."""
    require(actor, "admin", "open a round for collection")
    deadline, closes = _date(deadline, "deadline"), _date(closes, "closes")
    with st.transaction() as cur:
        info = _round(cur, label)
        if info.status != "open":
            raise CollectionError("round_closed", round=label)
        deadline = deadline or info.deadline
        closes = closes or info.closes
        _check_calendar(deadline, closes)
        cur.execute("UPDATE rounds SET deadline = ?, closes = ? WHERE round_id = ?", [deadline, closes, info.round_id])
        return freeze_round(cur, actor, info.round_id, reason)


def _calendar_change(actor: Actor, action: str, reason: str | None, deadline, closes):
    """The checks every change of dates makes: an administrator, a reason, a deadline, closing after it."""
    require(actor, "admin", action)
    if not (reason and reason.strip()):
        raise CollectionError("reason_needed")
    deadline, closes = _date(deadline, "deadline"), _date(closes, "closes")
    _check_calendar(deadline, closes)
    return deadline, closes


def set_calendar(st, actor: Actor, label: str, *, deadline, closes=None, reason: str | None = None) -> int:
    """Move a collecting round's deadline or closing date; needs a reason. Admin only."""
    deadline, closes = _calendar_change(actor, "change a round's calendar", reason, deadline, closes)
    with st.transaction() as cur:
        info = _collecting(cur, label)
        cur.execute("UPDATE rounds SET deadline = ?, closes = ? WHERE round_id = ?", [deadline, closes, info.round_id])
        return record_event(cur, actor, "change_calendar", round_id=info.round_id, reason=reason,
                            detail={"deadline": [str(info.deadline), str(deadline)],
                                    "closes": [str(info.closes) if info.closes else None,
                                               str(closes) if closes else None]})


def grant_extension(st, actor: Actor, label: str, institution_id: int, *, deadline, closes=None,
                    reason: str) -> int:
    """Give one institution a later deadline (and closing date), with a reason. Admin only; returns the event id."""
    deadline, closes = _calendar_change(actor, "grant an extension", reason, deadline, closes)
    with st.transaction() as cur:
        info = _collecting(cur, label)
        iid = int(institution_id)
        if not cur.execute("SELECT count(*) FROM institutions WHERE institution_id = ?", [iid]).fetchone()[0]:
            raise LookupError(f"no institution {iid}")
        if info.deadline is not None and deadline <= info.deadline:
            raise CollectionError("extension_not_later", deadline=str(deadline), round_deadline=str(info.deadline))
        before = _calendar(cur, info, iid)
        cur.execute("INSERT INTO collection_extensions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [next_id(cur, "collection_extensions", "extension_id"), info.round_id, iid, deadline, closes,
                     reason.strip(), now(), actor.name])
        return record_event(cur, actor, "grant_extension", round_id=info.round_id, institution_id=iid, reason=reason,
                            detail={"deadline": [str(before.deadline) if before.deadline else None, str(deadline)],
                                    "closes": str(closes) if closes else None})


@dataclass(frozen=True)
class Calendar:
    """An institution's effective dates in a round: its extension's where it has one."""

    deadline: _dt.date | None
    closes: _dt.date | None
    extended: bool = False
    reason: str | None = None


def _calendar(cur, info: RoundInfo, iid: int) -> Calendar:
    ext = cur.execute(
        "SELECT deadline, closes, reason FROM collection_extensions WHERE round_id = ? AND institution_id = ? "
        "ORDER BY extension_id DESC LIMIT 1", [info.round_id, int(iid)]).fetchone()
    if ext is None:
        return Calendar(info.deadline, info.closes)
    deadline = clock.as_date(ext[0])
    candidates = [d for d in (info.closes, clock.as_date(ext[1]), deadline) if d is not None]
    # An extension never closes the form earlier than the round does.
    closes = max(candidates) if info.closes is not None or ext[1] is not None else None
    return Calendar(deadline, closes, True, ext[2])


def collection_rounds(st) -> pd.DataFrame:
    """Rounds open for collection, newest label first."""
    return st.df("""
        SELECT r.round_id, r.label, r.methodology_id, r.status, r.deadline, r.closes, r.published,
               c.opened_at AS collection_opened_at, c.opened_by AS collection_opened_by,
               (SELECT count(*) FROM collection_services s WHERE s.round_id = r.round_id) AS services,
               (SELECT count(DISTINCT institution_id) FROM collection_services s WHERE s.round_id = r.round_id)
                 AS institutions
        FROM rounds r JOIN collection_rounds c USING (round_id) ORDER BY r.label DESC""")


def extensions(st, label: str) -> pd.DataFrame:
    return st.df("""
        SELECT e.extension_id, e.institution_id, i.name_az, i.name_en, e.deadline, e.closes, e.reason, e."at", e.actor
        FROM collection_extensions e JOIN rounds r USING (round_id) JOIN institutions i USING (institution_id)
        WHERE r.label = ? ORDER BY e.extension_id DESC""", [str(label)])


def questionnaire(st, label: str) -> Questionnaire:
    """The questions as the round froze them when it opened for collection."""
    rows = st.rows("SELECT c.questions FROM collection_rounds c JOIN rounds r USING (round_id) WHERE r.label = ?",
                   [str(label)])
    if not rows:
        raise CollectionError("not_collecting", round=label)
    return Questionnaire.from_frozen(rows[0][0])


def expected_services(st, label: str, institution_id: int | None = None) -> pd.DataFrame:
    where, params = "r.label = ?", [str(label)]
    if institution_id is not None:
        where += " AND s.institution_id = ?"
        params.append(int(institution_id))
    return st.df(f"""
        SELECT s.institution_id, s.service_id, s.code, s.name_az, s.name_en, s.audience
        FROM collection_services s JOIN rounds r USING (round_id) WHERE {where}
        ORDER BY s.institution_id, try_cast(split_part(s.code, '.', 1) AS INTEGER) NULLS LAST,
                 try_cast(split_part(s.code, '.', 2) AS INTEGER) NULLS LAST, s.code""", params)


# -- submitters and respondents -------------------------------------------------------------

def set_submitter(st, actor: Actor, institution_id: int, login: str | None, reason: str | None = None) -> int:
    """Name the one respondent who submits an institution's form (None: any of its respondents). Admin only."""
    require(actor, "admin", "name a submitter")
    iid = int(institution_id)
    login = (login or "").strip() or None
    with st.transaction() as cur:
        old = submitter_of(cur, iid)
        cur.execute("DELETE FROM submitters WHERE institution_id = ?", [iid])
        if login is not None:
            cur.execute("INSERT INTO submitters VALUES (?, ?, ?, ?)", [iid, login, now(), actor.name])
        return record_event(cur, actor, "set_submitter", institution_id=iid, reason=reason,
                            detail={"from": old, "to": login})


def ensure_submitter(st, actor: Actor, institution_id: int, login: str) -> bool:
    """Name ``login`` the submitter when the institution has none yet; True when it did."""
    with st.reading() as cur:
        if submitter_of(cur, institution_id) is not None:
            return False
    set_submitter(st, actor, institution_id, login, reason="first respondent of the institution")
    return True


def respondents(st, path=None) -> pd.DataFrame:
    """Every respondent (local accounts and single sign-on e-mails): login, name, institution, submitter."""
    from .accounts import respondent_accounts

    rows = [{"login": u, "name": n, "institution_id": i, "kind": "local"} for u, n, i in respondent_accounts(path)]
    for email, name, iid in st.rows("SELECT email, name, institution_id FROM roles WHERE role = 'respondent'"):
        rows.append({"login": email, "name": name or email, "institution_id": iid, "kind": "sso"})
    out = pd.DataFrame(rows, columns=["login", "name", "institution_id", "kind"])
    subs = dict(st.rows("SELECT institution_id, login FROM submitters"))
    out["submitter"] = [str(subs.get(i, "")).lower() == str(lg).lower() for lg, i in
                        zip(out["login"], out["institution_id"])]
    return out


# -- the draft: reading ---------------------------------------------------------------------

def _institution_names(cur, iid: int) -> tuple[str, str | None]:
    row = cur.execute("SELECT name_az, name_en FROM institutions WHERE institution_id = ?", [int(iid)]).fetchone()
    if row is None:
        raise LookupError(f"no institution {iid}")
    return row[0], row[1]


def _items(cur, rid: int, iid: int, item_id: int | None = None, previous: bool = True) -> list[DraftItem]:
    """The draft's items; ``previous`` adds the last approved round's answers (the checks compare with them)."""
    where, params = "i.round_id = ? AND i.institution_id = ?", [rid, int(iid)]
    if item_id is not None:
        where += " AND i.item_id = ?"
        params.append(int(item_id))
    rows = cur.execute(f"""
        WITH a AS (
            SELECT item_id, list(value ORDER BY indicator) AS v, list(comment ORDER BY indicator) AS c,
                   list(evidence ORDER BY indicator) AS e
            FROM form_answers WHERE item_id IN (SELECT item_id FROM form_items i WHERE {where}) GROUP BY item_id)
        SELECT i.item_id, i.service_id, i.origin, i.code, i.name, i.audience, i.state, i.carried_from,
               i.not_applicable, i.na_reason, i.note, i.withdrawn, i.version, i.updated_at, i.updated_by,
               a.v, a.c, a.e, s.name_en
        FROM form_items i JOIN a USING (item_id) LEFT JOIN services s ON s.service_id = i.service_id
        WHERE {where}
        ORDER BY i.origin DESC, try_cast(split_part(i.code, '.', 1) AS INTEGER) NULLS LAST,
                 try_cast(split_part(i.code, '.', 2) AS INTEGER) NULLS LAST, i.code, i.item_id""", params * 2).fetchall()
    before = _previous_answers(cur, rid, iid) if previous else {}
    out = []
    for r in rows:
        out.append(DraftItem(
            item_id=r[0], service_id=r[1], origin=r[2], code=r[3] or "", name=r[4], audience=r[5], state=r[6],
            carried_from=r[7], not_applicable=bool(r[8]), na_reason=r[9], note=r[10], withdrawn=bool(r[11]),
            version=int(r[12]), updated_at=r[13], updated_by=r[14],
            answers=tuple(None if v is None else int(v) for v in r[15]), comments=tuple(r[16]),
            evidence=tuple(r[17]), previous=before[r[1]][1] if r[1] in before else None, name_en=r[18]))
    return out


def _coverage(cur, rid: int, iid: int) -> DraftCoverage | None:
    row = cur.execute("SELECT transferable, provided, state, version, carried_from, updated_at, updated_by "
                      "FROM form_coverage WHERE round_id = ? AND institution_id = ?", [rid, int(iid)]).fetchone()
    if row is None:
        return None
    return DraftCoverage(row[0], row[1], row[2], int(row[3]), row[4], row[5], row[6])


def _draft(cur, info: RoundInfo, iid: int) -> Draft:
    name_az, name_en = _institution_names(cur, iid)
    return Draft(round_label=info.label, institution_id=int(iid), institution_name=name_az,
                 methodology_id=info.methodology_id, items=_items(cur, info.round_id, iid),
                 coverage=_coverage(cur, info.round_id, iid), institution_name_en=name_en)


def draft(st, actor: Actor, label: str, institution_id: int) -> Draft:
    """The institution's draft as stored now (items empty until someone opens the form)."""
    _check_read(actor, institution_id)
    with st.reading() as cur:
        return _draft(cur, _collecting(cur, label), institution_id)


def item(st, actor: Actor, item_id: int) -> DraftItem:
    """One item of a draft, read fresh (the form's service card reads this on every rerun)."""
    with st.reading() as cur:
        row = cur.execute("SELECT round_id, institution_id FROM form_items WHERE item_id = ?", [int(item_id)]).fetchone()
        if row is None:
            raise LookupError(f"no form item {item_id}")
        _check_read(actor, row[1])
        return _items(cur, row[0], row[1], item_id, previous=False)[0]


# -- prefill: the last approved round -----------------------------------------------------------

def _last_approved(cur, rid: int, iid: int) -> tuple[int, str, str] | None:
    label = cur.execute("SELECT label FROM rounds WHERE round_id = ?", [rid]).fetchone()[0]
    return cur.execute("""
        SELECT r.round_id, r.label, r.methodology_id FROM review_states v JOIN rounds r USING (round_id)
        WHERE v.institution_id = ? AND v.state = 'approved' AND r.label < ?
        ORDER BY r.label DESC LIMIT 1""", [int(iid), label]).fetchone()


def _previous_answers(cur, rid: int, iid: int) -> dict[int, tuple[str, tuple[int, ...]]]:
    """service id → (round label, approved answers) of the institution's last approved round.

    Approved answers are the validated ones: the expert's reading where there is one.
    """
    prev = _last_approved(cur, rid, iid)
    if prev is None:
        return {}
    q = ", ".join(f"a.{c}" for c in ANSWER_COLUMNS)
    rows = cur.execute(f"""
        SELECT a.service_id, a.source, {q} FROM service_answers a JOIN services s USING (service_id)
        WHERE a.round_id = ? AND s.institution_id = ? AND a.replaced_by_import IS NULL AND a.import_id IN {LIVE}
        ORDER BY a.source""", [prev[0], int(iid)]).fetchall()
    out: dict[int, tuple[str, tuple[int, ...]]] = {}
    for r in rows:  # 'expert' sorts before 'self': the expert's reading wins
        out.setdefault(r[0], (prev[1], tuple(int(v) for v in r[2:])))
    return out


def _previous_notes(cur, rid: int, iid: int) -> dict[int, tuple[list, list]]:
    """service id → (comments, evidence) from the last approved round's last form submission."""
    prev = _last_approved(cur, rid, iid)
    if prev is None:
        return {}
    row = cur.execute("SELECT snapshot FROM form_submissions WHERE round_id = ? AND institution_id = ? "
                      "ORDER BY submission_id DESC LIMIT 1", [prev[0], int(iid)]).fetchone()
    if row is None:
        return {}
    snap = json.loads(row[0])
    return {it["service_id"]: (it.get("comments") or [], it.get("evidence") or [])
            for it in snap.get("items", []) if it.get("service_id") is not None}


def ensure_draft(st, actor: Actor, label: str, institution_id: int) -> Draft:
    """The institution's draft, created (and prefilled) the first time someone who may edit it opens it."""
    iid = int(institution_id)
    _check_read(actor, iid)
    with st.reading() as cur:
        info = _collecting(cur, label)
        if _has_draft(cur, info.round_id, iid) or _may_not_edit(actor, iid) or _lock_reason(cur, info, iid) is not None:
            return _draft(cur, info, iid)
    with st.transaction() as cur:
        info = _collecting(cur, label)
        if not _has_draft(cur, info.round_id, iid):
            _create_draft(cur, actor, info, iid)
        return _draft(cur, info, iid)


def _has_draft(cur, rid: int, iid: int) -> bool:
    """A draft exists once its coverage row does (an institution may own no registered service at all)."""
    return bool(cur.execute("SELECT count(*) FROM form_coverage WHERE round_id = ? AND institution_id = ?",
                            [rid, int(iid)]).fetchone()[0])


def _may_not_edit(actor: Actor, iid: int) -> bool:
    try:
        _check_edit(actor, iid)
    except PermissionDenied:
        return True
    return False


def _insert(cur, table: str, columns: list[str], rows: list[list]) -> None:
    """Insert many rows at once through a registered frame (row-by-row inserts cost a round trip each)."""
    frame = pd.DataFrame(rows, columns=columns)
    for col in ("value",):
        if col in frame:
            frame[col] = frame[col].astype("Int8")
    for col in ("comment", "evidence", "carried_from", "na_reason", "note", "name", "audience"):
        if col in frame:
            frame[col] = frame[col].astype(object)
    cur.execute("SELECT 1").fetchall()  # a fully fetched statement before register() (see store.imports)
    cur.register("_form_rows", frame)
    try:
        cols = ", ".join(columns)
        cur.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _form_rows")
    finally:
        cur.unregister("_form_rows")


def _create_draft(cur, actor: Actor, info: RoundInfo, iid: int) -> None:
    n = len(json.loads(cur.execute("SELECT questions FROM collection_rounds WHERE round_id = ?",
                                   [info.round_id]).fetchone()[0])["questions"])
    services = cur.execute(
        "SELECT service_id, code, name_az, audience FROM collection_services WHERE round_id = ? AND institution_id = ?",
        [info.round_id, iid]).fetchall()
    previous = _previous_answers(cur, info.round_id, iid)
    notes = _previous_notes(cur, info.round_id, iid)
    stamp = now()
    items, answers = [], []
    first = next_id(cur, "form_items", "item_id")
    for k, (sid, code, name, audience) in enumerate(services):
        item_id = first + k
        carried = previous.get(sid)
        usable = carried is not None and len(carried[1]) >= n
        values = list(carried[1][:n]) if usable else [None] * n
        comments, evidence = notes.get(sid, ([], []))
        items.append([item_id, info.round_id, iid, sid, "registry", code, name, audience,
                      "carried" if usable else "new", carried[0] if usable else None, False, None, None, False, 0,
                      stamp, actor.name])
        for j in range(n):
            answers.append([item_id, j + 1, values[j], comments[j] if j < len(comments) and usable else None,
                            evidence[j] if j < len(evidence) and usable else None])
    if items:
        _insert(cur, "form_items", ["item_id", "round_id", "institution_id", "service_id", "origin", "code", "name",
                                    "audience", "state", "carried_from", "not_applicable", "na_reason", "note",
                                    "withdrawn", "version", "updated_at", "updated_by"], items)
        _insert(cur, "form_answers", ["item_id", "indicator", "value", "comment", "evidence"], answers)
    prev = _last_approved(cur, info.round_id, iid)
    cov = None
    if prev is not None:
        cov = cur.execute(f"""
            SELECT services_transferable, e_services_provided FROM coverage
            WHERE round_id = ? AND institution_id = ? AND replaced_by_import IS NULL AND import_id IN {LIVE}""",
                          [prev[0], iid]).fetchone()
    cur.execute("INSERT INTO form_coverage VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)",
                [info.round_id, iid, cov[0] if cov else None, cov[1] if cov else None,
                 "carried" if cov else "new", prev[1] if cov else None, stamp, actor.name])


# -- the draft: locks and writes ------------------------------------------------------------------

def _lock_reason(cur, info: RoundInfo, iid: int) -> str | None:
    """Why the form cannot be edited now, or None when it can."""
    if info.status != "open":
        return "round_closed"
    cal = _calendar(cur, info, iid)
    if cal.closes is not None and _today() > cal.closes:
        return "past_close"
    state = cur.execute("SELECT state FROM review_states WHERE round_id = ? AND institution_id = ?",
                        [info.round_id, int(iid)]).fetchone()
    if state is not None and state[0] in ("submitted", "under_review"):
        return "submitted"
    if state is not None and state[0] == "approved":
        return "approved"
    return None


def _editable(cur, info: RoundInfo, iid: int) -> None:
    reason = _lock_reason(cur, info, iid)
    if reason is not None:
        cal = _calendar(cur, info, iid)
        raise FormLocked(f"locked_{reason}", round=info.label, closes=str(cal.closes) if cal.closes else "—")


def _item_row(cur, item_id: int) -> tuple:
    row = cur.execute("SELECT item_id, round_id, institution_id, version, state, origin, withdrawn FROM form_items "
                      "WHERE item_id = ?", [int(item_id)]).fetchone()
    if row is None:
        raise LookupError(f"no form item {item_id}")
    return row


def _info_by_id(cur, rid: int) -> RoundInfo:
    row = cur.execute("SELECT r.round_id, r.label, r.methodology_id, r.status, r.deadline, r.closes FROM rounds r "
                      "WHERE r.round_id = ?", [rid]).fetchone()
    # Items exist only in rounds open for collection.
    return RoundInfo(row[0], row[1], row[2], row[3], clock.as_date(row[4]), clock.as_date(row[5]), True)


def _conflict(cur, *, item_id: int | None, rid: int, iid: int, expected: int, current: int,
              fields: list[str] | None) -> None:
    """Raise :class:`EditConflict` when a field being saved changed after ``expected`` (None: any field)."""
    if expected is None or int(expected) == int(current):
        return
    where = "item_id = ?" if item_id is not None else "item_id IS NULL AND round_id = ? AND institution_id = ?"
    params: list = [int(item_id)] if item_id is not None else [rid, int(iid)]
    sql = f"SELECT actor, \"at\", field FROM form_changes WHERE {where} AND version > ?"
    params.append(int(expected))
    if fields is not None:
        sql += " AND field IN (SELECT unnest(?))"
        params.append(list(fields))
    row = cur.execute(sql + " ORDER BY change_id DESC LIMIT 1", params).fetchone()
    if row is not None:
        raise EditConflict(row[0], row[1], row[2])


def _log(cur, actor: Actor, rid: int, iid: int, item_id: int | None, changes: list[tuple[str, object, object]],
         version: int, via: str) -> None:
    first = next_id(cur, "form_changes", "change_id")
    stamp = now()
    cur.executemany("INSERT INTO form_changes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
        [first + k, rid, int(iid), item_id, f, None if o is None else str(o), None if n is None else str(n), version,
         stamp, actor.name, actor.role, via] for k, (f, o, n) in enumerate(changes)])


def _clean_text(value, limit: int = MAX_TEXT) -> str | None:
    if value is None:
        return None
    text = "".join(ch for ch in str(value) if ch in "\n\t" or (ord(ch) >= 0x20 and ord(ch) != 0x7F))
    text = text.strip()[:limit]
    return text or None


_ITEM_FIELDS = {"not_applicable", "na_reason", "note", "code", "name", "audience", "withdrawn"}


def _apply(cur, actor: Actor, item_id: int, version: int | None, fields: dict[str, object], *, via: str = "form",
           confirm: bool = False) -> int:
    """Write field changes of one item after the scope, lock and version checks; returns the new version.

    Field names: ``q<n>`` (answer 1/0/None), ``q<n>.comment``, ``q<n>.evidence`` and the item
    fields of :data:`_ITEM_FIELDS`. Unchanged values are dropped; nothing changed, nothing written.
    """
    _, rid, iid, current, state, origin, withdrawn = _item_row(cur, item_id)
    _check_edit(actor, iid)
    info = _info_by_id(cur, rid)
    _editable(cur, info, iid)
    if withdrawn and "withdrawn" not in fields:
        raise CollectionError("withdrawn")
    answers = {r[0]: r[1:] for r in cur.execute(
        "SELECT indicator, value, comment, evidence FROM form_answers WHERE item_id = ?", [int(item_id)]).fetchall()}
    row = cur.execute("SELECT not_applicable, na_reason, note, code, name, audience, withdrawn FROM form_items "
                      "WHERE item_id = ?", [int(item_id)]).fetchone()
    item_now = dict(zip(["not_applicable", "na_reason", "note", "code", "name", "audience", "withdrawn"], row))
    changes: list[tuple[str, object, object]] = []
    answer_changed = False
    for f, new in fields.items():
        if f in _ITEM_FIELDS:
            old = item_now[f]
            if (old or None) != (new or None) and not (isinstance(new, bool) and bool(old) == new):
                changes.append((f, old, new))
            continue
        base, _, part = f.partition(".")
        n = int(base[1:])
        if n not in answers:
            raise CollectionError("bad_indicator", indicator=base)
        value, comment, evidence = answers[n]
        old = {"": value, "comment": comment, "evidence": evidence}[part]
        if (old if old is not None else None) != new:
            changes.append((f, old, new))
            answer_changed |= part == ""
    # Only fields this save really changes can conflict: writing the value that is already stored overwrites nothing.
    _conflict(cur, item_id=item_id, rid=rid, iid=iid, expected=version, current=current,
              fields=None if confirm else [f for f, _o, _n in changes])
    new_state = state
    if confirm and state == "carried":
        new_state = "confirmed"
        changes.append(("state", state, new_state))
    elif answer_changed and state in ("carried", "confirmed"):
        new_state = "changed"
        changes.append(("state", state, new_state))
    if not changes:
        return int(current)
    new_version = int(current) + 1
    for f, _old, new in changes:
        if f == "state":
            continue
        if f in _ITEM_FIELDS:
            cur.execute(f"UPDATE form_items SET {f} = ? WHERE item_id = ?", [new, int(item_id)])
        else:
            base, _, part = f.partition(".")
            col = {"": "value", "comment": "comment", "evidence": "evidence"}[part]
            cur.execute(f"UPDATE form_answers SET {col} = ? WHERE item_id = ? AND indicator = ?",
                        [new, int(item_id), int(base[1:])])
    cur.execute("UPDATE form_items SET state = ?, version = ?, updated_at = ?, updated_by = ? WHERE item_id = ?",
                [new_state, new_version, now(), actor.name, int(item_id)])
    _log(cur, actor, rid, iid, int(item_id), changes, new_version, via)
    return new_version


def _write(st, actor: Actor, item_id: int, version: int | None, fields: dict[str, object], *, confirm: bool = False,
           read_back: bool = False):
    """One item write in its own transaction; the new version, or with ``read_back`` the item as now stored.

    Reading the item back inside the write's own lease saves the form a second
    opening of the database on every answer.
    """
    with st.transaction() as cur:
        new_version = _apply(cur, actor, item_id, version, fields, confirm=confirm)
        if not read_back:
            return new_version
        row = _item_row(cur, item_id)
        return _items(cur, row[1], row[2], item_id, previous=False)[0]


def save_answer(st, actor: Actor, item_id: int, indicator: int, *, version: int | None, value=_UNSET,
                comment=_UNSET, evidence=_UNSET, read_back: bool = False):
    """Save one answer (1, 0 or None), its comment or its evidence link at once; returns the item's new version.

    ``version`` is the item version the person saw; a change to the same field by someone
    else since then raises :class:`EditConflict`. ``read_back`` returns the stored item instead.
    """
    fields: dict[str, object] = {}
    key = f"q{int(indicator)}"
    if value is not _UNSET:
        if value is not None and value not in (0, 1, True, False):
            raise CollectionError("bad_value", value=str(value))
        fields[key] = None if value is None else int(value)
    if comment is not _UNSET:
        fields[key + ".comment"] = _clean_text(comment)
    if evidence is not _UNSET:
        fields[key + ".evidence"] = _clean_text(evidence, 500)
    return _write(st, actor, item_id, version, fields, read_back=read_back)


def confirm_item(st, actor: Actor, item_id: int, *, version: int | None, read_back: bool = False):
    """Confirm a carried-over service unchanged. Refused when anything changed since ``version``."""
    return _write(st, actor, item_id, version, {}, confirm=True, read_back=read_back)


def set_not_applicable(st, actor: Actor, item_id: int, *, version: int | None, not_applicable: bool,
                       reason: str | None = None, read_back: bool = False):
    fields = {"not_applicable": bool(not_applicable), "na_reason": _clean_text(reason) if not_applicable else None}
    return _write(st, actor, item_id, version, fields, read_back=read_back)


def set_note(st, actor: Actor, item_id: int, *, version: int | None, note: str | None, read_back: bool = False):
    """The respondent's comment on the whole service."""
    return _write(st, actor, item_id, version, {"note": _clean_text(note)}, read_back=read_back)


def propose_service(st, actor: Actor, label: str, institution_id: int, *, code: str, name: str,
                    audience: str | None = None) -> int:
    """Add a service the registry does not list yet; returns the new item's id."""
    iid = int(institution_id)
    _check_edit(actor, iid)
    code, name = _clean_text(code, 32), _clean_text(name, 300)
    if not code or not name:
        raise CollectionError("proposal_incomplete")
    if audience not in (None, "citizen", "business"):
        raise CollectionError("bad_audience", audience=str(audience))
    with st.transaction() as cur:
        info = _collecting(cur, label)
        _editable(cur, info, iid)
        if not _has_draft(cur, info.round_id, iid):
            _create_draft(cur, actor, info, iid)
        taken = {normalise_code(c) for (c,) in cur.execute(
            "SELECT code FROM form_items WHERE round_id = ? AND institution_id = ? AND NOT withdrawn",
            [info.round_id, iid]).fetchall()}
        if normalise_code(code) in taken:
            raise CollectionError("code_taken", code=code)
        n = len(json.loads(cur.execute("SELECT questions FROM collection_rounds WHERE round_id = ?",
                                       [info.round_id]).fetchone()[0])["questions"])
        item_id = next_id(cur, "form_items", "item_id")
        cur.execute("INSERT INTO form_items VALUES (?, ?, ?, NULL, 'proposed', ?, ?, ?, 'new', NULL, FALSE, NULL, NULL, "
                    "FALSE, 1, ?, ?)", [item_id, info.round_id, iid, code, name, audience, now(), actor.name])
        cur.executemany("INSERT INTO form_answers VALUES (?, ?, NULL, NULL, NULL)",
                        [[item_id, j + 1] for j in range(n)])
        _log(cur, actor, info.round_id, iid, item_id, [("proposed", None, f"{code} {name}")], 1, "form")
        return item_id


def edit_proposal(st, actor: Actor, item_id: int, *, version: int | None, code=_UNSET, name=_UNSET,
                  audience=_UNSET, read_back: bool = False):
    fields: dict[str, object] = {}
    if code is not _UNSET:
        fields["code"] = _clean_text(code, 32)
    if name is not _UNSET:
        fields["name"] = _clean_text(name, 300)
    if audience is not _UNSET:
        if audience not in (None, "citizen", "business"):
            raise CollectionError("bad_audience", audience=str(audience))
        fields["audience"] = audience
    with st.reading() as cur:
        if _item_row(cur, item_id)[5] != "proposed":
            raise CollectionError("not_proposed")
    return _write(st, actor, item_id, version, fields, read_back=read_back)


def withdraw_proposal(st, actor: Actor, item_id: int, *, version: int | None, read_back: bool = False):
    with st.reading() as cur:
        if _item_row(cur, item_id)[5] != "proposed":
            raise CollectionError("not_proposed")
    return _write(st, actor, item_id, version, {"withdrawn": True}, read_back=read_back)


def save_coverage(st, actor: Actor, label: str, institution_id: int, *, version: int | None, transferable=_UNSET,
                  provided=_UNSET, confirm: bool = False, via: str = "form") -> int:
    """Save the coverage figures (or confirm carried-over ones); returns the new version."""
    iid = int(institution_id)
    _check_edit(actor, iid)
    fields: dict[str, object] = {}
    for name, value in (("transferable", transferable), ("provided", provided)):
        if value is _UNSET:
            continue
        if value is not None and (isinstance(value, bool) or int(value) != value or int(value) < 0):
            raise CollectionError("bad_count", value=str(value))
        fields[name] = None if value is None else int(value)
    with st.transaction() as cur:
        info = _collecting(cur, label)
        _editable(cur, info, iid)
        row = cur.execute("SELECT transferable, provided, state, version FROM form_coverage "
                          "WHERE round_id = ? AND institution_id = ?", [info.round_id, iid]).fetchone()
        if row is None:
            _create_draft(cur, actor, info, iid)
            row = cur.execute("SELECT transferable, provided, state, version FROM form_coverage "
                              "WHERE round_id = ? AND institution_id = ?", [info.round_id, iid]).fetchone()
        old = {"transferable": row[0], "provided": row[1]}
        _conflict(cur, item_id=None, rid=info.round_id, iid=iid, expected=version, current=row[3],
                  fields=None if confirm else [f"coverage.{f}" for f in fields])
        changes = [(f"coverage.{f}", old[f], v) for f, v in fields.items() if old[f] != v]
        state = row[2]
        if confirm and state == "carried":
            state = "confirmed"
        elif changes and state in ("carried", "confirmed"):
            state = "changed"
        if state != row[2]:
            changes.append(("coverage.state", row[2], state))
        if not changes:
            return int(row[3])
        new_version = int(row[3]) + 1
        merged = {**old, **fields}
        cur.execute("UPDATE form_coverage SET transferable = ?, provided = ?, state = ?, version = ?, updated_at = ?, "
                    "updated_by = ? WHERE round_id = ? AND institution_id = ?",
                    [merged["transferable"], merged["provided"], state, new_version, now(), actor.name,
                     info.round_id, iid])
        _log(cur, actor, info.round_id, iid, None, changes, new_version, via)
        return new_version


def change_log(st, actor: Actor, label: str, institution_id: int, item_id: int | None = None) -> pd.DataFrame:
    """Every change of the institution's draft in the round, newest first (who, when, field, old → new)."""
    _check_read(actor, institution_id)
    where, params = "r.label = ? AND c.institution_id = ?", [str(label), int(institution_id)]
    if item_id is not None:
        where += " AND c.item_id = ?"
        params.append(int(item_id))
    return st.df(f"""
        SELECT c.change_id, c."at", c.actor, c.role, c.item_id, i.code, c.field, c.old, c.new, c.version, c.via
        FROM form_changes c JOIN rounds r USING (round_id) LEFT JOIN form_items i ON i.item_id = c.item_id
        WHERE {where} ORDER BY c.change_id DESC""", params)


# -- a workbook loaded into the draft ---------------------------------------------------------------

@dataclass
class UploadPlan:
    """What loading a workbook into the draft changes: per service, the answers that differ."""

    file_name: str
    updated: list[str]
    confirmed: list[str]
    unchanged: list[str]
    proposed: list[str]
    not_in_file: list[str]
    coverage: tuple[int, int] | None
    changes: int


def _upload_changes(cur, info: RoundInfo, iid: int, parsed, n: int):
    items = {normalise_code(it.code): it for it in _items(cur, info.round_id, iid) if not it.withdrawn}
    per_item, new_items = [], []
    seen = set()
    for rec in parsed.services:
        key = normalise_code(rec.service_code)
        seen.add(key)
        values = [int(a) for a in rec.answers][:n]
        it = items.get(key)
        if it is None:
            new_items.append((rec, values))
            continue
        fields = {f"q{j + 1}": v for j, v in enumerate(values) if it.answers[j] != v}
        note = _clean_text(rec.comment)
        if note != (it.note or None):
            fields["note"] = note
        if it.not_applicable:
            fields["not_applicable"], fields["na_reason"] = False, None
        per_item.append((it, fields))
    missing = [it.code for k, it in items.items() if k not in seen and it.counted]
    return per_item, new_items, missing


def plan_upload(st, actor: Actor, label: str, institution_id: int, parsed) -> UploadPlan:
    """What loading a parsed workbook would change in the draft; writes nothing."""
    iid = int(institution_id)
    _check_edit(actor, iid, "load a workbook into a form")
    with st.reading() as cur:
        info = _collecting(cur, label)
        _check_parsed(parsed, info, iid)
        n = len(questionnaire(st, label))
        if not _has_draft(cur, info.round_id, iid):
            # No draft yet: everything in the file counts as a change.
            per_item, new_items, missing = [], [(r, list(r.answers)) for r in parsed.services], []
        else:
            per_item, new_items, missing = _upload_changes(cur, info, iid, parsed, n)
        cov = parsed.coverage[0] if parsed.coverage else None
    updated = [it.code for it, f in per_item if f]
    confirmed = [it.code for it, f in per_item if not f and it.state == "carried"]
    unchanged = [it.code for it, f in per_item if not f and it.state != "carried"]
    return UploadPlan(parsed.file_name, updated, confirmed, unchanged, [r.service_code for r, _ in new_items], missing,
                      (cov.transferable, cov.provided) if cov else None,
                      sum(len(f) for _, f in per_item) + len(new_items))


def _check_parsed(parsed, info: RoundInfo, iid: int) -> None:
    if parsed.errors:
        raise CollectionError("upload_errors", n=len(parsed.errors))
    meta = parsed.meta
    if meta is None or str(meta.round).strip() != info.label:
        raise CollectionError("upload_round", round=info.label, found=getattr(meta, "round", "—"))
    if meta.source != "self" or parsed.infrastructure:
        raise CollectionError("upload_kind")
    others = {r.institution_id for r in parsed.services} | {r.institution_id for r in parsed.coverage}
    if others - {iid}:
        names = sorted({r.institution_name for r in [*parsed.services, *parsed.coverage] if r.institution_id != iid})
        raise CollectionError("upload_other_institution", names=", ".join(names[:5]))
    if not parsed.services and not parsed.coverage:
        raise CollectionError("upload_empty")


def load_workbook(st, actor: Actor, label: str, institution_id: int, parsed) -> UploadPlan:
    """Load a parsed workbook's answers into the draft (each change logged as from that file); returns the plan.

    Services the file names that the draft lacks become proposed services;
    services the file leaves out keep their draft values. A carried-over
    service whose answers the file repeats counts as confirmed.
    """
    iid = int(institution_id)
    _check_edit(actor, iid, "load a workbook into a form")
    plan = plan_upload(st, actor, label, iid, parsed)
    via = f"workbook:{parsed.file_name}"[:200]
    with st.transaction() as cur:
        info = _collecting(cur, label)
        _editable(cur, info, iid)
        if not _has_draft(cur, info.round_id, iid):
            _create_draft(cur, actor, info, iid)
        n = len(json.loads(cur.execute("SELECT questions FROM collection_rounds WHERE round_id = ?",
                                       [info.round_id]).fetchone()[0])["questions"])
        per_item, new_items, _ = _upload_changes(cur, info, iid, parsed, n)
        for it, fields in per_item:
            if fields:
                _apply(cur, actor, it.item_id, None, fields, via=via)
            if it.state == "carried" and not any(f.startswith("q") and "." not in f for f in fields):
                _apply(cur, actor, it.item_id, None, {}, via=via, confirm=True)
        for rec, values in new_items:
            item_id = next_id(cur, "form_items", "item_id")
            cur.execute("INSERT INTO form_items VALUES (?, ?, ?, NULL, 'proposed', ?, ?, ?, 'new', NULL, FALSE, NULL, ?, "
                        "FALSE, 1, ?, ?)", [item_id, info.round_id, iid, _clean_text(rec.service_code, 32),
                                            _clean_text(rec.service_name, 300), rec.audience,
                                            _clean_text(rec.comment), now(), actor.name])
            cur.executemany("INSERT INTO form_answers VALUES (?, ?, ?, NULL, NULL)",
                            [[item_id, j + 1, values[j] if j < len(values) else None] for j in range(n)])
            _log(cur, actor, info.round_id, iid, item_id, [("proposed", None, f"{rec.service_code}")], 1, via)
        if parsed.coverage:
            c = parsed.coverage[0]
            row = cur.execute("SELECT version FROM form_coverage WHERE round_id = ? AND institution_id = ?",
                              [info.round_id, iid]).fetchone()
            save_coverage(st, actor, label, iid, version=row[0] if row else None, transferable=c.transferable,
                          provided=c.provided, confirm=True, via=via)
        record_event(cur, actor, "form_upload", round_id=info.round_id, institution_id=iid,
                     detail={"file": parsed.file_name, "sha256": parsed.sha256, "updated": len(plan.updated),
                             "confirmed": len(plan.confirmed), "proposed": len(plan.proposed),
                             "changes": plan.changes})
    return plan


# -- checks and submission -------------------------------------------------------------------------

def run_checks(st, actor: Actor, label: str, institution_id: int) -> list:
    """The pre-submit checks of the institution's draft (``form.checks.Check``), blocking ones first."""
    d = draft(st, actor, label, institution_id)
    from . import queries

    return form_checks.run_checks(d, queries.load_round_methodology(st, label))


def submit(st, actor: Actor, label: str, institution_id: int) -> int:
    """Submit the institution's form: checks, an import with source ``form``, review state ``submitted``.

    Returns the submission id. Refused while checks block (:class:`SubmitBlocked`), for anyone
    but the institution's submitter, and whenever the form is locked.
    """
    from . import queries
    from .imports import ImportConflict, commit_import
    from .review import apply_transition

    iid = int(institution_id)
    m = queries.load_round_methodology(st, label)
    with st.transaction() as cur:
        _check_submit(cur, actor, iid)
        info = _collecting(cur, label)
        _editable(cur, info, iid)
        d = _draft(cur, info, iid)
        problems = form_checks.blocking(form_checks.run_checks(d, m))
        if problems:
            raise SubmitBlocked(problems)
        number = cur.execute("SELECT count(*) FROM form_submissions WHERE round_id = ? AND institution_id = ?",
                             [info.round_id, iid]).fetchone()[0] + 1
        parsed = to_parsed(d, f"form:{label}:{iid}:{number}")
        try:
            result = commit_import(st, actor, parsed, replace=True)
        except ImportConflict as exc:
            raise CollectionError("import_refused", detail=str(exc)) from exc
        import_id = result.import_id
        if import_id is None:  # the same answers as an earlier submission: that import stands
            import_id = cur.execute("SELECT max(import_id) FROM form_submissions WHERE round_id = ? AND "
                                    "institution_id = ?", [info.round_id, iid]).fetchone()[0]
        if result.import_id is not None:
            # A service now "not applicable" loses the answers an earlier submission of this round gave it.
            dropped = [it.service_id for it in d.live_items if it.not_applicable and it.service_id is not None]
            if dropped:
                cur.execute(f"""UPDATE service_answers SET replaced_by_import = ?
                    WHERE round_id = ? AND source = 'self' AND replaced_by_import IS NULL AND import_id IN {LIVE}
                      AND import_id <> ? AND service_id IN (SELECT unnest(?))""",
                            [import_id, info.round_id, import_id, dropped])
        cal = _calendar(cur, info, iid)
        stamp = now()
        late = cal.deadline is not None and clock.local_date(stamp) > cal.deadline
        submission_id = next_id(cur, "form_submissions", "submission_id")
        event_id = apply_transition(cur, actor, info.round_id, iid, "submitted", None,
                                    extra={"submission_id": submission_id, "import_id": import_id, "late": late,
                                           "deadline": str(cal.deadline) if cal.deadline else None})
        cur.execute("INSERT INTO form_submissions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [submission_id, info.round_id, iid, import_id, stamp, actor.name, cal.deadline, late,
                     to_json(snapshot(d)), event_id])
        cur.execute("UPDATE form_flags SET resolved_at = ?, resolved_by = ? WHERE round_id = ? AND institution_id = ? "
                    "AND resolved_at IS NULL", [stamp, actor.name, info.round_id, iid])
        return submission_id


def submissions(st, actor: Actor, institution_id: int, label: str | None = None) -> pd.DataFrame:
    """The institution's form submissions, newest first, with the review state each round has now."""
    _check_read(actor, institution_id)
    where, params = "s.institution_id = ?", [int(institution_id)]
    if label is not None:
        where += " AND r.label = ?"
        params.append(str(label))
    return st.df(f"""
        SELECT s.submission_id, r.label AS round, s."at", s.actor, s.import_id, s.deadline, s.late, v.state,
               v.reason, v.updated_by, v.updated_at
        FROM form_submissions s JOIN rounds r USING (round_id)
             LEFT JOIN review_states v ON v.round_id = s.round_id AND v.institution_id = s.institution_id
        WHERE {where} ORDER BY s.submission_id DESC""", params)


def submission_snapshot(st, actor: Actor, submission_id: int) -> dict:
    row = st.rows("SELECT institution_id, snapshot FROM form_submissions WHERE submission_id = ?", [int(submission_id)])
    if not row:
        raise LookupError(f"no submission {submission_id}")
    _check_read(actor, row[0][0])
    return json.loads(row[0][1])


# -- review: flags and what changed ---------------------------------------------------------------

def flag_answer(st, actor: Actor, label: str, institution_id: int, item_id: int, indicator: int | None,
                comment: str) -> int:
    """An expert marks one answer (or a whole service, ``indicator=None``) with a comment for the respondent."""
    require(actor, "expert", "flag an answer")
    comment = _clean_text(comment)
    if not comment:
        raise CollectionError("flag_needs_comment")
    iid = int(institution_id)
    with st.transaction() as cur:
        info = _collecting(cur, label)
        row = _item_row(cur, item_id)
        if row[1] != info.round_id or row[2] != iid:
            raise LookupError(f"item {item_id} is not in this institution's form")
        state = cur.execute("SELECT state FROM review_states WHERE round_id = ? AND institution_id = ?",
                            [info.round_id, iid]).fetchone()
        if state is None or state[0] not in ("submitted", "under_review"):
            raise CollectionError("flag_not_under_review")
        sub = cur.execute("SELECT max(submission_id) FROM form_submissions WHERE round_id = ? AND institution_id = ?",
                          [info.round_id, iid]).fetchone()[0]
        flag_id = next_id(cur, "form_flags", "flag_id")
        cur.execute("INSERT INTO form_flags VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
                    [flag_id, info.round_id, iid, sub, int(item_id), None if indicator is None else int(indicator),
                     comment, now(), actor.name])
        record_event(cur, actor, "flag_answer", round_id=info.round_id, institution_id=iid, reason=comment,
                     detail={"flag_id": flag_id, "item_id": int(item_id), "indicator": indicator})
        return flag_id


def resolve_flag(st, actor: Actor, flag_id: int) -> None:
    require(actor, "expert", "resolve a flag")
    with st.transaction() as cur:
        row = cur.execute("SELECT round_id, institution_id FROM form_flags WHERE flag_id = ? AND resolved_at IS NULL",
                          [int(flag_id)]).fetchone()
        if row is None:
            raise LookupError(f"no open flag {flag_id}")
        cur.execute("UPDATE form_flags SET resolved_at = ?, resolved_by = ? WHERE flag_id = ?",
                    [now(), actor.name, int(flag_id)])
        record_event(cur, actor, "resolve_flag", round_id=row[0], institution_id=row[1], detail={"flag_id": flag_id})


def flags(st, actor: Actor, label: str, institution_id: int, open_only: bool = False) -> pd.DataFrame:
    """Reviewers' flags on the institution's answers in the round, newest first."""
    _check_read(actor, institution_id)
    extra = " AND f.resolved_at IS NULL" if open_only else ""
    return st.df(f"""
        SELECT f.flag_id, f.item_id, i.code, i.name, f.indicator, f.comment, f."at", f.actor, f.submission_id,
               f.resolved_at, f.resolved_by
        FROM form_flags f JOIN rounds r USING (round_id) JOIN form_items i ON i.item_id = f.item_id
        WHERE r.label = ? AND f.institution_id = ?{extra} ORDER BY f.flag_id DESC""",
                 [str(label), int(institution_id)])


def returned_flags(st, actor: Actor, label: str, institution_id: int) -> pd.DataFrame:
    """The flags of the submission the reviewers last returned (what the respondent has to look at)."""
    _check_read(actor, institution_id)
    return st.df("""
        SELECT f.flag_id, f.item_id, i.code, i.name, f.indicator, f.comment, f."at", f.actor
        FROM form_flags f JOIN rounds r USING (round_id) JOIN form_items i ON i.item_id = f.item_id
        WHERE r.label = ? AND f.institution_id = ? AND f.submission_id = (
            SELECT max(submission_id) FROM form_submissions s WHERE s.round_id = f.round_id
              AND s.institution_id = f.institution_id)
        ORDER BY i.code, f.indicator""", [str(label), int(institution_id)])


def review_changes(st, actor: Actor, label: str, institution_id: int) -> pd.DataFrame:
    """Per service and indicator: the last approved round, the previous submission and the latest one.

    One row per answer of the latest submission, with ``since_round`` / ``since_submission``
    marking changes; ``evidence`` and ``comment`` are the respondent's; ``flagged`` counts
    open flags on that answer.
    """
    _check_read(actor, institution_id)
    iid = int(institution_id)
    with st.reading() as cur:
        info = _collecting(cur, label)
        subs = cur.execute("SELECT snapshot FROM form_submissions WHERE round_id = ? AND institution_id = ? "
                           "ORDER BY submission_id DESC LIMIT 2", [info.round_id, iid]).fetchall()
        previous = _previous_answers(cur, info.round_id, iid)
        open_flags = cur.execute("SELECT item_id, indicator FROM form_flags WHERE round_id = ? AND institution_id = ? "
                                 "AND resolved_at IS NULL", [info.round_id, iid]).fetchall()
        names_en = dict(cur.execute("SELECT service_id, name_en FROM services WHERE institution_id = ?",
                                    [iid]).fetchall())
    cols = ["item_id", "service_id", "code", "name", "name_en", "indicator", "last_round", "round_value", "previous_submission",
            "submitted", "since_round", "since_submission", "comment", "evidence", "not_applicable", "flagged"]
    if not subs:
        return pd.DataFrame(columns=cols)
    latest = json.loads(subs[0][0])
    before = {it["item_id"]: it for it in json.loads(subs[1][0])["items"]} if len(subs) > 1 else {}
    flagged: dict[tuple, int] = {}
    for item_id, ind in open_flags:
        flagged[(item_id, ind)] = flagged.get((item_id, ind), 0) + 1
    rows = []
    for it in latest["items"]:
        prev_round = previous.get(it.get("service_id"))
        prior = before.get(it["item_id"])
        for j, value in enumerate(it["answers"]):
            last = prev_round[1][j] if prev_round and j < len(prev_round[1]) else None
            was = prior["answers"][j] if prior and j < len(prior["answers"]) else None
            rows.append({
                "item_id": it["item_id"], "service_id": it.get("service_id"), "code": it["code"], "name": it["name"],
                "name_en": names_en.get(it.get("service_id")),
                "indicator": j + 1, "last_round": last, "round_value": prev_round[0] if prev_round else None,
                "previous_submission": was, "submitted": value,
                "since_round": last is not None and value is not None and last != value,
                "since_submission": prior is not None and was != value,
                "comment": it["comments"][j] if j < len(it["comments"]) else None,
                "evidence": it["evidence"][j] if j < len(it["evidence"]) else None,
                "not_applicable": bool(it.get("not_applicable")),
                "flagged": flagged.get((it["item_id"], j + 1), 0) + flagged.get((it["item_id"], None), 0)})
    return pd.DataFrame(rows, columns=cols)


# -- status of one form, notices for respondents ------------------------------------------------------

@dataclass(frozen=True)
class FormStatus:
    round_label: str
    institution_id: int
    state: str | None  # review state: None, submitted, under_review, returned, approved
    reason: str | None
    state_by: str | None
    state_at: _dt.datetime | None
    calendar: Calendar
    lock: str | None  # why editing is locked now, None when the form is open
    submitter: str | None
    may_submit: bool
    last_submitted: _dt.datetime | None
    late: bool | None
    started: bool

    @property
    def days_left(self) -> int | None:
        d = self.calendar.deadline
        return None if d is None else (d - _today()).days

    @property
    def editable(self) -> bool:
        return self.lock is None


def form_status(st, actor: Actor, label: str, institution_id: int) -> FormStatus:
    iid = int(institution_id)
    _check_read(actor, iid)
    with st.reading() as cur:
        info = _collecting(cur, label)
        state = cur.execute("SELECT state, reason, updated_by, updated_at FROM review_states "
                            "WHERE round_id = ? AND institution_id = ?", [info.round_id, iid]).fetchone()
        last = cur.execute("SELECT \"at\", late FROM form_submissions WHERE round_id = ? AND institution_id = ? "
                           "ORDER BY submission_id DESC LIMIT 1", [info.round_id, iid]).fetchone()
        first_late = cur.execute("SELECT late FROM form_submissions WHERE round_id = ? AND institution_id = ? "
                                 "ORDER BY submission_id LIMIT 1", [info.round_id, iid]).fetchone()
        started = cur.execute("SELECT count(*) FROM form_changes WHERE round_id = ? AND institution_id = ?",
                              [info.round_id, iid]).fetchone()[0] > 0
        who = submitter_of(cur, iid)
        lock = _lock_reason(cur, info, iid)
        try:
            _check_submit(cur, actor, iid)
            may = True
        except (PermissionDenied, CollectionError):
            may = False
        return FormStatus(info.label, iid, state[0] if state else None, state[1] if state else None,
                          state[2] if state else None, state[3] if state else None, _calendar(cur, info, iid), lock,
                          who, may and lock is None, last[0] if last else None,
                          bool(first_late[0]) if first_late else None, started)


def respondent_notices(st, actor: Actor) -> list[dict]:
    """What a respondent must hear about at sign-in: returned forms, and open forms near or past the deadline."""
    if not actor.is_respondent:
        return []
    iid = actor.institution_id
    out = []
    with st.reading() as cur:
        rounds = cur.execute("SELECT r.label FROM rounds r JOIN collection_rounds c USING (round_id) "
                             "WHERE r.status = 'open' ORDER BY r.label DESC").fetchall()
        for (label,) in rounds:
            info = _round(cur, label)
            state = cur.execute("SELECT state, reason, updated_by, updated_at FROM review_states "
                                "WHERE round_id = ? AND institution_id = ?", [info.round_id, iid]).fetchone()
            cal = _calendar(cur, info, iid)
            days = None if cal.deadline is None else (cal.deadline - _today()).days
            if state is not None and state[0] == "returned":
                out.append({"round": label, "kind": "returned", "reason": state[1], "by": state[2], "at": state[3],
                            "days": days})
            elif state is None and days is not None and days <= 7:
                out.append({"round": label, "kind": "due", "reason": None, "by": None, "at": None, "days": days})
    return out


# -- tracker -----------------------------------------------------------------------------------------

def tracker_rows(st, actor: Actor, label: str) -> pd.DataFrame:
    """The store's side of the tracker: one row per expected institution (see ``form.tracker``)."""
    require(actor, "expert", "follow the collection")
    with st.reading() as cur:
        info = _collecting(cur, label)
        rid = info.round_id
        base = cur.execute(f"""
            WITH expected AS (
                SELECT institution_id, count(*) AS expected FROM collection_services WHERE round_id = ?
                GROUP BY institution_id),
            involved AS (
                SELECT institution_id FROM expected
                UNION SELECT institution_id FROM form_items WHERE round_id = ?
                UNION SELECT institution_id FROM form_submissions WHERE round_id = ?),
            done AS (
                SELECT i.institution_id, count(*) FILTER (WHERE i.origin = 'registry' AND (
                    (i.not_applicable AND coalesce(trim(i.na_reason), '') <> '')
                    OR (NOT i.not_applicable AND i.state <> 'carried' AND a.missing = 0))) AS answered
                FROM form_items i JOIN (SELECT item_id, count(*) FILTER (WHERE value IS NULL) AS missing
                                        FROM form_answers GROUP BY item_id) a USING (item_id)
                WHERE i.round_id = ? AND NOT i.withdrawn GROUP BY i.institution_id),
            imported AS (
                SELECT s.institution_id, count(DISTINCT a.service_id) AS answered, min(m."at") AS first_at,
                       max(m."at") AS last_at
                FROM service_answers a JOIN services s USING (service_id) JOIN imports m USING (import_id)
                WHERE a.round_id = ? AND a.source = 'self' AND a.replaced_by_import IS NULL AND a.import_id IN {LIVE}
                  AND a.service_id IN (SELECT service_id FROM collection_services WHERE round_id = ?)
                GROUP BY s.institution_id),
            changes AS (
                SELECT institution_id, max("at") AS last_at FROM form_changes WHERE round_id = ? GROUP BY institution_id),
            subs AS (
                SELECT institution_id, min("at") AS first_at, max("at") AS last_at FROM form_submissions
                WHERE round_id = ? GROUP BY institution_id)
            SELECT v.institution_id, n.name_az, n.name_en, coalesce(e.expected, 0) AS expected,
                   greatest(coalesce(d.answered, 0), coalesce(im.answered, 0)) AS answered, st.state AS review_state,
                   c.last_at IS NOT NULL AS has_activity,
                   im.answered IS NOT NULL AS has_data,
                   greatest(c.last_at, sb.last_at, st.updated_at, im.last_at) AS last_activity,
                   coalesce(sb.first_at, CASE WHEN st.state IS NOT NULL OR im.first_at IS NOT NULL
                                              THEN im.first_at END) AS first_submitted
            FROM involved v JOIN institutions n USING (institution_id)
                 LEFT JOIN expected e USING (institution_id) LEFT JOIN done d USING (institution_id)
                 LEFT JOIN imported im USING (institution_id) LEFT JOIN changes c USING (institution_id)
                 LEFT JOIN subs sb USING (institution_id)
                 LEFT JOIN review_states st ON st.round_id = ? AND st.institution_id = v.institution_id
            ORDER BY v.institution_id""", [rid, rid, rid, rid, rid, rid, rid, rid, rid]).df()
        cals = [_calendar(cur, info, iid) for iid in base["institution_id"]]
    base["deadline"] = [c.deadline for c in cals]
    base["closes"] = [c.closes for c in cals]
    base["extended"] = [c.extended for c in cals]
    return base


def tracker(st, actor: Actor, label: str, on: _dt.date | None = None, lang: str = "az") -> pd.DataFrame:
    """Per expected institution: status, services answered of expected, last activity, deadline, timeliness."""
    from form.tracker import tracker_frame

    return tracker_frame(tracker_rows(st, actor, label), on or _today(), lang)


def reminders(st, actor: Actor, label: str, on: _dt.date | None = None, near_days: int | None = None,
              path=None, lang: str = "az") -> pd.DataFrame:
    """Institutions to remind (not started, or a draft near or past its deadline) with their respondents."""
    from form.tracker import NEAR_DAYS
    from form.tracker import reminders as pick

    frame = tracker(st, actor, label, on, lang)
    return pick(frame, respondents(st, path), NEAR_DAYS if near_days is None else near_days)

"""Sign-in throttling: a growing delay, then a temporary lock-out, per user name and per client.

State lives in the database (``sign_in_throttle``), so every app process
behind a reverse proxy counts the same failures. Two subjects are counted for
each failed attempt: the user name as typed and the client (its IP address).

- **User name**: the first :data:`NAME.free` failures cost nothing; each later
  one makes the next attempt wait ``2ⁿ`` seconds (at most :data:`MAX_DELAY`);
  after :data:`NAME.lock_after` failures the name is locked for
  :data:`LOCK_MINUTES` minutes. A success clears the name's count.
- **Client**: the same with higher thresholds (an office behind one address
  has many people); a success does not clear it, so one valid account cannot
  launder an attacker's guesses at others.

Names that belong to no account are counted exactly like real ones, so the
answers (and their timing) never tell which names exist. Typed names are
stored only as a keyed hash (HMAC-SHA-256 with a per-database key), because
people sometimes type their password into the name field; the readable name
is kept only when it is a real account, so that an administrator can see and
lift its lock-out (Administration page, ``cli.py user unlock NAME``).
A quiet hour (:data:`FORGET_AFTER`) forgets a subject's failures.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

import pandas as pd

from .actors import Actor, require
from .audit import now, record_event
from .errors import StoreError

LOCK_MINUTES = 15
MAX_DELAY = 60  # seconds
FORGET_AFTER = dt.timedelta(hours=1)
SIGN_IN_ACTOR = Actor("sign-in", "viewer")  # who records a lock-out in the audit trail


@dataclass(frozen=True)
class Policy:
    free: int  # failures before any delay
    lock_after: int  # failures that lock the subject


NAME = Policy(free=3, lock_after=10)
CLIENT = Policy(free=10, lock_after=50)
POLICIES = {"name": NAME, "client": CLIENT}


@dataclass(frozen=True)
class Verdict:
    """Whether an attempt may be checked now; ``wait`` seconds until it may, ``locked`` for a lock-out."""

    allowed: bool
    wait: float = 0.0
    locked: bool = False
    subject: str = ""  # "name" or "client": which one stops the attempt

    @property
    def wait_seconds(self) -> int:
        return max(1, int(self.wait + 0.999)) if self.wait > 0 else 0


_KEYS: dict[str, bytes] = {}


def _key(st) -> bytes:
    if st.path not in _KEYS:
        value = st.scalar("SELECT value FROM settings WHERE key = 'throttle_key'")
        _KEYS[st.path] = bytes.fromhex(value)
    return _KEYS[st.path]


def name_subject(st, username: str) -> str:
    """The stored key of a typed user name: a keyed hash, never the text."""
    typed = (username or "").strip().casefold()
    return "name:" + hmac.new(_key(st), typed.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def client_subject(client: str | None) -> str:
    return "client:" + (client or "local")


def delay(failures: int, policy: Policy) -> float:
    """Seconds the next attempt waits after ``failures`` consecutive failures."""
    extra = failures - policy.free
    return 0.0 if extra <= 0 else float(min(2 ** (extra - 1), MAX_DELAY))


def _verdict(row, kind: str, at: dt.datetime) -> Verdict:
    if row is None:
        return Verdict(True)
    failures, last, locked_until = row
    if at - last > FORGET_AFTER:
        return Verdict(True)
    if locked_until is not None and locked_until > at:
        return Verdict(False, (locked_until - at).total_seconds(), True, kind)
    ready = last + dt.timedelta(seconds=delay(failures, POLICIES[kind]))
    if ready > at:
        return Verdict(False, (ready - at).total_seconds(), False, kind)
    return Verdict(True)


def check(st, username: str, client: str | None) -> Verdict:
    """May an attempt for ``username`` from ``client`` be checked now? (Reads only.)"""
    at = now()
    subjects = {"name": name_subject(st, username), "client": client_subject(client)}
    rows = {r[0]: r[1:] for r in st.rows(
        "SELECT subject, failures, last_failure, locked_until FROM sign_in_throttle WHERE subject IN (?, ?)",
        [subjects["name"], subjects["client"]])}
    verdicts = [_verdict(rows.get(subjects[k]), k, at) for k in ("name", "client")]
    refused = [v for v in verdicts if not v.allowed]
    return max(refused, key=lambda v: v.wait) if refused else Verdict(True)


def record_failure(st, username: str, client: str | None, account: str | None) -> Verdict:
    """Count a failed attempt for the name and the client; returns what the next attempt faces.

    ``account`` is the account name when ``username`` names a real account
    (kept readable for the administrator), else None.
    """
    at = now()
    out = []
    with st.transaction() as cur:
        for kind, subject in (("name", name_subject(st, username)), ("client", client_subject(client))):
            row = cur.execute("SELECT failures, first_failure, last_failure FROM sign_in_throttle WHERE subject = ?",
                              [subject]).fetchone()
            fresh = row is None or at - row[2] > FORGET_AFTER
            failures = 1 if fresh else row[0] + 1
            policy = POLICIES[kind]
            locked_until = at + dt.timedelta(minutes=LOCK_MINUTES) if failures >= policy.lock_after else None
            label = account if kind == "name" else None
            cur.execute("DELETE FROM sign_in_throttle WHERE subject = ?", [subject])
            cur.execute("INSERT INTO sign_in_throttle VALUES (?, ?, ?, ?, ?, ?)",
                        [subject, label, failures, at if fresh else row[1], at, locked_until])
            if failures == policy.lock_after:
                who = label if kind == "name" else (client or "local")
                record_event(cur, SIGN_IN_ACTOR, "sign_in_locked",
                             detail={"subject": kind, "who": who or "?", "minutes": LOCK_MINUTES})
            out.append(_verdict((failures, at, locked_until), kind, at))
    refused = [v for v in out if not v.allowed]
    return max(refused, key=lambda v: v.wait) if refused else Verdict(True)


def record_success(st, username: str) -> None:
    """A correct password clears the name's failures (not the client's)."""
    with st.transaction() as cur:
        cur.execute("DELETE FROM sign_in_throttle WHERE subject = ?", [name_subject(st, username)])


def unlock(st, actor: Actor, *, username: str | None = None, client: str | None = None,
           subject: str | None = None, reason: str | None = None) -> int:
    """Lift the delay and lock-out of a user name, a client or a listed subject (admin only).

    Returns how many subjects were cleared (0 when nothing was held).
    """
    require(actor, "admin", "lift a sign-in lock-out")
    subjects = [s for s in (name_subject(st, username) if username else None,
                            client_subject(client) if client else None, subject) if s]
    if not subjects:
        raise StoreError("store.account.unlock_whom")
    with st.transaction() as cur:
        n = cur.execute("SELECT count(*) FROM sign_in_throttle WHERE subject IN (SELECT unnest(?))",
                        [subjects]).fetchone()[0]
        cur.execute("DELETE FROM sign_in_throttle WHERE subject IN (SELECT unnest(?))", [subjects])
        record_event(cur, actor, "sign_in_unlock", detail={"who": username, "client": client, "cleared": int(n)},
                     reason=reason)
    return int(n)


def held(st) -> pd.DataFrame:
    """Subjects that are delayed or locked now: kind, who (account, client address or unknown), failures, until."""
    at = now()
    rows = []
    for subject, account, failures, last, locked_until in st.rows(
            "SELECT subject, account, failures, last_failure, locked_until FROM sign_in_throttle ORDER BY last_failure DESC"):
        kind = subject.split(":", 1)[0]
        v = _verdict((failures, last, locked_until), kind, at)
        if v.allowed:
            continue
        who = subject.split(":", 1)[1] if kind == "client" else account
        rows.append({"kind": kind, "who": who, "failures": failures, "locked": v.locked,
                     "until": at + dt.timedelta(seconds=v.wait), "subject": subject})
    return pd.DataFrame(rows, columns=["kind", "who", "failures", "locked", "until", "subject"])

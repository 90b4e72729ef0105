"""Who may sign in: local accounts in a secrets file, and roles by e-mail for single sign-on.

Local accounts live in ``$EGOV_SECRETS`` (default ``.streamlit/secrets.toml``)
as ``[accounts.<username>]`` tables with ``name``, ``role`` and
``password_hash`` (argon2id; bcrypt hashes ``$2…`` are accepted when the
``bcrypt`` package is present); a respondent's table also holds the
``institution_id`` it answers for. A clear-text password is never written, logged
or kept: it goes straight into the hasher. The file is written by a small TOML
writer that keeps every other section of the file as it was.

With an OIDC provider configured (``[auth]`` in the secrets), people are
identified by e-mail and the ``roles`` table maps e-mails to roles (and a
respondent's e-mail to its institution); changing it is an administrator's
write and leaves a ``role_change`` event.

Every change of a local account (:func:`change_account`: add, password, role,
remove, unlock) is an administrator's act with a reason, recorded in the audit
trail (``account_add`` …) in the same transaction as the file is rewritten.
A respondent's account also holds its institution (``institution_id``).
The file is rewritten under an exclusive lock (the command line and several
app processes may change it at once) and created readable by its owner only
(mode 0600) from its first byte. :func:`sign_in` checks a password with the
throttling of :mod:`store.throttle`; a user name that belongs to no account
costs the same argon2 verification as a wrong password, so timing does not
tell which names exist.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import secrets
import threading
import tomllib
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from .actors import ROLES, Actor, require
from .audit import now, record_event
from .errors import StoreError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRETS = ROOT / ".streamlit" / "secrets.toml"
USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{2,64}$")
MIN_PASSWORD = 8
_HASHER = PasswordHasher()


class AccountError(StoreError):
    """A bad username, role or password, or an unknown account (a catalogue text, in the reader's language)."""


def secrets_path() -> Path:
    return Path(os.environ.get("EGOV_SECRETS") or DEFAULT_SECRETS)


def _read(path: Path) -> dict:
    if not path.exists():
        return {}
    with path.open("rb") as fh:
        return tomllib.load(fh)


def accounts(path: Path | None = None) -> dict[str, dict]:
    """``{username: {name, role, password_hash}}`` from the secrets file."""
    data = _read(path or secrets_path()).get("accounts", {})
    return {u: dict(v) for u, v in data.items() if isinstance(v, dict)}


def list_accounts(path: Path | None = None) -> list[tuple[str, str, str]]:
    """(username, name, role) per account, no hashes."""
    return [(u, a.get("name", u), a.get("role", "viewer")) for u, a in sorted(accounts(path).items())]


def respondent_accounts(path: Path | None = None) -> list[tuple[str, str, int | None]]:
    """(username, name, institution id) of every local respondent account."""
    return [(u, a.get("name", u), _institution_of(a)) for u, a in sorted(accounts(path).items())
            if a.get("role") == "respondent"]


def _institution_of(account: dict) -> int | None:
    value = account.get("institution_id")
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else None


# -- the TOML writer -----------------------------------------------------------

def _q(value: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for ch in str(value):
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _strip_accounts(text: str) -> str:
    """The file without its ``[accounts.*]`` tables (every other line kept as written)."""
    keep, skipping = [], False
    for line in text.splitlines():
        head = line.strip()
        if head.startswith("[") and not head.startswith("[["):
            skipping = head.startswith("[accounts.") or head == "[accounts]"
        if not skipping:
            keep.append(line)
    return "\n".join(keep).rstrip()


def _render(table: dict[str, dict]) -> str:
    blocks = []
    for user in sorted(table):
        a = table[user]
        extra = f"institution_id = {int(a['institution_id'])}\n" if a.get("institution_id") is not None else ""
        blocks.append(f"[accounts.{_q(user)}]\nname = {_q(a.get('name', user))}\nrole = {_q(a['role'])}\n"
                      f"{extra}password_hash = {_q(a['password_hash'])}\n")
    return "\n".join(blocks)


def _write(table: dict[str, dict], path: Path) -> None:
    rest = _strip_accounts(path.read_text(encoding="utf-8")) if path.exists() else ""
    text = (rest + "\n\n" if rest else "") + _render(table)
    tomllib.loads(text)  # never leave an unreadable file behind
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    # Created 0600 by the open itself: no moment where the hashes are world-readable.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


_LOCAL_LOCK = threading.Lock()


@contextlib.contextmanager
def _locked(path: Path):
    """Exclusive use of the secrets file for a read-modify-write (threads and processes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        with _LOCAL_LOCK:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


# -- account management ----------------------------------------------------------

def _check(username: str, role: str | None = None, password: str | None = None,
           institution_id: int | None = None) -> None:
    if not USERNAME.match(username or ""):
        raise AccountError("store.account.username_form")
    if role is not None and role not in ROLES:
        raise AccountError("store.account.unknown_role", role=role, known=", ".join(ROLES))
    if role == "respondent" and institution_id is None:
        raise AccountError("store.account.respondent_institution")
    if role is not None and role != "respondent" and institution_id is not None:
        raise AccountError("store.account.institution_only_respondents")
    if password is not None and len(password) < MIN_PASSWORD:
        raise AccountError("store.account.password_short", n=MIN_PASSWORD)


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def add_account(username: str, password: str, role: str, name: str | None = None, path: Path | None = None,
                institution_id: int | None = None) -> None:
    """Create (or replace) a local account; stores only the argon2 hash (and a respondent's institution)."""
    _check(username, role, password, institution_id)
    path = path or secrets_path()
    hashed = hash_password(password)
    with _locked(path):
        table = accounts(path)
        table[username] = {"name": name or username, "role": role, "password_hash": hashed}
        if institution_id is not None:
            table[username]["institution_id"] = int(institution_id)
        _write(table, path)


def set_password(username: str, password: str, path: Path | None = None) -> None:
    _check(username, None, password)
    path = path or secrets_path()
    hashed = hash_password(password)
    with _locked(path):
        table = accounts(path)
        if username not in table:
            raise AccountError("store.account.missing", user=username)
        table[username]["password_hash"] = hashed
        _write(table, path)


def set_account_role(username: str, role: str, path: Path | None = None, institution_id: int | None = None) -> str:
    """Change a local account's role (a respondent's with its institution); returns the previous role."""
    _check(username, role, None, institution_id)
    path = path or secrets_path()
    with _locked(path):
        table = accounts(path)
        if username not in table:
            raise AccountError("store.account.missing", user=username)
        old = table[username].get("role", "viewer")
        table[username]["role"] = role
        table[username].pop("institution_id", None)
        if institution_id is not None:
            table[username]["institution_id"] = int(institution_id)
        _write(table, path)
    return old


def remove_account(username: str, path: Path | None = None) -> None:
    path = path or secrets_path()
    with _locked(path):
        table = accounts(path)
        if username not in table:
            raise AccountError("store.account.missing", user=username)
        del table[username]
        _write(table, path)


ACCOUNT_ACTIONS = ("add", "passwd", "role", "remove", "unlock")


def change_account(st, actor: Actor, action: str, username: str, *, password: str | None = None,
                   role: str | None = None, name: str | None = None, reason: str | None = None,
                   path: Path | None = None, institution_id: int | None = None) -> int:
    """Change a local account as an administrator and record it in the audit trail; returns the event id.

    ``action`` is one of :data:`ACCOUNT_ACTIONS`. The event (``account_add``,
    ``account_password``, ``account_role``, ``account_remove``,
    ``sign_in_unlock``) names the account, the roles before and after, and
    the reason; never a password or a hash. The file changes inside the
    event's transaction: if either fails, neither happens. A respondent
    (``add`` or ``role``) needs ``institution_id``; the event names it too.
    """
    from . import throttle

    require(actor, "admin", "change accounts")
    if action not in ACCOUNT_ACTIONS:
        raise AccountError("store.account.unknown_action", action=action, known=", ".join(ACCOUNT_ACTIONS))
    if action == "unlock":
        throttle.unlock(st, actor, username=username, reason=reason)
        return int(st.scalar("SELECT max(event_id) FROM events"))
    path = path or secrets_path()
    old = accounts(path).get(username)
    old_role = old.get("role", "viewer") if old else None
    if action != "add" and old is None:
        raise AccountError("store.account.missing", user=username)
    sets_role = action in ("add", "role")
    if not sets_role:
        institution_id = None
    _check(username, role if sets_role else None, password if action in ("add", "passwd") else None,
           institution_id)
    detail = {"who": username, "from": old_role,
              "to": {"add": role, "role": role, "remove": None, "passwd": old_role}[action]}
    if institution_id is not None:
        detail["institution"] = int(institution_id)
    if action == "add":
        detail["name"] = name or username
        detail["replaced"] = old is not None
    event = {"add": "account_add", "passwd": "account_password", "role": "account_role",
             "remove": "account_remove"}[action]
    with st.transaction() as cur:
        event_id = record_event(cur, actor, event, detail=detail, reason=reason, institution_id=institution_id)
        if action == "add":
            add_account(username, password, role, name, path, institution_id=institution_id)
        elif action == "passwd":
            set_password(username, password, path)
        elif action == "role":
            set_account_role(username, role, path, institution_id=institution_id)
        else:
            remove_account(username, path)
    if action in ("passwd", "add"):
        throttle.record_success(st, username)  # a new password starts with a clean slate
    return event_id


def _verify(stored: str, password: str) -> bool:
    if stored.startswith("$2"):
        try:
            import bcrypt
        except ImportError:
            return False
        return bcrypt.checkpw(password.encode(), stored.encode())
    try:
        return _HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


_DUMMY: list[str] = []


def _dummy_hash() -> str:
    """A hash of a random password with the current parameters: what an unknown name is checked against."""
    if not _DUMMY:
        _DUMMY.append(hash_password(secrets.token_urlsafe(24)))
    return _DUMMY[0]


def authenticate(username: str, password: str, path: Path | None = None) -> Actor | None:
    """The account's :class:`Actor` when the password matches, else None.

    A name without an account, an empty password or an unusable stored hash
    is still checked against a dummy hash, so every refusal costs the same.
    """
    dummy = _dummy_hash()
    account = accounts(path).get((username or "").strip())
    stored = account.get("password_hash") if account else None
    if not (account and password and stored and stored.startswith(("$argon2", "$2"))):
        _verify(dummy, password or "")
        return None
    if not _verify(stored, password):
        return None
    role = account.get("role", "viewer")
    if role == "respondent":
        iid = _institution_of(account)
        # A respondent without an institution cannot be scoped: no sign-in rather than wider rights.
        return None if iid is None else Actor(name=username.strip(), role=role, institution_id=iid)
    return Actor(name=username.strip(), role=role if role in ROLES else "viewer")


def account_stamp(username: str, path: Path | None = None) -> str | None:
    """A short fingerprint of an account's role, institution and password hash: it changes when any does.

    The app keeps it at sign-in and compares it on every rerun (see ``ui.auth.refresh``).
    """
    account = accounts(path).get((username or "").strip())
    if not account:
        return None
    raw = f"{account.get('role', 'viewer')}\x1f{account.get('password_hash', '')}"
    if _institution_of(account) is not None:  # a respondent moved to another institution signs in again
        raw += f"\x1f{_institution_of(account)}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def sign_in(st, username: str, password: str, client: str | None = None, path: Path | None = None):
    """Check a password under throttling; returns ``(actor or None, verdict)``.

    A refused verdict means the attempt was not even checked (too many recent
    failures for this name or this client): ask again after ``verdict.wait``.
    """
    from . import throttle

    verdict = throttle.check(st, username, client)
    if not verdict.allowed:
        return None, verdict
    actor = authenticate(username, password, path)
    if actor is None:
        known = (username or "").strip()
        account = known if known in accounts(path) else None
        return None, throttle.record_failure(st, username, client, account)
    throttle.record_success(st, username)
    return actor, verdict


# -- roles by e-mail (single sign-on) -------------------------------------------------

def role_for_email(st, email: str | None) -> str | None:
    if not email:
        return None
    return st.scalar("SELECT role FROM roles WHERE lower(email) = lower(?)", [email.strip()])


def identity_for_email(st, email: str | None) -> tuple[str, int | None] | None:
    """(role, institution id) mapped to an e-mail, or None when it has no entry."""
    if not email:
        return None
    rows = st.rows("SELECT role, institution_id FROM roles WHERE lower(email) = lower(?)", [email.strip()])
    return (rows[0][0], rows[0][1]) if rows else None


def set_role(st, actor: Actor, email: str, role: str | None, name: str | None = None,
             reason: str | None = None, institution_id: int | None = None) -> int:
    """Give an e-mail a role (``None`` removes it); a respondent also its institution. Admin only; returns the event id."""
    require(actor, "admin", "change roles")
    email = (email or "").strip().lower()
    if "@" not in email:
        raise AccountError("store.account.email_needed")
    if role is not None and role not in ROLES:
        raise AccountError("store.account.unknown_role", role=role, known=", ".join(ROLES))
    if role == "respondent" and institution_id is None:
        raise AccountError("store.account.respondent_institution")
    if role != "respondent":
        institution_id = None
    with st.transaction() as cur:
        if institution_id is not None and not cur.execute(
                "SELECT count(*) FROM institutions WHERE institution_id = ?", [int(institution_id)]).fetchone()[0]:
            raise AccountError("store.account.no_institution", id=institution_id)
        row = cur.execute("SELECT role, institution_id FROM roles WHERE email = ?", [email]).fetchone()
        old = row[0] if row else None
        cur.execute("DELETE FROM roles WHERE email = ?", [email])
        if role is not None:
            cur.execute("INSERT INTO roles (email, role, name, updated_at, updated_by, institution_id) "
                        "VALUES (?, ?, ?, ?, ?, ?)", [email, role, name, now(), actor.name, institution_id])
        detail = {"who": email, "from": old, "to": role}
        if institution_id is not None or (row and row[1] is not None):
            detail.update(institution_from=row[1] if row else None, institution_to=institution_id)
        return record_event(cur, actor, "role_change", institution_id=institution_id, detail=detail, reason=reason)


def roles_table(st):
    return st.df("SELECT email, role, name, institution_id, updated_at, updated_by FROM roles ORDER BY email")

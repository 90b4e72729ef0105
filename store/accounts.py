"""Who may sign in: local accounts in a secrets file, and roles by e-mail for single sign-on.

Local accounts live in ``$EGOV_SECRETS`` (default ``.streamlit/secrets.toml``)
as ``[accounts.<username>]`` tables with ``name``, ``role`` and
``password_hash`` (argon2id; bcrypt hashes ``$2…`` are accepted when the
``bcrypt`` package is present). A clear-text password is never written, logged
or kept: it goes straight into the hasher. The file is written by a small TOML
writer that keeps every other section of the file as it was.

With an OIDC provider configured (``[auth]`` in the secrets), people are
identified by e-mail and the ``roles`` table maps e-mails to roles; changing it
is an administrator's write and leaves a ``role_change`` event.

Every change of a local account (:func:`change_account`: add, password, role,
remove, unlock) is an administrator's act with a reason, recorded in the audit
trail (``account_add`` …) in the same transaction as the file is rewritten.
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
        blocks.append(f"[accounts.{_q(user)}]\nname = {_q(a.get('name', user))}\nrole = {_q(a['role'])}\n"
                      f"password_hash = {_q(a['password_hash'])}\n")
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

def _check(username: str, role: str | None = None, password: str | None = None) -> None:
    if not USERNAME.match(username or ""):
        raise AccountError("store.account.username_form")
    if role is not None and role not in ROLES:
        raise AccountError("store.account.unknown_role", role=role, known=", ".join(ROLES))
    if password is not None and len(password) < MIN_PASSWORD:
        raise AccountError("store.account.password_short", n=MIN_PASSWORD)


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def add_account(username: str, password: str, role: str, name: str | None = None, path: Path | None = None) -> None:
    """Create (or replace) a local account; stores only the argon2 hash."""
    _check(username, role, password)
    path = path or secrets_path()
    hashed = hash_password(password)
    with _locked(path):
        table = accounts(path)
        table[username] = {"name": name or username, "role": role, "password_hash": hashed}
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


def set_account_role(username: str, role: str, path: Path | None = None) -> str:
    """Change a local account's role; returns the previous one."""
    _check(username, role)
    path = path or secrets_path()
    with _locked(path):
        table = accounts(path)
        if username not in table:
            raise AccountError("store.account.missing", user=username)
        old = table[username].get("role", "viewer")
        table[username]["role"] = role
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
                   path: Path | None = None) -> int:
    """Change a local account as an administrator and record it in the audit trail; returns the event id.

    ``action`` is one of :data:`ACCOUNT_ACTIONS`. The event (``account_add``,
    ``account_password``, ``account_role``, ``account_remove``,
    ``sign_in_unlock``) names the account, the roles before and after, and
    the reason; never a password or a hash. The file changes inside the
    event's transaction: if either fails, neither happens.
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
    _check(username, role if action in ("add", "role") else None, password if action in ("add", "passwd") else None)
    detail = {"who": username, "from": old_role,
              "to": {"add": role, "role": role, "remove": None, "passwd": old_role}[action]}
    if action == "add":
        detail["name"] = name or username
        detail["replaced"] = old is not None
    event = {"add": "account_add", "passwd": "account_password", "role": "account_role",
             "remove": "account_remove"}[action]
    with st.transaction() as cur:
        event_id = record_event(cur, actor, event, detail=detail, reason=reason)
        if action == "add":
            add_account(username, password, role, name, path)
        elif action == "passwd":
            set_password(username, password, path)
        elif action == "role":
            set_account_role(username, role, path)
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
    return Actor(name=username.strip(), role=role if role in ROLES else "viewer")


def account_stamp(username: str, path: Path | None = None) -> str | None:
    """A short fingerprint of an account's role and password hash: it changes when either does.

    The app keeps it at sign-in and compares it on every rerun (see ``ui.auth.refresh``).
    """
    account = accounts(path).get((username or "").strip())
    if not account:
        return None
    raw = f"{account.get('role', 'viewer')}\x1f{account.get('password_hash', '')}"
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


def set_role(st, actor: Actor, email: str, role: str | None, name: str | None = None,
             reason: str | None = None) -> int:
    """Give an e-mail a role (``None`` removes it). Admin only; returns the event id."""
    require(actor, "admin", "change roles")
    email = (email or "").strip().lower()
    if "@" not in email:
        raise AccountError("store.account.email_needed")
    if role is not None and role not in ROLES:
        raise AccountError("store.account.unknown_role", role=role, known=", ".join(ROLES))
    with st.transaction() as cur:
        row = cur.execute("SELECT role FROM roles WHERE email = ?", [email]).fetchone()
        old = row[0] if row else None
        cur.execute("DELETE FROM roles WHERE email = ?", [email])
        if role is not None:
            cur.execute("INSERT INTO roles VALUES (?, ?, ?, ?, ?)", [email, role, name, now(), actor.name])
        return record_event(cur, actor, "role_change", detail={"who": email, "from": old, "to": role}, reason=reason)


def roles_table(st):
    return st.df("SELECT email, role, name, updated_at, updated_by FROM roles ORDER BY email")

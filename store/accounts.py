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
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from .actors import ROLES, Actor, require
from .audit import now, record_event

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRETS = ROOT / ".streamlit" / "secrets.toml"
USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{2,64}$")
MIN_PASSWORD = 8
_HASHER = PasswordHasher()


class AccountError(ValueError):
    """A bad username, role or password, or an unknown account."""


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
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.chmod(tmp, 0o600)
    tmp.replace(path)


# -- account management ----------------------------------------------------------

def _check(username: str, role: str | None = None, password: str | None = None) -> None:
    if not USERNAME.match(username or ""):
        raise AccountError("a username is 2–64 letters, digits or . _ @ -")
    if role is not None and role not in ROLES:
        raise AccountError(f"unknown role {role!r}; known: {', '.join(ROLES)}")
    if password is not None and len(password) < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def add_account(username: str, password: str, role: str, name: str | None = None, path: Path | None = None) -> None:
    """Create (or replace) a local account; stores only the argon2 hash."""
    _check(username, role, password)
    path = path or secrets_path()
    table = accounts(path)
    table[username] = {"name": name or username, "role": role, "password_hash": hash_password(password)}
    _write(table, path)


def set_password(username: str, password: str, path: Path | None = None) -> None:
    _check(username, None, password)
    path = path or secrets_path()
    table = accounts(path)
    if username not in table:
        raise AccountError(f"no account {username!r}")
    table[username]["password_hash"] = hash_password(password)
    _write(table, path)


def set_account_role(username: str, role: str, path: Path | None = None) -> str:
    """Change a local account's role; returns the previous one."""
    _check(username, role)
    path = path or secrets_path()
    table = accounts(path)
    if username not in table:
        raise AccountError(f"no account {username!r}")
    old = table[username].get("role", "viewer")
    table[username]["role"] = role
    _write(table, path)
    return old


def remove_account(username: str, path: Path | None = None) -> None:
    path = path or secrets_path()
    table = accounts(path)
    if username not in table:
        raise AccountError(f"no account {username!r}")
    del table[username]
    _write(table, path)


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


def authenticate(username: str, password: str, path: Path | None = None) -> Actor | None:
    """The account's :class:`Actor` when the password matches, else None."""
    account = accounts(path).get((username or "").strip())
    if not account or not password or not account.get("password_hash"):
        return None
    if not _verify(account["password_hash"], password):
        return None
    role = account.get("role", "viewer")
    return Actor(name=username.strip(), role=role if role in ROLES else "viewer")


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
        raise AccountError("an e-mail address is needed")
    if role is not None and role not in ROLES:
        raise AccountError(f"unknown role {role!r}")
    with st.transaction() as cur:
        row = cur.execute("SELECT role FROM roles WHERE email = ?", [email]).fetchone()
        old = row[0] if row else None
        cur.execute("DELETE FROM roles WHERE email = ?", [email])
        if role is not None:
            cur.execute("INSERT INTO roles VALUES (?, ?, ?, ?, ?)", [email, role, name, now(), actor.name])
        return record_event(cur, actor, "role_change", detail={"who": email, "from": old, "to": role}, reason=reason)


def record_account_change(st, actor: Actor, username: str, old: str | None, new: str | None,
                          reason: str | None = None) -> int:
    """Audit a local-account change made outside the database (the command line)."""
    require(actor, "admin", "change accounts")
    with st.transaction() as cur:
        return record_event(cur, actor, "role_change", detail={"who": username, "from": old, "to": new},
                            reason=reason)


def roles_table(st):
    return st.df("SELECT email, role, name, updated_at, updated_by FROM roles ORDER BY email")

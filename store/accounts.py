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
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.chmod(tmp, 0o600)
    tmp.replace(path)


# -- account management ----------------------------------------------------------

def _check(username: str, role: str | None = None, password: str | None = None,
           institution_id: int | None = None) -> None:
    if not USERNAME.match(username or ""):
        raise AccountError("a username is 2–64 letters, digits or . _ @ -")
    if role is not None and role not in ROLES:
        raise AccountError(f"unknown role {role!r}; known: {', '.join(ROLES)}")
    if role == "respondent" and institution_id is None:
        raise AccountError("a respondent answers for one institution: name it (--institution)")
    if role is not None and role != "respondent" and institution_id is not None:
        raise AccountError("only respondents are tied to an institution")
    if password is not None and len(password) < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def add_account(username: str, password: str, role: str, name: str | None = None, path: Path | None = None,
                institution_id: int | None = None) -> None:
    """Create (or replace) a local account; stores only the argon2 hash (and a respondent's institution)."""
    _check(username, role, password, institution_id)
    path = path or secrets_path()
    table = accounts(path)
    table[username] = {"name": name or username, "role": role, "password_hash": hash_password(password)}
    if institution_id is not None:
        table[username]["institution_id"] = int(institution_id)
    _write(table, path)


def set_password(username: str, password: str, path: Path | None = None) -> None:
    _check(username, None, password)
    path = path or secrets_path()
    table = accounts(path)
    if username not in table:
        raise AccountError(f"no account {username!r}")
    table[username]["password_hash"] = hash_password(password)
    _write(table, path)


def set_account_role(username: str, role: str, path: Path | None = None, institution_id: int | None = None) -> str:
    """Change a local account's role (a respondent's with its institution); returns the previous role."""
    _check(username, role, None, institution_id)
    path = path or secrets_path()
    table = accounts(path)
    if username not in table:
        raise AccountError(f"no account {username!r}")
    old = table[username].get("role", "viewer")
    table[username]["role"] = role
    table[username].pop("institution_id", None)
    if institution_id is not None:
        table[username]["institution_id"] = int(institution_id)
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
    if role == "respondent":
        iid = _institution_of(account)
        # A respondent without an institution cannot be scoped: no sign-in rather than wider rights.
        return None if iid is None else Actor(name=username.strip(), role=role, institution_id=iid)
    return Actor(name=username.strip(), role=role if role in ROLES else "viewer")


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
        raise AccountError("an e-mail address is needed")
    if role is not None and role not in ROLES:
        raise AccountError(f"unknown role {role!r}")
    if role == "respondent" and institution_id is None:
        raise AccountError("a respondent answers for one institution: choose it")
    if role != "respondent":
        institution_id = None
    with st.transaction() as cur:
        if institution_id is not None and not cur.execute(
                "SELECT count(*) FROM institutions WHERE institution_id = ?", [int(institution_id)]).fetchone()[0]:
            raise AccountError(f"no institution {institution_id}")
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


def record_account_change(st, actor: Actor, username: str, old: str | None, new: str | None,
                          reason: str | None = None) -> int:
    """Audit a local-account change made outside the database (the command line)."""
    require(actor, "admin", "change accounts")
    with st.transaction() as cur:
        return record_event(cur, actor, "role_change", detail={"who": username, "from": old, "to": new},
                            reason=reason)


def roles_table(st):
    return st.df("SELECT email, role, name, institution_id, updated_at, updated_by FROM roles ORDER BY email")

"""Local accounts: ``user add|passwd|role|remove|list``."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from . import EXIT_FAIL, EXIT_OK, EXIT_USAGE, actor, add_as, is_nonempty_db, open_db


def _read_password(args) -> str:
    """From stdin with ``--password-stdin`` (scripts), else asked twice without echo; never from argv."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("password: ")
    if first != getpass.getpass("again: "):
        raise SystemExit("the two passwords differ; nothing changed")
    return first


def _audit_account(args, username: str, old: str | None, new: str | None) -> None:
    """Leave a role_change event in the database when there is one (accounts live in the secrets file)."""
    from store.accounts import record_account_change
    from store.db import MEMORY, resolve_path

    path = resolve_path(args.db)
    if path == MEMORY or not is_nonempty_db(path):
        return
    with open_db(args) as st:
        record_account_change(st, actor(args), username, old, new, reason=args.reason)


def _institution(args) -> int | None:
    """A respondent's institution, named with ``--institution`` and looked up in the database's registry."""
    if args.role != "respondent":
        if args.institution:
            raise SystemExit("--institution is for respondents (--role respondent)")
        return None
    if not args.institution:
        raise SystemExit("a respondent answers for one institution: add --institution \"NAME\"")
    from .collection import resolve_institution

    with open_db(args) as st:
        return resolve_institution(st, args.institution)


def _submitter(args, institution_id: int | None) -> None:
    """Name the respondent its institution's submitter (``--submitter``, or when the institution has none)."""
    if institution_id is None:
        return
    from store import collection

    with open_db(args) as st:
        if args.submitter:
            collection.set_submitter(st, actor(args), institution_id, args.username, reason=args.reason)
        elif collection.ensure_submitter(st, actor(args), institution_id, args.username):
            print(f"{args.username}: named the submitter of institution {institution_id} (the first respondent)")


def cmd_user(args) -> int:
    from store import accounts as acc

    path = Path(args.secrets) if args.secrets else None
    try:
        if args.action == "list":
            rows = acc.list_accounts(path)
            places = {u: i for u, _, i in acc.respondent_accounts(path)}
            for user, name, role in rows:
                where = f"\tinstitution {places[user]}" if user in places else ""
                print(f"{user}\t{role}\t{name}{where}")
            if not rows:
                print(f"no accounts in {path or acc.secrets_path()}")
            return EXIT_OK
        if not args.username:
            print("user add|passwd|role|remove needs a USERNAME", file=sys.stderr)
            return EXIT_USAGE
        old = dict((u, r) for u, _, r in acc.list_accounts(path)).get(args.username)
        if args.action == "add":
            iid = _institution(args)
            acc.add_account(args.username, _read_password(args), args.role, args.name, path, institution_id=iid)
            _audit_account(args, args.username, old, args.role)
            _submitter(args, iid)
        elif args.action == "passwd":
            acc.set_password(args.username, _read_password(args), path)
        elif args.action == "role":
            iid = _institution(args)
            acc.set_account_role(args.username, args.role, path, institution_id=iid)
            _audit_account(args, args.username, old, args.role)
            _submitter(args, iid)
        elif args.action == "remove":
            acc.remove_account(args.username, path)
            _audit_account(args, args.username, old, None)
    except acc.AccountError as exc:
        print(f"{args.username}: {exc}", file=sys.stderr)
        return EXIT_FAIL
    print(f"{args.username}: {args.action} done ({path or acc.secrets_path()})")
    return EXIT_OK


def register(sub, common) -> None:
    s = sub.add_parser("user", parents=[common], help="manage local accounts (add, passwd, role, remove, list)")
    s.add_argument("action", choices=["add", "passwd", "role", "remove", "list"])
    s.add_argument("username", nargs="?", default="")
    s.add_argument("--role", choices=["viewer", "respondent", "expert", "admin"], default="viewer")
    s.add_argument("--institution", default=None,
                   help="respondent: the registered name of the institution it answers for")
    s.add_argument("--submitter", action="store_true",
                   help="respondent: the one who submits the institution's form (default: the first respondent)")
    s.add_argument("--name", default=None, help="full name shown in the app and the audit trail")
    s.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    s.add_argument("--secrets", default=None, help="secrets file (default: $EGOV_SECRETS, else .streamlit/secrets.toml)")
    s.add_argument("--reason", default=None)
    add_as(s)
    s.set_defaults(func=cmd_user)



"""Local accounts: ``user add|passwd|role|remove|unlock|list``.

Every change is an administrator's act recorded in the audit trail of the
database (``--db``), with ``--reason``; so a change needs the database to
exist. ``unlock`` lifts a sign-in delay or lock-out (of a user name, or of a
client address with ``--client``). Passwords are read without echo, or from
the first line of stdin with ``--password-stdin``; never from the command line.
"""

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


def _list(args, path) -> int:
    from store import accounts as acc

    rows = acc.list_accounts(path)
    held = {}
    if is_nonempty_db(_db_path(args)):
        from store import throttle

        with open_db(args) as st:
            for r in throttle.held(st).itertuples():
                if r.kind == "name" and r.who:
                    held[r.who] = f"{'locked' if r.locked else 'delayed'} until {r.until:%H:%M:%S} UTC"
                elif r.kind == "client":
                    print(f"client {r.who}\t{'locked' if r.locked else 'delayed'} until {r.until:%H:%M:%S} UTC")
    places = {u: i for u, _, i in acc.respondent_accounts(path)}
    for user, name, role in rows:
        where = [f"institution {places[user]}"] if user in places else []
        print("\t".join([user, role, name] + where + ([held[user]] if user in held else [])))
    if not rows:
        print(f"no accounts in {path or acc.secrets_path()}")
    return EXIT_OK


def _db_path(args) -> str:
    from store.db import resolve_path

    return resolve_path(args.db)


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
    from store import throttle
    from store.actors import PermissionDenied

    path = Path(args.secrets) if args.secrets else None
    if args.action == "list":
        return _list(args, path)
    if not args.username and not (args.action == "unlock" and args.client):
        print(f"user {args.action} needs a USERNAME", file=sys.stderr)
        return EXIT_USAGE
    if not is_nonempty_db(_db_path(args)):
        print(f"no database at {_db_path(args)}: account changes are recorded in its audit trail; "
              "create it first (cli.py init or demo) or pass --db", file=sys.stderr)
        return EXIT_FAIL
    try:
        iid = _institution(args) if args.action in ("add", "role") else None
        with open_db(args) as st:
            if args.action == "unlock":
                n = throttle.unlock(st, actor(args), username=args.username or None, client=args.client,
                                    reason=args.reason)
                print(f"{args.username or args.client}: unlocked ({n} lock-out(s) lifted)")
                return EXIT_OK
            password = _read_password(args) if args.action in ("add", "passwd") else None
            acc.change_account(st, actor(args), args.action, args.username, password=password, role=args.role,
                               name=args.name, reason=args.reason, path=path, institution_id=iid)
        _submitter(args, iid)
    except (acc.AccountError, ValueError) as exc:
        print(f"{args.username}: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except PermissionDenied as exc:
        print(exc.message(getattr(args, "lang", "en")), file=sys.stderr)
        return EXIT_FAIL
    print(f"{args.username}: {args.action} done ({path or acc.secrets_path()})")
    return EXIT_OK


def register(sub, common) -> None:
    s = sub.add_parser("user", parents=[common],
                       help="manage local accounts (add, passwd, role, remove, unlock, list); every change is audited")
    s.add_argument("action", choices=["add", "passwd", "role", "remove", "unlock", "list"])
    s.add_argument("username", nargs="?", default="")
    s.add_argument("--role", choices=["viewer", "respondent", "expert", "admin"], default="viewer")
    s.add_argument("--institution", default=None,
                   help="respondent: the registered name of the institution it answers for")
    s.add_argument("--submitter", action="store_true",
                   help="respondent: the one who submits the institution's form (default: the first respondent)")
    s.add_argument("--name", default=None, help="full name shown in the app and the audit trail")
    s.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    s.add_argument("--secrets", default=None, help="secrets file (default: $EGOV_SECRETS, else .streamlit/secrets.toml)")
    s.add_argument("--client", default=None, metavar="ADDRESS", help="unlock: the client address to unlock")
    s.add_argument("--reason", default=None, help="why (recorded in the audit trail)")
    add_as(s)
    s.set_defaults(func=cmd_user)

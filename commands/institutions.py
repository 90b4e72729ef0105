"""Institutions' short names: ``institution alias add|remove|list``.

The importer never guesses an abbreviation such as ``DİN``; an administrator
registers what it stands for, and every later workbook using it is read as
that institution (with a note saying so). Each change is an audit event.

    python cli.py institution alias add "Daxili İşlər Nazirliyi" DİN --reason "used by the ministry"
    python cli.py institution alias list
    python cli.py institution alias remove DİN --reason "ambiguous"
"""

from __future__ import annotations

import sys

from . import EXIT_FAIL, EXIT_OK, actor, add_as, open_db


def resolve_institution(st, name: str) -> int:
    """An institution id from its number or its name (written as the importer would read it)."""
    from ingest.registry import Registry
    from store import queries
    from store.errors import Refused

    text = (name or "").strip()
    inst = queries.institutions(st)
    if text.isdigit() and int(text) in set(inst["institution_id"]):
        return int(text)
    found = Registry.from_frames(inst).resolve(text)
    if found.institution_id is None:
        raise Refused("intake.institution_unknown", value=text)
    return found.institution_id


def cmd_alias(args) -> int:
    from l10n.catalogue import t
    from store import queries
    from store.errors import message_of
    from store.registry import add_alias, remove_alias

    with open_db(args) as st:
        try:
            if args.action == "list":
                df = queries.institution_aliases(st)
                if df.empty:
                    print(t("intake.alias.none", args.lang))
                else:
                    print(df[["alias", "name_az", "created_at", "created_by"]].to_string(index=False))
                return EXIT_OK
            if args.action == "add":
                if not args.alias:
                    print(t("intake.alias.usage", args.lang), file=sys.stderr)
                    return EXIT_FAIL
                iid = resolve_institution(st, args.name)
                add_alias(st, actor(args), iid, args.alias, reason=args.reason)
                name = queries.institutions(st).set_index("institution_id").loc[iid, "name_az"]
                print(t("intake.alias.added", args.lang, alias=args.alias.strip(), name=name))
            else:
                remove_alias(st, actor(args), args.name, reason=args.reason)
                print(t("intake.alias.removed", args.lang, alias=args.name.strip()))
        except (ValueError, LookupError) as exc:
            print(message_of(exc, args.lang), file=sys.stderr)
            return EXIT_FAIL
    return EXIT_OK


def register(sub, common) -> None:
    s = sub.add_parser("institution", parents=[common], help="institutions: short names (aliases) workbooks may use")
    groups = s.add_subparsers(dest="group", required=True, metavar="GROUP")
    a = groups.add_parser("alias", parents=[common], help="add, remove or list the short names of institutions")
    a.add_argument("action", choices=["add", "remove", "list"])
    a.add_argument("name", nargs="?", default="",
                   help="add: the institution (registered name or number); remove: the alias")
    a.add_argument("alias", nargs="?", default="", help="add: the short name, e.g. DİN")
    a.add_argument("--reason", default=None, help="why (recorded in the audit trail)")
    a.add_argument("--lang", choices=["az", "en"], default="az", help="language of the messages")
    add_as(a)
    a.set_defaults(func=cmd_alias)

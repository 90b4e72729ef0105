"""Assessment rounds: ``round open|list|close|reopen``.

A round exists only when an administrator opens it; an import into a round
that was never opened is refused (a typo such as ``2099`` must not create one).
"""

from __future__ import annotations

import sys

from . import EXIT_FAIL, EXIT_OK, actor, add_as, open_db


def cmd_round(args) -> int:
    from l10n.catalogue import t
    from store import queries
    from store.actors import PermissionDenied
    from store.errors import message_of
    from store.rounds import open_round, set_round_status

    with open_db(args) as st:
        try:
            if args.action == "list":
                df = queries.rounds(st)
                if df.empty:
                    print("no rounds yet; open one with `cli.py round open LABEL`")
                    return EXIT_OK
                cols = ["label", "methodology_id", "status", "published", "illustrative", "deadline", "closes",
                        "n_self", "n_expert", "opened_at", "opened_by"]
                print(df[cols].to_string(index=False))
                return EXIT_OK
            if not args.label:
                print(f"round {args.action} needs a LABEL", file=sys.stderr)
                return EXIT_FAIL
            if args.action == "open":
                open_round(st, actor(args), args.label, args.methodology, reason=args.reason,
                           deadline=args.deadline, closes=args.closes, illustrative=args.illustrative)
            elif args.action == "close":
                set_round_status(st, actor(args), args.label, "closed", args.reason)
            elif args.action == "reopen":
                set_round_status(st, actor(args), args.label, "open", args.reason)
        except PermissionDenied as exc:
            print(exc.message(args.lang), file=sys.stderr)
            return EXIT_FAIL
        except (ValueError, LookupError) as exc:
            print(message_of(exc, args.lang), file=sys.stderr)
            return EXIT_FAIL
    print(t(f"intake.cli.round_{args.action}", args.lang, label=args.label))
    return EXIT_OK


def register(sub, common) -> None:
    s = sub.add_parser("round", parents=[common], help="open, list, close or reopen assessment rounds")
    s.add_argument("action", choices=["open", "list", "close", "reopen"])
    s.add_argument("label", nargs="?", default="", help="the round, e.g. 2025")
    s.add_argument("--methodology", default=None, help="methodology version id (default: the newest)")
    s.add_argument("--deadline", default=None, metavar="YYYY-MM-DD", help="submissions after this day are late")
    s.add_argument("--closes", default=None, metavar="YYYY-MM-DD", help="editing is locked after this day")
    s.add_argument("--illustrative", action="store_true", help="mark the round's data as illustrative (demos)")
    s.add_argument("--reason", default=None, help="why (recorded in the audit trail; needed to reopen)")
    s.add_argument("--lang", choices=["az", "en"], default="az", help="language of the messages")
    add_as(s)
    s.set_defaults(func=cmd_round)

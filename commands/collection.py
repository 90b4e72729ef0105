"""Online collection: ``collection [status|reminders|extend|open|submitter] --round R``.

``collection --round 2025`` prints the tracker: per institution its status
(not started, draft, submitted, returned, approved), services answered of
expected, last activity, days to or past its deadline, on time or late, then
the round's counts and rates. ``--format csv`` writes the same table as CSV
(neutralised against spreadsheet formulas), ``-o FILE`` to a file (``.xlsx``
for Excel). ``reminders`` lists whom to remind, with the respondents' names.
``open``, ``extend`` and ``submitter`` are the administrator's steps.
"""

from __future__ import annotations

import sys

from . import EXIT_FAIL, EXIT_OK, EXIT_USAGE, actor, add_as, open_db

TRACKER_COLUMNS = ["institution_id", "name_az", "name_en", "status", "answered", "expected", "last_activity",
                   "deadline", "extended", "days_to_deadline", "timeliness", "submitted_on"]


def resolve_institution(st, name: str) -> int:
    """The registered institution called ``name`` (az or en, folded), or SystemExit naming the close ones."""
    from ingest.registry import Registry
    from store import queries

    reg = Registry.from_frames(*queries.registry_frames(st))
    text = (name or "").strip()
    if text.isdigit() and int(text) in reg.names:
        return int(text)
    iid = reg.match(text)
    if iid is None:
        close = ", ".join(f"«{s}»" for s in reg.suggest(text, n=3)) or "—"
        raise SystemExit(f"no institution called «{text}»; close names: {close}")
    return iid


def _write(frame, args) -> None:
    from ingest.inert import neutralise_frame

    out = neutralise_frame(frame)
    if args.output and str(args.output).lower().endswith(".xlsx"):
        out.to_excel(args.output, index=False)
        print(args.output)
    elif args.format == "csv":
        text = out.to_csv(index=False)
        if args.output:
            with open(args.output, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
            print(args.output)
        else:
            sys.stdout.write(text)
    else:
        text = out.to_string(index=False)
        if args.output:
            with open(args.output, "w", encoding="utf-8") as fh:
                fh.write(text + "\n")
            print(args.output)
        else:
            print(text)


def _status(st, args) -> int:
    from form.tracker import summary
    from store import collection

    frame = collection.tracker(st, actor(args), args.round, on=_on(args), lang=args.lang)
    _write(frame[TRACKER_COLUMNS], args)
    if args.format != "csv" and not args.output:
        s = summary(frame)

        def rate(v):
            return "—" if v is None else f"{v:.0%}"

        by = s["by_status"]
        print(f"\nexpected {s['expected']} · submitted {s['submitted']} ({rate(s['submitted_rate'])}) · "
              f"on time {s['on_time']} ({rate(s['on_time_rate'])}) · late {s['late']} · "
              f"approved {by['approved']} · returned {by['returned']} · draft {by['draft']} · "
              f"not started {by['not_started']}")
    return EXIT_OK


def _on(args):
    import datetime as dt

    return dt.date.fromisoformat(args.on) if args.on else None


def cmd_collection(args) -> int:
    from store import collection

    if not args.round:
        print("collection needs --round LABEL", file=sys.stderr)
        return EXIT_USAGE
    with open_db(args) as st:
        try:
            if args.action == "status":
                return _status(st, args)
            if args.action == "reminders":
                _write(collection.reminders(st, actor(args), args.round, on=_on(args), near_days=args.near,
                                              lang=args.lang), args)
                return EXIT_OK
            if args.action == "open":
                collection.open_collection(st, actor(args), args.round, deadline=args.deadline, closes=args.closes,
                                           reason=args.reason)
            elif args.action in ("extend", "submitter"):
                if not args.institution:
                    print(f"collection {args.action} needs --institution NAME", file=sys.stderr)
                    return EXIT_USAGE
                iid = resolve_institution(st, args.institution)
                if args.action == "extend":
                    collection.grant_extension(st, actor(args), args.round, iid, deadline=args.deadline,
                                               closes=args.closes, reason=args.reason or "")
                else:
                    collection.set_submitter(st, actor(args), iid, args.login, reason=args.reason)
        except (ValueError, LookupError) as exc:  # PermissionDenied and CollectionError speak both languages
            text = exc.message(args.lang) if callable(getattr(exc, "message", None)) else str(exc)
            print(f"round {args.round}: {text}", file=sys.stderr)
            return EXIT_FAIL
    print(f"round {args.round}: {args.action} done")
    return EXIT_OK


def register(sub, common) -> None:
    s = sub.add_parser("collection", parents=[common],
                       help="online collection: tracker, reminders, opening, extensions, submitters")
    s.add_argument("action", nargs="?", default="status", choices=["status", "reminders", "open", "extend", "submitter"])
    s.add_argument("--round", required=False, default="", help="the collection round, e.g. 2025")
    s.add_argument("--format", choices=["table", "csv"], default="table")
    s.add_argument("-o", "--output", metavar="FILE", help="write to FILE (.csv, .txt, or .xlsx for Excel)")
    s.add_argument("--on", metavar="YYYY-MM-DD", default=None, help="count days and lateness as of this date")
    s.add_argument("--near", type=int, default=None, metavar="DAYS",
                   help="reminders: drafts this close to the deadline (default 7)")
    s.add_argument("--institution", default=None, help="extend/submitter: the institution's registered name")
    s.add_argument("--deadline", default=None, metavar="YYYY-MM-DD")
    s.add_argument("--closes", default=None, metavar="YYYY-MM-DD")
    s.add_argument("--login", default=None, help="submitter: the respondent's user name or e-mail (none: any)")
    s.add_argument("--reason", default=None, help="why (recorded in the audit trail; needed for an extension)")
    s.add_argument("--lang", choices=["az", "en"], default="en", help="language of the messages")
    add_as(s)
    s.set_defaults(func=cmd_collection)

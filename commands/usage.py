"""Portal usage figures: ``usage``."""

from __future__ import annotations

import sys

from . import EXIT_FAIL, EXIT_OK, actor, add_as, open_db


def cmd_usage(args) -> int:
    """Import portal usage figures for one month from a CSV or workbook."""
    from pathlib import Path

    from ingest.usage import read_usage
    from store.registry import import_portal_usage_csv

    path = Path(args.file)
    try:
        frame = read_usage(path.read_bytes(), path.name)
        with open_db(args) as st:
            import_id = import_portal_usage_csv(st, actor(args), frame, args.period, source=args.source or path.name,
                                                replace=args.replace)
    except (OSError, ValueError) as exc:
        print(f"{path.name}: {exc}", file=sys.stderr)
        return EXIT_FAIL
    print(f"{path.name}: usage figures for {args.period} imported (import {import_id})")
    return EXIT_OK




def register(sub, common) -> None:
    s = sub.add_parser("usage", parents=[common], help="import portal usage figures of one month (CSV or .xlsx)")
    s.add_argument("file", help="columns: institution, e_services_on_portal, uses")
    s.add_argument("--period", required=True, help="the month, e.g. 2015-01")
    s.add_argument("--source", default=None, help="where the figures come from (default: the file name)")
    s.add_argument("--replace", action="store_true", help="replace figures already stored for that month")
    add_as(s)
    s.set_defaults(func=cmd_usage)

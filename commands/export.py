"""Results out: ``export`` (CSV files and a workbook)."""

from __future__ import annotations

import sys

from . import EXIT_OK, EXIT_USAGE, open_db


def cmd_export(args) -> int:
    from ingest.export import export_csv, export_workbook
    from ingest.progress import part, terminal

    if not args.csv_dir and not args.output:
        print("export needs --csv-dir DIR and/or -o FILE.xlsx", file=sys.stderr)
        return EXIT_USAGE
    progress, bar = terminal(args.lang)
    both = bool(args.csv_dir and args.output)
    written = []
    with open_db(args) as st:
        try:
            if args.csv_dir:
                written += [str(p) for p in export_csv(st, args.csv_dir, source=args.source,
                                                        progress=part(progress, 0.0, 0.3 if both else 1.0)).values()]
            if args.output:
                export_workbook(st, args.output, lang=args.lang, source=args.source,
                                progress=part(progress, 0.3 if both else 0.0, 1.0))
                written.append(args.output)
        finally:
            bar.close()
    for path in written:
        print(path)
    return EXIT_OK




def register(sub, common) -> None:
    s = sub.add_parser("export", parents=[common], help="export results as CSV files and/or a workbook")
    s.add_argument("--csv-dir", metavar="DIR", help="write services.csv, infrastructure.csv, institutions.csv here")
    s.add_argument("-o", "--output", metavar="FILE", help="write an .xlsx workbook")
    s.add_argument("--lang", choices=["az", "en"], default="az", help="language of the readable sheets")
    s.add_argument("--source", choices=["validated", "self", "expert"], default="validated")
    s.set_defaults(func=cmd_export)

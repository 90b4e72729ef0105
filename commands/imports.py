"""Workbook imports: ``import``, ``imports``, ``revert``."""

from __future__ import annotations

import sys
from pathlib import Path

from . import EXIT_FAIL, EXIT_OK, EXIT_USAGE, actor, add_as, open_db


def _location(issue) -> str:
    parts = [issue.file]
    for p in (issue.sheet, issue.row, issue.column):
        if p not in (None, ""):
            parts.append(str(p))
    return " › ".join(parts)


def _write_report(path: Path, outcomes, lang: str) -> None:
    import pandas as pd

    frames = [o.errors_frame(lang) for o in outcomes if o.errors]
    df = pd.concat(frames, ignore_index=True) if frames else outcomes[0].errors_frame(lang).iloc[0:0] if outcomes else pd.DataFrame()
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".xlsx":
        from ui.export import frame_xlsx

        path.write_bytes(frame_xlsx(df, "errors"))
    else:
        from ingest.inert import write_csv

        write_csv(df, path, bom=True)


def cmd_import(args) -> int:
    from ingest.pipeline import import_files, issue_text

    files = []
    for f in args.files:
        p = Path(f)
        if not p.is_file():
            print(f"{f}: no such file", file=sys.stderr)
            return EXIT_USAGE
        files.append((p.name, p.read_bytes()))
    with open_db(args, must_exist=False) as st:
        outcomes = import_files(st, files, actor(args), dry_run=args.dry_run, replace=args.replace,
                                add_institutions=args.add_institutions, lang=args.lang)
    failed = False
    for o in outcomes:
        extra = f" (import {o.import_id})" if o.import_id else ""
        if o.status == "unchanged":
            extra = " (this file was imported before)" if o.identical_file else " (every value is already stored)"
        counts = ""
        if o.plan is not None and len(o.plan):
            c = o.plan["status"].value_counts()
            counts = f" — new {int(c.get('new', 0))}, replaced {int(c.get('replaced', 0))}, unchanged {int(c.get('unchanged', 0))}"
        print(f"{o.file_name}: {o.status}{extra}{counts}")
        for issue in o.errors:
            print(f"  {_location(issue)}: {issue_text(issue, args.lang)}")
        for issue in o.warnings:
            print(f"  warning: {_location(issue)}: {issue_text(issue, args.lang)}")
        failed |= o.status in ("rejected", "conflict", "busy")
    if args.report:
        _write_report(Path(args.report), outcomes, args.lang)
        print(f"report: {args.report}")
    return EXIT_FAIL if failed else EXIT_OK


def cmd_imports(args) -> int:
    from store import originals, queries

    with open_db(args) as st:
        if args.original is not None:
            found = originals.of_import(st, args.original)
            if found is None:
                print(f"import {args.original}: no original file is kept (older import, or no such import)",
                      file=sys.stderr)
                return EXIT_FAIL
            out = Path(args.output or Path(found[0]).name)
            out.write_bytes(found[1])
            print(f"{out}: the original of import {args.original} ({len(found[1])} bytes)")
            return EXIT_OK
        df = queries.imports(st)
    if df.empty:
        print("no imports yet")
        return EXIT_OK
    cols = ["import_id", "at", "actor", "round", "source", "file_name", "kinds", "outcome"]
    print(df[cols].to_string(index=False))
    return EXIT_OK


def cmd_revert(args) -> int:
    from store.imports import revert_import

    with open_db(args) as st:
        try:
            restored = revert_import(st, actor(args), args.import_id, reason=args.reason)
        except (ValueError, LookupError) as exc:
            print(f"import {args.import_id}: {exc}", file=sys.stderr)
            return EXIT_FAIL
    n = sum(restored.values())
    print(f"import {args.import_id} reverted; {n} earlier value(s) are current again")
    return EXIT_OK




def register(sub, common) -> None:
    s = sub.add_parser("import", parents=[common], help="check and import filled workbooks")
    s.add_argument("files", nargs="+", metavar="FILE")
    s.add_argument("--dry-run", action="store_true", help="check and show what would change; write nothing")
    s.add_argument("--replace", action="store_true", help="overwrite stored values (they stay in the history)")
    s.add_argument("--add-institutions", action="store_true", help="register unknown institution names")
    s.add_argument("--report", metavar="FILE", help="write the errors to FILE (.csv or .xlsx)")
    s.add_argument("--lang", choices=["az", "en"], default="az", help="language of the messages")
    add_as(s)
    s.set_defaults(func=cmd_import)

    s = sub.add_parser("imports", parents=[common], help="list imports (the audit list), or save an import's original")
    s.add_argument("--original", type=int, metavar="ID", help="save the original file of import ID")
    s.add_argument("-o", "--output", metavar="FILE", help="where to save it (default: its own name, here)")
    s.set_defaults(func=cmd_imports)

    s = sub.add_parser("revert", parents=[common], help="undo an import; the values it replaced become current again")
    s.add_argument("import_id", type=int)
    s.add_argument("--reason", default=None)
    add_as(s)
    s.set_defaults(func=cmd_revert)

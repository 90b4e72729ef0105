"""Workbook imports: ``import``, ``imports``, ``revert``.

Messages are the app's, from the same catalogue, in ``--lang``: each problem
once, located by sheet and cells. ``--annotate FILE`` writes the sender's own
workbook back with every problem cell highlighted and explained in a comment.
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import EXIT_FAIL, EXIT_OK, EXIT_USAGE, actor, add_as, open_db


def _write_report(path: Path, outcomes, lang: str) -> None:
    import pandas as pd

    from ingest.pipeline import ERROR_COLUMNS, issues_frame

    frames = []
    for o in outcomes:
        for severity, issues in (("error", o.errors), ("warning", o.warnings)):
            if issues:
                frames.append(issues_frame(issues, lang).assign(severity=severity))
    df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[*ERROR_COLUMNS, "severity"])
    df = df[["file", "severity", *[c for c in ERROR_COLUMNS if c != "file"]]]
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".xlsx":
        from ui.export import frame_xlsx

        path.write_bytes(frame_xlsx(df, "errors"))
    else:
        from ingest.inert import write_csv

        write_csv(df, path, bom=True)


def _annotate(path: Path, outcomes, files: dict[str, bytes], lang: str) -> list[str]:
    """Annotated copies: ``path`` itself for one file, else ``path/<name>-yoxlama.xlsx`` per file."""
    from ingest.annotate import annotate, annotated_name
    from l10n.catalogue import t

    lines = []
    several = len(outcomes) > 1
    if several:
        path.mkdir(parents=True, exist_ok=True)
    for o in outcomes:
        target = path / annotated_name(o.file_name, lang) if several else path
        data = annotate(files[o.file_name], o.issues, lang)
        if data is None:
            lines.append(t("intake.cli.annotate_unavailable", lang, file=o.file_name))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        lines.append(t("intake.cli.annotated", lang, file=o.file_name, path=str(target)))
    return lines


def cmd_import(args) -> int:
    from ingest.sandbox import prestart

    prestart()  # the bounded reader's fork server imports meanwhile: the files come at once
    from ingest.pipeline import import_files
    from ingest.progress import terminal
    from l10n.catalogue import t
    from store.actors import PermissionDenied

    lang = args.lang
    files = []
    for f in args.files:
        p = Path(f)
        if not p.is_file():
            print(f"{f}: no such file", file=sys.stderr)
            return EXIT_USAGE
        files.append((p.name, p.read_bytes()))
    progress, bar = terminal(lang)
    with open_db(args, must_exist=False) as st:
        try:
            outcomes = import_files(st, files, actor(args), dry_run=args.dry_run, replace=args.replace,
                                    add_institutions=args.add_institutions, lang=lang, unlock_reason=args.reason,
                                    report=progress)
        except PermissionDenied as exc:
            print(exc.message(lang), file=sys.stderr)
            return EXIT_FAIL
        finally:
            bar.close()
        previews = {o.file_name: o.preview(lang, st) for o in outcomes} if args.preview else {}
    failed = False
    for o in outcomes:
        head = f"{o.file_name}: {t(f'data.status.{o.status}', lang)}"
        if o.import_id:
            head += " " + t("intake.cli.import_id", lang, id=o.import_id)
        if o.plan is not None and len(o.plan):
            c = o.plan["status"].value_counts()
            head += " — " + ", ".join(f"{t(f'plan.{s}', lang).lower()} {int(c.get(s, 0))}"
                                      for s in ("new", "replaced", "unchanged"))
        print(head)
        for issue in o.errors:
            print(f"  ✖ {issue.message(lang)}")
        for issue in o.warnings:
            print(f"  ! {issue.message(lang)}")
        if o.lockable:
            print("  " + t("intake.cli.lockable", lang))
        for kind, frame in previews.get(o.file_name, {}).items():
            print(f"  {kind}:")
            print("    " + frame.to_string(index=False).replace("\n", "\n    "))
        failed |= o.status in ("rejected", "conflict", "busy")
    if args.report:
        _write_report(Path(args.report), outcomes, lang)
        print(t("intake.cli.report", lang, path=args.report))
    if args.annotate:
        for line in _annotate(Path(args.annotate), outcomes, dict(files), lang):
            print(line)
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
    from l10n.catalogue import t
    from store.errors import message_of
    from store.imports import revert_import

    with open_db(args) as st:
        try:
            # On the command line, --reason is the administrator's confirmation for locked data.
            restored = revert_import(st, actor(args), args.import_id, reason=args.reason, unlock=bool(args.reason))
        except (ValueError, LookupError) as exc:
            print(message_of(exc, args.lang), file=sys.stderr)
            if getattr(exc, "code", "") == "revert_needs_reason":
                print(t("intake.cli.revert_reason", args.lang, id=args.import_id), file=sys.stderr)
            return EXIT_FAIL
    print(t("intake.cli.reverted", args.lang, id=args.import_id, n=sum(restored.values())))
    return EXIT_OK


def register(sub, common) -> None:
    s = sub.add_parser("import", parents=[common], help="check and import filled workbooks")
    s.add_argument("files", nargs="+", metavar="FILE")
    s.add_argument("--dry-run", action="store_true", help="check and show what would change; write nothing")
    s.add_argument("--replace", action="store_true", help="overwrite stored values (they stay in the history)")
    s.add_argument("--add-institutions", action="store_true", help="register unknown institution names")
    s.add_argument("--reason", default=None,
                   help="change approved or published (locked) data: the reason, recorded in the audit trail")
    s.add_argument("--report", metavar="FILE", help="write the errors and warnings to FILE (.csv or .xlsx)")
    s.add_argument("--annotate", metavar="FILE",
                   help="write the workbook back with every problem cell highlighted and commented "
                        "(several input files: FILE is a folder)")
    s.add_argument("--preview", action="store_true", help="print what would be stored (answers, levels, changes)")
    s.add_argument("--lang", choices=["az", "en"], default="az", help="language of the messages")
    add_as(s)
    s.set_defaults(func=cmd_import)

    s = sub.add_parser("imports", parents=[common], help="list imports (the audit list), or save an import's original")
    s.add_argument("--original", type=int, metavar="ID", help="save the original file of import ID")
    s.add_argument("-o", "--output", metavar="FILE", help="where to save it (default: its own name, here)")
    s.set_defaults(func=cmd_imports)

    s = sub.add_parser("revert", parents=[common], help="undo an import; the values it replaced become current again")
    s.add_argument("import_id", type=int)
    s.add_argument("--reason", default=None,
                   help="why (recorded in the audit trail); required for approved or published data")
    s.add_argument("--lang", choices=["az", "en"], default="az", help="language of the messages")
    add_as(s)
    s.set_defaults(func=cmd_revert)

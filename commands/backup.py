"""Backups: ``backup -o DIR`` (while the app runs) and ``restore DIR --db NEW`` (``--check`` only verifies).

See :mod:`store.backup` for what a backup holds and how it stays consistent.
A nightly line for cron is in the README.
"""

from __future__ import annotations

import sys
import time

from . import EXIT_FAIL, EXIT_OK, EXIT_USAGE, open_db


def cmd_backup(args) -> int:
    from store.backup import BackupError, backup

    t0 = time.monotonic()
    with open_db(args) as st:
        try:
            manifest = backup(st, args.output)
        except BackupError as exc:
            print(f"backup: {exc}", file=sys.stderr)
            return EXIT_FAIL
    rows = sum(t["rows"] for t in manifest["tables"].values())
    size = sum(f["bytes"] for f in manifest["files"].values())
    originals = sum(1 for f in manifest["files"] if f.startswith("originals/"))
    print(f"{args.output}: {len(manifest['tables'])} tables, {rows} rows, {originals} original files, "
          f"{size / 1e6:.1f} MB, schema {manifest['schema_version']}, in {time.monotonic() - t0:.1f} s")
    return EXIT_OK


def cmd_restore(args) -> int:
    from store.backup import BackupError, restore, verify
    from store.db import resolve_path

    if args.check:
        problems = verify(args.directory)
        for p in problems:
            print(p, file=sys.stderr)
        print(f"{args.directory}: {'damaged or incomplete' if problems else 'complete, every checksum matches'}")
        return EXIT_FAIL if problems else EXIT_OK
    if args.db is None:
        print("restore needs --db NEW: the path of the database to create (it must not exist)", file=sys.stderr)
        return EXIT_USAGE
    t0 = time.monotonic()
    try:
        manifest = restore(args.directory, resolve_path(args.db))
    except BackupError as exc:
        print(f"restore: {exc}", file=sys.stderr)
        return EXIT_FAIL
    print(f"{resolve_path(args.db)}: restored from {args.directory} (taken {manifest['created_at']}, "
          f"{sum(t['rows'] for t in manifest['tables'].values())} rows, content verified) "
          f"in {time.monotonic() - t0:.1f} s")
    return EXIT_OK


def register(sub, common) -> None:
    s = sub.add_parser("backup", parents=[common], help="write a consistent backup (safe while the app runs)")
    s.add_argument("-o", "--output", required=True, metavar="DIR", help="a new (or empty) directory")
    s.set_defaults(func=cmd_backup)

    s = sub.add_parser("restore", parents=[common], help="rebuild a database from a backup into a new file (--db)")
    s.add_argument("directory", metavar="DIR")
    s.add_argument("--check", action="store_true", help="only verify the backup's files against its manifest")
    s.set_defaults(func=cmd_restore)

"""Command line for the e-services monitoring database.

    python cli.py --help
    python cli.py --db data/egov.duckdb demo
    python cli.py import filled.xlsx --dry-run

Every command takes ``--db PATH`` (default: ``$EGOV_DB``, else
``data/egov.duckdb``). The command line acts as an administrator named
``cli:<login>`` (``--as NAME`` changes the name shown in the audit trail).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def _login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers; the name is only a label
        return "unknown"


def _actor(args):
    from store.actors import Actor

    return Actor.system(getattr(args, "as_name", None) or f"cli:{_login()}")


def _open(args, *, must_exist: bool = True):
    from store.db import MEMORY, Store, resolve_path

    path = resolve_path(args.db)
    if must_exist and path != MEMORY and not Path(path).exists():
        raise SystemExit(f"no database at {path}; create one with `python cli.py --db {path} init` or `demo`")
    return Store(path)


def _is_nonempty_db(path: str) -> bool:
    p = Path(path)
    return p.exists() and p.stat().st_size > 0


def cmd_init(args) -> int:
    from store import queries
    from store.db import resolve_path

    path = resolve_path(args.db)
    existed = _is_nonempty_db(path)
    with _open(args, must_exist=False) as st:
        n_inst, n_svc = len(queries.institutions(st)), len(queries.services(st))
    verb = "up to date" if existed else "created"
    print(f"{path}: {verb}; {n_inst} institutions, {n_svc} services")
    return EXIT_OK


def cmd_demo(args) -> int:
    import time

    from store.db import MEMORY, resolve_path
    from store.demo import build_demo

    path = resolve_path(args.db)
    if path != MEMORY and _is_nonempty_db(path):
        if not args.force:
            print(f"{path} already exists; use --force to replace it with the demo database", file=sys.stderr)
            return EXIT_FAIL
        for p in (Path(path), Path(path + ".wal")):
            p.unlink(missing_ok=True)
    t0 = time.perf_counter()
    with _open(args, must_exist=False) as st:
        out = build_demo(st)
    print(f"{path}: demo database built in {time.perf_counter() - t0:.1f} s ({len(out)} illustrative imports, rounds 2023 and 2024)")
    return EXIT_OK


def cmd_template(args) -> int:
    from ingest.registry import Registry
    from ingest.templates import build_template
    from scoring import load_methodology
    from store import queries
    from store.db import resolve_path

    registry = None
    if _is_nonempty_db(resolve_path(args.db)):
        with _open(args) as st:
            registry = Registry.from_frames(*queries.registry_frames(st))
    data = build_template(args.kind, args.lang, load_methodology(args.methodology), registry, args.round)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(f"{out}: {args.kind} template ({args.lang}), {len(data)} bytes")
    return EXIT_OK


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
        from ingest.export import _neutralise_frame

        _neutralise_frame(df).to_excel(path, index=False, sheet_name="errors")
    else:
        df.to_csv(path, index=False, encoding="utf-8")


def cmd_import(args) -> int:
    from ingest.pipeline import import_files, issue_text

    files = []
    for f in args.files:
        p = Path(f)
        if not p.is_file():
            print(f"{f}: no such file", file=sys.stderr)
            return EXIT_USAGE
        files.append((p.name, p.read_bytes()))
    with _open(args, must_exist=False) as st:
        outcomes = import_files(st, files, _actor(args), dry_run=args.dry_run, replace=args.replace,
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
        failed |= o.status in ("rejected", "conflict")
    if args.report:
        _write_report(Path(args.report), outcomes, args.lang)
        print(f"report: {args.report}")
    return EXIT_FAIL if failed else EXIT_OK


def cmd_imports(args) -> int:
    from store import queries

    with _open(args) as st:
        df = queries.imports(st)
    if df.empty:
        print("no imports yet")
        return EXIT_OK
    cols = ["import_id", "at", "actor", "round", "source", "file_name", "kinds", "outcome"]
    print(df[cols].to_string(index=False))
    return EXIT_OK


def cmd_revert(args) -> int:
    from store.imports import revert_import

    with _open(args) as st:
        try:
            restored = revert_import(st, _actor(args), args.import_id, reason=args.reason)
        except (ValueError, LookupError) as exc:
            print(f"import {args.import_id}: {exc}", file=sys.stderr)
            return EXIT_FAIL
    n = sum(restored.values())
    print(f"import {args.import_id} reverted; {n} earlier value(s) are current again")
    return EXIT_OK


def cmd_usage(args) -> int:
    """Import portal usage figures for one month from a CSV or workbook."""
    from pathlib import Path

    from ingest.usage import read_usage
    from store.registry import import_portal_usage_csv

    path = Path(args.file)
    try:
        frame = read_usage(path.read_bytes(), path.name)
        with _open(args) as st:
            import_id = import_portal_usage_csv(st, _actor(args), frame, args.period, source=args.source or path.name,
                                                replace=args.replace)
    except (OSError, ValueError) as exc:
        print(f"{path.name}: {exc}", file=sys.stderr)
        return EXIT_FAIL
    print(f"{path.name}: usage figures for {args.period} imported (import {import_id})")
    return EXIT_OK


def cmd_export(args) -> int:
    from ingest.export import export_csv, export_workbook

    if not args.csv_dir and not args.output:
        print("export needs --csv-dir DIR and/or -o FILE.xlsx", file=sys.stderr)
        return EXIT_USAGE
    with _open(args) as st:
        if args.csv_dir:
            for path in export_csv(st, args.csv_dir, source=args.source).values():
                print(path)
        if args.output:
            export_workbook(st, args.output, lang=args.lang, source=args.source)
            print(args.output)
    return EXIT_OK


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
    if path == MEMORY or not _is_nonempty_db(path):
        return
    with _open(args) as st:
        record_account_change(st, _actor(args), username, old, new, reason=args.reason)


def cmd_user(args) -> int:
    from store import accounts as acc

    path = Path(args.secrets) if args.secrets else None
    try:
        if args.action == "list":
            rows = acc.list_accounts(path)
            for user, name, role in rows:
                print(f"{user}\t{role}\t{name}")
            if not rows:
                print(f"no accounts in {path or acc.secrets_path()}")
            return EXIT_OK
        if not args.username:
            print("user add|passwd|role|remove needs a USERNAME", file=sys.stderr)
            return EXIT_USAGE
        old = dict((u, r) for u, _, r in acc.list_accounts(path)).get(args.username)
        if args.action == "add":
            acc.add_account(args.username, _read_password(args), args.role, args.name, path)
            _audit_account(args, args.username, old, args.role)
        elif args.action == "passwd":
            acc.set_password(args.username, _read_password(args), path)
        elif args.action == "role":
            acc.set_account_role(args.username, args.role, path)
            _audit_account(args, args.username, old, args.role)
        elif args.action == "remove":
            acc.remove_account(args.username, path)
            _audit_account(args, args.username, old, None)
    except acc.AccountError as exc:
        print(f"{args.username}: {exc}", file=sys.stderr)
        return EXIT_FAIL
    print(f"{args.username}: {args.action} done ({path or acc.secrets_path()})")
    return EXIT_OK


def _user_parser(sub, common) -> None:
    s = sub.add_parser("user", parents=[common], help="manage local accounts (add, passwd, role, remove, list)")
    s.add_argument("action", choices=["add", "passwd", "role", "remove", "list"])
    s.add_argument("username", nargs="?", default="")
    s.add_argument("--role", choices=["viewer", "expert", "admin"], default="viewer")
    s.add_argument("--name", default=None, help="full name shown in the app and the audit trail")
    s.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    s.add_argument("--secrets", default=None, help="secrets file (default: $EGOV_SECRETS, else .streamlit/secrets.toml)")
    s.add_argument("--reason", default=None)
    s.add_argument("--as", dest="as_name", metavar="NAME", help="name recorded in the audit trail")
    s.set_defaults(func=cmd_user)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                        help="database file (default: $EGOV_DB, else data/egov.duckdb)")
    p = argparse.ArgumentParser(prog="cli.py", description="E-services monitoring database: set-up, imports, exports.",
                                parents=[common])
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("init", parents=[common], help="create an empty database with the registry and methodology")
    s.set_defaults(func=cmd_init)

    s = sub.add_parser("demo", parents=[common], help="build the demo database (illustrative rounds 2023 and 2024)")
    s.add_argument("--force", action="store_true", help="replace an existing database file")
    s.set_defaults(func=cmd_demo)

    s = sub.add_parser("template", parents=[common], help="write a blank exchange workbook")
    s.add_argument("kind", choices=["self", "infrastructure", "coverage"])
    s.add_argument("--lang", choices=["az", "en"], default="az")
    s.add_argument("-o", "--output", required=True, metavar="FILE", help="the .xlsx to write")
    s.add_argument("--round", default=None, help="pre-fill the round in the Meta sheet")
    s.add_argument("--methodology", default=None, help="methodology version (default: the newest)")
    s.set_defaults(func=cmd_template)

    s = sub.add_parser("import", parents=[common], help="check and import filled workbooks")
    s.add_argument("files", nargs="+", metavar="FILE")
    s.add_argument("--dry-run", action="store_true", help="check and show what would change; write nothing")
    s.add_argument("--replace", action="store_true", help="overwrite stored values (they stay in the history)")
    s.add_argument("--add-institutions", action="store_true", help="register unknown institution names")
    s.add_argument("--report", metavar="FILE", help="write the errors to FILE (.csv or .xlsx)")
    s.add_argument("--lang", choices=["az", "en"], default="az", help="language of the messages")
    s.add_argument("--as", dest="as_name", metavar="NAME", help="name recorded in the audit trail")
    s.set_defaults(func=cmd_import)

    s = sub.add_parser("imports", parents=[common], help="list imports (the audit list)")
    s.set_defaults(func=cmd_imports)

    s = sub.add_parser("revert", parents=[common], help="undo an import; the values it replaced become current again")
    s.add_argument("import_id", type=int)
    s.add_argument("--reason", default=None)
    s.add_argument("--as", dest="as_name", metavar="NAME", help="name recorded in the audit trail")
    s.set_defaults(func=cmd_revert)

    s = sub.add_parser("usage", parents=[common], help="import portal usage figures of one month (CSV or .xlsx)")
    s.add_argument("file", help="columns: institution, e_services_on_portal, uses")
    s.add_argument("--period", required=True, help="the month, e.g. 2015-01")
    s.add_argument("--source", default=None, help="where the figures come from (default: the file name)")
    s.add_argument("--replace", action="store_true", help="replace figures already stored for that month")
    s.add_argument("--as", dest="as_name", metavar="NAME", help="name recorded in the audit trail")
    s.set_defaults(func=cmd_usage)

    s = sub.add_parser("export", parents=[common], help="export results as CSV files and/or a workbook")
    s.add_argument("--csv-dir", metavar="DIR", help="write services.csv, infrastructure.csv, institutions.csv here")
    s.add_argument("-o", "--output", metavar="FILE", help="write an .xlsx workbook")
    s.add_argument("--lang", choices=["az", "en"], default="az", help="language of the readable sheets")
    s.add_argument("--source", choices=["validated", "self", "expert"], default="validated")
    s.set_defaults(func=cmd_export)

    _user_parser(sub, common)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not hasattr(args, "db"):
        args.db = None
    try:
        return args.func(args)
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())

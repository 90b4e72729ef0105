"""Command line for the e-services monitoring database.

    python cli.py --help
    python cli.py --db data/egov.duckdb demo
    python cli.py import filled.xlsx --dry-run

Every command takes ``--db PATH`` (default: ``$EGOV_DB``, else
``data/egov.duckdb``). The command line acts as an administrator named
``cli:<login>`` (``--as NAME`` changes the name shown in the audit trail).
Commands live in the ``commands`` package, one module per group; each opens
the database only for as long as an operation runs, so they work beside a
serving app.
"""

from __future__ import annotations

import argparse
import sys

from commands import (
    EXIT_BUSY,
    EXIT_OK,
    backup,
    collection,
    export,
    imports,
    institutions,
    report,
    rounds,
    setup,
    synth,
    usage,
    users,
)

# One module per group of subcommands, in the order ``--help`` lists them.
MODULES = [setup, rounds, imports, institutions, usage, export, report, users, collection, backup, synth]


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                        help="database file (default: $EGOV_DB, else data/egov.duckdb)")
    p = argparse.ArgumentParser(prog="cli.py", description="E-services monitoring database: set-up, imports, exports.",
                                parents=[common])
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in MODULES:
        module.register(sub, common)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not hasattr(args, "db"):
        args.db = None
    from store.db import StoreBusy

    try:
        return args.func(args)
    except BrokenPipeError:
        return EXIT_OK
    except StoreBusy as exc:  # another process held the database for longer than a lease waits
        print(exc.message(getattr(args, "lang", None) or "en"), file=sys.stderr)
        return EXIT_BUSY


if __name__ == "__main__":
    sys.exit(main())

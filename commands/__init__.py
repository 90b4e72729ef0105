"""Shared pieces of the command line: exit codes, the acting administrator, opening the store.

Each module of this package registers one group of subcommands with
``register(sub, common)``; ``cli.py`` lists the modules. A command acts as an
administrator named ``cli:<login>`` (``--as NAME`` changes the name shown in
the audit trail) and opens the database with a short lease per operation, so
it runs beside a serving app.
"""

from __future__ import annotations

import getpass
from pathlib import Path

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
EXIT_BUSY = 75  # EX_TEMPFAIL: the database was busy; the same command may simply be run again


def login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers; the name is only a label
        return "unknown"


def actor(args):
    from store.actors import Actor

    return Actor.system(getattr(args, "as_name", None) or f"cli:{login()}")


def open_db(args, *, must_exist: bool = True):
    from store.db import MEMORY, Store, resolve_path

    path = resolve_path(args.db)
    if must_exist and path != MEMORY and not Path(path).exists():
        raise SystemExit(f"no database at {path}; create one with `python cli.py --db {path} init` or `demo`")
    return Store(path)


def is_nonempty_db(path: str) -> bool:
    p = Path(path)
    return p.exists() and p.stat().st_size > 0


def add_as(parser) -> None:
    parser.add_argument("--as", dest="as_name", metavar="NAME", help="name recorded in the audit trail")

"""Setting a database up: ``init``, ``demo``, ``template``."""

from __future__ import annotations

import sys
from pathlib import Path

from . import EXIT_FAIL, EXIT_OK, is_nonempty_db, open_db


def cmd_init(args) -> int:
    from store import queries
    from store.db import resolve_path

    path = resolve_path(args.db)
    existed = is_nonempty_db(path)
    with open_db(args, must_exist=False) as st:
        n_inst, n_svc = len(queries.institutions(st)), len(queries.services(st))
    verb = "up to date" if existed else "created"
    print(f"{path}: {verb}; {n_inst} institutions, {n_svc} services")
    return EXIT_OK


def cmd_demo(args) -> int:
    import time

    from store.db import MEMORY, resolve_path
    from store.demo import ROUNDS, build_demo

    path = resolve_path(args.db)
    if path != MEMORY and is_nonempty_db(path):
        if not args.force:
            print(f"{path} already exists; use --force to replace it with the demo database", file=sys.stderr)
            return EXIT_FAIL
        for p in (Path(path), Path(path + ".wal")):
            p.unlink(missing_ok=True)
    t0 = time.perf_counter()
    with open_db(args, must_exist=False) as st:
        out = build_demo(st)
    print(f"{path}: demo database built in {time.perf_counter() - t0:.1f} s ({len(out)} illustrative imports, rounds {', '.join(ROUNDS)})")
    return EXIT_OK


def cmd_template(args) -> int:
    from ingest.registry import Registry
    from ingest.templates import build_template
    from scoring import load_methodology
    from store import queries
    from store.db import resolve_path

    registry = None
    if is_nonempty_db(resolve_path(args.db)):
        with open_db(args) as st:
            registry = Registry.from_frames(*queries.registry_frames(st))
    data = build_template(args.kind, args.lang, load_methodology(args.methodology), registry, args.round)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(f"{out}: {args.kind} template ({args.lang}), {len(data)} bytes")
    return EXIT_OK




def register(sub, common) -> None:
    s = sub.add_parser("init", parents=[common], help="create an empty database with the registry and methodology")
    s.set_defaults(func=cmd_init)

    s = sub.add_parser("demo", parents=[common], help="build the demo database (illustrative showcase rounds 2022–2024)")
    s.add_argument("--force", action="store_true", help="replace an existing database file")
    s.set_defaults(func=cmd_demo)

    s = sub.add_parser("template", parents=[common], help="write a blank exchange workbook")
    s.add_argument("kind", choices=["self", "infrastructure", "coverage"])
    s.add_argument("--lang", choices=["az", "en"], default="az")
    s.add_argument("-o", "--output", required=True, metavar="FILE", help="the .xlsx to write")
    s.add_argument("--round", default=None, help="pre-fill the round in the Meta sheet")
    s.add_argument("--methodology", default=None, help="methodology version (default: the newest)")
    s.set_defaults(func=cmd_template)

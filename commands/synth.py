"""A synthetic country for benchmarks and trials at scale: ``synth``."""

from __future__ import annotations

import sys
import time

from . import EXIT_FAIL, EXIT_OK, EXIT_USAGE, make_way


def cmd_synth(args) -> int:
    from ingest.progress import terminal
    from store.db import Store, resolve_path
    from store.registry import sync_methodologies
    from store.synth import build_synthetic

    if min(args.institutions, args.services_per_institution, args.rounds) < 1:
        print("--institutions, --services-per-institution and --rounds must each be at least 1", file=sys.stderr)
        return EXIT_USAGE
    path = resolve_path(args.db)
    if not make_way(path, args.force, "a synthetic database"):
        return EXIT_FAIL
    total = args.institutions * args.services_per_institution * args.rounds
    print(f"{path}: building {total:,} self-assessments ({args.institutions:,} institutions × "
          f"{args.services_per_institution:,} services × {args.rounds} rounds, seed {args.seed})")
    t0 = time.perf_counter()
    progress, bar = terminal(args.lang)
    with Store(path, seed=False) as st:
        sync_methodologies(st)
        try:
            counts = build_synthetic(st, institutions=args.institutions,
                                     services_per_institution=args.services_per_institution,
                                     rounds=args.rounds, seed=args.seed, progress=progress)
        finally:
            bar.close()
    print(f"{path}: done in {time.perf_counter() - t0:.1f} s: "
          + ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in counts.items()))
    return EXIT_OK


def register(sub, common) -> None:
    s = sub.add_parser("synth", parents=[common],
                       help="build a synthetic database of a country's shape (benchmarks, trials at scale)",
                       description="A deterministic synthetic database: central, regional and local bodies, "
                                   "levels that drift between rounds, self and expert readings, coverage, "
                                   "infrastructure and portal usage; every round reviewed and published "
                                   "(flagged illustrative).")
    s.add_argument("--institutions", type=int, required=True, metavar="N", help="number of bodies")
    s.add_argument("--services-per-institution", type=int, required=True, metavar="M",
                   help="services each body provides")
    s.add_argument("--rounds", type=int, required=True, metavar="R", help="yearly rounds, the last one 2024")
    s.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (same seed, same content)")
    s.add_argument("--lang", choices=["az", "en"], default="en", help="language of the progress bar")
    s.add_argument("--force", action="store_true", help="replace an existing database file")
    s.set_defaults(func=cmd_synth)

"""Round-table files from the command line: ``report`` (PDF report or handout, deck, chart pack, workbook).

    python cli.py report --round 2024 --lang az --format pdf -o report.pdf
    python cli.py report --round 2024 --format pptx -o out/ --agenda "Dəyirmi masa" --institution "Vergilər Nazirliyi"

The output names the round, the language, "data as of" and "generated at";
``-o`` may be a folder (ending in ``/`` or existing), which then receives
the file under that standard name. A published round is reported as
published; ``--current`` (or a round that is not published) reports the
current data, marked "not published" on every page.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from . import EXIT_FAIL, EXIT_OK, EXIT_USAGE, open_db


def _institution_ids(st, names: list[str]) -> tuple[list[int], list[str]]:
    """Registered institutions matching the names as people type them (either language, any case)."""
    from ingest.registry import Registry
    from store import queries

    inst, serv = queries.registry_frames(st)
    registry = Registry.from_frames(inst, serv)
    ids, problems = [], []
    for name in names:
        iid = registry.match(name)
        if iid is None:
            hint = ", ".join(registry.suggest(name, 3))
            problems.append(f"unknown institution {name!r}" + (f" (did you mean: {hint}?)" if hint else ""))
        else:
            ids.append(int(iid))
    return ids, problems


def cmd_report(args) -> int:
    from report import TooLarge, file_name, render, slides
    from report.agenda import resolve
    from report.gather import NotPublished, gather
    from store import agendas, queries

    kind = args.format
    if args.handout:
        if kind != "pdf":
            print("--handout goes with --format pdf", file=sys.stderr)
            return EXIT_USAGE
        kind = "handout"
    started = time.perf_counter()
    with open_db(args) as st:
        rounds = queries.rounds(st)
        row = rounds[rounds["label"] == str(args.round)]
        if row.empty:
            print(f"no round {args.round!r}; rounds: {', '.join(rounds['label'])}", file=sys.stderr)
            return EXIT_FAIL
        stored = None
        if args.agenda:
            stored = agendas.get_agenda(st, args.agenda)
            if stored is None:
                names = agendas.agendas(st)["name"].tolist()
                print(f"no agenda {args.agenda!r}; agendas: {', '.join(names) or 'none'}", file=sys.stderr)
                return EXIT_FAIL
        ids, problems = _institution_ids(st, args.institution or [])
        if problems:
            print("; ".join(problems), file=sys.stderr)
            return EXIT_FAIL
        published = bool(row["published"].iloc[0])
        snapshot = "current" if args.current or not published else "published"
        try:
            model = gather(st, str(args.round), args.lang, args.source, snapshot=snapshot,
                           agenda=resolve(stored, ids or None), base_url=args.url)
        except NotPublished as exc:
            print(str(exc), file=sys.stderr)
            return EXIT_FAIL
        try:
            content = render(kind, model, slides.build(model), store=st)
        except TooLarge as exc:
            print(exc.message(args.lang), file=sys.stderr)
            return EXIT_FAIL
    out = Path(args.output)
    if args.output.endswith(("/", "\\")) or out.is_dir():
        out = out / file_name(model, kind)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(content)
    state = "published" if model.published else "current data, NOT PUBLISHED"
    print(f"{out}  ({len(content) / 1024:.0f} KB, {state}, data as of {model.data_as_of:%Y-%m-%d %H:%M} UTC, "
          f"{time.perf_counter() - started:.1f} s)" if model.data_as_of else f"{out}  ({state})")
    return EXIT_OK


def register(sub, common) -> None:
    s = sub.add_parser("report", parents=[common], help="render a round's PDF report, handout, deck, chart pack or workbook",
                       description="Render one round-table file for a round (see report/ and docs/REPORTS.md).")
    s.add_argument("--round", required=True, help="round label, e.g. 2024")
    s.add_argument("--lang", choices=["az", "en"], default="az", help="language of the file (default az)")
    s.add_argument("--format", choices=["pdf", "pptx", "zip", "xlsx"], required=True,
                   help="pdf: report (or handout with --handout); pptx: deck; zip: chart pack; xlsx: results workbook")
    s.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="output file, or a folder (ending in /) for the standard file name")
    s.add_argument("--institution", action="append", metavar="NAME",
                   help="only this institution (repeat for several, in order); default: all")
    s.add_argument("--agenda", metavar="NAME", help="a saved presentation agenda (slides, institutions, order)")
    s.add_argument("--handout", action="store_true", help="with --format pdf: the slides with their notes, A4 landscape")
    s.add_argument("--source", choices=["validated", "self", "expert"], default="validated")
    s.add_argument("--current", action="store_true",
                   help="report the current data instead of the published snapshot (marked not published)")
    s.add_argument("--url", metavar="URL", default=None,
                   help="the dashboard's address for links and QR codes (default: $EGOV_PUBLIC_URL, else localhost)")
    s.set_defaults(func=cmd_report)

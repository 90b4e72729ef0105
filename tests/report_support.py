"""Shared pieces of the report tests: a demo store, the report model and slides of round 2024, built once, and
the round's own figures computed apart from ``report/`` (what every output must show)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

AZ_LETTERS = "əƏğıİöşüç"  # the letters the issue names; every case pair is checked separately
ALL_CASES = "əƏğĞıIiİöÖşŞüÜçÇ"
GENERATED = dt.datetime(2026, 11, 27, 10, 30)  # a fixed "generated at" (UTC), so files are comparable


@lru_cache(maxsize=8)
def model_and_slides(db: str, lang: str = "az", snapshot: str = "published", institutions: tuple = ()):
    from report import slides
    from report.agenda import resolve
    from report.gather import gather
    from store.db import Store

    st = Store(db)
    m = gather(st, "2024", lang, snapshot=snapshot, agenda=resolve(None, list(institutions) or None), now=GENERATED,
               base_url="https://egov.example.az")
    return m, slides.build(m)


def outline_titles(items) -> list[str]:
    """The titles of a PDF's bookmarks (pypdf's nested outline), in order."""
    out = []
    for o in items:
        out += outline_titles(o) if isinstance(o, list) else [o.title]
    return out


@dataclass(frozen=True)
class RoundFigures:
    """A round's national figures, scored here from the published answers and the demo's own inputs."""

    services: int  # services registered (the showcase assesses every one)
    institutions: int
    levels: tuple[int, ...]  # services per level 0..5
    mean_level: float
    index: float  # the national infrastructure index

    def mean_text(self, lang: str = "az") -> str:
        from l10n import fmt_num

        return fmt_num(self.mean_level, lang, 2)

    def index_text(self, lang: str = "az") -> str:
        from l10n import fmt_num

        return fmt_num(self.index, lang, 2)


@lru_cache(maxsize=4)
def round_figures(db: str, label: str = "2024") -> RoundFigures:
    """The figures through the scoring core and the store's reads, not through ``report.gather``: a report that
    showed other numbers than the round's own fails against these."""
    import scoring
    from store import queries
    from store.db import Store
    from store.demo import INFRA_NATIONAL

    with Store(db) as st:
        m = queries.load_round_methodology(st, label)
        scored = scoring.score_answers(queries.service_answers(st, label, published_only=True), m)
        services, institutions = len(queries.services(st)), len(queries.institutions(st))
    levels = tuple(int((scored["level"] == k).sum()) for k in range(6))
    return RoundFigures(services=services, institutions=institutions, levels=levels,
                        mean_level=float(scored["level"].mean()),
                        index=scoring.infrastructure(INFRA_NATIONAL[label], m).index)

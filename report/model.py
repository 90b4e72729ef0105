"""The report model: every figure a round-table output shows, gathered once, in one language.

Plain dataclasses of numbers and texts (names already in the report's
language, numbers not yet formatted), so the presentation, the PDF, the
handout, the deck and the chart pack all draw the same values. Built by
:func:`report.gather.gather`; nothing here reads a database.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from .agenda import Agenda


@dataclass(frozen=True)
class Summary:
    """Headline figures of a round (``scoring.round_summary``)."""

    institutions: int
    services: int
    mean_level: float | None
    share_level4: float | None
    share_level5: float | None
    infrastructure_index: float | None
    mean_coverage: float | None


@dataclass(frozen=True)
class BoardRow:
    """One institution on the traffic-light board."""

    institution_id: int
    name: str
    kind: str | None
    n_services: int
    transferable: int | None
    provided: int | None
    coverage_pct: float | None
    coverage_light: str | None
    mean_level: float | None
    maturity_light: str | None
    infrastructure_index: float | None
    infrastructure_light: str | None
    mean_corruption: float | None
    corruption_light: str | None
    level_change: float | None = None  # against the previous round, when both share a methodology
    coverage_change: float | None = None


@dataclass(frozen=True)
class AdviceItem:
    number: int
    short: str
    mandatory: bool


@dataclass(frozen=True)
class ServiceRow:
    """One assessed service of an institution, with what keeps it from the next level."""

    service_id: int
    code: str
    name: str
    audience: str | None
    level: int
    columns: str
    corruption_score: int
    band: str
    source: str
    target: int | None
    advice: tuple[AdviceItem, ...] = ()
    light: str | None = None  # the methodology's maturity light for this level


@dataclass(frozen=True)
class InstitutionPage:
    row: BoardRow
    services: tuple[ServiceRow, ...]
    mean_level_previous: float | None = None


class InstitutionPages(Sequence):
    """The chosen institutions' pages, each built only when it is asked for.

    A country's round has thousands of institutions and a hundred thousand
    services; the presentation shows one of them at a time. The outline (ids
    and how many services each page lists) is known up front, so a deck can
    count its slides without building a page; iterating builds the pages one
    by one and keeps none (an export of the whole deck holds one at a time).
    """

    def __init__(self, ids: Sequence[int], counts: Sequence[int], make: Callable[[int], InstitutionPage]):
        self.ids = tuple(int(i) for i in ids)
        self.service_counts = tuple(int(n) for n in counts)  # services each page lists, in ``ids`` order
        self._make = make

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._make(iid) for iid in self.ids[i]]
        return self._make(self.ids[i])

    def __iter__(self) -> Iterator[InstitutionPage]:
        return (self._make(iid) for iid in self.ids)

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment] - equal by content, like the list it stands for

    def __repr__(self) -> str:
        return f"InstitutionPages({len(self.ids)} institutions)"


@dataclass(frozen=True)
class MappingRow:
    """One line of the EU 20-services table: an EU service, or an Azerbaijani one without counterpart."""

    audience: str | None
    eu_service: str | None
    az_codes: str | None
    az_services: str | None
    level: int | None
    fully_online: bool | None


@dataclass(frozen=True)
class ClassicRow:
    """Online sophistication and full online availability of one group (or the EU)."""

    label: str
    n_services: int | None
    sophistication: float | None
    full_online: float | None
    is_eu: bool = False


@dataclass(frozen=True)
class EgdiPoint:
    year: int
    label: str
    egdi: float | None
    rank: int | None
    is_azerbaijan: bool
    is_eu_average: bool


@dataclass(frozen=True)
class TrendPoint:
    """National figures of one visible round, oldest first."""

    round: str
    methodology_id: str
    series_break: bool
    services: int
    mean_level: float | None
    share_level4: float | None
    coverage_pct: float | None


@dataclass(frozen=True)
class ThresholdRow:
    dimension: str
    green: str
    yellow: str
    red: str


@dataclass(frozen=True)
class MethodInfo:
    """What a reader needs to know of the methodology version the round was scored with."""

    id: str
    title: str
    description: str
    stages: tuple[tuple[int, str, str], ...]  # level, EU stage, UN stage
    thresholds: tuple[ThresholdRow, ...]
    bands: tuple[tuple[str, str], ...]  # label, score range
    components: tuple[tuple[str, str, int], ...]  # id, name, number of questions
    indicators: int
    percent_threshold: float


@dataclass
class ReportModel:
    """Everything one report shows; see the module docstring."""

    lang: str
    round: str
    previous: str | None
    source: str
    method: MethodInfo
    illustrative: bool
    published: bool  # True: the round's published snapshot; False: current data, not published
    data_as_of: _dt.datetime | None  # UTC, naive (as the store keeps times)
    generated_at: _dt.datetime  # UTC, naive
    agenda: Agenda
    dashboard_url: str
    summary: Summary
    summary_previous: Summary | None
    levels: tuple[int, ...]  # services per level 0..5
    levels_previous: tuple[int, ...] | None
    board: list[BoardRow]
    components: tuple[tuple[str, str], ...]  # id, name
    infrastructure: dict[str, float] | None  # component id -> score, "index"
    infrastructure_previous: dict[str, float] | None
    mapping: list[MappingRow]
    classic: list[ClassicRow]
    eu_year: int | None
    egdi: list[EgdiPoint]
    trends: list[TrendPoint]
    # A list, or (from ``gather``) :class:`InstitutionPages` building each page when asked.
    institutions: Sequence[InstitutionPage] = field(default_factory=list)

    @property
    def previous_comparable(self) -> bool:
        return self.summary_previous is not None

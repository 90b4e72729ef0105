"""The draft of one institution's form in one round, as plain data read from the store."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

ITEM_STATES = ("new", "carried", "confirmed", "changed")


@dataclass(frozen=True)
class DraftItem:
    """One service in the form: a registered one from the round's frozen list, or a proposed one.

    ``answers`` hold 1, 0 or None (not answered yet), one per indicator;
    ``comments`` and ``evidence`` are per answer. ``state`` is ``new`` (nothing
    to carry over), ``carried`` (prefilled from ``carried_from`` and not yet
    looked at), ``confirmed`` (carried values confirmed unchanged) or
    ``changed``. ``previous`` holds the approved answers of ``carried_from``.
    """

    item_id: int
    service_id: int | None
    origin: str  # registry | proposed
    code: str
    name: str | None
    audience: str | None
    state: str
    answers: tuple[int | None, ...]
    comments: tuple[str | None, ...]
    evidence: tuple[str | None, ...]
    version: int = 0
    carried_from: str | None = None
    not_applicable: bool = False
    na_reason: str | None = None
    note: str | None = None
    withdrawn: bool = False
    updated_at: _dt.datetime | None = None
    updated_by: str | None = None
    previous: tuple[int, ...] | None = None
    name_en: str | None = None  # the registry's English name (a proposed service has only the name typed)

    def title(self, lang: str) -> str:
        """The service's name in ``lang`` where the registry has one, else as written."""
        return (self.name_en if lang == "en" and self.name_en else self.name) or ""

    @property
    def answered(self) -> int:
        return sum(a is not None for a in self.answers)

    @property
    def complete(self) -> bool:
        return all(a is not None for a in self.answers)

    @property
    def done(self) -> bool:
        """Nothing more to do here: every answer given, or not applicable with a reason."""
        if self.not_applicable:
            return bool(self.na_reason and self.na_reason.strip())
        return self.complete and self.state != "carried"

    @property
    def counted(self) -> bool:
        """Part of the submission's answers (not withdrawn, not marked not applicable)."""
        return not self.withdrawn and not self.not_applicable

    def provisional(self) -> list[int]:
        """Answers with the unanswered ones read as "no": the level the service has at least."""
        return [0 if a is None else int(a) for a in self.answers]


@dataclass(frozen=True)
class DraftCoverage:
    transferable: int | None
    provided: int | None
    state: str = "new"
    version: int = 0
    carried_from: str | None = None
    updated_at: _dt.datetime | None = None
    updated_by: str | None = None

    @property
    def complete(self) -> bool:
        return self.transferable is not None and self.provided is not None


@dataclass
class Draft:
    round_label: str
    institution_id: int
    institution_name: str
    methodology_id: str
    items: list[DraftItem] = field(default_factory=list)
    coverage: DraftCoverage | None = None
    institution_name_en: str | None = None

    def institution(self, lang: str) -> str:
        """The institution's registered name in ``lang`` (Azerbaijani when it has no English one)."""
        return (self.institution_name_en if lang == "en" and self.institution_name_en else self.institution_name)

    def item(self, item_id: int) -> DraftItem:
        for it in self.items:
            if it.item_id == int(item_id):
                return it
        raise LookupError(f"no item {item_id} in this form")

    @property
    def live_items(self) -> list[DraftItem]:
        return [it for it in self.items if not it.withdrawn]

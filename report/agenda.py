"""Agendas: which slides, in which order, about which institutions.

The slide keys below are the vocabulary shared by the presentation, the PDF,
the handout and the deck; a stored agenda (``store.agendas``) names some of
them in the order a presenter wants. ``institutions`` empty means every
institution of the round.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

SLIDE_KEYS: tuple[str, ...] = (
    "cover", "method", "headline", "levels", "board", "infrastructure", "eu_mapping", "eu_indicators", "egdi",
    "trends", "institutions", "closing",
)
DEFAULT_SLIDES: tuple[str, ...] = SLIDE_KEYS


@dataclass(frozen=True)
class Agenda:
    """A resolved agenda: slide keys in order and institution ids in order (empty: all)."""

    name: str | None = None
    slides: tuple[str, ...] = DEFAULT_SLIDES
    institutions: tuple[int, ...] = ()

    @property
    def all_institutions(self) -> bool:
        return not self.institutions


def clean_slides(keys: Iterable[str] | None) -> tuple[str, ...]:
    """Known slide keys in the given order, each once; the default set when nothing usable is left."""
    out = tuple(k for k in dict.fromkeys(str(k) for k in (keys or [])) if k in SLIDE_KEYS)
    return out or DEFAULT_SLIDES


def resolve(stored: dict | None = None, institutions: Iterable[int] | None = None) -> Agenda:
    """An :class:`Agenda` from a stored one (``store.agendas.get_agenda``) and/or chosen institutions.

    Institutions given here replace the agenda's own list (the command line's
    ``--institution`` and the Reports page's choice).
    """
    name = stored.get("name") if stored else None
    slides = clean_slides(stored.get("slides") if stored else None)
    chosen = list(institutions) if institutions else list((stored or {}).get("institutions") or [])
    ids = tuple(dict.fromkeys(int(i) for i in chosen))
    return Agenda(name=name, slides=slides, institutions=ids)

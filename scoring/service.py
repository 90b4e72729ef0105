"""Scoring one e-service: maturity level, corruption-reduction score, advice.

These are the scalar forms, written in plain Python over the methodology's
precomputed integer thresholds; ``frame.score_frame`` is the vectorised twin
and must agree with them on every input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .errors import AnswerError
from .methodology import Methodology

YES_VALUES = (1, True)
NO_VALUES = (0, False)


@dataclass(frozen=True)
class Maturity:
    level: int
    columns: tuple[int, int, int, int, int, int]


@dataclass(frozen=True)
class Corruption:
    score: int
    band: str


@dataclass(frozen=True)
class Advice:
    """What keeps a service from the next level.

    ``target`` is the next level (``None`` at level 5); ``mandatory`` the unmet
    mandatory indicators of levels up to the target; ``suggested`` a small set
    of unmet indicators (mandatory ones included) whose "yes" would lift the
    service to the target level.
    """

    level: int
    target: int | None
    mandatory: tuple[int, ...]
    suggested: tuple[int, ...]


def normalise_answers(answers: Sequence[object], m: Methodology) -> tuple[int, ...]:
    """Turn 17 answers given as 0/1 or bools into a tuple of ints, or raise."""
    values = tuple(answers)
    if len(values) != m.n_indicators:
        raise AnswerError(f"expected {m.n_indicators} answers, got {len(values)}")
    out = []
    for i, v in enumerate(values, start=1):
        if v is True or v is False:
            out.append(int(v))
        elif v in (0, 1) and not isinstance(v, str):
            out.append(int(v))
        else:
            raise AnswerError(f"answer q{i} must be 0/1 or a bool, not {v!r}")
    return tuple(out)


def column_passes(a: Sequence[int], m: Methodology) -> list[bool]:
    """Whether each level column 0..5 passes (column 0 always does)."""
    passes = [True]
    for k in range(1, 6):
        met = 0
        ok = True
        for i in range(m.n_indicators):
            if m.cells[i, k]:
                met += a[i]
            if m.mandatory_cells[i, k] and not a[i]:
                ok = False
        passes.append(ok and met >= m.need[k])
    return passes


def _level_of(passes: Sequence[bool]) -> int:
    level = 0
    for k in range(1, 6):
        if not passes[k]:
            break
        level = k
    return level


def maturity(answers: Sequence[object], m: Methodology) -> Maturity:
    """Maturity level 0–5 and the six displayed level columns of one service."""
    a = normalise_answers(answers, m)
    passes = column_passes(a, m)
    columns = tuple(k if (k and passes[k]) else 0 for k in range(6))
    return Maturity(level=_level_of(passes), columns=columns)  # type: ignore[arg-type]


def band_for(score: float, m: Methodology) -> str:
    band = m.bands[0].id
    for b in m.bands:
        if score >= b.min:
            band = b.id
    return band


def corruption(answers: Sequence[object], m: Methodology) -> Corruption:
    """Corruption-reduction score (sum of flagged indicators) and its band."""
    a = normalise_answers(answers, m)
    score = sum(v for v, ind in zip(a, m.indicators) if ind.corruption)
    return Corruption(score=score, band=band_for(score, m))


def next_level_advice(answers: Sequence[object], m: Methodology) -> Advice:
    """Which unmet indicators keep the service from the next level."""
    return _advice(normalise_answers(answers, m), m)


@lru_cache(maxsize=4096)
def _advice(answers: tuple[int, ...], m: Methodology) -> Advice:
    # An institution's services share a handful of answer patterns: each is worked out once.
    a = list(answers)
    level = _level_of(column_passes(a, m))
    if level >= 5:
        return Advice(level, None, (), ())
    target = level + 1
    mandatory = tuple(
        ind.number for i, ind in enumerate(m.indicators)
        if not a[i] and ind.mandatory and ind.home <= target
    )
    for n in mandatory:
        a[n - 1] = 1
    suggested = list(mandatory)
    # Greedy: add the unmet indicator that helps the most failing columns,
    # preferring lower home levels (the natural order of building a service).
    while True:
        passes = column_passes(a, m)
        failing = [k for k in range(1, target + 1) if not passes[k]]
        if not failing:
            break
        best = None
        for i, ind in enumerate(m.indicators):
            if a[i]:
                continue
            gain = sum(1 for k in failing if m.cells[i, k])
            if gain and (best is None or (gain, -ind.home, -ind.number) > best[0]):
                best = ((gain, -ind.home, -ind.number), i)
        if best is None:  # cannot happen with a valid methodology
            break
        a[best[1]] = 1
        suggested.append(m.indicators[best[1]].number)
    return Advice(level, target, mandatory, tuple(sorted(suggested)))

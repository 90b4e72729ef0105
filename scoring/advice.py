"""Next-level advice over whole arrays: the vectorised twin of ``service.next_level_advice``.

The scalar rule (``service._advice``) adds every unmet mandatory indicator up
to the target level, then greedily the unmet indicator that helps the most
failing level columns (ties: lower home level, then lower number) until the
target passes. Here the same steps run on all rows at once: a step is two
small boolean matrix products over the rows still short of their target, and
a methodology has at most as many steps as indicators. Advice comes back as
bit masks (bit ``i`` = the methodology's ``i``-th indicator), one integer a
row, which :func:`numbers` turns into indicator numbers for the few rows a
page shows. ``tests/test_scoring_advice.py`` checks it against the scalar
rule on all 2^17 answer sets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .frame import score_columns
from .methodology import Methodology

NO_TARGET = -1  # in ``target``: the service is at level 5, nothing to advise


@dataclass(frozen=True)
class AdviceArrays:
    """Advice for ``n`` rows: ``target`` (int8, :data:`NO_TARGET` at level 5) and two int64 bit masks."""

    level: np.ndarray
    target: np.ndarray
    mandatory: np.ndarray
    suggested: np.ndarray


def _masks(flags: np.ndarray) -> np.ndarray:
    """(n × indicators) booleans as one int64 bit mask a row."""
    weights = np.left_shift(np.int64(1), np.arange(flags.shape[1], dtype=np.int64))
    return flags.astype(np.int64) @ weights


def advice_columns(cols: Sequence[np.ndarray], m: Methodology) -> AdviceArrays:
    """Advice for answer columns (0/1 uint8 arrays of equal length, as ``frame.answer_columns`` gives)."""
    n_ind = m.n_indicators
    n = len(cols[0]) if len(cols) else 0
    level = score_columns(cols, m)["level"] if n else np.zeros(0, np.int8)
    target = np.where(level >= 5, NO_TARGET, level + 1).astype(np.int8)
    if n == 0:
        empty = np.zeros(0, np.int64)
        return AdviceArrays(level, target, empty, empty.copy())
    a = np.stack([np.asarray(c).view(bool) if np.asarray(c).dtype.itemsize == 1 else np.asarray(c).astype(bool)
                  for c in cols], axis=1)
    home = np.array([ind.home for ind in m.indicators])
    is_mandatory = np.array([ind.mandatory for ind in m.indicators], dtype=bool)
    open_ = target != NO_TARGET
    mandatory = ~a & is_mandatory[None, :] & (home[None, :] <= target[:, None]) & open_[:, None]
    a = a | mandatory
    suggested = mandatory.copy()
    # Greedy steps, only on rows still short of their target: the scalar loop, one pick per row per step.
    cells = m.cells[:, 1:6].astype(np.int16)  # (indicators × columns 1..5)
    must = m.mandatory_cells[:, 1:6].astype(np.int16)
    need = np.array(m.need[1:6], dtype=np.int16)
    within = np.arange(1, 6)[None, :] <= target[:, None]  # columns 1..target of each row
    # Ties go to the lower home level, then the lower number: a rank that grows as those fall.
    order = sorted(range(n_ind), key=lambda i: (m.indicators[i].home, m.indicators[i].number))
    prio = np.empty(n_ind, np.int64)
    prio[order] = np.arange(n_ind - 1, -1, -1)
    rows = np.flatnonzero(open_)
    for _ in range(n_ind + 1):
        if not len(rows):
            break
        ar = a[rows].astype(np.int16)
        passes = (ar @ cells >= need) & ((1 - ar) @ must == 0)
        failing = ~passes & within[rows]
        short = failing.any(axis=1)
        rows, ar, failing = rows[short], ar[short], failing[short]
        if not len(rows):
            break
        gain = failing.astype(np.int16) @ cells.T  # (rows × indicators): failing columns each would help
        gain[ar.astype(bool)] = 0
        key = np.where(gain > 0, gain.astype(np.int64) * (n_ind + 1) + prio[None, :], -1)
        best = key.argmax(axis=1)
        ok = key[np.arange(len(rows)), best] >= 0  # no helpful indicator: the scalar loop stops too
        rows, best = rows[ok], best[ok]
        a[rows, best] = True
        suggested[rows, best] = True
    return AdviceArrays(level, target, _masks(mandatory), _masks(suggested))


@lru_cache(maxsize=256)
def _numbers(mask: int, numbers: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(sorted(n for i, n in enumerate(numbers) if (mask >> i) & 1))


def numbers(mask: int, m: Methodology) -> tuple[int, ...]:
    """The indicator numbers of a bit mask, ascending (as ``Advice.suggested`` lists them)."""
    return _numbers(int(mask), tuple(ind.number for ind in m.indicators))

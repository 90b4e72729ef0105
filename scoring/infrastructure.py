"""Scoring the expert assessment of the e-government infrastructure."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

from .errors import AnswerError
from .methodology import Methodology


@dataclass(frozen=True)
class Infrastructure:
    components: dict[str, float]
    index: float
    points: dict[str, int]  # question id -> 0/1 as scored


def question_point(qtype: str, value: object, m: Methodology) -> int:
    """A question's 0/1 contribution: yes/no as is; a percentage above the threshold → 1."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise AnswerError("missing answer")
    if qtype == "yesno":
        if value is True or value is False or value in (0, 1):
            return int(bool(value))
        raise AnswerError(f"a yes/no answer must be 0/1 or a bool, not {value!r}")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise AnswerError(f"a percentage must be a number, not {value!r}")
    if not 0 <= value <= 100:
        raise AnswerError(f"a percentage must lie between 0 and 100, not {value!r}")
    return int(value > m.percent_threshold)


def infrastructure(values: Mapping[str, object], m: Methodology) -> Infrastructure:
    """Component scores (mean of their questions) and the index (mean of components)."""
    points: dict[str, int] = {}
    components: dict[str, float] = {}
    for comp in m.components:
        total = 0
        for q in comp.questions:
            if q.id not in values:
                raise AnswerError(f"question {q.id} is not answered")
            try:
                p = question_point(q.type, values[q.id], m)
            except AnswerError as exc:
                raise AnswerError(f"question {q.id}: {exc}") from None
            points[q.id] = p
            total += p
        components[comp.id] = total / len(comp.questions)
    index = sum(components.values()) / len(components)
    return Infrastructure(components=components, index=index, points=points)

"""Coverage percentages and the traffic lights of the board."""

from __future__ import annotations

import math

from .errors import AnswerError
from .methodology import LIGHT_DIMENSIONS, Methodology

GREEN, YELLOW, RED = "green", "yellow", "red"


def coverage(transferable: int, provided: int) -> float:
    """E-services provided as a percentage of services transferable to e-services.

    NaN when nothing is transferable (there is nothing to cover).
    """
    for name, v in (("transferable", transferable), ("provided", provided)):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0 or v != int(v):
            raise AnswerError(f"{name} must be a whole number ≥ 0, not {v!r}")
    if provided > transferable:
        raise AnswerError(f"provided ({provided}) exceeds transferable ({transferable})")
    if transferable == 0:
        return math.nan
    return 100.0 * provided / transferable


def traffic_light(dimension: str, value: float | None, m: Methodology) -> str | None:
    """``green``, ``yellow`` or ``red`` for a value on a board dimension; None without data."""
    if dimension not in LIGHT_DIMENSIONS:
        raise KeyError(f"unknown traffic-light dimension {dimension!r}")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    rule = m.lights[dimension]
    if value > rule.green or (rule.green_inclusive and value == rule.green):
        return GREEN
    if value > rule.yellow or (rule.yellow_inclusive and value == rule.yellow):
        return YELLOW
    return RED

"""What changed between two methodology versions, as a readable table.

Compares indicators (placement, mandatory and corruption flags, texts), levels,
corruption bands, infrastructure questions, thresholds and traffic-light rules.
Pure function of two :class:`~scoring.methodology.Methodology` objects.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from .methodology import LightRule, Methodology

DIFF_COLUMNS = ["part", "item", "change", "old", "new"]


def _rows(part: str, old: dict, new: dict) -> list[dict]:
    out = []
    for key in sorted(set(old) | set(new), key=lambda k: (len(str(k)), str(k))):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        change = "added" if a is None else "removed" if b is None else "changed"
        out.append({"part": part, "item": str(key), "change": change,
                    "old": None if a is None else str(a), "new": None if b is None else str(b)})
    return out


def _indicators(m: Methodology, lang: str) -> dict:
    # Level · level columns · * mandatory · C counts for corruption: text (marks, not words, so any
    # language can read it; the page says what they mean).
    return {f"q{i.number}": f"{i.home} · {list(i.cols)}{' · *' if i.mandatory else ''}{' · C' if i.corruption else ''}: "
                           f"{i.text.get(lang)}" for i in m.indicators}


def _questions(m: Methodology, lang: str) -> dict:
    return {q.id: f"{c.name.get(lang)} ({'%' if q.type == 'percent' else '✓/✗'}): {q.text.get(lang)}"
            for c in m.components for q in c.questions}


def _light(rule: LightRule, number: Callable[[float], str]) -> str:
    unit = " %" if rule.unit == "percent" else ""
    return (f"{'≥' if rule.green_inclusive else '>'} {number(rule.green)}{unit} / "
            f"{'≥' if rule.yellow_inclusive else '>'} {number(rule.yellow)}{unit}")


def methodology_diff(old: Methodology, new: Methodology, lang: str = "en",
                     number: Callable[[float], str] = str) -> pd.DataFrame:
    """One row per difference: ``part``, ``item``, ``change`` (added/removed/changed), ``old``, ``new``.

    ``number`` writes the numbers (the interface passes its CLDR formatter).
    """
    rows: list[dict] = []
    rows += _rows("indicator", _indicators(old, lang), _indicators(new, lang))
    rows += _rows("level", {s.level: f"{s.eu.get(lang)} / {s.un.get(lang)}" for s in old.stages},
                  {s.level: f"{s.eu.get(lang)} / {s.un.get(lang)}" for s in new.stages})
    rows += _rows("corruption band", {b.id: f"≥ {b.min}" for b in old.bands}, {b.id: f"≥ {b.min}" for b in new.bands})
    rows += _rows("infrastructure question", _questions(old, lang), _questions(new, lang))
    rows += _rows("rule", {"min_share": number(old.min_share), "percent_threshold": number(old.percent_threshold)},
                  {"min_share": number(new.min_share), "percent_threshold": number(new.percent_threshold)})
    rows += _rows("traffic light", {k: _light(v, number) for k, v in old.lights.items()},
                  {k: _light(v, number) for k, v in new.lights.items()})
    return pd.DataFrame(rows, columns=DIFF_COLUMNS)

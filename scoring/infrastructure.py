"""Scoring the expert assessment of the e-government infrastructure."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

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


def infrastructure_frame(answers: pd.DataFrame, m: Methodology) -> pd.DataFrame:
    """Vectorised scoring of long-format answers (``scope``, ``question_id``, ``value``).

    Returns one row per scope with a column per component and ``index``.
    Scopes missing any question of the methodology are left out, as the scalar
    form would refuse them.
    """
    qtype = {q.id: q.type for q in m.questions}
    comp_of = {q.id: c.id for c in m.components for q in c.questions}
    df = answers[answers["question_id"].isin(qtype)].copy()
    # Object dtype: a nullable integer column (the store's) cannot hold the national marker.
    df["scope"] = df["scope"].astype(object).where(df["scope"].notna(), None)
    if df.empty:
        return pd.DataFrame(columns=["scope", *[c.id for c in m.components], "index"])
    is_pct = df["question_id"].map(qtype).eq("percent")
    v = df["value"].astype(float)
    df["point"] = ((is_pct & (v > m.percent_threshold)) | (~is_pct & (v != 0))).astype(int)
    df["component"] = df["question_id"].map(comp_of)
    key = df["scope"].fillna("__national__")
    complete = df.groupby(key)["question_id"].nunique() == len(qtype)
    df = df[key.map(complete)]
    if df.empty:
        return pd.DataFrame(columns=["scope", *[c.id for c in m.components], "index"])
    df["scope"] = df["scope"].fillna("__national__")
    wide = df.pivot_table(index="scope", columns="component", values="point", aggfunc="mean")
    wide = wide[[c.id for c in m.components]]
    wide["index"] = wide.mean(axis=1)
    out = wide.reset_index()
    out.columns.name = None
    out["scope"] = out["scope"].where(out["scope"] != "__national__", None)
    return out

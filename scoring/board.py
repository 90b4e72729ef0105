"""The traffic-light board and the round summary, computed from scored frames.

Inputs are plain DataFrames (as the store returns them, after ``score_frame``),
so the board shown in the app and the ``institutions.csv`` export are the same
numbers by construction.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .frame import light_series, score_frame
from .infrastructure import infrastructure_frame
from .methodology import Methodology

BOARD_COLUMNS = [
    "institution_id", "n_services", "services_transferable", "e_services_provided", "coverage_pct",
    "coverage_light", "mean_level", "maturity_light", "infrastructure_index", "infrastructure_light",
    "mean_corruption", "corruption_light",
]


def score_answers(answers: pd.DataFrame, m: Methodology) -> pd.DataFrame:
    """The answer rows with their scores appended (level, col0…col5, corruption)."""
    if answers.empty:
        scored = score_frame(pd.DataFrame(columns=m.answer_columns), m)
        return pd.concat([answers, scored], axis=1)
    return answers.join(score_frame(answers, m))


def coverage_frame(coverage: pd.DataFrame) -> pd.DataFrame:
    """Coverage percent per row (NaN where nothing is transferable)."""
    out = coverage.copy()
    t = out["services_transferable"].astype(float)
    p = out["e_services_provided"].astype(float)
    out["coverage_pct"] = np.where(t > 0, 100.0 * p / t.where(t > 0, 1.0), np.nan)
    return out


def institution_board(
    scored: pd.DataFrame,
    coverage: pd.DataFrame,
    infrastructure: pd.DataFrame | None,
    m: Methodology,
) -> pd.DataFrame:
    """One row per institution with data in the round: figures and four lights.

    ``scored``: service rows with ``institution_id``, ``level``, ``corruption_score``.
    ``coverage``: ``institution_id``, ``services_transferable``, ``e_services_provided``.
    ``infrastructure``: long answers ``scope_institution_id``, ``question_id``,
    ``value`` (national rows, with a null scope, are ignored here).
    """
    per_service = (
        scored.groupby("institution_id")
        .agg(n_services=("level", "size"), mean_level=("level", "mean"), mean_corruption=("corruption_score", "mean"))
        if not scored.empty
        else pd.DataFrame(columns=["n_services", "mean_level", "mean_corruption"])
    )
    cov = coverage_frame(coverage).set_index("institution_id")[
        ["services_transferable", "e_services_provided", "coverage_pct"]
    ] if not coverage.empty else pd.DataFrame(columns=["services_transferable", "e_services_provided", "coverage_pct"])
    infra_idx = pd.Series(dtype=float, name="infrastructure_index")
    if infrastructure is not None and not infrastructure.empty:
        local = infrastructure[infrastructure["scope_institution_id"].notna()]
        if not local.empty:
            scores = infrastructure_frame(local.rename(columns={"scope_institution_id": "scope"}), m)
            infra_idx = scores.set_index("scope")["index"].rename("infrastructure_index")
            infra_idx.index = infra_idx.index.astype("int64")
    board = per_service.join(cov, how="outer").join(infra_idx, how="left")
    board.index.name = "institution_id"
    board = board.reset_index()
    board["n_services"] = board["n_services"].fillna(0).astype(int)
    for col in ("mean_level", "mean_corruption", "coverage_pct", "infrastructure_index"):
        board[col] = pd.to_numeric(board.get(col), errors="coerce").astype(float)
    board["coverage_light"] = light_series("coverage", board["coverage_pct"], m)
    board["maturity_light"] = light_series("maturity", board["mean_level"], m)
    board["infrastructure_light"] = light_series("infrastructure", board["infrastructure_index"], m)
    board["corruption_light"] = light_series("corruption", board["mean_corruption"], m)
    return board[BOARD_COLUMNS]


def board_changes(now: pd.DataFrame, before: pd.DataFrame | None) -> pd.DataFrame:
    """Change of mean level, coverage and corruption per institution since ``before``."""
    out = now[["institution_id"]].copy()
    for col in ("mean_level", "coverage_pct", "mean_corruption"):
        out[f"{col}_change"] = np.nan
    if before is None or before.empty:
        return out
    prev = before.set_index("institution_id")
    for col in ("mean_level", "coverage_pct", "mean_corruption"):
        out[f"{col}_change"] = now[col].to_numpy() - now["institution_id"].map(prev[col]).to_numpy(dtype=float)
    return out


def round_summary(scored: pd.DataFrame, coverage: pd.DataFrame, national_index: float | None) -> dict[str, float | int | None]:
    """Headline figures of a round (mean coverage is the mean of institutions' percentages)."""
    n = len(scored)
    cov = coverage_frame(coverage)["coverage_pct"] if not coverage.empty else pd.Series(dtype=float)
    levels = scored["level"] if n else pd.Series(dtype=float)
    institutions = set(scored["institution_id"]) if n else set()
    if not coverage.empty:
        institutions |= set(coverage["institution_id"])
    return {
        "institutions": len(institutions),
        "services": n,
        "mean_level": float(levels.mean()) if n else None,
        "share_level4": float((levels >= 4).mean() * 100) if n else None,
        "share_level5": float((levels >= 5).mean() * 100) if n else None,
        "infrastructure_index": national_index,
        "mean_coverage": float(cov.mean()) if cov.notna().any() else None,
    }


def level_distribution(scored: pd.DataFrame, by: str = "audience") -> pd.DataFrame:
    """Counts and shares of services per level (0–5) within each group of ``by``."""
    if scored.empty:
        return pd.DataFrame(columns=[by, "level", "count", "share"])
    g = scored.assign(**{by: scored[by].fillna("—")})
    counts = g.groupby([by, "level"]).size().rename("count").reset_index()
    full = pd.MultiIndex.from_product([sorted(g[by].unique()), range(6)], names=[by, "level"])
    counts = counts.set_index([by, "level"]).reindex(full, fill_value=0).reset_index()
    counts["share"] = counts["count"] / counts.groupby(by)["count"].transform("sum") * 100
    return counts

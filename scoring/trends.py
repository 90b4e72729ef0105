"""Change between assessment rounds, pure pandas.

Rounds collected under different methodology versions are not on the same
scale: a level 3 under one rule set need not be a level 3 under the next.
Every function here therefore knows where the series breaks
(:func:`series_breaks`) and never computes a change across a break without
saying so: :func:`transition_matrix` refuses, the others leave the delta
empty and flag the row.

Conventions for the inputs (column names are keyword parameters):
scored rows carry ``round`` (the round label), ``level`` (0–5), ``service_id``,
``institution_id`` and, optionally, ``methodology_id``; ``rounds_df`` carries
``label``, ``methodology_id`` and ``ordered`` (any sortable key: a date, a
year, a sequence number).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .methodology import Methodology, Text

LEVELS = list(range(6))


# ---------------------------------------------------------------- rounds


def _round_table(frame: pd.DataFrame | None, rounds_df: pd.DataFrame | None, round_col: str,
                 methodology_col: str) -> pd.DataFrame:
    """Ordered rounds with their methodology (NA when unknown) and break flag.

    Columns: ``label``, ``methodology_id``, ``series_break`` (True where the
    version differs from the previous round's), ``comparable`` (the round can
    be compared with the previous one: same, known version).
    """
    if rounds_df is not None:
        r = rounds_df.sort_values("ordered", kind="stable") if "ordered" in rounds_df.columns else rounds_df
        r = pd.DataFrame({"label": r["label"].astype(str).to_numpy(),
                          "methodology_id": r["methodology_id"].astype(object).to_numpy()})
        if frame is not None:
            missing = set(_labels_in(frame[round_col])) - set(r["label"])
            if missing:
                raise KeyError(f"round(s) not described in rounds_df: {sorted(missing)}")
    else:
        if frame is None:
            raise ValueError("need either the data or rounds_df to order the rounds")
        labels = sorted(set(_labels_in(frame[round_col])))
        if methodology_col in frame.columns:
            codes = _round_codes(frame[round_col], labels)
            per = frame[methodology_col][codes >= 0].groupby(codes[codes >= 0]).agg(
                lambda s: s.iloc[0] if s.nunique(dropna=False) == 1 else "<mixed>")
            meth = per.reindex(range(len(labels))).to_numpy(dtype=object)
        else:
            meth = [None] * len(labels)
        r = pd.DataFrame({"label": labels, "methodology_id": meth})
    mid = r["methodology_id"].where(r["methodology_id"].notna(), None)
    prev = mid.shift(1)
    known = mid.notna() & (mid != "<mixed>")
    same = known & prev.notna() & (mid == prev)
    r["series_break"] = (mid != prev) & (np.arange(len(r)) > 0)
    r["comparable"] = same.astype(bool)
    return r.reset_index(drop=True)


def series_breaks(rounds_df: pd.DataFrame) -> list[str]:
    """Labels of the rounds whose methodology version differs from the previous
    round's (in ``ordered`` order): the places to draw a break in every series."""
    r = _round_table(None, rounds_df, "label", "methodology_id")
    return r.loc[r["series_break"], "label"].tolist()


def _labels_in(values: pd.Series) -> list[str]:
    """The distinct round labels of a column, as text (computed on the distinct values only)."""
    return [str(v) for v in pd.unique(values.dropna())]


def _round_codes(values: pd.Series, order: list[str]) -> np.ndarray:
    """Position of each row's round in ``order`` (-1 when absent), from the distinct values only.

    Rounds arrive as text or as a categorical; turning a million cells into
    text would cost more than everything else here, so only the distinct
    labels are converted.
    """
    codes, uniques = pd.factorize(values)
    pos = {lab: i for i, lab in enumerate(order)}
    lookup = np.array([pos.get(str(u), -1) for u in uniques] + [-1], dtype=np.int64)
    return lookup[codes]  # factorize marks missing values -1: the extra last entry


def _ordered_round(frame: pd.DataFrame, round_col: str, order: list[str]) -> pd.Categorical:
    return pd.Categorical.from_codes(_round_codes(frame[round_col], order), categories=order, ordered=True)


def _counts(round_codes: np.ndarray, value_codes: np.ndarray, n_rounds: int, n_values: int) -> np.ndarray:
    """(rounds × values) counts of the rows whose round and value are both known."""
    ok = (round_codes >= 0) & (value_codes >= 0) & (value_codes < n_values)
    flat = round_codes[ok] * n_values + value_codes[ok]
    return np.bincount(flat, minlength=n_rounds * n_values).reshape(n_rounds, n_values)


# ---------------------------------------------------------------- distributions


def level_distribution(scored_all_rounds: pd.DataFrame, rounds_df: pd.DataFrame | None = None, *,
                       round_col: str = "round", level_col: str = "level",
                       methodology_col: str = "methodology_id") -> pd.DataFrame:
    """Count and share of services per level in each round.

    Columns: ``round``, ``level`` (0–5, all listed), ``n_services``,
    ``share_pct`` (of the round's assessed services), ``methodology_id``,
    ``series_break`` (the round opens a new series).
    """
    rounds = _round_table(scored_all_rounds, rounds_df, round_col, methodology_col)
    d = scored_all_rounds.dropna(subset=[level_col])
    order = rounds["label"].tolist()
    counts = _counts(_round_codes(d[round_col], order), d[level_col].to_numpy().astype(np.int64), len(order),
                     len(LEVELS))
    return _long_shares(pd.DataFrame(counts, index=pd.Index(order), columns=LEVELS), rounds, "level")


def band_distribution(scored_all_rounds: pd.DataFrame, rounds_df: pd.DataFrame | None = None,
                      bands: Methodology | list[str] | None = None, *, round_col: str = "round",
                      band_col: str = "corruption_band", methodology_col: str = "methodology_id") -> pd.DataFrame:
    """Count and share of services per corruption-reduction band in each round.

    ``bands`` fixes the order (a methodology, or a list of band ids); by default
    the bands found, sorted. Columns: ``round``, ``band``, ``n_services``,
    ``share_pct``, ``methodology_id``, ``series_break``.
    """
    rounds = _round_table(scored_all_rounds, rounds_df, round_col, methodology_col)
    d = scored_all_rounds.dropna(subset=[band_col])
    if isinstance(bands, Methodology):
        order = [b.id for b in bands.bands]
    else:
        order = list(bands) if bands is not None else sorted(set(_labels_in(d[band_col])))
    labels = rounds["label"].tolist()
    counts = _counts(_round_codes(d[round_col], labels), _round_codes(d[band_col], order), len(labels), len(order))
    return _long_shares(pd.DataFrame(counts, index=pd.Index(labels), columns=order), rounds, "band")


def _long_shares(counts: pd.DataFrame, rounds: pd.DataFrame, what: str) -> pd.DataFrame:
    totals = counts.sum(axis=1)
    shares = counts.div(totals.where(totals > 0), axis=0) * 100
    counts.index.name, counts.columns.name = "round", what
    shares.index.name, shares.columns.name = "round", what
    out = counts.stack().rename("n_services").to_frame().join(shares.stack().rename("share_pct")).reset_index()
    out["n_services"] = out["n_services"].astype("int64")
    return out.merge(rounds[["label", "methodology_id", "series_break"]].rename(columns={"label": "round"}),
                     on="round", how="left")


def coverage_over_time(coverage_all_rounds: pd.DataFrame, rounds_df: pd.DataFrame | None = None, *,
                       round_col: str = "round", transferable_col: str = "transferable",
                       provided_col: str = "provided", methodology_col: str = "methodology_id") -> pd.DataFrame:
    """National coverage per round.

    Columns: ``round``, ``n_institutions``, ``transferable``, ``provided``,
    ``coverage_pct`` (total provided ÷ total transferable × 100, so large
    institutions weigh more), ``mean_institution_coverage_pct`` (each
    institution counts once; those with nothing transferable are left out),
    ``methodology_id``, ``series_break``, ``delta_pct`` (change of
    ``coverage_pct`` from the previous round, NA across a series break).
    """
    rounds = _round_table(coverage_all_rounds, rounds_df, round_col, methodology_col)
    d = coverage_all_rounds.assign(_round=coverage_all_rounds[round_col].astype(str))
    t = d[transferable_col].astype("float64")
    d["_cov"] = (d[provided_col].astype("float64") / t.where(t > 0)) * 100
    g = d.groupby("_round").agg(n_institutions=("_round", "size"), transferable=(transferable_col, "sum"),
                                provided=(provided_col, "sum"), mean_institution_coverage_pct=("_cov", "mean"))
    g = g.reindex(rounds["label"])
    g["coverage_pct"] = g["provided"] / g["transferable"].where(g["transferable"] > 0) * 100
    out = g.rename_axis("round").reset_index()
    out["n_institutions"] = out["n_institutions"].fillna(0).astype("int64")
    out = out.merge(rounds.rename(columns={"label": "round"}), on="round", how="left")
    out["delta_pct"] = (out["coverage_pct"] - out["coverage_pct"].shift(1)).where(out["comparable"])
    return out[["round", "n_institutions", "transferable", "provided", "coverage_pct",
                "mean_institution_coverage_pct", "methodology_id", "series_break", "delta_pct"]]


# ---------------------------------------------------------------- institutions


def institution_changes(scored_all_rounds: pd.DataFrame, rounds_df: pd.DataFrame | None = None, *,
                        institution_col: str = "institution_id", round_col: str = "round",
                        level_col: str = "level", methodology_col: str = "methodology_id") -> pd.DataFrame:
    """Mean assessed level per institution and round, and its change.

    Columns: ``round``, ``<institution_col>``, ``mean_level``, ``n_services``,
    ``prev_round`` (the institution's previous assessed round), ``delta``
    (mean_level − previous mean_level) and ``comparable`` (False, with
    ``delta`` NA, when a methodology change or an unknown version lies between
    the two rounds, or there is no previous round).
    """
    rounds = _round_table(scored_all_rounds, rounds_df, round_col, methodology_col)
    order = rounds["label"].tolist()
    d = scored_all_rounds.dropna(subset=[level_col])
    # Sums and counts per (institution, round) by one bincount, institution-major, so that each
    # institution's rounds come out consecutive and in order: the previous round is the row before.
    rc = _round_codes(d[round_col], order)
    ic, institutions = pd.factorize(d[institution_col], sort=True)
    keep = (rc >= 0) & (ic >= 0)
    rc, ic = rc[keep], ic[keep].astype(np.int64)
    n_r, n_i = len(order), len(institutions)
    flat = ic * n_r + rc
    n = np.bincount(flat, minlength=n_r * n_i)
    total = np.bincount(flat, weights=d[level_col].to_numpy(dtype=float)[keep], minlength=n_r * n_i)
    hit = np.flatnonzero(n)
    inst, cur_i = hit // n_r, hit % n_r
    mean = total[hit] / n[hit]
    same = np.zeros(len(hit), dtype=bool)
    same[1:] = inst[1:] == inst[:-1]
    prev_i = np.full(len(hit), -1, dtype=np.int64)
    prev_i[1:] = cur_i[:-1]
    prev_i[~same] = -1
    prev_mean = np.full(len(hit), np.nan)
    prev_mean[1:] = mean[:-1]
    prev_mean[~same] = np.nan
    # Comparable only when both rounds ran on one and the same known version:
    # every round between them must be comparable with its predecessor too.
    cum_breaks = (~rounds["comparable"]).cumsum().to_numpy()
    ok = (prev_i >= 0) & (cum_breaks[cur_i] == cum_breaks[np.maximum(prev_i, 0)])
    labels = np.array(order + [None], dtype=object)  # index -1 → None
    g = pd.DataFrame({
        "round": labels[cur_i], institution_col: np.asarray(institutions)[inst],
        "mean_level": mean, "n_services": n[hit].astype("int64"), "prev_round": labels[prev_i],
        "delta": np.where(ok, mean - prev_mean, np.nan), "comparable": ok,
    })
    g["delta"] = g["delta"].astype(float)
    g = g.iloc[np.lexsort((inst, cur_i))]
    return g.reset_index(drop=True)


# ---------------------------------------------------------------- transitions


@dataclass(frozen=True)
class Transition:
    """Level changes between two rounds for the services assessed in both.

    When ``comparable`` is False the comparison was refused: ``matrix`` is
    ``None``, ``movers`` is empty and ``reason`` says why (az/en).
    """

    comparable: bool
    reason: Text | None
    methodology_a: str | None
    methodology_b: str | None
    matrix: pd.DataFrame | None = None  # 6×6 counts: index level_a, columns level_b
    movers: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["service_id", "level_a", "level_b", "delta"]))
    n_common: int = 0
    only_a: tuple = ()
    only_b: tuple = ()

    @property
    def n_up(self) -> int:
        return int((self.movers["delta"] > 0).sum())

    @property
    def n_down(self) -> int:
        return int((self.movers["delta"] < 0).sum())

    @property
    def n_same(self) -> int:
        return self.n_common - self.n_up - self.n_down


def _methodology_of(frame: pd.DataFrame, given: str | None, col: str) -> tuple[str | None, bool]:
    """(version id, mixed?) of one round's rows."""
    if given is not None:
        return given, False
    if col not in frame.columns:
        return None, False
    ids = frame[col].dropna().unique()
    if len(ids) > 1:
        return None, True
    return (str(ids[0]) if len(ids) else None), False


def transition_matrix(scored_a: pd.DataFrame, scored_b: pd.DataFrame, *, methodology_a: str | None = None,
                      methodology_b: str | None = None, key: str = "service_id", level_col: str = "level",
                      methodology_col: str = "methodology_id") -> Transition:
    """Cross-tabulate levels of round A (rows) against round B (columns).

    Services are matched on ``key``; those in one round only are listed in
    ``only_a`` / ``only_b``. The methodology version of each round comes from
    ``methodology_a`` / ``methodology_b`` or from the frames' ``methodology_id``
    column; if the versions differ, are mixed within a round or are unknown,
    the comparison is refused (``comparable`` False) instead of computed.
    ``movers`` lists services whose level changed: ``service_id`` (the key),
    ``level_a``, ``level_b``, ``delta``, biggest rise first.
    """
    ma, mixed_a = _methodology_of(scored_a, methodology_a, methodology_col)
    mb, mixed_b = _methodology_of(scored_b, methodology_b, methodology_col)
    if mixed_a or mixed_b:
        return Transition(False, Text(az="Raundlardan birində fərqli metodika versiyaları qarışıqdır; müqayisə aparılmır.",
                                      en="One round mixes methodology versions; no comparison is made."), ma, mb)
    if ma is None or mb is None:
        return Transition(False, Text(az="Raundun metodika versiyası məlum deyil; müqayisə aparılmır.",
                                      en="The methodology version of a round is unknown; no comparison is made."), ma, mb)
    if ma != mb:
        return Transition(False, Text(
            az=f"Raundlar fərqli metodika versiyaları ilə toplanıb ({ma} → {mb}): səviyyələr eyni şkalada deyil.",
            en=f"The rounds were collected under different methodology versions ({ma} → {mb}): levels are not on one scale."),
            ma, mb)

    for name, frame in (("A", scored_a), ("B", scored_b)):
        dup = frame[key].duplicated()
        if dup.any():
            raise ValueError(f"round {name} lists {key} more than once: {sorted(frame.loc[dup, key].unique().tolist())[:10]}")
    a = scored_a[[key, level_col]].dropna().rename(columns={level_col: "level_a"})
    b = scored_b[[key, level_col]].dropna().rename(columns={level_col: "level_b"})
    both = a.merge(b, on=key, how="inner")
    both["level_a"] = both["level_a"].astype("int64")
    both["level_b"] = both["level_b"].astype("int64")
    matrix = pd.crosstab(both["level_a"], both["level_b"]).reindex(index=LEVELS, columns=LEVELS, fill_value=0)
    matrix.index.name, matrix.columns.name = "level_a", "level_b"
    both["delta"] = both["level_b"] - both["level_a"]
    movers = both[both["delta"] != 0].sort_values(["delta", key], ascending=[False, True], kind="stable")
    movers = movers.rename(columns={key: "service_id"})[["service_id", "level_a", "level_b", "delta"]].reset_index(drop=True)
    return Transition(
        comparable=True, reason=None, methodology_a=ma, methodology_b=mb,
        matrix=matrix.astype("int64"), movers=movers, n_common=len(both),
        only_a=tuple(sorted(set(a[key]) - set(b[key]), key=str)),
        only_b=tuple(sorted(set(b[key]) - set(a[key]), key=str)),
    )

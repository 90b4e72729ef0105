"""Portal use (demand) set against assessed maturity (supply), pure pandas.

The August 2014 bulletin lists, per institution, how many e-services sit on
the national portal and how often they were used in July 2014
(:func:`scoring.reference.load_portal_usage_2014`). Joined with the mean
assessed level per institution it shows whether well-used services are also
mature ones. The bulletin's printed total does not equal the sum of its rows;
:func:`portal_totals` exposes both instead of silently picking one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

# The total of uses printed in the bulletin (seed 002, August 2014). It is a
# published figure, kept only to be shown beside the recomputed sum.
BULLETIN_PRINTED_TOTAL_USES = 1_200_290

PORTAL_COLUMNS = [
    "rank", "institution_az", "institution_en", "e_services_on_portal", "uses", "uses_share_pct",
    "e_services_share_pct", "uses_per_e_service", "mean_level", "n_assessed", "assessed",
]


def normalise_name(names: pd.Series) -> pd.Series:
    """Institution names reduced for matching: Azerbaijani-aware lower case
    (İ→i, I→ı, which ``str.lower`` gets wrong), single spaces, no edge spaces."""
    s = names.astype(object).where(names.notna(), "").astype(str)
    s = s.str.replace("İ", "i", regex=False).str.replace("I", "ı", regex=False).str.lower()
    return s.str.replace(r"\s+", " ", regex=True).str.strip()


def _uses(usage_df: pd.DataFrame) -> pd.Series:
    for c in ("uses", "uses_july_2014"):
        if c in usage_df.columns:
            return usage_df[c].astype("int64")
    raise KeyError("the usage frame needs a 'uses' (or 'uses_july_2014') column")


def _match_index(usage_df: pd.DataFrame, maturity_df: pd.DataFrame) -> pd.Series:
    """For each maturity row, the usage row position it matches (−1 when none).

    A maturity row may name its institution in ``institution_az``,
    ``institution_en`` or ``institution_name`` (either language); any of them
    matching either name of a usage row counts.
    """
    keys: dict[str, int] = {}
    for col in ("institution_en", "institution_az"):  # az last: it wins a clash
        for pos, k in enumerate(normalise_name(usage_df[col])):
            if k:
                keys[k] = pos
    hit = pd.Series(-1, index=maturity_df.index, dtype="int64")
    for col in ("institution_name", "institution_en", "institution_az"):
        if col in maturity_df.columns:
            found = normalise_name(maturity_df[col]).map(keys)
            hit = hit.where(hit >= 0, found.fillna(-1).astype("int64"))
    return hit


def portal_table(usage_df: pd.DataFrame, maturity_by_institution_df: pd.DataFrame | None = None, *,
                 level_col: str = "mean_level", n_col: str = "n_services") -> pd.DataFrame:
    """One row per institution of the bulletin, demand beside supply.

    ``maturity_by_institution_df`` (optional) holds one row per institution
    with a name column (``institution_name``, ``institution_en`` or
    ``institution_az``), ``mean_level`` and ``n_services`` (names configurable).

    Columns: ``rank``, ``institution_az``, ``institution_en``,
    ``e_services_on_portal``, ``uses``, ``uses_share_pct`` (of the sum of
    rows), ``e_services_share_pct``, ``uses_per_e_service``, ``mean_level``
    (NaN when not assessed), ``n_assessed`` (0 when not assessed), ``assessed``.
    """
    uses = _uses(usage_df)
    eserv = usage_df["e_services_on_portal"].astype("int64")
    out = pd.DataFrame({
        "rank": usage_df["rank"].astype("int64").to_numpy() if "rank" in usage_df.columns else np.arange(1, len(usage_df) + 1),
        "institution_az": usage_df["institution_az"].to_numpy(),
        "institution_en": usage_df["institution_en"].to_numpy(),
        "e_services_on_portal": eserv.to_numpy(),
        "uses": uses.to_numpy(),
    })
    # Shares of the recomputed sum, not the printed total: they then add up to 100.
    out["uses_share_pct"] = out["uses"] / out["uses"].sum() * 100 if out["uses"].sum() else np.nan
    out["e_services_share_pct"] = (out["e_services_on_portal"] / out["e_services_on_portal"].sum() * 100
                                   if out["e_services_on_portal"].sum() else np.nan)
    out["uses_per_e_service"] = out["uses"] / out["e_services_on_portal"].where(out["e_services_on_portal"] > 0)
    out["mean_level"] = np.nan
    out["n_assessed"] = 0
    if maturity_by_institution_df is not None and len(maturity_by_institution_df):
        hit = _match_index(usage_df, maturity_by_institution_df)
        matched = maturity_by_institution_df.loc[hit >= 0]
        pos = hit[hit >= 0].to_numpy()
        if len(pos) != len(set(pos)):
            raise ValueError("two maturity rows match the same bulletin institution")
        out.loc[pos, "mean_level"] = matched[level_col].astype("float64").to_numpy()
        if n_col in matched.columns:
            out.loc[pos, "n_assessed"] = matched[n_col].astype("int64").to_numpy()
    out["n_assessed"] = out["n_assessed"].astype("int64")
    out["assessed"] = out["mean_level"].notna()
    return out[PORTAL_COLUMNS]


def unmatched_institutions(usage_df: pd.DataFrame, maturity_by_institution_df: pd.DataFrame) -> pd.DataFrame:
    """Maturity rows whose institution name matches no bulletin row (to show, not to hide)."""
    hit = _match_index(usage_df, maturity_by_institution_df)
    return maturity_by_institution_df.loc[hit < 0].copy()


@dataclass(frozen=True)
class PortalTotals:
    """Totals of the bulletin table, recomputed and as printed."""

    institutions: int
    e_services: int
    uses_sum: int  # sum of the rows
    uses_printed: int  # the bulletin's printed total
    difference: int  # printed − sum (negative: the printed total is lower)

    @property
    def consistent(self) -> bool:
        return self.difference == 0


def portal_totals(usage_df: pd.DataFrame, printed_total_uses: int = BULLETIN_PRINTED_TOTAL_USES) -> PortalTotals:
    """Institution count, e-services and uses summed from the rows, with the printed total beside them."""
    s = int(_uses(usage_df).sum())
    return PortalTotals(
        institutions=int(len(usage_df)),
        e_services=int(usage_df["e_services_on_portal"].astype("int64").sum()),
        uses_sum=s,
        uses_printed=int(printed_total_uses),
        difference=int(printed_total_uses) - s,
    )


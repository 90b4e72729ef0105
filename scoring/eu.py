"""EU and UN comparison views (methodology §6 and §7), pure pandas.

Inputs are the frames of :mod:`scoring.reference` and the scored services of a
round (one row per service with at least ``level`` and, where needed,
``audience`` and ``service_code``). Nothing here reads the database or draws.

The two EU headline indicators are applied to the Azerbaijani set the simple
way the methodology describes: *online sophistication* = mean level ÷ 5 and
*full online availability* = share of services at level ≥ 4. The EU's own
reports normalised each service by its own top stage; the difference is
documented rather than hidden, and the thresholds are parameters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .methodology import Methodology
from .reference import AUDIENCES, EuMapping, load_catalogue

LEVELS = range(6)
MAX_LEVEL = 5
FULL_ONLINE_MIN_LEVEL = 4
DEFAULT_COUNTRIES = ("AZE", "EST", "DEU", "GEO", "TUR", "KAZ")
GROUPS = (*AUDIENCES, "overall")
_EU_LABEL = {"en": "EU average", "az": "Aİ ortalaması"}
_SOPH = "online sophistication"
_FULL = "full online availability"


# ---------------------------------------------------------------- membership


def _member_mask(year: int | np.ndarray, members: pd.DataFrame) -> np.ndarray:
    """Boolean mask (members × years) of who belonged to the EU in each year.

    A country counts from its accession year and stops counting in the year it
    left (the UK, left 2020, is a member in 2018 and not in 2020).
    """
    years = np.atleast_1d(np.asarray(year, dtype="int64"))
    joined = members["joined"].astype("int64").to_numpy()[:, None]
    left = members["left"].astype("Float64").fillna(np.inf).to_numpy(dtype="float64")[:, None]
    return (joined <= years[None, :]) & (left > years[None, :])


def eu_members_in(year: int, members_df: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``members_df`` that were EU members in ``year`` (same columns)."""
    mask = _member_mask(int(year), members_df)[:, 0]
    return members_df.loc[mask].reset_index(drop=True)


# ---------------------------------------------------------------- UN EGDI


def egdi_eu_average(egdi_df: pd.DataFrame, members_df: pd.DataFrame) -> pd.DataFrame:
    """Mean EGDI and OSI of the countries that were EU members in each survey year.

    Columns: ``year``, ``n_members`` (members that year), ``n_with_data``
    (members with an EGDI value), ``egdi_mean``, ``osi_mean``.
    """
    years = np.sort(egdi_df["year"].unique())
    mask = _member_mask(years, members_df)
    # Long (iso3, year) list of membership, then an inner join with the survey.
    idx_m, idx_y = np.nonzero(mask)
    membership = pd.DataFrame({"iso3": members_df["iso3"].to_numpy()[idx_m], "year": years[idx_y]})
    joined = membership.merge(egdi_df[["year", "iso3", "egdi", "osi"]], on=["year", "iso3"], how="left")
    out = joined.groupby("year", sort=True).agg(
        n_members=("iso3", "size"),
        n_with_data=("egdi", "count"),
        egdi_mean=("egdi", "mean"),
        osi_mean=("osi", "mean"),
    )
    return out.reindex(years).fillna({"n_members": 0, "n_with_data": 0}).astype(
        {"n_members": "int64", "n_with_data": "int64"}
    ).rename_axis("year").reset_index()


def egdi_country_series(egdi_df: pd.DataFrame, iso3_list: Iterable[str]) -> pd.DataFrame:
    """The survey rows of the given countries, in the order asked, then by year.

    Same columns as :func:`scoring.reference.load_egdi`. Raises ``KeyError``
    for a code found in no survey year (a typo must not pass as "no data").
    """
    codes = list(dict.fromkeys(iso3_list))
    unknown = sorted(set(codes) - set(egdi_df["iso3"]))
    if unknown:
        raise KeyError(f"country code(s) not in the UN survey data: {unknown}")
    out = egdi_df[egdi_df["iso3"].isin(codes)].copy()
    out["_order"] = out["iso3"].map({c: i for i, c in enumerate(codes)})
    return out.sort_values(["_order", "year"]).drop(columns="_order").reset_index(drop=True)


def azerbaijan_ranks(egdi_df: pd.DataFrame, iso3: str = "AZE") -> pd.Series:
    """Survey year → EGDI rank of Azerbaijan (or ``iso3``), as an Int64 Series named ``rank``."""
    rows = egdi_df.loc[egdi_df["iso3"] == iso3, ["year", "rank"]]
    return rows.set_index("year")["rank"].astype("Int64").sort_index()


def egdi_comparison_table(
    egdi_df: pd.DataFrame,
    members_df: pd.DataFrame,
    countries: Sequence[str] = DEFAULT_COUNTRIES,
    lang: str = "en",
) -> pd.DataFrame:
    """Long table for charts: chosen countries plus the EU average, per survey year.

    Columns: ``year``, ``series`` (iso3 or ``"EU"``), ``label`` (country name
    or "EU average"), ``kind`` (``country`` | ``eu_average``), ``egdi``,
    ``osi``, ``rank`` (Int64, NA for the EU average), ``n_countries`` (countries
    ranked in that survey, to read a rank against).
    """
    n_ranked = egdi_df.groupby("year")["rank"].count().rename("n_countries")
    c = egdi_country_series(egdi_df, countries)
    c = c.assign(series=c["iso3"], label=c["country"], kind="country")[
        ["year", "series", "label", "kind", "egdi", "osi", "rank"]
    ]
    eu = egdi_eu_average(egdi_df, members_df)
    eu = pd.DataFrame({
        "year": eu["year"], "series": "EU", "label": _EU_LABEL.get(lang, _EU_LABEL["en"]),
        "kind": "eu_average", "egdi": eu["egdi_mean"], "osi": eu["osi_mean"],
        "rank": pd.array([pd.NA] * len(eu), dtype="Int64"),
    })
    out = pd.concat([c, eu], ignore_index=True)
    return out.merge(n_ranked, left_on="year", right_index=True, how="left")


# ---------------------------------------------------------------- EU benchmark


@dataclass(frozen=True)
class EuHeadline:
    """The latest published EU aggregate and the best performers."""

    year: int
    scope: str
    online_sophistication_pct: float
    full_online_availability_pct: float
    source_sophistication: str
    source_full_online: str
    best_performers: tuple[str, ...]
    best_performers_year: int | None


def _eu_aggregates(eu_benchmark_df: pd.DataFrame) -> pd.DataFrame:
    # Aggregate rows are labelled "EU27+", "EU25+ (28 countries)"…; the rest are countries.
    return eu_benchmark_df[eu_benchmark_df["scope"].str.startswith("EU")]


def eu_benchmark_series(eu_benchmark_df: pd.DataFrame) -> pd.DataFrame:
    """EU aggregate figures per measurement year, for a trend chart.

    Columns: ``year``, ``scope``, ``online_sophistication_pct``,
    ``full_online_availability_pct`` (NA where a year published only one).
    """
    agg = _eu_aggregates(eu_benchmark_df)
    wide = agg.pivot_table(index=["measurement_year"], columns="indicator", values="value_percent", aggfunc="first")
    scope = agg.groupby("measurement_year")["scope"].first()
    out = pd.DataFrame({
        "year": wide.index.astype("int64"),
        "scope": scope.reindex(wide.index).to_numpy(),
        "online_sophistication_pct": wide.get(_SOPH, pd.Series(np.nan, index=wide.index)).to_numpy(),
        "full_online_availability_pct": wide.get(_FULL, pd.Series(np.nan, index=wide.index)).to_numpy(),
    })
    return out.reset_index(drop=True)


def eu_headline(eu_benchmark_df: pd.DataFrame) -> EuHeadline:
    """Latest EU aggregate year publishing both indicators, with sources, and the
    countries at 100 % on both indicators in the latest year any country was listed."""
    agg = _eu_aggregates(eu_benchmark_df)
    both = agg.groupby("measurement_year")["indicator"].agg(lambda s: {_SOPH, _FULL} <= set(s))
    if not both.any():
        raise ValueError("no EU aggregate year publishes both online sophistication and full online availability")
    year = int(both[both].index.max())
    rows = agg[agg["measurement_year"] == year].set_index("indicator")
    countries = eu_benchmark_df.drop(agg.index)
    top = countries[countries["value_percent"] >= 100]
    # A best performer must top both indicators, not just one.
    per = top.groupby(["measurement_year", "scope"])["indicator"].nunique()
    per = per[per >= 2]
    best_year = int(per.index.get_level_values(0).max()) if len(per) else None
    best = tuple(sorted(per.loc[best_year].index)) if best_year is not None else ()
    return EuHeadline(
        year=year,
        scope=str(rows.loc[_SOPH, "scope"]),
        online_sophistication_pct=float(rows.loc[_SOPH, "value_percent"]),
        full_online_availability_pct=float(rows.loc[_FULL, "value_percent"]),
        source_sophistication=str(rows.loc[_SOPH, "source"]),
        source_full_online=str(rows.loc[_FULL, "source"]),
        best_performers=best,
        best_performers_year=best_year,
    )


# ---------------------------------------------------------------- Azerbaijani set


def _levels(scored: pd.DataFrame, level_col: str) -> pd.Series:
    lv = pd.to_numeric(scored[level_col], errors="raise").astype("Float64")
    bad = lv.notna() & ~lv.isin(list(LEVELS))
    if bad.any():
        raise ValueError(f"levels must be whole numbers 0–5; found {sorted(lv[bad].unique().tolist())}")
    return lv


def classic_indicators(
    scored: pd.DataFrame,
    *,
    level_col: str = "level",
    audience_col: str = "audience",
    max_level: int = MAX_LEVEL,
    full_online_min_level: int = FULL_ONLINE_MIN_LEVEL,
) -> pd.DataFrame:
    """The EU's two classic indicators computed for Azerbaijan's services.

    Index ``group`` = ``citizen``, ``business``, ``overall``; columns
    ``n_services``, ``online_sophistication_pct`` (mean level ÷ ``max_level``
    × 100) and ``full_online_availability_pct`` (share at level ≥
    ``full_online_min_level`` × 100). Rows without a level (not assessed) are
    left out; a group with no service has NaN percentages and ``n_services`` 0.
    """
    lv = _levels(scored, level_col)
    aud = scored[audience_col].astype(object)
    unknown = set(aud[lv.notna()].dropna()) - set(AUDIENCES)
    if unknown:
        raise ValueError(f"unknown audience value(s) {sorted(unknown)}; expected {AUDIENCES}")
    level = lv.to_numpy(dtype="float64", na_value=np.nan)
    assessed = ~np.isnan(level)
    # Counted per group with NumPy: a country's round has a hundred thousand services.
    # Overall counts every assessed service, including one with no audience.
    masks = {g: assessed & (aud.to_numpy() == g) for g in AUDIENCES} | {"overall": assessed}
    n, mean, full = [], [], []
    for g in GROUPS:
        lv_g = level[masks[g]]
        n.append(len(lv_g))
        mean.append(lv_g.mean() if len(lv_g) else np.nan)
        full.append((lv_g >= full_online_min_level).mean() if len(lv_g) else np.nan)
    out = pd.DataFrame({
        "n_services": np.array(n, dtype="int64"),
        "online_sophistication_pct": np.array(mean) / max_level * 100,
        "full_online_availability_pct": np.array(full) * 100,
    }, index=pd.Index(list(GROUPS), name="group"))
    return out


def stage_share_table(
    scored: pd.DataFrame,
    m: Methodology | None = None,
    lang: str = "en",
    *,
    level_col: str = "level",
    audience_col: str = "audience",
    by_audience: bool = False,
) -> pd.DataFrame:
    """Share of Azerbaijan's assessed services at each level 0–5 (the EU's "per stage" view).

    Columns: ``group`` (``overall``, or also ``citizen``/``business`` with
    ``by_audience``), ``level``, ``stage_eu`` and ``stage_un`` (names from the
    methodology, in ``lang``; ``None`` without ``m``), ``n_services``,
    ``share_pct`` (of the group's assessed services; every level listed, zeros included).
    """
    lv = _levels(scored, level_col)
    d = pd.DataFrame({"level": lv.to_numpy(dtype="float64", na_value=np.nan)})
    d["group"] = "overall"
    frames = [d]
    if by_audience:
        frames.append(d.assign(group=scored[audience_col].astype(object).to_numpy()))
    d = pd.concat(frames, ignore_index=True).dropna()
    groups = ["overall", *AUDIENCES] if by_audience else ["overall"]
    counts = pd.crosstab(d["group"], d["level"].astype("int64")).reindex(index=groups, columns=list(LEVELS), fill_value=0)
    totals = counts.sum(axis=1)
    shares = counts.div(totals.where(totals > 0), axis=0) * 100
    out = counts.stack().rename("n_services").to_frame().join(shares.stack().rename("share_pct"))
    out = out.rename_axis(["group", "level"]).reset_index()
    out["stage_eu"] = out["level"].map({s.level: s.eu.get(lang) for s in m.stages}) if m else None
    out["stage_un"] = out["level"].map({s.level: s.un.get(lang) for s in m.stages}) if m else None
    return out[["group", "level", "stage_eu", "stage_un", "n_services", "share_pct"]]


# ---------------------------------------------------------------- mapping table


def _code_column(df: pd.DataFrame) -> str:
    for c in ("service_code", "code", "com_number"):
        if c in df.columns:
            return c
    raise KeyError("the scored frame needs a service code column (service_code, code or com_number)")


def _join(values: pd.Series, sep: str) -> str | None:
    vals = [str(v) for v in dict.fromkeys(values.dropna())]
    return sep.join(vals) if vals else None


def _join_all(values: pd.Series, sep: str) -> str | None:
    # Unlike _join, keeps repeats: "3, 3" are two services at level 3.
    vals = [str(v) for v in values.dropna()]
    return sep.join(vals) if vals else None


def service_mapping_table(
    mapping: EuMapping,
    services_scored: pd.DataFrame,
    lang: str = "en",
    *,
    catalogue: pd.DataFrame | None = None,
    detail: bool = False,
    include_unlisted: bool = False,
) -> pd.DataFrame:
    """The seed's comparison table with this round's levels filled in.

    One row per EU service (all 20, whether or not Azerbaijan has a
    counterpart) followed by one row per Azerbaijani service without an EU
    counterpart. Nothing is dropped: the sides that are missing are marked by
    the booleans ``eu_counterpart`` and ``az_counterpart`` (the seed's "X").

    ``services_scored`` needs a code column (``service_code``, ``code`` or
    ``com_number``) and ``level``; optional ``service_name`` and
    ``institution_name`` override the catalogue's names. Codes must be unique
    (one round, one source). ``include_unlisted`` adds assessed services that
    the mapping does not list at all, as Azerbaijan-only rows.

    Columns (``detail=False``): ``eu_id``, ``audience``, ``eu_service``,
    ``eu_counterpart``, ``az_counterpart``, ``az_codes``, ``az_services``,
    ``providers`` (texts joined by ``"; "``), ``n_az_services``,
    ``n_assessed``, ``level`` (Int64: the best level among the service's
    Azerbaijani counterparts, since one fully online channel serves the
    citizen), ``levels`` (each counterpart's level, in code order),
    ``fully_online`` (boolean, NA when nothing is assessed), ``seed_marker``.

    With ``detail=True``: one row per (EU part, Azerbaijani service) pair,
    columns ``eu_id``, ``part_id``, ``audience``, ``eu_service``, ``eu_part``,
    ``eu_counterpart``, ``az_counterpart``, ``code``, ``az_service``,
    ``provider``, ``level``, ``assessed``, ``fully_online``, ``seed_marker``.
    """
    lang = "az" if lang == "az" else "en"
    cat = load_catalogue() if catalogue is None else catalogue
    cat = cat.dropna(subset=["com_number"]).drop_duplicates("com_number")
    names = pd.DataFrame({
        "code": cat["com_number"].astype(str).to_numpy(),
        "az_service": cat[f"service_{lang}"].to_numpy(),
        "provider": cat[f"provider_{lang}"].to_numpy(),
    })

    code_col = _code_column(services_scored)
    scored = services_scored.assign(code=services_scored[code_col].astype(str))
    dup = scored["code"].duplicated(keep=False)
    if dup.any():
        raise ValueError(f"service codes appear more than once: {sorted(scored.loc[dup, 'code'].unique())}; pass one round and one source")
    keep = ["code", "level"] + [c for c in ("service_name", "institution_name") if c in scored.columns]
    scored = scored[keep].assign(level=_levels(scored, "level").astype("Int64").to_numpy())

    long = mapping.to_frame()
    if include_unlisted:
        extra = scored.loc[~scored["code"].isin(long["code"].dropna()), ["code"]]
        aud = services_scored.loc[extra.index, "audience"] if "audience" in services_scored.columns else None
        long = pd.concat([long, extra.assign(eu_counterpart=False, az_counterpart=True, seed_marker=None, audience=aud)],
                         ignore_index=True)
    long = long.merge(names, on="code", how="left").merge(scored, on="code", how="left")
    if "service_name" in long.columns:
        long["az_service"] = long["service_name"].combine_first(long["az_service"])
    if "institution_name" in long.columns:
        long["provider"] = long["institution_name"].combine_first(long["provider"])
    long["eu_service"] = long[f"eu_name_{lang}"]
    long["eu_part"] = long[f"part_name_{lang}"]
    long["level"] = long["level"].astype("Int64")
    long["assessed"] = long["level"].notna()
    long["fully_online"] = (long["level"] >= mapping.full_online_min_level).astype("boolean")
    # "–" marks a counterpart not assessed this round; a part with no code lists nothing.
    long["level_text"] = long["level"].astype(object).map(lambda v: "–" if pd.isna(v) else str(int(v)))
    long.loc[long["code"].isna(), "level_text"] = None
    long["eu_counterpart"] = long["eu_counterpart"].astype(bool)
    long["az_counterpart"] = long["az_counterpart"].astype(bool)

    if detail:
        return long[["eu_id", "part_id", "audience", "eu_service", "eu_part", "eu_counterpart", "az_counterpart", "code",
                     "az_service", "provider", "level", "assessed", "fully_online", "seed_marker"]].reset_index(drop=True)

    eu = long[long["eu_counterpart"]]
    grouped = eu.groupby("eu_id", sort=False)
    eu_rows = pd.DataFrame({
        "audience": grouped["audience"].first(),
        "eu_service": grouped["eu_service"].first(),
        "eu_counterpart": True,
        "az_counterpart": grouped["az_counterpart"].any(),
        "az_codes": grouped["code"].agg(_join, sep=", "),
        "az_services": grouped["az_service"].agg(_join, sep="; "),
        "providers": grouped["provider"].agg(_join, sep="; "),
        "n_az_services": grouped["code"].count(),
        "n_assessed": grouped["assessed"].sum(),
        "level": grouped["level"].max(),
        "levels": grouped["level_text"].agg(_join_all, sep=", "),
        "seed_marker": grouped["seed_marker"].agg(lambda s: "X" if (s == "X").all() else None),
    }).reset_index()
    az = long[~long["eu_counterpart"]]
    az_rows = pd.DataFrame({
        "eu_id": None, "audience": az["audience"], "eu_service": None, "eu_counterpart": False,
        "az_counterpart": True, "az_codes": az["code"], "az_services": az["az_service"], "providers": az["provider"],
        "n_az_services": 1, "n_assessed": az["assessed"].astype("int64"), "level": az["level"],
        "levels": az["level_text"], "seed_marker": az["seed_marker"],
    })
    out = pd.concat([eu_rows, az_rows], ignore_index=True)
    out["level"] = out["level"].astype("Int64")
    out["fully_online"] = (out["level"] >= mapping.full_online_min_level).astype("boolean")
    out["n_az_services"] = out["n_az_services"].astype("int64")
    out["n_assessed"] = out["n_assessed"].astype("int64")
    return out[["eu_id", "audience", "eu_service", "eu_counterpart", "az_counterpart", "az_codes", "az_services",
                "providers", "n_az_services", "n_assessed", "level", "levels", "fully_online", "seed_marker"]]

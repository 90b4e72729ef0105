"""Frames for the trends and portal pages: all visible rounds scored and compared by the core.

Every view is cached by the data key and its arguments: the core computes
over every round's rows, the page only draws the small results.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring import portal, trends
from ui import data
from ui.grid import Col, describe
from ui.i18n import t


def rounds_frame(key, signed_in: bool) -> pd.DataFrame:
    r = data.visible_rounds(key, signed_in)
    return pd.DataFrame({"label": r["label"].astype(str), "methodology_id": r["methodology_id"],
                         "ordered": range(len(r))})


def all_scored(key, source: str, signed_in: bool) -> pd.DataFrame:
    """Every visible round's scored rows of one source, compact: ``round`` is an ordered categorical."""
    if not data.all_rounds(key, signed_in).labels:
        return pd.DataFrame()
    return data.all_scored(key, source, signed_in)


def all_coverage(key, signed_in: bool) -> pd.DataFrame:
    return data.all_rounds(key, signed_in).coverage


def breaks(key, signed_in: bool) -> list[str]:
    return trends.series_breaks(rounds_frame(key, signed_in))


@data.by_version(max_entries=64)
def level_shares(key, source: str, signed_in: bool) -> pd.DataFrame:
    scored = all_scored(key, source, signed_in)
    dist = trends.level_distribution(scored, rounds_frame(key, signed_in))
    return dist.rename(columns={"n_services": "count"}).assign(group=lambda d: d["round"].astype(str))


@data.by_version(max_entries=64)
def band_lines(key, source: str, signed_in: bool, lang: str) -> pd.DataFrame:
    scored = all_scored(key, source, signed_in)
    m = data.methodology_of(key, rounds_frame(key, signed_in)["label"].iloc[-1])
    dist = trends.band_distribution(scored, rounds_frame(key, signed_in), bands=m)
    labels = {b.id: b.label.get(lang) for b in m.bands}
    return dist.assign(series=dist["band"].map(labels).fillna(dist["band"]), value=dist["share_pct"])


@data.by_version(max_entries=64)
def coverage_lines(key, signed_in: bool, lang: str) -> pd.DataFrame:
    cov = all_coverage(key, signed_in).rename(columns={"services_transferable": "transferable",
                                                       "e_services_provided": "provided"})
    over = trends.coverage_over_time(cov, rounds_frame(key, signed_in))
    long = pd.concat([
        over.assign(series=t("trends.coverage.total", lang), value=over["coverage_pct"]),
        over.assign(series=t("trends.coverage.mean", lang), value=over["mean_institution_coverage_pct"]),
    ], ignore_index=True)
    return long


@data.by_version(max_entries=64)
def transition(key, source: str, signed_in: bool, a: str, b: str, lang: str):
    """The level transition between two rounds, with movers named in the user's language."""
    scored = all_scored(key, source, signed_in)
    codes = scored["round"].cat.codes.to_numpy()  # comparing codes, not a million label strings
    labels = list(scored["round"].cat.categories)
    sa, sb = scored[codes == labels.index(a)], scored[codes == labels.index(b)]
    tr = trends.transition_matrix(sa, sb, methodology_a=data.methodology_of(key, a).id,
                                  methodology_b=data.methodology_of(key, b).id)
    movers = pd.DataFrame()
    if tr.comparable and len(tr.movers):
        # The largest moves first, either way (risers before fallers of the same size): the page shows
        # the head of a list that runs to tens of thousands of services in a country.
        delta = tr.movers["delta"].to_numpy().astype(np.int64)
        mv = tr.movers.take(np.lexsort((np.arange(len(delta)), -delta, -np.abs(delta))))
        names = data.service_index(key).take(data._positions(key, mv["service_id"].to_numpy())).reset_index(drop=True)
        col, icol = ("service_az", "institution_az") if lang == "az" else ("service_en", "institution_en")
        movers = pd.DataFrame({
            t("col.code", lang): names["code"].to_numpy(),
            t("col.service", lang): names[col].fillna(names["service_az"]).to_numpy(),
            t("col.institution", lang): names[icol].fillna(names["institution_az"]).to_numpy(),
            a: mv["level_a"].astype(int).to_numpy(), b: mv["level_b"].astype(int).to_numpy(),
            t("col.change", lang): mv["delta"].astype(int).to_numpy(),
        })
        describe(movers, {t("col.code", lang): Col("text", pinned=True), t("col.change", lang): Col("change")})
    matrix = None
    if tr.matrix is not None:
        matrix = tr.matrix.copy()
        matrix.index = [f"{a}: {t('level.n', lang, n=i)}" for i in matrix.index]
        matrix.columns = [f"{b}: {t('level.n', lang, n=c)}" for c in matrix.columns]
        matrix = matrix.reset_index().rename(columns={"index": "↓ / →"})
        describe(matrix, {"↓ / →": Col("text", pinned=True)})
    return tr, matrix, movers


@data.by_version(max_entries=64)
def institution_moves(key, source: str, signed_in: bool, lang: str) -> pd.DataFrame:
    scored = all_scored(key, source, signed_in)
    ch = trends.institution_changes(scored, rounds_frame(key, signed_in))
    ch = ch[ch["delta"].notna()]
    if ch.empty:
        return pd.DataFrame()
    inst = data.institutions(key).set_index("institution_id")
    names = inst["name_az" if lang == "az" else "name_en"].fillna(inst["name_az"])
    out = pd.DataFrame({
        t("col.institution", lang): ch["institution_id"].map(names),
        t("trends.col.from", lang): ch["prev_round"], t("trends.col.to", lang): ch["round"],
        t("col.mean_level", lang): ch["mean_level"].astype(float),
        t("col.change", lang): ch["delta"].astype(float),
    })
    change = out[t("col.change", lang)].to_numpy()
    out = out.take(np.lexsort((np.arange(len(out)), -change, -np.abs(change)))).reset_index(drop=True)  # largest first
    return describe(out, {t("col.institution", lang): Col("text", pinned=True, width=260),
                          t("col.mean_level", lang): Col("num", digits=2), t("col.change", lang): Col("change", digits=2)})


def portal_frame(key, source: str, signed_in: bool, period: str | None) -> pd.DataFrame:
    """Portal use per institution beside the mean assessed level of the latest visible round."""
    from store import queries

    usage = queries.portal_usage(data.store(), period)
    rounds = rounds_frame(key, signed_in)
    maturity = None
    if len(rounds):
        scored = data.round_scores(key, rounds["label"].iloc[-1], source)
        if len(scored):
            per = scored.groupby("institution_id").agg(mean_level=("level", "mean"), n_services=("level", "size"))
            names = data.institutions(key).set_index("institution_id")
            maturity = pd.DataFrame({"institution_az": per.index.map(names["name_az"]),
                                     "institution_en": per.index.map(names["name_en"]),
                                     "mean_level": per["mean_level"].to_numpy(),
                                     "n_services": per["n_services"].to_numpy()})
    usage = usage.assign(rank=usage["uses"].rank(ascending=False, method="first").astype(int)).sort_values("rank")
    return portal.portal_table(usage, maturity)


def portal_illustrative(period: str) -> bool:
    """Whether a period's usage figures are the demo's invented ones (their source says so)."""
    from store import queries
    from store.demo import ILLUSTRATIVE

    usage = queries.portal_usage(data.store(), period)
    return bool(len(usage)) and bool((usage["source"] == ILLUSTRATIVE).any())


def portal_periods() -> list[str]:
    from store import queries

    p = queries.portal_usage(data.store())
    return sorted(p["period"].unique().tolist())

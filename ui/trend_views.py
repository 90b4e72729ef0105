"""Frames for the trends and portal pages: all visible rounds scored and compared by the core."""

from __future__ import annotations

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
    frames = []
    for label, mid in rounds_frame(key, signed_in)[["label", "methodology_id"]].itertuples(index=False):
        s = data.scored_services(key, label, source)
        frames.append(s.assign(round=label, methodology_id=mid))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def all_coverage(key, signed_in: bool) -> pd.DataFrame:
    frames = []
    for label, mid in rounds_frame(key, signed_in)[["label", "methodology_id"]].itertuples(index=False):
        c = data.coverage(key, label)
        frames.append(c.assign(round=label, methodology_id=mid))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def breaks(key, signed_in: bool) -> list[str]:
    return trends.series_breaks(rounds_frame(key, signed_in))


def level_shares(key, source: str, signed_in: bool) -> pd.DataFrame:
    scored = all_scored(key, source, signed_in)
    dist = trends.level_distribution(scored, rounds_frame(key, signed_in))
    return dist.rename(columns={"n_services": "count"}).assign(group=lambda d: d["round"].astype(str))


def band_lines(key, source: str, signed_in: bool, lang: str) -> pd.DataFrame:
    scored = all_scored(key, source, signed_in)
    m = data.methodology_of(key, rounds_frame(key, signed_in)["label"].iloc[-1])
    dist = trends.band_distribution(scored, rounds_frame(key, signed_in), bands=m)
    labels = {b.id: b.label.get(lang) for b in m.bands}
    return dist.assign(series=dist["band"].map(labels).fillna(dist["band"]), value=dist["share_pct"])


def coverage_lines(key, signed_in: bool, lang: str) -> pd.DataFrame:
    cov = all_coverage(key, signed_in).rename(columns={"services_transferable": "transferable",
                                                       "e_services_provided": "provided"})
    over = trends.coverage_over_time(cov, rounds_frame(key, signed_in))
    long = pd.concat([
        over.assign(series=t("trends.coverage.total", lang), value=over["coverage_pct"]),
        over.assign(series=t("trends.coverage.mean", lang), value=over["mean_institution_coverage_pct"]),
    ], ignore_index=True)
    return long


def transition(key, source: str, signed_in: bool, a: str, b: str, lang: str):
    """The level transition between two rounds, with movers named in the user's language."""
    sa, sb = data.scored_services(key, a, source), data.scored_services(key, b, source)
    tr = trends.transition_matrix(sa, sb, methodology_a=data.methodology_of(key, a).id,
                                  methodology_b=data.methodology_of(key, b).id)
    movers = pd.DataFrame()
    if tr.comparable and len(tr.movers):
        names = sb.drop_duplicates("service_id").set_index("service_id")
        col, icol = ("service_az", "institution_az") if lang == "az" else ("service_en", "institution_en")
        mv = tr.movers
        movers = pd.DataFrame({
            t("col.code", lang): mv["service_id"].map(names["code"]),
            t("col.service", lang): mv["service_id"].map(names[col]).fillna(mv["service_id"].map(names["service_az"])),
            t("col.institution", lang): mv["service_id"].map(names[icol]).fillna(
                mv["service_id"].map(names["institution_az"])),
            a: mv["level_a"].astype(int), b: mv["level_b"].astype(int),
            t("col.change", lang): mv["delta"].astype(int),
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
    }).sort_values(t("col.change", lang), ascending=False).reset_index(drop=True)
    return describe(out, {t("col.institution", lang): Col("text", pinned=True, width=260),
                          t("col.mean_level", lang): Col("num", digits=2), t("col.change", lang): Col("change", digits=2)})


def portal_frame(key, source: str, signed_in: bool, period: str | None) -> pd.DataFrame:
    """Portal use per institution beside the mean assessed level of the latest visible round."""
    from store import queries

    usage = queries.portal_usage(data.store(), period)
    rounds = rounds_frame(key, signed_in)
    maturity = None
    if len(rounds):
        scored = data.scored_services(key, rounds["label"].iloc[-1], source)
        if len(scored):
            maturity = scored.groupby(["institution_az", "institution_en"], as_index=False).agg(
                mean_level=("level", "mean"), n_services=("level", "size"))
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

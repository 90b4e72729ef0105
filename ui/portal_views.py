"""Portal take-up views: searchable table, log-scaled use bars, supply against demand."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from ingest.registry import fold
from ui import charts, theme
from ui.grid import Col, describe
from ui.i18n import fmt_num, t

LABEL_FONT = 11
CHAR_PX = 7.0  # a generous width of a label character at LABEL_FONT, for spacing labels


def totals(table: pd.DataFrame) -> dict[str, int]:
    return {"institutions": len(table), "e_services": int(table["e_services_on_portal"].sum()),
            "uses": int(table["uses"].sum())}


def _names(table: pd.DataFrame, lang: str) -> pd.Series:
    """Institution names in ``lang`` (the Azerbaijani name where no English one is registered)."""
    if lang == "az":
        return table["institution_az"]
    return table["institution_en"].fillna(table["institution_az"])


def display(table: pd.DataFrame, query: str, lang: str) -> pd.DataFrame:
    inst = t("col.institution", lang)
    out = pd.DataFrame({
        "#": table["rank"].astype("Int64").to_numpy(),
        inst: _names(table, lang).to_numpy(),
        t("portal.col.eservices", lang): table["e_services_on_portal"].astype("Int64").to_numpy(),
        t("portal.col.uses", lang): table["uses"].astype("Int64").to_numpy(),
        t("portal.col.share", lang): table["uses_share_pct"].astype(float).to_numpy(),
        t("portal.col.per_service", lang): table["uses_per_e_service"].astype(float).to_numpy(),
        t("col.mean_level", lang): table["mean_level"].astype(float).to_numpy(),
    })
    if query and query.strip():
        q = fold(query)
        hay = (table["institution_az"].fillna("") + " " + table["institution_en"].fillna("")).map(fold)
        out = out[hay.str.contains(q, regex=False).to_numpy()].reset_index(drop=True)
    return describe(out, {
        "#": Col("id", pinned=True), inst: Col("text", pinned=True, width=280),
        t("portal.col.share", lang): Col("num", digits=1), t("portal.col.per_service", lang): Col("int"),
        t("col.mean_level", lang): Col("num", digits=2),
    })


def _powers_axis(domain) -> alt.Axis:
    """Ticks at 1, 10, 100 … only, written in full with the locale's grouping (1.000 in az)."""
    lo, hi = (math.log10(max(float(v), 1e-9)) for v in domain)
    values = [10 ** k for k in range(math.ceil(lo - 1e-9), math.floor(hi + 1e-9) + 1)]
    return alt.Axis(values=values, format=",d")


def uses_chart(table: pd.DataFrame, lang: str) -> alt.TopLevelMixin:
    """Monthly uses per institution on a log scale (they span five orders of magnitude).

    A bar on a log scale has no zero to start from: each bar runs from 1 (``x2``), so every
    institution with at least one use gets a visible bar, and its figure is written at the end.
    """
    d = pd.DataFrame({"label": _names(table, lang), "uses": table["uses"].clip(lower=1).astype(float),
                      "uses_text": [fmt_num(u, lang, 0) for u in table["uses"]]})
    top = float(d["uses"].max()) if len(d) else 10.0
    scale = alt.Scale(type="log", domain=[1, 10 ** math.ceil(math.log10(max(top, 10)) + 0.3)], nice=False)
    y = alt.Y("label:N", sort=alt.EncodingSortField("uses", order="descending"), title=None,
              axis=alt.Axis(labelLimit=300))
    x = alt.X("uses:Q", scale=scale, title=t("portal.col.uses_log", lang), axis=_powers_axis(scale.domain))
    tooltip = [alt.Tooltip("label:N", title=t("col.institution", lang)),
               alt.Tooltip("uses_text:N", title=t("portal.col.uses", lang))]
    bars = alt.Chart(d).mark_bar(color=theme.HIGHLIGHT).encode(y=y, x=x, x2=alt.datum(1), tooltip=tooltip)
    texts = alt.Chart(d).mark_text(align="left", dx=4, fontSize=LABEL_FONT, color=theme.TEXT).encode(
        y=y, x=x, text="uses_text:N")
    chart = alt.layer(bars, texts).properties(width="container", height=alt.Step(20))
    return charts.finish(chart, lang, t("portal.uses_chart", lang))


def _placed_labels(d: pd.DataFrame, width: float, height: float, y_log: tuple[float, float]) -> list[str | None]:
    """Where each point's name goes: ``right`` or ``left`` of it, or None (tooltip only).

    Greedy, most-used first: a name goes right of its point, or left when it would run off the
    plot, and is dropped when it would overlap a name or point already placed. Sizes are estimated
    generously, so the names stay apart at any width the chart is drawn.
    """
    lo, hi = y_log
    taken: list[tuple[float, float, float, float]] = []
    xs = [float(v) / 5 * width for v in d["mean_level"]]
    ys = [(1 - (math.log10(float(v)) - lo) / max(hi - lo, 1e-9)) * height for v in d["per_service"]]
    for x, y in zip(xs, ys):
        taken.append((x - 6, y - 6, x + 6, y + 6))  # the points themselves
    out: list[str | None] = [None] * len(d)
    order = d["per_service"].rank(ascending=False, method="first").to_numpy()

    def free(box) -> bool:
        return all(box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3] for b in taken)

    for i in sorted(range(len(d)), key=lambda k: order[k]):
        w = len(str(d["label"].iloc[i])) * CHAR_PX
        right = (xs[i] + 9, ys[i] - 9, xs[i] + 9 + w, ys[i] + 9)
        left = (xs[i] - 9 - w, ys[i] - 9, xs[i] - 9, ys[i] + 9)
        for side, box in (("right", right), ("left", left)):
            if box[0] >= 0 and box[2] <= width and free(box):
                taken.append(box)
                out[i] = side
                break
    return out


def supply_demand_chart(table: pd.DataFrame, lang: str) -> alt.TopLevelMixin:
    """Assessed mean level (supply) against monthly uses per e-service (demand), log scale.

    Labels that would overlap are left to the tooltip.
    """
    known = table[table["mean_level"].notna()]
    d = pd.DataFrame({"label": _names(known, lang), "mean_level": known["mean_level"].astype(float),
                      "per_service": known["uses_per_e_service"].clip(lower=1).astype(float)}).reset_index(drop=True)
    d["level_text"] = [fmt_num(v, lang, 2) for v in d["mean_level"]]
    d["per_service_text"] = [fmt_num(v, lang, 0) for v in d["per_service"]]
    width, height = 720, 380
    if len(d):
        lo = math.floor(math.log10(float(d["per_service"].min())))
        hi = math.ceil(math.log10(float(d["per_service"].max())) + 0.01)
    else:
        lo, hi = 0, 1
    d["label_side"] = _placed_labels(d.reset_index(drop=True), width, height, (lo, hi)) if len(d) else []
    x = alt.X("mean_level:Q", scale=alt.Scale(domain=[0, 5]), title=t("col.mean_level", lang))
    y = alt.Y("per_service:Q", scale=alt.Scale(type="log", domain=[10 ** lo, 10 ** hi], nice=False),
              title=t("portal.col.per_service", lang), axis=_powers_axis([10 ** lo, 10 ** hi]))
    tooltip = [alt.Tooltip("label:N", title=t("col.institution", lang)),
               alt.Tooltip("level_text:N", title=t("col.mean_level", lang)),
               alt.Tooltip("per_service_text:N", title=t("portal.col.per_service", lang))]
    points = alt.Chart(d).mark_circle(size=120, color="#CC79A7", opacity=0.85).encode(x=x, y=y, tooltip=tooltip)
    names = [
        alt.Chart(d[d["label_side"] == side]).mark_text(align=align, dx=dx, fontSize=LABEL_FONT, color=theme.TEXT)
        .encode(x=x, y=y, text="label:N", tooltip=tooltip)
        for side, align, dx in (("right", "left", 9), ("left", "right", -9))
    ]
    return charts.finish(alt.layer(points, *names).properties(width="container", height=height), lang,
                         t("portal.supply_demand", lang), t("portal.supply_demand.labels", lang))

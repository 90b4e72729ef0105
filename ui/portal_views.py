"""Portal take-up views: searchable table, log-scaled use bars, supply against demand."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ingest.registry import normalise
from ui import charts
from ui.i18n import fmt_num, t


def totals(table: pd.DataFrame) -> dict[str, int]:
    return {"institutions": len(table), "e_services": int(table["e_services_on_portal"].sum()),
            "uses": int(table["uses"].sum())}


def display(table: pd.DataFrame, query: str, lang: str) -> pd.DataFrame:
    name = table["institution_az"] if lang == "az" else table["institution_en"]
    out = pd.DataFrame({
        "#": table["rank"],
        t("col.institution", lang): name,
        t("portal.col.eservices", lang): table["e_services_on_portal"],
        t("portal.col.uses", lang): table["uses"],
        t("portal.col.share", lang): table["uses_share_pct"].round(1),
        t("portal.col.per_service", lang): table["uses_per_e_service"].round(0),
        t("col.mean_level", lang): table["mean_level"].round(2),
    })
    if query and query.strip():
        q = normalise(query)
        hay = (table["institution_az"].fillna("") + " " + table["institution_en"].fillna("")).map(normalise)
        out = out[hay.str.contains(q, regex=False).to_numpy()]
    return out


def _names(table: pd.DataFrame, lang: str) -> pd.Series:
    return table["institution_az"] if lang == "az" else table["institution_en"]


def uses_chart(table: pd.DataFrame, lang: str) -> alt.TopLevelMixin:
    """Monthly uses per institution on a log scale (they span five orders of magnitude)."""
    d = pd.DataFrame({"label": _names(table, lang), "uses": table["uses"].clip(lower=1),
                      "uses_text": [fmt_num(u, lang, 0) for u in table["uses"]]})
    chart = alt.Chart(d).mark_bar(color="#0072B2").encode(
        y=alt.Y("label:N", sort="-x", title=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("uses:Q", scale=alt.Scale(type="log"), title=t("portal.col.uses_log", lang)),
        tooltip=[alt.Tooltip("label:N", title=t("col.institution", lang)),
                 alt.Tooltip("uses_text:N", title=t("portal.col.uses", lang))],
    ).properties(width="container", height=alt.Step(18))
    return charts.finish(chart, lang, t("portal.uses_chart", lang))


def supply_demand_chart(table: pd.DataFrame, lang: str) -> alt.TopLevelMixin:
    """Assessed mean level (supply) against monthly uses per e-service (demand), log scale."""
    d = table[table["mean_level"].notna()].copy()
    d["label"] = _names(d, lang)
    d["per_service"] = d["uses_per_e_service"].clip(lower=1)
    chart = alt.Chart(d).mark_circle(size=120, color="#CC79A7", opacity=0.85).encode(
        x=alt.X("mean_level:Q", scale=alt.Scale(domain=[0, 5]), title=t("col.mean_level", lang)),
        y=alt.Y("per_service:Q", scale=alt.Scale(type="log"), title=t("portal.col.per_service", lang)),
        tooltip=[alt.Tooltip("label:N", title=t("col.institution", lang)),
                 alt.Tooltip("mean_level:Q", format=".2f", title=t("col.mean_level", lang)),
                 alt.Tooltip("per_service:Q", format=",.0f", title=t("portal.col.per_service", lang))],
    )
    text = chart.mark_text(align="left", dx=8, fontSize=11).encode(text="label:N")
    return charts.finish(alt.layer(chart, text).properties(width="container", height=360), lang,
                         t("portal.supply_demand", lang))

"""Tables for the EU comparison page: the core's EU and UN views, translated for display."""

from __future__ import annotations

import functools
import re

import pandas as pd
import streamlit as st

from l10n import fmt_list, territory_name
from scoring import eu, reference
from store import queries
from ui import data
from ui.grid import Col, describe
from ui.i18n import t

DEFAULT_COUNTRIES = ("AZE",)


@st.cache_data(show_spinner=False)
def _egdi() -> pd.DataFrame:
    return reference.load_egdi()


@st.cache_data(show_spinner=False)
def _members() -> pd.DataFrame:
    return reference.load_eu_members()


def _yes_no(v, lang: str) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)):
        return "—"
    return t("answer.yes" if bool(v) else "answer.no", lang)


@data.by_version()
def _levels_by_code(key, label: str, source: str, codes: tuple[str, ...]) -> pd.DataFrame:
    """The level of each of these service codes (its first assessed service in display order)."""
    rows = data.round_scores(key, label, source)
    named = queries.services_of_codes(data.store(), codes)
    level = pd.Series(rows["level"].to_numpy(), index=rows["service_id"].to_numpy())
    named = named[named["service_id"].isin(level.index)]
    frame = pd.DataFrame({"code": named["code"].astype(object).to_numpy(),
                          "level": level.loc[named["service_id"].to_numpy()].to_numpy()})
    return frame.drop_duplicates("code").reset_index(drop=True)


@data.by_version()
def _indicators(key, label: str, source: str) -> pd.DataFrame:
    return eu.classic_indicators(data.levels_and_audiences(key, label, source), level_col="level",
                                 audience_col="audience")


@data.by_version()
def mapping_table(key, label: str, source: str, lang: str) -> pd.DataFrame:
    """One row per EU service and per Azerbaijani service without an EU counterpart (marked X)."""
    m = data.methodology_of(key, label)
    try:
        mapping = reference.load_eu_mapping(m.id)
    except FileNotFoundError:  # a newer methodology without a mapping of its own keeps the latest one
        mapping = reference.load_eu_mapping()
    codes = tuple(sorted({str(c) for c in mapping.to_frame()["code"].dropna()}))
    table = eu.service_mapping_table(mapping, _levels_by_code(key, label, source, codes), lang)
    x = "✖ X"
    out = pd.DataFrame({
        t("col.audience", lang): table["audience"].map(lambda a: t(f"audience.{a}", lang)),
        t("eu.col.eu_service", lang): table["eu_service"].where(table["eu_counterpart"], x),
        t("col.level", lang): table["level"].astype("Int64"),
        t("eu.col.fully_online", lang): table["fully_online"].map(lambda v: _yes_no(v, lang)),
        t("eu.col.az_codes", lang): table["az_codes"].where(table["az_counterpart"], x),
        t("eu.col.az_services", lang): table["az_services"].where(table["az_counterpart"], x),
        t("eu.col.providers", lang): table["providers"],
    })
    return describe(out, {t("eu.col.eu_service", lang): Col("text", pinned=True, width=240),
                          t("eu.col.az_services", lang): Col("text", width=320)})


def stage_definitions(key, label: str, lang: str) -> pd.DataFrame:
    m = data.methodology_of(key, label)
    return pd.DataFrame({
        t("col.level", lang): [s.level for s in m.stages],
        t("col.eu_stage", lang): [s.eu.get(lang) for s in m.stages],
        t("col.un_stage", lang): [s.un.get(lang) for s in m.stages],
    })


_AGGREGATE = re.compile(r"^EU(\d+)\+(?:\s*\((\d+) countries\))?$")


def scope_name(scope: str, lang: str) -> str:
    """An EU benchmark scope in ``lang``: ``EU27+ (32 countries)`` → ``Aİ27+ (32 ölkə)``, a country by CLDR."""
    match = _AGGREGATE.match(str(scope).strip())
    if match:
        n, countries = match.groups()
        if countries:
            return t("eu.scope.members_countries", lang, n=n, countries=countries)
        return t("eu.scope.members", lang, n=n)
    return member_name(scope, lang)


def member_name(english: str, lang: str) -> str:
    """A country named in the reference files in English (``Austria``), in ``lang`` (CLDR, through its ISO code)."""
    iso3 = _member_codes().get(english)
    return country_name(iso3, lang) if iso3 else english


@functools.lru_cache(maxsize=1)
def _member_codes() -> dict[str, str]:
    """English name → ISO3 of the EU benchmark's members (read once)."""
    members = _members()
    return {str(c): str(i) for c, i in zip(members["country"], members["iso3"])}


@data.by_version()
def classic_indicators(key, label: str, source: str, lang: str) -> tuple[pd.DataFrame, eu.EuHeadline, pd.DataFrame]:
    """Azerbaijan's online sophistication and full online availability beside the EU headline."""
    ind = _indicators(key, label, source)
    head = eu.eu_headline(reference.load_eu_benchmark())
    who, n = t("eu.col.scope", lang), t("eu.col.n", lang)
    soph, full = t("eu.col.sophistication", lang), t("eu.col.full_online", lang)
    rows = []
    for group in ("citizen", "business", "overall"):
        r = ind.loc[group]
        rows.append({who: f"{t('eu.azerbaijan', lang)} {label} — {t(f'eu.group.{group}', lang)}",
                     n: int(r["n_services"]), soph: r["online_sophistication_pct"],
                     full: r["full_online_availability_pct"]})
    rows.append({who: f"{scope_name(head.scope, lang)} — {head.year}", n: None,
                 soph: head.online_sophistication_pct, full: head.full_online_availability_pct})
    best = [member_name(c, lang) for c in head.best_performers]
    rows.append({who: t("eu.best", lang, year=head.best_performers_year, names=fmt_list(sorted(best), lang)), n: None,
                 soph: 100.0, full: 100.0})
    out = pd.DataFrame(rows)
    out[n] = out[n].astype("Int64")
    return describe(out, {who: Col("text", pinned=True, width=360), soph: Col("pct"), full: Col("pct")}), head, ind


def az_labels(lang: str) -> list[str]:
    return [f"{t('eu.azerbaijan', lang)} · {t(k, lang)}" for k in ("eu.col.sophistication", "eu.col.full_online")]


def indicator_bars(raw_indicators: pd.DataFrame, head: eu.EuHeadline, lang: str) -> pd.DataFrame:
    raw = raw_indicators.loc["overall"]
    soph, full = t("eu.col.sophistication", lang), t("eu.col.full_online", lang)
    eu_name = f"{scope_name(head.scope, lang).split(' (')[0]} {head.year}"
    return pd.DataFrame({
        "label": [f"{t('eu.azerbaijan', lang)} · {soph}", f"{eu_name} · {soph}",
                  f"{t('eu.azerbaijan', lang)} · {full}", f"{eu_name} · {full}"],
        "value": [raw["online_sophistication_pct"], head.online_sophistication_pct,
                  raw["full_online_availability_pct"], head.full_online_availability_pct],
    })


@functools.lru_cache(maxsize=4)
def _country_names(lang: str) -> dict[str, str]:
    """ISO3 code → name in ``lang`` from CLDR (``l10n.territory_name``; the UN file's English name where CLDR has
    none), built once per language: the page names hundreds of countries on every run."""
    un = _egdi().drop_duplicates("iso3").set_index("iso3")["country"]
    return {str(k): territory_name(str(k), lang) or str(v) for k, v in un.items()}


@st.cache_data(show_spinner=False)
def country_options(lang: str) -> list[str]:
    from ingest.registry import fold

    names = _country_names(lang)
    return sorted(set(_egdi()["iso3"]) - {"AZE"}, key=lambda c: fold(names.get(c, c)))


def country_name(iso3: str, lang: str) -> str:
    """A country's name in ``lang`` from CLDR (the UN files' own English name only if CLDR has none)."""
    name = _country_names(lang).get(iso3)
    return name if name is not None else (territory_name(iso3, lang) or iso3)


def egdi_years() -> list[int]:
    return sorted(_egdi()["year"].unique().tolist())


@st.cache_data(show_spinner=False, max_entries=64)
def egdi_lines(countries: list[str], lang: str) -> pd.DataFrame:
    table = eu.egdi_comparison_table(_egdi(), _members(), countries=("AZE", *countries), lang=lang)
    names = _country_names(lang)
    table["label"] = [names.get(s, s) if k == "country" else t("eu.egdi.eu_average", lang)
                      for s, k in zip(table["series"], table["kind"])]
    return table


@st.cache_data(show_spinner=False, max_entries=64)
def rank_table(countries: list[str], lang: str) -> pd.DataFrame:
    """UN ranks per year (Azerbaijan first)."""
    table = egdi_lines(countries, lang)
    ranks = table[table["kind"] == "country"].pivot_table(index="label", columns="year", values="rank", aggfunc="first")
    order = [country_name("AZE", lang)] + [i for i in ranks.index if i != country_name("AZE", lang)]
    ranks = ranks.reindex(order)
    ranks.columns = [str(c) for c in ranks.columns]
    ranks = ranks.astype("Int64")
    ranks.index.name = t("eu.col.country_rank", lang)
    out = ranks.reset_index()
    return describe(out, {c: Col("id") for c in out.columns[1:]} | {out.columns[0]: Col("text", pinned=True)})


@st.cache_data(show_spinner=False, max_entries=64)
def egdi_bars(year: int, lang: str) -> pd.DataFrame:
    """EGDI of that year's EU members and Azerbaijan, with the EU average as a reference."""
    e = _egdi()
    members = eu.eu_members_in(year, _members())["iso3"]
    rows = e[(e["year"] == year) & (e["iso3"].isin(set(members) | {"AZE"}))].copy()
    rows["label"] = rows["iso3"].map(_country_names(lang))
    rows["kind"] = "country"
    avg = eu.egdi_eu_average(e, _members())
    mean = float(avg.loc[avg["year"] == year, "egdi_mean"].iloc[0])
    out = rows[["label", "egdi", "kind"]]
    return pd.concat([out, pd.DataFrame([{"label": t("eu.egdi.eu_average", lang), "egdi": mean, "kind": "eu_average"}])],
                     ignore_index=True)

"""Slide definitions: the one description of every screen, page and deck slide of a report.

:func:`build` turns a :class:`~report.model.ReportModel` into :class:`Slide`
objects in the agenda's order; every text is already in the report's
language and every number formatted by CLDR (``l10n``). Renderers only lay
them out: the presentation (``report.html``), the PDF and handout
(``report.pdf``), the deck (``report.deck``) and the chart pack
(``report.charts``). Long tables are split into pages of a slide by
:func:`paginate` (the PDF keeps them whole, with repeated headers).

Texts from data (institution and service names) are kept exactly as
written: nothing here changes their case.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo

from l10n import DASH, fmt_datetime, fmt_delta, fmt_int, fmt_num, fmt_pct, t

from .model import BoardRow, InstitutionPage, ReportModel

LIGHTS = ("green", "yellow", "red", "none")
ICONS = {"green": "✔", "yellow": "▲", "red": "✖", "none": "–"}
TIME_ZONE = "Asia/Baku"  # where the round tables take place; shown with the time
DIMENSIONS = ("coverage", "maturity", "infrastructure", "corruption")
INSTITUTION_ROWS = 6  # services on one slide of an institution (``report.outline`` counts pages with it)
BOARD_ROWS = 10  # institutions on one slide of the board (likewise)


# -- building blocks -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One headline number: its label, value, the previous round's value and the change."""

    label: str
    value: str
    previous: str | None = None
    delta: str | None = None
    direction: str | None = None  # up, down, same
    light: str | None = None  # green, yellow, red, none (institution cards)


@dataclass(frozen=True)
class Column:
    title: str
    width: float = 1.0  # relative share of the table's width
    align: str = "left"
    max_chars: int | None = None  # a slide shortens longer texts (the PDF shows them whole)


@dataclass(frozen=True)
class Cell:
    text: str
    light: str | None = None  # the cell shows the light's icon, word and tint
    strong: bool = False


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    rows_per_slide: int = 9
    caption: str | None = None


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]
    highlight: bool = False


@dataclass(frozen=True)
class Chart:
    """A category chart: the same numbers feed the Vega-Lite drawing and the deck's native chart.

    ``kind``: ``column`` (vertical bars), ``bar`` (horizontal), ``line`` or
    ``radar``. Percent values are 0–100; ``number_format`` is the Excel code the
    deck's embedded sheet uses (the viewer's Office shows its own separators).
    """

    id: str
    kind: str
    title: str
    alt: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    value_title: str
    digits: int = 0
    percent: bool = False
    value_range: tuple[float, float] | None = None
    breaks: tuple[str, ...] = ()

    @property
    def number_format(self) -> str:
        if self.percent:
            return "0" + ("." + "0" * self.digits if self.digits else "") + '"%"'
        return "0" + ("." + "0" * self.digits if self.digits else "")


@dataclass(frozen=True)
class Slide:
    key: str  # the agenda key that produced it
    kind: str  # cover, method, figures, chart, table, institution, closing
    title: str
    subtitle: str | None = None
    figures: tuple[Figure, ...] = ()
    chart: Chart | None = None
    table: Table | None = None
    bullets: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    link: str | None = None  # shown with a QR code (cover, closing)
    page: int = 1
    pages: int = 1
    institution_id: int | None = None
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def content(self) -> bool:
        """Slides with figures to speak to (everything but the cover and closing)."""
        return self.kind not in ("cover", "closing")


# -- formatting helpers --------------------------------------------------------------------------


def local_time(value: _dt.datetime | None) -> _dt.datetime | None:
    """A naive UTC time (as stored) in the round tables' time zone."""
    if value is None:
        return None
    return value.replace(tzinfo=_dt.UTC).astimezone(ZoneInfo(TIME_ZONE)).replace(tzinfo=None)


def stamp(value: _dt.datetime | None, lang: str) -> str:
    """``27 noy 2026, 14:05 (Bakı vaxtı)``: CLDR date and time, local to the round table."""
    if value is None:
        return DASH
    return t("report.time.local", lang, time=fmt_datetime(local_time(value), lang))


def direction(change: float | None, digits: int) -> str | None:
    if change is None:
        return None
    if round(change, digits) == 0:
        return "same"
    return "up" if change > 0 else "down"


def arrow(change: float | None, lang: str, digits: int, pct: bool = False) -> str:
    """``▲ 0,75`` / ``▼ 2%`` / ``=``; empty without a comparable previous value."""
    d = direction(change, digits)
    if d is None:
        return ""
    if d == "same":
        return "="
    body = fmt_pct(abs(change), lang, digits) if pct else fmt_num(abs(change), lang, digits)
    return f"{'▲' if d == 'up' else '▼'} {body}"


def light_word(light: str | None, lang: str) -> str:
    key = light if light in LIGHTS else "none"
    return t(f"light.{key}", lang)


def light_text(light: str | None, lang: str) -> str:
    key = light if light in LIGHTS else "none"
    return f"{ICONS[key]} {light_word(key, lang)}"


def shorten(text: str, limit: int | None) -> str:
    """A text cut at a word boundary with an ellipsis when longer than ``limit`` characters."""
    if limit is None or len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-") + "…"


def _figure(label: str, now: float | None, before: float | None, lang: str, *, digits: int = 1,
            pct: bool = False, previous: str | None = None) -> Figure:
    value = fmt_pct(now, lang, digits) if pct else fmt_num(now, lang, digits)
    if before is None or now is None or previous is None:
        return Figure(label, value)
    change = now - before
    prev = fmt_pct(before, lang, digits) if pct else fmt_num(before, lang, digits)
    # A change of a share is in percentage points, not per cent.
    delta = t("report.pp", lang, value=fmt_delta(change, lang, digits)) if pct else fmt_delta(change, lang, digits)
    return Figure(label, value, previous=t("report.previous_value", lang, round=previous, value=prev),
                  delta=delta, direction=direction(change, digits))


# -- the slides ------------------------------------------------------------------------------------


def marks(m: ReportModel, short: bool = False) -> tuple[str, ...]:
    """What every page must say about the data: not published, illustrative (``short``: for a badge)."""
    kind = "badge" if short else "mark"
    flags = (("not_published", not m.published), ("illustrative", m.illustrative))
    return tuple(t(f"report.{kind}.{name}", m.lang) for name, on in flags if on)


def badges(m: ReportModel) -> tuple[str, ...]:
    """The marks in a word or two, for a badge on every slide."""
    return marks(m, short=True)


def footer(m: ReportModel, with_marks: bool = True) -> str:
    """The line at the foot of every slide and page: round, data as of, generated at, marks."""
    parts = [t("report.footer.round", m.lang, round=m.round),
             t("report.data_as_of", m.lang, time=stamp(m.data_as_of, m.lang)),
             t("report.generated_at", m.lang, time=stamp(m.generated_at, m.lang)),
             *(marks(m) if with_marks else ())]
    return " · ".join(parts)


def _scope(m: ReportModel) -> str:
    lang = m.lang
    parts = [t(f"source.{m.source}", lang),
             t("report.scope.institutions", lang, n=fmt_int(m.summary.institutions, lang)),
             t("report.scope.services", lang, n=fmt_int(m.summary.services, lang))]
    if m.agenda.name:
        parts.append(t("report.scope.agenda", lang, name=m.agenda.name))
    return " · ".join(parts)


def cover(m: ReportModel) -> Slide:
    lang = m.lang
    bullets = [t("report.data_as_of", lang, time=stamp(m.data_as_of, lang)),
               t("report.generated_at", lang, time=stamp(m.generated_at, lang)),
               t("report.method_version", lang, version=m.method.id)]
    notes = [t("report.notes.cover", lang, round=m.round, scope=_scope(m)),
             t("report.notes.cover_data", lang, time=stamp(m.data_as_of, lang))]
    if not m.published:
        notes.append(t("report.notes.not_published", lang))
    return Slide("cover", "cover", t("report.title", lang, round=m.round), subtitle=_scope(m), bullets=tuple(bullets),
                 notes=tuple(notes), link=m.dashboard_url)


def method(m: ReportModel) -> Slide:
    lang, mi = m.lang, m.method
    icons = {k: f"{ICONS[k]} {light_word(k, lang)}" for k in ("green", "yellow", "red")}
    table = Table(
        columns=(Column(t("col.dimension", lang), 2.2), Column(icons["green"], 1.2, "center"),
                 Column(icons["yellow"], 1.2, "center"), Column(icons["red"], 1.2, "center")),
        rows=tuple((Cell(r.dimension, strong=True), Cell(r.green, "green"), Cell(r.yellow, "yellow"),
                    Cell(r.red, "red")) for r in mi.thresholds),
        rows_per_slide=6)
    bands = ", ".join(f"{label} {rng}" for label, rng in mi.bands)
    bullets = (t("report.method.levels", lang, n=mi.indicators),
               t("report.method.corruption", lang, bands=bands),
               t("report.method.coverage", lang),
               t("report.method.infrastructure", lang, n=len(mi.components),
                 threshold=fmt_pct(mi.percent_threshold, lang)))
    notes = (t("report.notes.method", lang, version=mi.id, title=mi.title), *bullets)
    return Slide("method", "method", t("report.method.title", lang), subtitle=mi.title, table=table, bullets=bullets,
                 notes=notes)


def headline(m: ReportModel) -> Slide:
    lang, now, before, prev = m.lang, m.summary, m.summary_previous, m.previous
    b = before if before is not None else None

    def pick(name: str):
        return None if b is None else getattr(b, name)

    figures = (
        _figure(t("metric.services", lang), now.services, pick("services"), lang, digits=0, previous=prev),
        _figure(t("metric.institutions", lang), now.institutions, pick("institutions"), lang, digits=0, previous=prev),
        _figure(t("metric.mean_level", lang), now.mean_level, pick("mean_level"), lang, digits=2, previous=prev),
        _figure(t("metric.share_level4", lang), now.share_level4, pick("share_level4"), lang, digits=0, pct=True,
                previous=prev),
        _figure(t("metric.mean_coverage", lang), now.mean_coverage, pick("mean_coverage"), lang, digits=0, pct=True,
                previous=prev),
        _figure(t("metric.infrastructure_index", lang), now.infrastructure_index, pick("infrastructure_index"), lang,
                digits=2, previous=prev),
    )
    notes = [t("report.notes.headline", lang, services=fmt_int(now.services, lang),
               institutions=fmt_int(now.institutions, lang), level=fmt_num(now.mean_level, lang, 2),
               share=fmt_pct(now.share_level4, lang))]
    for f in figures:
        if f.delta:
            notes.append(f"{f.label}: {f.value} ({f.previous}; {f.delta})")
    if before is None:
        notes.append(t("report.notes.no_previous", lang))
    subtitle = t("metric.delta_vs", lang, round=prev) if before is not None else t("metric.no_previous", lang)
    return Slide("headline", "figures", t("report.headline.title", lang, round=m.round), subtitle=subtitle,
                 figures=figures, notes=tuple(notes))


def levels(m: ReportModel) -> Slide:
    lang = m.lang
    cats = tuple(t("level.n", lang, n=k) for k in range(6))
    series = []
    if m.levels_previous is not None and m.previous:
        series.append(Series(m.previous, tuple(float(v) for v in m.levels_previous)))
    series.append(Series(m.round, tuple(float(v) for v in m.levels), highlight=True))
    total = sum(m.levels) or 1
    top = max(range(6), key=lambda k: m.levels[k])
    high = sum(m.levels[4:])
    title = t("chart.levels.title", lang)
    alt = t("report.alt.levels", lang, round=m.round,
            counts=", ".join(f"{c}: {fmt_int(v, lang)}" for c, v in zip(cats, m.levels)))
    chart = Chart("levels", "column", title, alt, cats, tuple(series), t("chart.axis.count", lang), digits=0)
    notes = [t("report.notes.levels", lang, high=fmt_int(high, lang), total=fmt_int(sum(m.levels), lang),
               share=fmt_pct(100 * high / total, lang), level=top),
             alt]
    if m.levels_previous is not None:
        notes.append(t("report.notes.levels_previous", lang, round=m.previous,
                       counts=", ".join(f"{c}: {fmt_int(v, lang)}" for c, v in zip(cats, m.levels_previous))))
    return Slide("levels", "chart", title, subtitle=t("report.levels.subtitle", lang, round=m.round), chart=chart,
                 notes=tuple(notes))


def _light_cell(value: float | None, text: str, light: str | None) -> Cell:
    """A figure with its light; without a value, the "no data" light alone."""
    return Cell("", "none") if value is None else Cell(text, light or "none")


def _once(fn):
    """``fn`` remembering its results: a country's board repeats a few hundred distinct values in thousands
    of cells, and each CLDR formatting costs tens of microseconds."""
    done: dict = {}

    def once(*args):
        found = done.get(args)
        if found is None:
            found = done[args] = fn(*args)
        return found
    return once


def _rounded(value: float | None, digits: int) -> float | None:
    """The value as ``fmt_num`` and ``arrow`` round it anyway: fewer distinct keys for :func:`_once`."""
    return None if value is None else round(value, digits)


def _board_cells(b: BoardRow, lang: str, pct=fmt_pct, num=fmt_num, change=arrow) -> tuple[Cell, ...]:
    return (
        Cell(b.name, strong=True),
        _light_cell(b.coverage_pct, pct(b.coverage_pct, lang), b.coverage_light),
        _light_cell(b.mean_level, num(_rounded(b.mean_level, 2), lang, 2), b.maturity_light),
        _light_cell(b.infrastructure_index, num(_rounded(b.infrastructure_index, 2), lang, 2), b.infrastructure_light),
        _light_cell(b.mean_corruption, num(_rounded(b.mean_corruption, 1), lang, 1), b.corruption_light),
        Cell(change(_rounded(b.level_change, 2), lang, 2)),
    )


def board(m: ReportModel) -> Slide:
    lang = m.lang
    columns = (Column(t("col.institution", lang), 3.0, max_chars=40),
               Column(t("light.dim.coverage", lang), 1.3, "left"),
               Column(t("light.dim.maturity", lang), 1.3, "left"),
               Column(t("light.dim.infrastructure", lang), 1.65, "left"),
               Column(t("light.dim.corruption", lang), 1.3, "left"),
               Column(t("report.col.change", lang), 1.05, "right"))
    pct, num, change = _once(fmt_pct), _once(fmt_num), _once(arrow)
    table = Table(columns, tuple(_board_cells(b, lang, pct, num, change) for b in m.board), rows_per_slide=BOARD_ROWS,
                  caption=t("report.board.caption", lang))
    notes = [t("report.notes.board", lang, n=fmt_int(len(m.board), lang))]
    for dim, attr in zip(DIMENSIONS, ("coverage_light", "maturity_light", "infrastructure_light", "corruption_light")):
        counts = {k: sum(1 for b in m.board if (getattr(b, attr) or "none") == k) for k in LIGHTS}
        notes.append(t("report.notes.board_dimension", lang, dimension=t(f"dim.{dim}", lang),
                       green=counts["green"], yellow=counts["yellow"], red=counts["red"], none=counts["none"]))
    movers = sorted((b for b in m.board if b.level_change), key=lambda b: -(b.level_change or 0))
    if movers:
        best = movers[0]
        notes.append(t("report.notes.board_best", lang, name=best.name, change=arrow(best.level_change, lang, 2)))
    return Slide("board", "table", t("report.board.title", lang, round=m.round), table=table, notes=tuple(notes))


def infrastructure(m: ReportModel) -> Slide | None:
    lang = m.lang
    if m.infrastructure is None:
        return None
    names = tuple(name for _, name in m.components)
    series = []
    if m.infrastructure_previous is not None and m.previous:
        series.append(Series(m.previous, tuple(m.infrastructure_previous[c] for c, _ in m.components)))
    series.append(Series(m.round, tuple(m.infrastructure[c] for c, _ in m.components), highlight=True))
    prev = m.infrastructure_previous
    figures = tuple(
        _figure(name, m.infrastructure[cid], prev[cid] if prev else None, lang, digits=2,
                previous=m.previous if prev else None) for cid, name in m.components
    ) + (_figure(t("metric.infrastructure_index", lang), m.infrastructure["index"], prev["index"] if prev else None,
                 lang, digits=2, previous=m.previous if prev else None),)
    title = t("chart.radar.title", lang)
    alt = t("report.alt.radar", lang, round=m.round,
            scores=", ".join(f"{n}: {fmt_num(m.infrastructure[c], lang, 2)}" for c, n in m.components))
    chart = Chart("infrastructure", "radar", title, alt, names, tuple(series), t("chart.axis.score", lang), digits=2,
                  value_range=(0.0, 1.0))
    notes = [alt, t("report.notes.infrastructure", lang, index=fmt_num(m.infrastructure["index"], lang, 2))]
    notes += [f"{f.label}: {f.value}" + (f" ({f.previous}; {f.delta})" if f.delta else "") for f in figures]
    return Slide("infrastructure", "chart", t("report.infrastructure.title", lang),
                 subtitle=t("chart.radar.subtitle", lang), chart=chart, figures=figures, notes=tuple(notes))


def eu_mapping(m: ReportModel) -> Slide:
    lang = m.lang
    yes, no = t("answer.yes", lang), t("answer.no", lang)
    none = t("eu.no_counterpart", lang)
    rows = []
    for r in m.mapping:
        online = DASH if r.fully_online is None else (yes if r.fully_online else no)
        light = None if r.fully_online is None else ("green" if r.fully_online else "red")
        rows.append((Cell(r.audience or DASH), Cell(r.eu_service or none, strong=bool(r.eu_service)),
                     Cell(r.az_codes or DASH), Cell(r.az_services or none),
                     Cell(DASH if r.level is None else str(r.level)), Cell(online, light)))
    columns = (Column(t("col.audience", lang), 1.0, max_chars=12), Column(t("eu.col.eu_service", lang), 2.6, max_chars=40),
               Column(t("eu.col.az_codes", lang), 1.1, max_chars=12),
               Column(t("eu.col.az_services", lang), 3.0, max_chars=44),
               Column(t("col.level", lang), 0.8, "center"), Column(t("eu.col.fully_online", lang), 1.2))
    matched = sum(1 for r in m.mapping if r.eu_service and r.az_codes)
    eu_total = sum(1 for r in m.mapping if r.eu_service)
    online = sum(1 for r in m.mapping if r.eu_service and r.fully_online)
    notes = (t("report.notes.eu_mapping", lang, matched=matched, total=eu_total, online=online),
             t("eu.mapping.legend", lang))
    # Slides show the EU's services; the report's table also lists the Azerbaijani ones without a counterpart.
    eu_rows = tuple(r for r, src in zip(rows, m.mapping) if src.eu_service)
    full = Table(columns, tuple(rows), rows_per_slide=10, caption=t("eu.mapping.legend", lang))
    return Slide("eu_mapping", "table", t("eu.tab.mapping", lang), subtitle=t("eu.mapping.caption", lang, round=m.round),
                 table=replace(full, rows=eu_rows, caption=None), notes=notes, extra={"full_table": full})


def eu_indicators(m: ReportModel) -> Slide:
    lang = m.lang
    cats = (t("eu.col.sophistication", lang), t("eu.col.full_online", lang))
    az = next((r for r in m.classic if not r.is_eu), None)
    eu_row = next(r for r in m.classic if r.is_eu)
    series = []
    if az is not None:
        series.append(Series(t("report.eu.az_series", lang, round=m.round), (az.sophistication, az.full_online), True))
    series.append(Series(eu_row.label, (eu_row.sophistication, eu_row.full_online)))
    title = t("eu.indicators.chart", lang)
    alt = t("report.alt.indicators", lang, values="; ".join(
        f"{s.name}: {fmt_pct(s.values[0], lang)}, {fmt_pct(s.values[1], lang)}" for s in series))
    chart = Chart("eu-indicators", "bar", title, alt, cats, tuple(series), "%", digits=0, percent=True,
                  value_range=(0.0, 100.0))
    table = Table(
        columns=(Column(t("eu.col.scope", lang), 3.0), Column(t("eu.col.n", lang), 0.8, "right"),
                 Column(t("eu.col.sophistication", lang), 1.3, "right"),
                 Column(t("eu.col.full_online", lang), 1.3, "right")),
        rows=tuple((Cell(r.label, strong=r.is_eu), Cell(DASH if r.n_services is None else fmt_int(r.n_services, lang)),
                    Cell(fmt_pct(r.sophistication, lang)), Cell(fmt_pct(r.full_online, lang))) for r in m.classic),
        rows_per_slide=6)
    notes = (alt, t("eu.indicators.note", lang, year=m.eu_year))
    return Slide("eu_indicators", "chart", t("eu.tab.indicators", lang), subtitle=t("report.eu.subtitle", lang),
                 chart=chart, table=table, notes=notes)


def egdi(m: ReportModel) -> Slide:
    lang = m.lang
    years = sorted({p.year for p in m.egdi})
    labels = list(dict.fromkeys(p.label for p in m.egdi))
    by = {(p.label, p.year): p for p in m.egdi}
    az_label = next(p.label for p in m.egdi if p.is_azerbaijan)
    series = tuple(Series(lbl, tuple(by[(lbl, y)].egdi if (lbl, y) in by else None for y in years),
                          highlight=lbl == az_label) for lbl in labels)
    ranks = [(p.year, p.rank) for p in m.egdi if p.is_azerbaijan]
    title = t("eu.egdi.line", lang)
    alt = t("report.alt.egdi", lang, values=", ".join(
        f"{y}: {fmt_num(by[(az_label, y)].egdi, lang, 3)}" for y in years if (az_label, y) in by))
    chart = Chart("egdi", "line", title, alt, tuple(str(y) for y in years), series, "EGDI", digits=2,
                  value_range=(0.0, 1.0))
    figures = tuple(Figure(t("report.egdi.rank_in", lang, year=y), fmt_int(r, lang) if r else DASH) for y, r in ranks)
    notes = (alt, t("report.notes.egdi", lang, ranks=", ".join(f"{y}: {r}" for y, r in ranks if r)),
             t("eu.egdi.rank_note", lang))
    return Slide("egdi", "chart", t("eu.tab.egdi", lang), subtitle=title, chart=chart, figures=figures, notes=notes)


def trend(m: ReportModel) -> Slide:
    lang = m.lang
    cats = tuple(p.round for p in m.trends)
    series = (
        Series(t("report.trends.coverage", lang), tuple(p.coverage_pct for p in m.trends)),
        Series(t("report.trends.fully_online", lang), tuple(p.share_level4 for p in m.trends), highlight=True),
        Series(t("report.trends.sophistication", lang),
               tuple(None if p.mean_level is None else p.mean_level / 5 * 100 for p in m.trends)),
    )
    breaks = tuple(p.round for p in m.trends if p.series_break)
    title = t("trends.title", lang)
    alt = t("report.alt.trends", lang, values="; ".join(
        f"{p.round}: {fmt_pct(p.coverage_pct, lang)}, {fmt_pct(p.share_level4, lang)}" for p in m.trends))
    chart = Chart("trends", "line", title, alt, cats, series, "%", digits=0, percent=True, value_range=(0.0, 100.0),
                  breaks=breaks)
    notes = [alt]
    if breaks:
        notes.append(t("trends.breaks", lang, rounds=", ".join(breaks)))
    if len(m.trends) < 2:
        notes.append(t("trends.single_round", lang))
    return Slide("trends", "chart", title, subtitle=t("report.trends.subtitle", lang, first=cats[0], last=cats[-1]),
                 chart=chart, notes=tuple(notes))


def institution(m: ReportModel, page: InstitutionPage) -> Slide:
    lang, b = m.lang, page.row
    figures = (
        Figure(t("light.dim.coverage", lang), fmt_pct(b.coverage_pct, lang), light=b.coverage_light or "none",
               previous=t("report.coverage_line", lang, provided=fmt_int(b.provided, lang),
                          transferable=fmt_int(b.transferable, lang)) if b.transferable is not None else None),
        Figure(t("light.dim.maturity", lang), fmt_num(b.mean_level, lang, 2), light=b.maturity_light or "none",
               previous=t("report.previous_value", lang, round=m.previous,
                          value=fmt_num(page.mean_level_previous, lang, 2))
               if page.mean_level_previous is not None else None,
               delta=fmt_delta(b.level_change, lang, 2) if b.level_change is not None else None,
               direction=direction(b.level_change, 2)),
        Figure(t("light.dim.infrastructure", lang), fmt_num(b.infrastructure_index, lang, 2),
               light=b.infrastructure_light or "none"),
        Figure(t("light.dim.corruption", lang), fmt_num(b.mean_corruption, lang, 1), light=b.corruption_light or "none"),
    )
    rows = []
    notes = [t("report.notes.institution", lang, name=b.name, n=fmt_int(b.n_services, lang),
               level=fmt_num(b.mean_level, lang, 2))]
    for f in figures:
        notes.append(f"{f.label}: {light_word(f.light, lang)}" if f.value == DASH else
                     f"{f.label}: {f.value} — {light_word(f.light, lang)}")
    for s in page.services:
        step = advice(s, lang)
        rows.append((Cell(s.code), Cell(s.name), Cell(str(s.level), s.light or "none"), Cell(s.band), Cell(step)))
        notes.append(f"{s.code} {s.name}: {t('level.n', lang, n=s.level)}. {step}")
    columns = (Column(t("col.code", lang), 0.7, max_chars=8), Column(t("col.service", lang), 3.2, max_chars=50),
               Column(t("col.level", lang), 1.0, "center"), Column(t("col.band", lang), 1.25),
               Column(t("col.next_step", lang), 3.3, max_chars=52))
    table = Table(columns, tuple(rows), rows_per_slide=INSTITUTION_ROWS, caption=t("report.institution.caption", lang))
    kind = t(f"kind.{b.kind}", lang) if b.kind in ("central", "regional", "local") else None
    subtitle = " · ".join(x for x in (kind, t("report.scope.services", lang, n=fmt_int(b.n_services, lang))) if x)
    return Slide("institutions", "institution", b.name, subtitle=subtitle, figures=figures, table=table,
                 notes=tuple(notes), institution_id=b.institution_id)


def advice(s, lang: str) -> str:
    """What keeps a service from the next level, in words (``*`` marks a mandatory indicator)."""
    if s.target is None:
        return t("advice.top", lang)
    items = ", ".join(f"{a.number}{'*' if a.mandatory else ''} {a.short}" for a in s.advice)
    return t("advice.to_level", lang, level=s.target, items=items)


def closing(m: ReportModel) -> Slide:
    lang = m.lang
    bullets = (t("report.closing.live", lang), t("report.closing.files", lang),
               t("report.data_as_of", lang, time=stamp(m.data_as_of, lang)))
    notes = (t("report.notes.closing", lang), m.dashboard_url)
    return Slide("closing", "closing", t("report.closing.title", lang), subtitle=t("report.title", lang, round=m.round),
                 bullets=bullets, notes=notes, link=m.dashboard_url)


BUILDERS = {
    "cover": cover, "method": method, "headline": headline, "levels": levels, "board": board,
    "infrastructure": infrastructure, "eu_mapping": eu_mapping, "eu_indicators": eu_indicators, "egdi": egdi,
    "trends": trend, "closing": closing,
}


def build(m: ReportModel) -> list[Slide]:
    """Every slide of the report in the agenda's order (tables whole; see :func:`paginate`)."""
    out: list[Slide] = []
    for key in m.agenda.slides:
        if key == "institutions":
            out += [institution(m, p) for p in m.institutions]
            continue
        slide = BUILDERS[key](m)
        if slide is not None:
            out.append(slide)
    return out


def paginate(slides: list[Slide]) -> list[Slide]:
    """Split every table longer than its ``rows_per_slide`` into pages: a projector never scrolls.

    Rows are shared out evenly (seven services make pages of 4 and 3, not 6 and 1): no page is left
    holding a lone row, and the earlier pages are never the shorter ones.
    """
    out: list[Slide] = []
    for s in slides:
        if s.table is None or len(s.table.rows) <= s.table.rows_per_slide:
            out.append(s)
            continue
        n = len(s.table.rows)
        count = -(-n // s.table.rows_per_slide)
        size, extra = divmod(n, count)
        ends = [(k + 1) * size + min(k + 1, extra) for k in range(count)]
        chunks = [s.table.rows[a:b] for a, b in zip([0, *ends[:-1]], ends)]
        for i, rows in enumerate(chunks, start=1):
            out.append(replace(s, table=replace(s.table, rows=rows), page=i, pages=len(chunks)))
    return out


def slide_title(s: Slide, lang: str) -> str:
    """The title with its page, ``Svetofor lövhəsi (2/3)``, for paged slides."""
    return s.title if s.pages == 1 else t("report.paged_title", lang, title=s.title, page=s.page, pages=s.pages)


def page_label(s: Slide, lang: str) -> str:
    """The page part of a paged slide's title alone, ``(2/3)`` (empty for a slide of one page)."""
    return "" if s.pages == 1 else t("report.paged_title", lang, title="", page=s.page, pages=s.pages).strip()

"""Altair chart builders shared by the pages (no Streamlit here).

Every builder takes a tidy DataFrame and the interface language and returns a
finished, configured chart: a title, readable labels, colours from
:mod:`ui.theme`, numbers in the language's format. Vega-Lite's
``config.locale`` carries the language's CLDR number and time locale
(:func:`l10n.vega_locale`), so axis ticks, legends and any formatted tooltip
use the Azerbaijani decimal comma and month names, on screen and in PNG/SVG;
figures in tooltips are pre-formatted by Babel.

Finished charts carry top-level ``configure`` settings, so they cannot be
concatenated afterwards; build one chart per view.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import altair as alt
import pandas as pd

from l10n import vega_locale

from . import theme
from .i18n import fmt_num, fmt_pct, normalise_lang, t

RINGS = (0.25, 0.5, 0.75, 1.0)
RADAR_SIZE = 760  # px; the radar needs a square plot so its circles stay round
RADAR_EXTENT = 2.0  # room left and right of the unit circle for the component labels
RADAR_TOP = 1.25  # room above it for the top label
BAR_STEP = 24  # px per bar in horizontal bar charts
# Horizontal bars size their height by band step, not a fixed number: Streamlit's
# container-width sizing otherwise squeezes a fixed-height band scale to nothing.
_DASHES = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [1, 3], [12, 4]]  # solid first



# --- shared finishing --------------------------------------------------------------


def _title(text: str, subtitle: str | None = None) -> alt.TitleParams:
    return alt.TitleParams(text=text, subtitle=subtitle or alt.Undefined, anchor="start")


def finish(chart: alt.TopLevelMixin, lang: str, title: str, subtitle: str | None = None) -> alt.TopLevelMixin:
    """Title, fonts, number locale and quiet axes: the common look of every chart."""
    # Vega writes English descriptions of every axis, legend and point for screen readers ("X-axis
    # titled … for a linear scale with values from …"); the chart's own title describes it instead.
    description = f"{title}. {subtitle}" if subtitle else title
    return (
        chart.properties(title=_title(title, subtitle), description=description)
        .configure(font=theme.FONT, locale=alt.Locale(**vega_locale(normalise_lang(lang))))
        .configure_mark(aria=False)
        .configure_view(stroke=None)
        .configure_title(fontSize=theme.TITLE_SIZE, color=theme.TEXT, subtitleColor=theme.SUBTLE_TEXT, aria=False)
        .configure_axis(
            labelFontSize=theme.FONT_SIZE,
            titleFontSize=theme.FONT_SIZE,
            labelColor=theme.TEXT,
            titleColor=theme.TEXT,
            gridColor=theme.GRID,
            labelLimit=260,
            aria=False,
        )
        .configure_legend(orient="bottom", labelFontSize=theme.FONT_SIZE, titleFontSize=theme.FONT_SIZE, labelLimit=260,
                          aria=False)
    )


def series_scale(values: Iterable[Any]) -> alt.Scale:
    """A colour scale giving each series (round, country...) a fixed Okabe–Ito colour."""
    domain = list(dict.fromkeys(str(v) for v in values))
    palette = theme.SERIES_COLORS
    return alt.Scale(domain=domain, range=[palette[i % len(palette)] for i in range(len(domain))])


# --- radar -----------------------------------------------------------------------------


def _polar(r: float, angle: float) -> tuple[float, float]:
    """Clockwise from twelve o'clock: x = r·sin θ, y = r·cos θ."""
    return r * math.sin(angle), r * math.cos(angle)


def _angles(n: int) -> list[float]:
    return [2 * math.pi * i / n for i in range(n)]


def _radar_rings(n: int) -> pd.DataFrame:
    """Grid rings: a web through the spokes (3+ axes) or a circle (fewer)."""
    steps = _angles(n) if n >= 3 else _angles(72)
    rows = []
    for r in RINGS:
        for i, a in enumerate([*steps, steps[0]]):  # repeat the first point to close the ring
            x, y = _polar(r, a)
            rows.append({"ring": r, "order": i, "x": x, "y": y})
    return pd.DataFrame(rows)


def _radar_ring_labels(lang: str, n: int = 3) -> pd.DataFrame:
    """Ring values in the gap between the first two spokes, on each ring's edge, where no spoke or
    component name sits. (Beside the top spoke the outer value ran into the top component's name.)

    The outer ring is left unlabelled: it is the score's maximum, 1, which the subtitle states.
    """
    rings = RINGS[:-1]
    if n >= 3:
        gap = math.pi / n  # the midpoint of a web ring's edge lies at r·cos(π/n) along the bisector
        points = [_polar(r * math.cos(gap), gap) for r in rings]
    else:
        points = [_polar(r, math.pi / 4) for r in rings]
    xs, ys = zip(*points)
    return pd.DataFrame({"x": xs, "y": ys, "text": [fmt_num(r, lang, 2) for r in rings]})


def _wrap(name: str, width: int = 16) -> str:
    """Break a long component name at the space nearest its middle (Azerbaijani names run long)."""
    if len(name) <= width or " " not in name:
        return name
    mid = len(name) // 2
    spaces = [i for i, c in enumerate(name) if c == " "]
    cut = min(spaces, key=lambda i: abs(i - mid))
    return name[:cut] + "\n" + name[cut + 1:]


def _radar_spokes(components: Sequence[str]) -> pd.DataFrame:
    rows = []
    for name, a in zip(components, _angles(len(components))):
        x, y = _polar(1.0, a)
        lx, ly = _polar(1.12, a)
        align = "left" if lx > 0.05 else "right" if lx < -0.05 else "center"
        rows.append({"component": _wrap(name), "x": 0.0, "y": 0.0, "x2": x, "y2": y, "lx": lx, "ly": ly,
                     "align": align})
    return pd.DataFrame(rows)


def _radar_points(df: pd.DataFrame, components: Sequence[str], lang: str) -> pd.DataFrame:
    """One row per (series, component) plus a closing row per series for the line."""
    angle = dict(zip(components, _angles(len(components))))
    rows = []
    for series, part in df.groupby("series", sort=False):
        part = part.set_index("component").reindex(components)
        for order, name in enumerate([*components, components[0]]):
            score = pd.to_numeric(part.at[name, "score"], errors="coerce")
            r = 0.0 if pd.isna(score) else min(max(float(score), 0.0), 1.0)
            x, y = _polar(r, angle[name])
            rows.append(
                {
                    "series": str(series),
                    "component": name,
                    "order": order,
                    "x": x,
                    "y": y,
                    "score_text": fmt_num(score, lang, 2),
                    "closing": order == len(components),
                }
            )
    return pd.DataFrame(rows)


def _radar_bottom(n: int) -> float:
    """Lowest y the drawing needs: a triangle leaves the bottom third empty, so crop it."""
    lowest = min(math.cos(a) for a in (_angles(n) if n >= 3 else _angles(72)))
    return min(lowest, -0.3) - 0.25


def _radar_axes(xfield: str = "x", yfield: str = "y", bottom: float = -RADAR_EXTENT) -> tuple[alt.X, alt.Y]:
    """Fixed domains; the plot's pixel size is set proportional to them so the aspect stays equal."""
    xs = alt.Scale(domain=[-RADAR_EXTENT, RADAR_EXTENT], nice=False, zero=False)
    ys = alt.Scale(domain=[bottom, RADAR_TOP], nice=False, zero=False)
    return alt.X(f"{xfield}:Q", scale=xs, axis=None), alt.Y(f"{yfield}:Q", scale=ys, axis=None)


def _radar_grid(names: Sequence[str], bottom: float) -> list[alt.Chart]:
    """Rings, spokes and the component names at the spoke ends."""
    x, y = _radar_axes(bottom=bottom)
    spokes = _radar_spokes(names)
    layers = [
        alt.Chart(_radar_rings(len(names))).mark_line(color=theme.GRID, strokeWidth=1).encode(
            x=x, y=y, detail="ring:N", order="order:Q"
        ),
        alt.Chart(spokes).mark_rule(color=theme.GRID).encode(x=x, y=y, x2="x2:Q", y2="y2:Q"),
    ]
    for align in ("left", "right", "center"):  # text alignment is a mark property, not a channel
        part = spokes[spokes["align"] == align]
        if len(part):
            layers.append(
                alt.Chart(part)
                .mark_text(align=align, fontSize=theme.FONT_SIZE, fontWeight="bold", color=theme.TEXT, lineBreak="\n")
                .encode(*_radar_axes("lx", "ly", bottom), text="component:N")
            )
    return layers


def _radar_ring_values(lang: str, bottom: float, n: int = 3) -> list[alt.Chart]:
    """0,25 … 0,75 between the first two spokes, drawn twice: white outline, then text."""
    x, y = _radar_axes(bottom=bottom)
    styles = ({"stroke": "white", "strokeWidth": 3, "color": "white"}, {"color": theme.SUBTLE_TEXT})
    return [
        alt.Chart(_radar_ring_labels(lang, n))
        .mark_text(align="center", baseline="middle", fontSize=10, **style)
        .encode(x=x, y=y, text="text:N")
        for style in styles
    ]


def _radar_series(points: pd.DataFrame, lang: str, bottom: float, title: str | None = None) -> list[alt.Chart]:
    """One closed polygon and its points per series."""
    x, y = _radar_axes(bottom=bottom)
    scale = series_scale(points["series"])
    title = title or t("chart.series", lang)
    tooltip = [
        alt.Tooltip("series:N", title=title),
        alt.Tooltip("component:N", title=t("col.component", lang)),
        alt.Tooltip("score_text:N", title=t("col.score", lang)),
    ]
    # Dash pattern doubles colour for colour-blind readers; colour and dash share
    # one unit and one title, so Vega-Lite draws them as a single legend.
    lines = alt.Chart(points).mark_line(strokeWidth=2.5).encode(
        x=x, y=y, detail="series:N", order="order:Q",
        color=alt.Color("series:N", scale=scale, title=title),
        strokeDash=alt.StrokeDash("series:N", title=title, scale=alt.Scale(domain=scale.domain, range=_DASHES)),
    )
    dots = alt.Chart(points[~points["closing"]]).mark_point(filled=True, size=70, opacity=1).encode(
        x=x, y=y, tooltip=tooltip, color=alt.Color("series:N", scale=scale, title=title)
    )
    return [lines, dots]


def radar_chart(
    df: pd.DataFrame,
    lang: str,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    components: Sequence[str] | None = None,
    size: int = RADAR_SIZE,
    series_title: str | None = None,
) -> alt.TopLevelMixin:
    """Radar (spider) chart of scores 0–1.

    ``df`` columns: ``component`` (label), ``score`` (0–1), ``series`` (e.g. the
    round label; optional, one series when absent). ``components`` fixes the
    spoke order (default: order of first appearance). Missing scores are drawn
    at the centre and shown as ``—`` in the tooltip.
    """
    df = df.copy()
    if "series" not in df:
        df["series"] = t("chart.series", lang)
    df["component"] = df["component"].astype(str)
    names = list(components) if components is not None else list(dict.fromkeys(df["component"]))
    points = _radar_points(df, names, lang)
    # Grid under the data, ring values over it (with a halo) so they stay legible.
    bottom = _radar_bottom(len(names))
    layers = [*_radar_grid(names, bottom), *_radar_series(points, lang, bottom, series_title),
              *_radar_ring_values(lang, bottom, len(names))]
    height = round(size * (RADAR_TOP - bottom) / (2 * RADAR_EXTENT))
    chart = alt.layer(*layers).properties(width=size, height=height)
    return finish(chart, lang, title or t("chart.radar.title", lang), subtitle or t("chart.radar.subtitle", lang))


# --- level distribution -------------------------------------------------------------


def _level_frame(df: pd.DataFrame, group: str | None, lang: str) -> pd.DataFrame:
    """Counts per (group, level) with all six levels present, shares and tooltip texts."""
    keys = [group, "level"] if group else ["level"]
    if "count" in df:
        counts = df.groupby(keys, sort=False, observed=True)["count"].sum().reset_index()
    else:
        counts = df.groupby(keys, sort=False, observed=True).size().rename("count").reset_index()
    counts["level"] = counts["level"].astype(int)
    total = counts.groupby(group, sort=False)["count"].transform("sum") if group else counts["count"].sum()
    counts["share"] = counts["count"] / total
    counts["level_label"] = [t("level.n", lang, n=n) for n in counts["level"]]
    counts["count_text"] = [fmt_num(c, lang, 0) for c in counts["count"]]
    counts["share_text"] = [fmt_pct(s, lang, 0, ratio=True) for s in counts["share"]]
    return counts


def level_distribution_chart(
    df: pd.DataFrame,
    lang: str,
    *,
    group: str | None = "group",
    share: bool = False,
    title: str | None = None,
    subtitle: str | None = None,
    group_title: str | None = None,
) -> alt.TopLevelMixin:
    """Services per maturity level 0–5.

    ``df`` has one row per service with a ``level`` column, or pre-counted rows
    with ``level`` and ``count``. With ``group`` (e.g. an audience or round
    column) each group is one horizontal bar stacked by level; ``share=True``
    stacks to 100 %. Without a group: one column per level.
    """
    group = group if group and group in df else None
    data = _level_frame(df, group, lang)
    labels = [t("level.n", lang, n=n) for n in theme.LEVEL_COLORS]
    level_scale = alt.Scale(domain=labels, range=list(theme.LEVEL_COLORS.values()))
    color = alt.Color("level_label:N", title=t("chart.axis.level", lang), sort=labels, scale=level_scale,
                      legend=alt.Legend(orient="bottom", direction="horizontal"))
    tooltip = [alt.Tooltip("level_label:N", title=t("col.level", lang)),
               alt.Tooltip("count_text:N", title=t("col.count", lang)),
               alt.Tooltip("share_text:N", title=t("col.share", lang))]
    if group:
        tooltip.insert(0, alt.Tooltip(f"{group}:N", title=group_title or t("chart.group", lang)))
        measure = "share" if share else "count"
        x_axis = alt.Axis(format="%" if share else "d", title=t("chart.axis.share" if share else "chart.axis.count", lang))
        chart = alt.Chart(data).mark_bar().encode(
            y=alt.Y(f"{group}:N", sort=list(dict.fromkeys(data[group])), title=group_title or None),
            x=alt.X(f"{measure}:Q", stack="zero", axis=x_axis),
            color=color, order=alt.Order("level:Q"), tooltip=tooltip,
        ).properties(width="container", height=alt.Step(BAR_STEP * 2))
    else:
        chart = alt.Chart(data).mark_bar().encode(
            x=alt.X("level_label:N", sort=labels, title=t("chart.axis.level", lang), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("share:Q" if share else "count:Q",
                    axis=alt.Axis(format="%" if share else "d"),
                    title=t("chart.axis.share" if share else "chart.axis.count", lang)),
            color=alt.Color("level_label:N", scale=level_scale, legend=None), tooltip=tooltip,
        ).properties(width="container", height=280)
    return finish(chart, lang, title or t("chart.levels.title", lang), subtitle)


# --- horizontal bars -------------------------------------------------------------------


def bar_chart(
    df: pd.DataFrame,
    lang: str,
    *,
    label: str = "label",
    value: str = "value",
    highlight: Iterable[Any] | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    value_title: str | None = None,
    percent: bool = False,
    digits: int = 1,
    domain: tuple[float, float] | None = None,
    reference: float | None = None,
    reference_label: str | None = None,
    sort_desc: bool = True,
    label_title: str | None = None,
) -> alt.TopLevelMixin:
    """Horizontal bars with the values written at the bar ends.

    Rows whose ``label`` is in ``highlight`` (e.g. Azerbaijan among EU
    countries) are drawn in the highlight colour, the rest muted. ``percent``
    means values are percentages (65, not 0.65). ``reference`` adds a dashed
    vertical rule (e.g. an EU average) labelled ``reference_label``.
    """
    marked = {str(h) for h in (highlight or [])}
    data = df[[label, value]].copy()
    data[label] = data[label].astype(str)
    data["highlight"] = data[label].isin(marked)
    data["value_text"] = [fmt_pct(v, lang, digits) if percent else fmt_num(v, lang, digits) for v in data[value]]
    order = data.sort_values(value, ascending=not sort_desc, na_position="last")[label].tolist()
    x_scale = alt.Scale(domain=list(domain)) if domain else alt.Undefined
    base = alt.Chart(data).encode(
        y=alt.Y(f"{label}:N", sort=order, title=None),
        x=alt.X(f"{value}:Q", scale=x_scale, title=value_title or t("chart.axis.value", lang)),
        tooltip=[alt.Tooltip(f"{label}:N", title=label_title or t("chart.category", lang)),
                 alt.Tooltip("value_text:N", title=value_title or t("col.value", lang))],
    )
    bars = base.mark_bar().encode(
        color=alt.condition("datum.highlight", alt.value(theme.HIGHLIGHT), alt.value(theme.MUTED))
    )
    texts = base.mark_text(align="left", dx=4, color=theme.TEXT).encode(text="value_text:N")
    layers = [bars, texts]
    if reference is not None:
        layers.append(_reference_rule(reference, reference_label, value, lang, percent, digits))
    chart = alt.layer(*layers).properties(width="container", height=alt.Step(BAR_STEP))
    return finish(chart, lang, title or t("chart.bars.title", lang), subtitle)


def _reference_rule(ref: float, label: str | None, value: str, lang: str, percent: bool, digits: int) -> alt.Chart:
    shown = fmt_pct(ref, lang, digits) if percent else fmt_num(ref, lang, digits)
    text = f"{label}: {shown}" if label else shown
    frame = pd.DataFrame({value: [ref], "text": [text]})
    rule = alt.Chart(frame).mark_rule(color=theme.RULE, strokeDash=[5, 4], strokeWidth=1.5).encode(x=f"{value}:Q")
    note = alt.Chart(frame).mark_text(align="left", baseline="top", dx=4, dy=-14, color=theme.RULE).encode(
        x=f"{value}:Q", y=alt.value(0), text="text:N"
    )
    return rule + note


def stacked_bars(
    df: pd.DataFrame,
    lang: str,
    *,
    label: str,
    value: str,
    stack: str,
    order: str | None = None,
    title: str,
    value_title: str,
    stack_title: str,
    colors: Sequence[str] | None = None,
) -> alt.TopLevelMixin:
    """Horizontal bars stacked by ``stack`` (e.g. two kinds of disagreement per indicator).

    Rows keep ``order`` (a number, so 1, 2 … 10 and not 1, 10, 11); the legend names
    each part in the user's language.
    """
    data = df.copy()
    data["value_text"] = [fmt_num(v, lang, 0) for v in data[value]]
    parts = list(dict.fromkeys(data[stack]))
    palette = list(colors or theme.SERIES_COLORS)
    scale = alt.Scale(domain=parts, range=[palette[i % len(palette)] for i in range(len(parts))])
    sort = (list(dict.fromkeys(data.sort_values(order)[label])) if order else list(dict.fromkeys(data[label])))
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y(f"{label}:N", sort=sort, title=None),
        x=alt.X(f"{value}:Q", stack="zero", title=value_title, axis=alt.Axis(format="d")),
        color=alt.Color(f"{stack}:N", scale=scale, title=stack_title, legend=alt.Legend(orient="bottom")),
        order=alt.Order(f"{stack}:N"),
        tooltip=[alt.Tooltip(f"{label}:N", title=t("chart.category", lang)),
                 alt.Tooltip(f"{stack}:N", title=stack_title),
                 alt.Tooltip("value_text:N", title=value_title)],
    ).properties(width="container", height=alt.Step(BAR_STEP))
    return finish(chart, lang, title)


# --- trends --------------------------------------------------------------------------------


def _segments(xs: Sequence[Any], breaks: Iterable[Any]) -> list[int]:
    """Segment number per x: a new segment starts at every break, so lines do not join across it."""
    cuts, seg, out = {str(b) for b in breaks}, 0, []
    for x in xs:
        if str(x) in cuts:
            seg += 1
        out.append(seg)
    return out


def line_chart(
    df: pd.DataFrame,
    lang: str,
    *,
    x: str = "round",
    y: str = "value",
    series: str | None = "series",
    breaks: Iterable[Any] = (),
    title: str | None = None,
    subtitle: str | None = None,
    x_title: str | None = None,
    y_title: str | None = None,
    percent: bool = False,
    digits: int = 1,
    y_domain: tuple[float, float] | None = None,
) -> alt.TopLevelMixin:
    """Lines over ordered rounds (x keeps the row order of ``df``).

    ``breaks``: x values where a new methodology version starts; a dashed rule
    is drawn there and the lines are not joined across it, because values on
    the two sides are not strictly comparable.
    """
    data = df.copy()
    data[x] = data[x].astype(str)
    x_order = list(dict.fromkeys(data[x]))
    breaks = [str(b) for b in breaks if str(b) in x_order]
    seg_of = dict(zip(x_order, _segments(x_order, breaks)))
    data["segment"] = data[x].map(seg_of)
    single = not series or series not in data
    if single:
        series = "series"
        data[series] = y_title or t("chart.axis.value", lang)
    data[series] = data[series].astype(str)
    data["value_text"] = [fmt_pct(v, lang, digits) if percent else fmt_num(v, lang, digits) for v in data[y]]
    color = alt.Color(f"{series}:N", scale=series_scale(data[series]), title=None,
                      legend=None if single else alt.Legend(orient="bottom"))
    enc = {
        "x": alt.X(f"{x}:N", sort=x_order, title=x_title or t("chart.axis.round", lang), axis=alt.Axis(labelAngle=0)),
        "y": alt.Y(f"{y}:Q", title=y_title or t("chart.axis.value", lang),
                   scale=alt.Scale(domain=list(y_domain)) if y_domain else alt.Undefined),
        "color": color,
    }
    tooltip = [alt.Tooltip(f"{series}:N", title=t("chart.series", lang)),
               alt.Tooltip(f"{x}:N", title=x_title or t("col.round", lang)),
               alt.Tooltip("value_text:N", title=y_title or t("col.value", lang))]
    lines = alt.Chart(data).mark_line(strokeWidth=2.5).encode(**enc, detail=alt.Detail(["segment:N", f"{series}:N"]))
    points = alt.Chart(data).mark_point(filled=True, size=60).encode(**enc, tooltip=tooltip)
    layers = [lines, points]
    if breaks:
        layers.append(_break_rules(breaks, x, x_order, lang))
    chart = alt.layer(*layers).properties(width="container", height=300)
    return finish(chart, lang, title or t("chart.trend.title", lang), subtitle)


def _break_rules(breaks: Sequence[str], x: str, x_order: Sequence[str], lang: str) -> alt.LayerChart:
    frame = pd.DataFrame({x: list(breaks), "text": t("trend.method_change", lang)})
    # Offset by half a band so the rule sits between the last old round and the first new one.
    xs = alt.X(f"{x}:N", sort=list(x_order), bandPosition=0)
    rule = alt.Chart(frame).mark_rule(color=theme.RULE, strokeDash=[5, 4], strokeWidth=1.5).encode(x=xs)
    note = alt.Chart(frame).mark_text(align="left", baseline="top", dx=4, color=theme.RULE, fontSize=11).encode(
        x=xs, y=alt.value(2), text="text:N", tooltip=alt.value(t("trend.method_change.help", lang))
    )
    return rule + note


# --- traffic-light matrix -------------------------------------------------------------------


def light_matrix(
    df: pd.DataFrame,
    lang: str,
    *,
    row: str = "institution",
    column: str = "dimension",
    light: str = "light",
    text: str | None = "text",
    title: str | None = None,
    subtitle: str | None = None,
    columns_order: Sequence[str] | None = None,
) -> alt.TopLevelMixin:
    """The board as a heatmap: one cell per (institution, dimension), coloured by light.

    Each cell also shows the light's icon (and ``text``, e.g. ``65 %``, when
    given) so the board reads without colour.
    """
    data = df.copy()
    data["light_key"] = [theme.light_key(v) for v in data[light]]
    data["light_word"] = [theme.light_text(k, lang) for k in data["light_key"]]
    data["meaning"] = [theme.light_meaning(k, lang) for k in data["light_key"]]
    has_text = bool(text) and text in data
    icons = {k: v["icon"] for k, v in theme.LIGHTS.items()}
    data["cell_text"] = [
        f"{icons[k]} {v}" if has_text and pd.notna(v) and str(v) else icons[k]
        for k, v in zip(data["light_key"], data[text] if has_text else [None] * len(data))
    ]
    data["ink"] = [theme.LIGHTS[k]["ink"] for k in data["light_key"]]
    keys = list(theme.LIGHT_ORDER)
    enc_x = alt.X(f"{column}:N", sort=list(columns_order) if columns_order else None, title=None,
                  axis=alt.Axis(orient="top", labelAngle=0))
    enc_y = alt.Y(f"{row}:N", sort=None, title=None)
    tooltip = [alt.Tooltip(f"{row}:N", title=t("col.institution", lang)),
               alt.Tooltip(f"{column}:N", title=t("col.dimension", lang)),
               alt.Tooltip("light_word:N", title=t("col.light", lang)),
               alt.Tooltip("meaning:N", title=t("col.meaning", lang))]
    cells = alt.Chart(data).mark_rect(stroke="white", strokeWidth=2).encode(
        x=enc_x, y=enc_y, tooltip=tooltip,
        color=alt.Color("light_key:N", legend=None,
                        scale=alt.Scale(domain=keys, range=[theme.LIGHTS[k]["bg"] for k in keys])),
    )
    labels = alt.Chart(data).mark_text(fontSize=theme.FONT_SIZE).encode(
        x=enc_x, y=enc_y, text="cell_text:N", color=alt.Color("ink:N", scale=None), tooltip=tooltip
    )
    height = max(80, 30 * data[row].nunique())
    chart = alt.layer(cells, labels).properties(width="container", height=height)
    return finish(chart, lang, title or t("chart.matrix.title", lang), subtitle)

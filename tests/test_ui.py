"""Tests of the interface helpers: catalogue, number formats, palette, charts and exports."""

from __future__ import annotations

import io
import math

import altair as alt
import pandas as pd
import pytest
from openpyxl import load_workbook

from ui import charts, export, theme
from ui.i18n import CATALOGUE, DASH, SAME_IN_BOTH, fmt_delta, fmt_int, fmt_num, fmt_pct, t

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


# --- catalogue -------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_key_has_both_languages(key):
    entry = CATALOGUE[key]
    assert set(entry) == {"az", "en"}, key
    assert entry["az"].strip() and entry["en"].strip(), key


def test_azerbaijani_is_really_translated():
    same = sorted(k for k, v in CATALOGUE.items() if v["az"] == v["en"] and k not in SAME_IN_BOTH)
    assert same == [], f"az text equals en (translate or add to SAME_IN_BOTH): {same}"


def test_placeholders_match_between_languages():
    import string

    def names(text):
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    bad = [k for k, v in CATALOGUE.items() if names(v["az"]) != names(v["en"])]
    assert bad == []


def test_missing_key_raises_in_tests_and_falls_back_at_runtime():
    with pytest.raises(KeyError):
        t("no.such.key", "az")
    assert t("no.such.key", "az", strict=False) == "no.such.key"


def test_t_fills_placeholders_and_defaults_unknown_language():
    assert t("level.n", "en", n=3) == "Level 3"
    assert t("level.n", "az", n=3) == "Səviyyə 3"
    assert t("nav.board", "xx") == CATALOGUE["nav.board"]["az"]


def test_page_titles_present():
    for key in ("overview", "board", "institution", "service", "infrastructure", "data", "methodology",
                "eu", "trends", "portal", "review", "audit", "login"):
        assert t(f"nav.{key}", "az") and t(f"nav.{key}", "en")


# --- numbers --------------------------------------------------------------------------------


def test_fmt_num_languages():
    from babel.numbers import format_decimal

    assert fmt_num("0.6", "az") == "0,6"
    assert fmt_num(0.6, "en") == "0.6"
    # CLDR's Azerbaijani grouping is a dot, its decimal mark a comma: taken from Babel, not hand-written.
    assert fmt_num(1200290, "az", 0) == format_decimal(1200290, locale="az") == "1.200.290"
    assert fmt_num(1200290, "en", 0) == "1,200,290"
    assert fmt_num(1234.56, "az", 2) == "1.234,56"
    assert fmt_num(3.75, "az", 2) == "3,75"


@pytest.mark.parametrize("missing", [None, math.nan, float("nan"), pd.NA, "", "abc"])
def test_fmt_missing_is_dash(missing):
    assert fmt_num(missing, "az") == DASH
    assert fmt_pct(missing, "en") == DASH


def test_fmt_pct_int_delta():
    from babel.numbers import format_percent

    assert fmt_pct(65, "az") == format_percent(0.65, locale="az")
    assert fmt_pct(65, "en") == "65%"
    assert fmt_pct(0.655, "en", 1, ratio=True) == "65.5%"
    assert fmt_int(1200290.4, "en") == "1,200,290"
    assert fmt_int(-0.4, "az") == "0"  # no "-0"
    assert fmt_delta(0.4, "az") == "+0,4"
    assert fmt_delta(-2, "en", 0, pct=True) == "-2%"


# --- theme ------------------------------------------------------------------------------------


@pytest.mark.parametrize("light", ["green", "yellow", "red", "none"])
def test_lights_have_icon_and_label(light):
    spec = theme.LIGHTS[light]
    assert spec["icon"] and spec["color"].startswith("#")
    for lang in ("az", "en"):
        assert t(spec["label_key"], lang) and t(spec["meaning_key"], lang)
        assert theme.light_text(light, lang).startswith(spec["icon"])


def test_light_icons_are_distinct_and_unknown_is_none():
    icons = [theme.LIGHTS[k]["icon"] for k in theme.LIGHT_ORDER]
    assert len(set(icons)) == len(icons)
    assert theme.light_key(None) == theme.light_key(math.nan) == theme.light_key("blue") == "none"
    assert theme.light_text("green", "az") == "✔ yaşıl"


def test_badge_is_accessible_and_escaped():
    html = theme.light_badge_html("red", "en", text="<b>x</b>")
    assert 'aria-label="red: Fails to meet requirements"' in html
    assert "<b>" not in html and "&lt;b&gt;" in html


# --- charts and exports ------------------------------------------------------------------------


def _radar_frame():
    return pd.DataFrame(
        {
            "component": ["Authentic sources", "eID", "Secure eDelivery"] * 2,
            "score": [5 / 6, 4 / 7, 1 / 3, 1.0, 0.7, math.nan],
            "series": ["2013"] * 3 + ["2014"] * 3,
        }
    )


@pytest.mark.parametrize("lang", ["az", "en"])
def test_radar_renders_to_png_and_svg(lang):
    chart = charts.radar_chart(_radar_frame(), lang)
    spec = chart.to_dict()
    assert spec["title"]["text"] == t("chart.radar.title", lang)
    png, svg = export.chart_png(chart), export.chart_svg(chart)
    assert png.startswith(PNG_MAGIC)
    assert b"<svg" in svg[:500]
    assert b"Secure eDelivery" in svg


def test_radar_geometry_is_polar():
    pts = charts._radar_points(_radar_frame(), ["Authentic sources", "eID", "Secure eDelivery"], "en")
    top = pts[(pts.series == "2014") & (pts.component == "Authentic sources")].iloc[0]
    assert top.x == pytest.approx(0) and top.y == pytest.approx(1)
    closing = pts[pts.closing]
    assert len(closing) == 2  # one closing vertex per series
    assert pts[(pts.series == "2014") & (pts.component == "Secure eDelivery")].iloc[0].score_text == DASH


def test_other_charts_build_and_render():
    levels = pd.DataFrame({"level": [0, 1, 3, 3, 4, 5, 2], "group": ["A", "A", "A", "B", "B", "B", "B"]})
    built = [
        charts.level_distribution_chart(levels, "az", share=True),
        charts.level_distribution_chart(levels, "en", group=None),
        charts.bar_chart(pd.DataFrame({"label": ["AZ", "EE"], "value": [48.0, 93.0]}), "az", highlight=["AZ"],
                         percent=True, reference=80, reference_label="EU"),
        charts.line_chart(pd.DataFrame({"round": ["2013", "2014", "2015"], "value": [1.0, 2.0, 2.5]}), "en",
                          series=None, breaks=["2015"]),
        charts.light_matrix(pd.DataFrame({"institution": ["A", "B"], "dimension": ["Coverage"] * 2,
                                          "light": ["green", None], "text": ["80 %", None]}), "az"),
    ]
    for chart in built:
        assert isinstance(chart, alt.TopLevelMixin)
        assert chart.to_dict()["title"]["text"]
        assert export.chart_png(chart, scale=1).startswith(PNG_MAGIC)


def test_line_chart_does_not_join_across_a_break():
    df = pd.DataFrame({"round": ["r1", "r2", "r3"], "value": [1, 2, 3], "series": "s"})
    assert charts._segments(list(df["round"]), ["r3"]) == [0, 0, 1]


def test_xlsx_neutralises_formulas_and_keeps_numbers():
    df = pd.DataFrame({"name": ["=1+1", "+cmd", "@SUM(A1)", "-2+3", "plain"], "n": [1, 2, 3, 4, math.nan]})
    data = export.frame_xlsx(df, "Board")
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Board"]
    assert [c.value for c in ws[1]] == ["name", "n"]
    assert ws[1][0].font.b and ws.freeze_panes == "A2"
    texts = [ws.cell(row=r, column=1) for r in range(2, 7)]
    assert all(c.data_type == "s" for c in texts)
    assert [c.value for c in texts[:4]] == ["'=1+1", "'+cmd", "'@SUM(A1)", "'-2+3"]
    assert texts[4].value == "plain"
    assert ws.cell(row=2, column=2).value == 1 and ws.cell(row=6, column=2).value is None


def test_xlsx_several_sheets_with_unsafe_names():
    data = export.frame_xlsx({"a/b": pd.DataFrame({"x": [1]}), "A/B": pd.DataFrame({"y": [2]})})
    wb = load_workbook(io.BytesIO(data))
    assert len(wb.sheetnames) == 2 and all("/" not in s for s in wb.sheetnames)

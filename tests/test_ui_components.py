"""Tests of the Streamlit widgets in ui.components, through Streamlit's AppTest."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from scoring import load_methodology
from ui.components import Metric, legend_rows, safe_file_name


def test_legend_rows_follow_the_methodology():
    rows = legend_rows(load_methodology(), "az")
    by_dim = {r["Ölçü"]: r for r in rows}
    assert by_dim["Əhatə"]["✔ yaşıl"] == "≥ 75%"
    assert by_dim["İnfrastruktur"]["✔ yaşıl"] == "> 0,75"  # strict: the seed's "> 75 %"
    assert by_dim["İnfrastruktur"]["✖ qırmızı"] == "< 0,50"
    assert by_dim["Yetkinlik"]["▲ sarı"] == "≥ 3"


def test_safe_file_name():
    assert safe_file_name("errors-../x y.xlsx") == "errors-..-x-y.xlsx"  # no path separator survives
    assert safe_file_name("///") == "download"


def _page():
    import altair as alt
    import pandas as pd

    from scoring import load_methodology
    from ui import components

    lang = "en"
    components.illustrative_banner(lang)
    components.empty_state("empty.no_data", lang)
    components.metric_row([("Services", "12"), {"label": "Mean level", "value": "2.5", "delta": "+0.4"}])
    components.light_legend(load_methodology(), lang)
    chart = alt.Chart(pd.DataFrame({"a": [1, 2]})).mark_bar().encode(x="a:Q")
    components.download_chart(chart, "radar 2013", lang, key="dl")
    components.download_table(pd.DataFrame({"x": ["=1+1"]}), "board", lang, key="tb")
    try:
        raise ValueError("boom")
    except ValueError as exc:
        components.friendly_error(exc, lang, "test")


def test_components_render_without_exceptions():
    at = AppTest.from_function(_page, default_timeout=30).run()
    assert not at.exception
    assert any("Illustrative values" in w.value for w in at.warning)
    assert any("No data for this round" in i.value for i in at.info)
    assert any("Something went wrong" in e.value for e in at.error)
    assert [m.label for m in at.metric] == ["Services", "Mean level"]
    assert Metric("a", "1").delta is None


def _long_list():
    import pandas as pd

    from ui import components
    from ui.grid import Col, describe

    frame = describe(pd.DataFrame({"name": [f"s{i}" for i in range(1000)], "change": [1.5] * 1000}),
                     {"change": Col("change", digits=1)})
    components.table(frame, "az", key="long", download="long", rows=40)


def test_a_long_list_draws_its_head_says_so_and_downloads_every_row():
    at = AppTest.from_function(_long_list, default_timeout=30).run()
    assert not at.exception
    shown = at.dataframe[0].value
    assert len(shown) == 40
    assert any("1.000" in c.value and "40" in c.value for c in at.caption)  # CLDR az grouping, both counts

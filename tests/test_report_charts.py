"""The chart pack and the chart drawings: valid PNG and SVG, the shipped font by its exact family, CLDR numbers."""

from __future__ import annotations

import io
import json
import zipfile

import defusedxml.ElementTree as ET
import pytest
from PIL import Image

from report import charts, files, style
from tests.report_support import model_and_slides


@pytest.fixture(scope="module")
def pack(demo_db):
    m, deck = model_and_slides(str(demo_db))
    return m, deck, zipfile.ZipFile(io.BytesIO(files.render("zip", m, deck)))


def test_every_chart_comes_as_png_and_svg(pack):
    m, deck, z = pack
    ids = [c.id for c in charts.charts_of(deck)]
    assert ids == ["levels", "infrastructure", "eu-indicators", "egdi", "trends"]
    names = z.namelist()
    stem = files.file_name(m, "zip").removesuffix(".zip")
    assert all(n.startswith(stem + "/") for n in names)
    for i, cid in enumerate(ids, start=1):
        png = z.read(f"{stem}/{i:02d}-{cid}.png")
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        with Image.open(io.BytesIO(png)) as im:
            im.verify()
        root = ET.fromstring(z.read(f"{stem}/{i:02d}-{cid}.svg"))
        assert root.tag.endswith("svg")
    readme = z.read(f"{stem}/README.txt").decode()
    assert "Noto Sans" in readme and "tarixinədir" in readme


def test_svg_names_the_shipped_font_and_formats_numbers_by_cldr(pack):
    m, deck, _ = pack
    radar = next(s.chart for s in deck if s.chart is not None and s.chart.kind == "radar")
    svg = charts.svg(radar, "az", "page")
    assert f'font-family="{style.FAMILY}"' in svg or f"font-family: {style.FAMILY}" in svg
    assert "sans-serif" not in svg
    assert "0,83" in svg and "1,00" in svg  # the 2024 score and the full-range ring, decimal comma
    en = charts.svg(radar, "en", "page")
    assert "0.83" in en


def test_specs_set_the_exact_font_and_the_radar_keeps_the_full_range(pack):
    _, deck, _ = pack
    for chart in charts.charts_of(deck):
        spec = charts.spec(chart, "az", "slide")
        assert spec["config"]["font"] == "Noto Sans"
        assert spec["description"] == chart.alt
        assert json.dumps(spec)  # serialisable for vl-convert
    radar = next(c for c in charts.charts_of(deck) if c.kind == "radar")
    assert radar.value_range == (0.0, 1.0)
    assert any(r["text"] == "1,00" for layer in charts.spec(radar, "az")["layer"]
               for r in layer.get("data", {}).get("values", []) if "text" in r and "ring" not in r)


def test_chart_texts_stay_within_the_chart_font(pack):
    """Charts name Noto Sans alone: no arrow, math sign or symbol it lacks may reach a chart."""
    _, deck, _ = pack
    for chart in charts.charts_of(deck):
        texts = json.dumps(charts.spec(chart, "az"), ensure_ascii=False) + json.dumps(charts.spec(chart, "en"),
                                                                                     ensure_ascii=False)
        bad = {c for c in texts if 0x2190 <= ord(c) <= 0x22FF or 0x25A0 <= ord(c) <= 0x27BF}
        assert not bad, f"{chart.id}: {sorted(bad)}"


def test_slide_charts_are_drawn_large_enough_for_a_room():
    for name in ("slide", "slide_side"):
        p = style.PRESETS[name]
        assert p["label"] >= 20 and p["small"] >= 18

"""The one table helper: CLDR texts over real numbers, numeric sorting kept, Excel number formats; and
the small pieces around it (Streamlit's own texts, audit details in words)."""

from __future__ import annotations

import io
import json
import math

import pandas as pd
import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from ui import audit_views, chrome, export, grid, theme
from ui.grid import Col, describe


def _board_like() -> pd.DataFrame:
    df = pd.DataFrame({
        "id": [1, 2, 3],
        "Qurum": ["A", "B", None],
        "Əhatə": [100.0, 65.0, math.nan],
        "light": ["green", "yellow", None],
        "Səviyyə": [3.75, 12.0, 1.3333],
        "n": pd.array([1200, 3, None], dtype="Int64"),
        "Dəyişmə": [0.754, -0.5, math.nan],
        "Pay": [0.655, 0.1, 0.0],
        "Bəli": [True, False, True],
    })
    return describe(df, {"id": Col("hidden"), "Qurum": Col("text", pinned=True),
                         "Əhatə": Col("light", pct=True, light="light"), "Səviyyə": Col("num", digits=2),
                         "Dəyişmə": Col("change", digits=2), "Pay": Col("pct", digits=1, ratio=True)})


def test_display_texts_follow_cldr_in_each_language():
    df = _board_like()
    az, en = grid.display_frame(df, "az"), grid.display_frame(df, "en")
    assert list(az.columns) == ["Qurum", "Əhatə", "Səviyyə", "n", "Dəyişmə", "Pay", "Bəli"]  # hidden ones left out
    assert az["Əhatə"].tolist() == ["✔ yaşıl · 100%", "▲ sarı · 65%", "– məlumat yoxdur"]
    assert az["Səviyyə"].tolist() == ["3,75", "12,00", "1,33"] and en["Səviyyə"].tolist() == ["3.75", "12.00", "1.33"]
    assert az["n"].tolist() == ["1.200", "3", "—"] and en["n"].tolist() == ["1,200", "3", "—"]
    assert az["Dəyişmə"].tolist() == ["▲\u00a00,75", "▼\u00a00,50", ""]
    assert az["Pay"].tolist() == ["65,5%", "10,0%", "0,0%"]
    assert az["Bəli"].tolist() == ["Bəli", "Xeyr", "Bəli"] and en["Qurum"].tolist() == ["A", "B", "—"]


def test_styler_keeps_numbers_and_shows_texts():
    styler = grid.styled(_board_like(), "az")
    data = styler.data
    assert data["Səviyyə"].dtype == "float64" and data["Səviyyə"].tolist()[1] == 12.0  # sorts as a number
    assert data["Əhatə"].tolist()[2] == -math.inf  # a light without a figure sorts below every figure
    styler._compute()
    shown = [[c.get("display_value") for c in row[1:]] for row in styler._translate(False, False)["body"]]
    assert shown[0][:3] == ["A", "✔ yaşıl · 100%", "3,75"]
    css = {(r, c): v for (r, c), v in styler.ctx.items()}
    assert any(("background-color", theme.LIGHTS["green"]["bg"]) in v for v in css.values())
    assert not styler.data.attrs, "the descriptions never reach Streamlit's serialiser"


def test_excel_keeps_numbers_with_formats_and_light_words():
    data = export.frame_xlsx(_board_like(), "Lövhə", "az")
    ws = load_workbook(io.BytesIO(data))["Lövhə"]
    head = [c.value for c in ws[1]]
    assert head == ["Qurum", "Əhatə", "Əhatə · İşıq", "Səviyyə", "n", "Dəyişmə", "Pay", "Bəli"]
    cov, word, level, n, change, share = (ws.cell(row=2, column=i) for i in (2, 3, 4, 5, 6, 7))
    assert cov.value == 1.0 and cov.number_format == "#,##0%"
    assert word.value == "yaşıl" and word.fill.fgColor.rgb.endswith(theme.LIGHTS["green"]["bg"].lstrip("#"))
    assert level.value == 3.75 and level.number_format == "#,##0.00" and level.data_type == "n"
    assert n.value == 1200 and n.number_format == "#,##0"
    assert change.value == 0.754 and change.number_format.startswith('"▲ "')
    assert share.value == 0.655 and share.number_format == "#,##0.0%"
    assert ws.cell(row=2, column=8).value == "Bəli"


def test_excel_of_a_plain_frame_still_works():
    data = export.frame_xlsx(pd.DataFrame({"x": [1.5, 2.0], "t": ["=1+1", "a"]}), "S")
    ws = load_workbook(io.BytesIO(data))["S"]
    assert ws.cell(row=2, column=1).value == 1.5 and ws.cell(row=2, column=2).value == "'=1+1"


def _table_page():
    import pandas as pd

    from ui import components
    from ui.grid import Col, describe

    df = describe(pd.DataFrame({"Ad": ["A", "B"], "Bal": [3.75, 12.0]}), {"Bal": Col("num", digits=2)})
    components.table(df, "az", key="t", download="cədvəl")


def test_table_helper_draws_a_styled_grid_and_a_download():
    at = AppTest.from_function(_table_page, default_timeout=30).run()
    assert not at.exception
    proto = at.dataframe[0].proto
    assert proto.arrow_data.styler.display_values, "display texts travel with the numbers"
    assert [b.label for b in at.get("download_button")] == ["Excel yüklə"]


@pytest.mark.parametrize("lang", ["az", "en"])
def test_chrome_rules_cover_both_directions(lang):
    rules = chrome.rules(lang)
    exact = {(a, b) for a, b, _ in rules["exact"]}
    other = "en" if lang == "az" else "az"
    from ui.i18n import t

    if lang == "az":
        assert ("Drag and drop files here", t("chrome.drop_files", "az")) in exact
        assert ("November", "noyabr") in exact
    assert (t("chrome.select_all", other), t("chrome.select_all", lang)) in exact
    script = chrome.script(lang)
    assert "</script>" not in script[:-len("</script>")], "the rules cannot close the script tag"


def test_audit_details_read_as_words():
    assert audit_views.detail_text("approve", '{"from": "under_review", "to": "approved"}', "az") == \
        "Ekspert yoxlamasındadır → Təsdiqlənib (kilidli)"
    assert audit_views.detail_text("role_change", '{"who": "a@b.az", "from": null, "to": "admin"}', "en") == \
        "a@b.az: — → Administrator"
    text = audit_views.detail_text("import", json.dumps({"file": "x.xlsx", "source": "self",
                                                         "counts": {"services": {"new": 29}}}), "az")
    assert text == "Fayl: x.xlsx; Mənbə: Özünüqiymətləndirmə; Sətirlər: Xidmətlər: 29 yeni"
    both = audit_views.detail_text("add_institution", '{"name_az": "Ad", "name_en": "Name", "kind": "local"}', "en")
    assert both == "Name: Name; Kind: Local"
    assert audit_views.action_text("something_new", "az") == "something new"

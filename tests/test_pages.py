"""AppTest over every page in both languages, on the demo database."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from l10n import fmt_int
from store.actors import Actor
from tests.test_locale_pages import run
from ui.choosers import widget_key

APP = str(Path(__file__).resolve().parent.parent / "app.py")

PUBLIC = ["overview", "board", "institution", "service", "infrastructure", "eu", "trends", "portal", "methodology"]
EXPERT = Actor(name="Test Expert", role="expert", email="expert@example.org")


run_page = run  # one way to start a page for AppTest (tests/test_locale_pages.py)


def texts(at: AppTest) -> str:
    """Every visible text of a run, tables included, as one string to search."""
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption] + [e.value for e in at.title]
    parts += [e.value for e in at.subheader] + [e.value for e in at.info] + [e.value for e in at.warning]
    parts += [f"{m.label}={m.value}" for m in at.metric]
    for df in at.dataframe:
        value = df.value
        data = value.data if hasattr(value, "data") else value  # Styler or DataFrame
        parts.append(data.to_string())
    return "\n".join(str(p) for p in parts)


def displayed(at: AppTest, column: str) -> pd.DataFrame:
    """The texts a table shows (its Styler's display values), for the table holding ``column``."""
    for d in at.dataframe:
        styler = d.proto.arrow_data.styler
        if column in d.value.columns and styler.display_values:
            return convert_arrow_bytes_to_pandas_df(styler.display_values)
    raise AssertionError(f"no styled table with a column {column!r}")


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


# Every page in both languages, public and signed in: tests/test_locale_pages.py.


def test_overview_key_figures(app_env):
    at = run_page("overview", "az")
    metrics = {m.label: m.value for m in at.metric}
    from store import queries
    from store.db import Store

    with Store(app_env) as st:
        n = len(queries.services(st))
    assert metrics["Qiymətləndirilən xidmətlər"] == fmt_int(n, "az")
    assert "İnfrastruktur indeksi" in metrics and metrics["İnfrastruktur indeksi"] == "0,6"
    assert "nümunə" in texts(at).lower()


def test_overview_english_uses_decimal_point(app_env):
    at = run_page("overview", "en")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Infrastructure index"] == "0.6"


def test_board_shows_expected_lights(app_env):
    at = run_page("board", "en")
    assert_clean(at)
    table = next(d.value for d in at.dataframe if "Institution" in d.value.columns)
    rows = table.set_index("Institution")
    shown = displayed(at, "Institution").set_index("Institution")
    taxes = rows.loc["Ministry of Taxes"]
    assert taxes["Coverage"] == 100
    assert shown.loc["Ministry of Taxes", "Coverage"] == "✔ green · 100%"
    health = rows.loc["Ministry of Health"]
    assert round(health["Coverage"]) == 31 and shown.loc["Ministry of Health", "Coverage"].startswith("✖ red")
    labour = rows.loc["Ministry of Labour and Social Protection of Population"]
    assert round(labour["Coverage"]) == 65
    assert shown.loc["Ministry of Labour and Social Protection of Population", "Coverage"].startswith("▲ yellow")


def test_board_search_filters(app_env):
    at = run_page("board", "az")
    at.text_input(key="board-search").input("vergi").run()
    table = next(d.value for d in at.dataframe if "Qurum" in d.value.columns)
    assert list(table["Qurum"]) == ["Vergilər Nazirliyi"]


def test_board_search_ignores_azerbaijani_letters(app_env):
    at = run_page("board", "az")
    at.text_input(key="board-search").input("SEHIYYE").run()
    table = next(d.value for d in at.dataframe if "Qurum" in d.value.columns)
    assert list(table["Qurum"]) == ["Səhiyyə Nazirliyi"]


def test_service_page_shows_e_declaration_matrix(app_env):
    at = run_page("service", "en")
    box = at.selectbox(key=widget_key("service-pick", "en"))
    label = next(o for o in box.options if o.startswith("7.1 ·"))
    box.select(label).run()
    assert_clean(at)
    body = texts(at)
    assert "0 1 2 3 0 0" in body


def test_institution_page_lists_services_with_advice(app_env):
    at = run_page("institution", "en")
    assert_clean(at)
    body = texts(at)
    assert "For level" in body or "At the top level" in body


def test_eu_page_shows_rank_change(app_env):
    at = run_page("eu", "en")
    body = texts(at)
    assert "96" in body and "68" in body


def test_data_page_is_not_registered_for_visitors(app_env):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    with pytest.raises(ValueError):
        at.switch_page("pages/data.py")


def _self_workbook(rows):
    from tests.badfiles import make_self_workbook

    return make_self_workbook(rows, meta={"round": "2025", "source": "self"})


def test_upload_good_workbook_shows_preview_then_imports(writable_db):
    from tests.badfiles import self_row

    good = _self_workbook([self_row(institution="Vergilər Nazirliyi", code="7.1",
                                    name="Onlayn vergi bəyannaməsi", answers=[1] * 9 + [0] * 8)])
    at = run_page("data", "en", actor=Actor(name="Admin", role="admin"))
    assert_clean(at)
    at.file_uploader(key="uploads").set_value(("good.xlsx", good, "application/octet-stream"))
    at.run()
    at.button(key="btn-check").click().run()
    assert_clean(at)
    assert any(m.label == "New" and m.value == "1" for m in at.metric)
    at.button(key="btn-import").click().run()
    assert_clean(at)
    assert any("imported" in s.value for s in at.success)


def test_upload_bad_workbook_shows_error_table(writable_db):
    from tests.badfiles import self_row

    bad = _self_workbook([self_row(institution="Nazirlik yoxdur", code="1.1", answers=[1] * 17)])
    at = run_page("data", "az", actor=EXPERT)
    at.file_uploader(key="uploads").set_value(("bad.xlsx", bad, "application/octet-stream"))
    at.run()
    at.button(key="btn-check").click().run()
    assert not at.exception
    assert at.error, "the refusal is announced"
    frames = [d.value for d in at.dataframe]
    assert any("Nazirlik yoxdur" in f.to_string() for f in frames)
    assert not any(b.key == "btn-import" for b in at.button)

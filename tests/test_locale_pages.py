"""Every page, public and signed in, in both languages: no English on an az page, no Azerbaijani on an en
page, no raw keys, no ``nan``, no decimal point in an Azerbaijani number; links that cannot mislead;
a language switch that keeps every choice.

AppTest sees what the script sends (texts, widget labels and options, table display texts, chart specs
and data); ``tests/test_browser_locale.py`` checks what Streamlit draws itself.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from store.actors import Actor
from tests import locale_checks
from ui.choosers import widget_key

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PUBLIC = ["overview", "board", "institution", "service", "infrastructure", "eu", "trends", "portal", "methodology"]
WORK = ["data", "review", "discrepancy", "audit", "admin"]
ADMIN = Actor(name="Test Admin", role="admin", email="admin@example.org")
_TEXT_FIELDS = ("label", "body", "placeholder", "help", "caption", "delta", "text")


def run(page: str, lang: str, actor: Actor | None = None, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = lang
    if actor is not None:
        at.session_state["actor"] = actor
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    return at


def _walk(node, out: list) -> None:
    out.append(node)
    for child in getattr(node, "children", {}).values():
        _walk(child, out)


def _chart_texts(proto) -> list[str]:
    spec = json.loads(proto.spec)
    texts: list[str] = []

    def titles(obj) -> None:
        if isinstance(obj, dict):
            for k, v in obj.items():
                if k in ("title", "subtitle", "text") and isinstance(v, str):
                    texts.append(v)
                elif k == "title" and isinstance(v, dict):
                    titles(v)
                elif k not in ("data", "datasets", "config"):
                    titles(v)
        elif isinstance(obj, list):
            for v in obj:
                titles(v)

    titles(spec)
    for ds in proto.datasets:
        frame = convert_arrow_bytes_to_pandas_df(ds.data.data)
        for col in frame.columns:
            if frame[col].dtype == object or str(frame[col].dtype).startswith(("str", "string")):
                texts += [str(v) for v in frame[col].dropna().unique()]
    return texts


def page_texts(at: AppTest) -> list[str]:
    """Everything a page says, as the script sent it: texts, labels, options, table cells, chart texts."""
    nodes: list = []
    _walk(at._tree, nodes)
    texts: list[str] = []
    for node in nodes:
        kind = getattr(node, "type", None)
        proto = getattr(node, "proto", None)
        if proto is None or kind in ("html",):
            continue
        fields = proto.DESCRIPTOR.fields_by_name
        for f in _TEXT_FIELDS:
            if f in fields and isinstance(getattr(proto, f), str):
                texts.append(getattr(proto, f))
        if "options" in fields:
            texts += [o if isinstance(o, str) else getattr(o, "content", str(o)) for o in proto.options]
        if kind == "dataframe":
            styler = proto.arrow_data.styler
            frame = (convert_arrow_bytes_to_pandas_df(styler.display_values) if styler.display_values
                     else node.value)
            texts += [str(c) for c in frame.columns]
            texts += [str(v) for col in frame.columns for v in frame[col].tolist()]
        if kind == "vega_lite_chart" or "spec" in fields:
            texts += _chart_texts(proto)
    return texts


def chart_locales(at: AppTest) -> list[dict]:
    nodes: list = []
    _walk(at._tree, nodes)
    return [json.loads(n.proto.spec)["config"]["locale"] for n in nodes
            if getattr(n, "proto", None) is not None and "spec" in n.proto.DESCRIPTOR.fields_by_name]


@lru_cache(maxsize=1)
def codes(db: str) -> tuple[str, ...]:
    """Service codes and question numbers: they look like 7.10 but are names, not numbers."""
    from scoring import load_methodology
    from store import queries
    from store.db import Store

    with Store(db) as st:
        found = set(queries.services(st)["code"].astype(str))
    m = load_methodology()
    found |= {q.id for c in m.components for q in c.questions}
    found |= {"2.0", "3.0"}  # Government 2.0 / 3.0
    return tuple(sorted(found))


def check(at: AppTest, lang: str, db) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    found = locale_checks.problems(page_texts(at), lang, codes(str(db)))
    assert not found, "\n".join(found[:20])
    decimal = "," if lang == "az" else "."
    assert all(loc["number"]["decimal"] == decimal for loc in chart_locales(at))


@pytest.mark.parametrize("lang", ["az", "en"])
@pytest.mark.parametrize("page", PUBLIC)
def test_public_page_speaks_the_language(app_env, page, lang):
    at = run(page, lang)
    assert at.title, "every page has a title"
    check(at, lang, app_env)


@pytest.mark.parametrize("lang", ["az", "en"])
@pytest.mark.parametrize("page", PUBLIC + WORK)
def test_signed_in_page_speaks_the_language(app_env, page, lang):
    at = run(page, lang, actor=ADMIN)
    assert at.title
    check(at, lang, app_env)


def test_the_checks_catch_what_they_are_for():
    assert locale_checks.english_on_az(["Choose options"]) and not locale_checks.english_on_az(["Seçin…"])
    assert locale_checks.raw_keys(["review.state.nan"]) and not locale_checks.raw_keys(["Yoxlamada"])
    assert locale_checks.missing_markers(["nan"]) and locale_checks.missing_markers(["None"])
    assert locale_checks.decimal_points(["3.75"]) and locale_checks.decimal_points(["▲ 0.75"])
    assert not locale_checks.decimal_points(["3,75", "1.200.362", "7.10 · Sadələşdirilmiş"], codes=["7.10"])
    assert locale_checks.azerbaijani_on_en(["Səhiyyə Nazirliyi"]) and not locale_checks.azerbaijani_on_en(["Türkiye"])


# --- links that cannot mislead -------------------------------------------------------------------


@pytest.mark.parametrize("page, wanted", [("institution", "99999"), ("institution", "abc"), ("service", "99999")])
def test_unknown_id_says_so_and_shows_the_chooser_empty(app_env, page, wanted):
    at = run(page, "az", query={"id": wanted})
    assert not at.exception
    notices = [w.value for w in at.warning]
    assert any(wanted in n for n in notices), notices
    pick = at.selectbox(key=widget_key(f"{page}-pick", "az"))
    assert pick.value is None, "no other entity is shown in its place"
    assert not at.metric, "no figures of another entity"


def test_known_id_in_a_link_wins_over_an_earlier_choice(app_env):
    from store import queries
    from store.db import Store

    with Store(app_env) as st:
        inst = queries.institutions(st).set_index("name_az")["institution_id"]
    at = run("institution", "en", query={"id": str(int(inst["Səhiyyə Nazirliyi"]))})
    assert at.selectbox(key=widget_key("institution-pick", "en")).value == int(inst["Səhiyyə Nazirliyi"])
    at.query_params["id"] = str(int(inst["Vergilər Nazirliyi"]))
    at.run()
    assert at.selectbox(key=widget_key("institution-pick", "en")).value == int(inst["Vergilər Nazirliyi"])


# --- a language switch redraws every chooser and keeps the choice ---------------------------------


def test_language_switch_keeps_every_choice(app_env):
    at = run("board", "az")
    at.multiselect(key=widget_key("board-kind", "az")).select("central").run()
    at.selectbox(key=widget_key("board-sort", "az")).select_index(2).run()
    at.radio(key=widget_key("source", "az")).set_value("self").run()
    at.selectbox(key=widget_key("round", "az")).select_index(1).run()
    chosen_round = at.session_state["round"]
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    kinds = at.multiselect(key=widget_key("board-kind", "en"))
    assert kinds.value == ["central"] and "Central" in kinds.options
    sort = at.selectbox(key=widget_key("board-sort", "en"))
    assert sort.value == "mean_level" and sort.format_func(sort.value) == "Mean level (highest first)"
    assert at.radio(key=widget_key("source", "en")).value == "self"
    assert at.selectbox(key=widget_key("round", "en")).value == chosen_round
    texts = page_texts(at)
    assert not locale_checks.azerbaijani_on_en(texts)


@pytest.mark.parametrize("lang, words", [("az", "daxil olmaq lazımdır"), ("en", "needs you to sign in")])
@pytest.mark.parametrize("url", ["review", "admin", "data", "audit"])
def test_protected_page_asks_signed_out_visitors_to_sign_in(app_env, url, lang, words):
    from streamlit.util import calc_hash

    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    at._page_hash = calc_hash(url)  # as a browser opening /review: pages are keyed by their URL path
    at.run()
    assert not at.exception
    assert any(words in i.value for i in at.info), [i.value for i in at.info]
    check(at, lang, app_env)

"""Data is text: names, comments and file names written in Markdown or HTML are shown literally.

An institution and one of its services are renamed to text full of Markdown,
HTML and Streamlit directives; every page is run (as a visitor and as an
administrator) and every element that Streamlit renders as Markdown is
checked for an unescaped link, image, HTML tag, bold mark or directive coming
from that text. CSVs the project writes are checked for formula injection.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from store.actors import Actor
from store.agendas import save_agenda
from store.db import Store

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
EVIL = ('**Qalın** _əyri_ [bağ](http://evil.example/a) ![ş](http://evil.example/p.png) <b>html</b> '
        ':red[qırmızı] :material/home: $x^2$ `kod`')
EVIL_SERVICE = "[Xidmət](javascript:alert(1)) <img src=x onerror=alert(1)> ~~pozulmuş~~"
EVIL_COMMENT = "=HYPERLINK(\"http://evil.example\",\"bax\") **şərh**"
# Unescaped Markdown coming from the names above: a link or image target, an HTML tag, emphasis, a directive.
INJECTED = [re.compile(p) for p in (r"(?<!\\)\]\((?:http|javascript)", r"(?<!\\)<(?:b|img)\b", r"(?<!\\)\*\*Qal",
                                     r"(?<!\\):red\[qırmızı", r"(?<!\\)~~pozul", r"(?<!\\)\$x\^2",
                                     r"https?://evil")]  # a bare address is made a link (GFM autolink)
EVIL_AGENDA = "**Gündəlik** [bax](http://evil.example) <b>x</b>"
PUBLIC = ["overview", "board", "institution", "service", "infrastructure", "eu", "trends", "portal", "methodology",
          "reports"]
PAGES = PUBLIC + ["data", "review", "discrepancy", "audit", "admin"]


@pytest.fixture(scope="module")
def evil_db(tmp_path_factory, demo_db):
    """A copy of the demo database where one assessed institution and service carry hostile names."""
    path = tmp_path_factory.mktemp("evil") / "evil.duckdb"
    shutil.copy(demo_db, path)
    with Store(path) as st, st.transaction() as cur:
        iid, sid = cur.execute("""
            SELECT s.institution_id, s.service_id FROM service_answers a JOIN services s USING (service_id)
            JOIN rounds r USING (round_id) JOIN institutions i ON i.institution_id = s.institution_id
            WHERE r.label = '2024' AND i.name_az <> 'Vergilər Nazirliyi'
            ORDER BY s.institution_id, s.service_id LIMIT 1""").fetchone()
        cur.execute("UPDATE institutions SET name_az = ?, name_en = ? WHERE institution_id = ?", [EVIL, EVIL, iid])
        cur.execute("UPDATE services SET name_az = ?, name_en = ? WHERE service_id = ?",
                    [EVIL_SERVICE, EVIL_SERVICE, sid])
        cur.execute("UPDATE service_answers SET comment = ? WHERE service_id = ?", [EVIL_COMMENT, sid])
    with Store(path) as st:  # a presentation agenda is named by its author: the Reports page lists it
        save_agenda(st, Actor("Admin", "admin"), EVIL_AGENDA, ["cover", "institutions"], [iid])
    return path, iid, sid


def _markdown_texts(at) -> list[tuple[str, str]]:
    """(element kind, text) for everything AppTest shows that Streamlit renders as Markdown."""
    out = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "error", "warning", "info", "success",
                 "latex"):
        for el in getattr(at, kind, []):
            out.append((kind, str(el.value)))
    for el in at.metric:
        out += [("metric.label", str(el.label)), ("metric.value", str(el.value))]
    for kind in ("expander", "tabs", "selectbox", "multiselect", "text_input", "button", "toggle", "checkbox",
                 "radio", "number_input", "date_input", "select_slider"):
        for el in getattr(at, kind, []):
            out.append((f"{kind}.label", str(getattr(el, "label", ""))))
            if kind == "radio":
                out += [("radio.option", str(o)) for o in el.options]
    return out


def _injections(at) -> list[str]:
    return [f"{kind}: {text[:160]}" for kind, text in _markdown_texts(at) if any(p.search(text) for p in INJECTED)]


@pytest.mark.parametrize("page", PAGES)
def test_hostile_names_render_literally_on_every_page(evil_db, page, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from ui.choosers import widget_key

    path, iid, sid = evil_db
    monkeypatch.setenv("EGOV_DB", str(path))
    monkeypatch.chdir(ROOT)
    audiences = [None, Actor("Admin", "admin")] if page in PUBLIC else [Actor("Admin", "admin")]
    for actor, lang in zip(audiences, ("az", "en")):
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["lang"] = lang
        at.query_params["round"] = "2024"
        at.query_params["id"] = str(sid if page == "service" else iid)
        if actor is not None:
            at.session_state["actor"] = actor
        at.run()
        at.switch_page(f"pages/{page}.py").run()
        if page == "review":
            at.selectbox(key=widget_key("review-inst", lang)).set_value(iid).run()
        assert not at.exception, [e.value for e in at.exception]
        assert not _injections(at), _injections(at)


def test_md_leaves_nothing_a_markdown_renderer_would_act_on():
    from ui.safe import md

    out = md(EVIL + " www.evil.example mail@evil.example " + EVIL_SERVICE + " line\nbreak\u202e")
    for pattern in INJECTED:
        assert not pattern.search(out)
    assert not re.search(r"https?://|www\.|@[a-z]", out.replace("\\", ""), re.I) and "\n" not in out
    assert "\u202e" not in out


def test_the_institution_page_shows_the_name_itself(evil_db, monkeypatch):
    """Escaped, not dropped: the visitor reads the name as it was written."""
    from streamlit.testing.v1 import AppTest

    path, iid, _ = evil_db
    monkeypatch.setenv("EGOV_DB", str(path))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"lang": "az", "round": "2024", "id": str(iid)})
    at.run()
    at.switch_page("pages/institution.py").run()
    heads = [h.value for h in at.subheader]
    assert any(h.replace("\\", "").replace("\u2060", "") == EVIL for h in heads), heads


def test_the_presentation_shows_hostile_names_as_text(evil_db, monkeypatch):
    """The full-screen slides are HTML drawn by the app: the institution's name is escaped, not markup."""
    from streamlit.testing.v1 import AppTest

    path, _, _ = evil_db
    monkeypatch.setenv("EGOV_DB", str(path))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"lang": "az", "round": "2024", "agenda": EVIL_AGENDA, "slide": "2"})
    at.run()
    at.switch_page("pages/present.py").run()
    assert not at.exception, [e.value for e in at.exception]
    slide = "".join(str(h.proto.body) for h in at.get("html") if "egov-slide" in h.proto.body)
    assert "&lt;b&gt;html&lt;/b&gt;" in slide, slide[:400]  # the institution's slide, its name escaped
    assert not re.search(r"<(?:b>html|img src=x)", slide), "a tag from the name reached the page"


def test_audit_csv_and_import_report_are_neutralised(writable_db, tmp_path, capsys):
    import cli
    from ingest.inert import csv_bytes
    from store import queries
    from store.rounds import open_round
    from tests.badfiles import _formula_workbook

    with Store(writable_db) as st:
        open_round(st, Actor.system("t"), "2031", reason='=cmd|" /C calc"!A0')
        events = queries.events(st)
    text = csv_bytes(events).decode("utf-8-sig")
    assert "'=cmd|" in text and ',=cmd' not in text
    bad = tmp_path / "=formula.xlsx"
    bad.write_bytes(_formula_workbook())
    report = tmp_path / "report.csv"
    assert cli.main(["--db", str(writable_db), "import", str(bad), "--report", str(report)]) == 1
    capsys.readouterr()
    cells = [c for line in report.read_text(encoding="utf-8-sig").splitlines()[1:] for c in line.split(",")]
    assert cells and not any(c.startswith(("=", "+", "@")) for c in cells), cells
    assert "'=formula.xlsx" in cells and "'=1*1" in cells

"""AppTest over the presentation and the Reports page: controls, keys, deep links, agendas, snapshots."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from store.actors import Actor

APP = str(Path(__file__).resolve().parent.parent / "app.py")
EXPERT = Actor(name="Test Expert", role="expert", email="expert@example.org")


def open_page(page: str, lang: str = "az", query: dict | None = None, actor: Actor | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = lang
    if actor is not None:
        at.session_state["actor"] = actor
    at.run()
    for k, v in (query or {}).items():  # set after the first run, as a link followed into the page
        at.query_params[k] = v
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def slide(at: AppTest) -> str:
    bodies = [e.proto.body for e in at.get("html")]
    return next(b for b in bodies if "egov-slide" in b and "<section" in b)


def counter(at: AppTest) -> tuple[int, int]:
    n, total = re.search(r"data-counter='(\d+) / (\d+)'", slide(at)).groups()
    return int(n), int(total)


def test_presentation_opens_on_the_cover_without_the_frame(app_env):
    at = open_page("present")
    html = slide(at)
    assert "data-slide='cover'" in html and "E-xidmətlərin monitorinqi: 2024 dövrünün nəticələri" in html
    assert counter(at)[0] == 1
    assert "tarixinədir" in html and "Hazırlanıb" in html and "<img" in html  # data as of, generated at, QR
    assert not at.sidebar.selectbox and not at.sidebar.radio  # no round/source frame on the projector
    assert at.query_params["slide"] == "1" and at.query_params["round"] == "2024"


def test_buttons_and_keys_move_through_the_slides(app_env):
    at = open_page("present")
    total = counter(at)[1]
    shortcuts = {b.key: b.proto.shortcut for b in at.button}
    assert shortcuts["present-next"] == "right" and shortcuts["present-previous"] == "left"
    assert shortcuts["present-pagedown"] == "pagedown" and shortcuts["present-pageup"] == "pageup"
    assert shortcuts["present-first"] == "home" and shortcuts["present-last"] == "end"
    assert shortcuts["present-exit"] == "escape"
    at.button(key="present-next").click().run()
    assert counter(at)[0] == 2
    at.button(key="present-pagedown").click().run()
    assert counter(at)[0] == 3 and at.query_params["slide"] == "3"
    at.button(key="present-pageup").click().run()
    assert counter(at)[0] == 2
    at.button(key="present-last").click().run()
    assert counter(at) == (total, total) and "data-slide='closing'" in slide(at)
    assert at.button(key="present-next").disabled and at.button(key="present-last").disabled
    at.button(key="present-pagedown").click().run()  # a clicker's "next" on the last slide stays there
    assert counter(at)[0] == total
    at.button(key="present-first").click().run()
    assert counter(at)[0] == 1


@pytest.mark.parametrize("asked, shown", [("3", 3), ("999", None), ("0", 1), ("x", 1)])
def test_deep_link_to_a_slide_is_clamped(app_env, asked, shown):
    at = open_page("present", query={"slide": asked})
    n, total = counter(at)
    assert n == (total if shown is None else shown)
    assert at.query_params["slide"] == str(n)


def test_deep_link_with_language_and_round(app_env):
    at = open_page("present", lang="az", query={"lang": "en", "round": "2023", "slide": "3"})
    html = slide(at)
    assert "data-slide='headline'" in html and "2023 at a glance" in html
    assert "Round 2023" in html


def test_exit_returns_to_the_dashboard_in_the_same_state(app_env):
    at = open_page("present", query={"lang": "en", "slide": "4"})
    at.button(key="present-exit").click().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Round overview"]
    assert at.sidebar.selectbox  # the frame is back


def test_agenda_in_the_link_sets_slides_and_order(writable_db):
    from store import agendas, queries
    from store.db import Store

    with Store(writable_db) as st:
        ids = queries.institutions(st).set_index("name_az")["institution_id"]
        agendas.save_agenda(st, EXPERT, "Dəyirmi masa", ["cover", "institutions", "board", "closing"],
                            [int(ids["Səhiyyə Nazirliyi"])])
    at = open_page("present", query={"agenda": "Dəyirmi masa", "slide": "2"})
    assert "Səhiyyə Nazirliyi" in slide(at) and "data-slide='institutions'" in slide(at)
    n, total = counter(at)
    # cover, the institution (paged when its services do not fit), the board (paged), closing
    assert n == 2 and total >= 1 + 1 + 2 + 1
    assert at.query_params["agenda"] == "Dəyirmi masa"
    kinds = []
    for k in range(1, total + 1):
        at.query_params["slide"] = str(k)
        at.run()
        kinds.append(re.search(r"data-slide='([a-z_]+)'", slide(at)).group(1))
    order = [k for i, k in enumerate(kinds) if i == 0 or kinds[i - 1] != k]
    assert order == ["cover", "institutions", "board", "closing"], kinds


def test_visitors_never_see_an_unpublished_round(writable_db):
    from store.db import Store
    from store.rounds import open_round

    with Store(writable_db) as st:
        open_round(st, Actor.system("test"), "2025")
    at = open_page("present", query={"round": "2025"})
    assert at.query_params["round"] == "2024"
    assert "Dərc olunmayıb" not in slide(at)
    expert = open_page("present", query={"round": "2024", "data": "current"}, actor=EXPERT)
    assert "Dərc olunmayıb" in slide(expert)


def test_reports_page_builds_every_format(app_env):
    from report import FORMATS

    at = open_page("reports", lang="en")
    assert at.radio(key="reports-format").options == [
        "PDF report", "Handout (PDF)", "PowerPoint deck", "Chart pack (ZIP)", "Results workbook (Excel)"]
    assert not [t for t in at.toggle if t.key == "reports-current"]  # visitors get the published snapshot
    assert not at.expander  # no agenda editor for visitors
    for fmt in FORMATS:
        at.radio(key="reports-format").set_value(fmt).run()
        at.button(key="reports-build").click().run()
        assert not at.exception and not at.error, [e.value for e in at.error]
        built = at.session_state["reports-file"]
        ext = {"pdf": ".pdf", "handout": ".pdf", "pptx": ".pptx", "zip": ".zip", "xlsx": ".xlsx"}[fmt]
        assert built["name"].startswith("egov-") and built["name"].endswith(ext) and "-en-" in built["name"]
        assert built["data"][:2] in (b"%P", b"PK")


def test_expert_saves_an_agenda_on_the_reports_page(writable_db):
    from store import agendas
    from store.db import Store

    at = open_page("reports", lang="az", actor=EXPERT)
    assert [t for t in at.toggle if t.key == "reports-current"]
    at.text_input(key="agenda-name-None").set_value("Nazirlər üçün").run()
    at.multiselect(key="agenda-slides-None").set_value(["cover", "headline", "closing"]).run()
    at.button(key="agenda-save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    with Store(writable_db) as st:
        saved = agendas.get_agenda(st, "Nazirlər üçün")
    assert saved["slides"] == ["cover", "headline", "closing"] and saved["institutions"] == []
    at.run()
    assert "Nazirlər üçün" in at.selectbox(key="reports-agenda").options

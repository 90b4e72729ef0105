"""Roles in the app: pages a role may not use are not registered; visitors see published values only."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from store import Store
from store.actors import Actor
from store.imports import commit_import
from store.rounds import open_round
from tests.test_store import workbook

ROOT = Path(__file__).resolve().parent.parent

EDITOR_PAGES = ["pages/data.py", "pages/review.py", "pages/admin.py"]


@pytest.fixture()
def no_accounts(tmp_path, monkeypatch):
    monkeypatch.setenv("EGOV_SECRETS", str(tmp_path / "none.toml"))


def _app(actor: Actor | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if actor is not None:
        at.session_state["actor"] = actor
    at.run()
    assert not at.exception
    return at


def _switch_fails(at: AppTest, page: str) -> None:
    with pytest.raises(ValueError):
        at.switch_page(page)
        at.run()


@pytest.mark.parametrize("page", EDITOR_PAGES + ["pages/audit.py"])
def test_visitor_cannot_reach_work_pages(app_env, no_accounts, page):
    at = _app()
    _switch_fails(at, page)


def test_visitor_is_told_how_to_add_an_account(app_env, no_accounts):
    at = _app()
    assert any("cli.py user add" in c.value for c in at.sidebar.caption)


def test_viewer_reads_audit_and_discrepancy_but_no_editor_page(app_env, no_accounts):
    viewer = Actor("vera", "viewer")
    for page in EDITOR_PAGES:
        _switch_fails(_app(viewer), page)
    for page in ("pages/audit.py", "pages/discrepancy.py"):
        at = _app(viewer)
        at.switch_page(page).run()
        assert not at.exception and not at.error


def test_expert_reviews_but_cannot_administer(app_env, no_accounts):
    expert = Actor("elvin", "expert")
    _switch_fails(_app(expert), "pages/admin.py")
    at = _app(expert)
    at.switch_page("pages/review.py").run()
    assert not at.exception and not at.error
    assert at.dataframe  # the institutions and the side-by-side table


def test_admin_page(app_env, no_accounts):
    at = _app(Actor("ana", "admin"))
    at.switch_page("pages/admin.py").run()
    assert not at.exception and not at.error


def test_visitor_never_sees_an_unpublished_round(writable_db, no_accounts):
    with Store(writable_db) as st:
        open_round(st, Actor("ana", "admin"), "2031")
        commit_import(st, Actor("ana", "admin"), workbook(st, round="2031"))
    at = _app()
    assert "2031" not in at.sidebar.selectbox[0].options
    at = _app(Actor("vera", "viewer"))
    assert any(o.startswith("2031") for o in at.sidebar.selectbox[0].options)


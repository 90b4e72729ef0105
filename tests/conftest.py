"""Shared fixtures: a demo database built once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """A fresh demo database file (built once; tests must not write to it)."""
    from store.db import Store
    from store.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    st = Store(path)
    build_demo(st)
    st.close()
    return path


@pytest.fixture()
def app_env(demo_db, monkeypatch):
    """Point the app at the demo database for AppTest runs."""
    monkeypatch.setenv("EGOV_DB", str(demo_db))
    monkeypatch.chdir(ROOT)
    return demo_db


@pytest.fixture()
def writable_db(tmp_path, demo_db, monkeypatch):
    """A private copy of the demo database that a test may change."""
    import shutil

    path = tmp_path / "work.duckdb"
    shutil.copy(demo_db, path)
    monkeypatch.setenv("EGOV_DB", str(path))
    monkeypatch.chdir(ROOT)
    os.environ["EGOV_DB"] = str(path)
    return path


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory):
    """A store as the workbook corpus assumes it (tests/corpus/cases.py): rounds 2023 closed, 2024 open, alias DİN."""
    from store.db import Store
    from tests.corpus.cases import prepare_store

    st = Store(tmp_path_factory.mktemp("corpus") / "corpus.duckdb")
    prepare_store(st)
    yield st
    st.close()

"""The store's data version moves with every write, so cached pages never show stale values."""

from store import queries
from store.actors import Actor
from store.db import Store
from store.registry import add_institution


def test_data_version_grows_with_a_write(tmp_path):
    with Store(tmp_path / "v.duckdb") as st:
        before = queries.data_version(st)
        add_institution(st, Actor.system("test"), "Sınaq Agentliyi", "Test Agency")
        assert queries.data_version(st) > before

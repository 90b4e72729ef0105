"""The registry's fast paths give what the plain definitions give: folding by table, building from rows."""

from __future__ import annotations

import unicodedata

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.registry import Registry, fold, normalise
from store import queries


def _fold_by_definition(name: object) -> str:
    text = unicodedata.normalize("NFKD", normalise(name))
    return "".join(c for c in text if not unicodedata.combining(c)).replace("ə", "e")


@settings(max_examples=500, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=30))
def test_folding_by_table_is_folding_by_definition(text):
    assert fold(text) == _fold_by_definition(text)


def test_folding_known_names():
    for name in ("Səhiyyə Nazirliyi", "DAXİLİ İŞLƏR NAZİRLİYİ", "Ｆｕｌｌ ｗｉｄｔｈ", "e\u0301ə\u0307", "Ⅻ ﬁ"):
        assert fold(name) == _fold_by_definition(name)


def test_rows_build_the_same_registry_as_frames(tmp_path):
    from store.actors import Actor
    from store.db import Store
    from store.registry import add_alias

    st_ = Store(tmp_path / "r.duckdb")
    iid = int(st_.scalar("SELECT min(institution_id) FROM institutions"))
    add_alias(st_, Actor.system("test"), iid, "QısaAd")
    inst, svc = queries.registry_frames(st_)
    from_frames = Registry.from_frames(inst, svc, aliases=queries.institution_aliases(st_))
    from_rows = Registry.from_rows(*queries.registry_rows(st_))
    assert from_rows == from_frames and from_rows.aliases and len(from_rows.services) == len(svc)
    st_.close()


def test_from_frames_still_reads_partial_frames():
    reg = Registry.from_frames(pd.DataFrame({"institution_id": [5], "name_az": ["Ədliyyə Nazirliyi"]}),
                               pd.DataFrame({"institution_id": [5, None], "code": [7.1, "8.2"]}))
    assert reg.resolve("edliyye nazirliyi").institution_id == 5 and reg.services == {(5, "7.1")}

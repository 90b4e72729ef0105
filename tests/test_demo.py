"""The demo database: two published illustrative rounds with the seed's worked examples."""

from __future__ import annotations

import time

import pytest

from scoring import infrastructure, load_methodology, score_frame
from store import Store, queries
from store.demo import SEED_COVERAGE, build_demo

M = load_methodology("2013-osce")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    st = Store(tmp_path_factory.mktemp("demo") / "demo.duckdb")
    t0 = time.perf_counter()
    build_demo(st)
    st.build_seconds = time.perf_counter() - t0
    yield st
    st.close()


def test_two_published_illustrative_rounds(demo):
    r = queries.rounds(demo)
    assert r["label"].tolist() == ["2023", "2024"]
    assert r["published"].all() and r["illustrative"].all()
    assert set(r["methodology_id"]) == {"2013-osce"}
    assert demo.build_seconds < 10


def test_every_service_self_assessed_and_most_by_experts(demo):
    n = len(queries.services(demo))
    for label in ("2023", "2024"):
        assert len(queries.service_answers(demo, label, "self")) == n
        assert len(queries.service_answers(demo, label, "expert")) >= n * 0.7


def test_e_declaration_example(demo):
    df = queries.service_answers(demo, "2024", "self")
    row = df[(df["institution_az"] == "Vergilər Nazirliyi") & (df["code"] == "7.1")]
    assert len(row) == 1
    s = score_frame(row, M).iloc[0]
    assert s["level"] == 3 and s["corruption_score"] == 4 and s["corruption_band"] == "good"


def test_plausible_levels_and_improvement(demo):
    means = {}
    for label in ("2023", "2024"):
        lv = score_frame(queries.service_answers(demo, label, "self"), M)["level"]
        assert lv.between(1, 4).mean() > 0.6
        means[label] = lv.mean()
    assert means["2024"] > means["2023"]


def test_experts_disagree_somewhere(demo):
    s = queries.service_answers(demo, "2024", "self").set_index("service_id")
    e = queries.service_answers(demo, "2024", "expert").set_index("service_id")
    qs = [f"q{i}" for i in range(1, 18)]
    diff = (s.loc[e.index, qs] != e[qs]).any(axis=1)
    assert 0 < diff.sum() < len(e)


def test_infrastructure_and_coverage(demo):
    inf = queries.infrastructure_answers(demo, "2024")
    national = inf[inf["scope_institution_id"].isna()]
    r = infrastructure(dict(zip(national["question_id"], national["value"])), M)
    assert round(r.components["authentic_sources"], 1) == 0.8
    assert round(r.index, 1) == 0.6
    assert inf["scope_institution_id"].notna().any()
    cov = queries.coverage_rows(demo, "2024").set_index("institution_az")
    for name, (t, p) in SEED_COVERAGE.items():
        assert (cov.loc[name, "services_transferable"], cov.loc[name, "e_services_provided"]) == (t, p)
    with_services = set(queries.services(demo)["institution_id"])
    for label in ("2023", "2024"):
        assert set(queries.coverage_rows(demo, label)["institution_id"]) == with_services


def test_provenance(demo):
    imp = queries.imports(demo)
    assert "demo:2024-self" in set(imp["file_name"]) and set(imp["actor"]) == {"demo"}

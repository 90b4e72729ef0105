"""The pages' fast loaders give exactly what the plain path gives (named query → core), on the demo and a synthetic country.

The loaders read rounds as compact columns, score both sources at once, pick
the validated rows themselves and share frames between views; none of that
may change a number. Each check here compares a loader with the
straightforward computation it replaced.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import scoring
from scoring import trends
from store import queries
from store.db import Store
from store.registry import sync_methodologies
from store.synth import build_synthetic

SOURCES = ("self", "expert", "validated")


@pytest.fixture(scope="module")
def synth_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("loaders") / "synth.duckdb"
    st = Store(path, seed=False)
    sync_methodologies(st)
    build_synthetic(st, institutions=30, services_per_institution=8, rounds=3, seed=5)
    st.close()
    return path


@pytest.fixture(params=["demo", "synth"])
def db(request, demo_db, synth_db, monkeypatch):
    path = demo_db if request.param == "demo" else synth_db
    monkeypatch.setenv("EGOV_DB", str(path))
    return path


def keys(path):
    from ui import data

    data.clear()
    st = Store(path)
    version = st.version_key()
    return st, {"public": (str(st.path), version, "public"), "signed-in": (str(st.path), version, "signed-in")}


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Missing text as None whatever the string type (an all-empty column arrives as objects)."""
    out = frame.reset_index(drop=True).copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].astype(object).where(out[c].notna(), None)
    return out


def reference_scored(st, label, source, public):
    m = queries.load_round_methodology(st, label)
    return scoring.score_answers(queries.service_answers(st, label, source, published_only=public), m)


def rounds_and_sources(db, audience):
    """(ui data key, label, source, the plain path's scored rows) for every round and source of ``db``."""
    st, k = keys(db)
    for label in queries.round_labels(st):
        for source in SOURCES:
            yield k[audience], label, source, reference_scored(st, label, source, audience == "public")


def test_answer_rows_are_service_answers_without_names(db):
    st, _ = keys(db)
    for label in queries.round_labels(st):
        for public in (False, True):
            compact = queries.answer_rows(st, [label], published_only=public)
            for source in ("self", "expert"):
                named = queries.service_answers(st, label, source, published_only=public)
                mine = compact[compact["expert"] == (source == "expert")].sort_values("service_id")
                named = named.sort_values("service_id")
                assert mine["service_id"].tolist() == named["service_id"].tolist()
                q = [f"q{i}" for i in range(1, 18)]
                assert (mine[q].to_numpy() == named[q].to_numpy()).all()
                assert mine["institution_id"].tolist() == named["institution_id"].tolist()
                assert mine["import_id"].tolist() == named["import_id"].tolist()


def test_coverage_of_rounds_is_coverage_rows(db):
    st, _ = keys(db)
    labels = queries.round_labels(st)
    for public in (False, True):
        many = queries.coverage_of_rounds(st, labels, published_only=public)
        for label in labels:
            one = queries.coverage_rows(st, label, published_only=public)
            part = many[many["round"] == label].drop(columns="round").reset_index(drop=True)
            pd.testing.assert_frame_equal(part, one, check_dtype=False)


@pytest.mark.parametrize("audience", ["public", "signed-in"])
def test_scored_services_equal_the_plain_path(db, audience):
    from ui import data

    for key, label, source, ref in rounds_and_sources(db, audience):
        mine = data.scored_services(key, label, source)
        assert list(mine.columns) == list(ref.columns)
        pd.testing.assert_frame_equal(_plain(mine), _plain(ref), check_dtype=False, check_categorical=False,
                                      obj=f"{label}/{source}")


@pytest.mark.parametrize("audience", ["public", "signed-in"])
def test_boards_histories_and_summaries_equal_the_plain_path(db, audience):
    from ui import data

    st, k = keys(db)
    key = k[audience]
    public = audience == "public"
    labels = data.visible_rounds(key, not public)["label"].tolist()
    for source in SOURCES:
        boards = {}
        for label in labels:
            m = queries.load_round_methodology(st, label)
            ref = scoring.institution_board(
                reference_scored(st, label, source, public),
                queries.coverage_rows(st, label, published_only=public),
                queries.infrastructure_answers(st, label, source="validated", published_only=public), m)
            mine = data.plain_board(key, label, source)
            pd.testing.assert_frame_equal(mine.reset_index(drop=True), ref.reset_index(drop=True), check_dtype=False)
            boards[label] = ref
            summary = data.summary(key, label, source)
            assert summary["services"] == len(reference_scored(st, label, source, public))
        for iid in boards[labels[-1]]["institution_id"].head(5):
            hist = data.institution_history(key, int(iid), source, not public)
            for row in hist.itertuples(index=False):
                b = boards[row.round].set_index("institution_id").loc[iid]
                for col in ("mean_level", "coverage_pct", "mean_corruption"):
                    want, got = b[col], getattr(row, col)
                    assert (pd.isna(want) and pd.isna(got)) or got == pytest.approx(want), (row.round, col)


def test_trends_equal_the_plain_path(db):
    from ui import data, trend_views

    st, k = keys(db)
    key = k["public"]
    rounds = trend_views.rounds_frame(key, False)
    for source in SOURCES:
        frames = [reference_scored(st, label, source, True).assign(round=label, methodology_id=mid)
                  for label, mid in rounds[["label", "methodology_id"]].itertuples(index=False)]
        ref = pd.concat(frames, ignore_index=True)
        mine = trend_views.all_scored(key, source, False)
        assert len(mine) == len(ref)
        for fn in (trends.level_distribution, trends.band_distribution, trends.institution_changes):
            want, got = fn(ref, rounds), fn(mine, rounds)
            pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True), check_dtype=False,
                                          check_categorical=False, obj=fn.__name__)
        if len(rounds) >= 2:
            a, b = rounds["label"].iloc[-2], rounds["label"].iloc[-1]
            tr, _, movers = trend_views.transition(key, source, False, a, b, "en")
            want = trends.transition_matrix(ref[ref["round"] == a], ref[ref["round"] == b],
                                            methodology_a=data.methodology_of(key, a).id,
                                            methodology_b=data.methodology_of(key, b).id)
            assert tr.n_up == want.n_up and tr.n_down == want.n_down and tr.n_common == want.n_common
            assert len(movers) == len(want.movers)


def test_validated_view_takes_the_expert_where_there_is_one(db):
    from ui import data

    st, k = keys(db)
    label = queries.round_labels(st)[-1]
    scores = data.round_data(k["signed-in"], label).scores
    v = scores[scores["validated"]]
    assert v["service_id"].is_unique
    experts = set(scores.loc[scores["expert"], "service_id"])
    assert set(v.loc[v["expert"], "service_id"]) == experts
    assert not (set(v.loc[~v["expert"], "service_id"]) & experts)


def test_discrepancy_counts_pairs_and_differences(db):
    from ui import data

    st, k = keys(db)
    label = queries.round_labels(st)[-1]
    s = queries.service_answers(st, label, "self")
    e = queries.service_answers(st, label, "expert")
    pairs = s.merge(e, on="service_id", suffixes=("_s", "_e"))
    q = [f"q{i}" for i in range(1, 18)]
    over = sum(int(((pairs[f"{c}_s"] == 1) & (pairs[f"{c}_e"] == 0)).sum()) for c in q)
    by_ind, by_inst = data.discrepancy(k["signed-in"], label)
    assert int(by_ind["pairs"].iloc[0]) == len(pairs)
    assert int(by_ind["over"].sum()) == over == int(by_inst["over"].sum())


def test_board_audiences_and_search(db):
    from ui import data

    st, k = keys(db)
    label = queries.round_labels(st)[-1]
    key = k["public"]
    board = data.board(key, label, "validated", None)
    scored = reference_scored(st, label, "validated", True)
    want = scored.groupby("institution_id")["audience"].agg(lambda s: sorted(set(s.dropna())))
    for iid, aud in zip(board["institution_id"], board["audiences"]):
        assert aud == want.get(iid, [])
    name = board["name_az"].iloc[0]
    hit = data.filter_board(board, kinds=[], audiences=[], query=name.upper(), lang="az", sort="name")
    assert name in hit["name_az"].tolist()


def test_loaders_are_shared_not_copied(db):
    """Large frames are resources: two calls give the same object (no per-rerun copy)."""
    from ui import data

    st, k = keys(db)
    label = queries.round_labels(st)[-1]
    assert data.scored_services(k["public"], label, "validated") is data.scored_services(k["public"], label,
                                                                                          "validated")
    assert data.round_data(k["public"], label) is not data.round_data(k["signed-in"], label)


def test_a_write_changes_the_key_and_the_loaded_values(writable_db):
    from store.actors import Actor
    from store.publication import unpublish
    from store.review import reopen
    from ui import data

    st, k = keys(writable_db)
    label = queries.round_labels(st)[-1]
    before = data.scored_services(k["public"], label, "validated")
    iid = int(before["institution_id"].iloc[0])
    # Reopening an institution changes the data, not what visitors see: the public view stays frozen
    # at the round's last publication (issue 10) until it is republished or withdrawn.
    reopen(st, Actor.system("test"), label, iid, reason="a check")
    _, k2 = keys(writable_db)
    assert k2["public"] != k["public"]
    after = data.scored_services(k2["public"], label, "validated")
    assert iid in set(after["institution_id"])
    assert np.array_equal(np.sort(after["service_id"]), np.sort(before["service_id"]))
    unpublish(st, Actor.system("test"), label, reason="a check")
    _, k3 = keys(writable_db)
    withdrawn = data.scored_services(k3["public"], label, "validated")
    assert k3["public"] != k2["public"] and withdrawn.empty
    assert np.array_equal(np.sort(withdrawn["service_id"]), np.sort(
        reference_scored(st, label, "validated", True)["service_id"]))


@pytest.mark.parametrize("audience", ["public", "signed-in"])
def test_overview_and_eu_views_equal_the_plain_path(db, audience):
    """The overview's distribution and top services, the EU page's levels and indicators, from compact rows."""
    from scoring import eu
    from ui import data, eu_views, tables

    for key, label, source, ref in rounds_and_sources(db, audience):
        pd.testing.assert_frame_equal(tables.level_distribution(data.levels_and_audiences(key, label, source), "az"),
                                      tables.level_distribution(ref, "az"), check_dtype=False)
        pd.testing.assert_frame_equal(tables.top_services(data.top_services(key, label, source), "en")
                                      .reset_index(drop=True),
                                      tables.top_services(ref, "en").reset_index(drop=True), check_dtype=False)
        want = eu.classic_indicators(ref)
        pd.testing.assert_frame_equal(eu_views._indicators(key, label, source), want, check_dtype=False)
        codes = tuple(sorted(set(ref["code"].astype(str))))
        first = ref.drop_duplicates("code")[["code", "level"]].reset_index(drop=True)
        mine = eu_views._levels_by_code(key, label, source, codes)
        assert dict(zip(mine["code"], mine["level"])) == dict(zip(first["code"].astype(str), first["level"]))

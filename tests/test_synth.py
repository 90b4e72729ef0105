"""The synthetic country: shape, realism, determinism, visibility, and the ``synth`` command."""

from __future__ import annotations

import io

import pandas as pd
import pytest

import scoring
from cli import main as cli_main
from ingest.progress import Progress
from store import queries
from store.db import Store
from store.registry import sync_methodologies
from store.synth import build_synthetic

N, M, R = 40, 6, 3


def build(path, seed=7, progress=None):
    st = Store(path, seed=False)
    sync_methodologies(st)
    counts = build_synthetic(st, institutions=N, services_per_institution=M, rounds=R, seed=seed, progress=progress)
    return st, counts


@pytest.fixture(scope="module")
def synth(tmp_path_factory):
    seen = []
    st, counts = build(tmp_path_factory.mktemp("synth") / "s.duckdb", progress=lambda f, s="": seen.append(f))
    return st, counts, seen


def test_shape(synth):
    st, counts, _ = synth
    assert counts["self"] == N * M * R
    inst = queries.institutions(st)
    assert len(inst) == N and inst["name_az"].is_unique and inst["name_en"].is_unique
    assert set(inst["kind"]) == {"central", "regional", "local"}
    assert (inst["n_services"] == M).all()
    regional = inst[inst["kind"] == "regional"]
    assert regional["parent_id"].notna().all()
    rounds = queries.rounds(st)
    assert rounds["label"].tolist() == ["2022", "2023", "2024"]
    assert rounds["published"].all() and rounds["illustrative"].all()
    assert (rounds["n_self"] == N * M).all() and (rounds["n_expert"] > 0).all()


def test_visitors_see_every_round(synth):
    st, _, _ = synth
    for label in ("2022", "2024"):
        public = queries.service_answers(st, label, "validated", published_only=True)
        assert len(public) == N * M
        assert len(queries.coverage_rows(st, label, published_only=True)) == N
    assert queries.infrastructure_answers(st, "2024", published_only=True)["scope_institution_id"].isna().any()
    assert len(queries.portal_usage(st)) > 0


def test_levels_drift_up_and_central_bodies_lead(synth):
    st, _, _ = synth
    m = queries.load_round_methodology(st, "2024")
    first = scoring.score_answers(queries.service_answers(st, "2022", "self"), m)
    last = scoring.score_answers(queries.service_answers(st, "2024", "self"), m)
    assert last["level"].mean() >= first["level"].mean()
    by_kind = last.groupby("kind")["level"].mean()
    assert by_kind["central"] > by_kind["local"]
    assert last["level"].nunique() >= 4


def test_experts_mostly_agree(synth):
    st, _, _ = synth
    s = queries.service_answers(st, "2024", "self").set_index("service_id")
    e = queries.service_answers(st, "2024", "expert").set_index("service_id")
    q = [f"q{i}" for i in range(1, 18)]
    same = (s.loc[e.index, q].to_numpy() == e[q].to_numpy()).all(axis=1)
    assert 0.5 < same.mean() < 0.95


def test_same_seed_same_content(synth, tmp_path):
    st, _, _ = synth
    again, _ = build(tmp_path / "again.duckdb")
    other, _ = build(tmp_path / "other.duckdb", seed=8)
    tables = ("service_answers", "coverage", "infrastructure_answers", "portal_usage", "institutions", "services",
              "review_states", "publications")

    def content(store):
        return {t: store.df(f"SELECT * FROM {t} ORDER BY ALL") for t in tables}

    a, b = content(st), content(again)
    for t in tables:
        pd.testing.assert_frame_equal(a[t], b[t], obj=t)
    assert not content(other)["service_answers"].equals(a["service_answers"])


def test_progress_moves_forward_to_the_end(synth):
    _, _, seen = synth
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert seen == sorted(seen)


def test_refuses_a_database_in_use(synth):
    st, _, _ = synth
    with pytest.raises(RuntimeError, match="new file"):
        build_synthetic(st, institutions=2, services_per_institution=1, rounds=1)


def test_names_stay_unique_for_a_large_country():
    import datetime as dt

    import numpy as np

    from store.registry import normalise_name
    from store.synth import institutions_frame

    inst = institutions_frame(6000, np.random.default_rng(0), dt.datetime(2020, 1, 1))
    for col in ("name_az", "name_en"):
        assert inst[col].map(normalise_name).is_unique, col


def test_command_builds_and_refuses_to_overwrite(tmp_path, capsys):
    path = tmp_path / "cli.duckdb"
    args = ["synth", "--institutions", "12", "--services-per-institution", "3", "--rounds", "2", "--db", str(path)]
    assert cli_main(args) == 0
    out = capsys.readouterr().out
    assert "72 self" in out
    assert cli_main(args) == 1
    assert "--force" in capsys.readouterr().err
    assert cli_main([*args, "--force", "--seed", "3"]) == 0
    assert cli_main(["synth", "--institutions", "0", "--services-per-institution", "3", "--rounds", "2",
                     "--db", str(tmp_path / "x.duckdb")]) == 2


def test_progress_estimate():
    clock = iter([0.0, 1.0, 2.0, 4.0]).__next__  # start, then one reading per report past 5 %
    seen = []
    p = Progress(lambda f, s, left: seen.append((f, s, left)), clock=clock)
    p(0.0, "a")
    p(0.25, "b")
    p(0.5)
    assert seen[0] == (0.0, "a", None)
    assert seen[1] == (0.25, "b", pytest.approx(3.0))
    assert seen[2] == (0.5, "b", pytest.approx(2.0))
    part = p.part(0.5, 1.0)
    part(0.5, "c")
    assert p.done == 0.75


def test_terminal_bar_is_quiet_for_quick_work_and_writes_lines_to_a_log():
    from ingest.progress import TerminalBar

    times = iter([0.0, 0.5, 1.5, 2.0, 3.0]).__next__
    log = io.StringIO()
    bar = TerminalBar("en", log, clock=times)
    bar(0.1, "progress.synth.round", None)  # at 0.5 s: quiet
    assert log.getvalue() == ""
    bar(0.5, "progress.synth.round", 1.5)
    bar(0.6, "progress.synth.round", 1.2)  # same stage: no new line in a log
    bar(1.0, "progress.synth.finish", 0.0)
    lines = log.getvalue().splitlines()
    assert lines == ["Writing rounds… · 50% · about 2 seconds left", "Saving the database… · 100% · about 1 second left"]

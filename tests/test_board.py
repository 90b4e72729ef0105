"""The board and round summary computed from scored frames."""

import math

import pandas as pd

from scoring import infrastructure_frame, institution_board, load_methodology, round_summary, score_answers
from scoring.board import board_changes, level_distribution

M = load_methodology()
E_DECL = [1] * 9 + [0] * 8
SEED_INFRA = {
    "1.1": 1, "1.2": 0, "1.3": 1, "1.4": 1, "1.5": 1, "1.6": 1, "2.1": 1, "2.2": 1, "2.3": 1, "2.4": 1,
    "2.5": 1, "2.6": 1, "2.7": 10, "3.1": 1, "3.2": 5, "3.3": 10,
}


def answers(rows):
    return pd.DataFrame(
        [{"institution_id": i, "service_id": s, "audience": a, **dict(zip(M.answer_columns, q))} for i, s, a, q in rows]
    )


def test_board_lights_for_seed_like_institutions():
    scored = score_answers(answers([
        (1, 10, "business", E_DECL), (1, 11, "business", [1] * 17),   # mean level 4 → green
        (2, 20, "citizen", [0] * 17),                                  # level 0 → red
    ]), M)
    cov = pd.DataFrame({"institution_id": [1, 2, 3], "services_transferable": [77, 65, 0], "e_services_provided": [77, 20, 0]})
    infra = pd.DataFrame([{"scope_institution_id": 1, "question_id": k, "value": v} for k, v in SEED_INFRA.items()])
    board = institution_board(scored, cov, infra, M).set_index("institution_id")
    assert board.loc[1, "coverage_light"] == "green" and board.loc[1, "coverage_pct"] == 100
    assert board.loc[1, "maturity_light"] == "green" and board.loc[1, "mean_level"] == 4
    assert board.loc[1, "infrastructure_light"] == "yellow"
    assert board.loc[1, "corruption_light"] == "green"  # (4 + 11) / 2 = 7.5
    assert board.loc[2, "coverage_light"] == "red" and round(board.loc[2, "coverage_pct"]) == 31
    assert board.loc[2, "maturity_light"] == "red" and board.loc[2, "infrastructure_light"] is None
    assert board.loc[3, "coverage_light"] is None and board.loc[3, "n_services"] == 0


def test_infrastructure_frame_matches_scalar():
    df = pd.DataFrame([{"scope": None, "question_id": k, "value": v} for k, v in SEED_INFRA.items()])
    r = infrastructure_frame(df, M).iloc[0]
    assert f"{r['authentic_sources']:.1f}/{r['eid']:.1f}/{r['secure_edelivery']:.1f}/{r['index']:.1f}" == "0.8/0.6/0.3/0.6"


def test_incomplete_scope_is_left_out():
    df = pd.DataFrame([{"scope": 7, "question_id": "1.1", "value": 1}])
    assert infrastructure_frame(df, M).empty


def test_round_summary_and_distribution():
    scored = score_answers(answers([(1, 1, "citizen", [1] * 17), (1, 2, "citizen", E_DECL), (2, 3, "business", E_DECL)]), M)
    cov = pd.DataFrame({"institution_id": [1, 2], "services_transferable": [54, 22], "e_services_provided": [35, 21]})
    s = round_summary(scored, cov, 0.58)
    assert s["institutions"] == 2 and s["services"] == 3
    assert math.isclose(s["mean_level"], 11 / 3)
    assert math.isclose(s["share_level4"], 100 / 3) and math.isclose(s["share_level5"], 100 / 3)
    assert math.isclose(s["mean_coverage"], (35 / 54 + 21 / 22) / 2 * 100)
    dist = level_distribution(scored)
    assert dist[(dist.audience == "citizen") & (dist.level == 5)]["count"].item() == 1
    assert len(dist) == 12


def test_board_changes():
    now = pd.DataFrame({"institution_id": [1, 2], "mean_level": [3.0, 2.0], "coverage_pct": [50.0, 10.0], "mean_corruption": [4.0, 1.0]})
    before = pd.DataFrame({"institution_id": [1], "mean_level": [2.0], "coverage_pct": [40.0], "mean_corruption": [4.0]})
    ch = board_changes(now, before).set_index("institution_id")
    assert ch.loc[1, "mean_level_change"] == 1.0 and math.isnan(ch.loc[2, "mean_level_change"])

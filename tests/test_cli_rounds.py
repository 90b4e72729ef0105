"""``cli.py round``: rounds are opened by an administrator, with their calendar, and audited."""

from __future__ import annotations

import cli
from store import queries
from store.db import Store


def run(capsys, *args) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_open_list_close_reopen(tmp_path, capsys):
    db = tmp_path / "r.duckdb"
    assert run(capsys, "--db", db, "init")[0] == 0
    assert "no rounds yet" in run(capsys, "--db", db, "round", "list")[1]
    code, out, err = run(capsys, "--db", db, "round", "open", "2025", "--deadline", "2025-12-01", "--closes",
                         "2025-12-15", "--reason", "yearly round")
    assert code == 0, err
    code, out, _ = run(capsys, "--db", db, "round", "list")
    assert "2025" in out and "2025-12-01" in out and "2013-osce" in out
    assert run(capsys, "--db", db, "round", "open", "2025")[0] == 1  # exists already
    code, _, err = run(capsys, "--db", db, "round", "open", "2026", "--deadline", "2026-12-15", "--closes", "2026-12-01",
                       "--lang", "en")
    assert code == 1 and "before the deadline" in err
    code, _, err = run(capsys, "--db", db, "round", "open", "2026", "--deadline", "15.12.2026")
    assert code == 1 and "İİİİ-AA-GG" in err  # in the default language, Azerbaijani
    assert run(capsys, "--db", db, "round", "open", "20 25")[0] == 1  # not a label
    assert run(capsys, "--db", db, "round", "close", "2025")[0] == 0
    code, _, err = run(capsys, "--db", db, "round", "reopen", "2025", "--lang", "en")
    assert code == 1 and "reason" in err
    assert run(capsys, "--db", db, "round", "reopen", "2025", "--reason", "late file from a ministry")[0] == 0
    with Store(db) as st:
        ev = queries.events(st)
        actions = ev["action"].tolist()
        # A round opened with a deadline also opens for collection (questionnaire and service list frozen).
        assert actions[:4] == ["reopen_round", "close_round", "open_collection", "open_round"]
        assert ev.iloc[0]["reason"] == "late file from a ministry"
        r = queries.rounds(st).set_index("label").loc["2025"]
        assert str(r["deadline"])[:10] == "2025-12-01" and r["status"] == "open"

"""Imports at scale: set-based commit (no per-row queries), growth, header rows outside the row limit, progress.

Speed itself is measured in ``bench/bench_import.py`` (docs/PERFORMANCE.md);
here only what must hold on any machine: the number of statements a commit
runs does not depend on the number of rows, doubling the rows less than
triples the time, and the commit's results are those of the row-by-row path
(registry rows created once, revived when hidden, history kept).
"""

from __future__ import annotations

import hashlib
import time
from contextlib import contextmanager

import pytest

from ingest.model import CoverageRecord, Meta, ParsedWorkbook, ServiceRecord
from store import Actor, Store, queries
from store.imports import commit_import, revert_import
from store.rounds import open_round

ADMIN = Actor.system("test")


@pytest.fixture
def st(tmp_path):
    s = Store(tmp_path / "t.duckdb")
    open_round(s, ADMIN, "2025", "2013-osce")
    yield s
    s.close()


def workbook(n: int, *, tag: str = "a", new_institutions: int = 0, answers=None, institutions=None) -> ParsedWorkbook:
    """``n`` service rows: new services of registered institutions, plus some rows of unregistered ones."""
    inst = institutions or []
    services = []
    for i in range(n):
        if i < new_institutions:
            iid, name = None, f"Yeni Agentlik {tag}{i % 3}"
        else:
            iid, name = inst[i % len(inst)]
        services.append(ServiceRecord(row=i + 3, institution_id=iid, institution_name=name,
                                      service_code=f"S{tag}.{i}", service_name=f"Xidmət {i}", audience="citizen",
                                      answers=tuple(answers or [(i >> k) & 1 for k in range(17)]),
                                      new_institution=iid is None, new_service=True))
    coverage = [CoverageRecord(row=3, institution_id=None, institution_name=f"Yeni Agentlik {tag}0", transferable=9,
                               provided=4)] if new_institutions else []
    payload = f"{tag}:{n}:{new_institutions}:{answers}".encode()
    return ParsedWorkbook(file_name=f"{tag}.xlsx", sha256=hashlib.sha256(payload).hexdigest(), size=len(payload),
                          meta=Meta(round="2025", source="self"), services=services, coverage=coverage)


def registered(st, k=5):
    inst = queries.institutions(st).head(k)
    return list(zip(inst["institution_id"].astype(int), inst["name_az"]))


@contextmanager
def counting(monkeypatch):
    """Count the statements run inside write transactions."""
    seen = {"n": 0}
    original = Store.transaction

    class Counting:
        def __init__(self, cur):
            self._cur = cur

        def execute(self, *args, **kwargs):
            seen["n"] += 1
            return self._cur.execute(*args, **kwargs)

        def __getattr__(self, name):
            return getattr(self._cur, name)

    @contextmanager
    def transaction(self):
        with original(self) as cur:
            yield Counting(cur)

    monkeypatch.setattr(Store, "transaction", transaction)
    yield seen


def test_statements_do_not_grow_with_rows(st, monkeypatch):
    inst = registered(st)
    with counting(monkeypatch) as seen:
        commit_import(st, ADMIN, workbook(30, tag="s", new_institutions=5, institutions=inst))
        small = seen["n"]
        seen["n"] = 0
        commit_import(st, ADMIN, workbook(600, tag="l", new_institutions=50, institutions=inst))
        large = seen["n"]
    assert small == large, (small, large)
    assert large < 60


def test_results_match_the_row_by_row_rules(st):
    inst = registered(st)
    res = commit_import(st, ADMIN, workbook(40, tag="r", new_institutions=7, institutions=inst))
    svc = queries.services(st)
    ours = svc[svc["code"].str.startswith("Sr.")]
    assert len(ours) == 40 and ours["service_id"].is_unique
    made = queries.institutions(st)
    made = made[made["created_by_import"] == res.import_id]
    assert sorted(made["name_az"]) == ["Yeni Agentlik r0", "Yeni Agentlik r1", "Yeni Agentlik r2"]  # once per name
    answers = queries.service_answers(st, "2025", "self")
    assert len(answers) == 40 and set(answers["import_id"]) == {res.import_id}
    cov = queries.coverage_rows(st, "2025")
    assert cov["institution_az"].tolist() == ["Yeni Agentlik r0"]  # the coverage row found the institution just made
    detail = queries.events(st)
    event = detail[detail["import_id"] == res.import_id].iloc[0]
    assert "Yeni Agentlik r0" in event["detail"] and "Sr.39" in event["detail"]
    first = svc.sort_values("service_id")
    assert first[first["code"].str.startswith("Sr.")]["code"].tolist() == [f"Sr.{i}" for i in range(40)]


def test_replace_keeps_history_and_revert_brings_it_back(st):
    inst = registered(st)
    commit_import(st, ADMIN, workbook(20, tag="h", institutions=inst))
    again = workbook(20, tag="h", institutions=inst, answers=[1] * 17)
    res = commit_import(st, ADMIN, again, replace=True)
    assert res.status == "imported" and res.plan.counts()["services"] == {"replaced": 20}
    now = queries.service_answers(st, "2025", "self")
    assert (now[[f"q{i}" for i in range(1, 18)]] == 1).all().all()
    revert_import(st, ADMIN, res.import_id, reason="check")
    back = queries.service_answers(st, "2025", "self")
    assert len(back) == 20 and not (back[[f"q{i}" for i in range(1, 18)]] == 1).all().all()


def test_reverted_import_registry_rows_are_reused(st):
    inst = registered(st)
    first = commit_import(st, ADMIN, workbook(10, tag="v", new_institutions=4, institutions=inst))
    revert_import(st, ADMIN, first.import_id, reason="wrong file")
    assert not queries.institutions(st)["name_az"].str.startswith("Yeni Agentlik").any()  # hidden
    second = commit_import(st, ADMIN, workbook(10, tag="v", new_institutions=4, institutions=inst, answers=[1] * 17))
    inst_now = queries.institutions(st)
    mine = inst_now[inst_now["name_az"].str.startswith("Yeni Agentlik")]
    assert len(mine) == 3 and set(mine["created_by_import"]) == {second.import_id}  # revived, not duplicated
    assert len(queries.services(st).query("code.str.startswith('Sv.')", engine="python")) == 10


def test_doubling_rows_less_than_triples_the_commit_time(tmp_path):
    """Growth, not speed: generous margins, the best of three runs of each size."""
    def best(n, tag):
        times = []
        for k in range(3):
            s = Store(tmp_path / f"{tag}{k}.duckdb")
            open_round(s, ADMIN, "2025", "2013-osce")
            wb = workbook(n, tag=tag, institutions=registered(s))
            t0 = time.perf_counter()
            commit_import(s, ADMIN, wb)
            times.append(time.perf_counter() - t0)
            s.close()
        return min(times)

    small, large = best(1500, "g"), best(3000, "G")
    assert large < 3 * small + 0.2, (small, large)


def test_commit_reports_progress_to_the_end(st):
    seen = []
    commit_import(st, ADMIN, workbook(50, tag="p", institutions=registered(st)),
                  progress=lambda f, stage="": seen.append((f, stage)))
    fractions = [f for f, _ in seen]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0 and fractions == sorted(fractions)
    assert {s for _, s in seen} <= {"progress.import.plan", "progress.import.write"}


def test_header_rows_do_not_count_against_the_row_limit(monkeypatch):
    """A full sheet of data rows under the template's key row and wording row is read, one more row is not."""
    from ingest import reader
    from tests.badfiles import SELF_HEADER, make_workbook, sample_registry, self_row

    monkeypatch.setattr(reader, "MAX_ROWS", 40)
    wording = ["Qurumun adı", "Xidmətin kodu", "Xidmətin adı", "Auditoriya", *[f"Sual {i}" for i in range(1, 18)],
               "Şərh"]
    rows = [self_row(code=f"7.{i}") for i in range(1, 41)]
    full = make_workbook({"Services": [SELF_HEADER, wording, *rows]})
    parsed = reader.parse_workbook(full, "full.xlsx", sample_registry())
    assert not [e for e in parsed.errors if e.code == "sheet_too_large"]
    assert len(parsed.services) == 40
    over = make_workbook({"Services": [SELF_HEADER, wording, *rows, *[self_row(code=f"8.{i}") for i in range(12)]]})
    parsed = reader.parse_workbook(over, "over.xlsx", sample_registry())
    assert [e for e in parsed.errors if e.code == "sheet_too_large"]


def test_pipeline_reports_each_stage_in_order(st):
    from ingest.pipeline import import_files
    from tests.badfiles import make_self_workbook, self_row

    files = [(f"{k}.xlsx", make_self_workbook([self_row(code=f"9{k}.1")], meta={"round": "2025", "source": "self"}))
             for k in range(2)]
    seen = []
    out = import_files(st, files, ADMIN, report=lambda f, stage="": seen.append((f, stage)))
    assert [o.status for o in out] == ["imported", "imported"]
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    stages = [s for _, s in seen]
    for stage in ("progress.import.check", "progress.import.read", "progress.import.plan", "progress.import.write"):
        assert stage in stages
    assert [f for f, s in seen if s == "progress.import.check"] == [0.0, 0.5]  # two files, two halves


def test_cli_import_and_export_show_progress_when_slow(tmp_path, monkeypatch, capsys):
    from cli import main as cli_main
    from ingest import progress
    from tests.badfiles import make_self_workbook, self_row

    monkeypatch.setattr(progress, "QUIET_SECONDS", 0.0)  # every operation counts as slow here
    db = tmp_path / "cli.duckdb"
    wb = tmp_path / "f.xlsx"
    wb.write_bytes(make_self_workbook([self_row()], meta={"round": "2024", "source": "self"}))
    assert cli_main(["--db", str(db), "init"]) == 0
    assert cli_main(["--db", str(db), "round", "open", "2024"]) == 0
    assert cli_main(["--db", str(db), "import", str(wb), "--lang", "en"]) == 0
    err = capsys.readouterr().err
    assert "Reading the workbook…" in err and "Writing to the database…" in err
    assert cli_main(["--db", str(db), "export", "--csv-dir", str(tmp_path / "out"), "--lang", "en"]) == 0
    err = capsys.readouterr().err
    assert "Writing the file…" in err

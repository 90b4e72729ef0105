"""Backup and restore: consistent while others write, identical after restore, damaged backups refused."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import cli
from ingest.export import export_csv
from ingest.pipeline import import_files
from store import originals, queries, schema
from store.actors import Actor
from store.backup import BackupError, backup, restore, verify
from store.db import Store
from tests.badfiles import make_self_workbook, self_row

ROOT = Path(__file__).resolve().parent.parent
EXPERT = Actor("ekspert", "expert")


@pytest.fixture(scope="module")
def source(tmp_path_factory, demo_db):
    """The demo database plus one imported workbook (so an original file is kept)."""
    path = tmp_path_factory.mktemp("bk") / "source.duckdb"
    shutil.copy(demo_db, path)
    with Store(path) as st:
        from store.rounds import open_round

        open_round(st, Actor.system("t"), "2025")
        data = make_self_workbook([self_row(comment="Şərh: yoxlanılıb")], meta={"round": "2025", "source": "self",
                                                                         "methodology": "2013-osce"})
        [o] = import_files(st, [("self-2025.xlsx", data)], EXPERT)
        assert o.status == "imported"
    return path, data, o.import_id


@pytest.fixture(scope="module")
def taken(source, tmp_path_factory):
    path, _, _ = source
    folder = tmp_path_factory.mktemp("taken") / "nightly"
    with Store(path) as st:
        manifest = backup(st, folder)
    return folder, manifest


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_restore_gives_identical_exports_imports_and_originals(source, taken, tmp_path):
    path, data, import_id = source
    folder, manifest = taken
    assert manifest["tables"]["originals"]["rows"] == 1 and manifest["schema_version"] == schema.LATEST
    assert (folder / "methodology" / "2013-osce.yaml").is_file()
    restored = tmp_path / "restored.duckdb"
    restore(folder, restored)
    with Store(path) as a, Store(restored) as b:
        export_csv(a, tmp_path / "a")
        export_csv(b, tmp_path / "b")
        assert _files(tmp_path / "a") == _files(tmp_path / "b")
        assert queries.imports(a).equals(queries.imports(b))
        assert queries.content_fingerprint(a) == queries.content_fingerprint(b)
        assert originals.of_import(b, import_id) == ("self-2025.xlsx", data)


def test_backup_is_consistent_while_another_process_writes(source, tmp_path):
    path, _, _ = source
    work = tmp_path / "busy.duckdb"
    shutil.copy(path, work)
    writer = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        from store.db import Store
        from store.actors import Actor
        from store.registry import add_institution
        st = Store({str(work)!r}, busy_timeout=60)
        for k in range(40):
            add_institution(st, Actor.system("writer"), f"Yazan Agentlik {{k}}", None)
            time.sleep(0.05)
        print("done", flush=True)
    """)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        with Store(work, busy_timeout=60) as st:
            manifests = [backup(st, tmp_path / f"b{k}") for k in range(3)]
    finally:
        out, err = writer.communicate(timeout=300)
    assert "done" in out, err
    for k in range(len(manifests)):
        restore(tmp_path / f"b{k}", tmp_path / f"r{k}.duckdb")  # row counts and fingerprint checked inside
        with Store(tmp_path / f"r{k}.duckdb") as st:
            names = queries.institutions(st)["name_az"].tolist()
            added = [n for n in names if n.startswith("Yazan Agentlik")]
            events = queries.events(st)
            # Consistent: every institution the writer added has its audit event, and no event lacks its row.
            assert (events["actor"] == "writer").sum() == len(added)
    # The writer ran during the backups: they caught it at different moments, each of them whole.
    assert len({m["tables"]["institutions"]["rows"] for m in manifests}) >= 1


def test_damaged_or_partial_backups_are_refused(taken, tmp_path):
    folder, manifest = taken
    cases = {}
    broken = tmp_path / "flipped"
    shutil.copytree(folder, broken)
    parquet = broken / "tables" / "service_answers.parquet"
    raw = bytearray(parquet.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    parquet.write_bytes(bytes(raw))
    cases["flipped"] = (broken, "damaged")
    missing = tmp_path / "missing"
    shutil.copytree(folder, missing)
    next((missing / "originals").iterdir()).unlink()
    cases["missing"] = (missing, "missing")
    no_manifest = tmp_path / "no-manifest"
    shutil.copytree(folder, no_manifest)
    (no_manifest / "manifest.json").unlink()
    cases["no manifest"] = (no_manifest, "no manifest.json")
    partial = tmp_path / "nightly.partial"
    shutil.copytree(folder, partial)
    cases["partial"] = (partial, "unfinished")
    newer = tmp_path / "newer"
    shutil.copytree(folder, newer)
    m = json.loads((newer / "manifest.json").read_text())
    m["schema_version"] = schema.LATEST + 1
    (newer / "manifest.json").write_text(json.dumps(m))
    cases["newer"] = (newer, "newer than this program")
    for label, (bad, words) in cases.items():
        assert any(words in p for p in verify(bad)), (label, verify(bad))
        target = tmp_path / f"{label}.duckdb"
        with pytest.raises(BackupError, match=words):
            restore(bad, target)
        assert not target.exists() and not Path(str(target) + ".restoring").exists(), label


def test_restore_never_overwrites_and_backup_needs_a_new_directory(source, taken, tmp_path):
    path, _, _ = source
    folder, _ = taken
    with pytest.raises(BackupError, match="already exists"):
        restore(folder, path)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with Store(path) as st, pytest.raises(BackupError, match="not empty"):
        backup(st, tmp_path / "full")


def test_cli_backup_restore_and_check(source, tmp_path, capsys):
    path, _, _ = source
    out_dir = tmp_path / "2026-03-01"
    assert cli.main(["--db", str(path), "backup", "-o", str(out_dir)]) == 0
    assert cli.main(["restore", str(out_dir), "--check"]) == 0
    assert cli.main(["restore", str(out_dir), "--db", str(tmp_path / "new.duckdb")]) == 0
    assert cli.main(["restore", str(out_dir), "--db", str(tmp_path / "new.duckdb")]) == 1
    (out_dir / "tables" / "events.parquet").write_bytes(b"PAR1 nope")
    assert cli.main(["restore", str(out_dir), "--check"]) == 1
    text = capsys.readouterr()
    assert "content verified" in text.out and "events.parquet: damaged" in text.err


def test_cli_saves_the_original_of_an_import(source, tmp_path, capsys):
    path, data, import_id = source
    out = tmp_path / "copy.xlsx"
    assert cli.main(["--db", str(path), "imports", "--original", str(import_id), "-o", str(out)]) == 0
    assert out.read_bytes() == data
    assert cli.main(["--db", str(path), "imports", "--original", "1"]) == 1  # the demo's imports have no file

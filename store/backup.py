"""Backups of a live database and restoring them into a new file.

Copying the ``.duckdb`` file while the app runs can miss what is still in the
write-ahead log, and a copy taken mid-write is not a database at all. A
backup here is logical and consistent instead:

1. a checkpoint folds the write-ahead log into the file (a short write lease);
2. under one read lease (other processes keep reading; writers wait until it
   ends, a second or two for a country's data), every table is written as
   Parquet, the original bytes of every imported file as files named by
   their SHA-256, and every stored methodology version as its YAML text;
3. ``manifest.json`` comes last: format, schema version, row counts, the
   SHA-256 of every file and the content fingerprint of the whole database.

The backup is built in ``DIR.partial`` and renamed to ``DIR`` only when
complete, so a backup directory either is whole or does not exist under its
name. :func:`verify` checks a directory against its manifest;
:func:`restore` refuses a damaged or partial backup, rebuilds the tables in a
new file at the backup's schema version, checks row counts and the content
fingerprint, then brings the schema up to this program's version.
Accounts (the secrets file) are configuration, not data: back them up with
the server's configuration (docs/DEPLOYMENT.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from pathlib import Path

from . import queries, schema
from .db import MEMORY, Store

FORMAT = 1
MANIFEST = "manifest.json"
BLOBS = {"originals": "content"}  # table → column written as files instead of into Parquet


class BackupError(ValueError):
    """A backup cannot be written, or a directory is not a complete, undamaged backup."""


def _sha(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _tables(cur) -> list[str]:
    present = [r[0] for r in cur.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE'"
    ).fetchall()]
    return [t for t in schema.TABLES if t in present] + sorted(t for t in present if t not in schema.TABLES)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def backup(st: Store, directory: str | os.PathLike) -> dict:
    """Write a consistent backup of ``st`` into ``directory`` (new or empty); returns the manifest."""
    if st.path == MEMORY:
        raise BackupError("an in-memory database cannot be backed up")
    target = Path(directory)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty; back up into a new directory")
    work = target.with_name(target.name + ".partial")
    if work.exists():
        shutil.rmtree(work)  # left by an interrupted backup: never a backup itself
    (work / "tables").mkdir(parents=True)
    (work / "originals").mkdir()
    (work / "methodology").mkdir()
    st.checkpoint()
    files: dict[str, dict] = {}
    tables: dict[str, dict] = {}
    with st.reading() as cur:
        for table in _tables(cur):
            blob = BLOBS.get(table)
            cols = [r[0] for r in cur.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                [table]).fetchall()]
            keep = ", ".join(f'"{c}"' for c in cols if c != blob)
            rel = f"tables/{table}.parquet"
            cur.execute(f"COPY (SELECT {keep} FROM {table} ORDER BY ALL) TO '{work / rel}' "
                        "(FORMAT parquet, COMPRESSION zstd)")
            rows = cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            tables[table] = {"rows": int(rows), "file": rel, "columns": cols}
            files[rel] = {}
        for sha, content in cur.execute("SELECT sha256, content FROM originals ORDER BY sha256").fetchall():
            rel = f"originals/{sha}"
            (work / rel).write_bytes(bytes(content))
            files[rel] = {}
        for mid, text in cur.execute("SELECT id, yaml FROM methodologies ORDER BY id").fetchall():
            rel = f"methodology/{mid}.yaml"
            (work / rel).write_text(text, encoding="utf-8")
            files[rel] = {}
        version = schema.current_version(cur)
        fingerprint = queries.content_fingerprint(st)
    for rel in files:
        path = work / rel
        files[rel] = {"sha256": _sha(path), "bytes": path.stat().st_size}
    manifest = {
        "format": FORMAT, "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": str(st.path), "schema_version": version, "fingerprint": fingerprint,
        "tables": tables, "files": files,
    }
    with (work / MANIFEST).open("w", encoding="utf-8") as fh:
        json.dump(manifest, fh, ensure_ascii=False, indent=1, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    for sub in ("tables", "originals", "methodology", "."):
        _fsync_dir(work / sub)
    if target.exists():
        target.rmdir()
    work.rename(target)
    _fsync_dir(target.parent)
    return manifest


def verify(directory: str | os.PathLike) -> list[str]:
    """What is wrong with a backup directory (missing, damaged or unexpected files); empty when it is whole."""
    root = Path(directory)
    if root.name.endswith(".partial"):
        return [f"{root} is an unfinished backup (interrupted while it was written)"]
    path = root / MANIFEST
    if not path.is_file():
        return [f"{root} has no {MANIFEST}: not a backup, or an unfinished one"]
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"{MANIFEST} is unreadable ({exc})"]
    if manifest.get("format") != FORMAT:
        return [f"backup format {manifest.get('format')!r} is not {FORMAT}"]
    if int(manifest.get("schema_version") or 0) > schema.LATEST:
        return [f"the backup's schema version {manifest['schema_version']} is newer than this program "
                f"({schema.LATEST}); restore it with a newer version of the program"]
    problems = []
    for rel, want in sorted(manifest.get("files", {}).items()):
        file = root / rel
        if not file.is_file():
            problems.append(f"{rel}: missing")
        elif file.stat().st_size != want.get("bytes") or _sha(file) != want.get("sha256"):
            problems.append(f"{rel}: damaged (its checksum differs from the manifest)")
        elif rel.startswith("originals/") and rel.split("/", 1)[1] != want.get("sha256"):
            problems.append(f"{rel}: the file's content does not match its name")
    for table, info in manifest.get("tables", {}).items():
        if info.get("file") not in manifest.get("files", {}):
            problems.append(f"table {table}: its file is not listed in the manifest")
    return problems


def restore(directory: str | os.PathLike, db_path: str | os.PathLike) -> dict:
    """Rebuild the database of a backup at ``db_path`` (which must not exist yet); returns the manifest.

    Raises :class:`BackupError`, naming every problem, when the backup is
    damaged or partial or when the rebuilt database differs from the one
    backed up; nothing is left at ``db_path`` then.
    """
    root, target = Path(directory), Path(db_path)
    if target.exists() and target.stat().st_size > 0:
        raise BackupError(f"{target} already exists; restore into a new path (nothing was changed)")
    problems = verify(root)
    if problems:
        raise BackupError("the backup cannot be restored:\n  " + "\n  ".join(problems))
    manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    work = target.with_name(target.name + ".restoring")
    for leftover in (work, Path(str(work) + ".wal")):
        leftover.unlink(missing_ok=True)
    try:
        st = Store(work, seed=False, migrate=False)
        schema.migrate(st, target=int(manifest["schema_version"]))
        with st.transaction() as cur:
            for table in _tables(cur):
                cur.execute(f"DELETE FROM {table}")  # migrations may have written rows (settings, versions)
            for table, info in manifest["tables"].items():
                parquet = root / info["file"]
                blob = BLOBS.get(table)
                if blob is None:
                    cur.execute(f"INSERT INTO {table} BY NAME SELECT * FROM read_parquet(?)", [str(parquet)])
                    continue
                rows = cur.execute("SELECT * FROM read_parquet(?)", [str(parquet)]).fetchall()
                names = [d[0] for d in cur.description]
                for row in rows:
                    record = dict(zip(names, row))
                    record[blob] = (root / "originals" / record["sha256"]).read_bytes()
                    cols = ", ".join(f'"{c}"' for c in record)
                    cur.execute(f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' * len(record))})",
                                list(record.values()))
            counts = {t: cur.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in manifest["tables"]}
        wrong = [f"{t}: {counts[t]} rows, the backup holds {info['rows']}" for t, info in manifest["tables"].items()
                 if counts[t] != info["rows"]]
        if wrong:
            raise BackupError("the restored tables differ from the backup:\n  " + "\n  ".join(wrong))
        if queries.content_fingerprint(st) != manifest["fingerprint"]:
            raise BackupError("the restored content differs from the database that was backed up")
        schema.migrate(st)  # a backup from an older program is brought up to this one
        st.checkpoint()
        st.close()
        os.replace(work, target)
    except BaseException:
        for leftover in (work, Path(str(work) + ".wal")):
            leftover.unlink(missing_ok=True)
        raise
    return manifest

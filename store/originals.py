"""The original bytes of every imported file, kept by content.

An import records the file's name, size and SHA-256; the bytes themselves are
stored once per distinct content in ``originals`` (a file imported twice, or
under two names, is stored once), in the same transaction as the import, so
every stored value traces back to the very file it came from. Backups carry
them (``cli.py backup`` writes them as files), and a reviewer can download the
file an import came from.
"""

from __future__ import annotations

import hashlib

from .audit import now


def keep(cur, sha256: str, content: bytes) -> None:
    """Store ``content`` under its SHA-256 unless it is stored already (inside a write transaction)."""
    content = bytes(content)
    if hashlib.sha256(content).hexdigest() != sha256:
        raise ValueError("the original's bytes do not match the checksum recorded for the import")
    cur.execute("INSERT OR IGNORE INTO originals (sha256, size, content, stored_at) VALUES (?, ?, ?, ?)",
                [sha256, len(content), content, now()])


def of_import(st, import_id: int) -> tuple[str, bytes] | None:
    """(file name, original bytes) of an import, or None when the bytes were not kept (older imports, demo)."""
    rows = st.rows("SELECT i.file_name, o.content FROM imports i JOIN originals o USING (sha256) "
                   "WHERE i.import_id = ?", [int(import_id)])
    return (rows[0][0], bytes(rows[0][1])) if rows else None

"""Named reads: each returns a pandas DataFrame (or a plain value) and writes nothing.

"Current" values are rows that no later import replaced and whose own import
was not reverted; only :func:`answer_history` and :func:`imports` show the rest.
Registry rows created by a reverted import are hidden too.

``published_only=True`` (what visitors read) returns a published round as it
was at its last publication: the row versions recorded then
(``store.publication``), whatever was imported, corrected or reverted since.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

import numpy as np
import pandas as pd

from scoring import Methodology, parse_methodology_text

from .schema import ANSWER_COLUMNS, TABLES

LIVE_IMPORTS = "(SELECT import_id FROM imports WHERE outcome = 'imported')"


def _visible(alias: str) -> str:
    """Registry rows not created by a since-reverted import."""
    return f"({alias}.created_by_import IS NULL OR {alias}.created_by_import IN {LIVE_IMPORTS})"


# Service codes such as 7.1, 7.2, 7.10 sort by their numeric parts, not as text.
CODE_ORDER = ("try_cast(split_part(s.code, '.', 1) AS INTEGER) NULLS LAST, "
              "try_cast(split_part(s.code, '.', 2) AS INTEGER) NULLS LAST, s.code")
Q = ", ".join(f"a.{q}" for q in ANSWER_COLUMNS)

SERVICE_ANSWER_COLUMNS = ["round", "source", "institution_id", "institution_az", "institution_en", "kind",
                          "service_id", "code", "service_az", "service_en", "audience", "eu_service",
                          *ANSWER_COLUMNS, "comment", "import_id"]


def rounds(st, counts: bool = True) -> pd.DataFrame:
    """Every round, oldest label first, with how many services each source assessed.

    ``counts=False`` leaves the counts out: every page's frame reads the rounds,
    and counting a million answers on each first visit costs more than the rest.
    """
    columns = """r.round_id, r.label, r.methodology_id, r.status, r.published, r.published_at, r.illustrative,
               r.opened_at, r.opened_by, r.deadline, r.closes"""
    if not counts:
        return st.df(f"SELECT {columns} FROM rounds r ORDER BY r.label")
    # One grouped pass over the answers (not a count per round and source).
    return st.df(f"""
        WITH n AS (
            SELECT round_id, count(*) FILTER (WHERE source = 'self') AS n_self,
                   count(*) FILTER (WHERE source = 'expert') AS n_expert
            FROM service_answers WHERE replaced_by_import IS NULL AND import_id IN {LIVE_IMPORTS}
            GROUP BY round_id)
        SELECT {columns},
               coalesce(n.n_self, 0) AS n_self, coalesce(n.n_expert, 0) AS n_expert
        FROM rounds r LEFT JOIN n USING (round_id) ORDER BY r.label""")


def round_statuses(st) -> dict[str, str]:
    """Every round's label and status (``open``/``closed``): the cheap read an import checks its round against."""
    return dict(st.rows("SELECT label, status FROM rounds"))


def round_notes(st, published_only: bool = False) -> pd.DataFrame:
    """The notes rounds carry (not removed), oldest round first: label, kind, text_az, text_en, at, actor."""
    where = "AND r.published" if published_only else ""
    return st.df(f"""
        SELECT n.note_id, r.label AS round, n.kind, n.text_az, n.text_en, n."at", n.actor
        FROM round_notes n JOIN rounds r USING (round_id)
        WHERE n.removed_at IS NULL {where}
        ORDER BY r.label, n.note_id""")


def round_labels(st, published_only: bool = False) -> list[str]:
    where = "WHERE published" if published_only else ""
    return [r[0] for r in st.rows(f"SELECT label FROM rounds {where} ORDER BY label")]


def institutions(st) -> pd.DataFrame:
    """Registered institutions with their number of registered services."""
    return st.df(f"""
        WITH n AS (SELECT s.institution_id, count(*) AS n_services FROM services s WHERE {_visible('s')}
                   GROUP BY s.institution_id)
        SELECT i.institution_id, i.name_az, i.name_en, i.kind, i.parent_id, i.created_at, i.created_by_import,
               coalesce(n.n_services, 0) AS n_services
        FROM institutions i LEFT JOIN n USING (institution_id) WHERE {_visible('i')} ORDER BY i.institution_id""")


def services(st) -> pd.DataFrame:
    """Registered services with their institution's names."""
    return st.df(f"""
        SELECT s.service_id, s.institution_id, i.name_az AS institution_az, i.name_en AS institution_en,
               s.code, s.name_az, s.name_en, s.audience, s.eu_service, s.created_at, s.created_by_import
        FROM services s JOIN institutions i USING (institution_id)
        WHERE {_visible('s')} AND {_visible('i')}
        ORDER BY s.institution_id, {CODE_ORDER}""")


def registry_frames(st) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two frames ``ingest.registry.Registry.from_frames`` reads (aliases: :func:`institution_aliases`)."""
    return institutions(st), services(st)


def registry_rows(st) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """What ``ingest.registry.Registry.from_rows`` reads, in one short read: rows, not frames.

    Institutions (id, name_az, name_en) in id order; services (institution_id,
    code); current aliases (institution_id, alias) in the order of
    :func:`institution_aliases`. The same rows as the frames, without the
    columns, joins and sorting the registry does not use: an import loads it
    for every file.
    """
    with st.reading() as cur:
        institutions = cur.execute(
            f"SELECT i.institution_id, i.name_az, i.name_en FROM institutions i WHERE {_visible('i')} "
            "ORDER BY i.institution_id").fetchall()
        services = cur.execute(
            f"SELECT s.institution_id, s.code FROM services s JOIN institutions i USING (institution_id) "
            f"WHERE {_visible('s')} AND {_visible('i')}").fetchall()
        aliases = cur.execute(
            "SELECT a.institution_id, a.alias FROM institution_aliases a JOIN institutions i USING (institution_id) "
            "WHERE a.removed_at IS NULL ORDER BY a.alias").fetchall()
    return institutions, services, aliases


def institution_aliases(st) -> pd.DataFrame:
    """Short names administrators registered for institutions (current ones), with the institution's names."""
    return st.df("""
        SELECT a.alias_id, a.alias, a.institution_id, i.name_az, i.name_en, a.created_at, a.created_by
        FROM institution_aliases a JOIN institutions i USING (institution_id)
        WHERE a.removed_at IS NULL ORDER BY a.alias""")


def _rows(st, kind: str, alias: str, id_col: str, published_only: bool) -> str:
    """WHERE condition picking a round's rows: current ones, or those frozen at its last publication.

    Call it inside the query's ``st.reading()`` lease: the published view names
    the rounds' last publications as read by that lease.
    """
    if not published_only:
        return f"{alias}.replaced_by_import IS NULL AND {alias}.import_id IN {LIVE_IMPORTS}"
    from .publication import latest_publications, public_rows

    return public_rows(kind, f"{alias}.{id_col}", latest_publications(st))


def service_answers(st, round_label: str, source: str = "validated", published_only: bool = False) -> pd.DataFrame:
    """Current answers of a round; ``source`` is self, expert or validated.

    ``validated`` takes the expert's row where an expert assessed the service
    and the self-assessment otherwise; the ``source`` column says which.
    ``published_only`` (anonymous readers) returns the answers as they were
    at the round's last publication (nothing for an unpublished round).
    """
    if source not in ("self", "expert", "validated"):
        raise ValueError("source is 'self', 'expert' or 'validated'")
    if source == "validated":
        pick = ("SELECT * FROM cur WHERE source = 'expert' UNION ALL "
                "SELECT * FROM cur c WHERE source = 'self' AND NOT EXISTS "
                "(SELECT 1 FROM cur e WHERE e.source = 'expert' AND e.service_id = c.service_id)")
        params = [str(round_label)]
    else:
        pick = "SELECT * FROM cur WHERE source = ?"
        params = [str(round_label), source]
    with st.reading():  # the last publications and the rows, read by one lease
        df = st.df(f"""
        WITH cur AS (
            SELECT a.* FROM service_answers a JOIN rounds r USING (round_id)
            WHERE r.label = ? AND {_rows(st, 'service_answers', 'a', 'answer_id', published_only)}),
        picked AS ({pick})
        SELECT r.label AS round, a.source, i.institution_id, i.name_az AS institution_az,
               i.name_en AS institution_en, i.kind, s.service_id, s.code, s.name_az AS service_az,
               s.name_en AS service_en, s.audience, s.eu_service, {Q}, a.comment, a.import_id
        FROM picked a JOIN rounds r USING (round_id) JOIN services s USING (service_id)
             JOIN institutions i ON i.institution_id = s.institution_id
        ORDER BY i.institution_id, {CODE_ORDER}, a.source""", params)
    return df[SERVICE_ANSWER_COLUMNS].reset_index(drop=True)


def answer_rows(st, round_labels, published_only: bool = False) -> pd.DataFrame:
    """Current service answers of any number of rounds, both sources, in compact columns.

    The rows :func:`service_answers` returns for ``self`` and ``expert`` (the
    same filters: current versions, live imports, and for ``published_only``
    the rows frozen at the round's last publication), without names: ``round_id``, ``service_id``,
    ``institution_id`` (int32), ``expert`` (bool), ``q1``…``q17`` (int8),
    ``comment`` and ``import_id``. Read through Arrow, one query for all the
    rounds: a million rows take a fraction of a second, where the named,
    sorted frame of :func:`service_answers` takes seconds. The pages' loaders
    join names and pick the validated rows themselves.
    """
    labels = [str(x) for x in round_labels]
    with st.reading():  # the last publications and the rows, read by one lease
        frame = st.arrow(f"""
        SELECT a.round_id, a.service_id, s.institution_id, a.source = 'expert' AS expert, {Q}, a.comment,
               a.import_id
        FROM service_answers a JOIN rounds r USING (round_id) JOIN services s USING (service_id)
        WHERE r.label IN (SELECT unnest(?)) AND {_rows(st, 'service_answers', 'a', 'answer_id', published_only)}""",
                         [labels]).to_pandas()
    for col in ("round_id", "service_id", "institution_id", "import_id"):
        frame[col] = frame[col].astype("int32")
    for q in ANSWER_COLUMNS:
        frame[q] = frame[q].astype("int8")
    return frame


def validated_mask(rows: pd.DataFrame) -> np.ndarray:
    """Which rows of :func:`answer_rows` make the validated view: the expert's reading where there is
    one, the provider's otherwise (per round and service), as :func:`service_answers` picks them.

    A dense (round × service) table of "has an expert reading" answers each row by one lookup:
    ids are small, and a sort-based ``isin`` over a million rows costs a hundred times more.
    """
    expert = rows["expert"].to_numpy()
    if not len(rows):
        return expert.copy()
    rid = rows["round_id"].to_numpy().astype(np.int64)
    sid = rows["service_id"].to_numpy().astype(np.int64)
    rounds_, inverse = np.unique(rid, return_inverse=True)
    has = np.zeros((len(rounds_), int(sid.max()) + 1), dtype=bool)
    has[inverse[expert], sid[expert]] = True
    return expert | ~has[inverse, sid]


def source_rows(rows: pd.DataFrame, source: str) -> pd.DataFrame:
    """The rows of :func:`answer_rows` that :func:`service_answers` returns for ``source`` (self, expert,
    validated); a ``validated`` column, when present, is taken as :func:`validated_mask`."""
    if source == "validated":
        mask = rows["validated"].to_numpy() if "validated" in rows else validated_mask(rows)
        return rows[mask]
    if source not in ("self", "expert"):
        raise ValueError("source is 'self', 'expert' or 'validated'")
    return rows[rows["expert"].to_numpy() == (source == "expert")]


def named_answers(label: str, rows: pd.DataFrame, index: pd.DataFrame, positions: np.ndarray | None = None
                  ) -> pd.DataFrame:
    """Compact rows (of :func:`answer_rows`, scored or not) shaped as :func:`service_answers` returns them.

    ``index`` is :func:`service_index`; ``positions`` the rows' positions in it (looked up when not
    given). Names are joined and the order is :func:`service_answers`' (institution, code by its
    numeric parts, expert before self); score columns the rows carry follow the answer columns.
    """
    if positions is None:
        lookup = pd.Index(index["service_id"].to_numpy())
        positions = lookup.get_indexer(rows["service_id"].to_numpy())
    names = index.take(positions).reset_index(drop=True)
    order = np.lexsort((~rows["expert"].to_numpy(), names["rank"].to_numpy()))
    names = names.take(order).reset_index(drop=True)
    rows = rows.take(order).reset_index(drop=True)
    out = pd.DataFrame({
        "round": str(label), "source": np.where(rows["expert"].to_numpy(), "expert", "self"),
        "institution_id": rows["institution_id"], "institution_az": names["institution_az"],
        "institution_en": names["institution_en"], "kind": names["kind"], "service_id": rows["service_id"],
        "code": names["code"], "service_az": names["service_az"], "service_en": names["service_en"],
        "audience": names["audience"], "eu_service": names["eu_service"],
    })
    answer_cols = [c for c in ANSWER_COLUMNS if c in rows.columns]
    skip = {"round_id", "service_id", "institution_id", "expert", "validated", *answer_cols, "comment", "import_id"}
    extra = [c for c in rows.columns if c not in skip]
    return pd.concat([out, rows[[*answer_cols, "comment", "import_id", *extra]]], axis=1)


def service_index(st) -> pd.DataFrame:
    """Every visible service with its institution: ids, code, names, audience, kind, in display order.

    ``rank`` is the position in the order :func:`services` uses (institution,
    then code by its numeric parts), so that frames joined to it sort alike.
    Read through Arrow (fast for a hundred thousand services).
    """
    frame = st.arrow(f"""
        SELECT s.service_id, s.institution_id, i.name_az AS institution_az, i.name_en AS institution_en, i.kind,
               s.code, s.name_az AS service_az, s.name_en AS service_en, s.audience, s.eu_service
        FROM services s JOIN institutions i USING (institution_id)
        WHERE {_visible('s')} AND {_visible('i')}
        ORDER BY s.institution_id, {CODE_ORDER}""").to_pandas()
    frame["service_id"] = frame["service_id"].astype("int32")
    frame["institution_id"] = frame["institution_id"].astype("int32")
    frame["rank"] = np.arange(len(frame), dtype=np.int32)
    return frame


def services_of_codes(st, codes) -> pd.DataFrame:
    """Visible services carrying any of these codes (``service_id``, ``code``), in display order.

    The EU comparison needs the few dozen codes its mapping names, not the
    index of a country's hundred thousand services.
    """
    return st.df(f"""
        SELECT s.service_id, s.code FROM services s JOIN institutions i USING (institution_id)
        WHERE {_visible('s')} AND {_visible('i')} AND s.code IN (SELECT unnest(?))
        ORDER BY s.institution_id, {CODE_ORDER}""", [[str(c) for c in codes]])


def service_audiences(st) -> np.ndarray:
    """Audience of every service as a small code, indexed by service id: 1 citizen, 2 business, 0 none."""
    frame = st.arrow("""
        SELECT service_id, CASE audience WHEN 'citizen' THEN 1 WHEN 'business' THEN 2 ELSE 0 END::TINYINT AS a
        FROM services""")
    ids = frame.column("service_id").to_numpy()
    out = np.zeros(int(ids.max()) + 1 if len(ids) else 1, dtype=np.int8)
    out[ids] = frame.column("a").to_numpy()
    return out


def infrastructure_answers(st, round_label: str, source: str = "all", published_only: bool = False) -> pd.DataFrame:
    """Current infrastructure answers of a round; scope NULL means national.

    ``published_only``: the answers as they were at the round's last publication.

    ``source='all'`` returns every current row; ``validated`` keeps, per scope,
    the expert answers where an expert assessed that scope and self otherwise.
    """
    if source not in ("all", "self", "expert", "validated"):
        raise ValueError("source is 'all', 'self', 'expert' or 'validated'")
    with st.reading():  # the last publications and the rows, read by one lease
        df = st.df(f"""
        SELECT a.scope_institution_id, i.name_az AS scope_az, i.name_en AS scope_en, a.question_id, a.value,
               a.source, a.import_id
        FROM infrastructure_answers a JOIN rounds r USING (round_id)
             LEFT JOIN institutions i ON i.institution_id = a.scope_institution_id
        WHERE r.label = ? AND {_rows(st, 'infrastructure_answers', 'a', 'answer_id', published_only)}
        ORDER BY a.scope_institution_id NULLS FIRST,
                 try_cast(split_part(a.question_id, '.', 1) AS INTEGER),
                 try_cast(split_part(a.question_id, '.', 2) AS INTEGER), a.question_id, a.source""",
                   [str(round_label)])
    df["scope_institution_id"] = df["scope_institution_id"].astype("Int64")
    if source in ("self", "expert"):
        df = df[df["source"] == source]
    elif source == "validated" and len(df):
        scope = df["scope_institution_id"].fillna(-1).to_numpy(dtype=np.int64)
        expert = (df["source"] == "expert").to_numpy()
        has_expert = np.isin(scope, scope[expert])  # scopes an expert assessed keep the expert's answers only
        df = df[expert | ~has_expert]
    return df.reset_index(drop=True)


def coverage_rows(st, round_label: str, published_only: bool = False) -> pd.DataFrame:
    """Current coverage figures of a round, one row per institution (``published_only``: as last published)."""
    with st.reading():  # the last publications and the rows, read by one lease
        return st.df(f"""
        SELECT c.institution_id, i.name_az AS institution_az, i.name_en AS institution_en, i.kind,
               c.services_transferable, c.e_services_provided, c.import_id
        FROM coverage c JOIN rounds r USING (round_id) JOIN institutions i USING (institution_id)
        WHERE r.label = ? AND {_rows(st, 'coverage', 'c', 'coverage_id', published_only)}
        ORDER BY c.institution_id""", [str(round_label)])


def coverage_of_rounds(st, round_labels, published_only: bool = False) -> pd.DataFrame:
    """:func:`coverage_rows` of several rounds in one query, with the ``round`` label (for trends)."""
    labels = [str(x) for x in round_labels]
    with st.reading():  # the last publications and the rows, read by one lease
        return st.df(f"""
        SELECT r.label AS round, c.institution_id, i.name_az AS institution_az, i.name_en AS institution_en, i.kind,
               c.services_transferable, c.e_services_provided, c.import_id
        FROM coverage c JOIN rounds r USING (round_id) JOIN institutions i USING (institution_id)
        WHERE r.label IN (SELECT unnest(?)) AND {_rows(st, 'coverage', 'c', 'coverage_id', published_only)}
        ORDER BY r.label, c.institution_id""", [labels])


def imports(st) -> pd.DataFrame:
    """The import audit list, newest first (reverted ones included)."""
    return st.df("""
        SELECT m.import_id, m.file_name, m.sha256, m.size, m.actor, m.role, m."at", r.label AS round, m.source,
               m.kinds, m.counts, m.outcome, m."replace", m.warnings, m.reverted_at, m.reverted_by
        FROM imports m LEFT JOIN rounds r USING (round_id)
        ORDER BY m.import_id DESC""")


def portal_usage(st, period: str | None = None) -> pd.DataFrame:
    """Portal usage figures (current versions), one row per period and institution."""
    where = "AND p.period = ?" if period else ""
    return st.df(f"""
        SELECT p.period, p.institution_id, i.name_az AS institution_az, i.name_en AS institution_en,
               p.e_services_on_portal, p.uses, p.source, p.import_id
        FROM portal_usage p JOIN institutions i USING (institution_id)
        WHERE p.replaced_by_import IS NULL AND (p.import_id IS NULL OR p.import_id IN {LIVE_IMPORTS}) {where}
        ORDER BY p.period, p.uses DESC, p.institution_id""", [period] if period else [])


def answer_history(st, round_label: str, service_id: int) -> pd.DataFrame:
    """Every stored version of a service's answers in a round, newest first, with provenance.

    ``current`` marks the versions that the other queries show.
    """
    return st.df(f"""
        SELECT a.answer_id, r.label AS round, a.source, a.service_id, {Q}, a.comment, a.import_id,
               m.file_name, m.actor, m."at", m.outcome, a.replaced_by_import,
               (a.replaced_by_import IS NULL AND m.outcome = 'imported') AS current
        FROM service_answers a JOIN rounds r USING (round_id) JOIN imports m ON m.import_id = a.import_id
        WHERE r.label = ? AND a.service_id = ?
        ORDER BY a.answer_id DESC""", [str(round_label), int(service_id)])


def data_version(st) -> int:
    """A number that grows with every write (each write records an audit event): a cache key."""
    return int(st.scalar("SELECT coalesce(max(event_id), 0) FROM events"))


def events(st, limit: int | None = None) -> pd.DataFrame:
    """The audit trail, newest first; ``detail`` is JSON text."""
    lim = f"LIMIT {int(limit)}" if limit else ""
    return st.df(f"""
        SELECT e.event_id, e."at", e.actor, e.role, e.action, r.label AS round, e.round_id, e.institution_id,
               e.import_id, e.detail, e.reason
        FROM events e LEFT JOIN rounds r USING (round_id)
        ORDER BY e.event_id DESC {lim}""")


def event_actions(st) -> list[str]:
    """The distinct actions in the audit trail, sorted (the audit page's filter)."""
    return [r[0] for r in st.rows("SELECT DISTINCT action FROM events ORDER BY action")]


def review_states(st, round_label: str) -> pd.DataFrame:
    return st.df("""
        SELECT v.institution_id, i.name_az AS institution_az, i.name_en AS institution_en, v.state, v.reason,
               v.updated_at, v.updated_by
        FROM review_states v JOIN rounds r USING (round_id) JOIN institutions i USING (institution_id)
        WHERE r.label = ? ORDER BY v.institution_id""", [str(round_label)])


def round_methodology(st, round_label: str) -> str:
    """The methodology version id a round is scored with."""
    mid = st.scalar("SELECT methodology_id FROM rounds WHERE label = ?", [str(round_label)])
    if mid is None:
        raise LookupError(f"no round {round_label!r}")
    return mid


def methodologies(st) -> pd.DataFrame:
    return st.df("SELECT id, released, sha256, added_at, added_by FROM methodologies ORDER BY released, id")


@lru_cache(maxsize=32)
def _parse_cached(text: str, sha: str) -> Methodology:
    return parse_methodology_text(text, source=f"stored:{sha[:12]}")


def methodology(st, methodology_id: str) -> Methodology:
    """A methodology version as stored in the database (the text rounds were scored with)."""
    row = st.rows("SELECT yaml, sha256 FROM methodologies WHERE id = ?", [methodology_id])
    if not row:
        raise LookupError(f"no stored methodology {methodology_id!r}")
    return _parse_cached(row[0][0], row[0][1])


def load_round_methodology(st, round_label: str) -> Methodology:
    """The parsed methodology of a round (shortcut for the export and the pages)."""
    return methodology(st, round_methodology(st, round_label))


def content_fingerprint(st) -> str:
    """A SHA-256 over every table's rows in a stable order.

    Equal fingerprints mean equal content, whatever the file's physical layout
    (DuckDB may rewrite blocks without any logical change).
    """
    with st.reading():  # one lease for every table: a consistent reading, and one open instead of dozens
        return _fingerprint(st)


def _fingerprint(st) -> str:
    h = hashlib.sha256()
    # Known tables first, in their documented order, then any that later
    # migrations added, by name: the fingerprint never skips a table.
    present = [r[0] for r in st.rows(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE'")]
    for table in [t for t in TABLES if t in present] + sorted(t for t in present if t not in TABLES):
        cols = [r[0] for r in st.rows(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
            [table])]
        if not cols:
            continue
        order = ", ".join(f'"{c}"' for c in cols)
        h.update(f"\x1e{table}\x1f{','.join(cols)}\n".encode())
        for row in st.rows(f"SELECT * FROM {table} ORDER BY {order}"):
            h.update(json.dumps(row, default=str, ensure_ascii=False).encode())
            h.update(b"\n")
    return h.hexdigest()


def events_filtered(st, *, actions: list[str] | None = None, actor: str | None = None,
                    round_label: str | None = None, import_id: int | None = None,
                    since=None, until=None, text: str | None = None) -> pd.DataFrame:
    """The audit trail, newest first, narrowed by action, actor, round, import, time and free text."""
    where, params = ["TRUE"], []
    if actions:
        where.append("e.action IN (SELECT unnest(?))")
        params.append(list(actions))
    if actor:
        where.append("e.actor = ?")
        params.append(actor)
    if round_label:
        where.append("r.label = ?")
        params.append(str(round_label))
    if import_id is not None:
        where.append("e.import_id = ?")
        params.append(int(import_id))
    if since is not None:
        where.append('e."at" >= ?')
        params.append(since)
    if until is not None:
        where.append('e."at" < ?')
        params.append(until)
    if text and text.strip():
        where.append("(e.detail ILIKE ? OR coalesce(e.reason, '') ILIKE ?)")
        params += [f"%{text.strip()}%"] * 2
    return st.df(f"""
        SELECT e.event_id, e."at", e.actor, e.role, e.action, r.label AS round, e.institution_id,
               i.name_az AS institution_az, i.name_en AS institution_en, e.import_id, e.detail, e.reason
        FROM events e LEFT JOIN rounds r USING (round_id) LEFT JOIN institutions i ON i.institution_id = e.institution_id
        WHERE {' AND '.join(where)}
        ORDER BY e.event_id DESC""", params)


def event_of_import(st, import_id: int) -> int | None:
    """The audit event that wrote the values of an import (import, replace, agree or override)."""
    return st.scalar("SELECT min(event_id) FROM events WHERE import_id = ? AND action IN "
                     "('import', 'replace', 'agree', 'override')", [int(import_id)])


def publications(st, round_label: str | None = None) -> pd.DataFrame:
    where = "WHERE r.label = ?" if round_label else ""
    return st.df(f"""
        SELECT p.publication_id, r.label AS round, p."at", p.actor, p.fingerprint, p.event_id
        FROM publications p JOIN rounds r USING (round_id) {where} ORDER BY p.publication_id DESC""",
                 [str(round_label)] if round_label else [])


def review_decisions(st, round_label: str) -> pd.DataFrame:
    """Expert decisions (agree/override) of a round, newest first."""
    return st.df("""
        SELECT d.decision_id, d.service_id, s.institution_id, s.code, d.decision, d.comment, d.import_id, d.event_id,
               d."at", d.actor
        FROM review_decisions d JOIN rounds r USING (round_id) JOIN services s USING (service_id)
        WHERE r.label = ? ORDER BY d.decision_id DESC""", [str(round_label)])

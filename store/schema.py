"""Schema migrations: an ordered list of functions, applied once each.

``schema_version`` records every migration applied. Opening a file written by
an older version of the app applies the missing migrations in order, inside one
transaction, so a file is never left half-upgraded. A migration, once released,
is never edited: a change is a new function appended to :data:`MIGRATIONS`.

Why no foreign keys: DuckDB checks them eagerly and refuses some updates of
referenced rows; the write functions in ``store`` keep references consistent.
Why no primary keys on the answer tables: rows there are append-only versions,
and DuckDB updates of indexed tables are costlier; ids are still unique.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import duckdb

ANSWER_COLUMNS = [f"q{i}" for i in range(1, 18)]


def _v1_core(cur: duckdb.DuckDBPyConnection) -> None:
    """Registry, methodologies, rounds, imports, answers, portal usage, audit trail."""
    cur.execute("""
        CREATE TABLE methodologies (
            id VARCHAR PRIMARY KEY,
            released DATE NOT NULL,
            yaml VARCHAR NOT NULL,
            sha256 VARCHAR NOT NULL,
            added_at TIMESTAMP NOT NULL,
            added_by VARCHAR NOT NULL
        )""")
    cur.execute("""
        CREATE TABLE institutions (
            institution_id INTEGER PRIMARY KEY,
            name_az VARCHAR NOT NULL,
            name_en VARCHAR,
            kind VARCHAR NOT NULL DEFAULT 'central' CHECK (kind IN ('central', 'regional', 'local')),
            parent_id INTEGER,
            created_at TIMESTAMP NOT NULL,
            created_by_import INTEGER
        )""")
    cur.execute("""
        CREATE TABLE services (
            service_id INTEGER PRIMARY KEY,
            institution_id INTEGER NOT NULL,
            code VARCHAR NOT NULL,
            name_az VARCHAR,
            name_en VARCHAR,
            audience VARCHAR CHECK (audience IN ('citizen', 'business')),
            eu_service VARCHAR,
            created_at TIMESTAMP NOT NULL,
            created_by_import INTEGER,
            UNIQUE (institution_id, code)
        )""")
    cur.execute("""
        CREATE TABLE rounds (
            round_id INTEGER PRIMARY KEY,
            label VARCHAR NOT NULL UNIQUE,
            methodology_id VARCHAR NOT NULL,
            status VARCHAR NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
            published BOOLEAN NOT NULL DEFAULT FALSE,
            published_at TIMESTAMP,
            illustrative BOOLEAN NOT NULL DEFAULT FALSE,
            opened_at TIMESTAMP NOT NULL,
            opened_by VARCHAR NOT NULL
        )""")
    cur.execute("""
        CREATE TABLE imports (
            import_id INTEGER PRIMARY KEY,
            file_name VARCHAR NOT NULL,
            sha256 VARCHAR NOT NULL,
            size BIGINT,
            actor VARCHAR NOT NULL,
            role VARCHAR NOT NULL,
            "at" TIMESTAMP NOT NULL,
            round_id INTEGER,
            source VARCHAR,
            kinds VARCHAR NOT NULL,
            counts VARCHAR NOT NULL,
            outcome VARCHAR NOT NULL CHECK (outcome IN ('imported', 'reverted')),
            "replace" BOOLEAN NOT NULL DEFAULT FALSE,
            warnings VARCHAR NOT NULL DEFAULT '[]',
            reverted_at TIMESTAMP,
            reverted_by VARCHAR
        )""")
    answers = ",\n".join(f"{q} TINYINT NOT NULL CHECK ({q} IN (0, 1))" for q in ANSWER_COLUMNS)
    cur.execute(f"""
        CREATE TABLE service_answers (
            answer_id BIGINT NOT NULL,
            round_id INTEGER NOT NULL,
            source VARCHAR NOT NULL CHECK (source IN ('self', 'expert')),
            service_id INTEGER NOT NULL,
            {answers},
            comment VARCHAR,
            import_id INTEGER NOT NULL,
            replaced_by_import INTEGER,
            created_at TIMESTAMP NOT NULL
        )""")
    cur.execute("""
        CREATE TABLE infrastructure_answers (
            answer_id BIGINT NOT NULL,
            round_id INTEGER NOT NULL,
            source VARCHAR NOT NULL CHECK (source IN ('self', 'expert')),
            scope_institution_id INTEGER,
            question_id VARCHAR NOT NULL,
            value DOUBLE NOT NULL,
            import_id INTEGER NOT NULL,
            replaced_by_import INTEGER,
            created_at TIMESTAMP NOT NULL
        )""")
    cur.execute("""
        CREATE TABLE coverage (
            coverage_id BIGINT NOT NULL,
            round_id INTEGER NOT NULL,
            institution_id INTEGER NOT NULL,
            services_transferable INTEGER NOT NULL CHECK (services_transferable >= 0),
            e_services_provided INTEGER NOT NULL CHECK (e_services_provided >= 0),
            import_id INTEGER NOT NULL,
            replaced_by_import INTEGER,
            created_at TIMESTAMP NOT NULL
        )""")
    cur.execute("""
        CREATE TABLE portal_usage (
            usage_id BIGINT NOT NULL,
            period VARCHAR NOT NULL,
            institution_id INTEGER NOT NULL,
            e_services_on_portal INTEGER,
            uses BIGINT,
            source VARCHAR,
            import_id INTEGER,
            replaced_by_import INTEGER,
            created_at TIMESTAMP NOT NULL
        )""")
    cur.execute("""
        CREATE TABLE events (
            event_id BIGINT NOT NULL,
            "at" TIMESTAMP NOT NULL,
            actor VARCHAR NOT NULL,
            role VARCHAR NOT NULL,
            action VARCHAR NOT NULL,
            round_id INTEGER,
            institution_id INTEGER,
            import_id INTEGER,
            detail VARCHAR NOT NULL DEFAULT '{}',
            reason VARCHAR
        )""")


def _v2_review_states(cur: duckdb.DuckDBPyConnection) -> None:
    """Review workflow state per round and institution (approved = locked)."""
    cur.execute("""
        CREATE TABLE review_states (
            round_id INTEGER NOT NULL,
            institution_id INTEGER NOT NULL,
            state VARCHAR NOT NULL CHECK (state IN ('submitted', 'under_review', 'approved', 'returned')),
            reason VARCHAR,
            updated_at TIMESTAMP NOT NULL,
            updated_by VARCHAR NOT NULL,
            PRIMARY KEY (round_id, institution_id)
        )""")


def _v3_roles_publications(cur: duckdb.DuckDBPyConnection) -> None:
    """Roles by e-mail (single sign-on), publication snapshots, expert review decisions."""
    cur.execute("""
        CREATE TABLE roles (
            email VARCHAR PRIMARY KEY,
            role VARCHAR NOT NULL CHECK (role IN ('viewer', 'expert', 'admin')),
            name VARCHAR,
            updated_at TIMESTAMP NOT NULL,
            updated_by VARCHAR NOT NULL
        )""")
    cur.execute("""
        CREATE TABLE publications (
            publication_id INTEGER NOT NULL,
            round_id INTEGER NOT NULL,
            "at" TIMESTAMP NOT NULL,
            actor VARCHAR NOT NULL,
            fingerprint VARCHAR NOT NULL,
            snapshot VARCHAR NOT NULL,
            event_id BIGINT
        )""")
    cur.execute("""
        CREATE TABLE review_decisions (
            decision_id BIGINT NOT NULL,
            round_id INTEGER NOT NULL,
            service_id INTEGER NOT NULL,
            decision VARCHAR NOT NULL CHECK (decision IN ('agree', 'override')),
            comment VARCHAR,
            import_id INTEGER NOT NULL,
            event_id BIGINT NOT NULL,
            "at" TIMESTAMP NOT NULL,
            actor VARCHAR NOT NULL
        )""")


def _v4_round_calendar(cur: duckdb.DuckDBPyConnection) -> None:
    """A round's collection calendar: the deadline that decides lateness, the date editing closes."""
    cur.execute("ALTER TABLE rounds ADD COLUMN deadline DATE")
    cur.execute("ALTER TABLE rounds ADD COLUMN closes DATE")


def _round_notes(cur: duckdb.DuckDBPyConnection) -> None:
    """Notes a round carries for its readers (a methodology note: why values moved), in both languages."""
    cur.execute("""
        CREATE TABLE round_notes (
            note_id INTEGER NOT NULL,
            round_id INTEGER NOT NULL,
            kind VARCHAR NOT NULL DEFAULT 'methodology' CHECK (kind IN ('methodology', 'general')),
            text_az VARCHAR NOT NULL,
            text_en VARCHAR,
            "at" TIMESTAMP NOT NULL,
            actor VARCHAR NOT NULL,
            removed_at TIMESTAMP
        )""")


def _agendas(cur: duckdb.DuckDBPyConnection) -> None:
    """Named presentation agendas: which slides and institutions, in which order (reports, issue 14)."""
    cur.execute("""
        CREATE TABLE agendas (
            agenda_id INTEGER PRIMARY KEY,
            name VARCHAR NOT NULL UNIQUE,
            slides VARCHAR NOT NULL,
            institutions VARCHAR NOT NULL DEFAULT '[]',
            created_at TIMESTAMP NOT NULL,
            created_by VARCHAR NOT NULL,
            updated_at TIMESTAMP NOT NULL,
            updated_by VARCHAR NOT NULL
        )""")


def _operations(cur: duckdb.DuckDBPyConnection) -> None:
    """Original bytes of imported files (by content), sign-in throttling shared by every process, settings."""
    import secrets

    cur.execute("""
        CREATE TABLE originals (
            sha256 VARCHAR PRIMARY KEY,
            size BIGINT NOT NULL,
            content BLOB NOT NULL,
            stored_at TIMESTAMP NOT NULL
        )""")
    cur.execute("""
        CREATE TABLE sign_in_throttle (
            subject VARCHAR PRIMARY KEY,
            account VARCHAR,
            failures INTEGER NOT NULL,
            first_failure TIMESTAMP NOT NULL,
            last_failure TIMESTAMP NOT NULL,
            locked_until TIMESTAMP
        )""")
    cur.execute("CREATE TABLE settings (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)")
    # Keys the throttling table by a keyed hash of typed user names (see store.throttle).
    cur.execute("INSERT INTO settings VALUES ('throttle_key', ?)", [secrets.token_hex(32)])


def _aliases_public_rows(cur: duckdb.DuckDBPyConnection) -> None:
    """Administrators' aliases of institution names; the exact rows each publication made public.

    Rounds published before this migration get their public rows recorded from
    what visitors saw until now (current values of institutions approved no
    later than the last publication), under that publication.
    """
    cur.execute("""
        CREATE TABLE institution_aliases (
            alias_id INTEGER NOT NULL,
            institution_id INTEGER NOT NULL,
            alias VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL,
            created_by VARCHAR NOT NULL,
            removed_at TIMESTAMP,
            removed_by VARCHAR
        )""")
    cur.execute("""
        CREATE TABLE publication_rows (
            publication_id INTEGER NOT NULL,
            round_id INTEGER NOT NULL,
            kind VARCHAR NOT NULL CHECK (kind IN ('service_answers', 'coverage', 'infrastructure_answers')),
            row_id BIGINT NOT NULL
        )""")
    # The row selection repeats store.publication's on purpose: a migration is frozen once released,
    # while the publication code may change; this one records what visitors saw under the old rule.
    live = "(SELECT import_id FROM imports WHERE outcome = 'imported')"
    published = cur.execute("SELECT round_id, coalesce(published_at, opened_at) FROM rounds WHERE published").fetchall()
    for rid, at in published:
        pid = cur.execute("SELECT max(publication_id) FROM publications WHERE round_id = ?", [rid]).fetchone()[0]
        if pid is None:
            pid = cur.execute("SELECT coalesce(max(publication_id), 0) + 1 FROM publications").fetchone()[0]
            cur.execute("INSERT INTO publications VALUES (?, ?, ?, 'migration', '', '{}', NULL)", [pid, rid, at])
        approved = ("(SELECT institution_id FROM review_states WHERE round_id = ? AND state = 'approved' "
                    "AND updated_at <= ?)")
        cur.execute(f"""
            INSERT INTO publication_rows
            SELECT ?, ?, 'service_answers', a.answer_id FROM service_answers a JOIN services s USING (service_id)
            WHERE a.round_id = ? AND a.replaced_by_import IS NULL AND a.import_id IN {live}
              AND s.institution_id IN {approved}
            UNION ALL SELECT ?, ?, 'coverage', c.coverage_id FROM coverage c
            WHERE c.round_id = ? AND c.replaced_by_import IS NULL AND c.import_id IN {live}
              AND c.institution_id IN {approved}
            UNION ALL SELECT ?, ?, 'infrastructure_answers', x.answer_id FROM infrastructure_answers x
            WHERE x.round_id = ? AND x.replaced_by_import IS NULL AND x.import_id IN {live}
              AND (x.scope_institution_id IS NULL OR x.scope_institution_id IN {approved})""",
                    [pid, rid, rid, rid, at, pid, rid, rid, rid, at, pid, rid, rid, rid, at])


def _collection(cur: duckdb.DuckDBPyConnection) -> None:
    """Online collection: respondents (roles by e-mail gain an institution), submitters, frozen round
    contents, extensions, drafts with versions and an append-only change log, submissions and review flags."""
    # DuckDB cannot drop a CHECK constraint: the roles table is rebuilt with the respondent role.
    cur.execute("""
        CREATE TABLE roles_v5 (
            email VARCHAR PRIMARY KEY,
            role VARCHAR NOT NULL CHECK (role IN ('viewer', 'respondent', 'expert', 'admin')),
            name VARCHAR,
            updated_at TIMESTAMP NOT NULL,
            updated_by VARCHAR NOT NULL,
            institution_id INTEGER,
            CHECK ((role = 'respondent') = (institution_id IS NOT NULL))
        )""")
    cur.execute("INSERT INTO roles_v5 SELECT email, role, name, updated_at, updated_by, NULL FROM roles")
    cur.execute("DROP TABLE roles")
    cur.execute("ALTER TABLE roles_v5 RENAME TO roles")
    cur.execute("""
        CREATE TABLE submitters (
            institution_id INTEGER PRIMARY KEY,
            login VARCHAR NOT NULL,
            set_at TIMESTAMP NOT NULL,
            set_by VARCHAR NOT NULL
        )""")
    cur.execute("""
        CREATE TABLE collection_rounds (
            round_id INTEGER PRIMARY KEY,
            methodology_id VARCHAR NOT NULL,
            questions VARCHAR NOT NULL,
            opened_at TIMESTAMP NOT NULL,
            opened_by VARCHAR NOT NULL
        )""")
    cur.execute("""
        CREATE TABLE collection_services (
            round_id INTEGER NOT NULL,
            institution_id INTEGER NOT NULL,
            service_id INTEGER NOT NULL,
            code VARCHAR NOT NULL,
            name_az VARCHAR,
            name_en VARCHAR,
            audience VARCHAR,
            PRIMARY KEY (round_id, service_id)
        )""")
    cur.execute("""
        CREATE TABLE collection_extensions (
            extension_id BIGINT NOT NULL,
            round_id INTEGER NOT NULL,
            institution_id INTEGER NOT NULL,
            deadline DATE NOT NULL,
            closes DATE,
            reason VARCHAR NOT NULL,
            "at" TIMESTAMP NOT NULL,
            actor VARCHAR NOT NULL
        )""")
    states = "CHECK (state IN ('new', 'carried', 'confirmed', 'changed'))"
    cur.execute(f"""
        CREATE TABLE form_items (
            item_id BIGINT PRIMARY KEY,
            round_id INTEGER NOT NULL,
            institution_id INTEGER NOT NULL,
            service_id INTEGER,
            origin VARCHAR NOT NULL CHECK (origin IN ('registry', 'proposed')),
            code VARCHAR,
            name VARCHAR,
            audience VARCHAR,
            state VARCHAR NOT NULL {states},
            carried_from VARCHAR,
            not_applicable BOOLEAN NOT NULL DEFAULT FALSE,
            na_reason VARCHAR,
            note VARCHAR,
            withdrawn BOOLEAN NOT NULL DEFAULT FALSE,
            version INTEGER NOT NULL,
            updated_at TIMESTAMP NOT NULL,
            updated_by VARCHAR NOT NULL
        )""")
    cur.execute("""
        CREATE TABLE form_answers (
            item_id BIGINT NOT NULL,
            indicator SMALLINT NOT NULL,
            value TINYINT CHECK (value IN (0, 1)),
            comment VARCHAR,
            evidence VARCHAR,
            PRIMARY KEY (item_id, indicator)
        )""")
    cur.execute(f"""
        CREATE TABLE form_coverage (
            round_id INTEGER NOT NULL,
            institution_id INTEGER NOT NULL,
            transferable INTEGER CHECK (transferable >= 0),
            provided INTEGER CHECK (provided >= 0),
            state VARCHAR NOT NULL {states},
            carried_from VARCHAR,
            version INTEGER NOT NULL,
            updated_at TIMESTAMP NOT NULL,
            updated_by VARCHAR NOT NULL,
            PRIMARY KEY (round_id, institution_id)
        )""")
    cur.execute("""
        CREATE TABLE form_changes (
            change_id BIGINT NOT NULL,
            round_id INTEGER NOT NULL,
            institution_id INTEGER NOT NULL,
            item_id BIGINT,
            field VARCHAR NOT NULL,
            old VARCHAR,
            new VARCHAR,
            version INTEGER NOT NULL,
            "at" TIMESTAMP NOT NULL,
            actor VARCHAR NOT NULL,
            role VARCHAR NOT NULL,
            via VARCHAR NOT NULL
        )""")
    cur.execute("""
        CREATE TABLE form_submissions (
            submission_id INTEGER NOT NULL,
            round_id INTEGER NOT NULL,
            institution_id INTEGER NOT NULL,
            import_id INTEGER,
            "at" TIMESTAMP NOT NULL,
            actor VARCHAR NOT NULL,
            deadline DATE,
            late BOOLEAN NOT NULL,
            snapshot VARCHAR NOT NULL,
            event_id BIGINT
        )""")
    cur.execute("""
        CREATE TABLE form_flags (
            flag_id BIGINT NOT NULL,
            round_id INTEGER NOT NULL,
            institution_id INTEGER NOT NULL,
            submission_id INTEGER,
            item_id BIGINT NOT NULL,
            indicator SMALLINT,
            comment VARCHAR NOT NULL,
            "at" TIMESTAMP NOT NULL,
            actor VARCHAR NOT NULL,
            resolved_at TIMESTAMP,
            resolved_by VARCHAR
        )""")


# Append only; a function here is never edited once released.
MIGRATIONS: list[Callable[[duckdb.DuckDBPyConnection], None]] = [
    _v1_core, _v2_review_states, _v3_roles_publications, _v4_round_calendar, _round_notes, _agendas, _operations,
    _aliases_public_rows,
    _collection,
]
LATEST = len(MIGRATIONS)

# Tables in a stable order, for fingerprints and dumps.
TABLES = [
    "schema_version", "methodologies", "institutions", "services", "rounds", "imports",
    "service_answers", "infrastructure_answers", "coverage", "portal_usage", "events", "review_states",
    "roles", "publications", "review_decisions", "round_notes", "agendas", "originals", "sign_in_throttle",
    "settings", "institution_aliases", "publication_rows",
    "submitters", "collection_rounds", "collection_services", "collection_extensions", "form_items", "form_answers",
    "form_coverage", "form_changes", "form_submissions", "form_flags",
]


def current_version(cur: duckdb.DuckDBPyConnection) -> int:
    exists = cur.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()[0]
    if not exists:
        return 0
    return cur.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]


def migrate(st, target: int | None = None) -> int:
    """Apply the missing migrations up to ``target`` (default: all); returns the version."""
    target = LATEST if target is None else target
    # Read first: an up-to-date file is opened without a write lease (other processes may be reading it).
    if os.path.exists(st.path):
        with st.reading() as cur:
            have = current_version(cur)
        if have > LATEST:
            raise RuntimeError(f"database schema version {have} is newer than this program ({LATEST}); update the program")
        if have >= target:
            return have
    with st.transaction() as cur:
        cur.execute(
            "CREATE TABLE IF NOT EXISTS schema_version ("
            "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
        )
        have = current_version(cur)
        if have > LATEST:
            raise RuntimeError(
                f"database schema version {have} is newer than this program ({LATEST}); update the program"
            )
        for version in range(have + 1, target + 1):
            fn = MIGRATIONS[version - 1]
            fn(cur)
            cur.execute(
                "INSERT INTO schema_version VALUES (?, ?, current_timestamp::TIMESTAMP)",
                [version, fn.__name__.lstrip("_")],
            )
        return max(have, target)

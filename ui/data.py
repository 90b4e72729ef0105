"""Cached loaders: what pages draw, read from the store and scored by the core.

Pages call these and draw; they hold no SQL and no scoring rules. Every loader
is keyed by the database path and the store's data version, so a write in any
process shows up on the next run; ``clear()`` drops the cache after a write here.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

import scoring
from l10n import sort_key
from store import queries
from store.db import open_store

TTL = 300


def store():
    return open_store()


def db_key() -> tuple[str, str, str]:
    """Cache key: database path, data version and audience (``public`` for visitors and respondents).

    The audience is part of the key so that visitors' cached frames, which the
    store filtered to published and approved values, never serve a signed-in
    user, and the other way round.
    """
    from ui.session import sees_unpublished

    st_ = store()
    audience = "signed-in" if sees_unpublished() else "public"
    return str(st_.path), st_.version_key(), audience


def is_public(key: tuple) -> bool:
    """True when the key belongs to an anonymous visitor (published, approved values only)."""
    return len(key) < 3 or key[2] == "public"


def viewer_can_see(key: tuple, label: str | None) -> bool:
    """Whether the round may be shown to this audience (visitors: published rounds only)."""
    return label is not None and label in visible_rounds(key, not is_public(key))["label"].tolist()


def clear() -> None:
    st.cache_data.clear()


@st.cache_data(ttl=TTL, show_spinner=False)
def rounds(key: tuple[str, str]) -> pd.DataFrame:
    return queries.rounds(store()).sort_values("label").reset_index(drop=True)


def visible_rounds(key: tuple[str, str], signed_in: bool) -> pd.DataFrame:
    """Rounds a user may see: all for signed-in users, published ones for visitors."""
    r = rounds(key)
    return r if signed_in else r[r["published"].astype(bool)].reset_index(drop=True)


def previous_round(key: tuple[str, str], label: str, signed_in: bool) -> str | None:
    r = visible_rounds(key, signed_in)
    labels = r["label"].tolist()
    if label not in labels:
        return None
    i = labels.index(label)
    return labels[i - 1] if i > 0 else None


@st.cache_resource(show_spinner=False, max_entries=64)
def methodology_of(key: tuple[str, str], label: str) -> scoring.Methodology:
    """The methodology version a round was opened with, as stored with the round.

    A resource cache: the parsed version is shared, not copied, by every loader of a run.
    """
    return queries.load_round_methodology(store(), label)


@st.cache_data(ttl=TTL, show_spinner=False)
def institutions(key: tuple[str, str]) -> pd.DataFrame:
    return queries.institutions(store())


def institution_names(key: tuple, ids, lang: str) -> dict[int, str]:
    """institution_id → its name in ``lang`` (the Azerbaijani name where no English one is registered)."""
    inst = institutions(key).set_index("institution_id")
    names = inst["name_en"].fillna(inst["name_az"]) if lang == "en" else inst["name_az"]
    return {int(i): str(names.get(int(i), i)) for i in ids}


@st.cache_data(ttl=TTL, show_spinner=False)
def service_names(key: tuple, lang: str) -> dict[int, str]:
    """service_id → ``code · name`` in ``lang`` (the Azerbaijani name where no English one is registered)."""
    svc = queries.services(store())
    names = svc["name_en"].fillna(svc["name_az"]) if lang == "en" else svc["name_az"].fillna(svc["name_en"])
    return {int(i): f"{c} · {n}" for i, c, n in zip(svc["service_id"], svc["code"], names.fillna(""))}


@st.cache_data(ttl=TTL, show_spinner=False)
def scored_services(key: tuple[str, str], label: str, source: str) -> pd.DataFrame:
    """Current answers of a round with level, level columns and corruption score."""
    m = methodology_of(key, label)
    answers = queries.service_answers(store(), label, source, published_only=is_public(key))
    return scoring.score_answers(answers.reset_index(drop=True), m)


@st.cache_data(ttl=TTL, show_spinner=False)
def coverage(key: tuple[str, str], label: str) -> pd.DataFrame:
    return scoring.coverage_frame(queries.coverage_rows(store(), label, published_only=is_public(key)))


@st.cache_data(ttl=TTL, show_spinner=False)
def infrastructure_answers(key: tuple[str, str], label: str) -> pd.DataFrame:
    return queries.infrastructure_answers(store(), label, source="validated", published_only=is_public(key))


def infrastructure_scores(key: tuple[str, str], label: str) -> pd.DataFrame:
    """Component scores and index per scope (``scope`` None = national)."""
    m = methodology_of(key, label)
    ans = infrastructure_answers(key, label)
    if ans.empty:
        return pd.DataFrame(columns=["scope", *[c.id for c in m.components], "index"])
    return scoring.infrastructure_frame(ans.rename(columns={"scope_institution_id": "scope"}), m)


def national_infrastructure(key: tuple[str, str], label: str) -> pd.Series | None:
    s = infrastructure_scores(key, label)
    nat = s[s["scope"].isna()]
    return nat.iloc[0] if len(nat) else None


@st.cache_data(ttl=TTL, show_spinner=False)
def plain_board(key: tuple[str, str], label: str, source: str) -> pd.DataFrame:
    """Figures and lights per institution for one round (no names, no change)."""
    return scoring.institution_board(scored_services(key, label, source), coverage(key, label),
                                     infrastructure_answers(key, label), methodology_of(key, label))


@st.cache_data(ttl=TTL, show_spinner=False)
def board(key: tuple[str, str], label: str, source: str, previous: str | None) -> pd.DataFrame:
    """The institution board with names, kinds and change since the previous round.

    No change is shown across a methodology change: the two boards are on different scales.
    """
    b = plain_board(key, label, source)
    comparable = previous and methodology_of(key, previous).id == methodology_of(key, label).id
    changes = scoring.board_changes(b, plain_board(key, previous, source) if comparable else None)
    names = institutions(key)[["institution_id", "name_az", "name_en", "kind"]]
    out = b.merge(changes, on="institution_id", how="left").merge(names, on="institution_id", how="left")
    scored = scored_services(key, label, source)
    audiences = scored.groupby("institution_id")["audience"].agg(lambda s: sorted(set(s.dropna()))) if len(scored) else None
    out["audiences"] = out["institution_id"].map(audiences) if audiences is not None else None
    out["audiences"] = out["audiences"].apply(lambda v: v if isinstance(v, list) else [])
    return out


@st.cache_data(ttl=TTL, show_spinner=False)
def round_notes(key: tuple) -> pd.DataFrame:
    """The notes of the rounds this audience may see (visitors: published rounds only)."""
    return queries.round_notes(store(), published_only=is_public(key))


def notes_of(key: tuple, label: str | None) -> pd.DataFrame:
    notes = round_notes(key)
    return notes[notes["round"] == label] if label else notes.iloc[0:0]


def summary(key: tuple[str, str], label: str, source: str) -> dict:
    nat = national_infrastructure(key, label)
    return scoring.round_summary(
        scored_services(key, label, source), coverage(key, label), None if nat is None else float(nat["index"])
    )


def filter_board(board: pd.DataFrame, *, kinds, audiences, query: str, lang: str, sort: str) -> pd.DataFrame:
    """Board rows matching the filters, sorted (names ascending, figures descending).

    The search ignores case and Azerbaijani letters (``Sehiyye`` finds ``Səhiyyə``): both sides go
    through the importer's name folding, :func:`ingest.registry.fold`.
    """
    from ingest.registry import fold

    out = board
    if kinds:
        out = out[out["kind"].isin(kinds)]
    if audiences:
        out = out[out["audiences"].apply(lambda a: bool(set(a) & set(audiences)))]
    if query and query.strip():
        q = fold(query)
        hay = (out["name_az"].fillna("") + " | " + out["name_en"].fillna("")).map(fold)
        out = out[hay.str.contains(q, regex=False)]
    if sort == "name":
        col = "name_az" if lang == "az" else "name_en"
        return out.sort_values(col, key=lambda s: s.fillna("").map(lambda name: sort_key(name, lang)))
    return out.sort_values(sort, ascending=False, na_position="last")


def institution_history(key: tuple[str, str], institution_id: int, source: str, signed_in: bool) -> pd.DataFrame:
    """Mean level, coverage and corruption of one institution in every visible round."""
    rows = []
    for label in visible_rounds(key, signed_in)["label"]:
        b = plain_board(key, label, source)
        r = b[b["institution_id"] == institution_id]
        if r.empty:
            continue
        r = r.iloc[0]
        rows.append({"round": label, "mean_level": r["mean_level"], "coverage_pct": r["coverage_pct"],
                     "mean_corruption": r["mean_corruption"], "methodology": methodology_of(key, label).id})
    return pd.DataFrame(rows)


def self_and_expert(key: tuple[str, str], label: str, service_id: int) -> pd.DataFrame | None:
    """Self and expert answers of one service side by side, or None unless both exist."""
    s = scored_services(key, label, "self")
    e = scored_services(key, label, "expert")
    s, e = s[s["service_id"] == service_id], e[e["service_id"] == service_id]
    if s.empty or e.empty:
        return None
    return pd.concat([s.assign(source="self"), e.assign(source="expert")], ignore_index=True)


@st.cache_data(ttl=TTL, show_spinner=False)
def answer_history(key: tuple[str, str], label: str, service_id: int) -> pd.DataFrame:
    """Every stored version (signed-in users only: versions under review are not public)."""
    hist = queries.answer_history(store(), label, service_id)
    return hist.iloc[0:0] if is_public(key) else hist


def radar_frame(m: scoring.Methodology, lang: str, series: dict) -> pd.DataFrame:
    """Long frame for the radar chart: component label, score 0–1, series name."""
    rows = []
    for name, scores in series.items():
        for c in m.components:
            rows.append({"component": c.name.get(lang), "score": float(scores[c.id]), "series": str(name)})
    return pd.DataFrame(rows)


def infrastructure_by_institution(key: tuple[str, str], label: str, lang: str) -> pd.DataFrame:
    """Component scores and index per assessed institution, named in the user's language, each with its light."""
    from ui.grid import Col, describe
    from ui.i18n import t

    m = methodology_of(key, label)
    s = infrastructure_scores(key, label)
    s = s[s["scope"].notna()]
    if s.empty:
        return pd.DataFrame()
    names = institutions(key).set_index("institution_id")
    col = "name_az" if lang == "az" else "name_en"
    ids = s["scope"].astype(int)
    inst = t("col.institution", lang)
    out = pd.DataFrame({inst: ids.map(names[col].fillna(names["name_az"])).to_numpy()})
    spec = {inst: Col("text", pinned=True, width=260)}
    parts = [(c.id, c.name.get(lang)) for c in m.components] + [("index", t("metric.infrastructure_index", lang))]
    for cid, head in parts:
        values = s[cid].astype(float).to_numpy()
        out[head] = values
        out[f"{cid}_light"] = [scoring.traffic_light("infrastructure", float(v), m) for v in values]
        spec[head] = Col("light", digits=2, light=f"{cid}_light")
    return describe(out.sort_values(inst, key=lambda x: x.map(lambda name: sort_key(name, lang)))
                    .reset_index(drop=True), spec)


def methodology_versions(key: tuple[str, str]) -> list[scoring.Methodology]:
    """Every known methodology version, oldest first."""
    ids = queries.methodologies(store()).sort_values(["released", "id"])["id"].tolist()
    return [queries.methodology(store(), i) for i in ids]


def rounds_using(key: tuple[str, str], methodology_id: str, signed_in: bool) -> list[str]:
    r = visible_rounds(key, signed_in)
    return r.loc[r["methodology_id"] == methodology_id, "label"].tolist()


@st.cache_data(ttl=TTL, show_spinner=False)
def template_bytes(kind: str, lang: str, round_label: str | None) -> bytes:
    """A blank exchange workbook of the newest methodology, with the registry's names."""
    from ingest.registry import Registry
    from ingest.templates import build_template

    inst, serv = queries.registry_frames(store())
    return build_template(kind, lang, scoring.load_methodology(), Registry.from_frames(inst, serv), round_label)


def run_import(files, actor, *, dry_run: bool, replace: bool, add_institutions: bool, lang: str, progress=None):
    """Check (dry run) or import uploaded workbooks through the pipeline."""
    from ingest.pipeline import import_files

    return import_files(store(), files, actor, dry_run=dry_run, replace=replace, add_institutions=add_institutions,
                        lang=lang, progress=progress)


def import_history(key: tuple[str, str]) -> pd.DataFrame:
    return queries.imports(store())


def revert(actor, import_id: int, reason: str, lang: str) -> tuple[bool, str]:
    """Revert an import; returns (ok, message in the user's language)."""
    from store.actors import PermissionDenied
    from store.db import StoreBusy
    from store.imports import revert_import
    from ui.i18n import t
    from ui.safe import md

    try:
        revert_import(store(), actor, import_id, reason=reason or None)
    except (PermissionDenied, StoreBusy) as exc:
        return False, exc.message(lang)
    except (ValueError, LookupError) as exc:
        return False, t("data.revert.failed", lang, error=md(error_text(exc, lang)))
    return True, t("data.revert.done", lang, id=import_id)


def error_text(exc: BaseException, lang: str) -> str:
    """What a refused write says to the user: the store's message in their language where it has one."""
    message = getattr(exc, "message", None)
    if callable(message):
        try:
            return str(message(lang))
        except TypeError:
            pass
    return str(exc)


# -- review, discrepancy, audit, administration ------------------------------------

def review_overview(key: tuple, label: str) -> pd.DataFrame:
    """Institutions with data in a round and their review state (None: not started)."""
    from store.publication import review_overview as overview

    rows = overview(store(), label)
    return pd.DataFrame(rows, columns=["institution_id", "name_az", "state"])


def review_states(key: tuple, label: str) -> pd.DataFrame:
    return queries.review_states(store(), label)


def side_by_side(key: tuple, label: str, institution_id: int) -> pd.DataFrame:
    """Self and expert answers of one institution's services (one row per service and source)."""
    s = queries.service_answers(store(), label, "self")
    e = queries.service_answers(store(), label, "expert")
    both = pd.concat([s, e], ignore_index=True)
    return both[both["institution_id"] == int(institution_id)].reset_index(drop=True)


def _pairs(key: tuple, label: str) -> tuple[pd.DataFrame, list[str]]:
    """Services assessed by both sources, self and expert answers joined."""
    m = methodology_of(key, label)
    cols = list(m.answer_columns)
    s = queries.service_answers(store(), label, "self", published_only=is_public(key))
    e = queries.service_answers(store(), label, "expert", published_only=is_public(key))
    keep = ["service_id", "institution_id", "institution_az", "institution_en", "code", *cols]
    return s[keep].merge(e[["service_id", *cols]], on="service_id", suffixes=("_self", "_expert")), cols


@st.cache_data(ttl=TTL, show_spinner=False)
def discrepancy(key: tuple, label: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Where self-assessment and expert disagree: (by indicator, by institution).

    ``over`` counts "yes" by the provider that the expert read as "no" (claimed
    but not found), ``under`` the opposite; ``rate`` = differing answers / pairs.
    """
    pairs, cols = _pairs(key, label)
    over = pd.DataFrame({c: (pairs[f"{c}_self"] == 1) & (pairs[f"{c}_expert"] == 0) for c in cols})
    under = pd.DataFrame({c: (pairs[f"{c}_self"] == 0) & (pairs[f"{c}_expert"] == 1) for c in cols})
    n = len(pairs)
    by_ind = pd.DataFrame({"indicator": cols, "pairs": n, "over": over.sum().to_numpy(), "under": under.sum().to_numpy()})
    by_ind["rate"] = (by_ind["over"] + by_ind["under"]) / n if n else 0.0
    per_service = pd.DataFrame({"institution_id": pairs["institution_id"], "institution_az": pairs["institution_az"],
                                "institution_en": pairs["institution_en"],
                                "over": over.sum(axis=1), "under": under.sum(axis=1)})
    by_inst = per_service.groupby(["institution_id", "institution_az", "institution_en"], as_index=False).agg(
        services=("over", "size"), over=("over", "sum"), under=("under", "sum"))
    by_inst["rate"] = (by_inst["over"] + by_inst["under"]) / (by_inst["services"] * len(cols))
    return by_ind, by_inst.sort_values("rate", ascending=False).reset_index(drop=True)


def audit_events(key: tuple, **filters) -> pd.DataFrame:
    return queries.events_filtered(store(), **filters)


def audit_actions(key: tuple) -> list[str]:
    ev = queries.events(store())
    return sorted(ev["action"].unique().tolist())


def publications(key: tuple, label: str | None = None) -> pd.DataFrame:
    return queries.publications(store(), label)


def roles_table(key: tuple) -> pd.DataFrame:
    from store.accounts import roles_table as table

    return table(store())


def rounds_holding_data(key: tuple) -> set[str]:
    r = rounds(key)
    hist = queries.imports(store())
    return set(r["label"]) & set(hist["round"].dropna())


def methodology_preview(text: str, lang: str = "en"):
    """(methodology, previous id, diff frame in ``lang``) for an uploaded version; raises on an invalid file."""
    from l10n import fmt_num
    from scoring.methodology_diff import methodology_diff
    from store.methodologies import preview

    m, prev, diff = preview(store(), text, "upload")
    if prev:
        diff = methodology_diff(queries.methodology(store(), prev), m, lang,
                                number=lambda v: fmt_num(v, lang, 0 if float(v).is_integer() else 2))
    return m, prev, diff


def write(fn, *args, lang: str, **kwargs) -> tuple[bool, str]:
    """Run a store write; (ok, message in the user's language). Clears caches on success.

    A database held by another process past the lease's wait says "busy, try
    again" (:class:`store.db.StoreBusy`); messages quoting data are escaped
    (they are shown as Markdown).
    """
    from store.actors import PermissionDenied
    from store.db import StoreBusy
    from ui.i18n import t
    from ui.safe import md

    try:
        fn(store(), *args, **kwargs)
    except (PermissionDenied, StoreBusy) as exc:
        return False, exc.message(lang)
    except (ValueError, LookupError) as exc:
        return False, t("write.failed", lang, error=md(error_text(exc, lang)))
    clear()
    return True, t("write.done", lang)


def sign_in_holds() -> pd.DataFrame:
    """User names and clients delayed or locked now (not cached: the Administration page acts on it)."""
    from store import throttle

    return throttle.held(store())

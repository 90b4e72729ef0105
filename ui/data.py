"""Cached loaders: what pages draw, read from the store and scored by the core.

Pages call these and draw; they hold no SQL and no scoring rules. Every loader
is keyed by the database path and the store's data version, so a write in any
process shows up on the next run; ``clear()`` drops the cache after a write here.
Large frames are shared between sessions, not copied: treat what a loader
returns as read-only (derive a new frame instead of assigning columns to it).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

import scoring
from l10n import sort_key
from scoring.frame import answer_columns, score_columns
from store import queries
from store.db import open_store

TTL = 300

# Loaders whose results belong to one data version (their first argument is ``db_key()``).
_VERSIONED: list = []
_SEEN: dict[str, str] = {}
_SEEN_LOCK = threading.Lock()


def by_version(**options):
    """``st.cache_data`` for a loader keyed by ``db_key()``: dropped as soon as the data version moves on."""
    def wrap(fn):
        cached = st.cache_data(ttl=TTL, show_spinner=False, **options)(fn)
        _VERSIONED.append(cached)
        return cached
    return wrap


def shared_by_version(**options):
    """``st.cache_resource`` (one shared, read-only object, never copied) for a loader keyed by ``db_key()``.

    For large frames: ``cache_data`` would unpickle a fresh copy on every call.
    Dropped as soon as the data version moves on, so that a busy day of
    imports does not pile up old versions of every round in memory.
    """
    def wrap(fn):
        cached = st.cache_resource(ttl=TTL, show_spinner=False, **options)(fn)
        _VERSIONED.append(cached)
        return cached
    return wrap


def _forget_older_versions(path: str, version: str) -> None:
    with _SEEN_LOCK:
        before = _SEEN.get(path)
        _SEEN[path] = version
    if before is not None and before != version:
        for loader in _VERSIONED:
            loader.clear()


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
    version = st_.version_key()
    _forget_older_versions(str(st_.path), version)
    return str(st_.path), version, audience


def is_public(key: tuple) -> bool:
    """True when the key belongs to an anonymous visitor (published, approved values only)."""
    return len(key) < 3 or key[2] == "public"


def viewer_can_see(key: tuple, label: str | None) -> bool:
    """Whether the round may be shown to this audience (visitors: published rounds only)."""
    return label is not None and label in visible_rounds(key, not is_public(key))["label"].tolist()


def clear() -> None:
    """Forget every cached frame (after a write here; other processes' writes change the key instead)."""
    st.cache_data.clear()
    st.cache_resource.clear()


# How the caches are laid out (docs/PERFORMANCE.md). Everything is keyed by
# ``db_key()``: the file's version (its stat, read without opening it) and the
# audience, so a write anywhere shows on the next rerun and visitors never get
# signed-in frames. Large frames are *resources*: one shared, read-only object
# per key, never copied or pickled per rerun (``cache_data`` would unpickle a
# fresh copy of a hundred-thousand-row frame on every call). A round is read
# once, in one lease (one connection): both sources' answers as compact integer
# columns through Arrow, its coverage and infrastructure; it is scored once,
# and every view of it (self, expert, validated, board, summary) is cut from
# that. Names are joined from one service index, and only where a page shows
# them. Trends and histories read all visible rounds in one query.


@by_version()
def rounds(key: tuple[str, str]) -> pd.DataFrame:
    """Every round (no answer counts: see :func:`round_counts`)."""
    return queries.rounds(store(), counts=False).sort_values("label").reset_index(drop=True)


@by_version()
def round_counts(key: tuple[str, str]) -> pd.DataFrame:
    """Every round with how many services each source assessed (the Administration page's list)."""
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


@shared_by_version(max_entries=16)
def _methodology(key: tuple[str, str], methodology_id: str) -> scoring.Methodology:
    return queries.methodology(store(), methodology_id)


def methodology_of(key: tuple[str, str], label: str) -> scoring.Methodology:
    """The methodology version a round was opened with, as stored with the round (parsed once per version)."""
    r = rounds(key)
    mid = r.loc[r["label"] == str(label), "methodology_id"]
    if mid.empty:
        return queries.load_round_methodology(store(), label)  # raises LookupError for an unknown round
    return _methodology(key, str(mid.iloc[0]))


@by_version()
def institutions(key: tuple[str, str]) -> pd.DataFrame:
    return queries.institutions(store())


@by_version()
def institution_names(key: tuple, ids, lang: str) -> dict[int, str]:
    """institution_id → its name in ``lang`` (the Azerbaijani name where no English one is registered)."""
    inst = institutions(key).set_index("institution_id")
    names = inst["name_en"].fillna(inst["name_az"]) if lang == "en" else inst["name_az"]
    return {int(i): str(names.get(int(i), i)) for i in ids}


def service_names(key: tuple, ids, lang: str) -> dict[int, str]:
    """service_id → ``code · name`` in ``lang`` for the given ids (the Azerbaijani name where no English one is
    registered). Only the ids asked for: a country registers a hundred thousand services."""
    idx = service_index(key)
    wanted = np.unique(np.asarray(list(ids), dtype=np.int64))
    lookup = _service_lookup(key)
    wanted = wanted[(wanted >= 0) & (wanted < len(lookup))]
    pos = lookup[wanted]
    wanted, pos = wanted[pos >= 0], pos[pos >= 0]
    rows = idx.take(pos)
    main, other = ("service_en", "service_az") if lang == "en" else ("service_az", "service_en")
    shown = rows[main].where(rows[main].notna(), rows[other]).fillna("")
    return {int(i): f"{c} · {n}" for i, c, n in zip(wanted, rows["code"], shown)}


@shared_by_version(max_entries=4)
def service_index(key: tuple[str, str]) -> pd.DataFrame:
    """Every service with its institution's names, kind and code, in display order (``rank``).

    Text columns hold Python strings, each distinct value once: frames cut
    from this index (named rounds, one institution's services) then copy
    8-byte references, not the text, and an institution's name is stored once,
    not once per service.
    """
    idx = queries.service_index(store())
    for col in idx.columns:
        if pd.api.types.is_string_dtype(idx[col]) or idx[col].dtype == object:
            codes, uniques = pd.factorize(idx[col])
            values = np.append(np.asarray(uniques, dtype=object), None)
            idx[col] = pd.Series(values[codes], index=idx.index, dtype=object)  # code -1 (missing) → None
    return idx


@shared_by_version(max_entries=4)
def service_audiences(key: tuple[str, str]) -> np.ndarray:
    """Audience code of every service, indexed by service id (1 citizen, 2 business, 0 none)."""
    return queries.service_audiences(store())


def _positions(key: tuple[str, str], service_ids: np.ndarray) -> np.ndarray:
    """Row positions in :func:`service_index` of the given service ids."""
    return _service_lookup(key)[np.asarray(service_ids, dtype=np.int64)]


@shared_by_version(max_entries=4)
def _service_lookup(key: tuple[str, str]) -> np.ndarray:
    idx = service_index(key)
    ids = idx["service_id"].to_numpy()
    out = np.full(int(ids.max()) + 1 if len(ids) else 1, -1, dtype=np.int64)
    out[ids] = np.arange(len(ids))
    return out


@dataclass(frozen=True)
class RoundData:
    """What one round holds for one audience, read in one lease and scored once.

    ``scores``: both sources' current answers (``expert`` marks the expert's
    rows, ``validated`` the rows of the validated view) with level, level
    columns, corruption score and band; ``coverage`` with ``coverage_pct``;
    ``infrastructure``: validated long answers.
    """

    scores: pd.DataFrame
    coverage: pd.DataFrame
    infrastructure: pd.DataFrame


def _score_rounds(frame: pd.DataFrame, methodology_ids: dict[int, str], key: tuple[str, str]) -> pd.DataFrame:
    """Score answer rows of several rounds, each by its own round's methodology."""
    if frame.empty:
        m = _methodology(key, next(iter(methodology_ids.values()))) if methodology_ids else scoring.load_methodology()
        return pd.concat([frame, scoring.score_frame(frame, m)], axis=1)
    rid = frame["round_id"].to_numpy()
    by_method: dict[str, list[int]] = {}
    for r, mid in methodology_ids.items():
        by_method.setdefault(mid, []).append(r)
    if len(by_method) == 1:
        return pd.concat([frame, scoring.score_frame(frame, _methodology(key, next(iter(by_method))))], axis=1)
    parts = []
    for mid, ids in by_method.items():
        part = frame[np.isin(rid, ids)]
        parts.append(pd.concat([part, scoring.score_frame(part, _methodology(key, mid))], axis=1))
    out = pd.concat(parts)
    cats = sorted({c for p in parts for c in p["corruption_band"].cat.categories}, key=str)
    out["corruption_band"] = out["corruption_band"].astype(pd.CategoricalDtype(cats))
    return out.sort_index()


@shared_by_version(max_entries=24)
def round_data(key: tuple[str, str], label: str) -> RoundData:
    """One round for this audience (see :class:`RoundData`)."""
    s = store()
    public = is_public(key)
    with s.reading():  # one connection for the round's reads
        answers = queries.answer_rows(s, [label], published_only=public)
        cover = queries.coverage_rows(s, label, published_only=public)
        infra = queries.infrastructure_answers(s, label, source="validated", published_only=public)
    rid = rounds(key).set_index("label")
    mids = {int(rid.loc[label, "round_id"]): str(rid.loc[label, "methodology_id"])} if label in rid.index else {}
    scores = _score_rounds(answers, mids, key)
    scores["validated"] = queries.validated_mask(scores)
    return RoundData(scores=scores, coverage=scoring.coverage_frame(cover), infrastructure=infra)


def round_scores(key: tuple[str, str], label: str, source: str) -> pd.DataFrame:
    """A round's scored rows of one source, compact (ids, answers, scores; no names). Read-only."""
    return queries.source_rows(round_data(key, label).scores, source)


def _with_names(key: tuple[str, str], label: str, rows: pd.DataFrame) -> pd.DataFrame:
    """Compact scored rows as ``queries.service_answers`` shapes them: names joined, in display order."""
    named = queries.named_answers(label, rows, service_index(key), _positions(key, rows["service_id"].to_numpy()))
    score_cols = ["level", *scoring.LEVEL_COLUMNS, "corruption_score", "corruption_band"]
    answer_cols = [c for c in queries.SERVICE_ANSWER_COLUMNS if c.startswith("q") and c in rows.columns]
    return named[[*queries.SERVICE_ANSWER_COLUMNS[:12], *answer_cols, "comment", "import_id", *score_cols]]


@shared_by_version(max_entries=12)
def scored_services(key: tuple[str, str], label: str, source: str) -> pd.DataFrame:
    """Current answers of a round with names, level, level columns and corruption score (shared: read-only).

    The columns and order of ``queries.service_answers`` (institution, then
    code by its numeric parts), followed by the scores. Pages that show one
    institution's services use :func:`institution_rows` instead.
    """
    return _with_names(key, label, round_scores(key, label, source))


_AUDIENCE_WORDS = np.array([None, "citizen", "business"], dtype=object)


@shared_by_version(max_entries=12)
def levels_and_audiences(key: tuple[str, str], label: str, source: str) -> pd.DataFrame:
    """``level`` and ``audience`` of every scored service of a round (the level distribution's input)."""
    rows = round_scores(key, label, source)
    sid = rows["service_id"].to_numpy()
    return pd.DataFrame({"level": rows["level"].to_numpy(), "audience": _AUDIENCE_WORDS[service_audiences(key)[sid]]})


def top_services(key: tuple[str, str], label: str, source: str, n: int = 10) -> pd.DataFrame:
    """The ``n`` services with the highest level (then corruption score; ties in display order), named:
    only those rows get their names, not the round's hundred thousand."""
    rows = round_scores(key, label, source)
    rank = service_index(key)["rank"].to_numpy()[_positions(key, rows["service_id"].to_numpy())]
    order = np.lexsort((rank, -rows["corruption_score"].to_numpy().astype(np.int64),
                        -rows["level"].to_numpy().astype(np.int64)))[:n]
    return _with_names(key, label, rows.take(order))


def institution_rows(key: tuple[str, str], label: str, source: str, institution_id: int) -> pd.DataFrame:
    """One institution's rows of :func:`scored_services` (named only for those rows)."""
    rows = round_scores(key, label, source)
    return _with_names(key, label, rows[rows["institution_id"].to_numpy() == int(institution_id)])


@by_version()
def service_owners(key: tuple[str, str], label: str, source: str, lang: str) -> dict[int, str]:
    """Institutions with assessed services in the round: id → name in ``lang``, in its alphabetical order."""
    ids = pd.unique(round_scores(key, label, source)["institution_id"])
    names = institutions(key).set_index("institution_id")
    main, other = ("name_az", "name_en") if lang == "az" else ("name_en", "name_az")
    shown = names[main].where(names[main].notna() & (names[main] != ""), names[other]).fillna("")
    pairs = [(int(i), str(shown.get(i, i))) for i in ids]
    return dict(sorted(pairs, key=lambda p: sort_key(p[1], lang)))


def service_owner(key: tuple[str, str], label: str, source: str, service_id: int) -> int | None:
    """The institution of an assessed service of the round, or None (a link to another round's service)."""
    rows = round_scores(key, label, source)
    hit = rows["institution_id"].to_numpy()[rows["service_id"].to_numpy() == int(service_id)]
    return int(hit[0]) if len(hit) else None


def coverage(key: tuple[str, str], label: str) -> pd.DataFrame:
    return round_data(key, label).coverage


def infrastructure_answers(key: tuple[str, str], label: str) -> pd.DataFrame:
    return round_data(key, label).infrastructure


@by_version()
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


@shared_by_version(max_entries=24)
def plain_board(key: tuple[str, str], label: str, source: str) -> pd.DataFrame:
    """Figures and lights per institution for one round (no names, no change)."""
    r = round_data(key, label)
    return scoring.institution_board(queries.source_rows(r.scores, source), r.coverage, r.infrastructure,
                                     methodology_of(key, label))


_AUDIENCE_SETS = np.array([[], ["business"], ["citizen"], ["business", "citizen"]], dtype=object)


def _audiences(key: tuple[str, str], scores: pd.DataFrame, institution_ids: pd.Series) -> pd.Series:
    """Per institution, the sorted audiences of its assessed services (lists), by counting, not by group."""
    aud = service_audiences(key)[scores["service_id"].to_numpy()]
    iid = scores["institution_id"].to_numpy().astype(np.int64)
    size = int(max(iid.max(initial=0), institution_ids.max() if len(institution_ids) else 0)) + 1
    citizen = np.bincount(iid[aud == 1], minlength=size) > 0
    business = np.bincount(iid[aud == 2], minlength=size) > 0
    code = citizen.astype(np.int64) * 2 + business
    ids = institution_ids.to_numpy().astype(np.int64)
    return pd.Series([list(x) for x in _AUDIENCE_SETS[code[ids]]], index=institution_ids.index, dtype=object)


@shared_by_version(max_entries=24)
def board(key: tuple[str, str], label: str, source: str, previous: str | None) -> pd.DataFrame:
    """The institution board with names, kinds and change since the previous round (shared: read-only).

    No change is shown across a methodology change: the two boards are on
    different scales. ``search`` holds the folded names the search box matches.
    """
    from ingest.registry import fold

    b = plain_board(key, label, source)
    comparable = previous and methodology_of(key, previous).id == methodology_of(key, label).id
    changes = scoring.board_changes(b, plain_board(key, previous, source) if comparable else None)
    names = institutions(key)[["institution_id", "name_az", "name_en", "kind"]]
    out = b.merge(changes, on="institution_id", how="left").merge(names, on="institution_id", how="left")
    out["audiences"] = _audiences(key, round_scores(key, label, source), out["institution_id"])
    out["search"] = (out["name_az"].fillna("") + " | " + out["name_en"].fillna("")).map(fold)
    return out


@by_version()
def round_notes(key: tuple) -> pd.DataFrame:
    """The notes of the rounds this audience may see (visitors: published rounds only)."""
    return queries.round_notes(store(), published_only=is_public(key))


def notes_of(key: tuple, label: str | None) -> pd.DataFrame:
    notes = round_notes(key)
    return notes[notes["round"] == label] if label else notes.iloc[0:0]


def summary(key: tuple[str, str], label: str, source: str) -> dict:
    nat = national_infrastructure(key, label)
    return scoring.round_summary(round_scores(key, label, source), coverage(key, label),
                                 None if nat is None else float(nat["index"]))


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
        hay = out["search"] if "search" in out else (out["name_az"].fillna("") + " | " + out["name_en"].fillna("")).map(fold)
        out = out[hay.str.contains(q, regex=False)]
    if sort == "name":
        col = "name_az" if lang == "az" else "name_en"
        return out.sort_values(col, key=lambda s: s.fillna("").map(lambda name: sort_key(name, lang)))
    return out.sort_values(sort, ascending=False, na_position="last")


@dataclass(frozen=True)
class AllRounds:
    """Every visible round for one audience, scored in compact columns (trends, histories).

    ``scores``: ``round`` (ordered categorical of labels), ``round_id``,
    ``methodology_id`` (categorical), ``service_id``, ``institution_id``,
    ``expert``, ``validated``, ``level``, ``corruption_score``,
    ``corruption_band``; ``coverage``: every round's coverage rows with
    ``round`` and ``methodology_id``.
    """

    labels: tuple[str, ...]
    scores: pd.DataFrame
    coverage: pd.DataFrame


@shared_by_version(max_entries=4)
def all_rounds(key: tuple[str, str], signed_in: bool) -> AllRounds:
    r = visible_rounds(key, signed_in)
    labels = r["label"].astype(str).tolist()
    s = store()
    public = is_public(key)
    with s.reading():  # one connection for every round
        answers = queries.answer_rows(s, labels, published_only=public)
        cov = queries.coverage_of_rounds(s, labels, published_only=public)
    methods = dict(zip(r["round_id"].astype(int), r["methodology_id"].astype(str)))
    position = np.full(int(max(methods, default=0)) + 1, -1, dtype=np.int16)
    position[list(methods)] = np.arange(len(methods))
    rid = answers["round_id"].to_numpy()
    compact = pd.DataFrame({
        "round": pd.Categorical.from_codes(position[rid], categories=labels, ordered=True),
        "round_id": answers["round_id"], "service_id": answers["service_id"],
        "institution_id": answers["institution_id"], "expert": answers["expert"], "validated": queries.validated_mask(answers),
    })
    # Each round by its own methodology; only the scores are kept, not the answers. Bands and
    # methodologies become categoricals from codes: building them from a million strings costs a second.
    mids = sorted(set(methods.values()))
    band_ids = sorted({b.id for mid in mids for b in _methodology(key, mid).bands}, key=str)
    level = np.zeros(len(answers), np.int8)
    score = np.zeros(len(answers), np.int16)
    band = np.full(len(answers), -1, np.int16)
    for mid in mids:
        mask = np.isin(rid, [i for i, m_ in methods.items() if m_ == mid])
        part = answers[mask] if not mask.all() else answers
        if not len(part):
            continue
        m = _methodology(key, mid)
        res = score_columns(answer_columns(part, m), m)
        level[mask], score[mask] = res["level"], res["corruption_score"]
        band[mask] = np.array([band_ids.index(b.id) for b in m.bands], dtype=np.int16)[res["band_code"]]
    compact["level"], compact["corruption_score"] = level, score
    present = np.unique(band[band >= 0])  # the categories are the bands that occur, as before
    compact["corruption_band"] = pd.Categorical.from_codes(
        np.searchsorted(present, band).astype(np.int16) if len(present) else band,
        categories=[band_ids[i] for i in present]) if len(answers) else pd.Categorical([])
    method_code = np.full(len(position), -1, np.int16)
    for r_id, mid in methods.items():
        method_code[position[r_id]] = mids.index(mid)
    compact["methodology_id"] = pd.Categorical.from_codes(method_code[position[rid]], categories=mids) \
        if len(answers) else pd.Categorical([])
    if len(cov):
        cov["methodology_id"] = cov["round"].map(dict(zip(labels, r["methodology_id"])))
    return AllRounds(labels=tuple(labels), scores=compact, coverage=cov)


@shared_by_version(max_entries=12)
def all_scored(key: tuple[str, str], source: str, signed_in: bool) -> pd.DataFrame:
    """Every visible round's rows of one source (compact, read-only)."""
    return queries.source_rows(all_rounds(key, signed_in).scores, source)


@shared_by_version(max_entries=8)
def _histories(key: tuple[str, str], source: str, signed_in: bool) -> pd.DataFrame:
    """Mean level, coverage and corruption per institution and visible round (the boards' figures).

    Sums and counts by one ``bincount`` over (round, institution) pairs.
    """
    a = all_rounds(key, signed_in)
    rows = all_scored(key, source, signed_in)
    n_rounds = len(a.labels)
    iid = rows["institution_id"].to_numpy().astype(np.int64)
    width = int(iid.max(initial=0)) + 1
    flat = rows["round"].cat.codes.to_numpy().astype(np.int64) * width + iid
    n = np.bincount(flat, minlength=n_rounds * width)
    level = np.bincount(flat, weights=rows["level"].to_numpy(), minlength=n_rounds * width)
    corr = np.bincount(flat, weights=rows["corruption_score"].to_numpy(), minlength=n_rounds * width)
    hit = np.flatnonzero(n)
    per = pd.DataFrame({"round": np.array(a.labels, dtype=object)[hit // width], "institution_id": hit % width,
                        "mean_level": level[hit] / n[hit], "mean_corruption": corr[hit] / n[hit]})
    cov = scoring.coverage_frame(a.coverage)[["round", "institution_id", "coverage_pct"]] if len(a.coverage) else \
        pd.DataFrame(columns=["round", "institution_id", "coverage_pct"])
    out = per.merge(cov.astype({"institution_id": "int64"}), on=["round", "institution_id"], how="outer")
    order = {lab: i for i, lab in enumerate(a.labels)}
    out["methodology"] = out["round"].map({lab: methodology_of(key, lab).id for lab in a.labels})
    out["_order"] = out["round"].map(order)
    return out.sort_values(["institution_id", "_order"], kind="stable").drop(columns="_order").reset_index(drop=True)


def institution_history(key: tuple[str, str], institution_id: int, source: str, signed_in: bool) -> pd.DataFrame:
    """Mean level, coverage and corruption of one institution in every visible round."""
    h = _histories(key, source, signed_in)
    mine = h[h["institution_id"].to_numpy() == int(institution_id)]
    cols = ["round", "mean_level", "coverage_pct", "mean_corruption", "methodology"]
    return mine[cols].astype({"mean_level": float, "coverage_pct": float, "mean_corruption": float}).reset_index(drop=True)


def self_and_expert(key: tuple[str, str], label: str, service_id: int) -> pd.DataFrame | None:
    """Self and expert answers (and scores) of one service side by side, or None unless both exist."""
    scores = round_data(key, label).scores
    rows = scores[scores["service_id"].to_numpy() == int(service_id)]
    s, e = rows[~rows["expert"].to_numpy()], rows[rows["expert"].to_numpy()]
    if s.empty or e.empty:
        return None
    return pd.concat([s.assign(source="self"), e.assign(source="expert")], ignore_index=True)


@by_version()
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


@shared_by_version(max_entries=2)
def registry(key: tuple[str, str]):
    """The workbook reader's registry (institution names, service codes), built once per data version."""
    from ingest.registry import Registry

    return Registry.from_frames(*queries.registry_frames(store()))


@by_version(max_entries=12)
def template_bytes(key: tuple[str, str], kind: str, lang: str, round_label: str | None) -> bytes:
    """A blank exchange workbook of the newest methodology, with the registry's names.

    Pages pass this as a download's producer (``functools.partial``), so a
    template is built when someone asks for it, not on every rerun.
    """
    from ingest.templates import build_template

    return build_template(kind, lang, scoring.load_methodology(), registry(key), round_label)


def prepare_reading() -> None:
    """Files are waiting to be checked: start the bounded reader now (once per app process; cheap after)."""
    from ingest.sandbox import prestart

    prestart()


def run_import(files, actor, *, dry_run: bool, replace: bool, add_institutions: bool, lang: str,
               unlock_reason: str | None = None, report=None):
    """Check (dry run) or import uploaded workbooks through the pipeline (``report``: a progress bar's report)."""
    from ingest.pipeline import import_files

    return import_files(store(), files, actor, dry_run=dry_run, replace=replace, add_institutions=add_institutions,
                        lang=lang, unlock_reason=unlock_reason, report=report)


def import_preview(outcome, lang: str) -> dict[str, pd.DataFrame]:
    """What a checked file would store (answers as words, levels and changes), per sheet kind."""
    return outcome.preview(lang, store())


def annotated_copy(data: bytes, outcome, lang: str) -> bytes | None:
    """The sender's workbook with the outcome's problem cells marked and commented (None: not possible)."""
    from ingest.annotate import annotate

    return annotate(data, outcome.issues, lang)


def import_history(key: tuple[str, str]) -> pd.DataFrame:
    return queries.imports(store())


def locked_imports(key: tuple) -> set[int]:
    """Standing imports whose data is approved or published (reverting them needs an administrator)."""
    from store.imports import locked_imports as locked

    return locked(store())


def revert(actor, import_id: int, reason: str, lang: str, unlock: bool = False) -> tuple[bool, str]:
    """Revert an import; returns (ok, message in the user's language)."""
    from store.actors import PermissionDenied
    from store.db import StoreBusy
    from store.imports import revert_import
    from ui.i18n import t
    from ui.safe import md

    try:
        revert_import(store(), actor, import_id, reason=(reason or "").strip() or None, unlock=unlock)
    except (PermissionDenied, StoreBusy) as exc:
        return False, exc.message(lang)
    except (ValueError, LookupError) as exc:
        return False, t("data.revert.failed", lang, error=md(error_text(exc, lang)))
    return True, t("data.revert.done", lang, id=import_id)


def error_text(exc: BaseException, lang: str) -> str:
    """What a refused write says to the user: the store's message in their language where it has one."""
    from store.errors import message_of

    return message_of(exc, lang)


# -- review, discrepancy, audit, administration ------------------------------------

def review_overview(key: tuple, label: str) -> pd.DataFrame:
    """Institutions with data in a round and their review state (None: not started)."""
    from store.publication import review_overview as overview

    rows = overview(store(), label)
    return pd.DataFrame(rows, columns=["institution_id", "name_az", "state"])


def review_states(key: tuple, label: str) -> pd.DataFrame:
    return queries.review_states(store(), label)


def _named(key: tuple, rows: pd.DataFrame) -> pd.DataFrame:
    """Compact answer rows with their service's code and names (for the few rows a page shows)."""
    names = service_index(key).take(_positions(key, rows["service_id"].to_numpy())).reset_index(drop=True)
    rows = rows.reset_index(drop=True)
    out = rows.assign(source=np.where(rows["expert"].to_numpy(), "expert", "self"),
                      institution_az=names["institution_az"], institution_en=names["institution_en"],
                      code=names["code"], service_az=names["service_az"], service_en=names["service_en"],
                      _rank=names["rank"])
    return out.sort_values(["_rank", "source"], kind="stable").drop(columns="_rank").reset_index(drop=True)


def side_by_side(key: tuple, label: str, institution_id: int) -> pd.DataFrame:
    """Self and expert answers of one institution's services (one row per service and source)."""
    scores = round_data(key, label).scores
    return _named(key, scores[scores["institution_id"].to_numpy() == int(institution_id)])


def _pairs(key: tuple, label: str) -> tuple[pd.DataFrame, list[str]]:
    """Services assessed by both sources, self and expert answers joined."""
    m = methodology_of(key, label)
    cols = list(m.answer_columns)
    scores = round_data(key, label).scores
    s = scores.loc[~scores["expert"].to_numpy(), ["service_id", "institution_id", *cols]]
    e = scores.loc[scores["expert"].to_numpy(), ["service_id", *cols]]
    pairs = s.merge(e, on="service_id", suffixes=("_self", "_expert"))
    names = institutions(key).set_index("institution_id")
    pairs.insert(2, "institution_az", pairs["institution_id"].map(names["name_az"]))
    pairs.insert(3, "institution_en", pairs["institution_id"].map(names["name_en"]))
    return pairs, cols


@by_version()
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


@by_version(max_entries=32)
def audit_events(key: tuple, **filters) -> pd.DataFrame:
    return queries.events_filtered(store(), **filters)


@by_version()
def audit_actions(key: tuple) -> list[str]:
    return queries.event_actions(store())


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


def institution_aliases(key: tuple) -> pd.DataFrame:
    return queries.institution_aliases(store())


def sign_in_holds() -> pd.DataFrame:
    """User names and clients delayed or locked now (not cached: the Administration page acts on it)."""
    from store import throttle

    return throttle.held(store())

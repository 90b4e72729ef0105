"""Synthetic databases of a country's shape, for benchmarks and for trying the app at scale.

``build_synthetic(st, institutions=N, services_per_institution=M, rounds=R, seed=S)``
fills a new store with N bodies (central ministries and agencies, their
regional departments, local municipalities), M services each and R yearly
rounds (the last one 2024), so N × M × R self-assessments, plus:

- maturity that drifts: each body has a strength (central bodies ahead, local
  ones behind); each service starts near it and mostly climbs, sometimes slips;
  answers carry over from year to year, redrawn in part;
- expert readings of about a fifth of the services, mostly agreeing with the
  provider, otherwise differing on one or two judgement calls (never on the
  mandatory facts);
- coverage per body and round, national and per-ministry infrastructure
  answers, portal usage per year for central and regional bodies;
- every round reviewed, approved and published, so visitors see it; rounds
  are flagged illustrative, so the app says the figures are invented.

Rows go in as whole columns (DuckDB inserts from Arrow-backed frames), not
through the import pipeline: a million assessments take seconds. Every value
comes from one seeded generator and every time stamp from the round's year, so
the same arguments give the same content. Provenance still holds: each round
has one synthetic import per source (``synth:2024-self``…) that its rows
point to, and the audit trail records the opening, approval and publication.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
import pandas as pd

from ingest.progress import Report, part

from .actors import Actor, require
from .audit import insert_frame, next_id, to_json
from .publication import publish
from .registry import PORTAL_CSV, normalise_name
from .schema import ANSWER_COLUMNS

SYNTH_ACTOR = Actor("synth", "admin")
LAST_YEAR = 2024
METHODOLOGY = "2013-osce"
EXPERT_SHARE = 0.2  # services an expert reads in a round
EXPERT_AGREES = 0.7  # of those, readings identical to the provider's

DISTRICTS = [
    "Abşeron", "Ağcabədi", "Ağdam", "Ağdaş", "Ağstafa", "Ağsu", "Astara", "Balakən", "Bərdə", "Beyləqan",
    "Biləsuvar", "Cəbrayıl", "Cəlilabad", "Daşkəsən", "Füzuli", "Gədəbəy", "Goranboy", "Göyçay", "Göygöl",
    "Hacıqabul", "İmişli", "İsmayıllı", "Kəlbəcər", "Kürdəmir", "Laçın", "Lənkəran", "Lerik", "Masallı",
    "Neftçala", "Oğuz", "Qax", "Qazax", "Qəbələ", "Qobustan", "Quba", "Qubadlı", "Qusar", "Saatlı", "Sabirabad",
    "Salyan", "Samux", "Siyəzən", "Şabran", "Şamaxı", "Şəki", "Şəmkir", "Şuşa", "Tərtər", "Tovuz", "Ucar",
    "Xaçmaz", "Xızı", "Xocalı", "Xocavənd", "Yardımlı", "Yevlax", "Zaqatala", "Zəngilan", "Zərdab", "Gəncə",
    "Sumqayıt", "Mingəçevir", "Şirvan", "Naftalan", "Lənkəran şəhəri", "Bakı",
]
# Regional departments of central bodies: (az, en) of the department's field.
FIELDS = [
    ("Təhsil", "Education"), ("Səhiyyə", "Health"), ("Vergilər", "Taxes"), ("Məşğulluq", "Employment"),
    ("Sosial Müdafiə", "Social Protection"), ("Kənd Təsərrüfatı", "Agriculture"), ("Mədəniyyət", "Culture"),
    ("Ekologiya", "Ecology"), ("Gənclər və İdman", "Youth and Sports"), ("Əmlak Məsələləri", "Property Affairs"),
    ("Statistika", "Statistics"), ("Torpaq və Xəritəçəkmə", "Land and Mapping"),
]
VILLAGES = [
    "Mərkəz", "Yeni Həyat", "Bağlar", "Çaykənar", "Dağkənd", "Qaraçala", "Novxanı", "Günəşli", "Sarıyer",
    "Ərəbqədim", "Köhnəkənd", "Təzəkənd", "Çinarlı", "Bulaqlı", "Qızılca", "Alıbəyli", "Muğanlı", "Yuxarı Oba",
    "Aşağı Oba", "Dəvəçi", "Gülüstan", "Pirəbədil", "Sarıqaya", "Ağbulaq",
]
AGENCIES = [
    ("Dövlət {} Agentliyi", "State {} Agency"), ("Dövlət {} Komitəsi", "State Committee for {}"),
    ("{} Xidməti", "{} Service"),
]
SERVICES = [
    ("Arayışın verilməsi", "Issuing a certificate"), ("Lisenziyanın verilməsi", "Issuing a licence"),
    ("İcazənin verilməsi", "Issuing a permit"), ("Qeydiyyata alınma", "Registration"),
    ("Müraciətin qəbulu", "Receiving an application"), ("Ödənişin qəbulu", "Accepting a payment"),
    ("Reyestrdən çıxarış", "Extract from the register"), ("Məlumatın verilməsi", "Providing information"),
    ("Növbəyə yazılma", "Booking an appointment"), ("Şikayətin qəbulu", "Receiving a complaint"),
    ("Sənədin yenilənməsi", "Renewing a document"), ("Müavinətin təyin edilməsi", "Granting a benefit"),
    ("Hesabatın qəbulu", "Receiving a report"), ("Uçotdan çıxarılma", "Deregistration"),
    ("Dublikatın verilməsi", "Issuing a duplicate"), ("Yoxlamanın nəticəsi", "Inspection result"),
]
COMMENTS = [
    "Ödəniş hələ ayrıca aparılır.", "Xidmət portalda inteqrasiya mərhələsindədir.",
    "Elektron imza tələb olunur.", "Nəticə poçtla göndərilir.", "Mobil tətbiq hazırlanır.",
]
INFRA_QUESTIONS = ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7",
                   "3.1", "3.2", "3.3"]


def _stamp(year: int, month: int, day: int = 1, hour: int = 9) -> dt.datetime:
    return dt.datetime(year, month, day, hour)


def kinds_for(n: int) -> np.ndarray:
    """How many bodies of each kind: a few central ones, more regional, most of them local."""
    central = min(n, max(1, round(n * 0.05)))
    regional = min(n - central, round(n * 0.25))
    return np.array(["central"] * central + ["regional"] * regional + ["local"] * (n - central - regional))


def institutions_frame(n: int, rng: np.random.Generator, created: dt.datetime) -> pd.DataFrame:
    """``n`` bodies with unique names in both languages, parents for regional departments."""
    real = pd.read_csv(PORTAL_CSV, dtype=str, keep_default_na=False)
    kinds = kinds_for(n)
    n_central = int((kinds == "central").sum())
    names_az, names_en, parents = [], [], []
    taken: set[str] = set()
    k = 0
    for i in range(n_central):
        if i < len(real):
            az, en = real["institution_az"].iloc[i], real["institution_en"].iloc[i]
        else:
            while True:  # generated agency names; skip any that a real body already bears
                field_az, field_en = FIELDS[k % len(FIELDS)]
                pat_az, pat_en = AGENCIES[(k // len(FIELDS)) % len(AGENCIES)]
                series = k // (len(FIELDS) * len(AGENCIES))
                az = pat_az.format(field_az) + (f" № {series + 1}" if series else "")
                en = pat_en.format(field_en) + (f" No. {series + 1}" if series else "")
                k += 1
                if normalise_name(az) not in taken and normalise_name(en) not in taken:
                    break
        taken.update((normalise_name(az), normalise_name(en)))
        names_az.append(az)
        names_en.append(en)
        parents.append(None)
    n_regional = int((kinds == "regional").sum())
    for k in range(n_regional):
        district = DISTRICTS[k % len(DISTRICTS)]
        field_az, field_en = FIELDS[(k // len(DISTRICTS)) % len(FIELDS)]
        series = k // (len(DISTRICTS) * len(FIELDS))
        names_az.append(f"{district} Regional {field_az} İdarəsi" + (f" № {series + 1}" if series else ""))
        names_en.append(f"{district} Regional {field_en} Department" + (f" No. {series + 1}" if series else ""))
        parents.append(int(k % n_central) + 1)
    for k in range(n - n_central - n_regional):
        district = DISTRICTS[k % len(DISTRICTS)]
        village = VILLAGES[(k // len(DISTRICTS)) % len(VILLAGES)]
        series = k // (len(DISTRICTS) * len(VILLAGES))
        tail_az = f" № {series + 1}" if series else ""
        names_az.append(f"{district} rayonu, {village} bələdiyyəsi{tail_az}")
        names_en.append(f"{village} Municipality, {district} District" + (f" No. {series + 1}" if series else ""))
        parents.append(None)
    return pd.DataFrame({
        "institution_id": np.arange(1, n + 1, dtype=np.int32), "name_az": names_az, "name_en": names_en,
        "kind": kinds, "parent_id": pd.array(parents, dtype="Int32"), "created_at": created,
        "created_by_import": pd.array([None] * n, dtype="Int32"),
    })


def services_frame(inst: pd.DataFrame, per: int, rng: np.random.Generator, created: dt.datetime) -> pd.DataFrame:
    n = len(inst)
    j = np.tile(np.arange(per), n)
    iid = np.repeat(inst["institution_id"].to_numpy(), per)
    template = (j + np.repeat(np.arange(n), per)) % len(SERVICES)
    codes = [f"{a}.{b}" for a, b in zip(j // 10 + 1, j % 10 + 1)]
    az = np.array([s[0] for s in SERVICES], dtype=object)[template]
    en = np.array([s[1] for s in SERVICES], dtype=object)[template]
    business = rng.random(n * per) < 0.3
    return pd.DataFrame({
        "service_id": np.arange(1, n * per + 1, dtype=np.int32), "institution_id": iid.astype(np.int32),
        "code": codes, "name_az": az, "name_en": en,
        "audience": np.where(business, "business", "citizen"),
        "eu_service": pd.array([None] * (n * per), dtype="str"), "created_at": created,
        "created_by_import": pd.array([None] * (n * per), dtype="Int32"),
    })


def _level_table(m) -> np.ndarray:
    """P(answer yes | level) per level 0–5 and indicator: what a service at that level typically has."""
    p = np.zeros((6, m.n_indicators))
    for level in range(6):
        for i, ind in enumerate(m.indicators):
            if ind.home <= level:
                p[level, i] = 1.0 if ind.mandatory else 0.75
            else:
                p[level, i] = 0.0 if ind.mandatory else 0.1
    return p


def _answers(latent: np.ndarray, prev: np.ndarray | None, m, table: np.ndarray,
             rng: np.random.Generator) -> np.ndarray:
    """One round's answers (n × indicators, bool): last year's mostly kept, the rest drawn for the level."""
    fresh = rng.random((len(latent), m.n_indicators)) < table[latent]
    if prev is None:
        return fresh
    keep = rng.random(fresh.shape) < 0.8
    out = np.where(keep, prev, fresh)
    for i, ind in enumerate(m.indicators):
        if ind.mandatory:  # the facts of the level reached are there, and none of a level not reached
            out[:, i] = latent >= ind.home
    return out


def _expert(self_answers: np.ndarray, m, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(rows read by an expert, the expert's answers): mostly the provider's, else one or two calls differ."""
    n = len(self_answers)
    rows = np.flatnonzero(rng.random(n) < EXPERT_SHARE)
    out = self_answers[rows].copy()
    judgement = np.array([i for i, ind in enumerate(m.indicators) if not ind.mandatory])
    differ = np.flatnonzero(rng.random(len(rows)) >= EXPERT_AGREES)
    first = judgement[rng.integers(0, len(judgement), len(differ))]
    out[differ, first] ^= True
    twice = differ[rng.random(len(differ)) < 0.4]
    second = judgement[rng.integers(0, len(judgement), len(twice))]
    out[twice, second] ^= True
    return rows, out


def _answer_frame(first_id: int, rid: int, source: str, service_ids: np.ndarray, answers: np.ndarray,
                  comments: np.ndarray, import_id: int, created: dt.datetime) -> pd.DataFrame:
    n = len(service_ids)
    frame = {"answer_id": np.arange(first_id, first_id + n, dtype=np.int64), "round_id": np.int32(rid),
             "source": source, "service_id": service_ids.astype(np.int32)}
    for k, q in enumerate(ANSWER_COLUMNS):
        frame[q] = answers[:, k].astype(np.int8) if k < answers.shape[1] else np.zeros(n, np.int8)
    frame.update({"comment": pd.array(comments, dtype="str"), "import_id": np.int32(import_id),
                  "replaced_by_import": pd.array([None] * n, dtype="Int32"), "created_at": created})
    return pd.DataFrame(frame)


def _import_row(import_id: int, name: str, rid: int, source: str, kinds: str, counts: dict,
                at: dt.datetime) -> dict:
    sha = hashlib.sha256(f"{name}:{to_json(counts)}".encode()).hexdigest()
    return {"import_id": import_id, "file_name": name, "sha256": sha, "size": 0, "actor": SYNTH_ACTOR.name,
            "role": SYNTH_ACTOR.role, "at": at, "round_id": rid, "source": source, "kinds": kinds,
            "counts": to_json(counts), "outcome": "imported", "replace": False, "warnings": "[]",
            "reverted_at": None, "reverted_by": None}


def _event(event_id: int, at: dt.datetime, action: str, *, round_id=None, institution_id=None, import_id=None,
           detail: dict | None = None, reason: str | None = None) -> dict:
    return {"event_id": event_id, "at": at, "actor": SYNTH_ACTOR.name, "role": SYNTH_ACTOR.role, "action": action,
            "round_id": round_id, "institution_id": institution_id, "import_id": import_id,
            "detail": to_json(detail or {}), "reason": reason}


def _frame_of(rows: list[dict], ints: tuple[str, ...]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    for c in ints:
        if c in frame:
            frame[c] = frame[c].astype("Int64")
    return frame


def build_synthetic(st, *, institutions: int, services_per_institution: int, rounds: int, seed: int = 1,
                    actor: Actor = SYNTH_ACTOR, progress: Report | None = None) -> dict[str, int]:
    """Fill a new, seeded store with a synthetic country (see the module docstring); returns row counts.

    Refuses a store that already has rounds or more than the seed's registry
    in use: synthetic data goes into a file of its own.
    """
    from scoring import load_methodology

    require(actor, "admin", "build a synthetic database")
    if institutions < 1 or services_per_institution < 1 or rounds < 1:
        raise ValueError("institutions, services per institution and rounds must each be at least 1")
    if st.scalar("SELECT (SELECT count(*) FROM rounds) + (SELECT count(*) FROM institutions)"):
        raise RuntimeError("the database already holds a registry or rounds; build synthetic data into a new file "
                           "(a store opened with seed=False)")
    m = load_methodology(METHODOLOGY)
    rng = np.random.default_rng(seed)
    years = list(range(LAST_YEAR - rounds + 1, LAST_YEAR + 1))
    created = _stamp(years[0] - 1, 12, 1)
    report = progress or (lambda f, s="": None)

    report(0.0, "progress.synth.registry")
    inst = institutions_frame(institutions, rng, created)
    svc = services_frame(inst, services_per_institution, rng, created)
    n_svc = len(svc)
    kind = inst["kind"].to_numpy()
    strength = np.where(kind == "central", rng.beta(5, 3, len(inst)),
                        np.where(kind == "regional", rng.beta(3, 3, len(inst)), rng.beta(2, 4, len(inst))))
    svc_inst = svc["institution_id"].to_numpy() - 1
    s_of_svc = strength[svc_inst]
    latent = np.clip(np.rint(0.3 + 4.2 * s_of_svc + rng.normal(0, 0.8, n_svc)), 0, 5).astype(np.int8)
    table = _level_table(m)
    cov_base = np.clip(strength + rng.normal(0, 0.1, len(inst)), 0.05, 0.95)
    transferable = (services_per_institution + rng.integers(0, services_per_institution + 1, len(inst))).astype(np.int32)
    central_ids = inst.loc[inst["kind"] == "central", "institution_id"].to_numpy()

    with st.transaction() as cur:
        insert_frame(cur, "institutions", inst)
        insert_frame(cur, "services", svc)
        event_id = next_id(cur, "events", "event_id")
        import_id = next_id(cur, "imports", "import_id")
        answer_id = next_id(cur, "service_answers", "answer_id")
        infra_id = next_id(cur, "infrastructure_answers", "answer_id")
        coverage_id = next_id(cur, "coverage", "coverage_id")
        usage_id = next_id(cur, "portal_usage", "usage_id")
        round_id = next_id(cur, "rounds", "round_id")
    counts = {"institutions": len(inst), "services": n_svc, "rounds": rounds, "self": 0, "expert": 0,
              "coverage": 0, "infrastructure": 0, "portal_usage": 0}

    prev = None
    for k, year in enumerate(years):
        label = str(year)
        step = part(report, 0.02 + 0.9 * k / rounds, 0.02 + 0.9 * (k + 1) / rounds)
        step(0.0, "progress.synth.round")
        if prev is not None:  # levels drift: most services climb slowly, a few slip
            up = rng.random(n_svc) < 0.1 + 0.12 * s_of_svc
            down = rng.random(n_svc) < 0.03
            latent = np.clip(latent + up.astype(np.int8) - down.astype(np.int8), 0, 5).astype(np.int8)
        answers = _answers(latent, prev, m, table, rng)
        prev = answers
        rows, expert = _expert(answers, m, rng)
        comment_rows = rng.random(n_svc) < 0.01
        comments = np.full(n_svc, None, dtype=object)
        comments[comment_rows] = np.array(COMMENTS, dtype=object)[rng.integers(0, len(COMMENTS), comment_rows.sum())]
        rid = round_id + k
        imported = _stamp(year, 3, 15)
        ids = {"self": import_id, "expert": import_id + 1, "infrastructure": import_id + 2}
        import_id += 3

        # Coverage: provided services climb towards what could be electronic.
        share = np.clip(cov_base + 0.04 * k + rng.normal(0, 0.05, len(inst)), 0.02, 1.0)
        provided = np.minimum(transferable, np.rint(transferable * share)).astype(np.int32)
        coverage = pd.DataFrame({
            "coverage_id": np.arange(coverage_id, coverage_id + len(inst), dtype=np.int64), "round_id": np.int32(rid),
            "institution_id": inst["institution_id"].to_numpy(), "services_transferable": transferable,
            "e_services_provided": provided, "import_id": np.int32(ids["self"]),
            "replaced_by_import": pd.array([None] * len(inst), dtype="Int32"), "created_at": imported})
        coverage_id += len(inst)

        # Infrastructure: national answers improve over the years; ministries have their own view.
        scopes = [None, *central_ids.tolist()]
        infra_rows = []
        for scope in scopes:
            base = 0.35 + 0.5 * k / max(rounds - 1, 1) if scope is None else float(strength[int(scope) - 1])
            for q in INFRA_QUESTIONS:
                if q in ("2.5", "2.6", "2.7", "3.2", "3.3"):
                    value = float(np.clip(round(100 * base + rng.normal(0, 12)), 0, 100))
                else:
                    value = float(rng.random() < base + 0.1)
                infra_rows.append((scope, q, value))
        infra = pd.DataFrame(infra_rows, columns=["scope_institution_id", "question_id", "value"])
        infra.insert(0, "answer_id", np.arange(infra_id, infra_id + len(infra), dtype=np.int64))
        infra.insert(1, "round_id", np.int32(rid))
        infra.insert(2, "source", "expert")
        infra["scope_institution_id"] = infra["scope_institution_id"].astype("Int32")
        infra["import_id"] = np.int32(ids["infrastructure"])
        infra["replaced_by_import"] = pd.array([None] * len(infra), dtype="Int32")
        infra["created_at"] = imported
        infra_id += len(infra)

        self_frame = _answer_frame(answer_id, rid, "self", svc["service_id"].to_numpy(), answers, comments,
                                   ids["self"], imported)
        answer_id += n_svc
        expert_frame = _answer_frame(answer_id, rid, "expert", svc["service_id"].to_numpy()[rows], expert,
                                     np.full(len(rows), None, dtype=object), ids["expert"], _stamp(year, 4, 10))
        answer_id += len(rows)

        # Portal usage of the year, for the bodies that run portal services.
        portal = inst[inst["kind"] != "local"]
        weight = np.where(portal["kind"].to_numpy() == "central", 20.0, 1.0)
        on_portal = np.maximum(1, np.rint(services_per_institution * strength[portal["institution_id"].to_numpy() - 1]
                                          * (0.5 + 0.5 * k / max(rounds - 1, 1)))).astype(np.int32)
        uses = np.rint(on_portal * weight * rng.lognormal(7, 1, len(portal)) * (1.15 ** k)).astype(np.int64)
        usage = pd.DataFrame({
            "usage_id": np.arange(usage_id, usage_id + len(portal), dtype=np.int64), "period": f"{year}-12",
            "institution_id": portal["institution_id"].to_numpy(), "e_services_on_portal": on_portal, "uses": uses,
            "source": "synthetic", "import_id": pd.array([None] * len(portal), dtype="Int32"),
            "replaced_by_import": pd.array([None] * len(portal), dtype="Int32"), "created_at": _stamp(year, 12, 31)})
        usage_id += len(portal)

        approved_at = _stamp(year, 5, 20)
        with st.transaction() as cur:
            cur.execute(
                "INSERT INTO rounds (round_id, label, methodology_id, status, published, published_at, illustrative, "
                "opened_at, opened_by, deadline, closes) VALUES (?, ?, ?, 'open', FALSE, NULL, TRUE, ?, ?, ?, ?)",
                [rid, label, m.id, _stamp(year, 1, 15), actor.name, dt.date(year, 3, 31), dt.date(year, 4, 30)])
            events = [_event(event_id, _stamp(year, 1, 15), "open_round", round_id=rid,
                             detail={"label": label, "methodology": m.id, "illustrative": True},
                             reason="synthetic data")]
            made = [
                (ids["self"], "self", "self", {"coverage": {"new": len(coverage)}, "services": {"new": n_svc}},
                 imported),
                (ids["expert"], "expert", "expert", {"services": {"new": len(rows)}}, _stamp(year, 4, 10)),
                (ids["infrastructure"], "infrastructure", "expert", {"infrastructure": {"new": len(infra)}},
                 imported),
            ]
            imports = []
            for iid_, what, source, kinds_counts, at in made:
                name = f"synth:{label}-{what}"
                imports.append(_import_row(iid_, name, rid, source, ",".join(sorted(kinds_counts)), kinds_counts, at))
                events.append(_event(event_id + len(events), at, "import", round_id=rid, import_id=iid_,
                                     detail={"file": name, "source": source, "counts": kinds_counts}))
            insert_frame(cur, "imports", _frame_of(imports, ("round_id",)))
            step(0.2, "progress.synth.round")
            insert_frame(cur, "service_answers", self_frame)
            insert_frame(cur, "service_answers", expert_frame)
            step(0.7, "progress.synth.round")
            insert_frame(cur, "coverage", coverage)
            insert_frame(cur, "infrastructure_answers", infra)
            insert_frame(cur, "portal_usage", usage)
            # Reviewed: every body with data approved before publication.
            insert_frame(cur, "review_states", pd.DataFrame({
                "round_id": np.int32(rid), "institution_id": inst["institution_id"].to_numpy(), "state": "approved",
                "reason": pd.array([None] * len(inst), dtype="str"), "updated_at": approved_at,
                "updated_by": actor.name}))
            for iid in inst["institution_id"].tolist():
                events.append(_event(event_id + len(events), approved_at, "approve", round_id=rid,
                                     institution_id=iid, detail={"from": "under_review", "to": "approved"}))
            insert_frame(cur, "events", _frame_of(events, ("round_id", "institution_id", "import_id")))
            event_id += len(events)
            cur.execute("UPDATE rounds SET status = 'closed' WHERE round_id = ?", [rid])
        publish(st, actor, label, reason="synthetic data")
        with st.transaction() as cur:
            # Publication on the round's own calendar, after the approvals: the same build, the same content.
            published = _stamp(year, 6, 1)
            cur.execute("UPDATE rounds SET published_at = ? WHERE round_id = ?", [published, rid])
            cur.execute("UPDATE publications SET \"at\" = ? WHERE round_id = ?", [published, rid])
            cur.execute("UPDATE events SET \"at\" = ? WHERE round_id = ? AND action IN ('publish', 'republish')",
                        [published, rid])
            event_id = next_id(cur, "events", "event_id")
        counts["self"] += n_svc
        counts["expert"] += len(rows)
        counts["coverage"] += len(coverage)
        counts["infrastructure"] += len(infra)
        counts["portal_usage"] += len(usage)
        step(1.0, "progress.synth.round")
    report(0.95, "progress.synth.finish")
    st.checkpoint()
    report(1.0, "progress.synth.finish")
    return counts

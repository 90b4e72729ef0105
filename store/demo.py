"""The demo database: a showcase of the real registry over three illustrative rounds.

Every registered institution takes part, with a handful of regional and local
bodies added (``data/demo/bodies.csv``); about 300 services, the seed's
catalogue plus the ones in ``data/demo/services.csv``. Three published rounds,
2022–2024, hold invented but plausible assessments (flagged ``illustrative``):
institutions that improve, a few that slip, a 2023 methodology note (indicator
12 read strictly) that explains a dip, self-assessments and expert readings
that mostly agree and sometimes honestly differ, coverage and infrastructure
every round, and portal usage for December 2024 beside the real 2014 bulletin.

The seed's worked examples stay where tests and people look for them: the
Ministry of Taxes' 7.1 e-declaration in 2024 (level 3, columns 0 1 2 3 0 0,
score 4), the 2024 national infrastructure (0.8 / 0.6 / 0.3, index 0.6) and
the six 2024 coverage rows.

Values go through the ordinary paths: rounds are opened before importing, one
synthetic import per round, kind and source (actor ``demo``), reviews and
publication, so provenance, history and revert behave as with real files. The
whole build is one transaction: seconds, and nothing half-built if it fails.
A fixed random seed makes every build the same.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd

from ingest.model import CoverageRecord, InfrastructureAnswer, Meta, ParsedWorkbook, ServiceRecord

from . import queries
from .actors import Actor
from .imports import commit_import
from .publication import publish, review_overview
from .registry import add_institution, add_service, import_portal_usage_csv, normalise_name
from .review import approve, start_review
from .rounds import add_round_note, open_round

DEMO_ACTOR = Actor("demo", "admin")
METHODOLOGY = "2013-osce"
SEED = 20240917
ROUNDS = ("2022", "2023", "2024")
DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"
ILLUSTRATIVE = "illustrative demo figures"  # the source of the demo's portal usage
PORTAL_PERIOD = "2024-12"
E_DECLARATION = (1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0)
E_DECLARATION_BEFORE = {
    "2022": (1, 1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    "2023": (1, 1, 0, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0),
}
TAXES = "Vergilər Nazirliyi"
EID = 11  # index of indicator 12, "remote use with eID", read strictly from 2023 on

# The 2023 methodology note: an honest reason why some services fell back a level.
NOTE_2023 = {
    "az": "2023-cü ildən ekspert qrupu 12-ci göstəricini (eID ilə, quruma getmədən) yalnız xidmət milli eID ilə "
          "ayrıca qeydiyyat olmadan açılanda yerinə yetirilmiş sayır. 2022-ci ildə portal girişini bu göstərici "
          "kimi sayan bəzi xidmətlər buna görə bir səviyyə aşağı düşüb.",
    "en": "From 2023 the expert group counts indicator 12 (remote use with eID) as met only when the service "
          "accepts the national eID without a separate registration. Some services that counted a portal login "
          "as this indicator in 2022 fell back a level for that reason.",
}

# The seed's national infrastructure example is the 2024 expert assessment.
INFRA_NATIONAL = {
    "2022": {"1.1": 1, "1.2": 0, "1.3": 1, "1.4": 0, "1.5": 0, "1.6": 0,
             "2.1": 1, "2.2": 0, "2.3": 0, "2.4": 0, "2.5": 0, "2.6": 0, "2.7": 2,
             "3.1": 0, "3.2": 1, "3.3": 2},
    "2023": {"1.1": 1, "1.2": 0, "1.3": 1, "1.4": 1, "1.5": 0, "1.6": 0,
             "2.1": 1, "2.2": 0, "2.3": 1, "2.4": 0, "2.5": 0, "2.6": 0, "2.7": 4,
             "3.1": 1, "3.2": 2, "3.3": 4},
    "2024": {"1.1": 1, "1.2": 0, "1.3": 1, "1.4": 1, "1.5": 1, "1.6": 1,
             "2.1": 1, "2.2": 1, "2.3": 1, "2.4": 1, "2.5": 1, "2.6": 1, "2.7": 10,
             "3.1": 1, "3.2": 5, "3.3": 10},
}
# The seed's six coverage rows (transferable, provided), placed on six institutions in 2024.
SEED_COVERAGE = {
    "Əmək və Əhalinin Sosial Müdafiəsi Nazirliyi": (54, 35),
    "Dövlət Sosial Müdafiə Fondu": (22, 21),
    "Ədliyyə Nazirliyi": (42, 36),
    TAXES: (77, 77),
    "Daxili İşlər Nazirliyi": (83, 55),
    "Səhiyyə Nazirliyi": (65, 20),
}
# How far along a provider is (0–1) and where it is heading (+1 improving, 0 steady, -1 slipping):
# an invented but plausible profile. Bodies not listed draw theirs from the seed.
PROFILE = {
    TAXES: (0.8, 1), "Dövlət Gömrük Komitəsi": (0.7, 1), "Ədliyyə Nazirliyi": (0.65, 1),
    "Dövlət Sosial Müdafiə Fondu": (0.6, 0), "Daxili İşlər Nazirliyi": (0.55, 1),
    "Əmək və Əhalinin Sosial Müdafiəsi Nazirliyi": (0.5, 1), "Dövlət Statistika Komitəsi": (0.5, 0),
    "Rabitə və İnformasiya Texnologiyaları Nazirliyi": (0.55, -1), "Təhsil Nazirliyi": (0.4, 1),
    "Səhiyyə Nazirliyi": (0.35, -1), "Dövlət Torpaq və Xəritəçəkmə Komitəsi": (0.35, 0),
    "Dövlət Miqrasiya Xidməti": (0.3, 1), "Dövlət Şəhərsalma və Arxitektura Komitəsi": (0.2, -1),
    "Prezident yanında Vətəndaşlara Xidmət və Sosial İnnovasiyalar üzrə Dövlət Agentliyi": (0.85, 1),
    "Tələbə Qəbulu üzrə Dövlət Komissiyası": (0.75, 0), "Elektron Hökumət Portalı": (0.7, 1),
    "Əmlak Məsələləri Dövlət Komitəsi": (0.55, 1), "Nəqliyyat Nazirliyi": (0.3, -1),
}
COMMENTS = {
    ("2024", TAXES, "7.1"): "Bəyannamə portalda doldurulur; ödəniş hələ ayrıca aparılır.",
}
EXPERT_SHARE = 0.8  # of services the expert group checked
DISAGREE_SHARE = 0.22  # of checked services where the expert reads an indicator differently
INFRA_SCOPES = 15  # institutions with their own infrastructure assessment


# --- answers ------------------------------------------------------------------------------


def _answers(level: int, m, rng: np.random.Generator) -> list[int]:
    """Answers that put a service at about ``level``: its indicators mostly met, higher ones mostly not."""
    out = []
    for ind in m.indicators:
        if ind.home <= level:
            p = 1.0 if ind.mandatory else 0.7
        else:
            p = 0.0 if ind.mandatory else 0.12
        out.append(int(rng.random() < p))
    return out


def _improve(prev: list[int], level: int, m, rng: np.random.Generator) -> list[int]:
    """Next year's answers: mostly last year's, some redrawn for a (possibly higher) level, none lost on mandatory."""
    draw = _answers(level, m, rng)
    out = [p if rng.random() < 0.8 else max(p, d) for p, d in zip(prev, draw)]
    for i, ind in enumerate(m.indicators):
        if ind.mandatory and ind.home <= level:
            out[i] = 1
    return out


def _slip(prev: list[int], level: int, m, rng: np.random.Generator) -> list[int]:
    """Next year's answers of a service that fell back: what belongs above ``level`` is lost first."""
    out = list(prev)
    for i, ind in enumerate(m.indicators):
        if ind.home > level and out[i] and (ind.mandatory or rng.random() < 0.6):
            out[i] = 0
    return out


def _disagree(answers: list[int], m, rng: np.random.Generator) -> list[int]:
    """The expert reads one or two judgement calls differently, more often finding a claim unsupported.

    Mandatory indicators are plain facts (a website exists or not); experts differ on the rest.
    """
    out = list(answers)
    optional = [i for i, ind in enumerate(m.indicators) if not ind.mandatory]
    claimed = [i for i in optional if out[i]]
    for _ in range(int(rng.integers(1, 3))):
        pool = claimed if claimed and rng.random() < 0.7 else optional
        i = int(rng.choice(pool))
        out[i] = 1 - out[i]
    return out


# --- registry ------------------------------------------------------------------------------


def _bodies(st, actor: Actor) -> None:
    """Register the regional and local bodies of the showcase (audited like any addition)."""
    bodies = pd.read_csv(DEMO_DIR / "bodies.csv", dtype=str, keep_default_na=False)
    ids: dict[str, int] = {}
    for r in bodies.itertuples(index=False):
        parent = ids.get(r.parent_az) if r.parent_az else None
        ids[r.name_az] = add_institution(st, actor, r.name_az, r.name_en, kind=r.kind, parent_id=parent,
                                         reason="illustrative demo data")


def _services(st, actor: Actor, rng: np.random.Generator) -> None:
    """Give every institution a believable set of services: its own from the demo list, then common ones."""
    table = pd.read_csv(DEMO_DIR / "services.csv", dtype=str, keep_default_na=False)
    common = table[table["institution_az"] == "*"].to_dict("records")
    own = {k: g.to_dict("records") for k, g in table[table["institution_az"] != "*"].groupby("institution_az")}
    inst = queries.institutions(st)
    svc = queries.services(st)
    prefixes = {}
    for iid, codes in svc.groupby("institution_id")["code"]:
        prefixes[int(iid)] = str(codes.iloc[0]).split(".")[0]
    next_prefix = 40
    for r in inst.sort_values("institution_id").itertuples(index=False):
        iid = int(r.institution_id)
        codes = svc.loc[svc["institution_id"] == iid, "code"].astype(str).tolist()
        if iid not in prefixes:
            prefixes[iid] = str(next_prefix)
            next_prefix += 1
        number = max([int(c.split(".")[1]) for c in codes if "." in c and c.split(".")[1].isdigit()] or [0])
        wanted = [*own.get(r.name_az, [])]
        target = max(len(codes) + len(wanted), 4 + int(rng.integers(0, 5)))
        for pick in rng.permutation(len(common)):
            if len(codes) + len(wanted) >= target:
                break
            wanted.append(common[int(pick)])
        for s in wanted:
            number += 1
            add_service(st, actor, iid, f"{prefixes[iid]}.{number}", s["service_az"], s["service_en"],
                        s["audience"] or None, reason="illustrative demo data")


def _profile(name: str, rng: np.random.Generator) -> tuple[float, int]:
    if name in PROFILE:
        return PROFILE[name]
    strength = float(np.clip(rng.normal(0.45, 0.15), 0.15, 0.8))
    trend = int(rng.choice([1, 1, 0, 0, -1]))
    return strength, trend


# --- rounds --------------------------------------------------------------------------------


def _workbook(name: str, meta: Meta, **records) -> ParsedWorkbook:
    payload = json.dumps({"meta": meta.__dict__, **{k: [r.__dict__ for r in v] for k, v in records.items()}},
                         sort_keys=True, default=str)
    sha = hashlib.sha256(f"{name}\n{payload}".encode()).hexdigest()
    return ParsedWorkbook(file_name=name, sha256=sha, size=len(payload), meta=meta, **records)


def _service_answers(svc: pd.DataFrame, profiles: dict, m, rng: np.random.Generator) -> dict[str, dict[int, list]]:
    """Answers per round and service: levels move with the institution's heading, and from 2023 on the
    strict reading of indicator 12 costs some weaker providers' services their eID claim."""
    out: dict[str, dict[int, list]] = {label: {} for label in ROUNDS}
    for r in svc.itertuples(index=False):
        strength, trend = profiles[r.institution_az]
        level = int(np.clip(round(0.4 + 4 * strength + rng.normal(0, 0.7) - 0.5 * max(trend, 0)), 1, 5))
        answers = _answers(level, m, rng)
        for k, label in enumerate(ROUNDS):
            if k:
                step = (trend > 0 and rng.random() < 0.5) - (trend < 0 and rng.random() < 0.45)
                step += (trend == 0 and rng.random() < 0.15)
                level = int(np.clip(level + step, 1, 5))
                answers = _improve(answers, level, m, rng) if step >= 0 else _slip(answers, level, m, rng)
            if label >= "2023" and strength < 0.5 and answers[EID] and rng.random() < 0.6:
                answers = list(answers)
                answers[EID] = 0
            out[label][r.service_id] = list(answers)
        if r.institution_az == TAXES and r.code == "7.1":
            for label, fixed in E_DECLARATION_BEFORE.items():
                out[label][r.service_id] = list(fixed)
            out["2024"][r.service_id] = list(E_DECLARATION)
    return out


def _coverage(label: str, names: dict[int, str], per_inst: dict[int, int], profiles: dict,
              rng: np.random.Generator, base: dict[int, int]) -> list[CoverageRecord]:
    rows = []
    for row, (iid, name) in enumerate(sorted(names.items()), start=3):
        strength, trend = profiles[name]
        k = ROUNDS.index(label)
        if name in SEED_COVERAGE:
            t, p = SEED_COVERAGE[name]
            p = {"2022": round(p * 0.65), "2023": round(p * 0.8), "2024": p}[label]
        else:
            t = base[iid] + k * int(rng.integers(0, 3))
            share = np.clip(strength + 0.08 * trend * (k - 1) + rng.normal(0, 0.05), 0.05, 1.0)
            p = int(min(t, max(per_inst.get(iid, 1), round(t * share))))
        rows.append(CoverageRecord(row=row, institution_id=int(iid), institution_name=name, transferable=int(t),
                                   provided=int(p)))
    return rows


def _infra_values(strength: float, k: int, rng: np.random.Generator) -> dict[str, float]:
    """An institution's infrastructure answers: yes/no questions likelier with strength, percentages around it."""
    out = {}
    for q in ("1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "2.1", "2.2", "2.3", "2.4", "3.1"):
        out[q] = float(rng.random() < np.clip(strength + 0.08 * k, 0, 0.98))
    for q in ("2.5", "2.6", "2.7", "3.2", "3.3"):
        out[q] = float(np.clip(round(100 * strength + 10 * k + rng.normal(0, 12)), 0, 100))
    return dict(sorted(out.items(), key=lambda kv: [int(x) for x in kv[0].split(".")]))


def _portal(st, actor: Actor, svc: pd.DataFrame, answers: dict, profiles: dict, m,
            rng: np.random.Generator) -> None:
    """December 2024 portal usage, illustrative: services online at level ≥ 3, uses growing with strength."""
    from scoring import score_answers

    latest = svc.assign(**{q: [answers["2024"][s][i] for s in svc["service_id"]]
                           for i, q in enumerate(m.answer_columns)})
    scored = score_answers(latest, m)
    online = scored[scored["level"] >= 3].groupby("institution_az").size()
    rows = []
    for name, n in online.items():
        strength, _ = profiles[name]
        uses = int(np.exp(rng.normal(4 + 9 * strength, 0.8)))
        rows.append({"institution": name, "e_services_on_portal": int(n), "uses": uses})
    import_portal_usage_csv(st, actor, pd.DataFrame(rows), PORTAL_PERIOD, source=ILLUSTRATIVE)


def build_demo(st, actor: Actor = DEMO_ACTOR) -> dict[str, int]:
    """Fill a freshly seeded store with the showcase; returns import ids by name.

    Refuses a store that already has rounds: the demo is built from scratch.
    """
    if len(queries.rounds(st)):
        raise RuntimeError("the database already holds rounds; build the demo into a new file")
    with st.transaction():
        return _build(st, actor)


def _build(st, actor: Actor) -> dict[str, int]:
    from scoring import load_methodology

    m = load_methodology(METHODOLOGY)
    rng = np.random.default_rng(SEED)
    _bodies(st, actor)
    _services(st, actor, rng)
    svc = queries.services(st)
    inst = queries.institutions(st).set_index("institution_id")
    names = {int(i): str(n) for i, n in inst["name_az"].items()}
    by_name = {normalise_name(n): i for i, n in names.items()}
    profiles = {n: _profile(n, rng) for n in sorted(names.values())}
    answers = _service_answers(svc, profiles, m, rng)
    per_inst = svc.groupby("institution_id").size().to_dict()
    base = {iid: int(per_inst.get(iid, 1) + rng.integers(2, 40)) for iid in names}
    scopes = sorted(names, key=lambda i: -profiles[names[i]][0])[:INFRA_SCOPES]
    scopes = sorted(set(scopes) | {by_name[normalise_name(n)] for n in (TAXES, "Ədliyyə Nazirliyi",
                                                                        "Dövlət Gömrük Komitəsi")})

    out: dict[str, int] = {}
    for k, label in enumerate(ROUNDS):
        open_round(st, actor, label, METHODOLOGY, illustrative=True, reason="illustrative demo data")
        self_recs, expert_recs = [], []
        for row, r in enumerate(svc.itertuples(index=False), start=3):
            a = answers[label][r.service_id]
            common = dict(row=row, institution_id=int(r.institution_id), institution_name=r.institution_az,
                          service_code=r.code, service_name=r.name_az, audience=r.audience)
            self_recs.append(ServiceRecord(answers=tuple(a), comment=COMMENTS.get((label, r.institution_az, r.code)),
                                           **common))
            if rng.random() > EXPERT_SHARE:
                continue  # not every service was checked by the experts
            is_example = r.institution_az == TAXES and r.code == "7.1"
            ea = a if is_example or rng.random() > DISAGREE_SHARE else _disagree(a, m, rng)
            expert_recs.append(ServiceRecord(answers=tuple(ea), **common))
        coverage = _coverage(label, names, per_inst, profiles, rng, base)
        jobs = [
            _workbook(f"demo:{label}-self", Meta(round=label, source="self", methodology=METHODOLOGY, language="az"),
                      services=self_recs, coverage=coverage),
            _workbook(f"demo:{label}-expert", Meta(round=label, source="expert", methodology=METHODOLOGY),
                      services=expert_recs),
            _workbook(f"demo:{label}-infrastructure", Meta(round=label, source="expert", methodology=METHODOLOGY),
                      infrastructure=[InfrastructureAnswer(row=n, question_id=q, value=float(v))
                                      for n, (q, v) in enumerate(INFRA_NATIONAL[label].items(), start=2)]),
        ]
        for iid in scopes:
            values = _infra_values(profiles[names[iid]][0], k, rng)
            jobs.append(_workbook(
                f"demo:{label}-infrastructure-{iid}",
                Meta(round=label, source="expert", methodology=METHODOLOGY, scope=names[iid], scope_institution_id=iid),
                infrastructure=[InfrastructureAnswer(row=n, question_id=q, value=v)
                                for n, (q, v) in enumerate(values.items(), start=2)]))
        for wb in jobs:
            out[wb.file_name] = commit_import(st, actor, wb).import_id
        if label == "2023":
            add_round_note(st, actor, label, NOTE_2023["az"], NOTE_2023["en"], kind="methodology",
                           reason="illustrative demo data")
        _approve_all(st, actor, label)
        publish(st, actor, label, reason="illustrative demo data")
    _portal(st, actor, svc, answers, profiles, m, rng)
    return out


def _approve_all(st, actor: Actor, label: str) -> None:
    """The demo's rounds are reviewed: every institution with data is approved (so visitors see it)."""
    for iid, _name, state in review_overview(st, label):
        if state is None:
            start_review(st, actor, label, iid)
        approve(st, actor, label, iid)

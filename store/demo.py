"""The demo database: the real registry and 2014 figures plus two illustrative rounds.

Rounds ``2023`` and ``2024`` hold invented but plausible assessments (flagged
``illustrative``) so that every view has something to show. Values go through
the ordinary import path (one synthetic import per round and kind, actor
``demo``), so provenance, history and revert behave as with real files.
Fixed random seed: the same build gives the same database content.
"""

from __future__ import annotations

import hashlib
import json

import numpy as np

from ingest.model import CoverageRecord, InfrastructureAnswer, Meta, ParsedWorkbook, ServiceRecord

from . import queries
from .actors import Actor
from .imports import commit_import
from .publication import publish, review_overview
from .registry import normalise_name
from .review import approve, start_review
from .rounds import open_round

DEMO_ACTOR = Actor("demo", "admin")
METHODOLOGY = "2013-osce"
SEED = 20240917
E_DECLARATION = (1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0)
TAXES = "Vergilər Nazirliyi"

# The seed's national infrastructure example, used as the 2024 expert assessment.
INFRA_2024 = {"1.1": 1, "1.2": 0, "1.3": 1, "1.4": 1, "1.5": 1, "1.6": 1,
              "2.1": 1, "2.2": 1, "2.3": 1, "2.4": 1, "2.5": 1, "2.6": 1, "2.7": 10,
              "3.1": 1, "3.2": 5, "3.3": 10}
INFRA_2023 = {"1.1": 1, "1.2": 0, "1.3": 1, "1.4": 1, "1.5": 0, "1.6": 0,
              "2.1": 1, "2.2": 0, "2.3": 1, "2.4": 0, "2.5": 0, "2.6": 0, "2.7": 4,
              "3.1": 1, "3.2": 2, "3.3": 4}
# Per-institution infrastructure views for a few institutions (2023, 2024).
INFRA_INSTITUTIONS = {
    TAXES: ({"1.1": 1, "1.2": 0, "1.3": 1, "1.4": 1, "1.5": 0, "1.6": 1, "2.1": 1, "2.2": 1, "2.3": 1, "2.4": 1,
             "2.5": 40, "2.6": 55, "2.7": 60, "3.1": 1, "3.2": 45, "3.3": 52},
            {"1.1": 1, "1.2": 1, "1.3": 1, "1.4": 1, "1.5": 1, "1.6": 1, "2.1": 1, "2.2": 1, "2.3": 1, "2.4": 1,
             "2.5": 62, "2.6": 78, "2.7": 80, "3.1": 1, "3.2": 70, "3.3": 66}),
    "Ədliyyə Nazirliyi": ({"1.1": 1, "1.2": 0, "1.3": 1, "1.4": 1, "1.5": 1, "1.6": 0, "2.1": 1, "2.2": 0,
                           "2.3": 1, "2.4": 0, "2.5": 20, "2.6": 10, "2.7": 30, "3.1": 1, "3.2": 25, "3.3": 30},
                          {"1.1": 1, "1.2": 1, "1.3": 1, "1.4": 1, "1.5": 0, "1.6": 1, "2.1": 1, "2.2": 1,
                           "2.3": 1, "2.4": 0, "2.5": 45, "2.6": 30, "2.7": 55, "3.1": 1, "3.2": 52, "3.3": 48}),
    "Dövlət Gömrük Komitəsi": ({"1.1": 1, "1.2": 0, "1.3": 1, "1.4": 0, "1.5": 0, "1.6": 1, "2.1": 0, "2.2": 1,
                                "2.3": 0, "2.4": 1, "2.5": 5, "2.6": 55, "2.7": 20, "3.1": 1, "3.2": 30, "3.3": 35},
                               {"1.1": 1, "1.2": 0, "1.3": 1, "1.4": 0, "1.5": 0, "1.6": 1, "2.1": 1, "2.2": 1,
                                "2.3": 0, "2.4": 1, "2.5": 15, "2.6": 60, "2.7": 40, "3.1": 1, "3.2": 55, "3.3": 51}),
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
# How far along each provider is (0–1): an invented but plausible profile.
STRENGTH = {
    TAXES: 0.8, "Dövlət Gömrük Komitəsi": 0.7, "Ədliyyə Nazirliyi": 0.65, "Dövlət Sosial Müdafiə Fondu": 0.6,
    "Daxili İşlər Nazirliyi": 0.55, "Əmək və Əhalinin Sosial Müdafiəsi Nazirliyi": 0.5,
    "Dövlət Statistika Komitəsi": 0.5, "Rabitə və İnformasiya Texnologiyaları Nazirliyi": 0.55,
    "Təhsil Nazirliyi": 0.4, "Səhiyyə Nazirliyi": 0.35, "Dövlət Torpaq və Xəritəçəkmə Komitəsi": 0.35,
    "Dövlət Miqrasiya Xidməti": 0.3, "Dövlət Şəhərsalma və Arxitektura Komitəsi": 0.2,
}
COMMENTS = {
    ("2024", TAXES, "7.1"): "Bəyannamə portalda doldurulur; ödəniş hələ ayrıca aparılır.",
}


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


def _disagree(answers: list[int], m, rng: np.random.Generator) -> list[int]:
    """The expert reads one or two indicators differently from the provider."""
    out = list(answers)
    # Mandatory indicators are plain facts (a website exists or not); experts
    # disagree on the judgement calls.
    candidates = [i for i, ind in enumerate(m.indicators) if not ind.mandatory]
    for i in rng.choice(candidates, size=int(rng.integers(1, 3)), replace=False):
        out[int(i)] = 1 - out[int(i)]
    return out


def _workbook(name: str, meta: Meta, **records) -> ParsedWorkbook:
    payload = json.dumps({"meta": meta.__dict__, **{k: [r.__dict__ for r in v] for k, v in records.items()}},
                         sort_keys=True, default=str)
    sha = hashlib.sha256(f"{name}\n{payload}".encode()).hexdigest()
    return ParsedWorkbook(file_name=name, sha256=sha, size=len(payload), meta=meta, **records)


def build_demo(st, actor: Actor = DEMO_ACTOR) -> dict[str, int]:
    """Fill a freshly seeded store with the two illustrative rounds; returns import ids by name.

    Refuses a store that already has rounds: the demo is built from scratch.
    """
    from scoring import load_methodology

    if len(queries.rounds(st)):
        raise RuntimeError("the database already holds rounds; build the demo into a new file")
    m = load_methodology(METHODOLOGY)
    rng = np.random.default_rng(SEED)
    svc = queries.services(st)
    inst = queries.institutions(st).set_index("institution_id")
    by_name = {normalise_name(n): i for i, n in inst["name_az"].items()}

    # Levels and answers per service, 2023 first, 2024 built on it.
    answers: dict[str, dict[int, list[int]]] = {"2023": {}, "2024": {}}
    for r in svc.itertuples(index=False):
        s = STRENGTH.get(r.institution_az, 0.45)
        lvl23 = int(np.clip(round(0.6 + 4 * s + rng.normal(0, 0.7)), 1, 5))
        lvl24 = min(5, lvl23 + int(rng.random() < 0.4))
        a23 = _answers(lvl23, m, rng)
        answers["2023"][r.service_id] = a23
        answers["2024"][r.service_id] = _improve(a23, lvl24, m, rng)
        if r.institution_az == TAXES and r.code == "7.1":
            answers["2023"][r.service_id] = [1, 1, 0, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]
            answers["2024"][r.service_id] = list(E_DECLARATION)

    out: dict[str, int] = {}
    for label in ("2023", "2024"):
        open_round(st, actor, label, METHODOLOGY, illustrative=True, reason="illustrative demo data")
        self_recs, expert_recs = [], []
        for row, r in enumerate(svc.itertuples(index=False), start=3):
            a = answers[label][r.service_id]
            common = dict(row=row, institution_id=int(r.institution_id), institution_name=r.institution_az,
                          service_code=r.code, service_name=r.name_az, audience=r.audience)
            self_recs.append(ServiceRecord(answers=tuple(a), comment=COMMENTS.get((label, r.institution_az, r.code)),
                                           **common))
            if rng.random() < 0.15:
                continue  # not every service was checked by the experts
            is_example = r.institution_az == TAXES and r.code == "7.1"
            ea = a if is_example or rng.random() < 0.7 else _disagree(a, m, rng)
            expert_recs.append(ServiceRecord(answers=tuple(ea), **common))

        coverage = []
        for row, (iid, names) in enumerate(svc.groupby("institution_id")["institution_az"].first().items(), start=3):
            if label == "2024" and names in SEED_COVERAGE:
                t, p = SEED_COVERAGE[names]
            else:
                s = STRENGTH.get(names, 0.45)
                t = int(rng.integers(8, 60))
                p = int(min(t, round(t * np.clip(s + rng.normal(0.05 if label == "2024" else -0.05, 0.1), 0.05, 1))))
            if label == "2023" and names in SEED_COVERAGE:
                t, p = SEED_COVERAGE[names][0], int(SEED_COVERAGE[names][1] * 0.8)
            coverage.append(CoverageRecord(row=row, institution_id=int(iid), institution_name=names,
                                           transferable=t, provided=p))

        meta = Meta(round=label, source="self", methodology=METHODOLOGY, language="az")
        jobs = [
            _workbook(f"demo:{label}-self", meta, services=self_recs, coverage=coverage),
            _workbook(f"demo:{label}-expert", Meta(round=label, source="expert", methodology=METHODOLOGY),
                      services=expert_recs),
        ]
        national = INFRA_2024 if label == "2024" else INFRA_2023
        jobs.append(_workbook(f"demo:{label}-infrastructure", Meta(round=label, source="expert", methodology=METHODOLOGY),
                              infrastructure=[InfrastructureAnswer(row=k, question_id=q, value=float(v))
                                              for k, (q, v) in enumerate(national.items(), start=2)]))
        for name, (v23, v24) in INFRA_INSTITUTIONS.items():
            iid = by_name[normalise_name(name)]
            vals = v24 if label == "2024" else v23
            jobs.append(_workbook(
                f"demo:{label}-infrastructure-{iid}",
                Meta(round=label, source="expert", methodology=METHODOLOGY, scope=name, scope_institution_id=iid),
                infrastructure=[InfrastructureAnswer(row=k, question_id=q, value=float(v))
                                for k, (q, v) in enumerate(vals.items(), start=2)]))
        for wb in jobs:
            out[wb.file_name] = commit_import(st, actor, wb).import_id
        _approve_all(st, actor, label)
        publish(st, actor, label, reason="illustrative demo data")
    return out


def _approve_all(st, actor: Actor, label: str) -> None:
    """The demo's rounds are reviewed: every institution with data is approved (so visitors see it)."""
    for iid, _name, state in review_overview(st, label):
        if state is None:
            start_review(st, actor, label, iid)
        approve(st, actor, label, iid)

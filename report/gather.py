"""Gather a :class:`~report.model.ReportModel` from the store: the one place reports read data.

Reads go through ``store.queries`` (no SQL here) and scores through the
scoring core, exactly as the dashboard's loaders do, so a report and the
dashboard cannot disagree. ``snapshot="published"`` (every visitor, and the
default for a published round) reads with ``published_only=True``: the
round's published values, dated by its last publication. ``"current"``
(signed-in users only) reads the live rows and marks every output "not
published".
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

import scoring
from l10n import fmt_num, fmt_pct, sort_key, t, territory_name
from scoring import eu, reference

from .agenda import Agenda
from .model import (
    BoardRow,
    ClassicRow,
    EgdiPoint,
    InstitutionPage,
    InstitutionPages,
    MappingRow,
    MethodInfo,
    ReportModel,
    Summary,
    ThresholdRow,
    TrendPoint,
)
from .service_rows import ServiceTable
from .service_rows import name_in as _name

SNAPSHOTS = ("published", "current")
DEFAULT_URL = "http://localhost:8501"
PUBLIC_URL_ENV = "EGOV_PUBLIC_URL"  # the dashboard's public address, for links and QR codes
# Countries beside Azerbaijan and the EU average on the UN slide: the neighbours and the EU's
# digital front-runner. UN files use ISO 3166 alpha-3 codes, CLDR names use alpha-2.
EGDI_COUNTRIES = {"AZE": "AZ", "GEO": "GE", "TUR": "TR", "KAZ": "KZ", "EST": "EE"}
DIMENSIONS = ("coverage", "maturity", "infrastructure", "corruption")


class NotPublished(LookupError):
    """A visitor (or a published snapshot) asked for a round that is not published."""


def utcnow() -> _dt.datetime:
    return _dt.datetime.now(_dt.UTC).replace(tzinfo=None)


def _f(v) -> float | None:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def _i(v) -> int | None:
    x = _f(v)
    return None if x is None else int(round(x))


def dashboard_url(base: str | None, round_label: str, lang: str, source: str) -> str:
    """The live dashboard in the same state as the report: round, language and source in the link."""
    import os
    from urllib.parse import urlencode

    root = (base or os.environ.get(PUBLIC_URL_ENV, "").strip() or DEFAULT_URL).rstrip("/")
    return f"{root}/?{urlencode({'round': round_label, 'lang': lang, 'source': source})}"


def _summary(d: dict) -> Summary:
    return Summary(institutions=int(d["institutions"]), services=int(d["services"]), mean_level=_f(d["mean_level"]),
                   share_level4=_f(d["share_level4"]), share_level5=_f(d["share_level5"]),
                   infrastructure_index=_f(d["infrastructure_index"]), mean_coverage=_f(d["mean_coverage"]))


class _Round:
    """One round's scored frames, its board and headline figures, read once.

    ``rows`` (the previous round): its compact answers (``queries.answer_rows``), already read with the
    older rounds, without names or codes: only the reported round's services are listed. Older rounds only make a point of the trends
    (:func:`_other_rounds`).
    """

    def __init__(self, st, label: str, source: str, published_only: bool, *, rows: pd.DataFrame | None = None):
        from store import queries

        self.label = label
        self.m = queries.load_round_methodology(st, label)
        if rows is None:
            answers = queries.service_answers(st, label, source, published_only=published_only)
        else:
            answers = queries.source_rows(rows, source)
        self.scored = scoring.score_answers(answers.reset_index(drop=True), self.m)
        self.coverage = queries.coverage_rows(st, label, published_only=published_only)
        self.infra_answers = queries.infrastructure_answers(st, label, source="validated",
                                                            published_only=published_only)
        self.board = scoring.institution_board(self.scored, self.coverage, self.infra_answers, self.m)
        scores = (scoring.infrastructure_frame(self.infra_answers.rename(columns={"scope_institution_id": "scope"}),
                                               self.m) if len(self.infra_answers) else pd.DataFrame())
        national = scores[scores["scope"].isna()] if len(scores) else scores
        self.national = None
        if len(national):
            row = national.iloc[0]
            self.national = {c.id: float(row[c.id]) for c in self.m.components} | {"index": float(row["index"])}
        index = self.national["index"] if self.national else None
        self.summary = _summary(scoring.round_summary(self.scored, self.coverage, index))

    def levels(self) -> tuple[int, ...]:
        counts = self.scored["level"].astype(int).value_counts() if len(self.scored) else pd.Series(dtype=int)
        return tuple(int(counts.get(k, 0)) for k in range(6))


def _threshold(value: float, unit: str, lang: str) -> str:
    if unit == "percent":
        return fmt_pct(value, lang)
    return fmt_num(value, lang, 0 if float(value).is_integer() else 2)


def method_info(m: scoring.Methodology, lang: str) -> MethodInfo:
    thresholds = []
    for dim in DIMENSIONS:
        r = m.lights[dim]
        g, y = _threshold(r.green, r.unit, lang), _threshold(r.yellow, r.unit, lang)
        thresholds.append(ThresholdRow(
            dimension=t(f"dim.{dim}", lang), green=f"{'≥' if r.green_inclusive else '>'} {g}",
            yellow=f"{'≥' if r.yellow_inclusive else '>'} {y}", red=f"{'<' if r.yellow_inclusive else '≤'} {y}"))
    bands = []
    for i, b in enumerate(m.bands):
        top = m.bands[i + 1].min - 1 if i + 1 < len(m.bands) else m.corruption_max
        bands.append((b.label.get(lang), f"{b.min}–{top}"))
    return MethodInfo(
        id=m.id, title=m.title.get(lang), description=m.description.get(lang),
        stages=tuple((s.level, s.eu.get(lang), s.un.get(lang)) for s in m.stages),
        thresholds=tuple(thresholds), bands=tuple(bands),
        components=tuple((c.id, c.name.get(lang), len(c.questions)) for c in m.components),
        indicators=m.n_indicators, percent_threshold=float(m.percent_threshold),
    )


def _board_rows(now: _Round, before: _Round | None, names: pd.DataFrame, lang: str) -> list[BoardRow]:
    comparable = before is not None and before.m.id == now.m.id
    # Changes come row for row with the board; names are looked up once for the board's institutions
    # (a lookup per row costs a country's board a second).
    changes = scoring.board_changes(now.board, before.board if comparable else None)
    level_change = changes["mean_level_change"].to_numpy(dtype=float)
    coverage_change = changes["coverage_pct_change"].to_numpy(dtype=float)
    ids = now.board["institution_id"].astype(int).tolist()
    meta = names[names.index.isin(ids)].to_dict("index")
    rows = []
    for k, (iid, r) in enumerate(zip(ids, now.board.to_dict("records"))):
        known = meta.get(iid)
        rows.append(BoardRow(
            institution_id=iid, name=_name(known, lang) if known else str(iid),
            kind=known.get("kind") if known else None, n_services=int(r["n_services"]),
            transferable=_i(r["services_transferable"]), provided=_i(r["e_services_provided"]),
            coverage_pct=_f(r["coverage_pct"]), coverage_light=r["coverage_light"],
            mean_level=_f(r["mean_level"]), maturity_light=r["maturity_light"],
            infrastructure_index=_f(r["infrastructure_index"]), infrastructure_light=r["infrastructure_light"],
            mean_corruption=_f(r["mean_corruption"]), corruption_light=r["corruption_light"],
            level_change=_f(level_change[k]), coverage_change=_f(coverage_change[k]),
        ))
    return sorted(rows, key=lambda b: sort_key(b.name, lang))  # the report language's alphabetical order


def _mapping(now: _Round, lang: str) -> list[MappingRow]:
    try:
        mapping = reference.load_eu_mapping(now.m.id)
    except FileNotFoundError:  # a newer methodology without a mapping of its own keeps the latest one
        mapping = reference.load_eu_mapping()
    services = now.scored[["code", "level"]].drop_duplicates("code") if len(now.scored) else \
        pd.DataFrame({"code": pd.Series(dtype=str), "level": pd.Series(dtype="int64")})
    table = eu.service_mapping_table(mapping, services, lang)
    rows = []
    for r in table.to_dict("records"):
        level = r["level"]
        online = r["fully_online"]
        rows.append(MappingRow(
            audience=t(f"audience.{r['audience']}", lang) if r["audience"] in ("citizen", "business") else None,
            eu_service=r["eu_service"] if r["eu_counterpart"] else None,
            az_codes=r["az_codes"] if r["az_counterpart"] else None,
            az_services=r["az_services"] if r["az_counterpart"] else None,
            level=None if level is pd.NA or pd.isna(level) else int(level),
            fully_online=None if online is pd.NA or pd.isna(online) else bool(online)))
    return rows


def _classic(now: _Round, lang: str) -> tuple[list[ClassicRow], int | None]:
    rows = []
    if len(now.scored):
        ind = eu.classic_indicators(now.scored, level_col="level", audience_col="audience")
        for group in ("overall", "citizen", "business"):
            r = ind.loc[group]
            rows.append(ClassicRow(label=t("report.eu.az_group", lang, round=now.label, group=t(f"eu.group.{group}", lang)),
                                   n_services=int(r["n_services"]), sophistication=_f(r["online_sophistication_pct"]),
                                   full_online=_f(r["full_online_availability_pct"])))
    head = eu.eu_headline(reference.load_eu_benchmark())
    rows.append(ClassicRow(label=t("report.eu.eu_series", lang, year=head.year), n_services=None,
                           sophistication=head.online_sophistication_pct,
                           full_online=head.full_online_availability_pct, is_eu=True))
    return rows, head.year


def _egdi(lang: str) -> list[EgdiPoint]:
    table = eu.egdi_comparison_table(reference.load_egdi(), reference.load_eu_members(),
                                     countries=tuple(EGDI_COUNTRIES), lang=lang)
    out = []
    for r in table.to_dict("records"):
        is_eu = r["kind"] == "eu_average"
        if is_eu:
            label = t("eu.egdi.eu_average", lang)
        elif r["series"] == "AZE":
            label = t("eu.azerbaijan", lang)
        else:
            label = territory_name(EGDI_COUNTRIES.get(r["series"], ""), lang) or str(r["label"])
        rank = r["rank"]
        out.append(EgdiPoint(year=int(r["year"]), label=label, egdi=_f(r["egdi"]),
                             rank=None if rank is pd.NA or pd.isna(rank) else int(rank),
                             is_azerbaijan=r["series"] == "AZE", is_eu_average=is_eu))
    return out


def _other_rounds(st, labels: list[str], older: pd.DataFrame, source: str, published_only: bool,
                  round_ids: dict[str, int]) -> dict[str, tuple[str, int, float | None, float | None, float, float]]:
    """The trend figures of rounds the report shows no more of: (methodology, services, mean level, share at
    level 4 or 5, transferable, provided), from the older rounds' compact answers (``older``, read once) and
    one read of their coverage."""
    from scoring.frame import score_columns
    from store import queries

    rows = queries.source_rows(older, source)
    cov = queries.coverage_of_rounds(st, labels, published_only=published_only)
    of_row, of_cov = rows["round_id"].to_numpy(), cov["round"].astype(str).to_numpy()
    out = {}
    for lbl in labels:
        m = queries.load_round_methodology(st, lbl)
        mask = of_row == round_ids[lbl]
        n = int(mask.sum())
        counts = np.zeros(6, np.int64)
        if n:
            level = score_columns([rows[q].to_numpy()[mask].view(np.uint8) for q in m.answer_columns], m)["level"]
            counts = np.bincount(level, minlength=6)
        # As round_summary works them out: an exact integer sum over the count, a share times 100.
        mean = float(int(counts @ np.arange(6))) / n if n else None
        share4 = float(int(counts[4:].sum()) / n * 100) if n else None
        c = cov[of_cov == lbl]
        out[lbl] = (m.id, n, mean, share4, c["services_transferable"].astype(float).sum(),
                    c["e_services_provided"].astype(float).sum())
    return out


def _trends(st, labels: list[str], loaded: dict[str, _Round], older: pd.DataFrame | None, source: str,
            published_only: bool, round_ids: dict[str, int]) -> list[TrendPoint]:
    figures = {r.label: (r.m.id, r.summary.services, r.summary.mean_level, r.summary.share_level4,
                         r.coverage["services_transferable"].astype(float).sum(),
                         r.coverage["e_services_provided"].astype(float).sum()) for r in loaded.values()}
    missing = [lbl for lbl in labels if lbl not in figures]
    if missing:
        figures |= _other_rounds(st, missing, older, source, published_only, round_ids)
    out, prev_m = [], None
    for lbl in labels:
        mid, services, mean_level, share4, t_, p_ = figures[lbl]
        out.append(TrendPoint(round=lbl, methodology_id=mid, series_break=prev_m is not None and prev_m != mid,
                              services=services, mean_level=mean_level, share_level4=share4,
                              coverage_pct=float(100.0 * p_ / t_) if t_ > 0 else None))
        prev_m = mid
    return out


def data_as_of(st, label: str, published: bool) -> _dt.datetime | None:
    """When the shown values were fixed: the last publication, or the newest change of the round's data."""
    from store import queries

    if published:
        pubs = queries.publications(st, label)
        if len(pubs):
            return pd.Timestamp(pubs["at"].max()).to_pydatetime()
        r = queries.rounds(st, counts=False)
        at = r.loc[r["label"] == label, "published_at"]
        return pd.Timestamp(at.iloc[0]).to_pydatetime() if len(at) and pd.notna(at.iloc[0]) else None
    ev = queries.events_filtered(st, round_label=label)
    return pd.Timestamp(ev["at"].max()).to_pydatetime() if len(ev) else None


def _match_institutions(wanted: Iterable[int], board: list[BoardRow]) -> tuple[int, ...]:
    present = {b.institution_id for b in board}
    return tuple(i for i in dict.fromkeys(int(x) for x in wanted) if i in present)


def gather(st, round_label: str, lang: str = "az", source: str = "validated", *, snapshot: str = "published",
           agenda: Agenda | None = None, now: _dt.datetime | None = None, base_url: str | None = None,
           progress=None) -> ReportModel:
    """Read, score and shape everything one report of ``round_label`` shows.

    ``snapshot``: ``published`` (the round must be published; values as
    published) or ``current`` (live values, for signed-in users; marked not
    published). ``agenda`` picks slides and institutions (default: all).
    ``progress(fraction, text_key)`` is called as the work advances.
    """
    if snapshot not in SNAPSHOTS:
        raise ValueError(f"snapshot is one of {SNAPSHOTS}")
    # One read lease for every query below: one connection, and one consistent view of the data.
    with st.reading():
        return _gather(st, round_label, lang, source, snapshot, agenda, now, base_url, progress)


def _gather(st, round_label, lang, source, snapshot, agenda, now, base_url, progress) -> ReportModel:
    from store import queries

    if source not in ("validated", "self", "expert"):
        raise ValueError("source is 'validated', 'self' or 'expert'")
    lang = lang if lang in ("az", "en") else "az"
    agenda = agenda or Agenda()
    published = snapshot == "published"

    def step(fraction: float, key: str) -> None:
        if progress is not None:
            progress(fraction, key)

    step(0.05, "report.progress.reading")
    rounds = queries.rounds(st, counts=False)
    row = rounds[rounds["label"] == str(round_label)]
    if row.empty:
        raise LookupError(f"no round {round_label!r}")
    if published and not bool(row["published"].iloc[0]):
        raise NotPublished(f"round {round_label} is not published")
    visible = rounds[rounds["published"].astype(bool)] if published else rounds
    labels = sorted(visible["label"].astype(str))
    labels = labels[: labels.index(str(round_label)) + 1]
    previous = labels[-2] if len(labels) > 1 else None

    now_round = _Round(st, str(round_label), source, published)
    round_ids = dict(zip(rounds["label"].astype(str), rounds["round_id"].astype(int)))
    # Every older round's answers in one compact read: the previous round's board and the trends' figures.
    older = queries.answer_rows(st, labels[:-1], published_only=published) if previous else None
    before = (_Round(st, previous, source, published,
                     rows=older[older["round_id"].to_numpy() == round_ids[previous]].reset_index(drop=True))
              if previous else None)
    comparable = before is not None and before.m.id == now_round.m.id
    step(0.3, "report.progress.scoring")

    names = queries.institutions(st).set_index("institution_id")
    board = _board_rows(now_round, before, names, lang)
    wanted = agenda.institutions if agenda.institutions else [b.institution_id for b in board]
    chosen = _match_institutions(wanted, board)
    by_id = {b.institution_id: b for b in board}
    prev_levels = before.board.set_index("institution_id")["mean_level"] if comparable else pd.Series(dtype=float)
    # Institution pages are built when asked for (a slide shown, a file rendered): a country's round has
    # thousands of them, and the presentation shows one at a time.
    table = ServiceTable(now_round.scored, now_round.m, lang)

    def page(iid: int) -> InstitutionPage:
        return InstitutionPage(row=by_id[iid], services=table.rows(iid),
                               mean_level_previous=_f(prev_levels.get(iid)) if comparable else None)

    pages = InstitutionPages(chosen, [table.count(iid) for iid in chosen], page)
    step(0.5, "report.progress.comparing")

    classic, eu_year = _classic(now_round, lang)
    model = ReportModel(
        lang=lang, round=str(round_label), previous=previous, source=source,
        method=method_info(now_round.m, lang), illustrative=bool(row["illustrative"].iloc[0]), published=published,
        data_as_of=data_as_of(st, str(round_label), published), generated_at=now or utcnow(),
        agenda=Agenda(name=agenda.name, slides=agenda.slides, institutions=chosen),
        dashboard_url=dashboard_url(base_url, str(round_label), lang, source),
        summary=now_round.summary, summary_previous=before.summary if comparable else None,
        levels=now_round.levels(), levels_previous=before.levels() if comparable else None,
        board=board,
        components=tuple((c.id, c.name.get(lang)) for c in now_round.m.components),
        infrastructure=now_round.national, infrastructure_previous=before.national if comparable else None,
        mapping=_mapping(now_round, lang), classic=classic, eu_year=eu_year, egdi=_egdi(lang),
        trends=_trends(st, labels, {now_round.label: now_round, **({before.label: before} if before else {})},
                       older, source, published, round_ids),
        institutions=pages,
    )
    step(0.6, "report.progress.gathered")
    return model

"""The methodology as data: loading and validating versioned YAML files.

Each file under ``data/methodology/`` describes one version of the method
(indicators, level rule, corruption bands, infrastructure questions,
traffic-light thresholds, stage names). Rounds keep the version they were
collected under, so a file, once used, is never edited: a change is a new file.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from .errors import MethodologyError

METHODOLOGY_DIR = Path(__file__).resolve().parent.parent / "data" / "methodology"
LEVELS = (0, 1, 2, 3, 4, 5)
LANGS = ("az", "en")
LIGHT_DIMENSIONS = ("coverage", "maturity", "infrastructure", "corruption")
QUESTION_TYPES = ("yesno", "percent")


@dataclass(frozen=True)
class Text:
    """A text in both interface languages."""

    az: str
    en: str

    def get(self, lang: str) -> str:
        return self.az if lang == "az" else self.en


@dataclass(frozen=True)
class Indicator:
    number: int
    home: int
    cols: tuple[int, ...]
    mandatory: bool
    corruption: bool
    short: Text
    text: Text
    # Optional guidance shown beside the question in the online form (what counts as "yes").
    help: Text | None = None

    @property
    def id(self) -> str:
        return f"q{self.number}"


@dataclass(frozen=True)
class Stage:
    level: int
    eu: Text
    un: Text
    paradigm: str | None


@dataclass(frozen=True)
class Band:
    id: str
    min: int
    label: Text


@dataclass(frozen=True)
class Question:
    id: str
    type: str  # "yesno" | "percent"
    text: Text


@dataclass(frozen=True)
class Component:
    id: str
    number: str
    name: Text
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class LightRule:
    green: float
    yellow: float
    green_inclusive: bool
    yellow_inclusive: bool
    unit: str


@dataclass(frozen=True)
class Methodology:
    """One validated methodology version. Immutable and hashable by id."""

    id: str
    released: _dt.date
    title: Text
    description: Text
    stages: tuple[Stage, ...]
    min_share: float
    indicators: tuple[Indicator, ...]
    bands: tuple[Band, ...]
    percent_threshold: float
    components: tuple[Component, ...]
    lights: Mapping[str, LightRule]
    source: str = ""
    # Derived matrices used by both the scalar and the vectorised scorers, so
    # that the two paths apply the very same integers.
    cells: np.ndarray = field(default=None, repr=False, compare=False)  # (n, 6) bool
    mandatory_cells: np.ndarray = field(default=None, repr=False, compare=False)  # (n, 6) bool
    need: tuple[int, ...] = field(default=(), repr=False, compare=False)  # per column
    corruption_mask: np.ndarray = field(default=None, repr=False, compare=False)  # (n,) bool

    def __hash__(self) -> int:
        return hash(self.id)

    @property
    def n_indicators(self) -> int:
        return len(self.indicators)

    @property
    def answer_columns(self) -> list[str]:
        return [ind.id for ind in self.indicators]

    @property
    def corruption_max(self) -> int:
        return int(self.corruption_mask.sum())

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for c in self.components for q in c.questions)

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)

    def band(self, band_id: str) -> Band:
        for b in self.bands:
            if b.id == band_id:
                return b
        raise KeyError(band_id)

    def stage(self, level: int) -> Stage:
        return self.stages[level]


def _req(d: Mapping[str, Any], key: str, where: str) -> Any:
    if not isinstance(d, Mapping):
        raise MethodologyError(where, "must be a mapping", "xəritə (açar: dəyər) olmalıdır")
    if key not in d or d[key] is None and key not in ("paradigm",):
        raise MethodologyError(f"{where}.{key}" if where else key, "is missing", "yoxdur")
    return d[key]


def _text(d: Mapping[str, Any], key: str, where: str) -> Text:
    raw = _req(d, key, where)
    path = f"{where}.{key}" if where else key
    if isinstance(raw, str):
        raise MethodologyError(path, "needs both 'az' and 'en' texts", "'az' və 'en' mətnləri lazımdır")
    for lang in LANGS:
        if not isinstance(raw.get(lang), str) or not raw.get(lang).strip():
            raise MethodologyError(f"{path}.{lang}", "is missing or empty", "yoxdur və ya boşdur")
    return Text(az=raw["az"], en=raw["en"])


def _bool(d: Mapping[str, Any], key: str, where: str) -> bool:
    v = _req(d, key, where)
    if not isinstance(v, bool):
        raise MethodologyError(f"{where}.{key}", f"must be true or false, not {v!r}", f"true və ya false olmalıdır, {v!r} deyil")
    return v


def _number(d: Mapping[str, Any], key: str, where: str) -> float:
    v = _req(d, key, where)
    if isinstance(v, bool) or not isinstance(v, (int, float)) or math.isnan(v):
        raise MethodologyError(f"{where}.{key}", f"must be a number, not {v!r}", f"ədəd olmalıdır, {v!r} deyil")
    return float(v)


def _level(v: Any, path: str) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or v not in LEVELS:
        raise MethodologyError(path, f"unknown level {v!r} (levels are 0–5)", f"naməlum səviyyə {v!r} (səviyyələr 0–5)")
    return v


def parse_methodology(raw: Any, source: str = "") -> Methodology:
    """Validate a parsed YAML document and build a :class:`Methodology`.

    Raises :class:`MethodologyError` naming the first inconsistent field.
    """
    if not isinstance(raw, Mapping):
        raise MethodologyError("(file)", "must hold a mapping at top level", "faylın yuxarı səviyyəsi xəritə olmalıdır")
    mid = _req(raw, "id", "")
    if not isinstance(mid, str) or not mid.strip() or any(c.isspace() for c in mid):
        raise MethodologyError("id", "must be a non-empty word without spaces", "boşluqsuz, boş olmayan söz olmalıdır")
    released = _req(raw, "released", "")
    if isinstance(released, str):
        try:
            released = _dt.date.fromisoformat(released)
        except ValueError:
            released = None
    if not isinstance(released, _dt.date):
        raise MethodologyError("released", "must be a date (YYYY-MM-DD)", "tarix olmalıdır (İİİİ-AA-GG)")
    title = _text(raw, "title", "")
    description = _text(raw, "description", "") if "description" in raw else title

    # Stage names, one per level 0..5.
    stages_raw = _req(raw, "levels", "")
    if not isinstance(stages_raw, list):
        raise MethodologyError("levels", "must be a list", "siyahı olmalıdır")
    stages: dict[int, Stage] = {}
    for i, s in enumerate(stages_raw):
        where = f"levels[{i}]"
        lvl = _level(_req(s, "level", where), f"{where}.level")
        if lvl in stages:
            raise MethodologyError(f"{where}.level", f"duplicate level {lvl}", f"təkrarlanan səviyyə {lvl}")
        paradigm = s.get("paradigm")
        stages[lvl] = Stage(lvl, _text(s, "eu", where), _text(s, "un", where), paradigm)
    missing = [lv for lv in LEVELS if lv not in stages]
    if missing:
        raise MethodologyError("levels", f"no stage names for level(s) {missing}", f"{missing} səviyyə(lər)i üçün ad yoxdur")

    min_share = _number(raw, "min_share", "")
    if not 0 <= min_share <= 1:
        raise MethodologyError("min_share", "must lie between 0 and 1", "0 ilə 1 arasında olmalıdır")

    ind_raw = _req(raw, "indicators", "")
    if not isinstance(ind_raw, list) or not ind_raw:
        raise MethodologyError("indicators", "must be a non-empty list", "boş olmayan siyahı olmalıdır")
    indicators: list[Indicator] = []
    seen: set[int] = set()
    for i, d in enumerate(ind_raw):
        where = f"indicators[{i}]"
        num = _req(d, "number", where)
        if isinstance(num, bool) or not isinstance(num, int) or num < 1:
            raise MethodologyError(f"{where}.number", "must be a whole number from 1", "1-dən başlayan tam ədəd olmalıdır")
        if num in seen:
            raise MethodologyError(f"{where}.number", f"duplicate indicator id q{num}", f"təkrarlanan göstərici q{num}")
        seen.add(num)
        if num != i + 1:
            raise MethodologyError(f"{where}.number", f"indicators must be numbered 1, 2, 3… in order; found {num} at position {i + 1}", f"göstəricilər ardıcıl nömrələnməlidir; {i + 1}-ci yerdə {num}")
        home = _level(_req(d, "home", where), f"{where}.home")
        if home == 0:
            raise MethodologyError(f"{where}.home", "an indicator cannot belong to level 0", "göstərici 0 səviyyəsinə aid ola bilməz")
        cols_raw = _req(d, "cols", where)
        if not isinstance(cols_raw, list) or not cols_raw:
            raise MethodologyError(f"{where}.cols", "the indicator stands in no level column", "göstərici heç bir səviyyə sütununda deyil")
        cols = tuple(_level(c, f"{where}.cols") for c in cols_raw)
        if 0 in cols:
            raise MethodologyError(f"{where}.cols", "level column 0 holds no indicators", "0 sütununda göstərici olmur")
        if len(set(cols)) != len(cols):
            raise MethodologyError(f"{where}.cols", "a level column is listed twice", "səviyyə sütunu iki dəfə yazılıb")
        if home not in cols:
            raise MethodologyError(f"{where}.cols", f"must include the home level {home}", f"öz səviyyəsini ({home}) daxil etməlidir")
        help_text = _text(d, "help", where) if d.get("help") is not None else None
        indicators.append(Indicator(num, home, tuple(sorted(cols)), _bool(d, "mandatory", where), _bool(d, "corruption", where), _text(d, "short", where), _text(d, "text", where), help_text))
    for k in LEVELS[1:]:
        if not any(k in ind.cols for ind in indicators):
            raise MethodologyError("indicators", f"level column {k} has no indicator", f"{k} səviyyə sütununda göstərici yoxdur")

    bands_raw = _req(raw, "corruption_bands", "")
    if not isinstance(bands_raw, list) or not bands_raw:
        raise MethodologyError("corruption_bands", "must be a non-empty list", "boş olmayan siyahı olmalıdır")
    bands: list[Band] = []
    n_corr = sum(ind.corruption for ind in indicators)
    if n_corr == 0:
        raise MethodologyError("indicators", "no indicator is flagged corruption: true", "heç bir göstərici korrupsiya üçün işarələnməyib")
    for i, b in enumerate(bands_raw):
        where = f"corruption_bands[{i}]"
        bid = _req(b, "id", where)
        if not isinstance(bid, str) or not bid:
            raise MethodologyError(f"{where}.id", "must be a word", "söz olmalıdır")
        if any(x.id == bid for x in bands):
            raise MethodologyError(f"{where}.id", f"duplicate band id {bid!r}", f"təkrarlanan zolaq {bid!r}")
        bmin = _req(b, "min", where)
        if isinstance(bmin, bool) or not isinstance(bmin, int):
            raise MethodologyError(f"{where}.min", "must be a whole number", "tam ədəd olmalıdır")
        if i == 0 and bmin != 0:
            raise MethodologyError(f"{where}.min", f"the first band must start at 0, not {bmin}: scores below it would have no band", f"ilk zolaq 0-dan başlamalıdır, {bmin}-dən yox: aşağı ballar zolaqsız qalar")
        if i > 0 and bmin <= bands[-1].min:
            raise MethodologyError(f"{where}.min", "bands must rise: this band overlaps the one before", "zolaqlar artan olmalıdır: bu zolaq əvvəlkini örtür")
        if bmin > n_corr:
            raise MethodologyError(f"{where}.min", f"starts above the highest possible score {n_corr}", f"mümkün ən yüksək baldan ({n_corr}) yuxarı başlayır")
        bands.append(Band(bid, bmin, _text(b, "label", where)))

    infra = _req(raw, "infrastructure", "")
    pct = _number(infra, "percent_threshold", "infrastructure")
    if not 0 <= pct <= 100:
        raise MethodologyError("infrastructure.percent_threshold", "must lie between 0 and 100", "0 ilə 100 arasında olmalıdır")
    comps_raw = _req(infra, "components", "infrastructure")
    if not isinstance(comps_raw, list) or not comps_raw:
        raise MethodologyError("infrastructure.components", "must be a non-empty list", "boş olmayan siyahı olmalıdır")
    components: list[Component] = []
    qids: set[str] = set()
    for i, c in enumerate(comps_raw):
        where = f"infrastructure.components[{i}]"
        cid = _req(c, "id", where)
        if not isinstance(cid, str) or not cid:
            raise MethodologyError(f"{where}.id", "must be a word", "söz olmalıdır")
        if any(x.id == cid for x in components):
            raise MethodologyError(f"{where}.id", f"duplicate component id {cid!r}", f"təkrarlanan komponent {cid!r}")
        qs_raw = _req(c, "questions", where)
        if not isinstance(qs_raw, list) or not qs_raw:
            raise MethodologyError(f"{where}.questions", "a component needs at least one question", "komponentin ən azı bir sualı olmalıdır")
        qs = []
        for j, q in enumerate(qs_raw):
            qwhere = f"{where}.questions[{j}]"
            qid = str(_req(q, "id", qwhere))
            if qid in qids:
                raise MethodologyError(f"{qwhere}.id", f"duplicate question id {qid!r}", f"təkrarlanan sual {qid!r}")
            qids.add(qid)
            qtype = _req(q, "type", qwhere)
            if qtype not in QUESTION_TYPES:
                raise MethodologyError(f"{qwhere}.type", f"unknown type {qtype!r} (yesno or percent)", f"naməlum tip {qtype!r} (yesno və ya percent)")
            qs.append(Question(qid, qtype, _text(q, "text", qwhere)))
        components.append(Component(cid, str(_req(c, "number", where)), _text(c, "name", where), tuple(qs)))

    lights_raw = _req(raw, "traffic_lights", "")
    lights: dict[str, LightRule] = {}
    for dim in LIGHT_DIMENSIONS:
        where = f"traffic_lights.{dim}"
        r = _req(lights_raw, dim, "traffic_lights")
        rule = LightRule(_number(r, "green", where), _number(r, "yellow", where), bool(r.get("green_inclusive", True)), bool(r.get("yellow_inclusive", True)), str(r.get("unit", "")))
        if rule.yellow > rule.green:
            raise MethodologyError(f"{where}.yellow", "the yellow bound lies above the green one", "sarı həddi yaşıl həddən yuxarıdır")
        lights[dim] = rule
    unknown = set(lights_raw) - set(LIGHT_DIMENSIONS)
    if unknown:
        raise MethodologyError("traffic_lights", f"unknown dimension(s) {sorted(unknown)}", f"naməlum ölçü(lər) {sorted(unknown)}")

    return _with_matrices(Methodology(
        id=mid, released=released, title=title, description=description,
        stages=tuple(stages[lv] for lv in LEVELS), min_share=min_share,
        indicators=tuple(indicators), bands=tuple(bands), percent_threshold=pct,
        components=tuple(components), lights=lights, source=source,
    ))


def _with_matrices(m: Methodology) -> Methodology:
    n = len(m.indicators)
    cells = np.zeros((n, 6), dtype=bool)
    mand = np.zeros((n, 6), dtype=bool)
    for i, ind in enumerate(m.indicators):
        cells[i, list(ind.cols)] = True
        if ind.mandatory:
            mand[i, ind.home] = True
    sizes = cells.sum(axis=0)
    # Integer thresholds, computed once, so that no float rounding can make the
    # scalar and vectorised paths disagree. A tiny epsilon absorbs 0.5*6 = 3.0000001.
    need = tuple(int(math.ceil(m.min_share * int(s) - 1e-9)) for s in sizes)
    corr = np.array([ind.corruption for ind in m.indicators], dtype=bool)
    object.__setattr__(m, "cells", cells)
    object.__setattr__(m, "mandatory_cells", mand)
    object.__setattr__(m, "need", need)
    object.__setattr__(m, "corruption_mask", corr)
    return m


def parse_methodology_text(text: str, source: str = "") -> Methodology:
    """Parse YAML text (for example an uploaded file) into a methodology."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise MethodologyError("(file)", f"is not valid YAML: {exc}", f"düzgün YAML deyil: {exc}") from exc
    return parse_methodology(raw, source)


def load_methodology_file(path: str | Path) -> Methodology:
    path = Path(path)
    return parse_methodology_text(path.read_text(encoding="utf-8"), source=str(path))


@cache
def _load_dir(directory: str) -> dict[str, Methodology]:
    out: dict[str, Methodology] = {}
    for path in sorted(Path(directory).glob("*.y*ml")):
        m = load_methodology_file(path)
        if m.id in out:
            raise MethodologyError("id", f"version {m.id!r} is defined twice ({out[m.id].source}, {path})", f"{m.id!r} versiyası iki dəfə təyin olunub")
        out[m.id] = m
    return out


def available_versions(directory: str | Path | None = None) -> list[str]:
    """Version ids found on disk, oldest first."""
    found = _load_dir(str(directory or METHODOLOGY_DIR))
    return [m.id for m in sorted(found.values(), key=lambda m: (m.released, m.id))]


def load_methodology(version: str | None = None, directory: str | Path | None = None) -> Methodology:
    """Load a methodology version by id; ``None`` gives the newest by release date."""
    found = _load_dir(str(directory or METHODOLOGY_DIR))
    if not found:
        raise MethodologyError("(directory)", f"no methodology file in {directory or METHODOLOGY_DIR}", "metodika faylı tapılmadı")
    if version is None:
        return max(found.values(), key=lambda m: (m.released, m.id))
    if version not in found:
        raise MethodologyError("version", f"unknown methodology version {version!r}; known: {sorted(found)}", f"naməlum metodika versiyası {version!r}; mövcud: {sorted(found)}")
    return found[version]

"""Display tables: scored frames turned into translated, readable tables for pages.

Pure pandas (no streamlit). Values stay values (numbers are numbers); each
builder describes its columns for :mod:`ui.grid` (figures, changes, lights,
yes/no), which shows them in the user's CLDR format and exports them to Excel
with number formats. Pages pass the frames to :func:`ui.components.table`, so
what is shown is what is downloaded.
"""

from __future__ import annotations

import pandas as pd

import scoring
from l10n import fmt_change, sort_key
from scoring import LEVEL_COLUMNS, Methodology
from ui.grid import Col, describe
from ui.i18n import fmt_num, fmt_pct, t
from ui.theme import light_text

LIGHT_DIMS = ("coverage", "maturity", "infrastructure", "corruption")


def name_col(lang: str) -> str:
    return "name_az" if lang == "az" else "name_en"


def arrow(change: float | None, digits: int = 1, lang: str = "az") -> str:
    """▲ / ▼ / = with the size of the change in ``lang``'s format; blank without a previous value."""
    return fmt_change(change, lang, digits)


def level_distribution(scored: pd.DataFrame, lang: str) -> pd.DataFrame:
    dist = scoring.level_distribution(scored, by="audience")
    dist["group"] = dist["audience"].map(lambda a: t(f"audience.{a}", lang) if a in ("citizen", "business") else "—")
    return dist


def light_counts(board: pd.DataFrame, lang: str) -> pd.DataFrame:
    rows = []
    for dim in LIGHT_DIMS:
        col = board[f"{dim}_light"]
        rows.append({
            t("col.dimension", lang): t(f"light.dim.{dim}", lang),
            light_text("green", lang): int((col == "green").sum()),
            light_text("yellow", lang): int((col == "yellow").sum()),
            light_text("red", lang): int((col == "red").sum()),
            light_text("none", lang): int(col.isna().sum()),
        })
    return pd.DataFrame(rows)


def service_name(row: pd.Series, lang: str) -> str:
    name = row.get("service_az") if lang == "az" else row.get("service_en")
    if not isinstance(name, str) or not name:
        name = row.get("service_az") or row.get("service_en") or ""
    return str(name)


def inst_name(row: pd.Series, lang: str, prefix: str = "institution_") -> str:
    name = row.get(f"{prefix}az") if lang == "az" else row.get(f"{prefix}en")
    if not isinstance(name, str) or not name:
        name = row.get(f"{prefix}az") or row.get(f"{prefix}en") or ""
    return str(name)


def top_services(scored: pd.DataFrame, lang: str, n: int = 10) -> pd.DataFrame:
    if scored.empty:
        return pd.DataFrame()
    top = scored.sort_values(["level", "corruption_score"], ascending=False).head(n)
    return pd.DataFrame({
        t("col.code", lang): top["code"],
        t("col.service", lang): top.apply(service_name, axis=1, lang=lang),
        t("col.institution", lang): top.apply(inst_name, axis=1, lang=lang),
        t("col.level", lang): top["level"].astype(int),
    })


# The board's four lights: the figure each light is read from, its digits, and whether it is a percentage.
BOARD_LIGHTS = (
    ("coverage", "coverage_pct", 0, True),
    ("maturity", "mean_level", 2, False),
    ("infrastructure", "infrastructure_index", 2, False),
    ("corruption", "mean_corruption", 1, False),
)


def board_table(board: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The traffic-light board as read at a glance: the institution (pinned), then the four lights,
    each a coloured cell with its mark, word and figure (sorting by the figure), then changes and counts.

    ``institution_id`` rides along hidden, for the row a reader selects.
    """
    names = board[name_col(lang)].fillna(board["name_az"])
    inst = t("col.institution", lang)
    out = {"institution_id": board["institution_id"].to_numpy(), inst: names.to_numpy()}
    spec = {"institution_id": Col("hidden"), inst: Col("text", pinned=True, width=250)}
    for dim, figure, digits, pct in BOARD_LIGHTS:
        head = t(f"light.dim.{dim}", lang)
        out[head] = pd.to_numeric(board[figure], errors="coerce").to_numpy(dtype="float64")
        out[f"{dim}_light"] = board[f"{dim}_light"].to_numpy()
        spec[head] = Col("light", digits=digits, pct=pct, light=f"{dim}_light", width=130,
                         help=t(f"dim.{dim}.help", lang))
    change_level, change_cov = t("col.change_level", lang), t("col.change_coverage", lang)
    out[change_level] = pd.to_numeric(board["mean_level_change"], errors="coerce").to_numpy(dtype="float64")
    out[change_cov] = pd.to_numeric(board["coverage_pct_change"], errors="coerce").to_numpy(dtype="float64")
    spec[change_level] = Col("change", digits=2)
    spec[change_cov] = Col("change", digits=0)
    kind = t("col.kind", lang)
    out[kind] = board["kind"].map(lambda k: t(f"kind.{k}", lang) if isinstance(k, str) else None).to_numpy()
    for col, key in (("services_transferable", "col.services_transferable"),
                     ("e_services_provided", "col.e_services_provided")):
        out[t(key, lang)] = pd.to_numeric(board[col], errors="coerce").astype("Int64").to_numpy()
        spec[t(key, lang)] = Col("int")
    return describe(pd.DataFrame(out), spec)


def institution_services(scored: pd.DataFrame, m: Methodology, lang: str) -> pd.DataFrame:
    """An institution's services: level, the six level columns, corruption and advice."""
    if scored.empty:
        return pd.DataFrame()
    rows = []
    for _, r in scored.iterrows():
        answers = [int(r[c]) for c in m.answer_columns]
        adv = scoring.next_level_advice(answers, m)
        rows.append({
            "service_id": r["service_id"],
            t("col.code", lang): r["code"],
            t("col.service", lang): service_name(r, lang),
            t("col.audience", lang): t(f"audience.{r['audience']}", lang) if r.get("audience") in ("citizen", "business") else None,
            t("col.level", lang): int(r["level"]),
            t("col.columns", lang): " ".join(str(int(r[c])) for c in LEVEL_COLUMNS),
            t("col.corruption", lang): int(r["corruption_score"]),
            t("col.band", lang): m.band(r["corruption_band"]).label.get(lang),
            t("col.next_step", lang): advice_text(adv, m, lang),
        })
    return describe(pd.DataFrame(rows), {"service_id": Col("hidden"), t("col.code", lang): Col("text", pinned=True),
                                         t("col.service", lang): Col("text", width=320)})


def advice_text(adv: scoring.Advice, m: Methodology, lang: str) -> str:
    if adv.target is None:
        return t("advice.top", lang)
    items = ", ".join(
        f"{n}{'*' if n in adv.mandatory else ''} {m.indicators[n - 1].short.get(lang)}" for n in adv.suggested
    )
    return t("advice.to_level", lang, level=adv.target, items=items)


def matrix(answers: list[int], m: Methodology, lang: str) -> pd.DataFrame:
    """The seed's matrix for one service: indicators × level columns, met / unmet cells."""
    rows = []
    for i, ind in enumerate(m.indicators):
        row = {
            "№": ind.number,
            t("col.indicator", lang): ind.short.get(lang) + (" *" if ind.mandatory else ""),
            t("col.answer", lang): t("answer.yes" if answers[i] else "answer.no", lang),
        }
        for k in range(1, 6):
            row[str(k)] = ("✔" if answers[i] else "✖") if k in ind.cols else ""
        row["C"] = ("✔" if answers[i] else "✖") if ind.corruption else ""
        rows.append(row)
    return describe(pd.DataFrame(rows), {"№": Col("id", pinned=True), t("col.indicator", lang): Col("text", pinned=True)})


def level_row(answers: list[int], m: Methodology) -> str:
    mat = scoring.maturity(answers, m)
    return " ".join(str(c) for c in mat.columns)


def infra_component_table(scores: pd.Series, m: Methodology, lang: str) -> pd.DataFrame:
    """The components and the index, each a figure 0–1 beside its light."""
    ids = [c.id for c in m.components] + ["index"]
    score = t("col.score", lang)
    out = pd.DataFrame({
        t("col.component", lang): [c.name.get(lang) for c in m.components] + [t("metric.infrastructure_index", lang)],
        score: [float(scores[i]) for i in ids],
        "light": [scoring.traffic_light("infrastructure", float(scores[i]), m) for i in ids],
    })
    return describe(out, {score: Col("light", digits=2, light="light")})


def infra_answers_table(answers: pd.DataFrame, m: Methodology, lang: str) -> pd.DataFrame:
    """Question-level answers of one scope, with how each was scored."""
    by_q = answers.set_index("question_id")["value"]
    rows = []
    for c in m.components:
        for q in c.questions:
            v = by_q.get(q.id)
            if v is None:
                shown, point = None, None
            elif q.type == "percent":
                shown, point = fmt_pct(float(v), lang), int(float(v) > m.percent_threshold)
            else:
                shown, point = t("answer.yes" if float(v) else "answer.no", lang), int(bool(float(v)))
            rows.append({
                "№": q.id,
                t("col.component", lang): c.name.get(lang),
                t("col.question", lang): q.text.get(lang),
                t("col.answer", lang): shown,
                t("col.points", lang): point,
            })
    out = pd.DataFrame(rows)
    out[t("col.points", lang)] = out[t("col.points", lang)].astype("Int64")
    return describe(out, {t("col.question", lang): Col("text", width=420)})


def sorted_names(board: pd.DataFrame, lang: str) -> dict[int, str]:
    """institution_id → name in the user's language, in alphabetical order."""
    names = board[name_col(lang)].fillna(board["name_az"])
    pairs = sorted(zip(board["institution_id"].astype(int), names), key=lambda p: sort_key(p[1], lang))
    return dict(pairs)


def compare_sources(both: pd.DataFrame, m: Methodology, lang: str) -> pd.DataFrame:
    """Per indicator: the self answer, the expert answer and whether they agree."""
    s = both[both["source"] == "self"].iloc[0]
    e = both[both["source"] == "expert"].iloc[0]
    rows = []
    for ind in m.indicators:
        a, b = int(s[ind.id]), int(e[ind.id])
        rows.append({
            "№": ind.number,
            t("col.indicator", lang): ind.short.get(lang),
            t("source.self", lang): t("answer.yes" if a else "answer.no", lang),
            t("source.expert", lang): t("answer.yes" if b else "answer.no", lang),
            t("col.agree", lang): "✔" if a == b else "✖ " + t("compare.differs", lang),
        })
    rows.append({"№": None, t("col.indicator", lang): t("col.level", lang), t("source.self", lang): str(int(s["level"])),
                 t("source.expert", lang): str(int(e["level"])), t("col.agree", lang): "✔" if s["level"] == e["level"] else "✖"})
    out = pd.DataFrame(rows)
    out["№"] = out["№"].astype("Int64")
    return describe(out, {"№": Col("id")})


def history_table(hist: pd.DataFrame, m: Methodology, lang: str) -> pd.DataFrame:
    """Every stored version of a service's answers, with the file and person behind it."""
    scored = scoring.score_answers(hist.reset_index(drop=True), m)
    out = pd.DataFrame({
        t("col.source", lang): scored["source"].map(lambda s: t(f"source.{s}", lang)),
        t("col.level", lang): scored["level"].astype(int),
        t("col.answers", lang): scored[m.answer_columns].astype(int).astype(str).agg("".join, axis=1),
    })
    for col, key in (("file_name", "col.file"), ("actor", "col.actor"), ("at", "col.when")):
        if col in scored.columns:
            out[t(key, lang)] = scored[col]
    if "current" in scored.columns:
        out[t("col.status", lang)] = scored["current"].map(
            lambda c: t("history.current" if bool(c) else "history.replaced", lang))
    if "outcome" in scored.columns:
        reverted = scored["outcome"] == "reverted"
        out.loc[reverted.to_numpy(), t("col.status", lang)] = t("history.reverted", lang)
    return describe(out, {t("col.when", lang): Col("datetime")})


def indicator_table(m: Methodology, lang: str) -> pd.DataFrame:
    out = pd.DataFrame([{
        "№": ind.number,
        t("col.indicator", lang): ind.text.get(lang),
        t("col.home_level", lang): ind.home,
        t("col.level_columns", lang): ", ".join(map(str, ind.cols)),
        t("col.mandatory", lang): bool(ind.mandatory),
        t("col.corruption_flag", lang): bool(ind.corruption),
    } for ind in m.indicators])
    return describe(out, {"№": Col("id"), t("col.indicator", lang): Col("text", width=520)})


def stage_table(m: Methodology, lang: str) -> pd.DataFrame:
    return pd.DataFrame([{
        t("col.level", lang): s.level,
        t("col.eu_stage", lang): s.eu.get(lang),
        t("col.un_stage", lang): s.un.get(lang),
        t("col.paradigm", lang): paradigm_text(s.paradigm, lang),
        t("col.mandatory_indicators", lang): ", ".join(
            str(i.number) for i in m.indicators if i.mandatory and i.home == s.level) or None,
    } for s in m.stages])


def band_table(m: Methodology, lang: str) -> pd.DataFrame:
    rows = []
    for i, b in enumerate(m.bands):
        top = m.bands[i + 1].min - 1 if i + 1 < len(m.bands) else m.corruption_max
        rows.append({t("col.band", lang): b.label.get(lang), t("col.from", lang): int(b.min), t("col.to", lang): int(top)})
    return pd.DataFrame(rows)


def question_table(m: Methodology, lang: str) -> pd.DataFrame:
    return pd.DataFrame([{
        "№": q.id,
        t("col.component", lang): c.name.get(lang),
        t("col.question", lang): q.text.get(lang),
        t("col.type", lang): t(f"qtype.{q.type}", lang),
    } for c in m.components for q in c.questions])


def _threshold(value: float, unit: str, lang: str) -> str:
    if unit == "percent":
        return fmt_pct(value, lang)
    digits = 0 if float(value).is_integer() else 2
    return fmt_num(value, lang, digits)


def threshold_table(m: Methodology, lang: str) -> pd.DataFrame:
    """Per board dimension, the green/yellow/red conditions of methodology ``m`` as text."""
    rows = []
    for dim in LIGHT_DIMS:
        rule = m.lights.get(dim) if hasattr(m.lights, "get") else None
        if rule is None:
            continue
        green, yellow = _threshold(rule.green, rule.unit, lang), _threshold(rule.yellow, rule.unit, lang)
        rows.append({
            t("col.dimension", lang): t(f"dim.{dim}", lang),
            light_text("green", lang): f"{'≥' if rule.green_inclusive else '>'} {green}",
            light_text("yellow", lang): f"{'≥' if rule.yellow_inclusive else '>'} {yellow}",
            light_text("red", lang): f"{'<' if rule.yellow_inclusive else '≤'} {yellow}",
        })
    return pd.DataFrame(rows)


def import_table(history: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The import audit list with translated headers and words (newest first)."""
    h = history.sort_values("import_id", ascending=False).reset_index(drop=True)

    def kinds(v) -> str | None:
        parts = [p.strip() for p in str(v or "").split(",") if p.strip()]
        return ", ".join(t(f"kind.sheet.{p}", lang) if t_has(f"kind.sheet.{p}") else p for p in parts) or None

    out = pd.DataFrame({"№": h["import_id"]})
    for col, key in (("at", "col.when"), ("file_name", "col.file"), ("actor", "col.actor"), ("round", "col.round")):
        if col in h.columns:
            out[t(key, lang)] = h[col]
    if "source" in h.columns:
        out[t("col.source", lang)] = h["source"].map(lambda s: t(f"source.{s}", lang) if isinstance(s, str) else None)
    if "kinds" in h.columns:
        out[t("col.kinds", lang)] = h["kinds"].map(kinds)
    if "outcome" in h.columns:
        out[t("col.status", lang)] = h["outcome"].map(lambda o: t(f"import.outcome.{o}", lang) if isinstance(o, str) else None)
    if "sha256" in h.columns:
        out["SHA-256"] = h["sha256"].astype(str).str[:12] + "…"
    return describe(out, {"№": Col("id", pinned=True), t("col.when", lang): Col("datetime")})


def t_has(key: str) -> bool:
    from ui.i18n import has

    return has(key)


def history_long(history: pd.DataFrame, lang: str, measure: str = "mean_level") -> pd.DataFrame:
    """One of an institution's figures per round (``mean_level`` or ``mean_corruption``) as a chart series.

    Each figure has its own scale, so each gets its own chart: never two on one axis.
    """
    key = {"mean_level": "col.mean_level", "mean_corruption": "col.mean_corruption",
           "coverage_pct": "col.coverage_pct"}[measure]
    return pd.DataFrame({"round": history["round"], "value": history[measure], "series": t(key, lang)})


def history_breaks(history: pd.DataFrame) -> list[str]:
    """Rounds where the methodology version changes (drawn as a series break)."""
    m = history["methodology"].tolist()
    return [r for i, r in enumerate(history["round"]) if i and m[i] != m[i - 1]]


def light_rule_text(m: Methodology, dim: str, lang: str) -> str:
    """One dimension's thresholds on one line: ``✔ yaşıl > 0,75 · ▲ sarı ≥ 0,50 · ✖ qırmızı < 0,50``."""
    rows = threshold_table(m, lang)
    row = rows[rows[t("col.dimension", lang)] == t(f"dim.{dim}", lang)]
    if row.empty:
        return ""
    r = row.iloc[0]
    return " · ".join(f"{k} {r[k]}" for k in (light_text(c, lang) for c in ("green", "yellow", "red")))


def plan_table(plan: pd.DataFrame, lang: str) -> pd.DataFrame:
    """What a checked workbook would change, row by row, in words: sheet, row, institution, item, change, values."""
    def word(prefix: str):
        return lambda v: t(f"{prefix}.{v}", lang) if isinstance(v, str) and t_has(f"{prefix}.{v}") else v

    item = plan["code"].where(plan["code"].notna(), plan["question_id"]) if "code" in plan else None
    out = pd.DataFrame({
        t("col.sheet", lang): plan["kind"].map(word("kind.sheet")),
        t("col.row", lang): plan["row"].astype("Int64") if "row" in plan else None,
        t("col.institution", lang): plan.get("institution"),
        t("col.item", lang): item,
        t("col.change", lang): plan["status"].map(word("plan")),
        t("col.old", lang): plan.get("old"),
        t("col.new", lang): plan.get("new"),
    })
    return describe(out, {t("col.row", lang): Col("id")})


def issues_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A checker's errors or warnings with translated headers (file, sheet, row, column, value, message)."""
    heads = {"file": "col.file", "sheet": "col.sheet", "row": "col.row", "column": "col.column", "value": "col.value",
             "message": "col.message"}
    out = frame.rename(columns={k: t(v, lang) for k, v in heads.items()})
    return describe(out, {t("col.row", lang): Col("id"), t("col.message", lang): Col("text", width=420)})


def paradigm_text(paradigm: str | None, lang: str) -> str | None:
    """A stage's paradigm in ``lang``: the methodology files write ``Government 2.0``."""
    if not paradigm:
        return None
    import re

    match = re.fullmatch(r"Government (\d+(?:\.\d+)?)", str(paradigm).strip())
    return t("paradigm.government", lang, version=match.group(1)) if match else str(paradigm)

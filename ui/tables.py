"""Display tables: scored frames turned into translated, readable tables for pages.

Pure pandas (no streamlit): the pages pass these to ``st.dataframe`` and the
Excel download, so what is shown is what is downloaded.
"""

from __future__ import annotations

import math

import pandas as pd

import scoring
from scoring import LEVEL_COLUMNS, Methodology
from ui.i18n import fmt_num, fmt_pct, t
from ui.theme import light_text

LIGHT_DIMS = ("coverage", "maturity", "infrastructure", "corruption")


def name_col(lang: str) -> str:
    return "name_az" if lang == "az" else "name_en"


def arrow(change: float | None, digits: int = 1) -> str:
    """▲ / ▼ / = with the size of the change; blank without a previous value."""
    if change is None or (isinstance(change, float) and math.isnan(change)):
        return ""
    if abs(change) < 10 ** -(digits + 1):
        return "="
    return f"{'▲' if change > 0 else '▼'} {abs(change):.{digits}f}"


def per_value(values: pd.Series, fn) -> pd.Series:
    """``values.map(fn)`` with ``fn`` run once per distinct value, not once per row (tables of thousands)."""
    out = values.map({u: fn(u) for u in pd.unique(values.dropna())})
    missing = values.isna().to_numpy()
    if missing.any():
        out = out.astype(object)
        out[missing] = fn(values[missing].iloc[0])
    return out


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
            t("light.none", lang): int(col.isna().sum()),
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


def names_of(frame: pd.DataFrame, prefix: str, lang: str) -> pd.Series:
    """The ``<prefix>az``/``<prefix>en`` names of every row in ``lang``, the other language where one is missing."""
    main, other = (f"{prefix}az", f"{prefix}en") if lang == "az" else (f"{prefix}en", f"{prefix}az")
    first = frame[main].astype(object)
    first = first.where(first.notna() & (first != ""), frame[other].astype(object))
    return first.fillna("").astype(str)


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


def board_table(board: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The traffic-light board as shown: figures, lights with icon and word, arrows."""
    names = board[name_col(lang)].fillna(board["name_az"])
    return pd.DataFrame({
        "institution_id": board["institution_id"],
        t("col.institution", lang): names,
        t("col.kind", lang): per_value(board["kind"], lambda k: t(f"kind.{k}", lang) if isinstance(k, str) else ""),
        t("col.services_transferable", lang): board["services_transferable"],
        t("col.e_services_provided", lang): board["e_services_provided"],
        t("col.coverage_pct", lang): board["coverage_pct"].round(0),
        t("light.dim.coverage", lang): per_value(board["coverage_light"], lambda v: light_text(v, lang)),
        t("col.mean_level", lang): board["mean_level"].round(2),
        t("light.dim.maturity", lang): per_value(board["maturity_light"], lambda v: light_text(v, lang)),
        t("light.dim.infrastructure", lang): per_value(board["infrastructure_light"], lambda v: light_text(v, lang)),
        t("col.mean_corruption", lang): board["mean_corruption"].round(1),
        t("light.dim.corruption", lang): per_value(board["corruption_light"], lambda v: light_text(v, lang)),
        t("col.change_level", lang): per_value(board["mean_level_change"].round(6), lambda v: arrow(v, 2)),
        t("col.change_coverage", lang): per_value(board["coverage_pct_change"].round(6), lambda v: arrow(v, 0)),
    })


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
            t("col.audience", lang): t(f"audience.{r['audience']}", lang) if r.get("audience") in ("citizen", "business") else "",
            t("col.level", lang): int(r["level"]),
            t("col.columns", lang): " ".join(str(int(r[c])) for c in LEVEL_COLUMNS),
            t("col.corruption", lang): int(r["corruption_score"]),
            t("col.band", lang): m.band(r["corruption_band"]).label.get(lang),
            t("col.next_step", lang): advice_text(adv, m, lang),
        })
    return pd.DataFrame(rows)


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
            "#": ind.number,
            t("col.indicator", lang): ind.short.get(lang) + (" *" if ind.mandatory else ""),
            t("col.answer", lang): t("answer.yes" if answers[i] else "answer.no", lang),
        }
        for k in range(1, 6):
            row[str(k)] = ("✔" if answers[i] else "✖") if k in ind.cols else ""
        row["C"] = ("✔" if answers[i] else "✖") if ind.corruption else ""
        rows.append(row)
    return pd.DataFrame(rows)


def level_row(answers: list[int], m: Methodology) -> str:
    mat = scoring.maturity(answers, m)
    return " ".join(str(c) for c in mat.columns)


def infra_component_table(scores: pd.Series, m: Methodology, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("col.component", lang): [c.name.get(lang) for c in m.components] + [t("metric.infrastructure_index", lang)],
        t("col.score", lang): [fmt_num(scores[c.id], lang, 1) for c in m.components] + [fmt_num(scores["index"], lang, 1)],
        t("col.light", lang): [light_text(scoring.traffic_light("infrastructure", float(scores[c.id]), m), lang) for c in m.components]
        + [light_text(scoring.traffic_light("infrastructure", float(scores["index"]), m), lang)],
    })


def infra_answers_table(answers: pd.DataFrame, m: Methodology, lang: str) -> pd.DataFrame:
    """Question-level answers of one scope, with how each was scored."""
    by_q = answers.set_index("question_id")["value"]
    rows = []
    for c in m.components:
        for q in c.questions:
            v = by_q.get(q.id)
            if v is None:
                shown, point = "—", None
            elif q.type == "percent":
                shown, point = fmt_pct(float(v), lang), int(float(v) > m.percent_threshold)
            else:
                shown, point = t("answer.yes" if float(v) else "answer.no", lang), int(bool(float(v)))
            rows.append({
                "id": q.id,
                t("col.component", lang): c.name.get(lang),
                t("col.question", lang): q.text.get(lang),
                t("col.answer", lang): shown,
                t("col.points", lang): "" if point is None else point,
            })
    return pd.DataFrame(rows)


def sorted_names(board: pd.DataFrame, lang: str) -> dict[int, str]:
    """institution_id → name in the user's language, in alphabetical order."""
    from ingest.registry import normalise

    names = board[name_col(lang)].fillna(board["name_az"])
    pairs = sorted(zip(board["institution_id"].astype(int), names), key=lambda p: normalise(str(p[1])))
    return dict(pairs)


def compare_sources(both: pd.DataFrame, m: Methodology, lang: str) -> pd.DataFrame:
    """Per indicator: the self answer, the expert answer and whether they agree."""
    s = both[both["source"] == "self"].iloc[0]
    e = both[both["source"] == "expert"].iloc[0]
    rows = []
    for ind in m.indicators:
        a, b = int(s[ind.id]), int(e[ind.id])
        rows.append({
            "#": ind.number,
            t("col.indicator", lang): ind.short.get(lang),
            t("source.self", lang): t("answer.yes" if a else "answer.no", lang),
            t("source.expert", lang): t("answer.yes" if b else "answer.no", lang),
            t("col.agree", lang): "✔" if a == b else "✖ " + t("compare.differs", lang),
        })
    rows.append({"#": None, t("col.indicator", lang): t("col.level", lang), t("source.self", lang): str(int(s["level"])),
                 t("source.expert", lang): str(int(e["level"])), t("col.agree", lang): "✔" if s["level"] == e["level"] else "✖"})
    out = pd.DataFrame(rows)
    out["#"] = out["#"].astype("Int64")  # the level row has no number: a missing value, not text among integers
    return out


def history_table(hist: pd.DataFrame, m: Methodology, lang: str) -> pd.DataFrame:
    """Every stored version of a service's answers, with the file and person behind it."""
    scored = scoring.score_answers(hist.reset_index(drop=True), m)
    out = pd.DataFrame({
        t("col.source", lang): scored["source"].map(lambda s: t(f"source.{s}", lang)),
        t("col.level", lang): scored["level"].astype(int),
        t("col.answers", lang): scored[m.answer_columns].astype(int).astype(str).agg("".join, axis=1),
    })
    for col, key in (("file_name", "col.file"), ("actor", "col.actor"), ("at", "col.when"), ("status", "col.status")):
        if col in scored.columns:
            out[t(key, lang)] = scored[col]
    return out


def indicator_table(m: Methodology, lang: str) -> pd.DataFrame:
    yes, no = t("answer.yes", lang), t("answer.no", lang)
    return pd.DataFrame([{
        "#": ind.number,
        t("col.indicator", lang): ind.text.get(lang),
        t("col.home_level", lang): ind.home,
        t("col.level_columns", lang): ", ".join(map(str, ind.cols)),
        t("col.mandatory", lang): yes if ind.mandatory else no,
        t("col.corruption_flag", lang): yes if ind.corruption else no,
    } for ind in m.indicators])


def stage_table(m: Methodology, lang: str) -> pd.DataFrame:
    return pd.DataFrame([{
        t("col.level", lang): s.level,
        t("col.eu_stage", lang): s.eu.get(lang),
        t("col.un_stage", lang): s.un.get(lang),
        t("col.paradigm", lang): s.paradigm or "—",
        t("col.mandatory_indicators", lang): ", ".join(
            str(i.number) for i in m.indicators if i.mandatory and i.home == s.level) or "—",
    } for s in m.stages])


def band_table(m: Methodology, lang: str) -> pd.DataFrame:
    rows = []
    for i, b in enumerate(m.bands):
        top = m.bands[i + 1].min - 1 if i + 1 < len(m.bands) else m.corruption_max
        rows.append({t("col.band", lang): b.label.get(lang), t("col.range", lang): f"{b.min}–{top}"})
    return pd.DataFrame(rows)


def question_table(m: Methodology, lang: str) -> pd.DataFrame:
    return pd.DataFrame([{
        "id": q.id,
        t("col.component", lang): c.name.get(lang),
        t("col.question", lang): q.text.get(lang),
        t("col.type", lang): t(f"qtype.{q.type}", lang),
    } for c in m.components for q in c.questions])


def threshold_table(m: Methodology, lang: str) -> pd.DataFrame:
    rows = []
    for dim in LIGHT_DIMS:
        r = m.lights[dim]
        g = f"{'≥' if r.green_inclusive else '>'} {fmt_num(r.green, lang, 2).rstrip('0').rstrip(',.')}"
        y = f"{'≥' if r.yellow_inclusive else '>'} {fmt_num(r.yellow, lang, 2).rstrip('0').rstrip(',.')}"
        rows.append({
            t("col.dimension", lang): t(f"light.dim.{dim}", lang),
            light_text("green", lang): g,
            light_text("yellow", lang): y,
            light_text("red", lang): t("light.below", lang, value=fmt_num(r.yellow, lang, 2).rstrip('0').rstrip(',.')),
        })
    return pd.DataFrame(rows)


def import_table(history: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The import audit list with translated headers (newest first)."""
    cols = {
        "import_id": "#", "at": t("col.when", lang), "file_name": t("col.file", lang), "actor": t("col.actor", lang),
        "kinds": t("col.kinds", lang), "outcome": t("col.status", lang), "sha256": "SHA-256",
    }
    present = [c for c in cols if c in history.columns]
    out = history.sort_values("import_id", ascending=False)[present].rename(columns=cols)
    if "SHA-256" in out.columns:
        out["SHA-256"] = out["SHA-256"].astype(str).str[:12] + "…"
    return out.reset_index(drop=True)


def history_long(history: pd.DataFrame, lang: str) -> pd.DataFrame:
    """An institution's mean level and mean corruption score per round, as chart series."""
    return pd.concat([
        pd.DataFrame({"round": history["round"], "value": history["mean_level"], "series": t("col.mean_level", lang)}),
        pd.DataFrame({"round": history["round"], "value": history["mean_corruption"],
                      "series": t("col.mean_corruption", lang)}),
    ], ignore_index=True)


def history_breaks(history: pd.DataFrame) -> list[str]:
    """Rounds where the methodology version changes (drawn as a series break)."""
    m = history["methodology"].tolist()
    return [r for i, r in enumerate(history["round"]) if i and m[i] != m[i - 1]]

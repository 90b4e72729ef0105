"""What a checked file would store, as tables a person reads before confirming.

Per service: the answers as yes/no words (a changed answer shows the stored
one too), the maturity level the answers give and its change against the
stored value; per institution, coverage figures and percentage; per question,
the infrastructure answer. No internal ids. Pure: the page and the command
line call it with an outcome's parsed file and plan.
"""

from __future__ import annotations

import pandas as pd

from l10n import fmt_delta, fmt_int, fmt_pct
from l10n.catalogue import t

from .model import ParsedWorkbook


def _word(v: int | None, lang: str) -> str:
    return "" if v is None else t("answer.yes" if v else "answer.no", lang)


def _answers(text: object) -> list[int] | None:
    if not isinstance(text, str) or not text.strip():
        return None
    return [int(x) for x in text.split()]


def _levels(rows: list[list[int] | None], m) -> list[int | None]:
    from scoring import score_frame

    known = [(i, r) for i, r in enumerate(rows) if r is not None and len(r) == m.n_indicators]
    out: list[int | None] = [None] * len(rows)
    if known:
        frame = pd.DataFrame([r for _, r in known], columns=m.answer_columns)
        for (i, _), level in zip(known, score_frame(frame, m)["level"].tolist()):
            out[i] = int(level)
    return out


def _status(s: str, lang: str) -> str:
    return t(f"plan.{s}", lang)


def _change(new: float | None, old: float | None, lang: str, digits: int = 0, pct: bool = False) -> str:
    if old is None or new is None:
        return t("intake.preview.new", lang)
    if new == old:
        return "="
    arrow = "▲" if new > old else "▼"
    return f"{arrow} {fmt_delta(new - old, lang, digits, pct=pct)}"


def services_preview(parsed: ParsedWorkbook, plan: pd.DataFrame, m, lang: str) -> pd.DataFrame:
    """One row per service of the file: answers as words, level, stored level and the change."""
    rows = plan[plan["kind"] == "services"].reset_index(drop=True)
    if rows.empty:
        return pd.DataFrame()
    new = [_answers(x) for x in rows["new"]]
    old = [_answers(x) for x in rows["old"]]
    new_levels, old_levels = _levels(new, m), _levels(old, m)
    labels = [f"{i}. {ind.short.get(lang)}" for i, ind in enumerate(m.indicators, start=1)]
    records = []
    for k, (rec, p) in enumerate(zip(parsed.services, rows.itertuples(index=False))):
        # The level and its change first: they are what a reviewer checks; the answers follow.
        item = {t("intake.preview.row", lang): rec.row, t("col.institution", lang): p.institution,
                t("col.code", lang): rec.service_code, t("col.service", lang): rec.service_name or "",
                t("col.status", lang): _status(p.status, lang), t("col.level", lang): new_levels[k],
                t("intake.preview.stored_level", lang): old_levels[k],
                t("col.change_level", lang): _change(new_levels[k], old_levels[k], lang)}
        before = old[k] if p.status == "replaced" else None
        for j, label in enumerate(labels):
            a = new[k][j] if new[k] and j < len(new[k]) else None
            word = _word(a, lang)
            if before is not None and j < len(before) and before[j] != a:
                word = f"{_word(before[j], lang)} → {word}"
            item[label] = word
        records.append(item)
    out = pd.DataFrame(records)
    for col in (t("col.level", lang), t("intake.preview.stored_level", lang)):
        out[col] = out[col].astype("Int64")
    return out


def coverage_preview(parsed: ParsedWorkbook, plan: pd.DataFrame, lang: str) -> pd.DataFrame:
    rows = plan[plan["kind"] == "coverage"].reset_index(drop=True)
    if rows.empty:
        return pd.DataFrame()
    records = []
    for rec, p in zip(parsed.coverage, rows.itertuples(index=False)):
        pct = 100 * rec.provided / rec.transferable if rec.transferable else None
        old_pct = None
        if isinstance(p.old, str) and "/" in p.old:
            ot, op = (int(x) for x in p.old.split("/"))
            old_pct = 100 * op / ot if ot else None
        records.append({
            t("intake.preview.row", lang): rec.row, t("col.institution", lang): p.institution,
            t("col.status", lang): _status(p.status, lang),
            t("col.transferable", lang): fmt_int(rec.transferable, lang), t("col.provided", lang): fmt_int(rec.provided, lang),
            t("col.coverage_pct", lang): fmt_pct(pct, lang, 1),
            t("intake.preview.stored", lang): "" if not isinstance(p.old, str) else p.old.replace("/", " / "),
            t("col.change", lang): _change(pct, old_pct, lang, 1, pct=True) if p.status != "new"
            else t("intake.preview.new", lang),
        })
    return pd.DataFrame(records)


def infrastructure_preview(parsed: ParsedWorkbook, plan: pd.DataFrame, m, lang: str) -> pd.DataFrame:
    rows = plan[plan["kind"] == "infrastructure"].reset_index(drop=True)
    if rows.empty:
        return pd.DataFrame()
    questions = {q.id: q for q in m.questions}

    def shown(qid: str, value: object) -> str:
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return ""
        q = questions.get(qid)
        v = float(value)
        return _word(int(v), lang) if q is not None and q.type == "yesno" else fmt_pct(v, lang, 0)

    records = []
    for rec, p in zip(parsed.infrastructure, rows.itertuples(index=False)):
        q = questions.get(rec.question_id)
        old = float(p.old) if isinstance(p.old, str) and p.old else None
        records.append({
            t("intake.preview.row", lang): rec.row, t("col.question", lang): rec.question_id,
            t("intake.preview.question_text", lang): q.text.get(lang) if q else "",
            t("col.status", lang): _status(p.status, lang),
            t("col.answer", lang): shown(rec.question_id, rec.value),
            t("intake.preview.stored", lang): shown(rec.question_id, old),
        })
    return pd.DataFrame(records)


def preview_frames(parsed: ParsedWorkbook, plan: pd.DataFrame, methodology, lang: str) -> dict[str, pd.DataFrame]:
    """``{"Services" | "Coverage" | "Infrastructure": table}`` for the kinds the file holds.

    ``methodology``: the round's :class:`~scoring.Methodology`, or its version id (read from disk).
    """
    from scoring import load_methodology

    m = load_methodology(methodology) if isinstance(methodology, str) else methodology
    out = {"Services": services_preview(parsed, plan, m, lang),
           "Coverage": coverage_preview(parsed, plan, lang),
           "Infrastructure": infrastructure_preview(parsed, plan, m, lang)}
    return {k: v for k, v in out.items() if len(v)}

"""Exporting results: CSV files (the public format) and a readable workbook.

Every round is scored with its own methodology version, read from the
database, so an old round keeps the scores it was published with after the
method changes. Text cells that a spreadsheet could take for a formula are
neutralised in both outputs (see :func:`neutralise`).
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import pandas as pd

from scoring import Methodology, columns_text, infrastructure_frame, institution_board, score_frame
from store import queries

from .inert import neutralise, write_csv

__all__ = ["neutralise", "export_csv", "export_workbook", "result_tables"]

SERVICES_COLUMNS = ["round", "source", "institution", "service_code", "level", "columns", "corruption_score",
                    "corruption_band"]
INFRA_COLUMNS = ["round", "scope", "authentic_sources", "eid", "secure_edelivery", "index"]
INSTITUTION_COLUMNS = ["round", "institution", "services_transferable", "e_services_provided", "coverage_pct",
                       "coverage_light", "mean_level", "maturity_light", "mean_corruption", "corruption_light"]
FLOAT_FORMAT = "%.3f"

HEADERS = {
    "az": {"round": "Dövr", "source": "Mənbə", "institution": "Qurum", "service_code": "Xidmət kodu",
           "service": "Xidmət", "level": "Səviyyə", "level_name": "Mərhələ (AB)", "un_stage": "Mərhələ (BMT)",
           "columns": "Səviyyə sütunları", "corruption_score": "Korrupsiya balı", "band": "Zolaq",
           "min": "Ən az bal", "paradigm": "Paradiqma", "label": "Ad"},
    "en": {"round": "Round", "source": "Source", "institution": "Institution", "service_code": "Service code",
           "service": "Service", "level": "Level", "level_name": "Stage (EU)", "un_stage": "Stage (UN)",
           "columns": "Level columns", "corruption_score": "Corruption score", "band": "Band",
           "min": "Minimum score", "paradigm": "Paradigm", "label": "Label"},
}
SHEET_NAMES = {"az": {"readable": "Oxunaqlı", "levels": "Səviyyələr", "bands": "Zolaqlar"},
               "en": {"readable": "Readable", "levels": "Levels", "bands": "Bands"}}


def _round_labels(st, rounds: list[str] | None) -> list[str]:
    return list(rounds) if rounds is not None else queries.round_labels(st)


def scored_services(st, round_label: str, source: str = "validated", m: Methodology | None = None,
                    published_only: bool = False) -> pd.DataFrame:
    """A round's current answers with level, level columns and corruption score, by the round's methodology.

    ``published_only``: what visitors see (the published values), as ``store.queries`` reads them.
    """
    m = m or queries.load_round_methodology(st, round_label)
    ans = queries.service_answers(st, round_label, source, published_only=published_only)
    return pd.concat([ans, score_frame(ans, m)], axis=1)


def infrastructure_scores(st, round_label: str, m: Methodology | None = None,
                          published_only: bool = False) -> pd.DataFrame:
    """Component scores and index per scope (national first); scopes with unanswered questions are left out."""
    m = m or queries.load_round_methodology(st, round_label)
    ans = queries.infrastructure_answers(st, round_label, source="validated", published_only=published_only)
    scores = infrastructure_frame(ans.rename(columns={"scope_institution_id": "scope"}), m)
    firsts = ans.drop_duplicates("scope_institution_id")
    names = firsts.set_index(firsts["scope_institution_id"].fillna(-1).astype(int))
    key = scores["scope"].fillna(-1).astype(int)
    out = pd.DataFrame({
        "scope_institution_id": scores["scope"].astype("Int64"),
        "scope_az": key.map(names["scope_az"]).to_numpy(), "scope_en": key.map(names["scope_en"]).to_numpy(),
    })
    for col in [c.id for c in m.components] + ["index"]:
        out[col] = scores[col].astype(float).to_numpy()
    return out.sort_values("scope_institution_id", na_position="first", kind="stable").reset_index(drop=True)


def _institution_table(services_scored: pd.DataFrame, coverage_df: pd.DataFrame,
                       infrastructure_answers: pd.DataFrame, m: Methodology) -> pd.DataFrame:
    """The board of the dashboard (``scoring.institution_board``) with the Azerbaijani names."""
    board = institution_board(services_scored, coverage_df, infrastructure_answers, m)
    names = pd.concat([
        services_scored[["institution_id", "institution_az"]], coverage_df[["institution_id", "institution_az"]],
    ]).drop_duplicates("institution_id").set_index("institution_id")["institution_az"]
    board.insert(1, "institution", board["institution_id"].map(names))
    for c in ("services_transferable", "e_services_provided", "n_services"):
        board[c] = board[c].astype("Int64")
    return board.sort_values("institution_id", kind="stable").reset_index(drop=True)


def result_tables(st, source: str = "validated", rounds: list[str] | None = None,
                  published_only: bool = False) -> dict[str, pd.DataFrame]:
    """The three exported tables (services, infrastructure, institutions) over the given rounds (default all)."""
    services, infra, inst = [], [], []
    for label in _round_labels(st, rounds):
        m = queries.load_round_methodology(st, label)
        s = scored_services(st, label, source, m, published_only)
        if len(s):
            services.append(pd.DataFrame({
                "round": label, "source": s["source"], "institution": s["institution_az"],
                "service_code": s["code"], "level": s["level"].astype(int), "columns": columns_text(s),
                "corruption_score": s["corruption_score"].astype(int), "corruption_band": s["corruption_band"]}))
        sc = infrastructure_scores(st, label, m, published_only)
        if len(sc):
            infra.append(pd.DataFrame({
                "round": label, "scope": sc["scope_az"].where(sc["scope_institution_id"].notna(), "national"),
                **{c: sc[c] for c in INFRA_COLUMNS[2:-1] if c in sc}, "index": sc["index"]}))
        board = _institution_table(s, queries.coverage_rows(st, label, published_only=published_only),
                                   queries.infrastructure_answers(st, label, source="validated",
                                                                  published_only=published_only), m)
        if len(board):
            board.insert(0, "round", label)
            inst.append(board)

    def cat(parts, cols):
        df = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)
        return df

    return {
        "services": cat(services, SERVICES_COLUMNS).reindex(columns=SERVICES_COLUMNS),
        "infrastructure": cat(infra, INFRA_COLUMNS).reindex(columns=INFRA_COLUMNS),
        "institutions": cat(inst, INSTITUTION_COLUMNS),
    }


def export_csv(st, directory: str | os.PathLike, source: str = "validated",
               rounds: list[str] | None = None) -> dict[str, Path]:
    """Write services.csv, infrastructure.csv and institutions.csv (UTF-8, comma-separated); returns the paths.

    Scores carry three decimals; lights are green, yellow, red or empty.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    tables = result_tables(st, source, rounds)
    tables["institutions"] = tables["institutions"].reindex(columns=INSTITUTION_COLUMNS)
    out = {}
    for name, df in tables.items():
        path = directory / f"{name}.csv"
        write_csv(df, path, float_format=FLOAT_FORMAT)
        out[name] = path
    return out


def _readable(st, services: pd.DataFrame, lang: str, rounds: list[str]) -> pd.DataFrame:
    h = HEADERS[lang]
    parts = []
    svc = queries.services(st)[["institution_az", "institution_en", "code", "name_az", "name_en"]]
    for label in rounds:
        m = queries.load_round_methodology(st, label)
        s = services[services["round"] == label].merge(
            svc, left_on=["institution", "service_code"], right_on=["institution_az", "code"], how="left")
        if not len(s):
            continue
        parts.append(pd.DataFrame({
            h["round"]: s["round"], h["source"]: s["source"],
            h["institution"]: s["institution_en"].fillna(s["institution"]) if lang == "en" else s["institution"],
            h["service_code"]: s["service_code"],
            h["service"]: (s["name_en"].fillna(s["name_az"]) if lang == "en" else s["name_az"].fillna(s["name_en"])),
            h["level"]: s["level"],
            h["level_name"]: s["level"].map({st_.level: st_.eu.get(lang) for st_ in m.stages}),
            h["columns"]: s["columns"], h["corruption_score"]: s["corruption_score"],
            h["band"]: s["corruption_band"].map({b.id: b.label.get(lang) for b in m.bands}),
        }))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(h.values()))


def _method_sheets(m: Methodology, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    h = HEADERS[lang]
    levels = pd.DataFrame([{h["level"]: s.level, h["level_name"]: s.eu.get(lang), h["un_stage"]: s.un.get(lang),
                            h["paradigm"]: s.paradigm or ""} for s in m.stages])
    bands = pd.DataFrame([{h["band"]: b.id, h["min"]: b.min, h["label"]: b.label.get(lang)}
                          for b in m.bands])
    return levels, bands


def _write_sheet(wb, title: str, df: pd.DataFrame) -> None:
    """Write a frame cell by cell, forcing every text cell to the string type.

    openpyxl turns any text starting with "=" into a formula; setting the data
    type after assignment (and the apostrophe from :func:`neutralise`) keeps
    every cell inert.
    """
    ws = wb.create_sheet(title[:31])
    ws.append([str(c) for c in df.columns])
    for cell in ws[1]:
        cell.data_type = "s"
    for row in df.itertuples(index=False):
        values = []
        for v in row:
            if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
                values.append(None)
            elif isinstance(v, float):
                values.append(round(v, 6))
            elif hasattr(v, "item"):
                values.append(v.item())
            else:
                values.append(neutralise(v) if isinstance(v, str) else v)
        ws.append(values)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    ws.freeze_panes = "A2"
    for col in ws.columns:
        width = max((len(str(c.value)) for c in col[:200] if c.value is not None), default=8)
        ws.column_dimensions[col[0].column_letter].width = min(60, max(8, width + 2))


def export_workbook(st, path_or_buffer, lang: str = "az", source: str = "validated",
                    rounds: list[str] | None = None, published_only: bool = False) -> None:
    """An .xlsx with the three CSV tables as sheets, a readable services sheet and the method's levels and bands.

    ``published_only``: only what visitors may see (the Reports page gives visitors this).
    """
    from openpyxl import Workbook

    lang = lang if lang in ("az", "en") else "en"
    labels = _round_labels(st, rounds)
    tables = result_tables(st, source, labels, published_only)
    wb = Workbook()
    wb.remove(wb.active)
    _write_sheet(wb, "services", tables["services"])
    _write_sheet(wb, "infrastructure", tables["infrastructure"])
    _write_sheet(wb, "institutions", tables["institutions"].reindex(columns=INSTITUTION_COLUMNS))
    names = SHEET_NAMES[lang]
    _write_sheet(wb, names["readable"], _readable(st, tables["services"], lang, labels))
    mids = sorted({queries.round_methodology(st, r) for r in labels})
    for mid in mids or []:
        levels, bands = _method_sheets(queries.methodology(st, mid), lang)
        suffix = f" {mid}" if len(mids) > 1 else ""
        _write_sheet(wb, names["levels"] + suffix, levels)
        _write_sheet(wb, names["bands"] + suffix, bands)
    if isinstance(path_or_buffer, (str, os.PathLike)):
        Path(path_or_buffer).parent.mkdir(parents=True, exist_ok=True)
    wb.save(path_or_buffer)

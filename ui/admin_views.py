"""Tables of the administration page, in the user's language (no raw column names or codes)."""

from __future__ import annotations

import pandas as pd

from ui.grid import Col, describe
from ui.i18n import has, t


def _word(prefix: str, lang: str):
    def word(v):
        if v is None or (isinstance(v, float) and pd.isna(v)):
            return None
        return t(f"{prefix}.{v}", lang) if has(f"{prefix}.{v}") else str(v)
    return word


def rounds_table(rounds: pd.DataFrame, lang: str) -> pd.DataFrame:
    r = rounds.sort_values("label", ascending=False).reset_index(drop=True)
    out = pd.DataFrame({
        t("col.round", lang): r["label"],
        t("methodology.version", lang): r["methodology_id"],
        t("col.status", lang): r["status"].map(_word("round.status", lang)),
        t("admin.col.published", lang): r["published"].astype(bool),
        t("admin.col.published_at", lang): r["published_at"],
        t("admin.col.illustrative", lang): r["illustrative"].astype(bool),
        t("source.self", lang): r["n_self"].astype("Int64"),
        t("source.expert", lang): r["n_expert"].astype("Int64"),
    })
    for col in ("deadline", "closes"):
        if col in r.columns and r[col].notna().any():
            out[t(f"admin.col.{col}", lang)] = r[col]
    spec = {t("col.round", lang): Col("text", pinned=True), t("admin.col.published_at", lang): Col("datetime")}
    spec |= {t(f"admin.col.{c}", lang): Col("date") for c in ("deadline", "closes")}
    return describe(out, spec)


def publications_table(pubs: pd.DataFrame, lang: str) -> pd.DataFrame:
    out = pd.DataFrame({
        "№": pubs["publication_id"],
        t("col.round", lang): pubs["round"],
        t("col.when", lang): pubs["at"],
        t("col.actor", lang): pubs["actor"],
        t("admin.col.fingerprint", lang): pubs["fingerprint"].astype(str).str[:12] + "…",
    })
    return describe(out, {"№": Col("id"), t("col.when", lang): Col("datetime")})


def roles_table(roles: pd.DataFrame, lang: str) -> pd.DataFrame:
    out = pd.DataFrame({
        t("admin.email", lang): roles["email"],
        t("admin.role", lang): roles["role"].map(_word("role", lang)),
        t("admin.col.name", lang): roles["name"],
        t("col.when", lang): roles["updated_at"],
        t("col.actor", lang): roles["updated_by"],
    })
    return describe(out, {t("col.when", lang): Col("datetime")})


def accounts_table(local: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("auth.username", lang): local["username"],
        t("admin.col.name", lang): local["name"],
        t("admin.role", lang): local["role"].map(_word("role", lang)),
    })


def diff_table(diff: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A methodology diff with its parts, items and kinds of change in words."""
    def item(part: str, value: str) -> str:
        if part == "indicator" and str(value).startswith("q"):
            return str(value)[1:]
        key = f"admin.diff.item.{value}"
        return t(key, lang) if has(key) else str(value)

    return pd.DataFrame({
        t("admin.diff.part", lang): diff["part"].map(lambda p: t(f"admin.diff.part.{p.replace(' ', '_')}", lang)),
        t("admin.diff.item", lang): [item(p, v) for p, v in zip(diff["part"], diff["item"])],
        t("admin.diff.change", lang): diff["change"].map(_word("admin.diff.change", lang)),
        t("admin.diff.old", lang): diff["old"],
        t("admin.diff.new", lang): diff["new"],
    })

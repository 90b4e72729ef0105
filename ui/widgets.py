"""Composite widgets the pages share: light cards, import outcome panels, coloured tables."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import scoring
from ui import components
from ui.i18n import t
from ui.safe import md
from ui.theme import LIGHTS, light_badge_html, light_key


def light_card(title: str, value: str, light: str | None, lang: str) -> None:
    """A bordered card: the dimension, its figure and its light (icon and word, not colour alone)."""
    with st.container(border=True):
        st.caption(title)
        st.markdown(f"### {value}")
        st.markdown(light_badge_html(light, lang), unsafe_allow_html=True)


def outcome_panel(outcome, lang: str) -> None:
    """What a checked or imported file would do: counts by change, the plan, every error."""
    status_icon = {"dry-run": "✔", "imported": "✔", "unchanged": "=", "rejected": "✖", "conflict": "⚠"}
    with st.container(border=True):
        st.markdown(f"**{status_icon.get(outcome.status, '•')} {md(outcome.file_name)}** — "
                    f"{t(f'data.status.{outcome.status}', lang)}")
        plan = getattr(outcome, "plan", None)
        if plan is not None and len(plan):
            counts = plan["status"].value_counts()
            c = st.columns(3)
            for col, s in zip(c, ("new", "replaced", "unchanged")):
                col.metric(t(f"plan.{s}", lang), int(counts.get(s, 0)))
            with st.expander(t("data.plan.details", lang)):
                st.dataframe(plan, hide_index=True, width="stretch")
        if outcome.errors:
            frame = outcome.errors_frame(lang)
            st.error(t("data.errors", lang, n=len(outcome.errors)))
            st.dataframe(frame, hide_index=True, width="stretch")
            components.download_table(frame, f"errors-{outcome.file_name}", lang, key=f"dl-err-{outcome.file_name}")
        warnings = getattr(outcome, "warnings", [])
        if warnings:
            with st.expander(t("data.warnings", lang, n=len(warnings))):
                for w in warnings:
                    st.markdown(f"• {md(w.message(lang))}")


def style_infra_table(frame: pd.DataFrame, m: scoring.Methodology):
    """Per-institution infrastructure scores coloured with the seed's key; the icon keeps it readable."""
    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]

    def light(v):
        return scoring.traffic_light("infrastructure", float(v), m)

    def colour(v):
        spec = LIGHTS[light_key(light(v))]
        return f"background-color: {spec['bg']}; color: {spec['ink']}"

    def label(v):
        return f"{LIGHTS[light_key(light(v))]['icon']} {v:.2f}"

    return frame.style.map(colour, subset=numeric).format(label, subset=numeric)

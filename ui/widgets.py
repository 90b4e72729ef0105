"""Composite widgets the pages share: light cards and import outcome panels."""

from __future__ import annotations

import streamlit as st

from ui import components, tables
from ui.i18n import t
from ui.safe import md
from ui.theme import light_badge_html


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
                components.table(tables.plan_table(plan, lang), lang, key=f"plan-{outcome.file_name}",
                                 download=f"plan-{outcome.file_name}")
        if outcome.errors:
            frame = tables.issues_table(outcome.errors_frame(lang), lang)
            st.error(t("data.errors", lang, n=len(outcome.errors)))
            components.table(frame, lang, key=f"errors-{outcome.file_name}", download=f"errors-{outcome.file_name}")
        warnings = getattr(outcome, "warnings", [])
        if warnings:
            with st.expander(t("data.warnings", lang, n=len(warnings))):
                for w in warnings:
                    st.markdown(f"• {md(w.message(lang))}")

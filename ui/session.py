"""Who is using the app: the signed-in actor (or an anonymous visitor) and their role."""

from __future__ import annotations

import streamlit as st

from store.actors import Actor

ROLE_ORDER = {"viewer": 0, "expert": 1, "admin": 2}


def current_actor() -> Actor | None:
    """The signed-in actor, or None for an anonymous visitor (published rounds only)."""
    actor = st.session_state.get("actor")
    return actor if isinstance(actor, Actor) else None


def has_role(role: str) -> bool:
    actor = current_actor()
    return actor is not None and ROLE_ORDER.get(actor.role, -1) >= ROLE_ORDER[role]

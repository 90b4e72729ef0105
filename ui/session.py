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
    """Whether the actor holds a ladder role (viewer < expert < admin) at least; a respondent holds none."""
    actor = current_actor()
    return actor is not None and ROLE_ORDER.get(actor.role, -1) >= ROLE_ORDER[role]


def sees_unpublished() -> bool:
    """Signed in with a ladder role: unpublished rounds and values are shown.

    A respondent is signed in but reads what visitors read, plus its own
    institution's form (``store.collection`` checks that part).
    """
    return has_role("viewer")


def is_respondent() -> bool:
    actor = current_actor()
    return actor is not None and actor.is_respondent

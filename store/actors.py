"""Who is acting: actors, roles and the permission check every write makes.

Three roles form a ladder (``viewer < expert < admin``): each may do what the
one below it may. ``respondent`` stands beside the ladder: a person of one
institution (``Actor.institution_id``) who fills in that institution's
self-assessment form and reads what visitors read. A respondent passes no
ladder check, so every store function that reads unpublished values refuses
one; the collection store (``store.collection``) checks the institution.
"""

from __future__ import annotations

from dataclasses import dataclass

LADDER = ("viewer", "expert", "admin")
ROLES = ("viewer", "respondent", "expert", "admin")
_RANK = {r: i for i, r in enumerate(LADDER)}

_ROLE_AZ = {"viewer": "baxış", "respondent": "qurum nümayəndəsi", "expert": "ekspert", "admin": "administrator"}


class PermissionDenied(ValueError):
    """The actor's role is too low for the requested write.

    The message carries both languages (az first) so that the command line and
    the app can show it without a lookup; ``message_az``/``message_en`` hold
    them separately.
    """

    def __init__(self, actor: Actor, needed: str, action: str = ""):
        self.actor = actor
        self.needed = needed
        self.action = action
        what_en = f" to {action}" if action else ""
        what_az = f" ({action})" if action else ""
        self.message_en = f"{actor.name} has the role '{actor.role}'; '{needed}' or higher is needed{what_en}."
        self.message_az = (
            f"{actor.name} istifadəçisinin rolu '{_ROLE_AZ.get(actor.role, actor.role)}'dır; "
            f"bu əməliyyat{what_az} üçün ən azı '{_ROLE_AZ.get(needed, needed)}' rolu lazımdır."
        )
        super().__init__(f"{self.message_az} / {self.message_en}")

    def message(self, lang: str = "az") -> str:
        return self.message_az if lang == "az" else self.message_en


@dataclass(frozen=True)
class Actor:
    """A person or process using the store; ``role`` is viewer, respondent, expert or admin.

    A respondent carries the id of the one institution it answers for; other roles carry none.
    """

    name: str
    role: str
    email: str | None = None
    institution_id: int | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}; known: {', '.join(ROLES)}")
        if self.role == "respondent":
            if self.institution_id is None or isinstance(self.institution_id, bool):
                raise ValueError("a respondent answers for one institution: institution_id is needed")
            object.__setattr__(self, "institution_id", int(self.institution_id))
        elif self.institution_id is not None:
            raise ValueError(f"only respondents are tied to an institution, not the role {self.role!r}")

    @property
    def login(self) -> str:
        """The account's identity: the e-mail for single sign-on, else the user name."""
        return self.email.strip().lower() if self.email else self.name.strip()

    @property
    def is_respondent(self) -> bool:
        return self.role == "respondent"

    @classmethod
    def system(cls, name: str = "cli") -> Actor:
        """The command line and maintenance scripts act with full rights."""
        return cls(name=name, role="admin")

    def can(self, role: str) -> bool:
        """Whether the actor holds ``role`` or a higher one of the ladder (a respondent holds none)."""
        if self.role not in _RANK:
            return False
        return _RANK[self.role] >= _RANK[role]


def require(actor: Actor, role: str, action: str = "") -> None:
    """Raise :class:`PermissionDenied` unless ``actor`` holds ``role`` or higher (a ladder role)."""
    if role not in _RANK:
        raise ValueError(f"unknown role {role!r}; a check names one of {', '.join(LADDER)}")
    if not isinstance(actor, Actor):
        raise TypeError(f"expected an Actor, got {type(actor).__name__}")
    if not actor.can(role):
        raise PermissionDenied(actor, role, action)

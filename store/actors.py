"""Who is acting: actors, roles and the permission check every write makes."""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("viewer", "expert", "admin")
_RANK = {r: i for i, r in enumerate(ROLES)}

_ROLE_AZ = {"viewer": "baxış", "expert": "ekspert", "admin": "administrator"}


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
    """A person or process writing to the store; ``role`` is viewer, expert or admin."""

    name: str
    role: str
    email: str | None = None

    def __post_init__(self) -> None:
        if self.role not in _RANK:
            raise ValueError(f"unknown role {self.role!r}; known: {', '.join(ROLES)}")

    @classmethod
    def system(cls, name: str = "cli") -> Actor:
        """The command line and maintenance scripts act with full rights."""
        return cls(name=name, role="admin")

    def can(self, role: str) -> bool:
        return _RANK[self.role] >= _RANK[role]


def require(actor: Actor, role: str, action: str = "") -> None:
    """Raise :class:`PermissionDenied` unless ``actor`` holds ``role`` or higher."""
    if role not in _RANK:
        raise ValueError(f"unknown role {role!r}")
    if not isinstance(actor, Actor):
        raise TypeError(f"expected an Actor, got {type(actor).__name__}")
    if not actor.can(role):
        raise PermissionDenied(actor, role, action)

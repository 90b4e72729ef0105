"""Errors the store raises for people to read: a catalogue key and its values, in the reader's language.

``str(error)`` is English (logs, the command line, tests); ``error.message(lang)``
is what a page shows. Keys live under ``store.`` in the PO files.
"""

from __future__ import annotations

from typing import Any

from l10n import t


class Localised:
    """Mixin: ``key`` and ``params`` give the message in any language."""

    key: str = ""
    params: dict[str, Any]

    def _localise(self, key: str, params: dict[str, Any]) -> str:
        self.key, self.params = key, params
        return self.message("en")

    def message(self, lang: str = "az") -> str:
        return t(self.key, lang, strict=False, **self.params)

    @property
    def code(self) -> str:
        """The key without its area prefix (``ingest.round_not_open`` → ``round_not_open``)."""
        return self.key.split(".", 1)[1] if "." in self.key else self.key


class StoreError(Localised, ValueError):
    """A write refused for a reason the user can act on."""

    def __init__(self, key: str, **params: Any):
        ValueError.__init__(self, self._localise(key, params))


class NotFound(Localised, LookupError):
    """A round, import or service named in a request does not exist."""

    def __init__(self, key: str, **params: Any):
        LookupError.__init__(self, self._localise(key, params))


# Refusals of imports and reverts: the same class, named for what they are (keys under ``ingest.``).
Refused = StoreError


def message_of(exc: BaseException, lang: str = "az") -> str:
    """Any store exception as a sentence in ``lang``: refusals and permission errors are translated."""
    text = getattr(exc, "message", None)
    if callable(text):
        try:
            return str(text(lang))
        except TypeError:
            pass
    return str(exc)

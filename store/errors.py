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


class StoreError(Localised, ValueError):
    """A write refused for a reason the user can act on."""

    def __init__(self, key: str, **params: Any):
        ValueError.__init__(self, self._localise(key, params))


class NotFound(Localised, LookupError):
    """A round, import or service named in a request does not exist."""

    def __init__(self, key: str, **params: Any):
        LookupError.__init__(self, self._localise(key, params))

"""Refusals the store explains in the user's language.

A write the store refuses raises :class:`Refused` carrying a catalogue key and
its parameters rather than an English sentence, so the app, the command line
and the import report show the same text in Azerbaijani or English.
``str(exc)`` stays English, for logs and for callers that only print.
"""

from __future__ import annotations


class Refused(ValueError):
    """A refused write: ``key`` names the text in the PO catalogue, ``params`` fill it."""

    def __init__(self, key: str, /, **params):
        self.key = key
        self.params = params
        super().__init__(self.message("en"))

    @property
    def code(self) -> str:
        """The key without its area prefix (``ingest.round_not_open`` → ``round_not_open``)."""
        return self.key.split(".", 1)[1] if "." in self.key else self.key

    def message(self, lang: str = "az") -> str:
        from l10n.catalogue import lookup, t

        if lookup(self.key) is None:
            return f"{self.key}: {self.params}"
        return t(self.key, lang, strict=False, **self.params)


def message_of(exc: BaseException, lang: str = "az") -> str:
    """Any store exception as a sentence in ``lang``: refusals and permission errors are translated."""
    text = getattr(exc, "message", None)
    if callable(text):
        try:
            return str(text(lang))
        except TypeError:
            pass
    return str(exc)

"""Errors raised by the scoring core, with messages in Azerbaijani and English."""

from __future__ import annotations


class MethodologyError(ValueError):
    """A methodology file is inconsistent or unreadable.

    ``field`` names the offending place (``indicators[3].home``); ``messages``
    holds the explanation per language so that the interface can show it in
    the user's language.
    """

    def __init__(self, field: str, en: str, az: str | None = None) -> None:
        self.field = field
        self.messages = {"en": en, "az": az or en}
        super().__init__(f"{field}: {en}")

    def message(self, lang: str = "en") -> str:
        return f"{self.field}: {self.messages.get(lang, self.messages['en'])}"


class AnswerError(ValueError):
    """Answers handed to a scoring function do not fit the methodology."""

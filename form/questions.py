"""The questionnaire a collection round froze: the methodology's questions, wording and help, by level.

When a round opens for collection the store keeps :func:`freeze` of its
methodology as JSON; the form is drawn from that copy, so the wording people
answered is the wording the round asked, whatever happens to files later.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from l10n import t


def _text(value) -> dict[str, str]:
    return {"az": value.az, "en": value.en}


def freeze(m) -> dict:
    """The questions of methodology ``m`` as plain JSON-ready data."""
    return {
        "methodology": m.id,
        "questions": [
            {"number": ind.number, "home": ind.home, "cols": list(ind.cols), "mandatory": ind.mandatory,
             "corruption": ind.corruption, "short": _text(ind.short), "text": _text(ind.text),
             "help": _text(ind.help) if getattr(ind, "help", None) is not None else None}
            for ind in m.indicators],
        "stages": {str(s.level): _text(s.eu) for s in m.stages},
    }


def _span(cols: list[int]) -> str:
    """Level columns as people read them: ``1–5``, ``2–4``, ``4``, or ``2, 4`` when not contiguous."""
    cols = sorted(cols)
    if len(cols) > 1 and cols == list(range(cols[0], cols[-1] + 1)):
        return f"{cols[0]}–{cols[-1]}"
    return ", ".join(str(c) for c in cols)


@dataclass(frozen=True)
class FormQuestion:
    number: int
    home: int
    cols: tuple[int, ...]
    mandatory: bool
    corruption: bool
    short: dict
    text: dict
    help: dict | None

    @property
    def key(self) -> str:
        return f"q{self.number}"

    def wording(self, lang: str) -> str:
        return self.text.get(lang) or self.text.get("az", "")

    def short_name(self, lang: str) -> str:
        return self.short.get(lang) or self.short.get("az", "")

    def help_text(self, lang: str, stages: dict[int, dict]) -> str:
        """The methodology's guidance (if any), then what the answer counts for."""
        parts = []
        if self.help:
            parts.append(self.help.get(lang) or self.help.get("az", ""))
        stage = stages.get(self.home, {}).get(lang, "")
        parts.append(t("form.help.structure", lang, short=self.short_name(lang), home=self.home, stage=stage,
                       cols=_span(list(self.cols))))
        if self.mandatory:
            parts.append(t("form.help.mandatory", lang, home=self.home))
        if self.corruption:
            parts.append(t("form.help.corruption", lang))
        return "\n\n".join(p for p in parts if p)


@dataclass(frozen=True)
class Questionnaire:
    methodology_id: str
    questions: tuple[FormQuestion, ...]
    stages: dict[int, dict]

    @classmethod
    def from_frozen(cls, data: dict | str) -> Questionnaire:
        raw = json.loads(data) if isinstance(data, str) else data
        qs = tuple(FormQuestion(int(q["number"]), int(q["home"]), tuple(q["cols"]), bool(q["mandatory"]),
                                bool(q["corruption"]), dict(q["short"]), dict(q["text"]),
                                dict(q["help"]) if q.get("help") else None) for q in raw["questions"])
        return cls(str(raw["methodology"]), qs, {int(k): dict(v) for k, v in raw["stages"].items()})

    @classmethod
    def of(cls, m) -> Questionnaire:
        return cls.from_frozen(freeze(m))

    def __len__(self) -> int:
        return len(self.questions)

    def groups(self) -> list[tuple[int, list[FormQuestion]]]:
        """Questions grouped by the level they belong to (their home level), lowest first."""
        out: dict[int, list[FormQuestion]] = {}
        for q in self.questions:
            out.setdefault(q.home, []).append(q)
        return sorted(out.items())

    def stage(self, level: int, lang: str) -> str:
        return self.stages.get(level, {}).get(lang, "")

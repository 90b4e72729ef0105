"""Plain data passed from the workbook reader to the store: parsed records and issues.

The reader (``ingest.reader``) fills a :class:`ParsedWorkbook`; the store plans
and commits it (``store.imports``). Nothing here touches files or the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SOURCES = ("self", "expert")


@dataclass(frozen=True)
class Issue:
    """One problem found in an uploaded file, located as Excel shows it.

    ``code`` keys a message in ``ingest.messages`` (az and en); ``params`` fills it.
    ``severity`` is ``error`` (the file is rejected) or ``warning`` (imported anyway).
    """

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    value: Any
    code: str
    params: dict = field(default_factory=dict)
    severity: str = "error"

    def message(self, lang: str = "az") -> str:
        from .messages import render

        return render(self.code, lang, **self.params)


@dataclass
class Meta:
    round: str
    source: str = "self"
    methodology: str | None = None  # version id; None = newest, resolved by the reader
    language: str | None = None
    scope: str | None = None  # None = national; else the institution name as written
    scope_institution_id: int | None = None


@dataclass
class ServiceRecord:
    row: int
    institution_id: int | None  # None when a new institution will be created
    institution_name: str  # as written in the file (normalised spaces)
    service_code: str
    service_name: str | None
    audience: str | None  # citizen | business | None
    answers: tuple[int, ...]  # q1..qN as 0/1
    comment: str | None = None
    new_institution: bool = False
    new_service: bool = False


@dataclass
class CoverageRecord:
    row: int
    institution_id: int | None
    institution_name: str
    transferable: int
    provided: int
    new_institution: bool = False


@dataclass
class InfrastructureAnswer:
    row: int
    question_id: str  # "1.1" …
    value: float  # 0/1 for yes/no questions, 0–100 for percentages


@dataclass
class ParsedWorkbook:
    file_name: str
    sha256: str
    size: int = 0
    meta: Meta | None = None
    services: list[ServiceRecord] = field(default_factory=list)
    coverage: list[CoverageRecord] = field(default_factory=list)
    infrastructure: list[InfrastructureAnswer] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def sheets(self) -> list[str]:
        out = []
        if self.services:
            out.append("Services")
        if self.infrastructure:
            out.append("Infrastructure")
        if self.coverage:
            out.append("Coverage")
        return out

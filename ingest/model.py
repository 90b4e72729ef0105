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
    One issue stands for one kind of problem: when the same problem occurs in
    several cells, ``cells`` lists every one of them (A1 references on
    ``sheet``, at most :data:`ingest.issues.MAX_CELLS`), ``row``/``column``/``value``
    describe the first, and ``params["cells"]`` holds them as ranges (``B4:B19``).
    """

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    value: Any
    code: str
    params: dict = field(default_factory=dict)
    severity: str = "error"
    cells: tuple[str, ...] = ()

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
    sheet: str | None = None  # the Meta sheet's name as written
    cells: dict[str, str] = field(default_factory=dict)  # key -> A1 reference of its value (round -> "B2")


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
    cell: str | None = None  # A1 reference of the service-code cell (for messages and the annotated copy)


@dataclass
class CoverageRecord:
    row: int
    institution_id: int | None
    institution_name: str
    transferable: int
    provided: int
    new_institution: bool = False
    cell: str | None = None  # A1 reference of the institution cell


@dataclass
class InfrastructureAnswer:
    row: int
    question_id: str  # "1.1" …
    value: float  # 0/1 for yes/no questions, 0–100 for percentages
    cell: str | None = None  # A1 reference of the answer cell


@dataclass
class ParsedWorkbook:
    """What the reader made of one file; ``sheet_names`` maps each kind read to the sheet it came from."""

    file_name: str
    sha256: str
    size: int = 0
    meta: Meta | None = None
    services: list[ServiceRecord] = field(default_factory=list)
    coverage: list[CoverageRecord] = field(default_factory=list)
    infrastructure: list[InfrastructureAnswer] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    sheet_names: dict[str, str] = field(default_factory=dict)  # "Services" -> "Xidmətlər" when renamed

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

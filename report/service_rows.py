"""An institution page's service rows, made on demand from the round's scored frame.

A country's round holds a hundred thousand scored services; a presentation
shows fifty of them at a time. :class:`ServiceTable` groups the rows by
institution once (a stable sort of positions, so each institution keeps the
store's order) and turns one institution's rows into
:class:`~report.model.ServiceRow` only when its page is built: advice comes
from the vectorised rule (``scoring.advice``) over that slice, and every text
(band, light, indicator names) is looked up once per distinct value.
"""

from __future__ import annotations

import re
import threading

import numpy as np
import pandas as pd

import scoring
from scoring.advice import NO_TARGET, advice_columns, numbers

from .model import AdviceItem, ServiceRow

_INVISIBLE = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]+")
_FIELDS = ("service_id", "code", "service_az", "service_en", "audience", "level", *scoring.LEVEL_COLUMNS,
           "corruption_score", "corruption_band", "source")
WHOLE_AFTER = 16  # pages built one by one before a table's columns are taken whole (an export is under way)


def name_in(row, lang: str, az: str = "name_az", en: str = "name_en") -> str:
    """A name in the report's language, falling back to the other one.

    Kept exactly as written (never re-cased); only control and invisible bidi characters go,
    since they would corrupt a slide's XML or reorder a line.
    """
    first, second = (row.get(az), row.get(en)) if lang == "az" else (row.get(en), row.get(az))
    for v in (first, second):
        if isinstance(v, str) and v.strip():
            return _INVISIBLE.sub(" ", v).strip()
    return ""


class ServiceTable:
    """The scored rows of a round, by institution; :meth:`rows` makes one institution's service rows."""

    def __init__(self, scored: pd.DataFrame, m: scoring.Methodology, lang: str):
        self.m, self.lang = m, lang
        self._frame = scored
        ids = scored["institution_id"].to_numpy(dtype=np.int64) if len(scored) else np.zeros(0, np.int64)
        self._order = np.argsort(ids, kind="stable")
        self._sorted = ids[self._order]
        self._columns: dict[str, np.ndarray] | None = None
        self._asked = 0
        self._lock = threading.Lock()
        self._texts: dict = {}

    def count(self, institution_id: int) -> int:
        """How many services the institution's page lists."""
        lo, hi = self._span(institution_id)
        return hi - lo

    def _span(self, institution_id: int) -> tuple[int, int]:
        lo = int(np.searchsorted(self._sorted, institution_id, side="left"))
        hi = int(np.searchsorted(self._sorted, institution_id, side="right"))
        return lo, hi

    def _take(self, positions: np.ndarray) -> dict[str, np.ndarray]:
        f = self._frame
        cols = {c: f[c].take(positions).to_numpy(dtype=object) for c in _FIELDS if c in f}
        return cols | {q: f[q].take(positions).to_numpy(dtype=np.uint8) for q in self.m.answer_columns}

    def _slice(self, lo: int, hi: int) -> dict[str, np.ndarray]:
        """The needed columns of rows ``lo:hi`` in institution order.

        A presenter looks at a few institutions: their rows are taken alone. An export walks them all:
        after :data:`WHOLE_AFTER` pages the columns are taken whole, once, and sliced from then on.
        """
        with self._lock:
            self._asked += 1
            if self._columns is None and self._asked > WHOLE_AFTER:
                self._columns = self._take(self._order)
            columns = self._columns
        if columns is None:
            return self._take(self._order[lo:hi])
        return {k: v[lo:hi] for k, v in columns.items()}

    def _text(self, kind: str, value, make):
        key = (kind, value)
        found = self._texts.get(key)
        if found is None:
            found = self._texts[key] = make(value)
        return found

    def rows(self, institution_id: int) -> tuple[ServiceRow, ...]:
        """The institution's service rows, as ``gather`` shows them (empty when it has none)."""
        lo, hi = self._span(institution_id)
        if hi == lo:
            return ()
        m, lang = self.m, self.lang
        cols = self._slice(lo, hi)
        adv = advice_columns([cols[q] for q in m.answer_columns], m)

        def items(masks: tuple[int, int]) -> tuple[AdviceItem, ...]:
            mandatory = set(numbers(masks[1], m))
            return tuple(AdviceItem(n, m.indicators[n - 1].short.get(lang), n in mandatory)
                         for n in numbers(masks[0], m))

        out = []
        audience = cols.get("audience", [None] * (hi - lo))
        for k in range(hi - lo):
            level = int(cols["level"][k])
            record = {"service_az": cols["service_az"][k], "service_en": cols["service_en"][k]}
            aud = audience[k]
            target = int(adv.target[k])
            out.append(ServiceRow(
                service_id=int(cols["service_id"][k]), code=str(cols["code"][k]),
                name=name_in(record, lang, "service_az", "service_en"),
                audience=aud if isinstance(aud, str) and aud in ("citizen", "business") else None,
                level=level, columns=" ".join(str(int(cols[c][k])) for c in scoring.LEVEL_COLUMNS),
                corruption_score=int(cols["corruption_score"][k]),
                band=self._text("band", cols["corruption_band"][k], lambda b: m.band(b).label.get(lang)),
                source=str(cols["source"][k]), target=None if target == NO_TARGET else target,
                advice=self._text("advice", (int(adv.suggested[k]), int(adv.mandatory[k])), items),
                light=self._text("light", level, lambda v: scoring.traffic_light("maturity", float(v), m))))
        return tuple(out)

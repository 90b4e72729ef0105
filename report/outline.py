"""The paginated deck as a sequence whose institution slides are made only when one is shown.

``paginate(build(m))`` makes every slide of a report; at country scale that is
two thousand institution pages and their hundred thousand services for a
presenter who shows one slide at a time. :class:`Deck` holds the same slides
in the same order, but counts an institution's pages from how many services
its page lists (``InstitutionPages.service_counts``) and builds the page only
when one of its slides is asked for. The other slides are few and cheap and
are built up front. ``tests/test_report_outline.py`` checks it equals
``paginate(build(m))``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

from .model import InstitutionPages, ReportModel
from .slides import BUILDERS, INSTITUTION_ROWS, Slide, institution, paginate

KEEP = 8  # institutions whose slides stay built: a presenter steps back and forth through a few


def page_count(rows: int, per_slide: int = INSTITUTION_ROWS) -> int:
    """Slides ``paginate`` makes of a table of ``rows`` rows (one for a short or empty table)."""
    return 1 if rows <= per_slide else -(-rows // per_slide)


class Deck(Sequence):
    """``paginate(build(m))``, with each institution's slides built on first access."""

    def __init__(self, m: ReportModel):
        self.model = m
        pages = m.institutions
        counts = (pages.service_counts if isinstance(pages, InstitutionPages)
                  else tuple(len(p.services) for p in pages))
        # Each entry is a finished slide, or (institution's position, page number) for one built later.
        entries: list = []
        for key in m.agenda.slides:
            if key == "institutions":
                for i, n in enumerate(counts):
                    entries += [(i, k) for k in range(page_count(n))]
                continue
            slide = BUILDERS[key](m)
            if slide is not None:
                entries += paginate([slide])
        self._entries = entries
        self._built: OrderedDict[int, list[Slide]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        entry = self._entries[i]
        if isinstance(entry, Slide):
            return entry
        position, k = entry
        return self._institution(position)[k]

    def _institution(self, position: int) -> list[Slide]:
        with self._lock:
            found = self._built.get(position)
            if found is not None:
                self._built.move_to_end(position)
                return found
        m = self.model
        made = paginate([institution(m, m.institutions[position])])
        with self._lock:
            self._built[position] = made
            while len(self._built) > KEEP:
                self._built.popitem(last=False)
        return made

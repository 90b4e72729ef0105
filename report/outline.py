"""The paginated deck as a sequence whose long slides are made only when one of their pages is shown.

``paginate(build(m))`` makes every slide of a report; at country scale that is
two thousand institution pages and their hundred thousand services, and a
board of two thousand rows, for a presenter who shows one slide at a time.
:class:`Deck` holds the same slides in the same order, but counts the pages of
an institution from how many services its page lists
(``InstitutionPages.service_counts``) and those of the board from its rows, and
builds them only when one of their pages is asked for. The other slides are
few and cheap and are built up front. ``tests/test_report_outline.py`` checks
it equals ``paginate(build(m))``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

from .model import InstitutionPages, ReportModel
from .slides import BOARD_ROWS, BUILDERS, INSTITUTION_ROWS, Slide, institution, paginate

KEEP = 8  # slides (with their pages) that stay built: a presenter steps back and forth through a few


def page_count(rows: int, per_slide: int = INSTITUTION_ROWS) -> int:
    """Slides ``paginate`` makes of a table of ``rows`` rows (one for a short or empty table)."""
    return 1 if rows <= per_slide else -(-rows // per_slide)


class Deck(Sequence):
    """``paginate(build(m))``, with the board's and each institution's slides built on first access."""

    def __init__(self, m: ReportModel):
        self.model = m
        pages = m.institutions
        counts = (pages.service_counts if isinstance(pages, InstitutionPages)
                  else tuple(len(p.services) for p in pages))
        # Each entry is a finished slide, or (what to build, page index) for one built when shown:
        # ("institutions", position in m.institutions) or ("board",).
        entries: list = []
        for key in m.agenda.slides:
            if key == "institutions":
                for i, n in enumerate(counts):
                    entries += [(("institutions", i), k) for k in range(page_count(n))]
            elif key == "board":
                entries += [(("board",), k) for k in range(page_count(len(m.board), BOARD_ROWS))]
            else:
                slide = BUILDERS[key](m)
                if slide is not None:
                    entries += paginate([slide])
        self._entries = entries
        self._built: OrderedDict[tuple, list[Slide]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        entry = self._entries[i]
        if isinstance(entry, Slide):
            return entry
        what, k = entry
        return self._pages(what)[k]

    def _pages(self, what: tuple) -> list[Slide]:
        with self._lock:
            found = self._built.get(what)
            if found is not None:
                self._built.move_to_end(what)
                return found
        m = self.model
        made = paginate([institution(m, m.institutions[what[1]]) if what[0] == "institutions" else
                         BUILDERS[what[0]](m)])
        with self._lock:
            self._built[what] = made
            while len(self._built) > KEEP:
                self._built.popitem(last=False)
        return made

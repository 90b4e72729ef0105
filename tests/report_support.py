"""Shared pieces of the report tests: a demo store, the report model and slides of round 2024, built once."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

AZ_LETTERS = "əƏğıİöşüç"  # the letters the issue names; every case pair is checked separately
ALL_CASES = "əƏğĞıIiİöÖşŞüÜçÇ"
GENERATED = dt.datetime(2026, 11, 27, 10, 30)  # a fixed "generated at" (UTC), so files are comparable


@lru_cache(maxsize=8)
def model_and_slides(db: str, lang: str = "az", snapshot: str = "published", institutions: tuple = ()):
    from report import slides
    from report.agenda import resolve
    from report.gather import gather
    from store.db import Store

    st = Store(db)
    m = gather(st, "2024", lang, snapshot=snapshot, agenda=resolve(None, list(institutions) or None), now=GENERATED,
               base_url="https://egov.example.az")
    return m, slides.build(m)

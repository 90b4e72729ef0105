"""Localisation: the text catalogue (gettext PO files) and CLDR formats (Babel), for every layer.

``l10n`` imports nothing of the project, so the scoring core's callers, the
workbook reader, the store's messages, the pages, the reports and the command
line all speak from the same catalogue and format numbers the same way.

- :mod:`l10n.catalogue`: ``t(key, lang, **params)`` over
  ``l10n/locale/<lang>/LC_MESSAGES/messages.po`` (msgid = a dotted key, msgstr =
  the text; a translator edits the files in any PO editor).
- :mod:`l10n.formats`: numbers, percents, changes, dates, lists and territory
  names from CLDR through Babel, in ``az`` or ``en``; spreadsheet number formats.
- :mod:`l10n.d3`: the same CLDR data as Vega's number and time locales, for charts.
- :mod:`l10n.collate`: ``sort_key(text, lang)``, names in the language's alphabetical order.
"""

from .catalogue import DEFAULT_LANG, LANGS, all_keys, has, lookup, normalise_lang, t
from .collate import sort_key
from .d3 import vega_locale
from .formats import (
    DASH,
    NBSP,
    excel_number_format,
    fmt_change,
    fmt_date,
    fmt_datetime,
    fmt_days,
    fmt_delta,
    fmt_int,
    fmt_list,
    fmt_num,
    fmt_pct,
    territory_name,
)

__all__ = [
    "DASH", "DEFAULT_LANG", "LANGS", "NBSP", "all_keys", "excel_number_format", "fmt_change", "fmt_date",
    "fmt_datetime", "fmt_days", "fmt_delta", "fmt_int", "fmt_list", "fmt_num", "fmt_pct", "has", "lookup",
    "normalise_lang", "sort_key", "t", "territory_name", "vega_locale",
]

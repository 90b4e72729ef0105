"""What the presentation and Reports pages draw: the report model, agendas, chart drawings, cached.

Visitors always get the published snapshot of a published round; signed-in
users may ask for the current data, which every output then marks "not
published". The cache key holds the audience (see ``ui.data.db_key``), so a
visitor never gets a signed-in user's model.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

from l10n import sort_key
from report import agenda as agendas_core
from report import charts, gather, html, pdf
from report.model import ReportModel
from report.outline import Deck
from report.slides import Chart
from ui import data

PUBLIC_URL_ENV = gather.PUBLIC_URL_ENV


def base_url() -> str:
    """The dashboard's address for links and QR codes: ``$EGOV_PUBLIC_URL``, else the browser's own."""
    configured = os.environ.get(PUBLIC_URL_ENV, "").strip()
    if configured:
        return configured.rstrip("/")
    try:
        url = st.context.url
    except Exception:  # noqa: BLE001 - no browser context (tests): the documented default
        url = None
    if not url:
        return gather.DEFAULT_URL
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def round_published(key: tuple, label: str) -> bool:
    r = data.rounds(key)
    row = r[r["label"] == label]
    return bool(len(row) and bool(row["published"].iloc[0]))


def snapshot(key: tuple, label: str, signed_in: bool, want_current: bool) -> str:
    """``published`` for visitors and by default; ``current`` when a signed-in user asks or nothing is published."""
    if not signed_in:
        return "published"
    if want_current or not round_published(key, label):
        return "current"
    return "published"


@st.cache_data(ttl=data.TTL, show_spinner=False)
def data_as_of(key: tuple, label: str, snap: str):
    """When the values a report of this round would show were fixed (publication, or the newest change)."""
    with data.store().reading():
        return gather.data_as_of(data.store(), label, snap == "published")


@st.cache_data(ttl=data.TTL, show_spinner=False)
def agenda_table(key: tuple) -> pd.DataFrame:
    from store.agendas import agendas

    return agendas(data.store())


@data.by_version()
def institution_choices(key: tuple, label: str, source: str, lang: str) -> dict[int, str]:
    """The round's institutions (those on its board) and their names in ``lang``, in alphabetical order.

    Only the round's own board and the registry's names: the full board (change since the previous round,
    audiences) would read a second round for a list of names.
    """
    ids = data.plain_board(key, label, source)["institution_id"].astype(int)
    inst = data.institutions(key).set_index("institution_id")
    name = inst["name_en"].fillna(inst["name_az"]) if lang == "en" else inst["name_az"]
    names = {int(i): name.get(int(i)) for i in ids}
    names = {i: n if isinstance(n, str) else str(i) for i, n in names.items()}
    return dict(sorted(names.items(), key=lambda kv: sort_key(kv[1], lang)))


def agenda_names(key: tuple) -> list[str]:
    return agenda_table(key)["name"].tolist()


def stored_agenda(key: tuple, name: str | None) -> dict | None:
    if not name:
        return None
    table = agenda_table(key)
    row = table[table["name"] == name]
    if row.empty:
        return None
    r = row.iloc[0]
    return {"name": r["name"], "slides": list(r["slides"]), "institutions": list(r["institutions"])}


@data.shared_by_version(max_entries=24)
def model(key: tuple, label: str, lang: str, source: str, snap: str, agenda: tuple, base: str) -> ReportModel:
    """The report model of a round (cached per audience, data version and choices; shared, read-only:
    a country's model holds thousands of institution pages, too many to unpickle on every rerun)."""
    name, slides, institutions = agenda
    resolved = agendas_core.Agenda(name=name, slides=tuple(slides), institutions=tuple(institutions))
    return gather.gather(data.store(), label, lang, source, snapshot=snap, agenda=resolved, base_url=base)


@data.shared_by_version(max_entries=24)
def slide_pages(key: tuple, label: str, lang: str, source: str, snap: str, agenda: tuple, base: str) -> Deck:
    """The model's slides, paginated, as a lazy deck: counted once per model, an institution's slides built
    when one is shown (a country's deck has thousands; the presenter sees one at a time)."""
    return Deck(model(key, label, lang, source, snap, agenda, base))


def fresh_model(key: tuple, label: str, lang: str, source: str, snap: str, agenda: tuple, base: str,
                progress=None) -> ReportModel:
    """A model read now, for a file: its "generated at" is the moment of the download."""
    name, slides, institutions = agenda
    resolved = agendas_core.Agenda(name=name, slides=tuple(slides), institutions=tuple(institutions))
    return gather.gather(data.store(), label, lang, source, snapshot=snap, agenda=resolved, base_url=base,
                         progress=progress)


def agenda_key(stored: dict | None, institutions: list[int] | None = None) -> tuple:
    """A hashable (name, slides, institutions) for the cache, from a stored agenda and/or a choice."""
    a = agendas_core.resolve(stored, institutions)
    return a.name, a.slides, a.institutions


@st.cache_data(show_spinner=False, max_entries=64)
def chart_png(chart: Chart, lang: str, preset: str) -> bytes:
    return charts.png(chart, lang, preset, scale=1.5)


@st.cache_data(show_spinner=False, max_entries=16)
def qr(url: str) -> str:
    return pdf.qr_svg(url)


CSS = html.CSS

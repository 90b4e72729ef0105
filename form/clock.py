"""The collection calendar's clock: days are Baku days.

Deadlines and closing dates are calendar dates an institution reads in
Azerbaijan; timestamps in the database are naive UTC. A submission made at
01:30 in Baku on the deadline day is still 21:30 UTC of the day before, so
every comparison of a moment with a date converts the moment to Baku time
first. Azerbaijan keeps UTC+4 all year; the fixed offset is the fallback when
the system has no time-zone database.
"""

from __future__ import annotations

import datetime as _dt

try:
    from zoneinfo import ZoneInfo

    LOCAL_TZ: _dt.tzinfo = ZoneInfo("Asia/Baku")
except Exception:  # noqa: BLE001 - no tz database on the machine: the offset has been fixed since 2016
    LOCAL_TZ = _dt.timezone(_dt.timedelta(hours=4), "AZT")


def local(moment: _dt.datetime | None) -> _dt.datetime | None:
    """A naive UTC timestamp (as stored) as Baku local time, still naive for display."""
    if moment is None:
        return None
    if hasattr(moment, "to_pydatetime"):
        moment = moment.to_pydatetime()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_dt.UTC)
    return moment.astimezone(LOCAL_TZ).replace(tzinfo=None)


def local_date(moment: _dt.datetime | None) -> _dt.date | None:
    shown = local(moment)
    return None if shown is None else shown.date()


def today() -> _dt.date:
    """Today's date in Baku."""
    return _dt.datetime.now(LOCAL_TZ).date()


def as_date(value) -> _dt.date | None:
    """A date from a date, datetime, pandas timestamp or ISO text; None for missing values."""
    if value is None:
        return None
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    return _dt.date.fromisoformat(str(value).strip()[:10])

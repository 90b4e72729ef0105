"""The collection tracker's figures: who owes what, who is late, whom to remind.

Input is one row per expected institution as the store reads it; everything
here is arithmetic on that frame, so the page, the command line and the
Excel download show the same numbers.

Status (one of :data:`STATUSES`): ``approved`` and ``returned`` come from the
review; ``submitted`` covers a submission not yet decided (submitted or under
review) and values an expert imported from a workbook; ``draft`` means
someone has started the form; ``not_started`` means nothing at all.

Lateness is decided by the first submission against the institution's
effective deadline (its extension's, else the round's): a submission made by
the end of the deadline day (Baku time) is on time, a later one is late, and
no submission once the deadline has passed is late too. A return and a
resubmission after the deadline do not make an on-time institution late.
"""

from __future__ import annotations

import datetime as _dt

import pandas as pd

from l10n import sort_key

from .clock import as_date, local_date

STATUSES = ("not_started", "draft", "submitted", "returned", "approved")
NEAR_DAYS = 7  # a draft this close to its deadline is on the reminder list
INPUT_COLUMNS = ["institution_id", "name_az", "name_en", "expected", "answered", "review_state", "has_activity",
                 "has_data", "last_activity", "first_submitted", "deadline", "closes", "extended"]


def status_of(review_state: str | None, has_activity: bool, has_data: bool) -> str:
    if review_state == "approved":
        return "approved"
    if review_state == "returned":
        return "returned"
    if review_state in ("submitted", "under_review") or has_data:
        return "submitted"
    return "draft" if has_activity else "not_started"


def tracker_frame(rows: pd.DataFrame, on: _dt.date, lang: str = "az") -> pd.DataFrame:
    """Per institution: status, progress, days to (positive) or past (negative) the deadline, timeliness.

    ``timeliness`` is ``on_time``, ``late`` or ``pending`` (not submitted, deadline ahead). Rows go by
    status, then the nearest deadline, then the name in ``lang``'s alphabetical order (the name shown).
    """
    out = rows.reindex(columns=INPUT_COLUMNS).copy()
    out["status"] = [status_of(None if pd.isna(s) else s, bool(a), bool(d))
                     for s, a, d in zip(out["review_state"], out["has_activity"], out["has_data"])]
    deadlines = [as_date(d) for d in out["deadline"]]
    submitted = [local_date(ts) if not pd.isna(ts) else None for ts in out["first_submitted"]]
    out["days_to_deadline"] = pd.array([(d - on).days if d else None for d in deadlines], dtype="Int64")
    timeliness = []
    for d, s in zip(deadlines, submitted):
        if s is not None:
            timeliness.append("late" if d is not None and s > d else "on_time")
        elif d is not None and on > d:
            timeliness.append("late")
        else:
            timeliness.append("pending")
    out["timeliness"] = timeliness
    out["submitted_on"] = submitted
    expected = pd.to_numeric(out["expected"], errors="coerce").fillna(0).astype(int)
    answered = pd.to_numeric(out["answered"], errors="coerce").fillna(0).astype(int)
    out["expected"], out["answered"] = expected, answered
    out["progress"] = (answered / expected.where(expected > 0)).astype(float)
    order = {s: i for i, s in enumerate(STATUSES)}
    out["_o"] = out["status"].map(order)
    names = out["name_en"].fillna(out["name_az"]) if lang == "en" else out["name_az"]
    out["_n"] = [sort_key(str(n), lang) for n in names]
    return out.sort_values(["_o", "days_to_deadline", "_n"], na_position="last").drop(columns=["_o", "_n"]) \
        .reset_index(drop=True)


def summary(frame: pd.DataFrame) -> dict:
    """Counts per status and the round's rates (shares of expected institutions)."""
    n = int(len(frame))
    submitted = int(frame["submitted_on"].notna().sum()) if n else 0
    on_time = int((frame["timeliness"] == "on_time").sum()) if n else 0
    late = int((frame["timeliness"] == "late").sum()) if n else 0
    counts = {s: int((frame["status"] == s).sum()) if n else 0 for s in STATUSES}
    # "submitted" counts every institution that has submitted at least once, whatever the review made of it;
    # ``by_status`` holds the current status of each.
    return {"expected": n, "submitted": submitted, "on_time": on_time, "late": late, "approved": counts["approved"],
            "by_status": counts, "submitted_rate": submitted / n if n else None,
            "on_time_rate": on_time / n if n else None, "approved_rate": counts["approved"] / n if n else None}


def reminders(frame: pd.DataFrame, respondents: pd.DataFrame, near_days: int = NEAR_DAYS) -> pd.DataFrame:
    """Institutions to remind: not started, or a draft or a returned form near or past the deadline.

    ``respondents`` has ``institution_id``, ``name`` and ``login`` (several per institution).
    """
    days = frame["days_to_deadline"]
    near = days.isna() | (days.fillna(0) <= near_days)
    pick = frame[(frame["status"] == "not_started") | (frame["status"].isin(["draft", "returned"]) & near)].copy()
    people = respondents.groupby("institution_id").agg(
        respondents=("name", lambda s: ", ".join(sorted(str(v) for v in s))),
        logins=("login", lambda s: ", ".join(sorted(str(v) for v in s)))) if len(respondents) else None
    if people is not None:
        pick = pick.merge(people, left_on="institution_id", right_index=True, how="left")
    else:
        pick["respondents"], pick["logins"] = None, None
    cols = ["institution_id", "name_az", "name_en", "status", "answered", "expected", "deadline",
            "days_to_deadline", "last_activity", "respondents", "logins"]
    return pick[cols].reset_index(drop=True)

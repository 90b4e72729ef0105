"""The audit trail in words: actions and their details as a reader would write them, not as stored JSON."""

from __future__ import annotations

import json
from typing import Any

from l10n import fmt_num
from ui.i18n import DASH, has, t

# Detail fields that name a review state or a role, so their values read as words too.
_STATE_ACTIONS = {"submit", "start_review", "approve", "return", "reopen"}
_ROLE_ACTIONS = {"role_change", "account_add", "account_role", "account_password", "account_remove"}


def action_text(action: str, lang: str) -> str:
    """An audit action in words (an action without a text of its own is shown with spaces for underscores)."""
    key = f"audit.action.{action}"
    return t(key, lang) if has(key) else str(action).replace("_", " ")


def _field(name: str, lang: str) -> str:
    key = f"audit.detail.{name}"
    return t(key, lang) if has(key) else str(name).replace("_", " ")


def _value(value: Any, lang: str, *, field: str = "", action: str = "") -> str:
    if value is None:
        return DASH
    if isinstance(value, bool):
        return t("answer.yes" if value else "answer.no", lang)
    if isinstance(value, (int, float)):
        return fmt_num(value, lang, 0 if float(value).is_integer() else 2)
    if isinstance(value, dict) and value and set(value) <= {"new", "replaced", "unchanged"}:
        return ", ".join(f"{_value(n, lang)} {_field(k, lang)}" for k, n in value.items())
    if isinstance(value, dict):
        return "; ".join(f"{_field(k, lang)}: {_value(v, lang, field=k, action=action)}" for k, v in value.items())
    if isinstance(value, list):
        if not value:
            return DASH
        if all(isinstance(v, int) and v in (0, 1) for v in value) and len(value) > 5:
            return "".join(str(v) for v in value)  # a row of 0/1 answers, as in the workbooks
        return ", ".join(_value(v, lang, field=field, action=action) for v in value)
    text = str(value)
    if field in ("from", "to") and action in _STATE_ACTIONS and has(f"review.state.{text}"):
        return t(f"review.state.{text}", lang)
    if field in ("from", "to") and action in _ROLE_ACTIONS and has(f"role.{text}"):
        return t(f"role.{text}", lang)
    if field == "subject" and action == "sign_in_locked" and has(f"audit.subject.{text}"):
        return t(f"audit.subject.{text}", lang)
    if field == "source" and has(f"source.{text}"):
        return t(f"source.{text}", lang)
    if field == "kind" and has(f"kind.{text}"):
        return t(f"kind.{text}", lang)
    if field == "fingerprint":
        return text[:12] + "…"
    if field in ("changed",) and text.startswith("q") and text[1:].isdigit():
        return text[1:]
    if has(f"audit.word.{text}"):
        return t(f"audit.word.{text}", lang)
    return text


def _one_language(detail: dict, lang: str, service_names: dict | None) -> dict:
    """Fields recorded in both languages (``name_az``/``name_en``, ``text_az``/``text_en``) shown in the
    reader's only; a service recorded by its Azerbaijani name is named as the registry names it in ``lang``."""
    out: dict = {}
    for key, value in detail.items():
        stem, _, suffix = key.rpartition("_")
        if stem not in ("name", "text") or suffix not in ("az", "en"):
            out[key] = value
            continue
        if stem in out:
            continue  # the pair is already shown, at the place of its first half
        az, en = detail.get(f"{stem}_az"), detail.get(f"{stem}_en")
        shown = (en or az) if lang == "en" else (az or en)
        if stem == "name" and service_names and "service_id" in detail:
            shown = service_names.get(int(detail["service_id"]), shown)
        out[stem] = shown
    return out


def detail_text(action: str, raw: Any, lang: str, service_names: dict | None = None) -> str:
    """An event's stored detail (JSON) as one readable line in ``lang`` (``service_names``: id → name in ``lang``)."""
    if raw is None or (isinstance(raw, float) and raw != raw):
        return ""
    try:
        detail = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return str(raw)
    if not isinstance(detail, dict):
        return _value(detail, lang, action=action)
    if not detail:
        return ""
    detail = _one_language(detail, lang, service_names)
    if set(detail) >= {"from", "to"} and len(detail) <= 3:
        who = f"{detail['who']}: " if detail.get("who") else ""
        return (f"{who}{_value(detail['from'], lang, field='from', action=action)} → "
                f"{_value(detail['to'], lang, field='to', action=action)}")
    return "; ".join(f"{_field(k, lang)}: {_value(v, lang, field=k, action=action)}" for k, v in detail.items())

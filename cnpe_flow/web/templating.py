"""Jinja helpers shared by every page: French dates, labels, the current user's role."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

import holidays
from flask import Flask
from flask_login import current_user

from cnpe_flow.auth.access import TEMPLATE_FUNCTIONS, can_see_medical
from cnpe_flow.auth.models import ROLE_LABELS, Role
from cnpe_flow.clock import paris_time, today_paris

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

FUND_LABELS = {
    "CNPE": "CNPE (personne écrouée)",
    "CPAM_RESIDENCE": "CPAM de résidence",
    "AME": "Aide médicale de l'État",
    "NONE": "Aucune couverture de base",
}


def fr_date(value: date | str | None) -> str:
    """``12/03/2026`` (what people read); empty for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        value = paris_time(value)
        return value.strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


def fr_long_date(value: date | str) -> str:
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return f"{value.day}{'er' if value.day == 1 else ''} {MONTHS[value.month - 1]} {value.year}"


def last_day(end: str | None) -> str:
    """A closed-open end shown inclusively: the day before ``end``."""
    if not end:
        return ""
    return fr_date(date.fromisoformat(end) - timedelta(days=1))


@cache
def _french_holidays(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("FR", years=year, language="fr"))


def due_note(value: date | str | None) -> str:
    """Why a (legal) due date is not a working day: "samedi", "jour férié : Noël" — or ""."""
    if not value:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    holiday = _french_holidays(value.year).get(value)
    if holiday:
        return f"jour férié : {holiday}"
    if value.weekday() >= 5:
        return ("samedi", "dimanche")[value.weekday() - 5]
    return ""


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        fr_date=fr_date, fr_long_date=fr_long_date, last_day=last_day, due_note=due_note
    )
    app.jinja_env.globals.update(FUND_LABELS=FUND_LABELS, ROLE_LABELS=ROLE_LABELS, Role=Role)
    app.jinja_env.globals.update({f.__name__: f for f in TEMPLATE_FUNCTIONS})

    @app.context_processor
    def _globals() -> dict[str, Any]:
        user = current_user if current_user and current_user.is_authenticated else None
        return {
            "today": today_paris(),
            "user": user,
            "sees_medical": bool(user) and can_see_medical(user),
        }

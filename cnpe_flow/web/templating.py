"""Jinja helpers shared by every page: French dates, labels, the current user's role."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any

import holidays
from flask import Flask
from flask_login import current_user

from cnpe_flow.auth.access import TEMPLATE_FUNCTIONS, can_see_medical
from cnpe_flow.auth.models import ROLE_LABELS, Role
from cnpe_flow.clock import paris_time, today_paris
from cnpe_flow.rules.dates import fr, fr_last_day, fr_long

FUND_LABELS = {
    "CNPE": "CNPE (personne écrouée)",
    "CPAM_RESIDENCE": "CPAM de résidence",
    "AME": "Aide médicale de l'État",
    "NONE": "Aucune couverture de base",
}


def fr_date(value: date | str | None) -> str:
    """``12/03/2026`` (what people read); a stored instant with its Paris time; empty for None."""
    if isinstance(value, datetime):
        return f"{fr(paris_time(value))} {paris_time(value):%H:%M}"
    return fr(value)


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
        fr_date=fr_date, fr_long_date=fr_long, last_day=fr_last_day, due_note=due_note
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

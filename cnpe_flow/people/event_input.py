"""What a new event must be before the engine sees it: its shape (type, date), no levée to
come, and problems named after the form's fields."""

from __future__ import annotations

from datetime import date
from typing import Any

from cnpe_flow.clock import today_paris
from cnpe_flow.errors import InvalidInput
from cnpe_flow.people.models import CustodyEvent
from cnpe_flow.rules import Problem
from cnpe_flow.rules.case import EVENT_TYPES
from cnpe_flow.rules.dates import fr


def name_new(problem: Problem, first_new: int, names: list[str]) -> Problem:
    """``events[n].date`` of the k-th new event → ``names[k]`` (``establishment`` kept)."""
    for k, name in enumerate(names):
        prefix = f"events[{first_new + k}]"
        if problem.field == prefix or problem.field in (f"{prefix}.date", f"{prefix}.type"):
            return Problem(name, problem.message, problem.refs)
        if problem.field.startswith(prefix + "."):
            return Problem(problem.field.removeprefix(prefix + "."), problem.message, problem.refs)
    return problem


def refuse_future_levee(event: CustodyEvent) -> None:
    """The levée records a release that happened; a release to come is a planned release,
    which drives the preparation (provisional letters and packet) until the day."""
    if event.type == "levee_ecrou" and event.date > today_paris():
        raise InvalidInput.one(
            "date",
            f"la levée d'écrou enregistre une sortie qui a eu lieu, et le "
            f"{fr(event.date)} est à venir : enregistrez plutôt une « date de sortie "
            "prévue » ; les courriers et le dossier de sortie se préparent à partir d'elle, "
            "et la levée s'enregistre le jour de la sortie",
        )


def read_event(raw: Any) -> CustodyEvent:
    """A contract event's shape (type, date); the engine checks everything else."""
    if not isinstance(raw, dict):
        raise InvalidInput.one("event", "un objet JSON est attendu")
    kind = raw.get("type")
    if kind not in EVENT_TYPES:
        raise InvalidInput.one(
            "type", f"type d'événement inconnu « {kind} » (attendu : {', '.join(EVENT_TYPES)})"
        )
    raw_date = raw.get("date")
    try:
        when = (
            date.fromisoformat(raw_date)
            if isinstance(raw_date, str) and len(raw_date) == 10
            else None
        )
    except ValueError:
        when = None
    if when is None:
        raise InvalidInput.one(
            "date",
            f"« {raw_date} » n'est pas une date (AAAA-MM-JJ)"
            if raw_date
            else "champ obligatoire manquant",
        )
    data = {k: v for k, v in raw.items() if k not in ("type", "date")}
    return CustodyEvent(type=kind, date=when, data=data)

"""The input of an evaluation (case-contract.md), validated at the edge into typed objects.

``parse_case(data)`` either returns a :class:`Case` the engine can trust, or raises
:class:`CaseError` listing every problem found, each naming its field. Messages are in French
because the people who read them (SPIP, USMP, support workers) work in French; field names,
event types and dates stay as in the contract so that tools can match them.

The typed objects are in ``case_model.py``, the reading of raw values in ``case_reading.py``,
the order of events in ``case_lifecycle.py``; this module is their front door.
"""

from __future__ import annotations

from datetime import date
from operator import attrgetter
from typing import Any

from cnpe_flow.clock import today_paris
from cnpe_flow.rules.case_lifecycle import EVENT_NAMES, _build
from cnpe_flow.rules.case_model import (
    ACTIVITIES,
    AFTER_RELEASE_EVENTS,
    BENEFITS,
    CUSTODY_EVENTS,
    EVENT_TYPES,
    MEASURES,
    RESIDENCE_STATUSES,
    Case,
    CaseError,
    Event,
    Person,
    Problem,
    Stay,
)
from cnpe_flow.rules.case_reading import _Problems, _read_date, _read_events, _read_person
from cnpe_flow.rules.raw_values import shown

__all__ = [
    "ACTIVITIES",
    "AFTER_RELEASE_EVENTS",
    "BENEFITS",
    "CUSTODY_EVENTS",
    "EVENT_NAMES",
    "EVENT_TYPES",
    "MEASURES",
    "RESIDENCE_STATUSES",
    "Case",
    "CaseError",
    "Event",
    "Person",
    "Problem",
    "Stay",
    "parse_case",
]

_BY_DATE = attrgetter("date")


def parse_case(data: Any, *, today: date | None = None) -> Case:
    """Validate raw contract JSON (already decoded) and build the typed case.

    Raises :class:`CaseError` with one :class:`Problem` per thing wrong.
    """
    problems = _Problems()
    if not isinstance(data, dict):
        raise CaseError([Problem("(racine)", f"un objet JSON est attendu, reçu {shown(data)}")])
    raw_as_of = data.get("as_of")
    as_of = _read_date(problems, raw_as_of, "as_of") if raw_as_of is not None else None
    if as_of is None:
        as_of = today or today_paris()  # the clock is read only when no date is given
    person = _read_person(problems, data.get("person"))
    events = _read_events(problems, data.get("events"))
    if problems:
        raise CaseError(list(problems))
    assert person is not None
    events.sort(key=_BY_DATE)  # stable: same-day events keep list order (the contract says so)
    case = _build(problems, as_of, person, events)
    if problems:
        raise CaseError(list(problems))
    return case

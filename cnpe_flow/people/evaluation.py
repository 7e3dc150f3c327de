"""A stored person and events, given to the rules engine (the engine decides; we only store)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from cnpe_flow.clock import today_paris
from cnpe_flow.errors import InvalidInput
from cnpe_flow.people.models import CustodyEvent, Person
from cnpe_flow.rules import CaseError, Problem, evaluate


@dataclass
class Evaluation:
    person: Person
    #: every stored event, oldest first (corrections and superseded ones included)
    history: list[CustodyEvent]
    #: the events that count, in the order given to the engine (``tasks[].event`` indexes it)
    effective: list[CustodyEvent]
    output: dict[str, Any]


def contract_person(person: Person) -> dict[str, Any]:
    out = {
        "birth_date": person.birth_date.isoformat(),
        "residence_status": person.residence_status,
        "carte_vitale": person.carte_vitale,
        "residence_postcode": person.residence_postcode,
        "benefits_before_ecrou": list(person.benefits_before_ecrou),
    }
    # Only when something is known: an unknown household is the contract's absent field.
    if person.household is not None:
        out["household"] = person.household
    return out


def effective_events(history: list[CustodyEvent]) -> list[CustodyEvent]:
    """Events not superseded by a later correction, without pure withdrawals."""
    replaced = {e.supersedes_id for e in history if e.supersedes_id is not None}
    return [e for e in history if e.id not in replaced and not e.withdrawn]


def case_for(
    person: Person, events: list[CustodyEvent], as_of: date | None = None
) -> dict[str, Any]:
    """The contract's input for this person."""
    return {
        "as_of": (as_of or today_paris()).isoformat(),
        "person": contract_person(person),
        "events": [e.contract_event() for e in events],
    }


def load_history(session: Session, person_id: int) -> list[CustodyEvent]:
    return list(
        session.exec(
            select(CustodyEvent)
            .where(CustodyEvent.person_id == person_id)
            .order_by(CustodyEvent.id)
        ).scalars()
    )


def evaluate_events(
    person: Person, events: list[CustodyEvent], *, new_index: int | None = None
) -> dict[str, Any]:
    """The engine's output; its problems become :class:`InvalidInput`.

    Problems about the event at ``new_index`` (the one being added) are named by its own
    fields (``date``, ``establishment`` …) so forms can show them next to the field.
    """
    try:
        return evaluate(case_for(person, events))
    except CaseError as exc:
        raise InvalidInput([_rename(p, new_index) for p in exc.problems]) from None


def _rename(problem: Problem, new_index: int | None) -> Problem:
    """The problem named by the new event's own field; its ``refs`` (for tools) are kept."""
    if new_index is not None:
        prefix = f"events[{new_index}]"
        if problem.field == prefix:
            return replace(problem, field="event")
        if problem.field.startswith(prefix + "."):
            return replace(problem, field=problem.field.removeprefix(prefix + "."))
    if problem.field.startswith("person."):
        return replace(problem, field=problem.field.removeprefix("person."))
    return problem


def evaluate_person(session: Session, person: Person) -> Evaluation:
    history = load_history(session, person.id)  # type: ignore[arg-type]
    effective = effective_events(history)
    return Evaluation(person, history, effective, evaluate_events(person, effective))

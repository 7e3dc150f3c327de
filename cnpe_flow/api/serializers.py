"""JSON shapes of the API: people, events, tasks, shares and evaluations, as each role may see them.

Medical details (benefits before écrou, AT/MP events, ALD and AT/MP tasks, IJ periods …) are
left out for roles that do not see them: the field is absent, or the item is replaced by a
mask that says a medical step exists and who owns it, never what it is.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import url_for

from cnpe_flow.auth.access import MEDICAL_EVENTS
from cnpe_flow.auth.models import User
from cnpe_flow.people.evaluation import Evaluation
from cnpe_flow.people.models import CustodyEvent, Person, Share, Task
from cnpe_flow.people.task_kinds import is_medical, kind_label
from cnpe_flow.people.visibility import MEDICAL_STEP, MEDICAL_STEP_LABEL, redact_evaluation
from cnpe_flow.reference.establishments import find_establishment

MEDICAL_EVENT = "medical_event"


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def establishment_json(code: str | None) -> dict[str, str] | None:
    if code is None:
        return None
    found = find_establishment(code)
    return {"code": code, "name": found.name if found else code}


def person_summary(person: Person) -> dict[str, Any]:
    """What a search result shows: enough to pick the right person."""
    return {
        "id": person.id,
        "last_name": person.last_name,
        "first_name": person.first_name,
        "birth_date": person.birth_date.isoformat(),
        "ecrou_number": person.ecrou_number,
        "establishment": establishment_json(person.establishment_code),
        "planned_release": _iso(person.planned_release),
        "released_on": _iso(person.released_on),
        "url": url_for("api.get_person", person_id=person.id),
    }


def person_json(person: Person, *, medical: bool) -> dict[str, Any]:
    """Identity, the contract's person fields and the version to send back with changes."""
    out: dict[str, Any] = {
        **person_summary(person),
        "nir": person.nir,
        "residence_status": person.residence_status,
        "carte_vitale": person.carte_vitale,
        "residence_postcode": person.residence_postcode,
        "release_address": person.release_address,
        # not medical: the SPIP and the partner enter it
        "household": person.household,
        "version": person.version,
        "created_at": _iso(person.created_at),
        "updated_at": _iso(person.updated_at),
        "links": {
            "events": url_for("api.list_events", person_id=person.id),
            "tasks": url_for("api.list_tasks", person_id=person.id),
            "packet": f"/api/v1/people/{person.id}/packet.pdf",
        },
    }
    if medical:
        out["benefits_before_ecrou"] = list(person.benefits_before_ecrou)
    return out


def evaluation_json(output: dict[str, Any], *, medical: bool) -> dict[str, Any]:
    """The engine's output as this reader may see it (:func:`redact_evaluation`)."""
    return redact_evaluation(output, medical=medical)


def person_with_evaluation(evaluation: Evaluation, *, medical: bool) -> dict[str, Any]:
    return {
        **person_json(evaluation.person, medical=medical),
        "evaluation": evaluation_json(evaluation.output, medical=medical),
    }


def event_json(
    event: CustodyEvent, *, medical: bool, superseded: bool = False, effective: bool = True
) -> dict[str, Any]:
    """One stored event; an AT/MP event is only a dated mask for non-medical roles."""
    out: dict[str, Any] = {
        "id": event.id,
        "type": event.type,
        "date": event.date.isoformat(),
        "data": dict(event.data),
        "supersedes": event.supersedes_id,
        "withdrawn": event.withdrawn,
        "superseded": superseded,
        "effective": effective,
        "comment": event.comment,
        "created_by": event.created_by,
        "created_at": _iso(event.created_at),
        "import_id": event.import_id,
    }
    if event.type in MEDICAL_EVENTS and not medical:
        out.update(type=MEDICAL_EVENT, data={}, comment=None)
    return out


def history_json(history: list[CustodyEvent], *, medical: bool) -> list[dict[str, Any]]:
    """Every stored event, oldest first, with whether a later one corrects it."""
    replaced = {e.supersedes_id for e in history if e.supersedes_id is not None}
    return [
        event_json(
            e,
            medical=medical,
            superseded=e.id in replaced,
            effective=e.id not in replaced and not e.withdrawn,
        )
        for e in history
    ]


def task_json(task: Task, *, medical: bool) -> dict[str, Any]:
    """A stored task; medical ones are masked like :func:`visibility.masked_task`."""
    medical_task = is_medical(task)
    out: dict[str, Any] = {
        "id": task.id,
        "kind": task.kind,
        "label": kind_label(task.kind),
        "owner": task.owner,
        "medical": medical_task,
        "due": task.due.isoformat(),
        "rules": list(task.rules),
        "status": task.status,
        "comment": task.comment,
        "closed_by": task.closed_by,
        "closed_at": _iso(task.closed_at),
        "event_id": task.event_id,
    }
    if medical_task and not medical:
        out.update(kind=MEDICAL_STEP, label=MEDICAL_STEP_LABEL, rules=[], comment=None)
        out["event_id"] = None
    return out


def share_json(share: Share, partner: User) -> dict[str, Any]:
    return {
        "id": share.id,
        "person_id": share.person_id,
        "partner": {"id": partner.id, "username": partner.username},
        "shared_by": share.shared_by,
        "shared_at": _iso(share.shared_at),
        "consent_date": share.consent_date.isoformat(),
        "note": share.consent_note,
    }

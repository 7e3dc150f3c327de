"""What is stored from the engine's output so that lists need no evaluation: the tasks (their
status kept across evaluations), the establishment holding the file, the release dates."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from cnpe_flow.people.evaluation import effective_events, evaluate_events, load_history
from cnpe_flow.people.models import CustodyEvent, Person, Task
from cnpe_flow.people.transfers import placing_event
from cnpe_flow.people.validation import establishment_code
from cnpe_flow.rules.tasks_catalogue import TASK_KINDS


def refresh_derived(session: Session, person: Person) -> dict[str, Any]:
    """Re-evaluate and store what the lists need: tasks (status kept), establishment, dates."""
    effective = effective_events(load_history(session, person.id))  # type: ignore[arg-type]
    output = evaluate_events(person, effective)
    store_derived(session, person, effective, output)
    return output


def store_derived(
    session: Session,
    person: Person,
    effective: list[CustodyEvent],
    output: dict[str, Any],
    *,
    new_file: bool = False,
) -> None:
    _store_custody_dates(person, effective)
    _sync_tasks(session, person, effective, output["tasks"], new_file=new_file)
    session.flush()


def _store_custody_dates(person: Person, events: list[CustodyEvent]) -> None:
    ordered = sorted(events, key=lambda e: e.date)
    ecrous = [e for e in ordered if e.type == "ecrou"]
    if ecrous:
        last = ecrous[-1]
        # the last écrou's establishment, or that of a later transfer: it decides who sees the file
        placing = placing_event(ordered)
        assert placing is not None
        person.establishment_code = establishment_code(placing.data["establishment"])
        after = [e for e in ordered if e.date >= last.date]
        levees = [e for e in after if e.type == "levee_ecrou"]
        planned = [e for e in after if e.type == "planned_release"]
        person.released_on = levees[-1].date if levees else None
        person.planned_release = planned[-1].date if planned and not levees else None
    else:
        person.released_on = None
        person.planned_release = None


def task_key(kind: str, due: str, event_id: int | None) -> str:
    return f"{kind}:{due}:{event_id or 0}"


def _sync_tasks(
    session: Session,
    person: Person,
    events: list[CustodyEvent],
    produced: list[dict[str, Any]],
    *,
    new_file: bool = False,
) -> None:
    # Only the engine's own kinds: tasks added by other modules (MAS follow-up …) stay as they are.
    # A file created in this transaction has no task yet: no query (and no autoflush before it,
    # so the import writes each row's audit entries, tasks and dates in one flush).
    stored = (
        {}
        if new_file
        else {
            t.key: t
            for t in session.exec(select(Task).where(Task.person_id == person.id)).scalars()
            if t.kind in TASK_KINDS
        }
    )
    seen: set[str] = set()
    for t in produced:
        event_id = events[t["event"]].id if t.get("event") is not None else None
        key = task_key(t["kind"], t["due"], event_id)
        seen.add(key)
        task = stored.get(key)
        if task is None:
            session.add(
                Task(
                    person_id=person.id,  # type: ignore[arg-type]
                    key=key,
                    kind=t["kind"],
                    owner=t["owner"],
                    medical=t["medical"],
                    due=date.fromisoformat(t["due"]),
                    rules=list(t["rules"]),
                    event_id=event_id,
                )
            )
        else:
            if task.obsolete:
                task.obsolete = False
            # The catalogue may have changed since the task was stored (IJ became medical
            # and the USMP's in contract v2): the stored row follows it.
            if task.medical != t["medical"] or task.owner != t["owner"]:
                task.medical = t["medical"]
                task.owner = t["owner"]
    for key, task in stored.items():
        if key not in seen and not task.obsolete:
            task.obsolete = True

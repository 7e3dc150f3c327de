"""Closing tasks: one (done or not applicable, with a comment) or several at once (the
dashboard's « Fait »), each audited."""

from __future__ import annotations

from sqlmodel import Session

from cnpe_flow.audit.models import AuditEvent
from cnpe_flow.audit.operations import record
from cnpe_flow.auth import access
from cnpe_flow.auth.models import User
from cnpe_flow.clock import now_utc
from cnpe_flow.errors import Conflict, InvalidInput, NotFound
from cnpe_flow.locking import bump_version
from cnpe_flow.people.models import Person, Task, TaskStatus
from cnpe_flow.people.task_kinds import is_medical, kind_label


def set_task_status(
    session: Session,
    actor: User,
    person: Person,
    task: Task,
    status: str,
    comment: str | None,
    expected_version: int | None = None,
) -> Task:
    """Mark a task done or not applicable (or open again), with the user's comment."""
    if status not in TaskStatus.ALL:
        raise InvalidInput.one(
            "status", f"statut inconnu « {status} » (attendu : {', '.join(TaskStatus.ALL)})"
        )
    comment = (comment or "").strip() or None
    if comment is not None and len(comment) > 1000:
        raise InvalidInput.one("comment", "1000 caractères au plus")
    if status == TaskStatus.NOT_APPLICABLE and not comment:
        raise InvalidInput.one("comment", "expliquez pourquoi la tâche ne s'applique pas")
    access.check_can_close_task(actor, task)
    bump_version(session, person, expected_version, Conflict())
    old = task.status
    task.status = status
    task.comment = comment
    task.closed_by = actor.id if status != TaskStatus.OPEN else None
    task.closed_at = now_utc() if status != TaskStatus.OPEN else None
    session.flush()
    record(
        session,
        AuditEvent.TASK_UPDATED,
        actor_id=actor.id,
        person_id=person.id,
        details={
            "task_id": task.id,
            "kind": task.kind if not is_medical(task) else "medical_step",
            "old": old,
            "new": status,
        },
    )
    return task


#: a bulk « Fait » closes at most this many tasks (a dashboard list shows 25 per page)
MAX_BULK_TASKS = 200


def mark_tasks_done(session: Session, actor: User, task_ids: list[str]) -> list[Task]:
    """Mark several open tasks done at once (the dashboard's « Fait » on the checked tasks).

    All or none: the tasks pass through the same gates as one task (the person must be
    visible, the task closable by this role) and are each audited like a single completion.
    A task someone else closed meanwhile refuses the lot, naming it, so nothing is done twice.
    """
    ids = list(dict.fromkeys(int(raw) for raw in task_ids if raw.isdigit()))
    if not ids:
        raise InvalidInput.one("tache", "cochez au moins une tâche")
    if len(ids) > MAX_BULK_TASKS:
        raise InvalidInput.one("tache", f"{MAX_BULK_TASKS} tâches au plus à la fois")
    chosen: list[tuple[Person, Task]] = []
    already: list[str] = []
    for task_id in ids:
        task = session.get(Task, task_id) if task_id <= access.MAX_ID else None
        if task is None:
            raise NotFound("tâche introuvable")
        person = access.get_person(session, actor, task.person_id)
        task = access.get_task(session, actor, person, task_id)
        access.check_can_close_task(actor, task)
        if task.status != TaskStatus.OPEN or task.obsolete:
            already.append(f"« {kind_label(task.kind)} » ({person.display_name})")
        chosen.append((person, task))
    # checked before any change, so that a refusal leaves the session as it was
    if already:
        raise InvalidInput.one("tache", "déjà traitée entre-temps : " + ", ".join(already))
    done = [
        set_task_status(session, actor, person, task, TaskStatus.DONE, None)
        for person, task in chosen
    ]
    return done

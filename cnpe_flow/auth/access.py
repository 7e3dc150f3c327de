"""One access gate per protected object: who sees which person, and who may do what.

Every view and API route obtains people and tasks only through these functions. A person the
user may not see is "not found" (404), never "forbidden", so ids reveal nothing.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, select, true
from sqlmodel import Session

from cnpe_flow.auth.models import Role, User
from cnpe_flow.errors import Forbidden, NotFound
from cnpe_flow.people.models import Person, Share, Task
from cnpe_flow.people.task_kinds import is_medical
from cnpe_flow.rules.event_types import REGISTRY, names

#: the roles that see medical details (ALD, AT/MP, IJ, protocol requests, ALD letters)
MEDICAL_ROLES = frozenset({Role.USMP, Role.ADMIN})

#: the event types only the medical roles see and record (AT/MP)
MEDICAL_EVENTS = frozenset(names(medical=True))
#: who may record each event type (the administrator records them all)
EVENT_ROLES: dict[str, frozenset[str]] = {
    t.name: frozenset({*(Role(r) for r in t.recorded_by), Role.ADMIN}) for t in REGISTRY.values()
}


def can_see_medical(user: User) -> bool:
    return user.role in MEDICAL_ROLES


def visible_people(user: User) -> ColumnElement[bool]:
    """SQL condition on :class:`Person` for the people this user may see."""
    if user.role == Role.ADMIN:
        return true()
    if user.role in (Role.SPIP, Role.USMP):
        if not user.establishment_code:
            return false()
        return Person.establishment_code == user.establishment_code
    if user.role == Role.PARTNER:
        shared = select(Share.person_id).where(
            Share.partner_id == user.id, Share.revoked_at.is_(None)
        )
        return Person.id.in_(shared)
    return false()


#: ids are 32-bit integers in the database: larger ones cannot exist (and must not reach SQL)
MAX_ID = 2**31 - 1


def get_person(session: Session, user: User, person_id: int) -> Person:
    """The person, if this user may see them; :class:`NotFound` otherwise."""
    if not 1 <= person_id <= MAX_ID:
        raise NotFound("personne introuvable")
    person = session.exec(
        select(Person).where(Person.id == person_id, visible_people(user))
    ).scalar_one_or_none()
    if person is None:
        raise NotFound("personne introuvable")
    return person


def can_see_person(session: Session, user: User, person_id: int) -> bool:
    """Whether the user still sees this person (after a transfer, the old establishment does not)."""
    found = session.exec(
        select(Person.id).where(Person.id == person_id, visible_people(user))
    ).scalar_one_or_none()
    return found is not None


def get_task(session: Session, user: User, person: Person, task_id: int) -> Task:
    """A task of a person already obtained through :func:`get_person`."""
    if not 1 <= task_id <= MAX_ID:
        raise NotFound("tâche introuvable")
    task = session.get(Task, task_id)
    if task is None or task.person_id != person.id:
        raise NotFound("tâche introuvable")
    if is_medical(task) and not can_see_medical(user):
        raise NotFound("tâche introuvable")
    return task


def require(condition: bool, message: str) -> None:
    if not condition:
        raise Forbidden(message)


def check_can_create_person(user: User) -> None:
    require(
        user.role in (Role.SPIP, Role.ADMIN),
        "seuls le SPIP et l'administration créent des dossiers",
    )


def check_can_edit_identity(user: User) -> None:
    require(
        user.role in (Role.SPIP, Role.ADMIN),
        "seuls le SPIP et l'administration modifient l'identité",
    )


def check_can_edit_medical(user: User) -> None:
    require(can_see_medical(user), "seule l'USMP modifie les informations médicales")


def check_can_add_event(user: User, event_type: str) -> None:
    roles = EVENT_ROLES.get(event_type)
    if roles is None:
        return  # unknown types are rejected by validation with a field message
    require(user.role in roles, "votre rôle ne permet pas d'enregistrer ce type d'événement")


def check_can_close_task(user: User, task: Task) -> None:
    if is_medical(task):
        require(can_see_medical(user), "seule l'USMP traite les étapes médicales")
    else:
        require(
            user.role in (Role.SPIP, Role.PARTNER, Role.ADMIN),
            "cette tâche est suivie par le SPIP ou le partenaire",
        )


#: who enters the household and resources (the partner for the files shared with them)
HOUSEHOLD_ROLES = frozenset({Role.SPIP, Role.PARTNER, Role.ADMIN})


def can_edit_household(user: User) -> bool:
    return user.role in HOUSEHOLD_ROLES


def check_can_edit_household(user: User) -> None:
    require(
        can_edit_household(user),
        "le foyer et les ressources sont renseignés par le SPIP, le partenaire ou l'administration",
    )


def check_can_share(user: User) -> None:
    require(
        user.role in (Role.SPIP, Role.ADMIN),
        "seuls le SPIP et l'administration partagent un dossier",
    )


def check_admin(user: User) -> None:
    require(user.role == Role.ADMIN, "réservé à l'administration")

"""One access gate per protected object: who sees which person, and who may do what.

Every view and API route obtains people and tasks only through these functions. A person the
user may not see is "not found" (404), never "forbidden", so ids reveal nothing.
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import ColumnElement, false, true
from sqlmodel import Session, col, select

from cnpe_flow.auth.models import Role, User
from cnpe_flow.errors import Forbidden, NotFound
from cnpe_flow.letters.kinds import FULL_AUDIENCE, PARTNER_AUDIENCE, letter_kinds
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
        return col(Person.establishment_code) == user.establishment_code
    if user.role == Role.PARTNER:
        shared = select(Share.person_id).where(
            col(Share.partner_id) == user.id, col(Share.revoked_at).is_(None)
        )
        return col(Person.id).in_(shared)
    return false()


#: ids are 32-bit integers in the database: larger ones cannot exist (and must not reach SQL)
MAX_ID = 2**31 - 1

_Row = TypeVar("_Row")


def stored(session: Session, model: type[_Row], row_id: int) -> _Row | None:
    """The row with this id, or None, also for an id no column can hold (a forged address)."""
    return session.get(model, row_id) if 1 <= row_id <= MAX_ID else None


def get_person(session: Session, user: User, person_id: int) -> Person:
    """The person, if this user may see them; :class:`NotFound` otherwise."""
    if not 1 <= person_id <= MAX_ID:
        raise NotFound("personne introuvable")
    person = session.exec(
        select(Person).where(col(Person.id) == person_id, visible_people(user))
    ).one_or_none()
    if person is None:
        raise NotFound("personne introuvable")
    return person


def can_see_person(session: Session, user: User, person_id: int) -> bool:
    """Whether the user still sees this person (after a transfer, the old establishment does not)."""
    found = session.exec(
        select(Person.id).where(col(Person.id) == person_id, visible_people(user))
    ).one_or_none()
    return found is not None


def get_task(session: Session, user: User, person: Person, task_id: int) -> Task:
    """A task of a person already obtained through :func:`get_person`."""
    task = stored(session, Task, task_id)
    if task is None or task.person_id != person.id:
        raise NotFound("tâche introuvable")
    if is_medical(task) and not can_see_medical(user):
        raise NotFound("tâche introuvable")
    return task


def require(condition: bool, message: str) -> None:
    if not condition:
        raise Forbidden(message)


# --- "may this user do X": one named function each, used by the routes, the API, the
# operations and the templates' links (``TEMPLATE_FUNCTIONS``). ``check_*`` raise Forbidden.

#: who creates files, edits identities, shares files and imports rosters
_FILE_ROLES = frozenset({Role.SPIP, Role.ADMIN})
#: who follows MAS referrals (the social side; the USMP reads them)
MAS_ROLES = frozenset({Role.SPIP, Role.PARTNER, Role.ADMIN})
#: who enters the household and resources (the partner for the files shared with them)
HOUSEHOLD_ROLES = frozenset({Role.SPIP, Role.PARTNER, Role.ADMIN})


def is_admin(user: User) -> bool:
    return user.role == Role.ADMIN


def is_partner(user: User | None) -> bool:
    return user is not None and user.role == Role.PARTNER


def works_anywhere(user: User) -> bool:
    """Whether the user acts beyond one establishment (the administration): others create,
    move and import only the files of their own establishment."""
    return is_admin(user)


def chooses_establishment(user: User) -> bool:
    """Whether lists offer an establishment filter: SPIP and USMP only ever see their own."""
    return user.role in (Role.ADMIN, Role.PARTNER)


def can_create_person(user: User) -> bool:
    return user.role in _FILE_ROLES


def check_can_create_person(user: User) -> None:
    require(can_create_person(user), "seuls le SPIP et l'administration créent des dossiers")


def can_edit_identity(user: User) -> bool:
    return user.role in _FILE_ROLES


def check_can_edit_identity(user: User) -> None:
    require(can_edit_identity(user), "seuls le SPIP et l'administration modifient l'identité")


def can_edit_medical(user: User) -> bool:
    return can_see_medical(user)


def check_can_edit_medical(user: User) -> None:
    require(can_edit_medical(user), "seule l'USMP modifie les informations médicales")


def can_edit_person(user: User) -> bool:
    """Whether the « modifier » page has anything for this user (identity or medical part)."""
    return can_edit_identity(user) or can_edit_medical(user)


def check_can_edit_person(user: User) -> None:
    require(can_edit_person(user), "votre rôle ne permet pas de modifier ce dossier")


def can_add_event(user: User, event_type: str) -> bool:
    return user.role in EVENT_ROLES.get(event_type, ())


def check_can_add_event(user: User, event_type: str) -> None:
    if event_type not in EVENT_ROLES:
        return  # unknown types are rejected by validation with a field message
    require(
        can_add_event(user, event_type),
        "votre rôle ne permet pas d'enregistrer ce type d'événement",
    )


def can_correct_event(user: User, event_type: str) -> bool:
    """Correcting or withdrawing an event is recording one of its type."""
    return can_add_event(user, event_type)


def can_close_task(user: User, task: Task) -> bool:
    if is_medical(task):
        return can_see_medical(user)
    return user.role in (Role.SPIP, Role.PARTNER, Role.ADMIN)


def check_can_close_task(user: User, task: Task) -> None:
    if is_medical(task):
        require(can_close_task(user, task), "seule l'USMP traite les étapes médicales")
    else:
        require(can_close_task(user, task), "cette tâche est suivie par le SPIP ou le partenaire")


def can_edit_household(user: User) -> bool:
    return user.role in HOUSEHOLD_ROLES


def check_can_edit_household(user: User) -> None:
    require(
        can_edit_household(user),
        "le foyer et les ressources sont renseignés par le SPIP, le partenaire ou l'administration",
    )


def can_share(user: User) -> bool:
    return user.role in _FILE_ROLES


def check_can_share(user: User) -> None:
    require(can_share(user), "seuls le SPIP et l'administration partagent un dossier")


def can_import(user: User) -> bool:
    return user.role in _FILE_ROLES


def check_can_import(user: User) -> None:
    require(can_import(user), "seuls le SPIP et l'administration importent des listes")


def can_refer_to_mas(user: User) -> bool:
    return user.role in MAS_ROLES


def check_can_refer_to_mas(user: User) -> None:
    require(can_refer_to_mas(user), "l'orientation MAS est suivie par le SPIP ou le partenaire")


def letter_kinds_for(user: User | None) -> frozenset[str]:
    """The letter kinds this user may get (``None``: the scheduler).

    A medical letter reveals an illness: USMP and administration only. A partner gets, for
    the people shared with them, the letters the person needs after release, not those the
    establishment sends. The scheduler prepares every letter but the medical ones.
    """
    kinds = letter_kinds()
    medical = frozenset(k for k, x in kinds.items() if x.medical)
    every = frozenset(kinds)
    if user is None:
        return every - medical
    if can_see_medical(user):
        return every
    if user.role == Role.SPIP:
        return every - medical
    if user.role == Role.PARTNER:
        return frozenset(k for k, x in kinds.items() if x.after_release)
    return frozenset()


def can_generate_letter(user: User | None, kind: str) -> bool:
    return kind in letter_kinds_for(user)


def check_can_generate_letter(user: User | None, kind: str) -> None:
    """:class:`Forbidden` when this role may not get this kind of letter."""
    if can_generate_letter(user, kind):
        return
    found = letter_kinds().get(kind)
    if found is not None and found.medical:
        raise Forbidden("ce courrier médical est réservé à l'USMP et à l'administration")
    raise Forbidden(
        "ce courrier est préparé par l'établissement ; un partenaire obtient les courriers "
        "d'après la sortie (récapitulatif, guide AME, orientation MAS)"
    )


def packet_audience(user: User | None) -> str:
    """Whose packet: a partner's (what a partner may read) or the full one (SPIP, USMP,
    administration and the scheduler)."""
    return PARTNER_AUDIENCE if is_partner(user) else FULL_AUDIENCE


def can_administer(user: User) -> bool:
    return is_admin(user)


def check_admin(user: User) -> None:
    require(can_administer(user), "réservé à l'administration")


#: the permission functions templates call, so a link shows only when its route would accept
#: the user (``{% if can_share(user) %}``)
TEMPLATE_FUNCTIONS = (
    can_see_medical,
    can_create_person,
    can_edit_identity,
    can_edit_medical,
    can_edit_person,
    can_add_event,
    can_correct_event,
    can_close_task,
    can_edit_household,
    can_share,
    can_import,
    can_refer_to_mas,
    can_generate_letter,
    can_administer,
)

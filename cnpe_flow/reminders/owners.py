"""Who is reminded of a task: the users of its owner role who may see the person.

- a SPIP (USMP) task: the active SPIP (USMP) accounts of the person's establishment;
- a medical task: only the USMP accounts of that establishment, whatever else is said;
- a partner task: the partners the person is shared with today; when the person is shared
  with nobody, the SPIP of the establishment, so that someone is told;
- administrators follow no task.

A transfer is told to every SPIP and USMP account of the new establishment
(:func:`establishment_staff`), whoever owns the hand-over task.

The same rule decides who receives notifications and whose calendar feed shows a task.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlmodel import Session

from cnpe_flow.auth.models import Role, User
from cnpe_flow.people.models import Person, Share, Task
from cnpe_flow.people.task_kinds import is_medical


@dataclass(slots=True)
class Staff:
    """The accounts that may own tasks of a set of people, loaded once per sweep."""

    #: (role, establishment code) → active accounts
    by_post: dict[tuple[str, str], list[User]] = field(default_factory=dict)
    #: person id → active partners the person is shared with
    partners: dict[int, list[User]] = field(default_factory=dict)


def load_staff(session: Session, people: Iterable[Person]) -> Staff:
    """Active SPIP/USMP accounts of these people's establishments and their partners."""
    people = list(people)
    establishments = {p.establishment_code for p in people if p.establishment_code}
    staff = Staff()
    by_post: dict[tuple[str, str], list[User]] = defaultdict(list)
    if establishments:
        for user in session.execute(
            select(User)
            .where(
                User.active.is_(True),
                User.role.in_((Role.SPIP, Role.USMP)),
                User.establishment_code.in_(establishments),
            )
            .order_by(User.id)
        ).scalars():
            by_post[(user.role, user.establishment_code)].append(user)  # type: ignore[index]
    staff.by_post = dict(by_post)
    partners: dict[int, list[User]] = defaultdict(list)
    ids = [p.id for p in people]
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(Share.person_id, User)
            .join(User, User.id == Share.partner_id)
            .where(
                Share.person_id.in_(ids[start : start + 500]),
                Share.revoked_at.is_(None),
                User.active.is_(True),
                User.role == Role.PARTNER,
            )
            .order_by(User.id)
        ).all()
        for person_id, user in rows:
            if all(u.id != user.id for u in partners[person_id]):
                partners[person_id].append(user)
    staff.partners = dict(partners)
    return staff


def task_owners(task: Task, person: Person, staff: Staff) -> list[User]:
    """The accounts to remind of this task (see the module docstring)."""
    establishment = person.establishment_code or ""
    if is_medical(task):
        return staff.by_post.get((Role.USMP, establishment), [])
    if task.owner == Role.PARTNER:
        partners = staff.partners.get(person.id, [])  # type: ignore[arg-type]
        return partners or staff.by_post.get((Role.SPIP, establishment), [])
    if task.owner in (Role.SPIP, Role.USMP):
        return staff.by_post.get((task.owner, establishment), [])
    return []


def establishment_staff(person: Person, staff: Staff) -> list[User]:
    """The SPIP and USMP accounts of the person's establishment: those told of a transfer."""
    establishment = person.establishment_code or ""
    return [
        *staff.by_post.get((Role.SPIP, establishment), []),
        *staff.by_post.get((Role.USMP, establishment), []),
    ]

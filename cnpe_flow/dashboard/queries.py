"""The dashboard's lists, as a few indexed SQL queries (no engine run per person).

Releases read ``ix_people_establishment_release`` / ``planned_release``. Task lists read either
the tasks of a few people through ``ix_tasks_person_id`` or ``ix_tasks_status_due`` in due
order (see :class:`Scope`). Each list is cut at ``limit`` rows and fetches one more to know
whether a next page exists, so no query counts a whole table. Readiness is read for the shown
people only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select
from sqlmodel import Session

from cnpe_flow.auth.access import visible_people, works_anywhere
from cnpe_flow.auth.models import User
from cnpe_flow.letters.models import Letter
from cnpe_flow.people.models import Person, Task, TaskStatus

#: rows per list on the dashboard (the view passes the ``PAGE_SIZE`` setting)
LIST_SIZE = 25
RELEASE_HORIZON = timedelta(days=30)
WEEK = timedelta(days=7)
OWNERS = ("spip", "usmp", "partner")
#: up to this many people in scope, task lists are read person by person (see Scope)
FEW_PEOPLE = 1500


@dataclass(frozen=True)
class Filters:
    #: reference establishment code, or "" for every establishment the user sees
    establishment: str = ""
    #: task owner (spip, usmp, partner), or "" for all
    owner: str = ""


@dataclass
class Page:
    rows: list[Any]
    page: int
    has_next: bool


@dataclass
class ReleaseRow:
    person_id: int
    last_name: str
    first_name: str
    #: the planned release, or the levée once recorded (then ``released``)
    planned_release: date
    establishment_code: str | None
    #: ``full`` (a release address), ``postcode`` (a postcode only) or ``none``
    address: str
    letters_generated: bool
    open_tasks: int
    #: the levée is recorded (today, or on a past day for « Sorties récentes »)
    released: bool = False


@dataclass
class DueTask:
    task_id: int
    person_id: int
    last_name: str
    first_name: str
    kind: str
    owner: str
    medical: bool
    due: date


def _person_filters(user: User, filters: Filters) -> list[ColumnElement[bool]]:
    out = [visible_people(user)]
    if filters.establishment:
        out.append(Person.establishment_code == filters.establishment)
    return out


def _page(rows: list[Any], page: int, limit: int) -> Page:
    return Page(rows[:limit], page, len(rows) > limit)


def upcoming_releases(
    session: Session,
    user: User,
    filters: Filters,
    today: date,
    page: int = 1,
    limit: int = LIST_SIZE,
) -> Page:
    """People visible to ``user`` leaving within the next 30 days: listed until the levée is
    recorded and its day has passed (a planned date already gone stays listed, the levée is
    still to record; a levée recorded today stays listed for the day)."""
    when = func.coalesce(Person.planned_release, Person.released_on)
    rows = session.execute(
        _release_columns()
        .where(
            *_person_filters(user, filters),
            or_(
                and_(
                    Person.planned_release.is_not(None),  # type: ignore[union-attr]
                    Person.planned_release <= today + RELEASE_HORIZON,
                ),
                Person.released_on == today,
            ),
        )
        .order_by(when, Person.id)
        .offset((page - 1) * limit)
        .limit(limit + 1)
    ).all()
    return _release_page(session, rows, filters, page, limit)


def recent_releases(
    session: Session,
    user: User,
    filters: Filters,
    today: date,
    page: int = 1,
    limit: int = LIST_SIZE,
) -> Page:
    """People released in the last 30 days (before today) who still have open tasks."""
    open_task = (
        select(Task.id)
        .where(
            Task.person_id == Person.id,
            Task.status == TaskStatus.OPEN,
            Task.obsolete == false(),
            *([Task.owner == filters.owner] if filters.owner else []),
        )
        .exists()
    )
    rows = session.execute(
        _release_columns()
        .where(
            *_person_filters(user, filters),
            Person.released_on >= today - RELEASE_HORIZON,
            Person.released_on < today,
            open_task,
        )
        .order_by(Person.released_on.desc(), Person.id)  # type: ignore[union-attr]
        .offset((page - 1) * limit)
        .limit(limit + 1)
    ).all()
    return _release_page(session, rows, filters, page, limit)


def _release_columns() -> Select[Any]:
    return select(
        Person.id,
        Person.last_name,
        Person.first_name,
        Person.planned_release,
        Person.released_on,
        Person.establishment_code,
        Person.residence_postcode,
        Person.release_address,
    )


def _release_page(
    session: Session, rows: list[Any], filters: Filters, page: int, limit: int
) -> Page:
    shown = rows[:limit]
    ids = [r.id for r in shown]
    with_letters = _people_with_letters(session, ids)
    open_counts = _open_task_counts(session, ids, filters.owner)
    return Page(
        [
            ReleaseRow(
                person_id=r.id,
                last_name=r.last_name,
                first_name=r.first_name,
                planned_release=r.planned_release or r.released_on,
                establishment_code=r.establishment_code,
                address=(
                    "full"
                    if r.release_address is not None
                    else "postcode"
                    if r.residence_postcode is not None
                    else "none"
                ),
                letters_generated=r.id in with_letters,
                open_tasks=open_counts.get(r.id, 0),
                released=r.planned_release is None,
            )
            for r in shown
        ],
        page,
        len(rows) > limit,
    )


def _people_with_letters(session: Session, ids: list[int]) -> set[int]:
    if not ids:
        return set()
    # Only the ids: the PDFs stay in the database.
    found = session.execute(select(Letter.person_id).where(Letter.person_id.in_(ids)).distinct())
    return set(found.scalars())


def _open_task_counts(session: Session, ids: list[int], owner: str) -> dict[int, int]:
    if not ids:
        return {}
    # Filtered on the person only, so that every backend reads the per-person index (a
    # condition on the status lets SQLite walk every open task instead); counted here.
    rows = session.execute(
        select(Task.person_id, Task.status, Task.obsolete, Task.owner).where(
            Task.person_id.in_(ids)
        )
    )
    counts: dict[int, int] = {}
    for person_id, status, obsolete, task_owner in rows:
        if status == TaskStatus.OPEN and not obsolete and (not owner or task_owner == owner):
            counts[person_id] = counts.get(person_id, 0) + 1
    return counts


@dataclass
class Scope:
    """Whose tasks the lists show, read once per page.

    Without an index on tasks by establishment, the fast way depends on how many people are
    in scope: a small establishment or a partner's shared people are read first (ids and
    names, ``few``), then their tasks through the per-person index; a large establishment or
    everyone is read through ``ix_tasks_status_due`` in due order, each task checked against
    the people in scope, which stops after one page.
    """

    user: User
    filters: Filters
    #: id -> (last name, first name) when at most FEW_PEOPLE people are in scope
    few: dict[int, tuple[str, str]] | None


def task_scope(session: Session, user: User, filters: Filters) -> Scope:
    """The people whose tasks this user's lists show (see :class:`Scope`)."""
    if works_anywhere(user) and not filters.establishment:
        return Scope(user, filters, None)  # everyone
    rows = session.execute(
        select(Person.id, Person.last_name, Person.first_name)
        .where(*_person_filters(user, filters))
        .limit(FEW_PEOPLE + 1)
    ).all()
    if len(rows) > FEW_PEOPLE:
        return Scope(user, filters, None)
    return Scope(user, filters, {r.id: (r.last_name, r.first_name) for r in rows})


_COLUMNS = (Task.id, Task.person_id, Task.kind, Task.owner, Task.medical, Task.due)


def _few_people_tasks(scope: Scope, due_window: list[ColumnElement[bool]]) -> Select[Any]:
    """Open, current tasks of the few people in scope, through the per-person index."""
    assert scope.few is not None
    # Status and owner compared as expressions: SQLite would otherwise walk every open task
    # of ix_tasks_status_due (or ix_tasks_owner_status_due) instead of these people's tasks.
    query = select(*_COLUMNS).where(
        Task.person_id.in_(list(scope.few)),
        Task.status.concat("") == TaskStatus.OPEN,
        Task.obsolete == false(),
        *due_window,
    )
    if scope.filters.owner:
        query = query.where(Task.owner.concat("") == scope.filters.owner)
    return query


def _named(scope: Scope, rows: Any) -> list[DueTask]:
    assert scope.few is not None
    return [DueTask(r.id, r.person_id, *scope.few[r.person_id], *r[2:6]) for r in rows]


def _tasks(
    session: Session, scope: Scope, due_window: list[ColumnElement[bool]], page: int, limit: int
) -> Page:
    """Open, current tasks of the people in scope within ``due_window``, in due order."""
    if scope.few is not None:
        if not scope.few:
            return Page([], page, False)
        query = _few_people_tasks(scope, due_window)
        return _page(_named(scope, session.execute(_one_page(query, page, limit))), page, limit)
    query = (
        select(*_COLUMNS, Person.last_name, Person.first_name)
        .join(Person, Person.id == Task.person_id)
        .where(Task.status == TaskStatus.OPEN, Task.obsolete == false(), *due_window)
    )
    if scope.filters.owner:
        query = query.where(Task.owner == scope.filters.owner)
    if not works_anywhere(scope.user) or scope.filters.establishment:
        people = select(Person.id).where(*_person_filters(scope.user, scope.filters))
        query = query.where(Task.person_id.in_(people))
    rows = session.execute(_one_page(query, page, limit)).all()
    tasks = [DueTask(r.id, r.person_id, r.last_name, r.first_name, *r[2:6]) for r in rows]
    return _page(tasks, page, limit)


def _one_page(query: Select[Any], page: int, limit: int) -> Select[Any]:
    return query.order_by(Task.due, Task.id).offset((page - 1) * limit).limit(limit + 1)


def _overdue(today: date) -> list[ColumnElement[bool]]:
    return [Task.due < today]


def _this_week(today: date) -> list[ColumnElement[bool]]:
    return [Task.due >= today, Task.due <= today + WEEK]


def overdue_tasks(
    session: Session, scope: Scope, today: date, page: int = 1, limit: int = LIST_SIZE
) -> Page:
    """Open tasks whose due date has passed, oldest first."""
    return _tasks(session, scope, _overdue(today), page, limit)


def tasks_this_week(
    session: Session, scope: Scope, today: date, page: int = 1, limit: int = LIST_SIZE
) -> Page:
    """Open tasks due from today to today + 7 days."""
    return _tasks(session, scope, _this_week(today), page, limit)


def first_task_pages(
    session: Session, scope: Scope, today: date, limit: int = LIST_SIZE
) -> tuple[Page, Page]:
    """The first page of :func:`overdue_tasks` and of :func:`tasks_this_week` together.

    For a few people both come from one pass over their tasks (numbered in each list by a
    window function), instead of reading the same tasks twice.
    """
    if not scope.few:
        return (
            overdue_tasks(session, scope, today, 1, limit),
            tasks_this_week(session, scope, today, 1, limit),
        )
    late = Task.due < today
    numbered = (
        _few_people_tasks(scope, [Task.due <= today + WEEK])
        .add_columns(
            func.row_number().over(partition_by=late, order_by=(Task.due, Task.id)).label("n")
        )
        .subquery()
    )
    rows = session.execute(
        select(numbered).where(numbered.c.n <= limit + 1).order_by(numbered.c.due, numbered.c.id)
    ).all()
    tasks = _named(scope, rows)
    overdue = [t for t in tasks if t.due < today]
    coming = [t for t in tasks if t.due >= today]
    return _page(overdue, 1, limit), _page(coming, 1, limit)

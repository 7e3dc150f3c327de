"""The personal calendar feed (ICS): a user's open tasks as all-day events.

Calendars are synchronised to phones and third-party services, so an event carries what a
reminder e-mail carries and nothing more: the task (a medical one is only "Étape médicale"),
"Alex D.", the legal due date with a weekend or holiday noted, and the case link.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from icalendar import Calendar, Event
from sqlalchemy import select
from sqlmodel import Session

from cnpe_flow.auth.access import visible_people
from cnpe_flow.auth.models import User
from cnpe_flow.clock import now_utc
from cnpe_flow.people.models import Person, Task, TaskStatus
from cnpe_flow.reminders.messages import due_text, safe_title, short_name
from cnpe_flow.reminders.owners import load_staff, task_owners


def owned_open_tasks(session: Session, user: User) -> list[tuple[Task, Person]]:
    """The user's open tasks (the reminder rule of :mod:`owners`), by due date."""
    rows = session.execute(
        select(Task, Person)
        .join(Person, Person.id == Task.person_id)
        .where(Task.status == TaskStatus.OPEN, Task.obsolete.is_(False), visible_people(user))
        .order_by(Task.due, Task.id)
    ).all()
    staff = load_staff(session, {person.id: person for _, person in rows}.values())
    return [
        (task, person)
        for task, person in rows
        if any(owner.id == user.id for owner in task_owners(task, person, staff))
    ]


def build_feed(
    session: Session, user: User, case_url: Callable[[int], str | None], host: str
) -> bytes:
    """The ICS document of this user's open tasks."""
    cal = Calendar()
    cal.add("prodid", "-//cnpe-flow//échéances//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "cnpe-flow : mes échéances")
    cal.add("x-wr-timezone", "Europe/Paris")
    stamp = now_utc()
    for task, person in owned_open_tasks(session, user):
        event = Event()
        event.add("uid", f"cnpe-flow-task-{task.id}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", task.due)
        event.add("dtend", task.due + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        event.add("summary", f"{safe_title(task)} — {short_name(person)}")
        lines = [f"Échéance légale : {due_text(task.due)}"]
        url = case_url(person.id)  # type: ignore[arg-type]
        if url:
            lines.append(f"Dossier : {url}")
            event.add("url", url)
        event.add("description", "\n".join(lines))
        cal.add_component(event)
    return cal.to_ical()  # type: ignore[no-any-return]

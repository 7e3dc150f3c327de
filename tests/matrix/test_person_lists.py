"""Lists of people (dashboard, search page and API, notifications, calendar feed) show each
role exactly the people it may see: the SPIP and the USMP their establishment's, the partner
those shared with them (not after the sharing was revoked), the administrator everyone."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select
from world import World

from cnpe_flow import db
from cnpe_flow.auth.models import User
from cnpe_flow.people.models import Task
from cnpe_flow.reminders.models import Notification
from cnpe_flow.reminders.operations import create_calendar_token, record_due_notifications

#: who sees whom in the world (``tests/world.py``)
VISIBLE = {
    "spip": {"followed", "unshared", "released", "inside"},
    "usmp": {"followed", "unshared", "released", "inside"},
    "partner": {"followed", "released", "inside"},
    "admin": {"followed", "unshared", "released", "inside", "fresnes"},
}
#: not on the dashboard, which lists releases and tasks: in custody, no planned release, no task
NOTHING_DUE = {"inside"}
_CASE_LINK = re.compile(r"/personnes/(\d+)")


def _names(world: World, ids: set[int]) -> set[str]:
    by_id = {person.id: name for name, person in world.people.items()}
    return {by_id.get(i, f"person {i}") for i in ids}


def _linked(text: str) -> set[int]:
    return {int(i) for i in _CASE_LINK.findall(text)}


def test_lists_show_each_role_only_the_people_it_may_see(world: World) -> None:
    with db.transaction(world.app) as s:
        record_due_notifications(s, date(2026, 11, 23), lead_days=7, overdue_days=30)
        # a reminder the partner got while the file was still shared with them
        task = (
            s.exec(select(Task).where(Task.person_id == world.people["unshared"].id))
            .scalars()
            .first()
        )
        s.add(
            Notification(
                user_id=world.users["partner"].id,  # type: ignore[arg-type]
                task_id=task.id,  # type: ignore[union-attr]
                reason="due_soon",
                message="Recueillir l'adresse de sortie",
            )
        )
        tokens = {
            role: create_calendar_token(s, s.get(User, user.id))  # type: ignore[arg-type]
            for role, user in world.users.items()
        }
    fresnes_code = world.people["fresnes"].establishment_code
    wrong = []
    for role, visible in VISIBLE.items():
        pages = world.page_client(role)
        search = world.api_client(role).get("/api/v1/people", headers=world.api_headers(role))
        # Complete lists: exactly the visible people.
        complete = {
            "dashboard": pages.get("/").get_data(as_text=True),
            "search page": pages.get("/personnes").get_data(as_text=True),
        }
        # Partial lists: nobody else (a filter on another establishment does not widen them).
        partial = {
            "notifications": pages.get("/notifications").get_data(as_text=True),
            "calendar feed": pages.get(f"/agenda/{tokens[role]}.ics").get_data(as_text=True),
            "dashboard filtered on CP Fresnes": pages.get(
                f"/?etablissement={fresnes_code}"
            ).get_data(as_text=True),
            "search filtered on CP Fresnes": pages.get(
                f"/personnes?etablissement={fresnes_code}"
            ).get_data(as_text=True),
        }
        listed = {name: _names(world, _linked(text)) for name, text in complete.items()}
        listed["search API"] = _names(world, {p["id"] for p in search.get_json()["items"]})
        expected = {name: visible for name in listed} | {"dashboard": visible - NOTHING_DUE}
        wrong += [
            f"{role}, {name}: {sorted(people)} instead of {sorted(expected[name])}"
            for name, people in listed.items()
            if people != expected[name]
        ]
        hidden = set(world.people) - visible
        for name, text in {**complete, **partial}.items():
            shown = _names(world, _linked(text)) & hidden
            shown |= {p for p in hidden if world.people[p].last_name.upper() in text}
            if shown:
                wrong.append(f"{role}, {name}: shows {sorted(shown)}, not visible to them")
    assert not wrong, "\n".join(wrong)

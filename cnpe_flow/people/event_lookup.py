"""The event a correction page names (``?corrige=<id>``, ``/evenements/<id>/retirer``).

An event of the file corrected or withdrawn since the page was opened (from another tab, by a
colleague) is not "not found": the user goes back to the file with what became of it. An event
of another file, a medical one the user may not see, or one they may not correct stays "not
found" (404), so that ids reveal nothing.
"""

from __future__ import annotations

from flask import flash, redirect, url_for
from sqlmodel import Session
from werkzeug.wrappers import Response

from cnpe_flow.auth import access
from cnpe_flow.auth.models import User
from cnpe_flow.errors import NotFound
from cnpe_flow.people.evaluation import effective_events, load_history
from cnpe_flow.people.models import CustodyEvent, Person


class EventGone(Exception):
    """The event was corrected or withdrawn meanwhile (the message says which)."""

    def __init__(self, person_id: int, message: str) -> None:
        super().__init__(message)
        self.person_id = person_id
        self.message = message


def visible_events(user: User, events: list[CustodyEvent]) -> list[CustodyEvent]:
    """Medical events (AT/MP) are not shown to the SPIP nor to partners."""
    if access.can_see_medical(user):
        return events
    return [e for e in events if e.type not in access.MEDICAL_EVENTS]


def event_to_correct(session: Session, user: User, person: Person, event_id: int) -> CustodyEvent:
    """The event, still in force; :class:`EventGone` or :class:`NotFound` otherwise."""
    history = load_history(session, person.id)  # type: ignore[arg-type]
    found = next(
        (e for e in visible_events(user, effective_events(history)) if e.id == event_id), None
    )
    if found is not None:
        return found
    event = next((e for e in visible_events(user, history) if e.id == event_id), None)
    later = next((e for e in history if e.supersedes_id == event_id), None)
    if event is not None and later is not None and access.can_correct_event(user, event.type):
        done = "retiré" if later.withdrawn else "corrigé"
        raise EventGone(person.id, f"Cet événement était déjà {done} : l'historique est à jour.")  # type: ignore[arg-type]
    raise NotFound("événement introuvable ou déjà corrigé")


def back_to_the_file(exc: EventGone) -> Response:
    """To the top of the file's page, where the message is (a form's fragment would scroll
    past it)."""
    flash(exc.message, "info")
    return redirect(url_for("people.case_page", person_id=exc.person_id, _anchor="contenu"), 303)

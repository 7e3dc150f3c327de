"""Pages that add, correct or withdraw a custody event (on the ``people_edit`` blueprint).

Every change goes through :func:`cnpe_flow.people.operations.add_event`; a refused form
answers 400 (409 for a stale version) with the messages next to the fields, so the request
rolls back and nothing is written.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from sqlmodel import Session
from werkzeug.wrappers import Response

from cnpe_flow import db
from cnpe_flow.auth import access
from cnpe_flow.auth.models import User
from cnpe_flow.errors import Conflict, Forbidden, InvalidInput, NotFound
from cnpe_flow.people import operations
from cnpe_flow.people.edit_views import bp
from cnpe_flow.people.evaluation import effective_events, load_history
from cnpe_flow.people.event_forms import (
    EVENT_DATE_LABELS,
    EVENT_FIELDS,
    EventForm,
    WithdrawForm,
    describe_event,
    event_form_data,
    event_input,
)
from cnpe_flow.people.event_lookup import event_to_correct, visible_events
from cnpe_flow.people.forms import (
    EVENT_LABELS,
    MISSING_VERSION,
    attach_problems,
    establishment_name,
    establishment_names,
    read_int,
)
from cnpe_flow.people.models import CustodyEvent, Person
from cnpe_flow.rules import Problem
from cnpe_flow.web.security import acting_user

#: problems about an event's place among the others (« précède la mise sous écrou … ») are
#: shown under its date: changing the date is how they are fixed
_ORDER_ON_DATE = {"event": "date"}


def _after_change(session: Session, user: User, person: Person) -> Response:
    """The case page, or the list of people when the file has just left the user's
    establishment (a transfer): its page would now be "not found" for them."""
    if access.can_see_person(session, user, person.id):  # type: ignore[arg-type]
        return redirect(url_for("people.case_page", person_id=person.id), code=303)
    flash(
        f"Le dossier de {person.display_name} est maintenant suivi par "
        f"{establishment_name(person.establishment_code)} : le SPIP et l'USMP de cet "
        "établissement sont prévenus, et le dossier n'est plus accessible depuis le vôtre.",
        "success",
    )
    return redirect(url_for("people.search"), code=303)


def allowed_event_types(user: User) -> list[str]:
    """The event types this user may record, in the order of the forms."""
    return [kind for kind in EVENT_LABELS if access.can_add_event(user, kind)]


@bp.route("/personnes/<int:person_id>/evenements/nouveau", methods=["GET", "POST"])
def new_event(person_id: int) -> Any:
    """Record an event (``?type=``), or correct one (``?corrige=<event id>``)."""
    user = acting_user()
    session = db.session()
    person = access.get_person(session, user, person_id)
    allowed = allowed_event_types(user)
    superseded = None
    if "corrige" in request.args:
        event_id = read_int(request.args["corrige"])
        if event_id is None:
            raise NotFound("événement introuvable ou déjà corrigé")
        superseded = event_to_correct(session, user, person, event_id)
        kind = superseded.type
    else:
        kind = request.values.get("type") or ""
    if kind not in EVENT_LABELS:
        status = 400 if kind else 200
        general = [f"Type d'événement inconnu « {kind} »."] if kind else []
        return _chooser_page(session, user, person, allowed, general, status)
    if kind not in allowed:
        raise Forbidden("votre rôle ne permet pas d'enregistrer ce type d'événement")
    # formdata=None: the correction's own "comment" must not fill the withdrawal's.
    withdraw_form = (
        WithdrawForm(formdata=None, data={"version": person.version}) if superseded else None
    )
    if request.method == "POST" and superseded and "retirer" in request.form:
        # the withdrawal form of this page posts here: a refusal keeps this address
        return _withdraw(session, user, person, superseded)
    if request.method == "GET":
        form = EventForm(data=event_form_data(superseded, kind, person.version))
        return _event_page(session, user, person, kind, form, withdraw_form, superseded, [], 200)
    form = EventForm()
    form.validate()
    raw, problems = event_input(form, kind)
    try:
        _add_from_form(
            session,
            user,
            person,
            raw,
            problems,
            form.version.data,
            form.comment.data,
            supersedes_id=superseded.id if superseded else None,
        )
    except InvalidInput as exc:
        shown = {"date", "comment", *EVENT_FIELDS.get(kind, ())}
        general = attach_problems(form, exc.problems, shown, _ORDER_ON_DATE)
        return _event_page(
            session, user, person, kind, form, withdraw_form, superseded, general, 400
        )
    except Conflict as exc:
        return _event_page(
            session, user, person, kind, form, withdraw_form, superseded, [], 409, exc.message
        )
    flash(
        f"Correction enregistrée : {EVENT_LABELS[kind]}."
        if superseded
        else f"Événement enregistré : {EVENT_LABELS[kind]}.",
        "success",
    )
    return _after_change(session, user, person)


@bp.route("/personnes/<int:person_id>/evenements/<int:event_id>/retirer", methods=["POST"])
def withdraw_event(person_id: int, event_id: int) -> Any:
    """Former address of the withdrawal form, kept for bookmarked pages and scripts (the
    form now posts to the correction page it sits on)."""
    user = acting_user()
    session = db.session()
    person = access.get_person(session, user, person_id)
    event = event_to_correct(session, user, person, event_id)
    access.check_can_add_event(user, event.type)
    return _withdraw(session, user, person, event)


def _withdraw(session: Session, user: User, person: Person, event: CustodyEvent) -> Any:
    """Withdraw an event entered by mistake (kept in the history, with the reason); refused,
    the correction page again with the message under the reason."""
    withdraw_form = WithdrawForm()
    withdraw_form.validate()
    form = EventForm(formdata=None, data=event_form_data(event, event.type, person.version))
    try:
        _add_from_form(
            session,
            user,
            person,
            None,
            [],
            withdraw_form.version.data,
            withdraw_form.comment.data,
            supersedes_id=event.id,
            withdraw=True,
        )
    except InvalidInput as exc:
        general = attach_problems(withdraw_form, exc.problems, {"comment"})
        return _event_page(
            session, user, person, event.type, form, withdraw_form, event, general, 400
        )
    except Conflict as exc:
        return _event_page(
            session, user, person, event.type, form, withdraw_form, event, [], 409, exc.message
        )
    flash(f"Événement retiré : {describe_event(event)}.", "success")
    return _after_change(session, user, person)


def _add_from_form(
    session: Session,
    user: User,
    person: Person,
    raw: dict[str, Any] | None,
    problems: list[Problem],
    version: str | None,
    comment: str | None,
    *,
    supersedes_id: int | None,
    withdraw: bool = False,
) -> None:
    """Add, correct or withdraw an event from a page form. The form's own problems, a missing
    reason and a missing version are refused together, before the engine is asked."""
    comment = (comment or "").strip()
    problems = problems + operations.reason_problems(
        comment, supersedes=supersedes_id is not None, withdraw=withdraw
    )
    expected = read_int(version)
    if expected is None:
        problems.append(MISSING_VERSION)
    if problems:
        raise InvalidInput(problems)
    operations.add_event(
        session,
        user,
        person,
        raw,
        expected_version=expected,
        supersedes_id=supersedes_id,
        withdraw=withdraw,
        comment=comment,
    )


def _history_rows(session: Session, user: User, person: Person) -> list[dict[str, Any]]:
    """The events that count, oldest first, with what the user may do with each."""
    events = visible_events(user, effective_events(load_history(session, person.id)))  # type: ignore[arg-type]
    return [
        {
            "event": e,
            "text": describe_event(e),
            "correctable": access.can_correct_event(user, e.type),
        }
        for e in sorted(events, key=lambda e: (e.date, e.id))
    ]


def _chooser_page(
    session: Session,
    user: User,
    person: Person,
    allowed: list[str],
    general: list[str],
    status: int,
) -> tuple[str, int]:
    return render_template(
        "people_edit/event_types.html",
        person=person,
        types=[(kind, EVENT_LABELS[kind]) for kind in allowed],
        history=_history_rows(session, user, person),
        general=general,
    ), status


def _event_page(
    session: Session,
    user: User,
    person: Person,
    kind: str,
    form: EventForm,
    withdraw_form: WithdrawForm | None,
    superseded: CustodyEvent | None,
    general: list[str],
    status: int,
    conflict: str | None = None,
) -> tuple[str, int]:
    form.date.label.text = EVENT_DATE_LABELS[kind]
    if kind == "transfer":
        form.establishment.label.text = "Nouvel établissement"
    form.comment.label.text = (
        "Pourquoi cette correction ?" if superseded else "Commentaire (facultatif)"
    )
    return render_template(
        "people_edit/event.html",
        person=person,
        kind=kind,
        kind_label=EVENT_LABELS[kind],
        fields=EVENT_FIELDS.get(kind, ()),
        form=form,
        withdraw_form=withdraw_form,
        superseded=superseded,
        superseded_text=describe_event(superseded) if superseded else "",
        history=_history_rows(session, user, person),
        general=general,
        conflict=conflict,
        establishments=establishment_names(),
    ), status

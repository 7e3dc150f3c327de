"""Pages that change a person's file: identity and situation here; custody events, household
and sharing in their own modules on the same blueprint.

Every change goes through :mod:`cnpe_flow.people.operations`; the pages only turn the typed
values into the operations' input and show their French messages next to the fields. A
refused form answers 400 (409 for a stale version), so the request rolls back and nothing is
written.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from cnpe_flow import db
from cnpe_flow.auth import access
from cnpe_flow.errors import Conflict, InvalidInput
from cnpe_flow.people import operations
from cnpe_flow.people.event_lookup import EventGone, back_to_the_file
from cnpe_flow.people.forms import (
    ADDRESS_PROBLEM_FIELDS,
    IDENTITY_FORM_FIELDS,
    MEDICAL_FORM_FIELDS,
    MISSING_VERSION,
    PersonForm,
    attach_problems,
    establishment_name,
    establishment_names,
    merge_problems,
    person_form_data,
    person_input,
    read_int,
)
from cnpe_flow.people.models import Person
from cnpe_flow.people.validation import read_person
from cnpe_flow.rules import Problem
from cnpe_flow.web.security import acting_user

bp = Blueprint("people_edit", __name__)
bp.register_error_handler(EventGone, back_to_the_file)  # an event corrected meanwhile


def _case_page(person: Person) -> Response:
    return redirect(url_for("people.case_page", person_id=person.id), code=303)


# --- identity and situation ---------------------------------------------------------------


@bp.route("/personnes/nouvelle", methods=["GET", "POST"])
def new_person() -> Any:
    """Create a file: identity and situation (and, for the USMP or admin, the benefits)."""
    user = acting_user()
    access.check_can_create_person(user)
    medical = access.can_see_medical(user)
    shown = set(IDENTITY_FORM_FIELDS) | (set(MEDICAL_FORM_FIELDS) if medical else set())
    form = PersonForm()
    general: list[str] = []
    if request.method == "GET":
        if not access.works_anywhere(user):
            form.establishment.data = establishment_name(user.establishment_code)
        return _person_page(form, shown, general, None, 200)
    form.validate()
    raw, local = person_input(form, identity=True, medical=medical)
    try:
        if local:
            raise InvalidInput(merge_problems(local, _other_problems(raw)))
        person = operations.create_person(db.session(), user, raw)
    except InvalidInput as exc:
        general = attach_problems(form, exc.problems, shown, ADDRESS_PROBLEM_FIELDS)
        return _person_page(form, shown, general, None, 400)
    flash(f"Dossier de {person.display_name} créé.", "success")
    return _case_page(person)


def _other_problems(raw: dict[str, Any], *, partial: bool = False) -> list[Problem]:
    """What the operation would also say, so that every problem is shown at once."""
    try:
        read_person(raw, partial=partial)
    except InvalidInput as exc:
        return exc.problems
    return []


@bp.route("/personnes/<int:person_id>/modifier", methods=["GET", "POST"])
def edit_person(person_id: int) -> Any:
    """Change a file: the SPIP the identity and situation, the USMP the medical benefits."""
    user = acting_user()
    session = db.session()
    person = access.get_person(session, user, person_id)
    access.check_can_edit_person(user)
    identity = access.can_edit_identity(user)
    medical = access.can_edit_medical(user)
    shown = (set(IDENTITY_FORM_FIELDS) if identity else set()) | (
        set(MEDICAL_FORM_FIELDS) if medical else set()
    )
    if request.method == "GET":
        form = PersonForm(data=person_form_data(person))
        return _person_page(form, shown, [], person, 200)
    form = PersonForm()
    form.validate()
    raw, local = person_input(form, identity=identity, medical=medical)
    expected = read_int(form.version.data)
    try:
        if expected is None:
            local.append(MISSING_VERSION)
        if local:
            raise InvalidInput(merge_problems(local, _other_problems(raw, partial=True)))
        operations.update_person(session, user, person, raw, expected)
    except InvalidInput as exc:
        session.rollback()  # the page shows the stored file, not the refused values
        general = attach_problems(form, exc.problems, shown, ADDRESS_PROBLEM_FIELDS)
        return _person_page(form, shown, general, person, 400)
    except Conflict as exc:
        return _person_page(form, shown, [], person, 409, conflict=exc.message)
    flash("Dossier mis à jour.", "success")
    return _case_page(person)


def _person_page(
    form: PersonForm,
    shown: set[str],
    general: list[str],
    person: Person | None,
    status: int,
    conflict: str | None = None,
) -> tuple[str, int]:
    return render_template(
        "people_edit/person.html",
        form=form,
        person=person,
        identity="last_name" in shown,
        medical="benefits_before_ecrou" in shown,
        general=general,
        conflict=conflict,
        establishments=establishment_names(),
        establishment_label=establishment_name(person.establishment_code) if person else "",
    ), status


# The event, « Foyer et ressources » and « Partager » pages are registered on this blueprint by
# their own modules.
from cnpe_flow.people import event_views as _event_views  # noqa: E402, F401
from cnpe_flow.people import household_views as _household_views  # noqa: E402, F401
from cnpe_flow.people import share_views as _share_views  # noqa: E402, F401

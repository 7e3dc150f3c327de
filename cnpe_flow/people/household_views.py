"""The « Foyer et ressources » page of a file (``/personnes/<id>/foyer``).

Entered by the SPIP, the partner (for the files shared with them) and the administration; the
USMP reads it. Registered on the file-editing blueprint (``people_edit``). A refused form
answers 400 (409 for a stale version), so the request rolls back and nothing is written.
"""

from __future__ import annotations

import re
from typing import Any

from flask import flash, redirect, render_template, request, url_for

from cnpe_flow import db
from cnpe_flow.auth import access
from cnpe_flow.errors import Conflict, InvalidInput
from cnpe_flow.people.edit_views import bp
from cnpe_flow.people.forms import MISSING_VERSION, read_int, sentence
from cnpe_flow.people.household import (
    FIELD_LABELS,
    RELATION_LABELS,
    check_household,
    update_household,
)
from cnpe_flow.people.household_form import (
    HouseholdForm,
    MemberForm,
    form_field,
    household_form_data,
    household_input,
    posted_rows,
    stored_rows,
)
from cnpe_flow.people.models import Person
from cnpe_flow.people.page_rights import household_facts
from cnpe_flow.rules import Problem
from cnpe_flow.web.security import acting_user

_ROW_FIELD = re.compile(r"members-(\d+)-(birth_date|relation)")


@bp.route("/personnes/<int:person_id>/foyer", methods=["GET", "POST"])
def household(person_id: int) -> Any:
    """Household members, annual resources, RSA and presence in France."""
    user = acting_user()
    session = db.session()
    person = access.get_person(session, user, person_id)
    editable = access.can_edit_household(user)
    if request.method == "GET":
        form = HouseholdForm(data=household_form_data(person))
        return _page(person, form, stored_rows(person), editable, [], 200)
    access.check_can_edit_household(user)
    form = HouseholdForm()
    member_rows = posted_rows(request.form)
    raw, problems, rows = household_input(form, member_rows)
    expected = read_int(form.version.data)
    if expected is None:
        problems.append(MISSING_VERSION)
    try:
        if problems:
            # the checker's own messages too, on the fields the form did not already flag
            raise InvalidInput(_with_checked(problems, raw, rows))
        changed = update_household(session, user, person, raw, expected)
    except InvalidInput as exc:
        session.rollback()  # the page shows the stored file, not the refused values
        general = _attach(form, member_rows, exc.problems, rows)
        return _page(person, form, member_rows, editable, general, 400)
    except Conflict as exc:
        return _page(person, form, member_rows, editable, [], 409, exc.message)
    if changed:
        flash(
            "Foyer et ressources enregistrés ("
            + ", ".join(FIELD_LABELS[name] for name in changed)
            + ").",
            "success",
        )
    else:
        flash("Foyer et ressources : aucun changement.", "success")
    return redirect(url_for("people.case_page", person_id=person.id, _anchor="droits"), code=303)


def _with_checked(local: list[Problem], raw: Any, rows: dict[int, int]) -> list[Problem]:
    try:
        check_household(raw)
    except InvalidInput as exc:
        flagged = {p.field for p in local}
        return [*local, *(p for p in exc.problems if form_field(p.field, rows) not in flagged)]
    return local


def _attach(
    form: HouseholdForm,
    member_rows: list[MemberForm],
    problems: list[Problem],
    rows: dict[int, int],
) -> list[str]:
    """Each message next to its field (a member's next to its row); the others in the summary."""
    general: list[str] = []
    row_errors = False
    for problem in problems:
        message = sentence(problem.message)
        name = form_field(problem.field, rows)
        found = _ROW_FIELD.fullmatch(name)
        if found and int(found.group(1)) < len(member_rows):
            field = member_rows[int(found.group(1))][found.group(2)]
            row_errors = True
        elif name in ("lives_alone", "annual_resources", "rsa", "in_france_since"):
            field = form[name]
        else:
            if message not in general:
                general.append(message)
            continue
        if message not in field.errors:
            field.errors = [*field.errors, message]
    if row_errors:
        # said above the rows, and so the summary at the top points to the fields below
        form.members.errors = ["Corrigez les lignes signalées ci-dessous."]
    return general


def _page(
    person: Person,
    form: HouseholdForm,
    member_rows: list[MemberForm],
    editable: bool,
    general: list[str],
    status: int,
    conflict: str | None = None,
) -> tuple[str, int]:
    return render_template(
        "people_edit/household.html",
        person=person,
        form=form,
        member_rows=member_rows,
        editable=editable,
        facts=household_facts(person),
        general=general,
        conflict=conflict,
        relation_labels=RELATION_LABELS,
    ), status

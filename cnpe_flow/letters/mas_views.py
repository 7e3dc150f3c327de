"""The referral to the Mission accompagnement santé: its page and its API (REL-3, REL-5).

Registered on the ``letters`` blueprint (endpoints ``letters.mas_referral`` and
``letters.api_mas_consent``); every change goes through :mod:`cnpe_flow.letters.mas_operations`.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for

from cnpe_flow import db
from cnpe_flow.auth import access
from cnpe_flow.auth.models import User
from cnpe_flow.errors import Conflict, InvalidInput
from cnpe_flow.letters import mas_operations as mas
from cnpe_flow.letters.context import MAS_PROBLEMS
from cnpe_flow.letters.operations import (
    LetterUnavailable,
    applicable_kinds,
    latest_referral,
    unavailable_reason,
)
from cnpe_flow.letters.views import _person_url, bp
from cnpe_flow.people.evaluation import evaluate_person
from cnpe_flow.people.models import Person
from cnpe_flow.web.security import acting_user, api_error, csrf


@bp.route("/personnes/<int:person_id>/mas", methods=["GET", "POST"])
def mas_referral(person_id: int) -> Any:
    user = acting_user()
    session = db.session()
    person = access.get_person(session, user, person_id)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            _mas_action(user, person)
        except InvalidInput as exc:
            errors = {p.field: p.message for p in exc.problems}
            status = 400
        except Conflict as exc:  # changed meanwhile (another tab, a colleague): this page again
            errors, status = {"version": exc.message}, 409
        else:
            flash("Orientation vers la Mission accompagnement santé mise à jour.", "success")
            return redirect(url_for(".mas_referral", person_id=person.id))
    output = evaluate_person(session, person).output
    applies = "mas_referral" in applicable_kinds(output)
    referral = latest_referral(session, person.id)  # type: ignore[arg-type]
    return render_template(
        "letters/mas_referral.html",
        person=person,
        person_url=_person_url(person),
        applies=applies,
        reason=None if applies else unavailable_reason(output, person, "mas_referral"),
        referral=referral,
        task=mas.follow_up_task(session, referral) if referral else None,
        warnings=mas.follow_up_warnings(referral) if referral else [],
        problems=MAS_PROBLEMS,
        status_labels=mas.STATUS_LABELS,
        can_edit=access.can_refer_to_mas(user),
        errors=errors,
        form=request.form if status != 200 else {},
    ), status


def _mas_action(user: User, person: Person) -> None:
    session = db.session()
    form = request.form
    version = _int_or_none(form.get("version"))
    action = form.get("action")
    if action == "consent":
        mas.record_consent(session, user, person, form.get("consent_date"), version)
    elif action == "problems":
        mas.set_problems(session, user, person, form.getlist("problems"), version)
    elif action == "sent":
        mas.mark_sent(session, user, person, form.get("sent_on"), version)
    elif action == "answer":
        mas.record_answer(
            session,
            user,
            person,
            form.get("status", ""),
            form.get("answered_on"),
            form.get("refusal_reason"),
            version,
        )
    else:
        raise InvalidInput.one("action", "action inconnue")


def _int_or_none(raw: str | None) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        raise InvalidInput.one("version", "version invalide : rechargez la page") from None


@bp.post("/api/v1/people/<int:person_id>/mas-referral")
@csrf.exempt  # bearer token only, no cookie (as the ``api`` blueprint)
def api_mas_consent(person_id: int) -> Any:
    """REL-5: record the person's consent to the MAS referral (same rules as the page)."""
    user = acting_user()
    session = db.session()
    person = access.get_person(session, user, person_id)
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return api_error(400, 'un objet JSON est attendu : {"consent_date": "AAAA-MM-JJ"}')
    try:
        referral = mas.record_consent(
            session, user, person, body.get("consent_date"), body.get("version")
        )
    except LetterUnavailable as exc:
        return api_error(409, str(exc), "consent_date")
    return {
        "id": referral.id,
        "status": referral.status,
        "consent_date": referral.consent_date.isoformat() if referral.consent_date else None,
        "problems": list(referral.problems),
        "version": referral.version,
    }, 201

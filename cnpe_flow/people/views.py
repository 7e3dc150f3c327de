"""Read-side pages of a person's file: search, case page, task status, release preparation.

People are obtained only through :mod:`cnpe_flow.auth.access`; every evaluation shown is
redacted for the reader's role. Changes go through :mod:`cnpe_flow.people.operations`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from sqlmodel import Session

from cnpe_flow import db
from cnpe_flow.audit.models import AuditEvent
from cnpe_flow.audit.operations import record
from cnpe_flow.auth import access
from cnpe_flow.auth.models import User
from cnpe_flow.errors import Conflict, InvalidInput, NotFound
from cnpe_flow.people import task_operations
from cnpe_flow.people.models import Person, TaskStatus
from cnpe_flow.people.page_case import build_case_page, establishment_names
from cnpe_flow.people.page_labels import (
    BENEFIT_LABELS,
    MAS_STATUS_LABELS,
    OWNER_LABELS,
    RESIDENCE_LABELS,
    TASK_STATUS_LABELS,
)
from cnpe_flow.people.page_release import build_release_page
from cnpe_flow.people.page_search import SearchForm, establishment_choices
from cnpe_flow.people.search import search_people
from cnpe_flow.web.security import acting_user

bp = Blueprint("people", __name__)

_LABELS = {
    "owner_labels": OWNER_LABELS,
    "status_labels": TASK_STATUS_LABELS,
    "residence_labels": RESIDENCE_LABELS,
    "benefit_labels": BENEFIT_LABELS,
    "mas_labels": MAS_STATUS_LABELS,
}


def _audit_view(session: Session, user: User, person: Person) -> None:
    record(
        session,
        AuditEvent.PERSON_VIEWED,
        actor_id=user.id,
        person_id=person.id,
        route=request.endpoint,
    )


@bp.route("/personnes")
def search():  # type: ignore[no-untyped-def]
    """Search by name (accents and case ignored), écrou number, birth date, establishment."""
    user = acting_user()
    session = db.session()
    choices = establishment_choices(session, user)
    form = SearchForm.read(request.args, choices)
    result = None
    if not form.errors:
        result = search_people(
            session,
            user,
            form.criteria(),
            page=form.page,
            page_size=current_app.config["PAGE_SIZE"],
        )
        # The criteria used, never their values (a name or a birth date identifies someone).
        record(
            session,
            AuditEvent.PEOPLE_SEARCHED,
            actor_id=user.id,
            route=request.endpoint,
            details={"filters": form.filters_used(), "results": result.total},
        )
    html = render_template(
        "people/search.html",
        form=form,
        result=result,
        establishments=establishment_names(),
        establishment_choices=choices,
        chooses_establishment=access.chooses_establishment(user),
    )
    return html, 400 if form.errors else 200


def _render_case(
    session: Session, user: User, person: Person, failed: dict[str, Any] | None = None
) -> str:
    page = build_case_page(
        session,
        user,
        person,
        task_errors={failed["task_id"]: failed["message"]} if failed else None,
    )
    return render_template(
        "people/case.html",
        page=page,
        person=person,
        failed=failed,
        **_LABELS,
    )


@bp.route("/personnes/<int:person_id>", methods=["GET", "POST"])
def case_page(person_id: int):  # type: ignore[no-untyped-def]
    """Identity, situation, timeline, tasks with their reasons, and the event history.

    The task forms post here (field ``tache``), so that a refused change shows this same
    address with the message next to the task and what was typed kept."""
    return _page_with_tasks(person_id, "people.case_page", _render_case)


def _form_version(raw: str | None) -> int:
    try:
        return int(raw or "")
    except ValueError:
        raise InvalidInput.one(
            "version", "formulaire incomplet : rechargez la page puis recommencez"
        ) from None


def _form_task_id() -> int:
    """The task named by a compact task form (not typed by the user: unknown is not found)."""
    raw = request.form.get("tache", "")
    if not raw.isdigit():
        raise NotFound("tâche introuvable")
    return int(raw)


def _change_task(
    session: Session,
    user: User,
    person: Person,
    task_id: int,
    page: str,
    render: Callable[[Session, User, Person, dict[str, Any] | None], str],
) -> Any:
    """Apply one task form: on success back to ``page`` at the task; refused, that same page
    rendered by ``render`` with the message at the task (the address does not change)."""
    task = access.get_task(session, user, person, task_id)
    status = request.form.get("status", "")
    comment = request.form.get("comment", "")
    failed: dict[str, Any] = {"task_id": task.id, "status": status, "comment": comment}
    try:
        version = _form_version(request.form.get("version"))
        task_operations.set_task_status(session, user, person, task, status, comment, version)
    except InvalidInput as exc:
        failed["message"] = " ; ".join(p.message for p in exc.problems)
        return render(session, user, person, failed), 400
    except Conflict as exc:
        failed["message"] = exc.message
        return render(session, user, person, failed), 409
    flash(
        f"Tâche mise à jour : « {TASK_STATUS_LABELS[task.status]} »."
        if task.status != TaskStatus.OPEN
        else "Tâche rouverte.",
        "success",
    )
    target = url_for(page, person_id=person.id, _anchor=f"tache-{task.id}")
    return redirect(target, 303)


@bp.route("/personnes/<int:person_id>/taches/<int:task_id>", methods=["POST"])
def task_status(person_id: int, task_id: int):  # type: ignore[no-untyped-def]
    """Former address of the task forms, kept for bookmarked pages and scripts."""
    user = acting_user()
    session = db.session()
    person = access.get_person(session, user, person_id)
    return _change_task(session, user, person, task_id, "people.case_page", _render_case)


def _render_release(
    session: Session, user: User, person: Person, failed: dict[str, Any] | None = None
) -> str:
    page = build_release_page(session, user, person)
    if failed:
        for row in page.preparation + page.release_tasks:
            if row.task.id == failed["task_id"]:
                row.error = failed["message"]
    return render_template(
        "people/release.html", page=page, person=person, failed=failed, **_LABELS
    )


@bp.route("/personnes/<int:person_id>/sortie", methods=["GET", "POST"])
def prepare_release(person_id: int):  # type: ignore[no-untyped-def]
    """Everything due at release for this person, on one screen (its task forms post here)."""
    return _page_with_tasks(person_id, "people.prepare_release", _render_release)


def _page_with_tasks(
    person_id: int,
    endpoint: str,
    render: Callable[[Session, User, Person, dict[str, Any] | None], str],
) -> Any:
    """A person's page whose task forms post to its own address: shown (and its view
    audited), or a task changed then this page again (the message next to a refused task)."""
    user = acting_user()
    session = db.session()
    person = access.get_person(session, user, person_id)
    if request.method == "POST":
        return _change_task(session, user, person, _form_task_id(), endpoint, render)
    html = render(session, user, person, None)
    _audit_view(session, user, person)
    return html

"""The JSON API ``/api/v1`` (bearer tokens only; described by ``openapi.py``).

Route paths are fixed by the issue: outside tools rely on them (extend, never rename).
People are obtained only through :mod:`cnpe_flow.auth.access` and changed only through
:mod:`cnpe_flow.people.operations`; errors they raise become JSON in ``web/errors.py``.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, current_app, request, url_for
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from cnpe_flow import db
from cnpe_flow.api import inputs, openapi
from cnpe_flow.api.contract_schemas import EVENT_FIELDS
from cnpe_flow.api.schemas import (
    EVENT_EXTENSIONS,
    HOUSEHOLD_UPDATE,
    PERSON_INPUT,
    PERSON_PATCH,
    SHARE_INPUT,
    TASK_UPDATE,
    USER_INPUT,
)
from cnpe_flow.api.serializers import (
    event_json,
    history_json,
    person_summary,
    person_with_evaluation,
    share_json,
    task_json,
)
from cnpe_flow.audit.models import AuditEvent
from cnpe_flow.audit.operations import record
from cnpe_flow.auth import access
from cnpe_flow.auth.models import Role, User
from cnpe_flow.auth.operations import create_user as create_account
from cnpe_flow.errors import InvalidInput, NotFound
from cnpe_flow.imports.reading import FileRefused
from cnpe_flow.imports.roster import run_import
from cnpe_flow.imports.upload_limit import file_too_large, read_within_limit
from cnpe_flow.people import household as household_ops
from cnpe_flow.people import operations, task_operations
from cnpe_flow.people.evaluation import evaluate_person, load_history
from cnpe_flow.people.models import Person, Task
from cnpe_flow.people.search import Criteria
from cnpe_flow.people.search import search_people as search
from cnpe_flow.rules import CaseError, Problem
from cnpe_flow.rules import evaluate as evaluate_case
from cnpe_flow.rules.case import EVENT_TYPES
from cnpe_flow.web.security import acting_user, api_error

bp = Blueprint("api", __name__, url_prefix="/api/v1")

_PERSON_KEYS = frozenset(PERSON_INPUT["properties"])
_PERSON_PATCH_KEYS = frozenset(PERSON_PATCH["properties"])
_TASK_KEYS = frozenset(TASK_UPDATE["properties"])
_SHARE_KEYS = frozenset(SHARE_INPUT["properties"])
_HOUSEHOLD_KEYS = frozenset(HOUSEHOLD_UPDATE["properties"])
_EVENT_EXTENSION_KEYS = frozenset(EVENT_EXTENSIONS)
_USER_KEYS = frozenset(USER_INPUT["properties"])


def _json(body: Any, status: int = 200, **headers: str) -> Response:
    # Keys keep the engine's order (jsonify would sort them); text stays readable UTF-8.
    return Response(
        json.dumps(body, ensure_ascii=False),
        status=status,
        headers=headers,
        mimetype="application/json",
    )


def _person(person_id: int) -> tuple[User, Person]:
    user = acting_user()
    person = access.get_person(db.session(), user, inputs.path_id(person_id, "personne"))
    return user, person


def _viewed(user: User, person: Person) -> None:
    record(db.session(), AuditEvent.PERSON_VIEWED, actor_id=user.id, person_id=person.id)


@bp.get("/openapi.json")
def openapi_json() -> Response:
    return _json(openapi.document())


@bp.post("/evaluate")
def evaluate() -> Response:
    """The contract, stateless: the same answer and the same messages as the command line."""
    case = inputs.json_body()
    try:
        return _json(evaluate_case(case))
    except CaseError as exc:
        raise InvalidInput(exc.problems) from None


@bp.get("/people")
def search_people() -> Response:
    user = acting_user()
    q, ecrou = inputs.query_text("q"), inputs.query_text("ecrou", limit=40)
    birth_date, page = inputs.query_date("birth_date"), inputs.query_page()
    per_page = current_app.config["PAGE_SIZE"]
    session = db.session()
    criteria = Criteria(name=q, ecrou=ecrou, birth_date=birth_date)
    result = search(session, user, criteria, page=page, page_size=per_page, clamp=False)
    # The audit says which criteria were used, not their values (a name, a NIR typed by mistake).
    filters = [name for name, v in (("q", q), ("ecrou", ecrou), ("birth_date", birth_date)) if v]
    details = {"filters": filters, "page": page, "results": result.total}
    record(session, AuditEvent.PEOPLE_SEARCHED, actor_id=user.id, details=details)
    return _json(
        {
            "items": [person_summary(p) for p in result.people],
            "page": page,
            "per_page": per_page,
            "total": result.total,
            "pages": result.pages,
        }
    )


@bp.post("/people")
def create_person() -> Response:
    user = acting_user()
    body = inputs.json_object(_PERSON_KEYS)
    session = db.session()
    household, problems = _checked_household(body.pop("household", None))
    try:
        person = operations.create_person(session, user, body)
    except InvalidInput as exc:
        raise InvalidInput([*exc.problems, *problems]) from None  # every problem at once
    if problems:
        raise InvalidInput(problems)
    household_ops.store_new_household(session, user, person, household)
    shown = person_with_evaluation(
        evaluate_person(session, person), medical=access.can_see_medical(user)
    )
    return _json(shown, 201, Location=url_for("api.get_person", person_id=person.id))


@bp.get("/people/<int:person_id>")
def get_person(person_id: int) -> Response:
    user, person = _person(person_id)
    session = db.session()
    _viewed(user, person)
    return _json(
        person_with_evaluation(
            evaluate_person(session, person), medical=access.can_see_medical(user)
        )
    )


@bp.patch("/people/<int:person_id>")
def patch_person(person_id: int) -> Response:
    """Change some fields of a file (identity, situation, release address, medical benefits),
    with the version last read: the operation and its rules are those of the forms."""
    user, person = _person(person_id)
    body = inputs.json_object(_PERSON_PATCH_KEYS)
    if "version" not in body:
        raise InvalidInput.one("version", "la version du dossier lue (entier) est obligatoire")
    version = inputs.optional_int(body, "version", "la version du dossier (entier) est attendue")
    body.pop("version")
    if not body:
        raise InvalidInput.one("body", "aucun champ à modifier")
    session = db.session()
    operations.update_person(session, user, person, body, version)
    return _json(
        person_with_evaluation(
            evaluate_person(session, person), medical=access.can_see_medical(user)
        )
    )


def _checked_household(raw: Any) -> tuple[dict[str, Any] | None, list[Problem]]:
    try:
        return household_ops.check_household(raw), []
    except InvalidInput as exc:
        return None, exc.problems


@bp.put("/people/<int:person_id>/household")
def update_household(person_id: int) -> Response:
    """Replace the household and resources (SPIP, partner, admin); the case is re-evaluated."""
    user, person = _person(person_id)
    access.check_can_edit_household(user)
    body = inputs.json_object(_HOUSEHOLD_KEYS)
    if "household" not in body:
        raise InvalidInput.one(
            "household", "champ obligatoire : le foyer (objet), ou null s'il n'est pas connu"
        )
    version = inputs.optional_int(body, "version", "la version du dossier (entier) est attendue")
    session = db.session()
    household_ops.update_household(session, user, person, body["household"], version)
    return _json(
        person_with_evaluation(
            evaluate_person(session, person), medical=access.can_see_medical(user)
        )
    )


@bp.get("/people/<int:person_id>/events")
def list_events(person_id: int) -> Response:
    user, person = _person(person_id)
    _viewed(user, person)
    history = load_history(db.session(), person.id)  # type: ignore[arg-type]
    return _json(history_json(history, medical=access.can_see_medical(user)))


def _event_body() -> tuple[dict[str, Any], dict[str, Any]]:
    """The contract event and the extension fields, each unknown key refused by name."""
    body = inputs.json_object()
    extensions = {k: v for k, v in body.items() if k in _EVENT_EXTENSION_KEYS}
    event = {k: v for k, v in body.items() if k not in _EVENT_EXTENSION_KEYS}
    kind = event.get("type")
    if isinstance(kind, str) and kind in EVENT_TYPES:
        inputs.check_known_keys(
            event, {"type", "date", *EVENT_FIELDS.get(kind, {}), *_EVENT_EXTENSION_KEYS}
        )
    return event, extensions


@bp.post("/people/<int:person_id>/events")
def add_event(person_id: int) -> Response:
    user, person = _person(person_id)
    event, extra = _event_body()
    supersedes = inputs.optional_int(
        extra, "supersedes", "identifiant (entier) de l'événement à corriger attendu"
    )
    withdraw = inputs.optional_bool(extra, "withdraw")
    comment = inputs.optional_text(extra, "comment", 1000)
    version = inputs.optional_int(extra, "version", "la version du dossier (entier) est attendue")
    session = db.session()
    stored = operations.add_event(
        session,
        user,
        person,
        event,
        expected_version=version,
        supersedes_id=supersedes,
        withdraw=withdraw,
        comment=comment,
    )
    medical = access.can_see_medical(user)
    return _json(
        {
            "event": event_json(stored, medical=medical),
            "person": person_with_evaluation(evaluate_person(session, person), medical=medical),
        },
        201,
    )


@bp.get("/people/<int:person_id>/tasks")
def list_tasks(person_id: int) -> Response:
    user, person = _person(person_id)
    _viewed(user, person)
    tasks = (
        db.session()
        .exec(
            select(Task)
            .where(Task.person_id == person.id, Task.obsolete.is_(False))
            .order_by(Task.due, Task.id)
        )
        .scalars()
    )
    medical = access.can_see_medical(user)
    return _json([task_json(t, medical=medical) for t in tasks])


@bp.post("/people/<int:person_id>/tasks/<int:task_id>")
def update_task(person_id: int, task_id: int) -> Response:
    user, person = _person(person_id)
    session = db.session()
    task = access.get_task(session, user, person, inputs.path_id(task_id, "tâche"))
    if task.obsolete:
        raise NotFound("tâche introuvable")
    body = inputs.json_object(_TASK_KEYS)
    status = body.get("status")
    if not isinstance(status, str):
        raise InvalidInput.one("status", "champ obligatoire : done, not_applicable ou open")
    comment = inputs.optional_text(body, "comment", 1000)
    version = inputs.optional_int(body, "version", "la version du dossier (entier) est attendue")
    task_operations.set_task_status(session, user, person, task, status, comment, version)
    return _json(
        {"task": task_json(task, medical=access.can_see_medical(user)), "version": person.version}
    )


def _partner_id(value: Any) -> int | None:
    """The id of the partner account named by id or user name (``None`` if there is none)."""
    if type(value) is int:
        return value if 1 <= value <= inputs.MAX_ID else None
    if isinstance(value, str) and value.strip():
        return (
            db.session()
            .execute(
                select(User.id).where(User.username == value.strip(), User.role == Role.PARTNER)
            )
            .scalar_one_or_none()
        )
    return None


@bp.post("/people/<int:person_id>/share")
def share_person(person_id: int) -> Response:
    user, person = _person(person_id)
    access.check_can_share(user)
    body = inputs.json_object(_SHARE_KEYS)
    consent = body.get("consent_date")
    if consent is not None and inputs.iso_date(consent) is None:
        raise InvalidInput.one("consent_date", "date du consentement attendue (AAAA-MM-JJ)")
    note = inputs.optional_text(body, "note", 500)
    session = db.session()
    share = operations.share_person(
        session, user, person, _partner_id(body.get("partner")), consent, note
    )
    partner = session.get(User, share.partner_id)
    assert partner is not None
    return _json(share_json(share, partner), 201)


@bp.post("/users")
def create_user() -> Response:
    """An account, as ``cnpe-flow create-user`` makes it (administrators only)."""
    actor = acting_user()
    access.check_admin(actor)
    body = inputs.json_object(_USER_KEYS)
    texts = {}
    for name in ("name", "role", "password"):
        value = body.get(name)
        if not isinstance(value, str):
            raise InvalidInput.one(name, "un texte est attendu")
        texts[name] = value
    user = create_account(
        db.session(),
        texts["name"],
        texts["role"],
        texts["password"],
        email=inputs.optional_text(body, "email", 254),
        establishment=inputs.optional_text(body, "establishment", 200),
        actor_id=actor.id,
        organisation=inputs.optional_text(body, "organisation", 120),
    )
    return _json(
        {
            "id": user.id,
            "username": user.username,
            "role": user.role,
            "establishment": user.establishment_code,
            "organisation": user.organisation,
        },
        201,
    )


@bp.post("/imports")
def create_import() -> Response:
    """A roster file (multipart ``file``; ``dry_run`` true writes nothing): the import's report."""
    user = acting_user()
    access.check_can_import(user)
    try:
        sent = request.files.get("file")
    except RequestEntityTooLarge:  # the body, above the cap: refused unread
        return api_error(413, file_too_large(), "file")
    if sent is None:
        raise InvalidInput.one("file", "champ obligatoire : le fichier (multipart/form-data)")
    dry_run = (request.form.get("dry_run") or "false").strip().lower()
    if dry_run not in ("true", "false", "1", "0"):
        raise InvalidInput.one("dry_run", "true ou false attendu")
    data = read_within_limit(sent)
    if data is None:
        return api_error(413, file_too_large(), "file")
    try:
        report = run_import(
            db.session(),
            user,
            sent.filename or "liste",
            data,
            dry_run=dry_run in ("true", "1"),
            max_rows=current_app.config["IMPORT_MAX_ROWS"],
        )
    except FileRefused as exc:
        raise InvalidInput.one("file", str(exc)) from None
    return _json(report.as_json(), 200 if report.dry_run else 201)

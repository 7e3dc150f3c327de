"""Letter pages (list, generate, download) and the letters API.

Pages: ``/personnes/<id>/courriers`` (which letters apply, stored versions, generate and
download); the MAS referral (``/personnes/<id>/mas``) is in :mod:`cnpe_flow.letters.mas_views`.
API (bearer token only, under ``/api/v1``): ``/api/v1/people/<id>/letters/<kind>.pdf`` and
``/api/v1/people/<id>/packet.pdf``; a letter that does not apply is a 404 JSON naming the
field ``kind`` with the reason.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from sqlmodel import Session
from werkzeug.routing import BuildError

from cnpe_flow import db
from cnpe_flow.auth import access
from cnpe_flow.auth.models import User
from cnpe_flow.errors import Forbidden
from cnpe_flow.letters import sender
from cnpe_flow.letters.kinds import (
    PACKET,
    PACKET_INSTITUTIONS,
    PACKET_KINDS,
    kind_title,
    letter_kinds,
)
from cnpe_flow.letters.models import Letter
from cnpe_flow.letters.operations import (
    NO_CONSENT_YET,
    LetterNotYet,
    LetterUnavailable,
    applicable_kinds,
    download_name,
    generate_letter,
    generate_packet_copies,
    get_letter,
    latest_referral,
    letter_parts,
    record_view,
    stored_letters,
    unavailable_reason,
)
from cnpe_flow.people.evaluation import evaluate_person
from cnpe_flow.people.models import Person
from cnpe_flow.people.visibility import redact_evaluation
from cnpe_flow.web.security import acting_user, api_error

bp = Blueprint("letters", __name__)

#: the packet form's id and fragment, also sent in its field ``depuis``
PACKET_FORM = "dossier-de-sortie"


@bp.record_once
def _check_sender(state: BlueprintSetupState) -> None:
    # Fail at start-up, not on the first letter, when the return address is unusable.
    sender.register(state.app)


def _person_url(person: Person) -> str:
    """The person's page (owned by the people module), or the people list before it exists."""
    try:
        return url_for("people.case_page", person_id=person.id)
    except BuildError:
        return url_for("people.search")


def _pdf(letter: Letter, person: Person) -> Response:
    response = Response(letter.pdf, mimetype="application/pdf")
    name = download_name(letter, person)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# ---------------------------------------------------------------------------- pages


@bp.route("/personnes/<int:person_id>/courriers", methods=["GET", "POST"])
def person_letters(person_id: int) -> Any:
    """Which letters apply, their stored versions; the « Générer » buttons post here (field
    ``kind``), so a refusal shows this page again with the reason next to the button."""
    user = acting_user()
    session = db.session()
    person = access.get_person(session, user, person_id)
    if request.method == "POST":
        return _generate(session, user, person)
    return _letters_page(session, user, person)


def _letters_page(
    session: Session, user: User, person: Person, refused: dict[str, str] | None = None
) -> Any:
    """The page; ``refused``: the kind whose generation was refused and why (then 400)."""
    output = redact_evaluation(
        evaluate_person(session, person).output, medical=access.can_see_medical(user)
    )
    allowed = access.letter_kinds_for(user)
    stored = stored_letters(session, user, person)
    latest: dict[str, Letter] = {}
    for letter in stored:
        latest.setdefault(letter.kind, letter)
    kinds = letter_kinds()
    referral = latest_referral(session, person.id)  # type: ignore[arg-type]
    consent = referral is not None and referral.consent_date is not None
    listed = {x["kind"]: x for x in output["letters"]}
    applicable = [
        {
            "kind": kind,
            "title": kinds[kind].title,
            "to_person": kinds[kind].to_person,
            "rules": listed[kind]["rules"],
            "provisional": listed[kind].get("provisional", False),
            "latest": latest.get(kind),
            # REL-5: the referral letter waits for the person's consent
            "waiting": NO_CONSENT_YET if kind == "mas_referral" and not consent else None,
        }
        for kind in applicable_kinds(output)
        if kind in allowed
    ]
    # the buttons on the page: the packet's with the list of letters
    buttons = {x["kind"] for x in applicable} | ({PACKET} if applicable else set())
    if refused and refused["kind"] not in buttons:
        # its button is gone, or the kind was forged: the message where the page lands, by the
        # packet form when it was sent from there (its fragment), else above the list
        packet_form = refused.get("from") == PACKET_FORM and PACKET in buttons
        refused = {**refused, "kind": PACKET if packet_form else ""}
    provisional = any(x["provisional"] for x in applicable)
    planned = output["stays"][-1].get("planned_release") if output["stays"] else None
    mas_applies = "mas_referral" in applicable_kinds(output)
    return render_template(
        "letters/person_letters.html",
        person=person,
        person_url=_person_url(person),
        applicable=applicable,
        stored=[
            {
                "letter": x,
                "title": kind_title(x.kind),
                "parts": [kind_title(k) for k in letter_parts(x)] if x.kind in PACKET_KINDS else [],
                "provisional": _provisional(x),
            }
            for x in stored
        ],
        packets=[
            {"letter": latest[k], "title": kind_title(k)}
            for k in (PACKET, PACKET_INSTITUTIONS)
            if k in latest
        ],
        provisional=provisional,
        planned_release=planned,
        unavailable=None if applicable else unavailable_reason(output, person, "release_summary"),
        warnings=_warnings(output, latest),
        mas_applies=mas_applies,
        mas_reason=None if mas_applies else unavailable_reason(output, person, "mas_referral"),
        PACKET=PACKET,
        refused=refused or {},
    ), 400 if refused else 200


def _warnings(output: dict[str, Any], latest: dict[str, Letter]) -> list[dict[str, str]]:
    """The engine's warnings, then those the latest letters were built with (a stale
    parameter they print, ``letters/parameters.py``), named after the letter."""
    shown = list(output.get("warnings", []))
    for letter in latest.values():
        for w in letter.context.get("warnings", []):
            shown.append({**w, "message": f"{kind_title(letter.kind)} : {w['message']}"})
    return shown


def _provisional(letter: Letter) -> bool:
    if letter.kind in PACKET_KINDS:
        return bool((letter.context.get("cover") or {}).get("provisional"))
    return bool(letter.context.get("provisional"))


@bp.post("/personnes/<int:person_id>/courriers/generer")
def generate(person_id: int) -> Any:
    """Former address of the « Générer » buttons, kept for bookmarked pages and scripts."""
    user = acting_user()
    session = db.session()
    person = access.get_person(session, user, person_id)
    return _generate(session, user, person)


def _generate(session: Session, user: User, person: Person) -> Any:
    kind = request.form.get("kind", "")
    before = {x.id for x in stored_letters(session, user, person)}
    try:
        if kind == PACKET:
            made = list(generate_packet_copies(session, user, person).values())
        else:
            made = [generate_letter(session, user, person, kind)]
    except LetterUnavailable as exc:
        reason = str(exc)
        message = f"{reason[:1].upper()}{reason[1:]}."
        sent_from = request.form.get("depuis", "")
        return _letters_page(
            session, user, person, {"kind": kind, "message": message, "from": sent_from}
        )
    for letter in made:
        if letter.id in before:
            flash(
                f"{kind_title(letter.kind)} : rien n'a changé, la version {letter.version} est "
                "à jour.",
                "info",
            )
        else:
            flash(f"{kind_title(letter.kind)} : version {letter.version} générée.", "success")
    skipped = made[0].context.get("skipped", []) if kind == PACKET else []
    for item in skipped:
        flash(f"Non inclus : {kind_title(item['kind'])} — {item['reason']}.", "error")
    # to the messages at the top (else the browser keeps the form's fragment, further down)
    return redirect(url_for(".person_letters", person_id=person.id, _anchor="contenu"))


@bp.get("/personnes/<int:person_id>/courriers/<int:letter_id>.pdf")
def download(person_id: int, letter_id: int) -> Any:
    user = acting_user()
    session = db.session()
    person = access.get_person(session, user, person_id)
    letter = get_letter(session, user, person, letter_id)
    record_view(session, user, letter)
    return _pdf(letter, person)


# ---------------------------------------------------------------------------- API


@bp.get("/api/v1/people/<int:person_id>/letters/<kind>.pdf")
def api_letter(person_id: int, kind: str) -> Any:
    user = acting_user()
    session = db.session()
    person = access.get_person(session, user, person_id)
    try:
        letter = generate_letter(session, user, person, kind)
    except LetterNotYet as exc:
        return api_error(409, str(exc), "kind")
    except LetterUnavailable as exc:
        return api_error(404, str(exc), "kind")
    except Forbidden as exc:
        # "Not found" for the roles that may not get it: a medical letter must not be told
        # apart from one that does not apply.
        return api_error(404, str(exc), "kind")
    record_view(session, user, letter)
    return _pdf(letter, person)


@bp.get("/api/v1/people/<int:person_id>/packet.pdf")
def api_packet(person_id: int) -> Any:
    user = acting_user()
    session = db.session()
    person = access.get_person(session, user, person_id)
    # ``copy``: the person's copy (default) or the institutions' copy (issue 9)
    copies = {"person": PACKET, "institutions": PACKET_INSTITUTIONS}
    copy = request.args.get("copy", "person")
    if copy not in copies:
        return api_error(400, "exemplaire inconnu : « person » ou « institutions »", "copy")
    try:
        packet = generate_packet_copies(session, user, person)
    except LetterUnavailable as exc:
        return api_error(404, str(exc), "kind")
    letter = packet.get(copies[copy])
    if letter is None:
        reason = (
            "aucun courrier n'est adressé à la personne : pas d'exemplaire pour elle"
            if copy == "person"
            else "aucun courrier à envoyer à un organisme"
        )
        return api_error(404, reason, "copy")
    record_view(session, user, letter)
    return _pdf(letter, person)


# The MAS referral page and its API are registered on this blueprint by their own module.
from cnpe_flow.letters import mas_views as _mas_views  # noqa: E402, F401

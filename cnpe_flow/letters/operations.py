"""Generating, keeping and serving letters.

Each letter is stored with its date, the plain context it was made from, its template version
and the SHA-256 of its PDF. Generating again from the same context and template returns the
stored letter (same document, same checksum, no new version); a changed situation gives a new
version and older ones are kept. Which letters apply comes only from the rules engine
(``output["letters"]``).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer
from sqlmodel import Session

from cnpe_flow.audit.models import AuditEvent
from cnpe_flow.audit.operations import record
from cnpe_flow.auth import access
from cnpe_flow.auth.models import User
from cnpe_flow.clock import today_paris
from cnpe_flow.errors import Conflict, NotFound
from cnpe_flow.letters.context import LetterSource, NotAddressable, build_context
from cnpe_flow.letters.kinds import (
    NOT_APPLICABLE,
    PACKET,
    PACKET_VERSION,
    letter_kinds,
)
from cnpe_flow.letters.models import Letter, MasReferral
from cnpe_flow.letters.packet import packet_contexts
from cnpe_flow.letters.reading import (  # noqa: F401 (re-exported for the views)
    can_read,
    download_name,
    get_letter,
    letter_parts,
    record_view,
    stored_letters,
)
from cnpe_flow.letters.render import renderer
from cnpe_flow.letters.sender import letter_sender
from cnpe_flow.people.evaluation import Evaluation, case_for, evaluate_person
from cnpe_flow.people.models import Person
from cnpe_flow.rules import CaseError, evaluate


class LetterUnavailable(NotFound):
    """This letter cannot be produced for this person; the message says why (field ``kind``)."""


class LetterNotYet(LetterUnavailable):
    """The letter applies but a step comes first (the person's consent, REL-5): API 409."""


#: REL-5: the MAS referral letter exists only once the person's consent is recorded
NO_CONSENT_YET = (
    "le consentement de la personne à l'orientation vers la Mission accompagnement santé "
    "n'est pas encore enregistré : recueillez-le d'abord (page « Orientation MAS »), le "
    "courrier n'existe qu'après (REL-5)"
)


def applicable_kinds(output: dict[str, Any]) -> list[str]:
    """The letter kinds the engine lists for this evaluation, in its order."""
    return [x["kind"] for x in output["letters"]]


def unavailable_reason(output: dict[str, Any], person: Person, kind: str) -> str:
    """Why the engine does not list ``kind`` for this person, in French (with the rule ID)."""
    kinds = set(applicable_kinds(output))
    released = "release_summary" in kinds
    meta = letter_kinds().get(kind)
    if meta is not None and meta.for_release and not released:
        stay = output["stays"][-1] if output["stays"] else None
        if stay and stay["levee"] is None and stay.get("planned_release"):
            return (
                "la date de sortie prévue n'est plus la dernière étape enregistrée (un "
                "aménagement ou un transfert a suivi) : enregistrez la nouvelle date de sortie "
                "prévue pour préparer les courriers"
            )
        return (
            "ce courrier se prépare pour la sortie : ni date de sortie prévue ni levée d'écrou "
            "ne sont enregistrées ; enregistrez la date de sortie prévue pour obtenir les "
            "courriers prévisionnels"
        )
    if kind == "cpam_transfer":
        if "ame_filing_guide" in kinds:
            return "pas de transmission à la CPAM : la personne relève de l'AME à sa sortie (AFF-8)"
        if person.residence_postcode is None:
            return (
                "pas de transmission à la CPAM : la personne n'a pas donné d'adresse à "
                "l'établissement, elle doit aller elle-même à sa CPAM (AFF-6)"
            )
    return meta.not_applicable if meta is not None else NOT_APPLICABLE


def counsellor_of(user: User | None) -> dict[str, Any] | None:
    """Who prepared the letters, from the user's profile (« Mon profil »); the account name
    when no full name is given. None for the scheduler."""
    if user is None:
        return None
    return {
        "name": (user.full_name or "").strip() or user.username,
        "service": (user.service or "").strip() or None,
        "phone": (user.phone or "").strip() or None,
    }


def projected_output(person: Person, evaluation: Evaluation) -> dict[str, Any] | None:
    """Before a planned release: the engine's output for a levée on that date (what the
    provisional letters say), or None when no letter is provisional."""
    if not any(x.get("provisional") for x in evaluation.output["letters"]):
        return None
    planned = evaluation.output["stays"][-1]["planned_release"]
    case = case_for(person, evaluation.effective)
    case["as_of"] = max(case["as_of"], planned)
    case["events"].append({"type": "levee_ecrou", "date": planned})
    try:
        return evaluate(case)
    except CaseError:
        return None  # the builders then date the letters from the planned release itself


def letter_source(
    session: Session, person: Person, evaluation: Evaluation, actor: User | None = None
) -> LetterSource:
    """The plain values letters of this person are made from (no ORM object leaves here)."""
    referral = latest_referral(session, person.id)  # type: ignore[arg-type]
    return LetterSource(
        person={
            "last_name": person.last_name,
            "first_name": person.first_name,
            "birth_date": person.birth_date.isoformat(),
            "nir": person.nir,
            "ecrou_number": person.ecrou_number,
            "residence_postcode": person.residence_postcode,
            "release_address": person.release_address,
        },
        output=evaluation.output,
        events=[e.contract_event() for e in evaluation.effective],
        sender=letter_sender(),
        mas=(
            {
                "problems": list(referral.problems),
                "consent_date": referral.consent_date.isoformat()
                if referral.consent_date
                else None,
            }
            if referral is not None
            else None
        ),
        counsellor=counsellor_of(actor),
        projected=projected_output(person, evaluation),
    )


def latest_referral(session: Session, person_id: int) -> MasReferral | None:
    return session.exec(
        select(MasReferral)
        .where(MasReferral.person_id == person_id)
        .order_by(MasReferral.id.desc())  # type: ignore[union-attr]
        .limit(1)
    ).scalar_one_or_none()


def generate_letter(session: Session, actor: User | None, person: Person, kind: str) -> Letter:
    """The current version of one letter of this person, generated if the data changed.

    Raises :class:`LetterUnavailable` (unknown kind, not listed by the engine, or no address
    in our reference data) and :class:`Forbidden` when the actor's role may not get it.
    ``actor`` None is the scheduler.
    """
    if kind not in letter_kinds():
        raise LetterUnavailable(f"type de courrier inconnu « {kind} »")
    access.check_can_generate_letter(actor, kind)
    evaluation = evaluate_person(session, person)
    source = letter_source(session, person, evaluation, actor)
    return _current_letter(session, actor, person, kind, source)


def generate_packet(
    session: Session, actor: User | None, person: Person, copy: str = PACKET
) -> Letter:
    """The release packet of this reader's audience: both copies are generated (or reused),
    the one asked for is returned (``packet``: the person's copy, ``packet_institutions``)."""
    return generate_packet_copies(session, actor, person)[copy]


def generate_packet_copies(
    session: Session, actor: User | None, person: Person
) -> dict[str, Letter]:
    """The two documents of the release packet for the actor's audience (issue 9):

    - ``packet``, the person's copy: the cover page « Vos démarches santé à la sortie » and the
      letters addressed to the person;
    - ``packet_institutions``: the letters the counsellor sends (CPAM, CNPE, Mission
      accompagnement santé) and an annex for professionals with the rules and sources.

    Each letter is generated or reused first; each copy is one document (pages numbered
    through it). The medical letter is never in a packet: it goes under confidential cover.
    A partner's packet is stored with audience ``partner`` and never replaces the ``full``
    packet SPIP, USMP and admin see. ``actor`` None is the scheduler (audience ``full``).
    Letters that cannot be made yet are left out and listed in the context (``skipped``).
    """
    evaluation = evaluate_person(session, person)
    audience = access.packet_audience(actor)
    allowed = access.letter_kinds_for(actor)
    # the medical letter goes under confidential cover, never in a packet
    kinds = [
        k
        for k in applicable_kinds(evaluation.output)
        if k in allowed and not letter_kinds()[k].medical
    ]
    source = letter_source(session, person, evaluation, actor)
    parts: list[Letter] = []
    skipped: list[dict[str, str]] = []
    for kind in kinds:
        try:
            parts.append(_current_letter(session, actor, person, kind, source))
        except LetterUnavailable as exc:
            skipped.append({"kind": kind, "reason": str(exc)})
    if not parts:
        raise LetterUnavailable("aucun courrier ne s'applique encore à cette personne")
    letter_date = today_paris()
    copies = packet_contexts(source, [(p.kind, p.context) for p in parts], skipped)
    result: dict[str, Letter] = {}
    for copy, (cover, members) in copies.items():
        chosen = [p for p in parts if p.kind in members]
        context = {
            "audience": audience,
            "letters": [
                {"kind": p.kind, "version": p.version, "letter_id": p.id, "sha256": p.sha256}
                for p in chosen
            ],
            "skipped": skipped,
            "cover": cover,
        }
        latest = next(iter(_versions(session, person.id, copy, audience=audience)), None)  # type: ignore[arg-type]
        if latest is not None and latest.context == json.loads(json.dumps(context)):
            result[copy] = latest
            continue
        pdf = renderer().packet_pdf(
            copy, cover, [(p.kind, p.context, p.letter_date) for p in chosen], letter_date
        )
        numbered = _versions(session, person.id, copy)  # type: ignore[arg-type]
        result[copy] = _store(
            session,
            actor,
            person,
            copy,
            version=numbered[0].version + 1 if numbered else 1,
            context=context,
            template_version=PACKET_VERSION,
            pdf=pdf,
            letter_date=letter_date,
            audience=audience,
        )
    return result


def _current_letter(
    session: Session, actor: User | None, person: Person, kind: str, source: LetterSource
) -> Letter:
    if kind not in applicable_kinds(source.output):
        raise LetterUnavailable(unavailable_reason(source.output, person, kind))
    if kind == "mas_referral" and not (source.mas or {}).get("consent_date"):
        raise LetterNotYet(NO_CONSENT_YET)
    try:
        context = build_context(kind, source)
    except NotAddressable as exc:
        raise LetterUnavailable(str(exc)) from None
    # Stored as JSON: compare what will be read back (tuples become lists …).
    context = json.loads(json.dumps(context))
    template_version = letter_kinds()[kind].template_version
    versions = _versions(session, person.id, kind)  # type: ignore[arg-type]
    latest = versions[0] if versions else None
    if latest and latest.context == context and latest.template_version == template_version:
        return latest
    letter_date = today_paris()
    return _store(
        session,
        actor,
        person,
        kind,
        version=latest.version + 1 if latest else 1,
        context=context,
        template_version=template_version,
        pdf=renderer().pdf(kind, context, letter_date),
        letter_date=letter_date,
    )


def _store(
    session: Session,
    actor: User | None,
    person: Person,
    kind: str,
    *,
    version: int,
    context: dict[str, Any],
    template_version: str,
    pdf: bytes,
    letter_date: Any,
    audience: str | None = None,
) -> Letter:
    letter = Letter(
        person_id=person.id,  # type: ignore[arg-type]
        kind=kind,
        version=version,
        audience=audience,
        letter_date=letter_date,
        context=context,
        template_version=template_version,
        sha256=hashlib.sha256(pdf).hexdigest(),
        pdf=pdf,
        created_by=actor.id if actor else None,
    )
    session.add(letter)
    try:
        session.flush()
    except IntegrityError:
        # Someone stored the same version meanwhile; the request rolls back.
        raise Conflict(
            "Ce courrier vient d'être généré par quelqu'un d'autre. Rechargez la page."
        ) from None
    record(
        session,
        AuditEvent.LETTER_GENERATED,
        actor_id=actor.id if actor else None,
        person_id=person.id,
        details={"letter_id": letter.id, "kind": kind, "version": version, "sha256": letter.sha256},
    )
    return letter


def _versions(
    session: Session, person_id: int, kind: str, *, audience: str | None = None
) -> list[Letter]:
    """Stored versions of one kind (of one packet audience), newest first (PDF bytes loaded
    only when read)."""
    query = (
        select(Letter)
        .options(defer(Letter.pdf))  # type: ignore[arg-type]
        .where(Letter.person_id == person_id, Letter.kind == kind)
        .order_by(Letter.version.desc())  # type: ignore[attr-defined]
    )
    if audience is not None:
        query = query.where(Letter.audience == audience)
    return list(session.exec(query).scalars())

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
from cnpe_flow.auth.models import User
from cnpe_flow.clock import today_paris
from cnpe_flow.errors import Conflict, NotFound
from cnpe_flow.letters.context import LetterSource, NotAddressable, build_context
from cnpe_flow.letters.kinds import (
    PACKET,
    PACKET_VERSION,
    allowed_kinds,
    check_can_get,
    kind_title,
    letter_kinds,
)
from cnpe_flow.letters.models import Letter, MasReferral
from cnpe_flow.letters.render import merge_pdfs, renderer
from cnpe_flow.letters.sender import letter_sender
from cnpe_flow.people.evaluation import Evaluation, evaluate_person
from cnpe_flow.people.models import Person

AFTER_RELEASE = frozenset({"release_summary", "cpam_transfer", "mas_referral", "ame_filing_guide"})


class LetterUnavailable(NotFound):
    """This letter cannot be produced for this person; the message says why (field ``kind``)."""


def applicable_kinds(output: dict[str, Any]) -> list[str]:
    """The letter kinds the engine lists for this evaluation, in its order."""
    return [x["kind"] for x in output["letters"]]


def unavailable_reason(output: dict[str, Any], person: Person, kind: str) -> str:
    """Why the engine does not list ``kind`` for this person, in French (with the rule ID)."""
    kinds = set(applicable_kinds(output))
    released = "release_summary" in kinds
    if kind in AFTER_RELEASE and not released:
        return "ce courrier se prépare à la levée d'écrou : aucune levée d'écrou n'est enregistrée"
    if kind == "mas_referral":
        return (
            "pas d'orientation vers la Mission accompagnement santé : elle ne reçoit que les "
            "assurés, et cette personne relève de l'AME à sa sortie (REL-4)"
        )
    if kind == "cpam_transfer":
        if "ame_filing_guide" in kinds:
            return "pas de transmission à la CPAM : la personne relève de l'AME à sa sortie (AFF-8)"
        if person.residence_postcode is None:
            return (
                "pas de transmission à la CPAM : la personne n'a pas donné d'adresse à "
                "l'établissement, elle doit aller elle-même à sa CPAM (AFF-6)"
            )
    if kind == "ame_filing_guide":
        return "pas de guide AME : la personne est assurée à sa sortie (AME-1, AFF-6)"
    if kind == "cnpe_amenagement":
        return "aucun aménagement de peine n'est enregistré (AFF-11)"
    if kind == "ald_renewal":
        return "aucune affection de longue durée n'est enregistrée (ALD-2)"
    return "ce courrier ne s'applique pas à la situation enregistrée"


def letter_source(session: Session, person: Person, evaluation: Evaluation) -> LetterSource:
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
    check_can_get(actor, kind)
    evaluation = evaluate_person(session, person)
    source = letter_source(session, person, evaluation)
    return _current_letter(session, actor, person, kind, source)


def generate_packet(session: Session, actor: User | None, person: Person) -> Letter:
    """Every applicable letter this actor may get, in one PDF (kind ``packet``).

    Each letter is generated or reused first, so the packet holds exactly the stored
    versions; the same letters give the same packet. ``actor`` None is the scheduler
    (release-day packet): every letter but the medical one. Letters that cannot be addressed
    from our reference data are left out and listed in the packet's context (``skipped``).
    """
    evaluation = evaluate_person(session, person)
    allowed = allowed_kinds(actor)
    kinds = [k for k in applicable_kinds(evaluation.output) if k in allowed]
    source = letter_source(session, person, evaluation)
    parts: list[Letter] = []
    skipped: list[dict[str, str]] = []
    for kind in kinds:
        try:
            parts.append(_current_letter(session, actor, person, kind, source))
        except LetterUnavailable as exc:
            skipped.append({"kind": kind, "reason": str(exc)})
    if not parts:
        raise LetterUnavailable("aucun courrier ne s'applique encore à cette personne")
    context = {
        "letters": [
            {"kind": p.kind, "version": p.version, "letter_id": p.id, "sha256": p.sha256}
            for p in parts
        ],
        "skipped": skipped,
    }
    packets = _versions(session, person.id, PACKET)  # type: ignore[arg-type]
    same_reader = [p for p in packets if set(letter_parts(p)) == {x.kind for x in parts}]
    if same_reader and same_reader[0].context == context:
        return same_reader[0]
    letter_date = today_paris()
    pdf = merge_pdfs([p.pdf for p in parts], letter_date, kind_title(PACKET))
    return _store(
        session,
        actor,
        person,
        PACKET,
        version=packets[0].version + 1 if packets else 1,
        context=context,
        template_version=PACKET_VERSION,
        pdf=pdf,
        letter_date=letter_date,
    )


def _current_letter(
    session: Session, actor: User | None, person: Person, kind: str, source: LetterSource
) -> Letter:
    if kind not in applicable_kinds(source.output):
        raise LetterUnavailable(unavailable_reason(source.output, person, kind))
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
) -> Letter:
    letter = Letter(
        person_id=person.id,  # type: ignore[arg-type]
        kind=kind,
        version=version,
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


def _versions(session: Session, person_id: int, kind: str) -> list[Letter]:
    """Stored versions of one kind, newest first (PDF bytes loaded only when read)."""
    return list(
        session.exec(
            select(Letter)
            .options(defer(Letter.pdf))  # type: ignore[arg-type]
            .where(Letter.person_id == person_id, Letter.kind == kind)
            .order_by(Letter.version.desc())  # type: ignore[attr-defined]
        ).scalars()
    )


def letter_parts(letter: Letter) -> list[str]:
    """The letter kinds a stored row holds (several for a packet)."""
    if letter.kind == PACKET:
        return [p["kind"] for p in letter.context.get("letters", [])]
    return [letter.kind]


def can_read(user: User, letter: Letter) -> bool:
    return set(letter_parts(letter)) <= allowed_kinds(user)


def stored_letters(session: Session, user: User, person: Person) -> list[Letter]:
    """Every stored letter of this person the user may read, newest first."""
    rows = session.exec(
        select(Letter)
        .options(defer(Letter.pdf))  # type: ignore[arg-type]
        .where(Letter.person_id == person.id)
        .order_by(Letter.created_at.desc(), Letter.id.desc())  # type: ignore[attr-defined,union-attr]
    ).scalars()
    return [x for x in rows if can_read(user, x)]


def get_letter(session: Session, user: User, person: Person, letter_id: int) -> Letter:
    """A stored letter of a person already obtained through the access gate.

    Not found (never "forbidden") when it is not this person's or the user may not read every
    letter it holds: an id must not reveal that a medical letter exists.
    """
    letter = session.get(Letter, letter_id)
    if letter is None or letter.person_id != person.id or not can_read(user, letter):
        raise NotFound("courrier introuvable")
    return letter


def record_view(session: Session, user: User, letter: Letter) -> None:
    """Audit that this user downloaded (read) this letter."""
    record(
        session,
        AuditEvent.LETTER_VIEWED,
        actor_id=user.id,
        person_id=letter.person_id,
        details={"letter_id": letter.id, "kind": letter.kind, "version": letter.version},
    )


def download_name(letter: Letter) -> str:
    """A file name that names the kind and version (never the person)."""
    return f"courrier-{letter.kind.replace('_', '-')}-v{letter.version}.pdf"

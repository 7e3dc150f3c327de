"""What changes a person's file: identity, events (and their corrections), shares with partners.

Operations flush and audit; the caller commits. Closing tasks is ``task_operations.py``; what
is stored from the engine's output after each change, ``derived.py``.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from cnpe_flow.audit.models import AuditEvent
from cnpe_flow.audit.operations import record
from cnpe_flow.auth import access
from cnpe_flow.auth.models import User
from cnpe_flow.clock import now_utc
from cnpe_flow.errors import Conflict, InvalidInput, NotFound
from cnpe_flow.locking import bump_version
from cnpe_flow.people.derived import refresh_derived, store_derived
from cnpe_flow.people.evaluation import (
    effective_events,
    evaluate_events,
    load_history,
)
from cnpe_flow.people.event_input import name_new, read_event, refuse_future_levee
from cnpe_flow.people.models import CustodyEvent, Person, Share
from cnpe_flow.people.transfers import hand_over
from cnpe_flow.people.validation import read_person
from cnpe_flow.rules import Problem

#: person fields that are medical (only USMP and admin change or read them)
MEDICAL_PERSON_FIELDS = frozenset({"benefits_before_ecrou"})


def fold(text: str, limit: int = 220) -> str:
    """Lower case without accents, for search (cut to the column's size: NFKD can lengthen)."""
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(folded.split())[:limit]


def _bump_version(session: Session, person: Person, expected_version: int | None) -> None:
    bump_version(session, person, expected_version, Conflict())


def create_person(session: Session, actor: User, raw: dict[str, Any]) -> Person:
    """A new file. SPIP users create people of their own establishment."""
    access.check_can_create_person(actor)
    fields = read_person(raw)
    if fields.get("benefits_before_ecrou") and not access.can_see_medical(actor):
        raise InvalidInput.one(
            "benefits_before_ecrou", "les prestations médicales sont saisies par l'USMP"
        )
    if not access.works_anywhere(actor):
        fields["establishment_code"] = fields.get("establishment_code") or actor.establishment_code
        if fields["establishment_code"] != actor.establishment_code:
            raise InvalidInput.one(
                "establishment", "vous ne pouvez créer que des dossiers de votre établissement"
            )
    person = Person(
        **fields,
        search_name=fold(f"{fields['last_name']} {fields['first_name']}"),
        created_by=actor.id,
    )
    session.add(person)
    session.flush()
    record(
        session,
        AuditEvent.PERSON_CREATED,
        actor_id=actor.id,
        person_id=person.id,
        details={"fields": _loggable(fields)},
    )
    return person


def _loggable(fields: dict[str, Any]) -> dict[str, Any]:
    """Values safe for the audit log: the NIR and medical fields are only said to change."""
    out: dict[str, Any] = {}
    for k, v in fields.items():
        if k in ("nir", "release_address") or k in MEDICAL_PERSON_FIELDS:
            out[k] = "(modifié)"  # said to change, never copied into the log
        else:
            out[k] = v.isoformat() if isinstance(v, date) else v
    return out


def update_person(
    session: Session, actor: User, person: Person, raw: dict[str, Any], expected_version: int | None
) -> Person:
    """Change identity or situation fields; the version must match the one the user saw."""
    fields = read_person(raw, partial=True)
    medical = MEDICAL_PERSON_FIELDS & fields.keys()
    if medical:
        access.check_can_edit_medical(actor)
    if fields.keys() - MEDICAL_PERSON_FIELDS:
        access.check_can_edit_identity(actor)
    if (
        "establishment_code" in fields
        and not access.works_anywhere(actor)
        and fields["establishment_code"] != actor.establishment_code
    ):
        raise InvalidInput.one(
            "establishment",
            "un changement d'établissement pendant l'écrou s'enregistre comme un événement "
            "« Transfert vers un autre établissement »",
        )
    address = fields.get("release_address", person.release_address)
    if address and fields.get("residence_postcode", address["postcode"]) != address["postcode"]:
        raise InvalidInput.one(
            "residence_postcode",
            f"le code postal suit l'adresse de sortie ({address['postcode']}) : modifiez l'adresse",
        )
    changed = {k: v for k, v in fields.items() if getattr(person, k) != v}
    _bump_version(session, person, expected_version)
    if not changed:
        return person
    old = {k: getattr(person, k) for k in changed}
    for k, v in changed.items():
        setattr(person, k, v)
    person.search_name = fold(f"{person.last_name} {person.first_name}")
    _check_still_valid(session, person)
    session.flush()
    record(
        session,
        AuditEvent.PERSON_UPDATED,
        actor_id=actor.id,
        person_id=person.id,
        details={"old": _loggable(old), "new": _loggable(changed)},
    )
    refresh_derived(session, person)
    return person


def _check_still_valid(session: Session, person: Person) -> None:
    evaluate_events(person, effective_events(load_history(session, person.id)))  # type: ignore[arg-type]


def reason_problems(comment: str | None, *, supersedes: bool, withdraw: bool) -> list[Problem]:
    """A correction and a withdrawal say why (the history shows it to whoever reads the file
    later); a new event's comment is optional. At most 1000 characters, as a task's comment
    (never cut silently)."""
    if len((comment or "").strip()) > 1000:
        return [Problem("comment", "1000 caractères au plus")]
    if (comment or "").strip():
        return []
    if withdraw:
        return [Problem("comment", "expliquez pourquoi l'événement est retiré (obligatoire)")]
    if supersedes:
        return [Problem("comment", "expliquez la correction (obligatoire)")]
    return []


def add_event(
    session: Session,
    actor: User,
    person: Person,
    raw: Any,
    *,
    expected_version: int | None = None,
    supersedes_id: int | None = None,
    withdraw: bool = False,
    comment: str | None = None,
) -> CustodyEvent:
    """Append one contract event (or a correction of an earlier one) after the engine accepts it.

    Events are never changed: a correction is a new event that supersedes the old one, and a
    withdrawal is a correction with no replacement. The whole case is re-evaluated first, so
    an event that makes the case invalid (levée before écrou …) is refused with the engine's
    messages and nothing is written. A correction or a withdrawal needs a ``comment``.
    """
    missing = reason_problems(comment, supersedes=supersedes_id is not None, withdraw=withdraw)
    if missing:
        raise InvalidInput(missing)
    history = load_history(session, person.id)  # type: ignore[arg-type]
    superseded = None
    if supersedes_id is not None:
        superseded = next((e for e in effective_events(history) if e.id == supersedes_id), None)
        if superseded is None:
            raise InvalidInput.one("supersedes", "événement à corriger introuvable ou déjà corrigé")
    if withdraw:
        if superseded is None:
            raise InvalidInput.one("supersedes", "indiquez l'événement à retirer")
        event = CustodyEvent(
            person_id=person.id,
            type=superseded.type,
            date=superseded.date,
            data=dict(superseded.data),
            supersedes_id=superseded.id,
            withdrawn=True,
        )
    else:
        event = read_event(raw)
        refuse_future_levee(event)
    access.check_can_add_event(actor, event.type)
    if superseded is not None:
        access.check_can_add_event(actor, superseded.type)
    event.supersedes_id = supersedes_id
    event.comment = (comment or "").strip()[:1000] or None
    remaining = [e for e in effective_events(history) if e is not superseded]
    trial = remaining if withdraw else [*remaining, event]
    output = evaluate_events(person, trial, new_index=None if withdraw else len(trial) - 1)
    _bump_version(session, person, expected_version)
    # ``trial`` is the effective list in stored order (the new event has the highest id).
    _write_events(session, actor, person, [event], trial, output, corrected=superseded is not None)
    return event


def add_events(
    session: Session,
    actor: User,
    person: Person,
    raws: list[Any],
    *,
    names: list[str] | None = None,
    import_id: int | None = None,
    history: list[CustodyEvent] | None = None,
    new_file: bool = False,
) -> list[CustodyEvent]:
    """Append several new events at once (a roster row's écrou, planned release and levée).

    The same checks as :func:`add_event` for each, but the case is evaluated and the tasks
    synchronised once for all of them. A problem about the i-th new event is named
    ``names[i]`` (its ``establishment`` stays ``establishment``); nothing is written then.
    ``history``: the person's stored events when the caller has just read them (an import).
    ``new_file``: the person was created in this same transaction, so nobody can hold an
    older version of the file: the version is not bumped (two statements fewer per row).
    """
    events = [read_event(raw) for raw in raws]
    for event in events:
        access.check_can_add_event(actor, event.type)
    if history is None:
        history = load_history(session, person.id)  # type: ignore[arg-type]
    remaining = effective_events(history)
    trial = [*remaining, *events]
    try:
        output = evaluate_events(person, trial)
    except InvalidInput as exc:
        raise InvalidInput(
            [name_new(p, len(remaining), names or []) for p in exc.problems]
        ) from None
    if not new_file:
        _bump_version(session, person, None)
    for event in events:
        event.import_id = import_id
    # a file created in this transaction gets its first tasks from its first events
    _write_events(
        session, actor, person, events, trial, output, first_file=new_file and not remaining
    )
    return events


def _write_events(
    session: Session,
    actor: User,
    person: Person,
    events: list[CustodyEvent],
    trial: list[CustodyEvent],
    output: Any,
    *,
    corrected: bool = False,
    first_file: bool = False,
) -> None:
    """Store new events the engine accepted, with what follows from them: one audit entry
    each, the derived rights and tasks, and the hand-over when the file changed establishment
    (a transfer, or a correction that moves the custody elsewhere)."""
    old_code = person.establishment_code
    for event in events:
        event.person_id = person.id  # type: ignore[assignment]
        event.created_by = actor.id
        session.add(event)
    session.flush()
    for event in events:
        record(
            session,
            AuditEvent.EVENT_ADDED,
            actor_id=actor.id,
            person_id=person.id,
            details={
                "event_id": event.id,
                "type": event.type,
                "date": event.date.isoformat(),
                "supersedes": event.supersedes_id,
                "withdrawn": bool(event.withdrawn),
            },
        )
    store_derived(session, person, trial, output, new_file=first_file)
    moved = old_code is not None and person.establishment_code != old_code
    if moved and (corrected or any(e.type == "transfer" for e in events)):
        # the file now belongs to another establishment: audit, hand-over task, notifications
        hand_over(session, actor, person, old_code, trial)  # type: ignore[arg-type]


def share_person(
    session: Session,
    actor: User,
    person: Person,
    partner_id: Any,
    consent_date: Any,
    note: str | None = None,
) -> Share:
    """Share a person with a partner user, recording who shared, when and the person's consent."""
    access.check_can_share(actor)
    problems = []
    partner = session.get(User, partner_id) if isinstance(partner_id, int) else None
    if partner is None or not access.is_partner(partner) or not partner.active:
        problems.append(("partner", "choisissez un compte partenaire actif"))
    consent: date | None = None
    if isinstance(consent_date, date):
        consent = consent_date
    elif isinstance(consent_date, str):
        try:
            consent = date.fromisoformat(consent_date)
        except ValueError:
            consent = None
    if consent is None:
        problems.append(
            ("consent_date", "date du consentement de la personne obligatoire (AAAA-MM-JJ)")
        )
    elif consent > now_utc().date():
        problems.append(("consent_date", "le consentement ne peut pas être daté dans le futur"))
    if problems:
        raise InvalidInput([Problem(f, m) for f, m in problems])
    existing = session.exec(
        select(Share).where(
            Share.person_id == person.id, Share.partner_id == partner.id, Share.revoked_at.is_(None)
        )  # type: ignore[union-attr]
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    share = Share(
        person_id=person.id,
        partner_id=partner.id,
        shared_by=actor.id,
        consent_date=consent,
        consent_note=(note or "").strip()[:500] or None,
    )  # type: ignore[arg-type]
    session.add(share)
    session.flush()
    record(
        session,
        AuditEvent.PERSON_SHARED,
        actor_id=actor.id,
        person_id=person.id,
        details={"partner_id": partner.id, "consent_date": consent.isoformat()},
    )  # type: ignore[union-attr]
    return share


def revoke_share(session: Session, actor: User, person: Person, share_id: int) -> Share:
    access.check_can_share(actor)
    share = session.get(Share, share_id)
    if share is None or share.person_id != person.id or share.revoked_at is not None:
        raise NotFound("partage introuvable")
    share.revoked_at = now_utc()
    session.flush()
    record(
        session,
        AuditEvent.SHARE_REVOKED,
        actor_id=actor.id,
        person_id=person.id,
        details={"partner_id": share.partner_id},
    )
    return share

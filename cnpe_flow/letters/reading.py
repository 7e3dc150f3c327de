"""Stored letters as a reader gets them: which ones a user may read, one by id (audited),
and the French download name. Generating letters is :mod:`cnpe_flow.letters.operations`.
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import defer
from sqlmodel import Session

from cnpe_flow.audit.models import AuditEvent
from cnpe_flow.audit.operations import record
from cnpe_flow.auth import access
from cnpe_flow.auth.models import User
from cnpe_flow.errors import NotFound
from cnpe_flow.letters.kinds import (
    PACKET_KINDS,
    file_stem,
)
from cnpe_flow.letters.models import Letter
from cnpe_flow.people.models import Person


def letter_parts(letter: Letter) -> list[str]:
    """The letter kinds a stored row holds (several for a packet)."""
    if letter.kind in PACKET_KINDS:
        return [p["kind"] for p in letter.context.get("letters", [])]
    return [letter.kind]


def can_read(user: User, letter: Letter) -> bool:
    return set(letter_parts(letter)) <= access.letter_kinds_for(user)


def stored_letters(session: Session, user: User, person: Person) -> list[Letter]:
    """Every stored letter of this person the user may read, newest first."""
    rows = session.exec(
        select(Letter)
        .options(defer(Letter.pdf))  # type: ignore[arg-type]
        .where(Letter.person_id == person.id)
        .order_by(Letter.created_at.desc(), Letter.id.desc())  # type: ignore[attr-defined,union-attr]
    ).scalars()
    # Each packet audience sees its own packets (a partner's never hides the full one).
    audience = access.packet_audience(user)
    return [
        x
        for x in rows
        if can_read(user, x) and (x.kind not in PACKET_KINDS or x.audience in (None, audience))
    ]


def get_letter(session: Session, user: User, person: Person, letter_id: int) -> Letter:
    """A stored letter of a person already obtained through the access gate.

    Not found (never "forbidden") when it is not this person's or the user may not read every
    letter it holds: an id must not reveal that a medical letter exists.
    """
    letter = access.stored(session, Letter, letter_id)
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


def download_name(letter: Letter, person: Person) -> str:
    """``recapitulatif-sortie-MARTIN-Karim-2026-12-20.pdf``: the letter in French, the person's
    name and the letter's date, ASCII only (safe in a Content-Disposition header)."""
    name = f"{_ascii(person.last_name).upper()}-{_ascii(person.first_name)}"
    provisional = "-previsionnel" if _is_provisional(letter) else ""
    return f"{file_stem(letter.kind)}{provisional}-{name}-{letter.letter_date.isoformat()}.pdf"


def _is_provisional(letter: Letter) -> bool:
    if letter.kind in PACKET_KINDS:
        return bool((letter.context.get("cover") or {}).get("provisional"))
    return bool(letter.context.get("provisional"))


def _ascii(text: str) -> str:
    """« Émilie-Rose N'Diaye » → ``Emilie-Rose-N-Diaye``."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "-", folded).strip("-") or "personne"

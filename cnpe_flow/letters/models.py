"""Generated letters (kept, versioned) and MAS referrals (tracked handovers)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from cnpe_flow.clock import now_utc
from cnpe_flow.db import JsonType, UtcDateTime, empty_list


class Letter(SQLModel, table=True):
    """One version of one letter for one person. Never overwritten: a new situation, a new row."""

    __tablename__ = "letters"
    __table_args__ = (
        UniqueConstraint("person_id", "kind", "version", name="uq_letters_person_kind_version"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="people.id", index=True)
    #: a contract letter kind (release_summary, cpam_transfer …) or "packet"
    kind: str = Field(max_length=40)
    version: int = 1
    #: for a packet, whose copy it is: ``full`` (SPIP, USMP, admin), ``partner``, ``person``
    #: or ``institutions`` … (each audience sees its own latest); None for a single letter
    audience: str | None = Field(default=None, max_length=20)
    #: the letter's date as printed
    letter_date: date
    #: the plain values the letter was rendered from
    context: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JsonType, nullable=False)
    )
    template_version: str = Field(max_length=40)
    #: SHA-256 of the PDF
    sha256: str = Field(max_length=64)
    pdf: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_by: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(
        default_factory=now_utc, sa_column=Column(UtcDateTime, nullable=False)
    )


class MasStatus:
    TO_SEND = "to_send"
    SENT = "sent"
    ACKNOWLEDGED = "acknowledged"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    ALL = (TO_SEND, SENT, ACKNOWLEDGED, ACCEPTED, REFUSED)


class MasReferral(SQLModel, table=True):
    """A referral to the CPAM's Mission accompagnement santé (REL-3, REL-5)."""

    __tablename__ = "mas_referrals"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="people.id", index=True)
    status: str = Field(default=MasStatus.TO_SEND, max_length=16)
    #: the five entry problems of the saisine that were ticked
    problems: list[str] = Field(
        default_factory=empty_list, sa_column=Column(JsonType, nullable=False)
    )
    #: REL-5: consent is recorded before anything is sent
    consent_date: date | None = None
    consent_recorded_by: int | None = Field(default=None, foreign_key="users.id")
    sent_on: date | None = None
    answered_on: date | None = None
    refusal_reason: str | None = Field(default=None, max_length=1000)
    referrer_id: int | None = Field(default=None, foreign_key="users.id")
    version: int = 1
    created_at: datetime = Field(
        default_factory=now_utc, sa_column=Column(UtcDateTime, nullable=False)
    )
    updated_at: datetime = Field(
        default_factory=now_utc, sa_column=Column(UtcDateTime, nullable=False)
    )

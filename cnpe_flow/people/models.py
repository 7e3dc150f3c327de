"""People, their custody events (append-only), their tasks and who they are shared with."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from cnpe_flow.clock import now_utc
from cnpe_flow.db import JsonType, UtcDateTime, empty_list


class Person(SQLModel, table=True):
    __tablename__ = "people"
    __table_args__ = (
        Index("ix_people_establishment_release", "establishment_code", "planned_release"),
    )

    id: int | None = Field(default=None, primary_key=True)
    last_name: str = Field(max_length=100)
    first_name: str = Field(max_length=100)
    #: "nom prénom" folded (lower case, no accents), for search
    search_name: str = Field(max_length=220, index=True)
    birth_date: date = Field(index=True)
    #: NIR (15 characters with its key) or NIA; validated on input, never logged
    nir: str | None = Field(default=None, max_length=15)
    ecrou_number: str | None = Field(default=None, max_length=40, index=True)
    #: the establishment of the last écrou (reference code): decides which services see the person
    establishment_code: str | None = Field(default=None, max_length=80, index=True)
    # --- the contract's ``person`` fields
    residence_status: str = Field(max_length=16)
    carte_vitale: bool
    residence_postcode: str | None = Field(default=None, max_length=5)
    #: any of ij, ald, atmp_rente, invalidity_pension (medical: USMP and admin only)
    benefits_before_ecrou: list[str] = Field(
        default_factory=empty_list, sa_column=Column(JsonType, nullable=False)
    )
    #: the contract's ``person.household`` (members, annual resources, RSA, presence in France),
    #: entered by the SPIP or the support worker when known; None = nothing known
    household: dict[str, Any] | None = Field(
        default=None, sa_column=Column(JsonType, nullable=True)
    )
    #: where the person will live or receive mail after release (issue 9): ``kind`` personal |
    #: hosted | domiciliation, ``care_of``, ``lines`` (1 to 3), ``postcode``, ``city``;
    #: None = no address yet (AFF-6: the person goes to the CPAM themselves)
    release_address: dict[str, Any] | None = Field(
        default=None, sa_column=Column(JsonType, nullable=True)
    )
    # --- derived from the events at each change, for the dashboard's indexed queries
    #: expected release date while the person is in custody
    planned_release: date | None = Field(default=None, index=True)
    #: date of the last levée d'écrou when the person is out
    released_on: date | None = Field(default=None, index=True)
    #: optimistic lock: every change increments it; a stale form gets a clear message
    version: int = 1
    created_by: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(
        default_factory=now_utc, sa_column=Column(UtcDateTime, nullable=False)
    )
    updated_at: datetime = Field(
        default_factory=now_utc, sa_column=Column(UtcDateTime, nullable=False)
    )

    @property
    def display_name(self) -> str:
        return f"{self.last_name.upper()} {self.first_name}"


class CustodyEvent(SQLModel, table=True):
    """One contract event. Never updated: a correction is a new row that supersedes this one."""

    __tablename__ = "custody_events"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="people.id", index=True)
    #: the contract's event type (ecrou, amenagement, levee_ecrou …)
    type: str = Field(max_length=40)
    date: date
    #: the other fields of the contract event (establishment, measure, activity …)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JsonType, nullable=False))
    #: the event this one corrects (it no longer counts)
    supersedes_id: int | None = Field(default=None, foreign_key="custody_events.id", index=True)
    #: a correction that only withdraws the superseded event
    withdrawn: bool = False
    comment: str | None = Field(default=None, max_length=1000)
    created_by: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(
        default_factory=now_utc, sa_column=Column(UtcDateTime, nullable=False)
    )
    #: the roster import that recorded it (None: typed in a form or sent to the API)
    import_id: int | None = Field(default=None, foreign_key="roster_imports.id", index=True)

    def contract_event(self) -> dict[str, Any]:
        return {"type": self.type, "date": self.date.isoformat(), **self.data}


class TaskStatus:
    OPEN = "open"
    DONE = "done"
    NOT_APPLICABLE = "not_applicable"
    ALL = (OPEN, DONE, NOT_APPLICABLE)


class Task(SQLModel, table=True):
    """A task the engine produced, kept so that its status and history survive re-evaluation."""

    __tablename__ = "tasks"
    __table_args__ = (
        UniqueConstraint("person_id", "key", name="uq_tasks_person_key"),
        Index("ix_tasks_status_due", "status", "due"),
        Index("ix_tasks_owner_status_due", "owner", "status", "due"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="people.id", index=True)
    #: kind, due date and triggering event: stable across re-evaluations
    key: str = Field(max_length=120)
    kind: str = Field(max_length=60)
    owner: str = Field(max_length=16)
    medical: bool = False
    due: date
    rules: list[str] = Field(default_factory=empty_list, sa_column=Column(JsonType, nullable=False))
    #: the custody event that triggered it
    event_id: int | None = Field(default=None, foreign_key="custody_events.id")
    #: open | done | not_applicable
    status: str = Field(default=TaskStatus.OPEN, max_length=16)
    comment: str | None = Field(default=None, max_length=1000)
    closed_by: int | None = Field(default=None, foreign_key="users.id")
    closed_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    #: the engine no longer produces it (an event was corrected); kept for history
    obsolete: bool = False


class Share(SQLModel, table=True):
    """A person shared with a partner user, with the person's consent."""

    __tablename__ = "shares"
    __table_args__ = (Index("ix_shares_partner_person", "partner_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="people.id", index=True)
    partner_id: int = Field(foreign_key="users.id")
    shared_by: int = Field(foreign_key="users.id")
    shared_at: datetime = Field(
        default_factory=now_utc, sa_column=Column(UtcDateTime, nullable=False)
    )
    #: the day the person agreed to the sharing
    consent_date: date
    consent_note: str | None = Field(default=None, max_length=500)
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))

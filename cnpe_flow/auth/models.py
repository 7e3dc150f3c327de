"""Accounts, API tokens and login attempts."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Index
from sqlmodel import Field, SQLModel

from cnpe_flow.clock import now_utc
from cnpe_flow.db import UtcDateTime


class Role(StrEnum):
    SPIP = "spip"
    USMP = "usmp"
    PARTNER = "partner"
    ADMIN = "admin"


ROLE_LABELS = {
    Role.SPIP: "SPIP",
    Role.USMP: "USMP (unité sanitaire)",
    Role.PARTNER: "Partenaire (accompagnement à la sortie)",
    Role.ADMIN: "Administration",
}


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    #: login name, unique
    username: str = Field(max_length=80, unique=True, index=True)
    email: str | None = Field(default=None, max_length=254)
    #: shown in the sender block of the letters this user prepares (editable by the user)
    full_name: str | None = Field(default=None, max_length=120)
    service: str | None = Field(default=None, max_length=120)
    phone: str | None = Field(default=None, max_length=30)
    #: one of :class:`Role`
    role: str = Field(max_length=16)
    #: a partner's organisation (« Association Relais Santé »), shown instead of the login
    #: wherever a file is shared with them
    organisation: str | None = Field(default=None, max_length=120)
    #: the establishment whose people a SPIP or USMP user follows (reference code)
    establishment_code: str | None = Field(default=None, max_length=80, index=True)
    #: argon2 hash, never the password
    password_hash: str = Field(max_length=255)
    active: bool = True
    #: secret of the personal ICS feed URL (a capability: whoever has the URL reads the feed)
    calendar_token: str | None = Field(default=None, max_length=64, unique=True)
    #: incremented to end every session of the account at once (logout, password change,
    #: deactivation, « déconnecter partout »); a session cookie carries the value it was opened
    #: with and is refused once it differs
    session_generation: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    created_at: datetime = Field(
        default_factory=now_utc, sa_column=Column(UtcDateTime, nullable=False)
    )

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def shown_name(self) -> str:
        """The organisation, with the login in brackets (the login alone when none is set)."""
        return f"{self.organisation} ({self.username})" if self.organisation else self.username


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    #: SHA-256 of the token: the token itself is shown once and never stored
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(
        default_factory=now_utc, sa_column=Column(UtcDateTime, nullable=False)
    )
    last_used_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    #: the token stops working at this instant (None: tokens made before expiry existed)
    expires_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    #: revoked by its user or an administrator: refused from then on, kept for the record
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)


class LoginAttempt(SQLModel, table=True):
    """Failed and successful logins, for the rate limit shared by every web worker."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_username_at", "username", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=80)
    remote_addr: str = Field(max_length=64, index=True)
    success: bool
    at: datetime = Field(default_factory=now_utc, sa_column=Column(UtcDateTime, nullable=False))

"""One row per roster import that was applied (dry runs and previews leave no trace)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from cnpe_flow.clock import now_utc
from cnpe_flow.db import UtcDateTime


class RosterImport(SQLModel, table=True):
    """Who imported which file, when, and what it did; events it made point here."""

    __tablename__ = "roster_imports"

    id: int | None = Field(default=None, primary_key=True)
    imported_at: datetime = Field(
        default_factory=now_utc, sa_column=Column(UtcDateTime, nullable=False)
    )
    actor_id: int = Field(foreign_key="users.id", index=True)
    #: the file's name as uploaded (a label only: never opened again)
    filename: str = Field(max_length=255)
    #: SHA-256 of the file's bytes, hexadecimal: tells two uploads of the same file apart
    sha256: str = Field(max_length=64)
    rows: int = 0
    created: int = 0
    modified: int = 0
    unchanged: int = 0
    refused: int = 0

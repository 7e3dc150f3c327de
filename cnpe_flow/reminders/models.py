"""Notifications (one row per user, task and reason: the exactly-once record) and the lease
that keeps a second scheduler from sweeping at the same time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from cnpe_flow.clock import now_utc
from cnpe_flow.db import UtcDateTime


class Notification(SQLModel, table=True):
    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("user_id", "task_id", "reason", name="uq_notifications_user_task_reason"),
        Index("ix_notifications_email_status", "email_status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    task_id: int = Field(foreign_key="tasks.id", index=True)
    #: due_soon | overdue | mas_follow_up …
    reason: str = Field(max_length=32)
    message: str = Field(max_length=500)
    created_at: datetime = Field(
        default_factory=now_utc, sa_column=Column(UtcDateTime, nullable=False)
    )
    read_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    #: pending | sent | skipped (no e-mail address) | failed
    email_status: str = Field(default="pending", max_length=16)
    emailed_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))


class SchedulerLease(SQLModel, table=True):
    """Held by the one scheduler allowed to run jobs; renewed while it lives."""

    __tablename__ = "scheduler_lease"

    name: str = Field(primary_key=True, max_length=40)
    holder: str = Field(max_length=120)
    expires_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))

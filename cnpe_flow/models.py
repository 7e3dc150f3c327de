"""Every table, imported in one place (Alembic and ``create_app`` import this module)."""

from cnpe_flow.audit.models import AuditEntry, AuditEvent
from cnpe_flow.auth.models import ApiToken, LoginAttempt, Role, User
from cnpe_flow.imports.models import RosterImport
from cnpe_flow.letters.models import Letter, MasReferral, MasStatus
from cnpe_flow.people.models import CustodyEvent, Person, Share, Task, TaskStatus
from cnpe_flow.reminders.models import Notification, SchedulerLease

__all__ = [
    "ApiToken",
    "AuditEntry",
    "AuditEvent",
    "CustodyEvent",
    "Letter",
    "LoginAttempt",
    "MasReferral",
    "MasStatus",
    "Notification",
    "Person",
    "Role",
    "RosterImport",
    "SchedulerLease",
    "Share",
    "Task",
    "TaskStatus",
    "User",
]

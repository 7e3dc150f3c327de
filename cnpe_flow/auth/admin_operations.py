"""Account changes made by an administrator (role, establishment, e-mail, activation, password)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from cnpe_flow.audit.models import AuditEvent
from cnpe_flow.audit.operations import record
from cnpe_flow.auth import access
from cnpe_flow.auth.models import Role, User
from cnpe_flow.auth.operations import account_problems
from cnpe_flow.auth.passwords import hash_password
from cnpe_flow.auth.sessions import end_sessions
from cnpe_flow.errors import InvalidInput
from cnpe_flow.rules import Problem


def update_user(
    session: Session,
    actor: User,
    user: User,
    *,
    role: str,
    establishment: str | None,
    email: str | None,
    active: bool,
    password: str | None = None,
    organisation: str | None = None,
) -> dict[str, Any]:
    """Change an account; returns the audited ``{"old": …, "new": …}`` (empty when unchanged).

    An administrator cannot deactivate their own account nor give up their own role, so that
    the application always keeps someone able to administer it. A new password is checked and
    hashed; the audit log only says that it was reset.
    """
    access.check_admin(actor)
    problems: list[Problem] = []
    email = (email or "").strip() or None
    establishment = (establishment or "").strip() or None
    code = account_problems(
        problems,
        role=role,
        email=email,
        establishment=establishment,
        password=password or None,
        username=user.username,
    )
    if user.id == actor.id:
        if not active:
            problems.append(Problem("active", "vous ne pouvez pas désactiver votre propre compte"))
        if role != Role.ADMIN:
            problems.append(
                Problem("role", "vous ne pouvez pas retirer votre propre rôle d'administration")
            )
    organisation = (organisation or "").strip() or None
    if organisation is not None and len(organisation) > 120:
        problems.append(Problem("organisation", "120 caractères au plus"))
    if problems:
        raise InvalidInput(problems)
    wanted = {
        "role": role,
        "establishment_code": code,
        "email": email,
        "active": active,
        "organisation": organisation,
    }
    changed = {k: v for k, v in wanted.items() if getattr(user, k) != v}
    old = {k: getattr(user, k) for k in changed}
    for k, v in changed.items():
        setattr(user, k, v)
    if password:
        user.password_hash = hash_password(password)
    if not changed and not password:
        return {}
    details: dict[str, Any] = {"user_id": user.id, "old": old, "new": changed}
    if password:
        details["password_reset"] = True
    session.flush()
    record(session, AuditEvent.USER_UPDATED, actor_id=actor.id, details=details)
    if password or changed.get("active") is False:
        end_sessions(
            session, user, actor_id=actor.id, reason="password" if password else "deactivated"
        )
    return details

"""Ending sessions server-side, revoking API tokens, a user changing their own password.

A session cookie is signed, not stored: it cannot be deleted from the server. Instead it
carries the account's ``session_generation`` from the moment of login, and every request
compares it with the account's current value (``web/security.py``). Incrementing the value
ends every session of the account at once, on every worker.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col, select

from cnpe_flow.audit.models import AuditEvent
from cnpe_flow.audit.operations import record
from cnpe_flow.auth import access
from cnpe_flow.auth.models import ApiToken, User
from cnpe_flow.auth.passwords import hash_password, password_problem, verify_password
from cnpe_flow.clock import now_utc
from cnpe_flow.errors import InvalidInput, NotFound
from cnpe_flow.rules import Problem

#: why sessions were ended, as written in the audit log
REASONS = ("logout", "password", "deactivated", "admin", "user")


def end_sessions(
    session: Session, user: User, *, actor_id: int | None, reason: str, audit: bool = True
) -> None:
    """End every session of ``user`` (the cookies already issued stop working at once)."""
    session.execute(
        update(User)
        .where(col(User.id) == user.id)
        .values(session_generation=User.session_generation + 1)
        .execution_options(synchronize_session=False)
    )
    session.refresh(user)
    if audit:
        record(
            session,
            AuditEvent.SESSIONS_ENDED,
            actor_id=actor_id,
            details={"user_id": user.id, "reason": reason},
        )


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    """The user's API tokens, newest first (revoked and expired ones too, for the record)."""
    return list(
        session.exec(
            select(ApiToken)
            .where(col(ApiToken.user_id) == user.id)
            .order_by(col(ApiToken.created_at).desc(), col(ApiToken.id).desc())
        )
    )


def revoke_token(session: Session, actor: User, owner: User, token_id: int) -> bool:
    """Revoke one of ``owner``'s tokens (the owner or an administrator, checked by the caller).

    False when it was revoked already (from another tab, by an administrator): nothing to do,
    and the page says so; another account's token is "not found"."""
    token = access.stored(session, ApiToken, token_id)
    if token is None or token.user_id != owner.id:
        raise NotFound("jeton introuvable")
    if token.revoked_at is not None:
        return False
    token.revoked_at = now_utc()
    session.flush()
    record(
        session,
        AuditEvent.TOKEN_REVOKED,
        actor_id=actor.id,
        details={"user_id": owner.id, "token_id": token.id},
    )
    return True


def change_own_password(session: Session, user: User, current: str, new: str, confirm: str) -> None:
    """The user's new password; every other session of theirs ends (the caller renews its own)."""
    problems: list[Problem] = []
    if not verify_password(user.password_hash, current):
        problems.append(Problem("current", "le mot de passe actuel est incorrect"))
    why = password_problem(new, username=user.username)
    if why:
        problems.append(Problem("password", why))
    elif new != confirm:
        problems.append(Problem("confirm", "les deux saisies du nouveau mot de passe diffèrent"))
    if problems:
        raise InvalidInput(problems)
    user.password_hash = hash_password(new)
    session.flush()
    record(session, AuditEvent.PASSWORD_CHANGED, actor_id=user.id, details={"user_id": user.id})
    end_sessions(session, user, actor_id=user.id, reason="password")

"""Accounts: creation, API tokens, password checks with a login rate limit."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from cnpe_flow.audit.models import AuditEvent
from cnpe_flow.audit.operations import record
from cnpe_flow.auth import throttle
from cnpe_flow.auth.models import ApiToken, LoginAttempt, Role, User
from cnpe_flow.auth.passwords import hash_password, needs_rehash, password_problem, verify_password
from cnpe_flow.auth.throttle import LoginLimits
from cnpe_flow.clock import now_utc
from cnpe_flow.errors import InvalidInput
from cnpe_flow.people.validation import establishment_code
from cnpe_flow.rules import Problem

# Spent on unknown user names too, so timing does not tell which names exist.
_DUMMY_HASH = hash_password("pas un vrai mot de passe")


def account_problems(
    problems: list[Problem],
    *,
    role: str,
    email: str | None,
    establishment: str | None,
    password: str | None,
    username: str | None = None,
) -> str | None:
    """Check an account's role, e-mail, establishment and (new) password; add what is wrong to
    ``problems`` and return the establishment's reference code. ``password=None``: unchanged."""
    if role not in tuple(Role):
        problems.append(Problem("role", f"rôle inconnu « {role} » (attendu : {', '.join(Role)})"))
    if password is not None:
        why = password_problem(password, username=username)
        if why:
            problems.append(Problem("password", why))
    if email is not None and (len(email) > 254 or "@" not in email):
        problems.append(Problem("email", "adresse e-mail invalide"))
    if establishment:
        try:
            return establishment_code(establishment)
        except InvalidInput as exc:
            problems.extend(exc.problems)
    elif role in (Role.SPIP, Role.USMP):
        problems.append(
            Problem("establishment", "un compte SPIP ou USMP est rattaché à un établissement")
        )
    return None


def create_user(
    session: Session,
    username: str,
    role: str,
    password: str,
    *,
    email: str | None = None,
    establishment: str | None = None,
    actor_id: int | None = None,
    organisation: str | None = None,
) -> User:
    """A new account; SPIP and USMP accounts belong to an establishment."""
    problems: list[Problem] = []
    username = (username or "").strip()
    if not username or len(username) > 80 or any(c.isspace() for c in username):
        problems.append(
            Problem("name", "identifiant obligatoire, sans espace, 80 caractères au plus")
        )
    elif session.exec(select(User).where(col(User.username) == username)).first() is not None:
        problems.append(Problem("name", f"l'identifiant « {username} » existe déjà"))
    code = account_problems(
        problems,
        role=role,
        email=email,
        establishment=establishment,
        password=password or "",
        username=username,
    )
    organisation = (organisation or "").strip() or None
    if organisation is not None and len(organisation) > 120:
        problems.append(Problem("organisation", "120 caractères au plus"))
    if problems:
        raise InvalidInput(problems)
    user = User(
        username=username,
        organisation=organisation,
        role=role,
        email=email,
        establishment_code=code,
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    record(
        session,
        AuditEvent.USER_CREATED,
        actor_id=actor_id,
        details={"user_id": user.id, "role": role, "establishment": code}
        | ({"organisation": organisation} if organisation else {}),
        route="cli" if actor_id is None else None,
    )
    return user


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


#: an API token works this many days unless told otherwise
TOKEN_DAYS = 365
#: the last use of a token is written at most this often (not one write per API call)
LAST_USE_PRECISION = timedelta(minutes=1)


def create_token(
    session: Session, user: User, *, actor_id: int | None = None, days: int = TOKEN_DAYS
) -> str:
    """A new API bearer token for the user, valid ``days`` days; only its hash is stored, so
    show it now."""
    if not 1 <= days <= 3650:
        raise InvalidInput.one("days", "durée de validité entre 1 et 3650 jours")
    token = "cnpe_" + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id,  # type: ignore[arg-type]
        token_hash=token_hash(token),
        expires_at=now_utc() + timedelta(days=days),
    )
    session.add(row)
    session.flush()
    record(
        session,
        AuditEvent.TOKEN_CREATED,
        actor_id=actor_id,
        details={"user_id": user.id, "token_id": row.id, "days": days},
        route="cli" if actor_id is None else None,
    )
    return token


def user_for_token(session: Session, token: str) -> User | None:
    """The active user of a token that is neither revoked nor expired."""
    # one query for both (every API request comes through here)
    found = session.exec(
        select(ApiToken, User)
        .join(User, col(User.id) == ApiToken.user_id)
        .where(col(ApiToken.token_hash) == token_hash(token))
    ).one_or_none()
    now = now_utc()
    if found is None:
        return None
    row, user = found
    if not row.is_usable(now) or not user.active:
        return None
    if row.last_used_at is None or now - row.last_used_at >= LAST_USE_PRECISION:
        row.last_used_at = now
    return user


class TooManyAttempts(Exception):
    """Login refused for a while after repeated failures (of this account or this address)."""

    def __init__(self, until: datetime | None = None) -> None:
        super().__init__("trop de tentatives")
        #: when the account may try again (None: the address is blocked)
        self.until = until


def authenticate(
    session: Session,
    username: str,
    password: str,
    remote_addr: str,
    *,
    limits: LoginLimits,
) -> User | None:
    """The user if the password matches; :class:`TooManyAttempts` while throttled.

    A throttled attempt is audited (``LOGIN_THROTTLED``) but does not count as a failure, so
    the wait does not grow while nobody can try anyway.
    """
    now = now_utc()
    username = username[:80]
    until = throttle.account_locked_until(session, username, now, limits)
    if until is not None or throttle.address_blocked(session, remote_addr, now, limits):
        record(
            session,
            AuditEvent.LOGIN_THROTTLED,
            actor_id=None,
            details={"username": username, "by": "account" if until else "address"},
        )
        raise TooManyAttempts(until)
    user = session.exec(select(User).where(col(User.username) == username)).one_or_none()
    ok = verify_password(user.password_hash if user else _DUMMY_HASH, password)
    ok = ok and user is not None and user.active
    session.add(LoginAttempt(username=username, remote_addr=remote_addr[:64], success=ok))
    if not ok or user is None:  # (ok implies a user: said again for the type checker)
        record(session, AuditEvent.LOGIN_FAILED, actor_id=None, details={"username": username})
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    record(session, AuditEvent.LOGIN, actor_id=user.id)
    return user

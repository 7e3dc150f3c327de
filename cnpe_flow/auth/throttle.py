"""Login throttling: per account (exponential back-off) and per client address (much higher).

An account's failures only ever lock that account: a correct password for another account
from the same address is not refused because of them. The address limit only stops someone
trying many accounts (password spraying); behind a proxy the address is the real client's
(``CNPE_TRUSTED_PROXIES``, see :mod:`cnpe_flow.web.proxies`), so one person cannot lock the
whole service either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from cnpe_flow.auth.models import LoginAttempt

#: failures older than this no longer count for an account's back-off
ACCOUNT_MEMORY = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class LoginLimits:
    #: failures allowed on one account before it waits
    max_failures: int = 5
    #: first wait after ``max_failures`` failures, doubled at each further failure
    backoff: timedelta = timedelta(seconds=30)
    #: the longest wait (and the window of the address limit)
    window: timedelta = timedelta(minutes=15)
    #: failures from one address (all accounts together) within ``window``
    address_max_failures: int = 100

    @classmethod
    def from_config(cls, config: Any) -> LoginLimits:
        backoff = config.get("LOGIN_BACKOFF_SECONDS", 30)
        return cls(
            max_failures=int(config["LOGIN_MAX_FAILURES"]),
            backoff=timedelta(seconds=float(backoff)),
            window=config["LOGIN_WINDOW"],
            address_max_failures=int(config.get("LOGIN_ADDRESS_MAX_FAILURES", 100)),
        )

    def wait_after(self, failures: int) -> timedelta:
        """How long an account waits after ``failures`` failures in a row (0 while allowed)."""
        if failures < self.max_failures:
            return timedelta(0)
        doublings = min(failures - self.max_failures, 30)  # 2**30 × 30 s is already years
        factor: int = 2**doublings  # doublings >= 0: an int
        return min(self.backoff * factor, self.window)


def account_locked_until(
    session: Session, username: str, now: datetime, limits: LoginLimits
) -> datetime | None:
    """When this account may try again, or None if it may now.

    Counts the failures since the account's last successful login (within a day).
    """
    # by id, not time: two attempts may carry the same instant
    last_success = session.exec(
        select(func.max(LoginAttempt.id)).where(
            col(LoginAttempt.username) == username,
            col(LoginAttempt.success).is_(True),
        )
    ).one()
    failures, last_failure = session.exec(
        select(func.count(), func.max(LoginAttempt.at)).where(
            col(LoginAttempt.username) == username,
            col(LoginAttempt.success).is_(False),
            col(LoginAttempt.id) > (last_success or 0),
            col(LoginAttempt.at) > now - ACCOUNT_MEMORY,
        )
    ).one()
    wait = limits.wait_after(failures)
    if not wait or last_failure is None:
        return None
    until: datetime = last_failure + wait
    return until if until > now else None


def address_blocked(session: Session, remote_addr: str, now: datetime, limits: LoginLimits) -> bool:
    """Whether this address failed too often lately, across every account name."""
    failures = session.exec(
        select(func.count())
        .select_from(LoginAttempt)
        .where(
            col(LoginAttempt.remote_addr) == remote_addr,
            col(LoginAttempt.success).is_(False),
            col(LoginAttempt.at) >= now - limits.window,
        )
    ).one()
    return bool(failures >= limits.address_max_failures)

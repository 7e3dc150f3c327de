"""The one place that reads the clock: UTC for storage, Europe/Paris for people.

Tests replace :data:`now_utc` through :func:`set_clock` instead of touching today's date.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")

_clock: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def now_utc() -> datetime:
    """The current instant, timezone-aware UTC (what the database stores)."""
    return _clock()


def today_paris() -> date:
    """Today's date in Europe/Paris (what due dates are compared with)."""
    return now_utc().astimezone(PARIS).date()


def set_clock(clock: Callable[[], datetime] | None) -> None:
    """Freeze or restore the clock (tests and the demo)."""
    global _clock
    _clock = clock or (lambda: datetime.now(UTC))


def paris_time(moment: datetime) -> datetime:
    """A stored UTC instant shown in Paris time."""
    return moment.astimezone(PARIS)

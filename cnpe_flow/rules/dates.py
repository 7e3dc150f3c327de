"""Date arithmetic used by the rules, in one place.

Conventions (rules-catalogue §8):
- periods are closed-open in code: ``start <= d < end``; ``end`` is the day after the last day;
- people see them inclusively: last day = ``end - 1 day`` (:func:`last_day`,
  :func:`fr_last_day`); dates are shown as JJ/MM/AAAA (:func:`fr`) or in words in letters
  (:func:`fr_long`); the time zone (Europe/Paris) is ``cnpe_flow.clock``'s, outside the engine;
- "N months after D" uses python-dateutil ``relativedelta`` (31 Jan + 1 month = 28/29 Feb),
  then whole days are added (months first, then days);
- there is no "today" here: the rule clock is the case's ``as_of`` (``cnpe_flow.clock`` gives
  it when the input has none).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from dateutil.relativedelta import relativedelta

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Duration:
    """A legal delay: years and months (calendar arithmetic), then days."""

    years: int = 0
    months: int = 0
    days: int = 0

    def after(self, start: date) -> date:
        """``start`` + this duration (months first, then days)."""
        return _shift(start, self.years * 12 + self.months, self.days)

    def before(self, end: date) -> date:
        """``end`` − this duration (days first, then months: the exact inverse order)."""
        return _shift(
            end, -(self.years * 12 + self.months), -self.days, True
        )  # positional: cheaper cache key

    def french(self) -> str:
        parts = []
        if self.years:
            parts.append(f"{self.years} an" + ("s" if self.years > 1 else ""))
        if self.months:
            parts.append(f"{self.months} mois")
        if self.days:
            parts.append(f"{self.days} jour" + ("s" if self.days > 1 else ""))
        return " et ".join(parts) or "0 jour"

    @classmethod
    def parse(cls, raw: dict[str, int]) -> Duration:
        unknown = set(raw) - {"years", "months", "days"}
        if unknown:
            raise ValueError(f"unknown duration unit(s): {sorted(unknown)}")
        return cls(raw.get("years", 0), raw.get("months", 0), raw.get("days", 0))


@lru_cache(maxsize=65536)
def _shift(d: date, months: int, days: int, days_first: bool = False) -> date:
    # Months are the slowest step of an evaluation; the same dates recur a lot.
    if days_first:
        d = d + timedelta(days=days)
        return add_months(d, months) if months else d
    if months:
        d = add_months(d, months)
    return d + timedelta(days=days)


def add_months(d: date, months: int) -> date:
    """``d + relativedelta(months=months)`` (31 Jan + 1 month = 28/29 Feb)."""
    if d.day <= 28:
        # Every month has a 28th: only the month moves, and relativedelta is asked once per
        # month rather than once per day (a fresh date is the common case on a large batch).
        return _first_of_month_shifted(d.year, d.month, months).replace(day=d.day)
    return d + relativedelta(months=months)


@lru_cache(maxsize=8192)
def _first_of_month_shifted(year: int, month: int, months: int) -> date:
    return date(year, month, 1) + relativedelta(months=months)


class IsoDates(dict[date, str]):
    """``date`` -> ISO string, remembered: ``isoformat`` goes through C printf formatting, and
    the same few thousand dates recur from one evaluation to the next."""

    def __missing__(self, d: date) -> str:
        if len(self) > 100_000:
            self.clear()
        text = self[d] = d.isoformat()
        return text


#: ``ISO[d] == d.isoformat()``: how the engine writes dates in its output.
ISO = IsoDates()


def last_day(end_exclusive: date) -> date:
    """The last day of a closed-open period, as shown to people."""
    return end_exclusive - ONE_DAY


def _as_date(value: date | str) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def fr(value: date | str | None) -> str:
    """French display of a date (or of an ISO string): 14/06/2026; empty for None or ""."""
    if not value:
        return ""
    d = _as_date(value)
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"  # strftime is several times slower


def fr_last_day(end_exclusive: date | str | None) -> str:
    """The end of a closed-open period shown inclusively (the day before); empty when open."""
    return fr(last_day(_as_date(end_exclusive))) if end_exclusive else ""


MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def fr_long(value: date | str) -> str:
    """A date in words, as letters write it: 1er mars 2026, 14 juin 2026."""
    d = _as_date(value)
    return f"{d.day}{'er' if d.day == 1 else ''} {MONTHS[d.month - 1]} {d.year}"


def age_on(birth: date, on: date) -> int:
    """Age in whole years on ``on``. A 29 February birthday counts from 1 March in other years."""
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years

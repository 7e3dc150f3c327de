"""Reading raw JSON values at the edge: strict dates within plausible years, and how a wrong
value is named in a French message. Shared by the case (``case.py``) and the household
(``household.py``) readers, so that both say the same thing about the same mistake."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

# Dates outside this range are typing errors; rejecting them also keeps date arithmetic
# (legal delays of months or years) far from the calendar's limits.
EARLIEST, LATEST = date(1900, 1, 1), date(2199, 12, 31)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _strict_iso_date(raw: str) -> date | None:
    """Strict YYYY-MM-DD (``fromisoformat`` alone also takes 20260110 and week dates)."""
    if not _ISO_DATE.fullmatch(raw):
        return None
    try:
        parsed = date.fromisoformat(raw)
    except ValueError:
        return None
    return parsed if EARLIEST <= parsed <= LATEST else None


class _IsoDates(dict[str, "date | None"]):
    """ISO string -> its date, or None when refused, remembered: the same few thousand dates
    recur from one case to the next, and a dict lookup costs less than a call to a cache."""

    def __missing__(self, raw: str) -> date | None:
        if len(self) >= 65536:  # bounded: refused strings are remembered too
            self.clear()
        parsed = self[raw] = _strict_iso_date(raw)
        return parsed


#: ``ISO_DATES[raw] == iso_date(raw)`` for a string: what the case readers look up.
ISO_DATES = _IsoDates()


def iso_date(raw: str) -> date | None:
    """Strict YYYY-MM-DD within plausible years, else None."""
    return ISO_DATES[raw]


def date_problem(raw: Any) -> str:
    """Why ``raw`` is not an accepted date (call it only when :func:`iso_date` refused it)."""
    if not isinstance(raw, str) or not _ISO_DATE.fullmatch(raw):
        shown = f"« {raw} »" if isinstance(raw, str) else f"une valeur de type {kind(raw)}"
        return f"{shown} n'est pas une date (format attendu AAAA-MM-JJ)"
    if not EARLIEST.isoformat() <= raw <= LATEST.isoformat():
        return f"« {raw} » est hors de la période plausible ({EARLIEST.year}-{LATEST.year})"
    return f"« {raw} » n'est pas une date (ce jour n'existe pas)"


def kind(raw: Any) -> str:
    """The JSON type of a value, in French."""
    return {
        bool: "booléen",
        int: "nombre",
        float: "nombre",
        str: "texte",
        list: "liste",
        dict: "objet",
        type(None): "null",
    }.get(type(raw), type(raw).__name__)


def shown(raw: Any) -> str:
    """A wrong value as a message quotes it."""
    if isinstance(raw, str):
        return f"« {raw} »"
    return f"une valeur de type {kind(raw)}" if isinstance(raw, (list, dict)) else repr(raw)

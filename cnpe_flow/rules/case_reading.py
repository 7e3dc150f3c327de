"""Reading the raw JSON values of a case: the person, each event and its own fields.

Every problem found is kept (:class:`_Problems`), so that all of them are reported at once;
the order of the events is checked afterwards (``case_lifecycle.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import Any

from cnpe_flow.reference import (
    Establishment,
    cpam_for_postcode,
    find_establishment,
    suggest_establishments,
)
from cnpe_flow.rules.case_model import (
    ACTIVITIES,
    BENEFITS,
    EVENT_TYPES,
    MEASURES,
    RESIDENCE_STATUSES,
    Event,
    Person,
    Problem,
)
from cnpe_flow.rules.dates import fr
from cnpe_flow.rules.household import read_household
from cnpe_flow.rules.raw_values import ISO_DATES, date_problem, shown

_POSTCODE = re.compile(r"\d{5}")


class _Problems(list[Problem]):
    """The problems found while reading raw JSON values, so that all of them are reported at once.

    The readers below take a valid value at once; these methods only run to say what is wrong.
    """

    def fail(self, path: str, message: str) -> None:
        self.append(Problem(path, message))

    def missing(self, path: str) -> None:
        self.fail(path, "champ obligatoire manquant")

    def bad_date(self, raw: Any, path: str) -> None:
        self.fail(path, date_problem(raw))

    def bad_boolean(self, raw: Any, path: str) -> None:
        self.fail(path, f"true ou false attendu, reçu {shown(raw)}")

    def bad_choice(self, raw: Any, path: str, allowed: tuple[str, ...]) -> None:
        self.fail(path, f"{shown(raw)} n'est pas une valeur permise ({' | '.join(allowed)})")


def _read_date(problems: _Problems, raw: Any, path: str) -> date | None:
    """A required date; ``path`` names it in the problem when it is missing or wrong."""
    parsed = ISO_DATES[raw] if isinstance(raw, str) else None
    if parsed is None:
        if raw is None:
            problems.missing(path)
        else:
            problems.bad_date(raw, path)
    return parsed


def _read_person(problems: _Problems, raw: Any) -> Person | None:
    if not isinstance(raw, dict):
        if raw is None:
            problems.missing("person")
        else:
            problems.fail("person", f"un objet est attendu, reçu {shown(raw)}")
        return None
    birth_date = _read_date(problems, raw.get("birth_date"), "person.birth_date")
    status = raw.get("residence_status")
    if status not in RESIDENCE_STATUSES:
        if status is None:
            problems.missing("person.residence_status")
        else:
            problems.bad_choice(status, "person.residence_status", RESIDENCE_STATUSES)
        status = None
    carte_vitale = raw.get("carte_vitale")
    if type(carte_vitale) is not bool:
        if carte_vitale is None:
            problems.missing("person.carte_vitale")
        else:
            problems.bad_boolean(carte_vitale, "person.carte_vitale")
        carte_vitale = None
    postcode = raw.get("residence_postcode")
    if postcode is not None:
        problem = (
            _postcode_problem(postcode) if isinstance(postcode, str) else _not_a_postcode(postcode)
        )
        if problem is not None:
            problems.fail("person.residence_postcode", problem)
            postcode = None
    benefits = _read_benefits(problems, raw.get("benefits_before_ecrou"))
    raw_household = raw.get("household")
    household = None if raw_household is None else read_household(problems.fail, raw_household)
    if birth_date is None or status is None or carte_vitale is None:
        return None
    return Person(birth_date, status, carte_vitale, postcode, benefits, household)


def _not_a_postcode(raw: Any) -> str:
    return f"{shown(raw)} n'est pas un code postal (5 chiffres, ou null sans adresse)"


@lru_cache(maxsize=4096)
def _postcode_problem(postcode: str) -> str | None:
    """Why a residence postcode is refused, or None (few distinct postcodes: cached)."""
    if not _POSTCODE.fullmatch(postcode):
        return _not_a_postcode(postcode)
    if cpam_for_postcode(postcode).departement is None:
        return f"« {postcode} » n'est pas un code postal français"
    return None


_NO_BENEFITS: frozenset[str] = frozenset()


def _read_benefits(problems: _Problems, raw: Any) -> frozenset[str]:
    if raw is None or raw == []:
        return _NO_BENEFITS
    if not isinstance(raw, list):
        problems.fail("person.benefits_before_ecrou", f"une liste est attendue, reçu {shown(raw)}")
        return _NO_BENEFITS
    valid = True
    for j, b in enumerate(raw):
        if b not in BENEFITS:
            problems.bad_choice(b, f"person.benefits_before_ecrou[{j}]", BENEFITS)
            valid = False
    return frozenset(raw) if valid else _NO_BENEFITS


def _read_events(problems: _Problems, raw: Any) -> list[Event]:
    """The valid events, in list order (the invalid ones are reported on ``problems``)."""
    if raw is None:
        problems.fail("events", "champ obligatoire manquant (une liste, éventuellement vide)")
        return []
    if not isinstance(raw, list):
        problems.fail("events", f"une liste est attendue, reçu {shown(raw)}")
        return []
    events: list[Event] = []
    append = events.append
    readers, known = _FIELD_READERS, _KNOWN_TYPES
    for i, item in enumerate(raw):
        # The common case inline (a valid event): one frame less per event on every evaluation.
        if type(item) is dict:
            kind = item.get("type")
            raw_date = item.get("date")
            when = ISO_DATES[raw_date] if type(raw_date) is str else None
            if when is not None and type(kind) is str and kind in known:
                event = Event(i, kind, when)
                read_fields = readers.get(kind)
                if read_fields is None:
                    append(event)
                    continue
                before = len(problems)
                read_fields(problems, item, event)
                if len(problems) == before:
                    append(event)
                continue
        _report_event(problems, item, i)
    return events


def _report_event(problems: _Problems, raw: Any, i: int) -> None:
    """The problems of an event that is not an object, or whose type or date is wrong."""
    if not isinstance(raw, dict):
        problems.fail(f"events[{i}]", f"un objet est attendu, reçu {shown(raw)}")
        return
    _report_type_and_date(problems, raw, i, raw.get("type"), raw.get("date"))


def _report_type_and_date(
    problems: _Problems, raw: dict[str, Any], i: int, kind: Any, raw_date: Any
) -> None:
    """The problems of an event whose type or date is wrong, and those of its other fields."""
    known = type(kind) is str and kind in _KNOWN_TYPES
    if not known:
        if kind is None:
            problems.missing(f"events[{i}].type")
        else:
            problems.fail(
                f"events[{i}].type",
                f"type d'événement inconnu {shown(kind)} (connus : {', '.join(EVENT_TYPES)})",
            )
    when = _read_date(problems, raw_date, f"events[{i}].date")
    read_fields = _FIELD_READERS.get(kind) if known else None
    if read_fields is not None:
        read_fields(problems, raw, Event(i, kind, when))  # type: ignore[arg-type]


# Readers of the fields each event type carries besides its type and date (case-contract.md).
# Each sets the valid values on the event and reports the others; paths are built only then.


def _ecrou_fields(problems: _Problems, raw: dict[str, Any], event: Event) -> None:
    name = raw.get("establishment")
    if name is None:
        problems.missing(f"events[{event.index}].establishment")
    else:
        event.establishment = _read_establishment(problems, name, event.index)


def _amenagement_fields(problems: _Problems, raw: dict[str, Any], event: Event) -> None:
    event.measure = _required_choice(problems, raw, event.index, "measure", MEASURES)


def _activity_start_fields(problems: _Problems, raw: dict[str, Any], event: Event) -> None:
    event.activity = _required_choice(problems, raw, event.index, "activity", ACTIVITIES)


def _atmp_fields(problems: _Problems, raw: dict[str, Any], event: Event) -> None:
    event.consolidated = _flag(problems, raw, event.index, "consolidated", required=True)


def _ame_filed_fields(problems: _Problems, raw: dict[str, Any], event: Event) -> None:
    event.complete = _flag(problems, raw, event.index, "complete", required=True)
    event.care_date = _optional_date(problems, raw, event.index, "care_date")


def _c2s_granted_fields(problems: _Problems, raw: dict[str, Any], event: Event) -> None:
    end = _optional_date(problems, raw, event.index, "end")
    if end is not None and event.date is not None and end <= event.date:
        problems.fail(
            f"events[{event.index}].end",
            f"La fin ({fr(end)}) doit être postérieure au début ({fr(event.date)})",
        )
    event.end = end


def _permit_expiry_fields(problems: _Problems, raw: dict[str, Any], event: Event) -> None:
    event.oqtf = _flag(problems, raw, event.index, "oqtf", required=False) is True


_FIELD_READERS: dict[str, Callable[[_Problems, dict[str, Any], Event], None]] = {
    "ecrou": _ecrou_fields,
    "transfer": _ecrou_fields,
    "amenagement": _amenagement_fields,
    "activity_start": _activity_start_fields,
    "atmp_during_ecrou": _atmp_fields,
    "ame_filed": _ame_filed_fields,
    "c2s_granted": _c2s_granted_fields,
    "residence_permit_expiry": _permit_expiry_fields,
}
_KNOWN_TYPES = frozenset(EVENT_TYPES)


def _required_choice(
    problems: _Problems, raw: dict[str, Any], i: int, name: str, allowed: tuple[str, ...]
) -> str | None:
    value = raw.get(name)
    if value in allowed:
        return value  # type: ignore[no-any-return]
    if value is None:
        problems.missing(f"events[{i}].{name}")
    else:
        problems.bad_choice(value, f"events[{i}].{name}", allowed)
    return None


def _flag(
    problems: _Problems, raw: dict[str, Any], i: int, name: str, *, required: bool
) -> bool | None:
    value = raw.get(name)
    if type(value) is bool:
        return value
    if value is not None:
        problems.bad_boolean(value, f"events[{i}].{name}")
    elif required:
        problems.missing(f"events[{i}].{name}")
    return None


def _optional_date(problems: _Problems, raw: dict[str, Any], i: int, name: str) -> date | None:
    value = raw.get(name)
    if value is None:
        return None
    parsed = ISO_DATES[value] if type(value) is str else None
    if parsed is None:
        problems.bad_date(value, f"events[{i}].{name}")
    return parsed


def _read_establishment(problems: _Problems, name: Any, i: int) -> Establishment | None:
    if isinstance(name, str):
        found = _establishment_named(name)
        if found is not None:
            return found
    path = f"events[{i}].establishment"
    if not isinstance(name, str) or not name.strip():
        problems.fail(path, f"un nom ou un code d'établissement est attendu, reçu {shown(name)}")
        return None
    close = suggest_establishments(name)
    hint = f" ; vouliez-vous dire : {' ou '.join(close)} ?" if close else ""
    problems.fail(path, f"établissement inconnu « {name} »{hint}")
    return None


# The same few hundred spellings recur (the reference tables do not change while running).
_establishment_named = lru_cache(maxsize=4096)(find_establishment)

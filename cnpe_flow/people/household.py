"""A person's household and resources (the contract's ``person.household``): checked, stored,
audited.

The engine reads the same object (``cnpe_flow.rules.household``), so the pages, the API and
the command line give the same messages, field path first (``household.members[1].birth_date``).
What is stored is the contract's object with every key present (null = unknown); a household
where nothing at all is known is stored as null, like a file where it was never entered.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlmodel import Session

from cnpe_flow.audit.models import AuditEvent
from cnpe_flow.audit.operations import record
from cnpe_flow.auth import access
from cnpe_flow.auth.models import User
from cnpe_flow.clock import today_paris
from cnpe_flow.errors import Conflict, InvalidInput
from cnpe_flow.locking import bump_version
from cnpe_flow.people.derived import refresh_derived
from cnpe_flow.people.models import Person
from cnpe_flow.rules import Problem
from cnpe_flow.rules.dates import fr
from cnpe_flow.rules.household import FIELDS, RELATIONS, read_household
from cnpe_flow.rules.raw_values import iso_date

#: the relation of each member to the person, as the form and the pages say it
RELATION_LABELS = {
    "spouse": "conjoint·e",
    "child": "enfant",
    "cohabitant": "personne à charge",
    "other": "autre",
}
assert tuple(RELATION_LABELS) == RELATIONS  # one list of relations: the engine's

#: what the audit log says changed (never the amounts nor the birth dates themselves)
FIELD_LABELS = {
    "members": "membres du foyer",
    "annual_resources": "ressources annuelles",
    "rsa": "RSA",
    "in_france_since": "présence en France",
}
assert tuple(FIELD_LABELS) == FIELDS


def check_household(raw: Any, path: str = "household") -> dict[str, Any] | None:
    """The household to store (every key present), or None when nothing is known.

    Raises :class:`InvalidInput` with every problem, named by its field path under ``path``.
    """
    problems: list[Problem] = []
    parsed = read_household(lambda f, m: problems.append(Problem(f, m)), raw, path)
    problems += _future_dates(raw, path, {p.field for p in problems})
    if problems:
        raise InvalidInput(problems)
    if parsed is None:
        return None
    stored = {
        "members": [
            {"birth_date": m.birth_date.isoformat(), "relation": m.relation} for m in parsed.members
        ]
        if parsed.known
        else None,
        "annual_resources": _amount(parsed.annual_resources),
        "rsa": parsed.rsa,
        "in_france_since": parsed.in_france_since.isoformat() if parsed.in_france_since else None,
    }
    return None if all(v is None for v in stored.values()) else stored


def _future_dates(raw: Any, path: str, flagged: set[str]) -> list[Problem]:
    """Birth dates and the arrival in France cannot be after today (the contract's reader
    checks the format; a date in the future is a typing error only the product can see)."""
    if not isinstance(raw, dict):
        return []
    today = today_paris()
    found: list[tuple[str, Any, str]] = []
    members = raw.get("members")
    if isinstance(members, list):
        for j, m in enumerate(members):
            if isinstance(m, dict):
                found.append((f"{path}.members[{j}].birth_date", m.get("birth_date"), "naissance"))
    found.append((f"{path}.in_france_since", raw.get("in_france_since"), "arrivée en France"))
    problems = []
    for where, value, what in found:
        day = iso_date(value) if isinstance(value, str) else None
        if where not in flagged and day is not None and day > today:
            problems.append(Problem(where, f"la date {_de(what)} ({fr(day)}) est dans le futur"))
    return problems


def _de(what: str) -> str:
    return f"d'{what}" if what[0] in "aeiou" else f"de {what}"


def _amount(value: Decimal | None) -> int | float | None:
    """Euros as a JSON number: whole euros as an integer, else with its cents."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(round(value, 2))


def changed_fields(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[str]:
    """The household fields that differ (null and absent are the same: unknown)."""
    before, after = old or {}, new or {}
    return [name for name in FIELDS if before.get(name) != after.get(name)]


def _audit(session: Session, actor: User, person: Person, changed: list[str]) -> None:
    record(
        session,
        AuditEvent.HOUSEHOLD_UPDATED,
        actor_id=actor.id,
        person_id=person.id,
        details={"changed": changed},
    )


def update_household(
    session: Session, actor: User, person: Person, raw: Any, expected_version: int | None
) -> list[str]:
    """Replace the household (``raw`` is the contract's object, or None to forget it).

    The version must match the one the user saw; the whole case is evaluated again before
    anything is kept (a refused household raises :class:`InvalidInput` and the caller rolls
    back). Returns the names of the fields that changed.
    """
    access.check_can_edit_household(actor)
    household = check_household(raw)
    bump_version(session, person, expected_version, Conflict())
    changed = changed_fields(person.household, household)
    if not changed:
        return []
    person.household = household
    session.flush()
    refresh_derived(session, person)
    _audit(session, actor, person, changed)
    return changed


def store_new_household(
    session: Session, actor: User, person: Person, household: dict[str, Any] | None
) -> None:
    """The household given with a new file, already checked (the file keeps its version)."""
    if household is None:
        return
    access.check_can_edit_household(actor)
    person.household = household
    session.flush()
    _audit(session, actor, person, changed_fields(None, household))

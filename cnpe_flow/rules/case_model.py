"""The typed objects of a validated case (case-contract.md), and the problems of a refused one.

:func:`cnpe_flow.rules.case.parse_case` builds them; the rules read them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from datetime import date

from cnpe_flow.reference import (
    Establishment,
)
from cnpe_flow.rules.event_types import ACTIVITY, MEASURE, names
from cnpe_flow.rules.household import Household

RESIDENCE_STATUSES = ("regular", "irregular")
BENEFITS = ("ij", "ald", "atmp_rente", "invalidity_pension")
MEASURES = MEASURE.values
ACTIVITIES = ACTIVITY.values
CUSTODY_EVENTS = names(phase="custody")
AFTER_RELEASE_EVENTS = names(phase="after_release")
EVENT_TYPES = CUSTODY_EVENTS + AFTER_RELEASE_EVENTS


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input: the field (JSON path) and a French sentence.

    ``message`` is for people (dates as JJ/MM/AAAA, no internal event names); ``refs`` names the
    events involved as the contract writes them (``levee_ecrou 2026-01-01``), for tools: the
    command line prints them after the sentence, forms do not.
    """

    field: str
    message: str
    refs: tuple[str, ...] = ()

    def line(self) -> str:
        if self.refs:
            return f"{self.field}: {self.message} [{', '.join(self.refs)}]"
        return f"{self.field}: {self.message}"


class CaseError(ValueError):
    """The case cannot be evaluated; ``problems`` says why, field by field."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(p.line() for p in problems))
        self.problems = problems


# Person and Event are not frozen: a frozen dataclass costs 6x more to build, and the engine
# builds several per case (benchmark target: 20 000 cases/s). Nothing mutates them.
@dataclass(slots=True)
class Person:
    birth_date: date
    residence_status: str
    carte_vitale: bool
    residence_postcode: str | None
    benefits_before_ecrou: frozenset[str]
    #: household members, resources, RSA, presence in France (None: nothing known)
    household: Household | None = None
    #: residence_status == "regular": many rules ask, so it is stored rather than a property.
    regular: bool = field(init=False)

    def __post_init__(self) -> None:
        self.regular = self.residence_status == "regular"


@dataclass(slots=True)
class Event:
    """One validated event. ``index`` is its position in the input list (for messages and links)."""

    index: int
    type: str
    date: date
    establishment: Establishment | None = None
    measure: str | None = None
    activity: str | None = None
    consolidated: bool | None = None
    complete: bool | None = None
    # ``datetime.date``: inside the class, ``date`` is the field above
    care_date: datetime.date | None = None
    end: datetime.date | None = None
    oqtf: bool = False
    #: an activity signed before its aménagement takes effect on the aménagement's date (AFF-3)
    effective: datetime.date | None = None


@dataclass(slots=True)
class Stay:
    """One custody period, from an écrou to its levée (``levee`` is None while it lasts)."""

    ecrou: Event
    levee: Event | None = None
    #: first day out of custody (exclusive end): the levée's date, or the next day when the
    #: person was écroué and released on the same day (one day under the CNPE).
    end: date | None = None
    #: aménagements and activity starts/ends, in the order they take effect: they move the
    #: affiliation (an activity signed before its aménagement comes right after it).
    changes: list[Event] = field(default_factory=list)
    amenagements: list[Event] = field(default_factory=list)
    atmp: list[Event] = field(default_factory=list)
    planned_releases: list[Event] = field(default_factory=list)
    #: transfers to another establishment during this écrou, in date order
    transfers: list[Event] = field(default_factory=list)

    def contains(self, d: date) -> bool:
        return self.ecrou.date <= d and (self.end is None or d < self.end)

    def establishment_on(self, d: date) -> Establishment:
        """The establishment holding the person on ``d`` (the écrou's, or the last transfer's)."""
        est = self.ecrou.establishment
        for t in self.transfers:
            if t.date > d:
                break
            est = t.establishment
        assert est is not None
        return est

    @property
    def last_establishment(self) -> Establishment:
        est = self.transfers[-1].establishment if self.transfers else self.ecrou.establishment
        assert est is not None
        return est


@dataclass(slots=True)
class Case:
    """A validated case. Every event tuple is in date order (same-day events in list order)."""

    as_of: date
    person: Person
    events: tuple[Event, ...]
    stays: tuple[Stay, ...]
    ame_filings: tuple[Event, ...]
    ame_grants: tuple[Event, ...]
    c2s_grants: tuple[Event, ...]
    permit_expiries: tuple[Event, ...]

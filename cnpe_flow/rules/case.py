"""The input of an evaluation (case-contract.md), validated at the edge into typed objects.

``parse_case(data)`` either returns a :class:`Case` the engine can trust, or raises
:class:`CaseError` listing every problem found, each naming its field. Messages are in French
because the people who read them (SPIP, USMP, support workers) work in French; field names,
event types and dates stay as in the contract so that tools can match them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from operator import attrgetter
from typing import Any

from cnpe_flow.clock import today_paris
from cnpe_flow.reference import (
    Establishment,
    cpam_for_postcode,
    find_establishment,
    suggest_establishments,
)
from cnpe_flow.rules.dates import ONE_DAY, fr
from cnpe_flow.rules.event_types import ACTIVITY, MEASURE, REGISTRY, names
from cnpe_flow.rules.household import Household, read_household
from cnpe_flow.rules.raw_values import date_problem, iso_date, shown

RESIDENCE_STATUSES = ("regular", "irregular")
BENEFITS = ("ij", "ald", "atmp_rente", "invalidity_pension")
MEASURES = MEASURE.values
ACTIVITIES = ACTIVITY.values
CUSTODY_EVENTS = names(phase="custody")
AFTER_RELEASE_EVENTS = names(phase="after_release")
EVENT_TYPES = CUSTODY_EVENTS + AFTER_RELEASE_EVENTS

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_POSTCODE = re.compile(r"\d{5}")


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
    care_date: date | None = None
    end: date | None = None
    oqtf: bool = False
    #: an activity signed before its aménagement takes effect on the aménagement's date (AFF-3)
    effective: date | None = None


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
    parsed = iso_date(raw) if isinstance(raw, str) else None
    if parsed is None:
        if raw is None:
            problems.missing(path)
        else:
            problems.bad_date(raw, path)
    return parsed


_BY_DATE = attrgetter("date")


def parse_case(data: Any, *, today: date | None = None) -> Case:
    """Validate raw contract JSON (already decoded) and build the typed case.

    Raises :class:`CaseError` with one :class:`Problem` per thing wrong.
    """
    problems = _Problems()
    if not isinstance(data, dict):
        raise CaseError([Problem("(racine)", f"un objet JSON est attendu, reçu {shown(data)}")])
    raw_as_of = data.get("as_of")
    as_of = _read_date(problems, raw_as_of, "as_of") if raw_as_of is not None else None
    if as_of is None:
        as_of = today or today_paris()  # the clock is read only when no date is given
    person = _read_person(problems, data.get("person"))
    events = _read_events(problems, data.get("events"))
    if problems:
        raise CaseError(list(problems))
    assert person is not None
    events.sort(key=_BY_DATE)  # stable: same-day events keep list order (the contract says so)
    case = _build(problems, as_of, person, events)
    if problems:
        raise CaseError(list(problems))
    return case


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
    events = []
    append = events.append
    readers, known = _FIELD_READERS, _KNOWN_TYPES
    for i, item in enumerate(raw):
        # The common case inline (a valid event): one frame less per event on every evaluation.
        if type(item) is dict:
            kind = item.get("type")
            raw_date = item.get("date")
            when = iso_date(raw_date) if type(raw_date) is str else None
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
    parsed = iso_date(value) if type(value) is str else None
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


# How messages name events: people read them (forms, the command line), so no contract names.
EVENT_NAMES = {t.name: t.in_sentence for t in REGISTRY.values()}


def _named(e: Event) -> str:
    """« la levée d'écrou (01/01/2026) » — the event as a sentence names it."""
    return f"{EVENT_NAMES[e.type]} ({fr(e.date)})"


def _of(e: Event) -> str:
    """« la mise sous écrou du 10/01/2026 » — the other event a sentence refers to."""
    return f"{EVENT_NAMES[e.type]} du {fr(e.date)}"


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:]


def _ref(e: Event) -> str:
    return f"{e.type} {e.date.isoformat()}"


def _fail_on(problems: _Problems, e: Event, message: str, *others: Event, path: str = "") -> None:
    """A problem about event ``e``, its sentence for people and the contract's refs for tools."""
    problems.append(
        Problem(path or _at(e), _sentence(message), (_ref(e), *(_ref(o) for o in others)))
    )


def _build(problems: _Problems, as_of: date, person: Person, events: list[Event]) -> Case:
    """Check the order of events (the custody lifecycle) and group them into stays."""
    stays: list[Stay] = []
    current: Stay | None = None
    activity: Event | None = None
    waiting: Event | None = None  # an activity signed before the aménagement it was signed for
    work: Event | None = None
    filings: list[Event] = []
    grants: list[Event] = []
    c2s: list[Event] = []
    expiries: list[Event] = []

    birth = person.birth_date
    for e in events:
        kind = e.type
        if e.date < birth:
            _fail_on(
                problems,
                e,
                f"{_named(e)} précède la naissance ({fr(birth)})",
                path=f"{_at(e)}.date",
            )
            continue
        if kind == "ecrou":
            if current is not None:
                _fail_on(
                    problems,
                    e,
                    f"nouvelle mise sous écrou le {fr(e.date)} alors que la personne est écrouée "
                    f"depuis le {fr(current.ecrou.date)} sans levée d'écrou entre les deux : pour "
                    "un changement d'établissement, enregistrez un transfert",
                    current.ecrou,
                )
                continue
            current = Stay(e)
            stays.append(current)
        elif kind == "levee_ecrou":
            if current is None:
                _reject_outside_custody(problems, e, stays, events)
                continue
            if waiting is not None:
                _fail_on(
                    problems,
                    e,
                    f"{_named(e)} avant tout aménagement de peine : le début d'activité du "
                    f"{fr(waiting.date)} attendait un aménagement (AFF-3)",
                    waiting,
                )
                continue
            current.levee = e
            current.end = e.date if e.date > current.ecrou.date else e.date + ONE_DAY
            current, activity, waiting, work = None, None, None, None  # the levée ends them
        elif kind == "planned_release":
            if not stays:
                _reject_outside_custody(problems, e, stays, events)
                continue
            stays[-1].planned_releases.append(e)
        elif kind in _INSIDE_EVENTS:
            if current is None:
                _reject_outside_custody(problems, e, stays, events)
                continue
            if kind == "transfer":
                here = current.last_establishment
                if e.establishment is here or (
                    e.establishment is not None and e.establishment.code == here.code
                ):
                    _fail_on(
                        problems,
                        e,
                        f"{_named(e)} vers {here.name}, où la personne est déjà écrouée",
                        path=f"{_at(e)}.establishment",
                    )
                else:
                    current.transfers.append(e)
            elif kind == "amenagement":
                current.amenagements.append(e)
                current.changes.append(e)
                if waiting is not None:  # the contract signed before now takes effect (AFF-3)
                    waiting.effective = e.date
                    current.changes.append(waiting)
                    activity, waiting = waiting, None
            elif kind == "activity_start":
                running = activity or waiting
                if running is not None:
                    _fail_on(
                        problems,
                        e,
                        f"{_named(e)} alors qu'une activité a commencé le {fr(running.date)} "
                        "sans fin d'activité",
                        running,
                    )
                elif current.amenagements:
                    activity = e
                    current.changes.append(e)
                elif _next_in_stay(events, e, "amenagement") is not None:
                    waiting = e  # signed for the aménagement that follows (contract v2)
                else:
                    _fail_on(
                        problems,
                        e,
                        f"{_named(e)} sans aménagement de peine pendant cet écrou : l'activité "
                        "professionnelle ne change l'affiliation que pendant un aménagement "
                        "(AFF-3). Pour un contrat signé avant une semi-liberté, enregistrez "
                        "d'abord l'aménagement, même à une date à venir ; le travail en "
                        "détention s'enregistre comme « début de travail en détention »",
                    )
            elif kind == "activity_end":
                if waiting is not None:
                    _fail_on(
                        problems,
                        e,
                        f"{_named(e)} précède l'aménagement de peine qui devait donner effet au "
                        f"début d'activité du {fr(waiting.date)} (AFF-3)",
                        waiting,
                    )
                elif activity is None:
                    start = _next_in_stay(events, e, "activity_start")
                    if start:
                        _fail_on(problems, e, f"{_named(e)} précède {_of(start)}", start)
                    else:
                        _fail_on(
                            problems,
                            e,
                            f"{_named(e)} sans début d'activité en cours pendant cet écrou",
                        )
                else:
                    activity = None
                    current.changes.append(e)
            elif kind == "work_inside_start":
                if work is not None:
                    _fail_on(
                        problems,
                        e,
                        f"{_named(e)} alors qu'un travail en détention commencé le "
                        f"{fr(work.date)} n'est pas terminé",
                        work,
                    )
                else:
                    work = e
            elif kind == "work_inside_end":
                if work is None:
                    _fail_on(
                        problems, e, f"{_named(e)} sans début de travail en détention en cours"
                    )
                else:
                    work = None
            elif kind == "atmp_during_ecrou":
                current.atmp.append(e)
        else:
            _check_after_release(problems, e, person, current, stays, expiries)
            if kind == "ame_filed":
                filings.append(e)
            elif kind == "ame_granted":
                grants.append(e)
            elif kind == "c2s_granted":
                c2s.append(e)
            else:
                expiries.append(e)

    return Case(
        as_of,
        person,
        tuple(events),
        tuple(stays),
        tuple(filings),
        tuple(grants),
        tuple(c2s),
        tuple(expiries),
    )


# Custody events that only an écrou in progress allows (planned_release may follow the levée).
_INSIDE_EVENTS = frozenset(CUSTODY_EVENTS) - {"ecrou", "levee_ecrou", "planned_release"}


def _at(e: Event) -> str:
    """The JSON path of an event, for messages (built only when there is a problem)."""
    return f"events[{e.index}]"


def _reject_outside_custody(
    problems: _Problems, e: Event, stays: list[Stay], events: list[Event]
) -> None:
    """Report a custody event that no écrou covers, naming the dates involved.

    When an earlier écrou exists but was itself rejected (e.g. dated before the birth), its
    own problem is the one to fix: no second, misleading message is added.
    """
    if not stays:
        if any(x.type == "ecrou" and x.date <= e.date for x in events):
            return
        later = next((x for x in events if x.type == "ecrou"), None)
        if later is not None:
            _fail_on(problems, e, f"{_named(e)} précède {_of(later)}", later)
        else:
            _fail_on(
                problems,
                e,
                f"{_named(e)} sans mise sous écrou : enregistrez d'abord la mise sous écrou",
            )
        return
    last = stays[-1]
    assert last.levee is not None
    _fail_on(
        problems,
        e,
        f"{_named(e)} hors écrou : la personne est sortie le {fr(last.levee.date)} (levée "
        "d'écrou) et n'a pas été écrouée de nouveau depuis",
        last.levee,
    )


def _next_in_stay(events: list[Event], e: Event, kind: str) -> Event | None:
    """The next ``kind`` event after ``e`` within the same custody period (before any levée).

    ``events`` are in date order, same-day events in list order: "after" follows that order.
    """
    for x in events[events.index(e) + 1 :]:
        if x.type == "levee_ecrou":
            return None
        if x.type == kind:
            return x
    return None


def _check_after_release(
    problems: _Problems,
    e: Event,
    person: Person,
    current: Stay | None,
    stays: list[Stay],
    expiries: list[Event],
) -> None:
    if e.type == "residence_permit_expiry":
        if not person.regular:
            _fail_on(
                problems,
                e,
                f"{_named(e)} pour une personne en situation irrégulière (situation au regard "
                "du séjour) : aucun titre à expirer",
            )
        return
    if e.type == "c2s_granted":
        if not person.regular:
            _fail_on(
                problems,
                e,
                f"{_named(e)} : la C2S est réservée aux personnes en situation régulière (C2S-1)",
            )
        return
    # ame_filed, ame_granted
    if current is not None:
        _fail_on(
            problems,
            e,
            f"{_named(e)} pendant l'écrou commencé le {fr(current.ecrou.date)} : aucune "
            "demande d'AME n'est possible pendant l'incarcération (AME-2)",
            current.ecrou,
        )
    elif not any(s.levee is not None for s in stays):
        _fail_on(
            problems,
            e,
            f"{_named(e)} avant toute levée d'écrou : l'AME se demande après la sortie (AME-2)",
        )
    elif person.regular and not any(x.date <= e.date for x in expiries):
        _fail_on(
            problems,
            e,
            f"{_named(e)} pour une personne en situation régulière sans expiration antérieure "
            "du titre de séjour : l'AME est réservée aux personnes en situation irrégulière "
            "(AME-1)",
        )

"""The input of an evaluation (case-contract.md), validated at the edge into typed objects.

``parse_case(data)`` either returns a :class:`Case` the engine can trust, or raises
:class:`CaseError` listing every problem found, each naming its field. Messages are in French
because the people who read them (SPIP, USMP, support workers) work in French; field names,
event types and dates stay as in the contract so that tools can match them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from operator import attrgetter
from typing import Any

from cnpe_flow.reference import (
    Establishment,
    cpam_for_postcode,
    find_establishment,
    suggest_establishments,
)
from cnpe_flow.rules.dates import today_paris

RESIDENCE_STATUSES = ("regular", "irregular")
BENEFITS = ("ij", "ald", "atmp_rente", "invalidity_pension")
MEASURES = ("surveillance_electronique", "semi_liberte", "placement_exterieur")
ACTIVITIES = ("work", "paid_training", "unemployment_benefits")
CUSTODY_EVENTS = (
    "ecrou",
    "amenagement",
    "activity_start",
    "activity_end",
    "work_inside_start",
    "work_inside_end",
    "atmp_during_ecrou",
    "planned_release",
    "levee_ecrou",
)
AFTER_RELEASE_EVENTS = ("ame_filed", "ame_granted", "c2s_granted", "residence_permit_expiry")
EVENT_TYPES = CUSTODY_EVENTS + AFTER_RELEASE_EVENTS

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_POSTCODE = re.compile(r"\d{5}")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input: the field (JSON path) and a French sentence."""

    field: str
    message: str

    def line(self) -> str:
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

    @property
    def regular(self) -> bool:
        return self.residence_status == "regular"


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


@dataclass(slots=True)
class Stay:
    """One custody period, from an écrou to its levée (``levee`` is None while it lasts)."""

    ecrou: Event
    levee: Event | None = None
    #: aménagements and activity starts/ends, in date order: they move the affiliation.
    changes: list[Event] = field(default_factory=list)
    amenagements: list[Event] = field(default_factory=list)
    atmp: list[Event] = field(default_factory=list)
    planned_releases: list[Event] = field(default_factory=list)

    def contains(self, d: date) -> bool:
        return self.ecrou.date <= d and (self.levee is None or d < self.levee.date)


@dataclass(slots=True)
class Case:
    as_of: date
    person: Person
    events: tuple[Event, ...]
    stays: tuple[Stay, ...]
    ame_filings: tuple[Event, ...]
    ame_grants: tuple[Event, ...]
    c2s_grants: tuple[Event, ...]
    permit_expiries: tuple[Event, ...]


class _Reader:
    """Collects problems while reading raw JSON values, so that all of them are reported at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def date(self, raw: Any, path: str) -> date | None:
        parsed = _iso_date(raw) if isinstance(raw, str) else None
        if parsed is not None:
            return parsed
        if not isinstance(raw, str) or not _ISO_DATE.fullmatch(raw):
            shown = f"« {raw} »" if isinstance(raw, str) else f"une valeur de type {_kind(raw)}"
            self.fail(path, f"{shown} n'est pas une date (format attendu AAAA-MM-JJ)")
        elif not EARLIEST.isoformat() <= raw <= LATEST.isoformat():
            self.fail(
                path, f"« {raw} » est hors de la période plausible ({EARLIEST.year}-{LATEST.year})"
            )
        else:
            self.fail(path, f"« {raw} » n'est pas une date (ce jour n'existe pas)")
        return None

    def boolean(self, raw: Any, path: str) -> bool | None:
        if not isinstance(raw, bool):
            self.fail(path, f"true ou false attendu, reçu {_shown(raw)}")
            return None
        return raw

    def choice(self, raw: Any, path: str, allowed: tuple[str, ...]) -> str | None:
        if raw not in allowed:
            self.fail(path, f"{_shown(raw)} n'est pas une valeur permise ({' | '.join(allowed)})")
            return None
        return raw  # type: ignore[no-any-return]

    def required(self, obj: dict[str, Any], key: str, path: str) -> Any:
        if key not in obj or obj[key] is None:
            self.fail(f"{path}.{key}" if path else key, "champ obligatoire manquant")
            return None
        return obj[key]


# Dates outside this range are typing errors; rejecting them also keeps date arithmetic
# (legal delays of months or years) far from the calendar's limits.
EARLIEST, LATEST = date(1900, 1, 1), date(2199, 12, 31)


@lru_cache(maxsize=65536)
def _iso_date(raw: str) -> date | None:
    """Strict YYYY-MM-DD (``fromisoformat`` alone also takes 20260110 and week dates)."""
    if not _ISO_DATE.fullmatch(raw):
        return None
    try:
        parsed = date.fromisoformat(raw)
    except ValueError:
        return None
    return parsed if EARLIEST <= parsed <= LATEST else None


def _kind(raw: Any) -> str:
    return {
        bool: "booléen",
        int: "nombre",
        float: "nombre",
        str: "texte",
        list: "liste",
        dict: "objet",
        type(None): "null",
    }.get(type(raw), type(raw).__name__)


def _shown(raw: Any) -> str:
    if isinstance(raw, str):
        return f"« {raw} »"
    return f"une valeur de type {_kind(raw)}" if isinstance(raw, (list, dict)) else repr(raw)


def parse_case(data: Any, *, today: date | None = None) -> Case:
    """Validate raw contract JSON (already decoded) and build the typed case.

    Raises :class:`CaseError` with one :class:`Problem` per thing wrong.
    """
    r = _Reader()
    if not isinstance(data, dict):
        raise CaseError([Problem("(racine)", f"un objet JSON est attendu, reçu {_shown(data)}")])
    raw_as_of = data.get("as_of")
    as_of = r.date(raw_as_of, "as_of") if raw_as_of is not None else None
    if as_of is None:
        as_of = today or today_paris()  # the clock is read only when no date is given
    person = _read_person(r, data.get("person"))
    raw_events = data.get("events")
    events: list[Event] = []
    if raw_events is None:
        r.fail("events", "champ obligatoire manquant (une liste, éventuellement vide)")
    elif not isinstance(raw_events, list):
        r.fail("events", f"une liste est attendue, reçu {_shown(raw_events)}")
    else:
        for i, raw in enumerate(raw_events):
            event = _read_event(r, raw, i)
            if event is not None:
                events.append(event)
    if r.problems:
        raise CaseError(r.problems)
    assert person is not None
    # Sorted by date; same-day events keep the order of the list (the contract says so).
    events.sort(key=attrgetter("date"))  # stable: same-day events keep list order
    case = _build(r, as_of, person, events)
    if r.problems:
        raise CaseError(r.problems)
    return case


def _read_person(r: _Reader, raw: Any) -> Person | None:
    if not isinstance(raw, dict):
        if raw is None:
            r.fail("person", "champ obligatoire manquant")
        else:
            r.fail("person", f"un objet est attendu, reçu {_shown(raw)}")
        return None
    birth = r.required(raw, "birth_date", "person")
    birth_date = r.date(birth, "person.birth_date") if birth is not None else None
    status_raw = r.required(raw, "residence_status", "person")
    status = (
        r.choice(status_raw, "person.residence_status", RESIDENCE_STATUSES)
        if status_raw is not None
        else None
    )
    cv_raw = r.required(raw, "carte_vitale", "person")
    carte_vitale = r.boolean(cv_raw, "person.carte_vitale") if cv_raw is not None else None
    postcode = raw.get("residence_postcode")
    if postcode is not None:
        if not isinstance(postcode, str) or not _POSTCODE.fullmatch(postcode):
            r.fail(
                "person.residence_postcode",
                f"{_shown(postcode)} n'est pas un code postal (5 chiffres, ou null sans adresse)",
            )
            postcode = None
        elif cpam_for_postcode(postcode).departement is None:
            r.fail("person.residence_postcode", f"« {postcode} » n'est pas un code postal français")
            postcode = None
    benefits_raw = raw.get("benefits_before_ecrou", [])
    benefits: set[str] = set()
    if benefits_raw is None:
        benefits_raw = []
    if not isinstance(benefits_raw, list):
        r.fail(
            "person.benefits_before_ecrou", f"une liste est attendue, reçu {_shown(benefits_raw)}"
        )
    else:
        for j, b in enumerate(benefits_raw):
            if b in BENEFITS:
                benefits.add(b)
            else:
                r.choice(b, f"person.benefits_before_ecrou[{j}]", BENEFITS)
    if birth_date is None or status is None or carte_vitale is None:
        return None
    return Person(birth_date, status, carte_vitale, postcode, frozenset(benefits))


# Fields each event type carries besides type and date: (name, expected, required).
# ``expected`` is a tuple of allowed values, ``bool``, ``date`` or "establishment".
_EVENT_FIELDS: dict[str, tuple[tuple[str, Any, bool], ...]] = {
    "ecrou": (("establishment", "establishment", True),),
    "amenagement": (("measure", MEASURES, True),),
    "activity_start": (("activity", ACTIVITIES, True),),
    "atmp_during_ecrou": (("consolidated", bool, True),),
    "ame_filed": (("complete", bool, True), ("care_date", date, False)),
    "c2s_granted": (("end", date, False),),
    "residence_permit_expiry": (("oqtf", bool, False),),
}
_KNOWN_TYPES = frozenset(EVENT_TYPES)


def _read_event(r: _Reader, raw: Any, i: int) -> Event | None:
    path = f"events[{i}]"
    if not isinstance(raw, dict):
        r.fail(path, f"un objet est attendu, reçu {_shown(raw)}")
        return None
    before = len(r.problems)
    kind = raw.get("type")
    if type(kind) is not str or kind not in _KNOWN_TYPES:
        if kind is None:
            r.fail(f"{path}.type", "champ obligatoire manquant")
        else:
            r.fail(
                f"{path}.type",
                f"type d'événement inconnu {_shown(kind)} (connus : {', '.join(EVENT_TYPES)})",
            )
        kind = None
    raw_date = raw.get("date")
    when = _iso_date(raw_date) if type(raw_date) is str else None
    if when is None:
        if raw_date is None:
            r.fail(f"{path}.date", "champ obligatoire manquant")
        else:
            r.date(raw_date, f"{path}.date")
    fields = _EVENT_FIELDS.get(kind)  # type: ignore[arg-type]
    event = Event(i, kind, when)  # type: ignore[arg-type]
    if fields is None:
        return event if len(r.problems) == before else None
    for name, expected, required in fields:
        value = raw.get(name)
        # Valid values are set at once; the _Reader methods only run to report a problem.
        if value is None:
            if required:
                r.fail(f"{path}.{name}", "champ obligatoire manquant")
        elif expected is bool:
            if type(value) is bool:
                setattr(event, name, value)
            else:
                r.boolean(value, f"{path}.{name}")
        elif expected is date:
            parsed = _iso_date(value) if type(value) is str else None
            if parsed is not None:
                setattr(event, name, parsed)
            else:
                r.date(value, f"{path}.{name}")
        elif expected == "establishment":
            setattr(event, name, _read_establishment(r, value, f"{path}.{name}"))
        elif value in expected:
            setattr(event, name, value)
        else:
            r.choice(value, f"{path}.{name}", expected)
    if event.end is not None and when is not None and event.end <= when:
        r.fail(f"{path}.end", f"la fin {event.end} doit être postérieure au début {when}")
    if len(r.problems) > before or kind is None or when is None:
        return None
    return event


def _read_establishment(r: _Reader, name: Any, path: str) -> Establishment | None:
    if not isinstance(name, str) or not name.strip():
        r.fail(path, f"un nom ou un code d'établissement est attendu, reçu {_shown(name)}")
        return None
    found = find_establishment(name)
    if found is None:
        close = suggest_establishments(name)
        hint = f" ; vouliez-vous dire : {' ou '.join(close)} ?" if close else ""
        r.fail(path, f"établissement inconnu « {name} »{hint}")
    return found


def _build(r: _Reader, as_of: date, person: Person, events: list[Event]) -> Case:
    """Check the order of events (the custody lifecycle) and group them into stays."""
    stays: list[Stay] = []
    current: Stay | None = None
    activity: Event | None = None
    work: Event | None = None
    filings: list[Event] = []
    grants: list[Event] = []
    c2s: list[Event] = []
    expiries: list[Event] = []

    for e in events:
        if e.date < person.birth_date:
            r.fail(
                f"{_at(e)}.date", f"{e.type} le {e.date} précède la naissance ({person.birth_date})"
            )
            continue
        if e.type == "ecrou":
            if current is not None:
                r.fail(
                    _at(e),
                    f"ecrou le {e.date} alors que la personne est déjà écrouée depuis le "
                    f"{current.ecrou.date} (il manque la levee_ecrou entre les deux)",
                )
                continue
            current = Stay(ecrou=e)
            stays.append(current)
        elif e.type == "levee_ecrou":
            if current is None:
                _reject_outside_custody(r, e, stays, events)
                continue
            current.levee = e
            current, activity, work = None, None, None  # the levée ends work and activity
        elif e.type == "planned_release":
            if not stays:
                _reject_outside_custody(r, e, stays, events)
                continue
            stays[-1].planned_releases.append(e)
        elif e.type in CUSTODY_EVENTS:
            if current is None:
                _reject_outside_custody(r, e, stays, events)
                continue
            if e.type == "amenagement":
                current.amenagements.append(e)
                current.changes.append(e)
            elif e.type == "activity_start":
                if not current.amenagements:
                    later = _next_in_stay(events, e, "amenagement")
                    when = f" (l'aménagement commence le {later.date})" if later else ""
                    r.fail(
                        _at(e),
                        f"activity_start le {e.date} hors d'un aménagement de peine{when} : l'activité "
                        "professionnelle ne change l'affiliation que pendant un aménagement (AFF-3)",
                    )
                elif activity is not None:
                    r.fail(
                        _at(e),
                        f"activity_start le {e.date} alors qu'une activité a commencé le {activity.date} sans activity_end",
                    )
                else:
                    activity = e
                    current.changes.append(e)
            elif e.type == "activity_end":
                if activity is None:
                    start = _next_in_stay(events, e, "activity_start")
                    r.fail(
                        _at(e),
                        f"activity_end le {e.date} précède l'activity_start du {start.date}"
                        if start
                        else f"activity_end le {e.date} sans activity_start en cours pendant cet écrou",
                    )
                else:
                    activity = None
                    current.changes.append(e)
            elif e.type == "work_inside_start":
                if work is not None:
                    r.fail(
                        _at(e),
                        f"work_inside_start le {e.date} alors qu'un travail commencé le {work.date} n'est pas terminé",
                    )
                else:
                    work = e
            elif e.type == "work_inside_end":
                if work is None:
                    r.fail(_at(e), f"work_inside_end le {e.date} sans work_inside_start en cours")
                else:
                    work = None
            elif e.type == "atmp_during_ecrou":
                current.atmp.append(e)
        else:
            _check_after_release(r, e, person, current, stays, expiries)
            {"ame_filed": filings, "ame_granted": grants, "c2s_granted": c2s}.get(
                e.type, expiries
            ).append(e)

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


def _at(e: Event) -> str:
    """The JSON path of an event, for messages (built only when there is a problem)."""
    return f"events[{e.index}]"


def _reject_outside_custody(r: _Reader, e: Event, stays: list[Stay], events: list[Event]) -> None:
    """Report a custody event that no écrou covers, naming the dates involved.

    When an earlier écrou exists but was itself rejected (e.g. dated before the birth), its
    own problem is the one to fix: no second, misleading message is added.
    """
    if not stays:
        if any(x.type == "ecrou" and x.date <= e.date for x in events):
            return
        later = next((x for x in events if x.type == "ecrou"), None)
        if later is not None:
            r.fail(_at(e), f"{e.type} le {e.date} précède l'ecrou du {later.date}")
        else:
            r.fail(_at(e), f"{e.type} le {e.date} sans ecrou : ajoutez d'abord la mise sous écrou")
        return
    last = stays[-1]
    assert last.levee is not None
    r.fail(
        _at(e),
        f"{e.type} le {e.date} hors écrou : la personne est sortie le {last.levee.date} "
        f"(levee_ecrou) et n'a pas été réécrouée depuis",
    )


def _next_in_stay(events: list[Event], e: Event, kind: str) -> Event | None:
    """The next ``kind`` event after ``e`` within the same custody period (before any levée)."""
    for x in events:
        if x.date > e.date:
            if x.type == "levee_ecrou":
                return None
            if x.type == kind:
                return x
    return None


def _check_after_release(
    r: _Reader,
    e: Event,
    person: Person,
    current: Stay | None,
    stays: list[Stay],
    expiries: list[Event],
) -> None:
    path = f"events[{e.index}]"
    if e.type == "residence_permit_expiry":
        if not person.regular:
            r.fail(
                path,
                "residence_permit_expiry pour une personne en situation irrégulière (person.residence_status) : aucun titre à expirer",
            )
        return
    if e.type == "c2s_granted":
        if not person.regular:
            r.fail(
                path,
                "c2s_granted : la C2S est réservée aux personnes en situation régulière (C2S-1)",
            )
        return
    # ame_filed, ame_granted
    if current is not None:
        r.fail(
            path,
            f"{e.type} le {e.date} pendant l'écrou commencé le {current.ecrou.date} : aucune "
            "demande d'AME n'est possible pendant l'incarcération (AME-2)",
        )
    elif not any(s.levee is not None for s in stays):
        r.fail(
            path,
            f"{e.type} le {e.date} avant toute levee_ecrou : l'AME se demande après la sortie (AME-2)",
        )
    elif person.regular and not any(x.date <= e.date for x in expiries):
        r.fail(
            path,
            f"{e.type} pour une personne en situation régulière sans residence_permit_expiry "
            "antérieure : l'AME est réservée aux personnes en situation irrégulière (AME-1)",
        )

"""The order of a case's events (the custody lifecycle), and their grouping into stays."""

from __future__ import annotations

from datetime import date

from cnpe_flow.rules.case_model import (
    CUSTODY_EVENTS,
    Case,
    Event,
    Person,
    Problem,
    Stay,
)
from cnpe_flow.rules.case_reading import _Problems
from cnpe_flow.rules.dates import ONE_DAY, fr
from cnpe_flow.rules.event_types import REGISTRY

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

"""Invalid cases for the property and CLI tests: one mutation of a valid generated case.

``invalid_case(rnd, mutation)`` takes a valid case from ``random_case`` and breaks it in one
way, returning the broken input and the field path that the ``CaseError`` must name (plus,
for the order checks, fragments that the message must contain). Driven by a
``random.Random`` so that Hypothesis (``st.randoms()``) and plain seeded loops share it.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from cnpe_flow.rules.sample_cases import random_case

# Fields a problem may name (case.py), and the start of every problem path.
FIELD_ROOTS = ("person", "events", "as_of", "(racine)")


@dataclass(frozen=True)
class Invalid:
    mutation: str
    data: Any
    field: str  # the exact field path one of the problems must name
    mentions: tuple[str, ...] = ()  # strings that problem's message must contain


Mutation = Callable[[random.Random, dict[str, Any]], Invalid]
MUTATIONS: dict[str, Mutation] = {}


def _mutation(fn: Mutation) -> Mutation:
    MUTATIONS[fn.__name__.lstrip("_")] = fn
    return fn


def _index_of(rnd: random.Random, case: dict[str, Any], kind: str | None = None) -> int:
    """A random event index (of the given type)."""
    events = case["events"]
    choices = [i for i, e in enumerate(events) if kind is None or e["type"] == kind]
    return rnd.choice(choices)


def _first_ecrou(case: dict[str, Any]) -> date:
    return min(date.fromisoformat(e["date"]) for e in case["events"] if e["type"] == "ecrou")


def _append(case: dict[str, Any], event: Any) -> int:
    case["events"].append(event)
    return len(case["events"]) - 1


def _bad_date(rnd: random.Random, case: dict[str, Any], bad: str, name: str) -> Invalid:
    where = rnd.choice(("event", "event", "as_of", "birth_date"))
    if where == "as_of":
        case["as_of"] = bad
        return Invalid(name, case, "as_of", (bad,))
    if where == "birth_date":
        case["person"]["birth_date"] = bad
        return Invalid(name, case, "person.birth_date", (bad,))
    i = _index_of(rnd, case)
    case["events"][i]["date"] = bad
    return Invalid(name, case, f"events[{i}].date", (bad,))


@_mutation
def _date_that_does_not_exist(rnd: random.Random, case: dict[str, Any]) -> Invalid:
    bad = rnd.choice(("2026-02-30", "2025-02-29", "2026-04-31", "2026-13-01", "2026-00-10"))
    return _bad_date(rnd, case, bad, "date_that_does_not_exist")


@_mutation
def _date_in_wrong_format(rnd: random.Random, case: dict[str, Any]) -> Invalid:
    bad = rnd.choice(("10/01/2026", "20260110", "2026-1-10", "10 janvier 2026", ""))
    return _bad_date(rnd, case, bad, "date_in_wrong_format")


@_mutation
def _unknown_event_type(rnd: random.Random, case: dict[str, Any]) -> Invalid:
    i = _index_of(rnd, case)
    case["events"][i]["type"] = rnd.choice(("liberation", "Ecrou", "levee", ""))
    return Invalid("unknown_event_type", case, f"events[{i}].type")


@_mutation
def _event_type_not_a_string(rnd: random.Random, case: dict[str, Any]) -> Invalid:
    i = _index_of(rnd, case)
    kind = case["events"][i]["type"]
    case["events"][i]["type"] = rnd.choice(([kind], {"name": kind}, 3, True))
    return Invalid("event_type_not_a_string", case, f"events[{i}].type")


def _missing(rnd: random.Random, case: dict[str, Any], key: str, kind: str | None) -> Invalid:
    i = _index_of(rnd, case, kind)
    del case["events"][i][key]
    return Invalid(f"missing_{key}", case, f"events[{i}].{key}")


@_mutation
def _missing_type(rnd: random.Random, case: dict[str, Any]) -> Invalid:
    return _missing(rnd, case, "type", None)


@_mutation
def _missing_date(rnd: random.Random, case: dict[str, Any]) -> Invalid:
    return _missing(rnd, case, "date", None)


@_mutation
def _missing_establishment(rnd: random.Random, case: dict[str, Any]) -> Invalid:
    return _missing(rnd, case, "establishment", "ecrou")


@_mutation
def _missing_measure(rnd: random.Random, case: dict[str, Any]) -> Invalid:
    if any(e["type"] == "amenagement" for e in case["events"]):
        return _missing(rnd, case, "measure", "amenagement")
    i = _append(case, {"type": "amenagement", "date": _first_ecrou(case).isoformat()})
    return Invalid("missing_measure", case, f"events[{i}].measure")


@_mutation
def _null_measure(rnd: random.Random, case: dict[str, Any]) -> Invalid:
    """``null`` counts as missing."""
    i = _append(
        case, {"type": "amenagement", "date": _first_ecrou(case).isoformat(), "measure": None}
    )
    return Invalid("null_measure", case, f"events[{i}].measure")


@_mutation
def _carte_vitale_not_a_boolean(rnd: random.Random, case: dict[str, Any]) -> Invalid:
    case["person"]["carte_vitale"] = rnd.choice(("yes", "true", 1, 0, []))
    return Invalid("carte_vitale_not_a_boolean", case, "person.carte_vitale")


@_mutation
def _events_not_a_list(rnd: random.Random, case: dict[str, Any]) -> Invalid:
    case["events"] = rnd.choice(({}, "ecrou", 3, {"type": "ecrou"}))
    return Invalid("events_not_a_list", case, "events")


@_mutation
def _unknown_establishment(rnd: random.Random, case: dict[str, Any]) -> Invalid:
    i = _index_of(rnd, case, "ecrou")
    name = rnd.choice(("Maison d'arrêt de Nulle-Part", "Prison imaginaire", "ZZZ999"))
    case["events"][i]["establishment"] = name
    return Invalid("unknown_establishment", case, f"events[{i}].establishment", (name,))


@_mutation
def _levee_before_ecrou(rnd: random.Random, case: dict[str, Any]) -> Invalid:
    ecrou = _first_ecrou(case)
    levee = ecrou - timedelta(days=rnd.randint(1, 30))
    i = _append(case, {"type": "levee_ecrou", "date": levee.isoformat()})
    return Invalid(
        "levee_before_ecrou", case, f"events[{i}]", (levee.isoformat(), ecrou.isoformat())
    )


@_mutation
def _second_ecrou_without_levee(rnd: random.Random, case: dict[str, Any]) -> Invalid:
    # Same day as an existing écrou and later in the list: read while that stay is open.
    j = _index_of(rnd, case, "ecrou")
    when = case["events"][j]["date"]
    other = rnd.choice([e for e in case["events"] if e["type"] == "ecrou"])
    i = _append(case, {"type": "ecrou", "date": when, "establishment": other["establishment"]})
    return Invalid("second_ecrou_without_levee", case, f"events[{i}]", (when,))


@_mutation
def _activity_start_outside_amenagement(rnd: random.Random, case: dict[str, Any]) -> Invalid:
    # Without any aménagement (a contract signed for a coming one is valid: contract v2).
    moved = ("amenagement", "activity_start", "activity_end")
    case["events"] = [e for e in case["events"] if e["type"] not in moved]
    j = _index_of(rnd, case, "ecrou")
    when = case["events"][j]["date"]
    activity = rnd.choice(("work", "paid_training", "unemployment_benefits"))
    i = _append(case, {"type": "activity_start", "date": when, "activity": activity})
    return Invalid("activity_start_outside_amenagement", case, f"events[{i}]", (when,))


@_mutation
def _ame_filed_during_custody(rnd: random.Random, case: dict[str, Any]) -> Invalid:
    j = _index_of(rnd, case, "ecrou")
    when = case["events"][j]["date"]
    i = _append(case, {"type": "ame_filed", "date": when, "complete": rnd.random() < 0.5})
    return Invalid("ame_filed_during_custody", case, f"events[{i}]", (when,))


@_mutation
def _unknown_benefit(rnd: random.Random, case: dict[str, Any]) -> Invalid:
    benefits = case["person"]["benefits_before_ecrou"]
    benefits.insert(rnd.randint(0, len(benefits)), rnd.choice(("rsa", "IJ", "aah", 3)))
    k = next(
        k
        for k, b in enumerate(benefits)
        if b not in ("ij", "ald", "atmp_rente", "invalidity_pension")
    )
    return Invalid("unknown_benefit", case, f"person.benefits_before_ecrou[{k}]")


@_mutation
def _bad_postcode(rnd: random.Random, case: dict[str, Any]) -> Invalid:
    case["person"]["residence_postcode"] = rnd.choice(("7501", "750011", "75 011", "ABCDE", 75011))
    return Invalid("bad_postcode", case, "person.residence_postcode")


@_mutation
def _event_not_an_object(rnd: random.Random, case: dict[str, Any]) -> Invalid:
    i = _index_of(rnd, case)
    case["events"][i] = rnd.choice((3, "ecrou", None, ["ecrou", "2026-01-10"]))
    return Invalid("event_not_an_object", case, f"events[{i}]")


@_mutation
def _top_level_not_an_object(rnd: random.Random, case: dict[str, Any]) -> Invalid:
    data = rnd.choice(([case], "case", 3, None, True))
    return Invalid("top_level_not_an_object", data, "(racine)")


MUTATION_NAMES = tuple(MUTATIONS)


def invalid_case(rnd: random.Random, mutation: str) -> Invalid:
    """A valid generated case broken by ``mutation`` (a name from ``MUTATION_NAMES``)."""
    case = copy.deepcopy(random_case(rnd))
    return MUTATIONS[mutation](rnd, case)

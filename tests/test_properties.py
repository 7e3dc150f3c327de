"""Properties of ``evaluate`` on generated cases (valid: ``random_case``; invalid: one mutation).

Each property is a sentence of case-contract.md that must hold for every case, not only the
shared scenarios: periods tile time from the first écrou, every decision cites catalogue rules,
tasks never fall before their trigger, event order in the input does not matter, REL-1 and
REL-4 at each levée, and bad input always gives a ``CaseError`` naming the field.
"""

from __future__ import annotations

import json
import random
import re
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import Phase, given, note, settings
from hypothesis import strategies as st
from invalid_cases import FIELD_ROOTS, MUTATION_NAMES, invalid_case

from cnpe_flow.rules import CaseError, evaluate
from cnpe_flow.rules.catalogue import rules as catalogue
from cnpe_flow.rules.dates import Duration, add_months
from cnpe_flow.rules.raw_values import EARLIEST, LATEST
from cnpe_flow.rules.sample_cases import random_case

# Hypothesis' failure report creates a class from mypy_extensions.TypedDict, whose warning the
# pyproject filter (by module) does not catch: without this a failing property shows up as an
# INTERNALERROR instead of its falsifying example.
CASES = settings(max_examples=300, deadline=None, database=None)
# For tests whose failing input is printed anyway: no shrinking, so that a failure stays fast.
NO_SHRINK = settings(CASES, phases=[Phase.explicit, Phase.generate])
RANDOMS = st.randoms(use_true_random=False)


def _d(iso: str) -> date:
    return date.fromisoformat(iso)


def _check_periods(periods: list[dict[str, Any]]) -> None:
    """In order, non-overlapping, each ``start < end``; only the last may be open-ended."""
    for k, p in enumerate(periods):
        last = k == len(periods) - 1
        if p["end"] is None:
            assert last, f"open-ended period before the last one: {periods}"
        else:
            assert _d(p["start"]) < _d(p["end"]), p
        if not last:
            assert p["end"] is not None and _d(p["end"]) <= _d(periods[k + 1]["start"]), periods


# --- affiliation ---------------------------------------------------------------------------


@CASES
@given(RANDOMS)
def test_affiliation_periods_tile_time_from_the_first_ecrou(rnd: random.Random):
    case = random_case(rnd)
    periods = evaluate(case)["affiliation"]
    assert periods, "every generated case has an écrou (AFF-1)"
    _check_periods(periods)
    for before, after in pairwise(periods):
        assert before["end"] == after["start"], periods  # contiguous, no gap
        assert before["fund"] != after["fund"], periods  # adjacent equal values are merged
    assert periods[-1]["end"] is None
    first_ecrou = min(e["date"] for e in case["events"] if e["type"] == "ecrou")
    assert periods[0]["start"] == first_ecrou
    assert periods[0]["fund"] == "CNPE"


@CASES
@given(RANDOMS)
def test_current_fund_is_the_fund_of_the_period_containing_as_of(rnd: random.Random):
    case = random_case(rnd)
    # The generator puts as_of after every event; also try any day around the history, and
    # the days when a period starts or ends (closed-open: the end belongs to the next one).
    first = min(_d(e["date"]) for e in case["events"])
    pick = rnd.random()
    if pick < 0.4:
        case["as_of"] = (first + timedelta(days=rnd.randint(-60, 3000))).isoformat()
    elif pick < 0.8:
        periods = evaluate(case)["affiliation"]
        bounds = [p["start"] for p in periods] + [p["end"] for p in periods if p["end"]]
        day = _d(rnd.choice(bounds)) + timedelta(days=rnd.choice((-1, 0, 0, 1)))
        case["as_of"] = day.isoformat()
    result = evaluate(case)
    as_of = _d(result["as_of"])
    assert result["as_of"] == case["as_of"]
    containing = [
        p
        for p in result["affiliation"]
        if _d(p["start"]) <= as_of and (p["end"] is None or as_of < _d(p["end"]))
    ]
    assert len(containing) <= 1
    if containing:
        assert result["current"]["fund"] == containing[0]["fund"]
    else:
        assert as_of < _d(result["affiliation"][0]["start"])
        assert result["current"]["fund"] is None


# --- rules, tasks, ij ----------------------------------------------------------------------


@CASES
@given(RANDOMS)
def test_every_period_task_and_letter_cites_known_rules(rnd: random.Random):
    result = evaluate(random_case(rnd))
    known = catalogue()
    items = (
        result["affiliation"]
        + result["ij"]
        + result["c2s"]
        + result["ame"]
        + result["tasks"]
        + result["letters"]
        + result["maintained_benefits"]
        + [x for x in (result["ald_renewal"], result["puma_maintenance"]) if x]
    )
    for item in items:
        assert item["rules"], item
        unknown = [r for r in item["rules"] if r not in known]
        assert not unknown, (unknown, item)


@CASES
@given(RANDOMS)
def test_every_task_is_due_on_or_after_its_triggering_event(rnd: random.Random):
    case = random_case(rnd)
    events = case["events"]
    for task in evaluate(case)["tasks"]:
        assert 0 <= task["event"] < len(events), task
        trigger = events[task["event"]]
        assert task["due"] >= trigger["date"], (task, trigger)


@CASES
@given(RANDOMS)
def test_ij_periods_are_ordered_and_task_due_dates_sorted(rnd: random.Random):
    result = evaluate(random_case(rnd))
    _check_periods(result["ij"])
    dues = [t["due"] for t in result["tasks"]]
    assert dues == sorted(dues)


@CASES
@given(RANDOMS)
def test_ij_resumption_at_most_once(rnd: random.Random):
    """IJ-3: ``ij_resumption`` once, on the first aménagement or the levée, whichever first."""
    case = random_case(rnd)
    tasks = [t for t in evaluate(case)["tasks"] if t["kind"] == "ij_resumption"]
    events = sorted(case["events"], key=lambda e: e["date"])
    receiving = "ij" in case["person"]["benefits_before_ecrou"]
    points = [e["date"] for e in events if e["type"] in ("amenagement", "levee_ecrou")]
    if receiving and points:
        assert [t["due"] for t in tasks] == [points[0]]
    else:
        assert tasks == []


# --- input order ---------------------------------------------------------------------------


def _shuffled(events: list[Any], rnd: random.Random) -> list[Any]:
    """A random permutation that keeps the relative order of same-day events (the contract
    lets their list order matter: « same-day order follows the list »)."""
    slots = list(range(len(events)))
    rnd.shuffle(slots)
    by_day: dict[str, list[int]] = {}
    for i, e in enumerate(events):
        by_day.setdefault(e["date"], []).append(i)
    for same_day in by_day.values():
        for i, slot in zip(same_day, sorted(slots[i] for i in same_day), strict=True):
            slots[i] = slot
    out: list[Any] = [None] * len(events)
    for i, slot in enumerate(slots):
        out[slot] = events[i]
    return out


def _order_free(result: dict[str, Any], events: list[dict[str, Any]]) -> dict[str, Any]:
    """The result with task triggers as (type, date) instead of input indexes; tasks due the
    same day are ordered by trigger index, so compare them as a multiset per day."""
    tasks = []
    for t in result["tasks"]:
        trigger = events[t["event"]]
        tasks.append({**t, "event": (trigger["type"], trigger["date"])})
    tasks.sort(key=lambda t: (t["due"], json.dumps(t, sort_keys=True)))
    return {**result, "tasks": tasks}


@CASES
@given(RANDOMS)
def test_evaluation_does_not_depend_on_the_order_of_events(rnd: random.Random):
    case = random_case(rnd)
    shuffled = {**case, "events": _shuffled(case["events"], rnd)}
    assert sorted(map(repr, shuffled["events"])) == sorted(map(repr, case["events"]))
    got = _order_free(evaluate(shuffled), shuffled["events"])
    want = _order_free(evaluate(case), case["events"])
    # Key facts first, for a readable failure; then everything else.
    assert [(t["kind"], t["due"], *t["event"]) for t in got["tasks"]] == [
        (t["kind"], t["due"], *t["event"]) for t in want["tasks"]
    ]
    assert got == want


# --- release: REL-1, REL-4 -----------------------------------------------------------------


@CASES
@given(RANDOMS)
def test_carte_vitale_update_ten_days_after_each_levee(rnd: random.Random):
    case = random_case(rnd)
    person = case["person"]
    levees = [(i, e) for i, e in enumerate(case["events"]) if e["type"] == "levee_ecrou"]
    updates = [t for t in evaluate(case)["tasks"] if t["kind"] == "carte_vitale_update"]
    if person["residence_status"] == "regular" and person["carte_vitale"]:
        assert sorted((t["event"], t["due"]) for t in updates) == sorted(
            (i, (_d(e["date"]) + timedelta(days=10)).isoformat()) for i, e in levees
        )
        assert all("REL-1" in t["rules"] for t in updates)
    else:
        assert updates == []  # REL-1 only « with a carte Vitale »


@CASES
@given(RANDOMS)
def test_no_mas_referral_for_an_irregular_person(rnd: random.Random):
    case = random_case(rnd)
    if case["person"]["residence_status"] != "irregular":
        case["person"]["residence_status"] = "irregular"
        case["person"]["carte_vitale"] = False
        # Events reserved to regular persons (C2S-1, PUMA-2) would make the case invalid.
        case["events"] = [
            e for e in case["events"] if e["type"] not in ("c2s_granted", "residence_permit_expiry")
        ]
    result = evaluate(case)
    assert not [t for t in result["tasks"] if t["kind"] == "mas_referral_offer"]  # REL-4
    assert "mas_referral" not in {x["kind"] for x in result["letters"]}
    levees = [i for i, e in enumerate(case["events"]) if e["type"] == "levee_ecrou"]
    firsts = [t["event"] for t in result["tasks"] if t["kind"] == "ame_first_filing_in_person"]
    if any(w["code"] == "ame_not_in_mayotte" for w in result["warnings"]):
        assert len(firsts) < len(levees)  # AME-1: no AME filing for a release in Mayotte
    else:
        assert sorted(firsts) == levees  # AFF-8, AME-2


@CASES
@given(RANDOMS)
def test_contract_tasks_and_letters_follow_the_events(rnd: random.Random):
    """case-contract.md, « When the contract's tasks apply » and « Letters », event by event."""
    case = random_case(rnd)
    person = case["person"]
    regular = person["residence_status"] == "regular"
    benefits = set(person["benefits_before_ecrou"])
    result = evaluate(case)
    by_kind: dict[str, list[tuple[int, str]]] = {}
    for t in result["tasks"]:
        by_kind.setdefault(t["kind"], []).append((t["event"], t["due"]))

    def at(*types: str) -> list[tuple[int, str]]:
        return sorted((i, e["date"]) for i, e in enumerate(case["events"]) if e["type"] in types)

    def tasks(kind: str) -> list[tuple[int, str]]:
        return sorted(by_kind.get(kind, []))

    levees = at("levee_ecrou")
    assert tasks("ald_protocol_request") == (at("ecrou") if "ald" in benefits else [])  # ALD-1
    # AFF-11: a notice on each aménagement and each activity start during one; a contract
    # signed before its aménagement goes with the aménagement's notice (contract v2).
    signed_before, in_amenagement = set(), False
    for i, e in sorted(enumerate(case["events"]), key=lambda x: (x[1]["date"], x[0])):
        if e["type"] in ("ecrou", "levee_ecrou"):
            in_amenagement = False
        elif e["type"] == "amenagement":
            in_amenagement = True
        elif e["type"] == "activity_start" and not in_amenagement:
            signed_before.add(i)
    notices = [x for x in at("amenagement", "activity_start") if x[0] not in signed_before]
    assert tasks("cnpe_amenagement_notice") == notices
    assert tasks("contact_cpam_residence") == (levees if regular else [])  # AFF-7
    assert tasks("mas_referral_offer") == (levees if regular else [])  # REL-3
    if not any(w["code"] == "ame_not_in_mayotte" for w in result["warnings"]):
        assert tasks("ame_first_filing_in_person") == ([] if regular else levees)  # AFF-8, AME-2
    # Contract v2: while a planned release is the open stay's latest event, the letters of a
    # levée on that date are listed already, provisional; otherwise those of the last levée.
    provisional = {x["kind"] for x in result["letters"] if x["provisional"]}
    last_stay = result["stays"][-1] if result["stays"] else None
    if provisional:
        assert last_stay is not None and last_stay["levee"] is None
        assert last_stay["ecrou"] <= max(d for _, d in at("planned_release"))
        assert "release_summary" in provisional
    released = bool(levees or provisional)
    letters = {x["kind"] for x in result["letters"]}
    assert ("release_summary" in letters) == released
    assert ("cpam_transfer" in letters) == bool(
        released and regular and person["residence_postcode"]
    )  # AFF-6
    assert ("mas_referral" in letters) == bool(released and regular)
    # AME-1: no AME in Mayotte, where the person goes (postcode) or is released (establishment).
    mayotte = any(w["code"] == "ame_not_in_mayotte" for w in result["warnings"])
    assert ("ame_filing_guide" in letters) == bool(released and not regular and not mayotte)
    assert ("ald_renewal" in letters) == ("ald" in benefits)  # ALD-2
    assert ("cnpe_amenagement" in letters) == bool(at("amenagement"))
    assert result["ald_renewal_pole"] in ((None, "NORD", "SUD") if "ald" in benefits else (None,))


# --- the ends of the calendar --------------------------------------------------------------


def _shifted(case: dict[str, Any], days: int) -> dict[str, Any]:
    def move(iso: str) -> str:
        return (_d(iso) + timedelta(days=days)).isoformat()

    person = {**case["person"], "birth_date": move(case["person"]["birth_date"])}
    events = [{**e, "date": move(e["date"])} for e in case["events"]]
    return {**case, "as_of": move(case["as_of"]), "person": person, "events": events}


@settings(NO_SHRINK, max_examples=100)
@given(RANDOMS, st.sampled_from(["year 1", "year 9999", "first accepted", "last accepted"]))
def test_dates_near_the_ends_of_the_calendar_never_crash(rnd: random.Random, end: str):
    """Dates inside the accepted range (raw_values.py: EARLIEST … LATEST) give a result, also when
    legal delays run past LATEST; dates outside it give a ``CaseError`` naming the date, never
    an OverflowError (0001-01-01 … 9999-12-31 parse: the CLI would exit 1, « erreur interne »)."""
    case = random_case(rnd)
    days = [_d(case["person"]["birth_date"]), _d(case["as_of"])]
    days += [_d(e["date"]) for e in case["events"]]
    margin = rnd.randint(0, 400)
    lowest, highest = {
        "year 1": (date.min, None),
        "year 9999": (None, date.max),
        "first accepted": (EARLIEST, None),
        "last accepted": (None, LATEST),
    }[end]
    if lowest is not None:
        delta = (lowest - min(days)).days + margin
    else:
        delta = (highest - max(days)).days - margin
    case = _shifted(case, delta)
    note(json.dumps(case, ensure_ascii=False))
    if end.endswith("accepted"):
        evaluate(case)  # a valid case: no CaseError either
        return
    with pytest.raises(CaseError) as caught:
        evaluate(case)
    for p in caught.value.problems:
        assert p.field in ("as_of", "person.birth_date") or p.field.endswith(".date"), p


# --- invalid input -------------------------------------------------------------------------

_FRENCH = re.compile(
    r"n'est pas|manquant|attendu|inconnu|précède|alors que|hors|pendant|permise|avant|sans|reçu"
)


def _french_date(text: str) -> str:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return f"{text[8:10]}/{text[5:7]}/{text[0:4]}"
    return text


# One test per mutation, so that a crash on one kind of bad input does not hide the others.
@pytest.mark.parametrize("mutation", MUTATION_NAMES)
@settings(NO_SHRINK, max_examples=30)
@given(rnd=RANDOMS)
def test_invalid_case_raises_case_error_naming_the_field(mutation: str, rnd: random.Random):
    bad = invalid_case(rnd, mutation)
    note(repr(bad))
    with pytest.raises(CaseError) as caught:  # any other exception fails the test as is
        evaluate(bad.data)
    problems = caught.value.problems
    assert problems
    for p in problems:
        assert p.field.startswith(FIELD_ROOTS), p
        assert p.message.strip(), p
        assert _FRENCH.search(p.message), f"not a French message: {p}"
        assert "Traceback" not in p.message
    named = [p for p in problems if p.field == bad.field]
    assert named, f"{mutation}: no problem names {bad.field}: {problems}"
    for fragment in bad.mentions:
        # Messages are read by people: dates as JJ/MM/AAAA (the line keeps the ISO refs);
        # a value that is not a date is quoted as typed.
        shown = _french_date(fragment)
        assert any(shown in p.message or f"« {fragment} »" in p.message for p in named), (
            shown,
            named,
        )
    assert str(caught.value) == "\n".join(p.line() for p in problems)


@settings(max_examples=500, deadline=None)
@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31)),
    st.integers(min_value=-60, max_value=60),
)
def test_month_arithmetic_is_relativedelta_on_every_day_including_month_ends(d: date, months: int):
    """Legal delays in months (rules-catalogue §8): 31/01 + 1 month = 28/02 or 29/02, as
    relativedelta says, whether the shortcut for days up to the 28th applies or not."""
    expected = d + relativedelta(months=months)
    if not (EARLIEST <= expected <= LATEST):
        return
    assert add_months(d, months) == expected
    if months >= 0:
        assert Duration(months=months, days=3).after(d) == expected + timedelta(days=3)

"""Properties of ``evaluate`` with a random ``person.household`` (household-spec.md): valid
input (``sample_households.random_household``) always gives ``rights_to_check`` in the spec's
shape; one junk value anywhere in the household gives a ``CaseError`` naming a field under
``person.household``, never another exception.
"""

from __future__ import annotations

import json
import random
import re
from decimal import Decimal
from typing import Any

from hypothesis import given, note, settings
from hypothesis import strategies as st

from cnpe_flow.rules import CaseError, evaluate
from cnpe_flow.rules.catalogue import rules as catalogue
from cnpe_flow.rules.sample_cases import random_case
from cnpe_flow.rules.sample_households import random_household

CASES = settings(max_examples=300, deadline=None, database=None)
RANDOMS = st.randoms(use_true_random=False)
RIGHTS = {"c2s", "ame", "soins_urgents", "ass", "capital_deces", "puma_individual"}
KEYS = ["right", "title", "status", "summary", "conditions", "steps", "rules", "parameters"]
AMOUNT = re.compile(r"\d+\.\d{2}")
MEDICAL = re.compile(r"ald|atmp|at/mp|consolidated|invalidit|indemnités journalières", re.I)
JUNK: tuple[Any, ...] = (
    "x",
    -5,
    True,
    [],
    {},
    "2026-02-30",
    "1812-01-01",
    float("nan"),
    float("inf"),
    1e300,
    "cousin",
    3.5,
)


def with_household(rnd: random.Random) -> dict[str, Any]:
    case = random_case(rnd)
    case["person"]["household"] = random_household(rnd)
    return case


def check_item(x: dict[str, Any]) -> None:
    assert x["right"] in RIGHTS, x
    assert [k for k in x if k != "participation"] == KEYS, x
    assert x["status"] in ("likely", "unlikely", "to_check"), x
    assert isinstance(x["title"], str) and isinstance(x["summary"], str) and x["summary"]
    met = [c["met"] for c in x["conditions"]]
    assert all(m in (True, False, None) for m in met), x
    # never guessed: the status follows from the conditions
    if False in met:
        assert x["status"] == "unlikely", x
    elif None in met:
        assert x["status"] == "to_check", x
    else:
        assert x["status"] == "likely", x
    assert all(isinstance(s, str) and s for s in x["steps"]), x
    assert x["rules"] and set(x["rules"]) <= set(catalogue()), x
    assert all(isinstance(p, str) and "@" in p for p in x["parameters"]), x
    block = x.get("participation")
    if block is not None:
        assert x["right"] == "c2s" and "C2S-2" in x["rules"], x
        assert block["reference_date"].endswith("-01-01")
        monthly = [m["monthly"] for m in block["members"]]
        assert all(AMOUNT.fullmatch(m) for m in monthly), block
        assert AMOUNT.fullmatch(block["total_monthly"]), block
        assert sum(map(Decimal, monthly)) == Decimal(block["total_monthly"]), block
        assert all(m["age"] >= 0 for m in block["members"]), block


@CASES
@given(RANDOMS)
def test_c2s_1_ame_1_random_household_gives_the_spec_shape(rnd: random.Random):
    """C2S-1, AME-1 (property): every item has the spec's keys, statuses and types; its status
    follows its conditions; amounts are strings with two decimals that add up (C2S-2); no
    health word reaches these non-medical items."""
    case = with_household(rnd)
    note(json.dumps(case["person"]))
    found = evaluate(case)["rights_to_check"]
    assert isinstance(found, list)
    for x in found:
        check_item(x)
    assert len({x["right"] for x in found}) == len(found), found
    assert MEDICAL.findall(json.dumps(found, ensure_ascii=False)) == []


@CASES
@given(RANDOMS)
def test_c2s_1_no_household_keeps_the_shape_too(rnd: random.Random):
    """C2S-1 (property): without a household the items that show are « à vérifier » or
    decided only from the case, with the same shape."""
    case = random_case(rnd)
    case["person"].pop("household", None)  # whatever the generator gives
    for x in evaluate(case)["rights_to_check"]:
        check_item(x)
        assert x["right"] in ("c2s", "ame", "soins_urgents"), x


def _spoil(rnd: random.Random, household: dict[str, Any]) -> str:
    """Put one junk value somewhere in the household; returns where."""
    members = household.get("members")
    choices = ["annual_resources", "rsa", "in_france_since", "members", "unknown"]
    if members:
        choices += ["member", "birth_date", "relation"]
    where = rnd.choice(choices)
    junk = rnd.choice(JUNK)
    if where == "member":
        members[rnd.randrange(len(members))] = rnd.choice(("x", 3, None, []))
    elif where in ("birth_date", "relation"):
        members[rnd.randrange(len(members))][where] = rnd.choice(("x", 3, [], "2026-13-01"))
    elif where == "members":
        household["members"] = rnd.choice(("x", 3, {}, True))
    elif where == "unknown":
        household["ressources"] = junk
    elif where == "annual_resources" and junk in ([], {}):
        household[where] = "8400"
    else:
        household[where] = junk if where != "rsa" or junk is not True else "true"
    return where


@CASES
@given(RANDOMS)
def test_c2s_1_junk_in_the_household_is_a_case_error_naming_it(rnd: random.Random):
    """C2S-1 (property): one wrong value in the household is a ``CaseError`` whose problems
    all name a field under ``person.household``; never another exception."""
    case = with_household(rnd)
    where = _spoil(rnd, case["person"]["household"])
    note(f"{where}: {case['person']['household']!r}")
    try:
        found = evaluate(case)["rights_to_check"]
    except CaseError as exc:
        assert exc.problems
        assert all(p.field.startswith("person.household") for p in exc.problems), exc.problems
        assert all(isinstance(p.message, str) and p.message for p in exc.problems)
        return
    # Only values that are still valid may pass: a float amount, or an accepted relation.
    for x in found:
        check_item(x)

"""The shared scenarios (copied in tests/scenarios/), compared as their README says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from contract import CONTRACT_LETTERS, CONTRACT_TASKS

from cnpe_flow.rules import CaseError, evaluate
from cnpe_flow.rules.catalogue import rules as catalogue

SCENARIOS = sorted((Path(__file__).parent / "scenarios").glob("*.json"))


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_all_ten_shared_scenarios_are_present():
    assert len(SCENARIOS) == 10


@pytest.mark.parametrize(
    "path", [p for p in SCENARIOS if "expected" in _load(p)], ids=lambda p: p.stem
)
def test_scenario_result(path: Path):
    scenario = _load(path)
    got = evaluate(scenario["case"])
    want = scenario["expected"]
    assert [(p["start"], p["end"], p["fund"]) for p in got["affiliation"]] == [
        (p["start"], p["end"], p["fund"]) for p in want["affiliation"]
    ]
    assert [(p["start"], p["end"], p["status"]) for p in got["ij"]] == [
        (p["start"], p["end"], p["status"]) for p in want["ij"]
    ]
    assert got["ald_renewal_pole"] == want["ald_renewal_pole"]
    assert {(t["kind"], t["due"]) for t in got["tasks"] if t["kind"] in CONTRACT_TASKS} == {
        (t["kind"], t["due"]) for t in want["tasks"]
    }
    assert {x["kind"] for x in got["letters"] if x["kind"] in CONTRACT_LETTERS} == set(
        want["letters"]
    )
    # Contract v2: before a levée the letters it would bring are provisional, after it final.
    released = any(e["type"] == "levee_ecrou" for e in scenario["case"]["events"])
    for letter in got["letters"]:
        if letter["kind"] in ("release_summary", "cpam_transfer", "mas_referral"):
            assert letter["provisional"] is (not released), letter
    known = catalogue()
    for item in got["affiliation"] + got["ij"] + got["tasks"]:
        assert item["rules"], item
        assert all(r in known for r in item["rules"]), item


@pytest.mark.parametrize(
    "path", [p for p in SCENARIOS if "expected_error" in _load(p)], ids=lambda p: p.stem
)
def test_scenario_error(path: Path):
    scenario = _load(path)
    with pytest.raises(CaseError) as err:
        evaluate(scenario["case"])
    text = str(err.value)
    for fragment in scenario["expected_error"]["stderr_mentions"]:
        assert fragment in text

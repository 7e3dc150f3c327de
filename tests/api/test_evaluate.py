"""``POST /api/v1/evaluate`` gives exactly what ``cnpe-flow evaluate`` gives (case-contract.md)."""

from __future__ import annotations

import json
import random

import pytest
from apitools import SCENARIOS, load_scenario
from click.testing import CliRunner
from invalid_cases import MUTATION_NAMES, invalid_case

from cnpe_flow.cli import main


def _cli(case) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["evaluate", "-"], input=json.dumps(case))
    return result.exit_code, result.stdout, result.stderr


def _api(client, headers, case):
    return client.post("/api/v1/evaluate", json=case, headers=headers)


@pytest.fixture
def headers(make_user, token_for):
    return token_for(make_user("spip"))


def _lines(response) -> list[str]:
    """The command line's lines: field, sentence, and the events in the contract's words."""
    return [
        f"{e['field']}: {e['message']}" + (f" [{', '.join(e['refs'])}]" if "refs" in e else "")
        for e in response.get_json()["errors"]
    ]


def test_the_shared_scenarios_give_the_commands_output(client, headers):
    cases = [json.loads(p.read_text(encoding="utf-8"))["case"] for p in SCENARIOS]
    cli = [_cli(case) for case in cases]
    api = [_api(client, headers, case) for case in cases]
    bad = ["06-" in p.name for p in SCENARIOS]
    assert [code for code, _, _ in cli] == [2 if b else 0 for b in bad]
    assert [r.status_code for r in api] == [400 if b else 200 for b in bad]
    # The same JSON text, keys in the same order; for the bad case the same lines.
    assert [r.get_data(as_text=True) if r.status_code == 200 else _lines(r) for r in api] == [
        json.dumps(json.loads(out), ensure_ascii=False) if code == 0 else err.splitlines()
        for code, out, err in cli
    ]


def test_a_bad_case_gets_the_commands_messages_field_by_field(client, headers):
    bad = load_scenario("01-")["case"]
    bad["as_of"] = "2026-02-30"
    bad["person"]["carte_vitale"] = "yes"
    bad["events"][0]["date"] = "10/01/2026"
    bad["events"].append({"type": "liberation", "date": "2026-03-01"})
    code, _, stderr = _cli(bad)
    response = _api(client, headers, bad)
    assert (code, response.status_code) == (2, 400)
    assert _lines(response) == stderr.splitlines()
    assert [e["field"] for e in response.get_json()["errors"]] == [
        "as_of",
        "person.carte_vitale",
        "events[0].date",
        "events[2].type",
    ]


def test_generated_invalid_cases_get_the_commands_messages(client, headers):
    bad = [invalid_case(random.Random(f"api-{m}"), m) for m in MUTATION_NAMES]
    responses = [_api(client, headers, b.data) for b in bad]
    assert {r.status_code for r in responses} == {400}
    assert [_lines(r) for r in responses] == [_cli(b.data)[2].splitlines() for b in bad]
    unnamed = [
        b.mutation
        for r, b in zip(responses, bad, strict=True)
        if b.field not in {e["field"] for e in r.get_json()["errors"]}
    ]
    assert unnamed == []


def test_a_case_that_is_not_an_object_is_named_at_the_root(client, headers):
    _, _, stderr = _cli([1, 2])
    response = _api(client, headers, [1, 2])
    assert response.status_code == 400
    assert response.get_json()["errors"] == [
        {"field": "(racine)", "message": "un objet JSON est attendu, reçu une valeur de type liste"}
    ]
    assert stderr.splitlines() == [
        "(racine): un objet JSON est attendu, reçu une valeur de type liste"
    ]

"""The OpenAPI document: valid, complete (every ``/api/v1`` route), and true to the responses."""

from __future__ import annotations

import json
import re

from apitools import SCENARIOS
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from cnpe_flow.api.contract_schemas import EVENT_FIELDS, OPTIONAL_EVENT_FIELDS
from cnpe_flow.api.openapi import document
from cnpe_flow.rules import CaseError, evaluate
from cnpe_flow.rules.case import EVENT_TYPES

#: routes the letters blueprint serves under /api/v1 (documented here too)
LETTER_ROUTES = {
    ("GET", "/api/v1/people/{}/letters/{}.pdf"),
    ("GET", "/api/v1/people/{}/packet.pdf"),
    ("POST", "/api/v1/people/{}/mas-referral"),
}


def _shape(path: str) -> str:
    """``/people/<int:person_id>`` and ``/people/{id}`` both become ``/people/{}``."""
    return re.sub(r"<[^>]+>|\{[^}]+\}", "{}", path)


def _documented() -> set[tuple[str, str]]:
    return {
        (method.upper(), _shape(path))
        for path, operations in document()["paths"].items()
        for method in operations
    }


def _routes(app) -> set[tuple[str, str]]:
    return {
        (method, _shape(rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def _validator(name: str) -> Draft202012Validator:
    schema = {"$ref": f"#/components/schemas/{name}", "components": document()["components"]}
    return Draft202012Validator(schema)


def _problems(name: str, value) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in _validator(name).iter_errors(value)]


def test_the_document_is_valid_openapi_3_1():
    validate(document())
    assert document()["openapi"] == "3.1.0"
    assert document()["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_every_api_route_of_the_app_is_documented(app):
    assert _routes(app) - _documented() == set()
    assert _documented() - _routes(app) <= LETTER_ROUTES


def test_the_document_is_served(client, make_user, token_for):
    response = client.get("/api/v1/openapi.json", headers=token_for(make_user("partner")))
    assert response.get_json() == json.loads(json.dumps(document()))


def _fields_named(event: dict) -> set[tuple[str, str]]:
    """The event fields the engine complains about, with its message."""
    case = {
        "person": {"birth_date": "1980-01-01", "residence_status": "regular", "carte_vitale": True},
        "events": [event],
    }
    try:
        evaluate(case)
    except CaseError as exc:
        return {
            (p.field.removeprefix("events[0]."), p.message)
            for p in exc.problems
            if p.field.startswith("events[0].")
        }
    return set()


def test_event_fields_are_the_engines():
    """The fields the API accepts per event type are those the engine reads and requires."""
    missing = "champ obligatoire manquant"
    required = {
        kind: {(f, missing) for f in EVENT_FIELDS.get(kind, {}) if f not in OPTIONAL_EVENT_FIELDS}
        for kind in EVENT_TYPES
    }
    assert {kind: _fields_named({"type": kind, "date": "2026-01-10"}) for kind in EVENT_TYPES} == (
        required
    )
    read = {(kind, f) for kind, fields in EVENT_FIELDS.items() for f in fields}
    assert {
        (kind, f)
        for kind, f in read
        if f in {name for name, _ in _fields_named({"type": kind, "date": "2026-01-10", f: [1]})}
    } == read


def test_the_scenarios_fit_the_contract_schemas():
    scenarios = [json.loads(p.read_text(encoding="utf-8")) for p in SCENARIOS]
    assert [_problems("CaseInput", s["case"]) for s in scenarios] == [[]] * len(scenarios)
    outputs = [evaluate(s["case"]) for s in scenarios if "expected" in s]
    assert [_problems("CaseOutput", out) for out in outputs] == [[]] * len(outputs)
    assert _problems("CaseOutput", {"affiliation": []}) != []


def test_responses_fit_their_schemas(client, world):
    base = f"/api/v1/people/{world.released.id}"
    for caller in ("spip", "usmp"):
        headers = world.headers[caller]
        person = client.get(base, headers=headers).get_json()
        events = client.get(base + "/events", headers=headers).get_json()
        tasks = client.get(base + "/tasks", headers=headers).get_json()
        found = client.get("/api/v1/people", headers=headers).get_json()
        assert _problems("Person", person) == []
        assert [_problems("StoredEvent", e) for e in events] == [[]] * len(events)
        assert [_problems("Task", t) for t in tasks] == [[]] * len(tasks)
        assert _problems("PeoplePage", found) == []
    error = client.get("/api/v1/people/0", headers=world.headers["spip"]).get_json()
    assert _problems("Errors", error) == []

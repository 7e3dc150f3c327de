"""Every route for every caller: allowed, 403, 404, the login page or 401 (issue 3).

The routes come from ``app.url_map``, so a route added without a row in
``matrix_table.EXPECTED`` fails here with the endpoint to add. One test per route and
method (on SQLite and PostgreSQL); it asks every caller, collects every mismatch, and lists
them all in its failure message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from matrix_routes import ROUTES, Route
from matrix_table import (
    CALLS,
    EXPECTED,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    UNAUTHORIZED,
    VARIANTS,
    Call,
)
from world import (
    ANONYMOUS,
    BAD_TOKEN,
    CALLERS,
    DEACTIVATED,
    SESSION_ON_API,
    TOKEN_ON_PAGE,
    World,
    ref,
)

#: path arguments naming an object that belongs to the person of the URL
CHILD_ARGUMENTS = frozenset({"task_id", "event_id", "share_id", "letter_id"})
#: (caller, person) pairs where the person is not visible to the caller
HIDDEN_PEOPLE = (
    ("spip", "fresnes"),
    ("usmp", "fresnes"),
    ("partner", "unshared"),
    ("partner", "fresnes"),
)


@dataclass(frozen=True)
class Probe:
    caller: str
    expected: str
    call: Call
    #: the person named in the URL (``followed`` is visible to every role)
    person: str = "followed"
    note: str = ""


def probes(route: Route) -> list[Probe]:
    """The table's row, the stand-ins for anonymous, hidden people and the route's variants."""
    row = EXPECTED[route.endpoint][route.method]
    call = CALLS.get((route.endpoint, route.method), Call())
    found = [Probe(caller, row[caller], call) for caller in CALLERS]
    stand_ins = (
        (BAD_TOKEN, SESSION_ON_API, DEACTIVATED) if route.api else (TOKEN_ON_PAGE, DEACTIVATED)
    )
    found += [Probe(caller, row[ANONYMOUS], call, note="as anonymous") for caller in stand_ins]
    if "person_id" in route.arguments:
        found += [Probe(caller, NOT_FOUND, call, person) for caller, person in HIDDEN_PEOPLE]
        if CHILD_ARGUMENTS & set(route.arguments):
            found.append(Probe("admin", NOT_FOUND, call, "unshared", "object of another person"))
    for variant in VARIANTS.get((route.endpoint, route.method), []):
        found += [
            Probe(caller, outcome, variant.call, note=variant.name)
            for caller, outcome in variant.expected.items()
        ]
    return found


def classify(response: Any, method: str) -> str:
    """The outcome class of an answer (a refused POST form counts as reached, see the table)."""
    status = response.status_code
    if 300 <= status < 400:
        return LOGIN if urlsplit(response.headers.get("Location", "")).path == "/login" else OK
    if 200 <= status < 300:
        return OK
    if status == 400 and method == "POST":
        if "Le formulaire a expiré" in response.get_data(as_text=True):
            return "400 CSRF refusal (the probe did not reach the view)"
        return OK
    return {401: UNAUTHORIZED, 403: FORBIDDEN, 404: NOT_FOUND}.get(status, f"HTTP {status}")


def send(world: World, route: Route, probe: Probe) -> tuple[str, str]:
    """(url, outcome) of one probe."""
    arguments: dict[str, Any] = {name: ref(name) for name in route.arguments}
    if "person_id" in route.arguments:
        arguments["person_id"] = world.people[probe.person].id
    arguments.update(probe.call.arguments)
    url = world.url(route.endpoint, arguments, probe.call.query, probe.caller)
    body = {name: world.resolve(v, probe.caller) for name, v in probe.call.body.items()}
    if route.api:
        client, headers = world.api_client(probe.caller), world.api_headers(probe.caller)
        response = client.open(
            url,
            method=route.method,
            json=body if route.method in ("POST", "PUT", "PATCH") else None,
            headers=headers,
        )
    else:
        client, headers = world.page_client(probe.caller), world.page_headers(probe.caller)
        if route.method == "POST":
            response = client.form(url, body, headers=headers)
        else:
            response = client.get(url, headers=headers)
    return url, classify(response, route.method)


@pytest.mark.parametrize("route", ROUTES, ids=[f"{r.endpoint}-{r.method}" for r in ROUTES])
def test_each_caller_gets_what_the_table_says(
    route: Route, backend: str, request: pytest.FixtureRequest
) -> None:
    assert route.endpoint in EXPECTED, (
        f"new route {route.method} {route.rule}: add « {route.endpoint} » to EXPECTED in "
        "tests/matrix/matrix_table.py with what each caller must get"
    )
    assert route.method in EXPECTED[route.endpoint], (
        f"{route.endpoint} now accepts {route.method}: add it to its row in EXPECTED"
    )
    assert sorted(EXPECTED[route.endpoint][route.method]) == sorted(CALLERS), route.endpoint
    world: World = request.getfixturevalue("world")
    mismatches = []
    for probe in probes(route):
        person = f"on {probe.person}" if "person_id" in route.arguments else ""
        label = " ".join(x for x in (probe.caller, person, probe.note) if x)
        try:
            url, got = send(world, route, probe)
        except Exception as exc:  # a 500: reported with the others, not instead of them
            url, got = route.rule, f"exception {type(exc).__name__}: {exc}"
        if got != probe.expected:
            mismatches.append(
                f"{label}: {route.method} {url} → expected {probe.expected}, got {got}"
            )
    assert not mismatches, f"{route.endpoint} {route.method}:\n" + "\n".join(mismatches)


def test_the_table_names_only_routes_that_exist() -> None:
    routes = {(r.endpoint, r.method) for r in ROUTES}
    rows = {(endpoint, method) for endpoint, row in EXPECTED.items() for method in row}
    assert rows - routes == set(), "rows of EXPECTED for routes that no longer exist"
    assert set(CALLS) - routes == set(), "CALLS for routes that no longer exist"
    assert set(VARIANTS) - routes == set(), "VARIANTS for routes that no longer exist"

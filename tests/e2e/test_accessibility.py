"""RGAA / WCAG 2.1 AA: axe-core on every page of the route matrix, for each role.

axe-core comes from npm (``package.json`` at the top of the repository, ``npm ci``); Playwright
adds it to every document of the role's browser context as an init script, which the pages'
Content-Security-Policy does not apply to. One browser context per role, logged in once, visits
each GET page that the matrix (``tests/matrix/matrix_table.py``) says the role may open.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from e2e_site import MatrixSite
from matrix_routes import ROUTES
from matrix_table import CALLS, EXPECTED, OK, VARIANTS, Call
from playwright.sync_api import Browser, Page
from world import ANONYMOUS, ROLES, ref

from cnpe_flow import ROOT

pytestmark = pytest.mark.e2e

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
#: WCAG 2.0 and 2.1, levels A and AA (what the RGAA 4 maps to), and axe's best practices
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
#: every impact is refused: "critical" and "serious" as the issue asks, and "moderate" and
#: "minor" too, since none is left (a new one is fixed, not allowed)
REFUSED = {"critical", "serious", "moderate", "minor"}

RUN_AXE = """tags => axe.run(document, {runOnly: {type: "tag", values: tags},
  resultTypes: ["violations"]}).then(r => r.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))})))"""


@dataclass(frozen=True)
class Visit:
    label: str
    endpoint: str
    call: Call


def visits(role: str) -> list[Visit]:
    """The GET pages (not the API) this role may open, with each variant it may open too."""
    found = []
    for route in ROUTES:
        if route.method != "GET" or route.api:
            continue
        call = CALLS.get((route.endpoint, "GET"), Call())
        if EXPECTED[route.endpoint]["GET"][role] == OK:
            found.append(Visit(route.endpoint, route.endpoint, call))
        for variant in VARIANTS.get((route.endpoint, "GET"), []):
            if variant.expected.get(role) == OK:
                found.append(
                    Visit(f"{route.endpoint} ({variant.name})", route.endpoint, variant.call)
                )
    return found


def url_of(site: MatrixSite, visit: Visit, role: str) -> str:
    arguments: dict[str, Any] = {name: ref(name) for name in _arguments(visit.endpoint)}
    if "person_id" in arguments:
        arguments["person_id"] = site.world.people["followed"].id
    arguments.update(visit.call.arguments)
    return site.url + site.world.url(visit.endpoint, arguments, visit.call.query, role)


def _arguments(endpoint: str) -> tuple[str, ...]:
    return next(r.arguments for r in ROUTES if r.endpoint == endpoint)


@pytest.fixture
def role_page(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[Page]:
    if not AXE.exists():
        reason = "axe-core absent : lancez « npm ci » à la racine du dépôt"
        if os.environ.get("CNPE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"CNPE_REQUIRE_BROWSER=1 : {reason}")
        pytest.skip(reason)
    context = browser.new_context(**browser_context_args)
    context.add_init_script(path=AXE)
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("role", [ANONYMOUS, *ROLES])
def test_no_axe_violation_on_any_page_of_the_role(
    role: str, role_page: Page, matrix_site: MatrixSite
) -> None:
    page = role_page
    if role != ANONYMOUS:
        matrix_site.login(page, role)
    checked: list[str] = []
    problems: list[str] = []
    seen: set[str] = set()
    for visit in visits(role):
        url = url_of(matrix_site, visit, role)
        probe = page.request.get(url, max_redirects=0)
        if not probe.headers.get("content-type", "").startswith("text/html"):
            continue  # a PDF, a CSV, a calendar, JSON: no page to check
        page.goto(url)
        if page.url in seen:
            continue  # a redirect to a page already checked (the login page when logged in)
        seen.add(page.url)
        label = f"{visit.label} → {urlsplit(page.url).path}"
        checked.append(label)
        for v in page.evaluate(RUN_AXE, TAGS):
            if v["impact"] in REFUSED:
                problems.append(
                    f"{label}: [{v['impact']}] {v['id']}: {v['help']} → {', '.join(v['nodes'])}"
                )
    assert checked, f"no page checked for {role}"
    assert not problems, f"{len(checked)} pages checked for {role}:\n" + "\n".join(problems)


def test_no_axe_violation_on_the_main_pages_at_phone_width(
    role_page: Page, matrix_site: MatrixSite
) -> None:
    """At 390 px the tables scroll inside their card and the release rows reflow: still clean."""
    page = role_page
    matrix_site.login(page, "admin")
    page.set_viewport_size({"width": 390, "height": 844})
    person = matrix_site.world.people["followed"].id
    problems = []
    for path in ("/", "/personnes?q=", f"/personnes/{person}", f"/personnes/{person}/sortie"):
        page.goto(matrix_site.url + path)
        problems += [
            f"{path}: [{v['impact']}] {v['id']}: {v['help']} → {', '.join(v['nodes'])}"
            for v in page.evaluate(RUN_AXE, TAGS)
            if v["impact"] in REFUSED
        ]
    assert not problems, "\n".join(problems)

"""No action the user cannot use (issue 12): every link and form on the pages of the route
matrix follows the same permission functions as the routes.

For each role, every page of the followed person the role may open is read; each link is
followed (no 403), and each form's action is looked up in the route matrix's table for that
role, row and variants (a form is not posted: posting would change the world the other pages
show).
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any
from urllib.parse import urlsplit

import pytest
from matrix_routes import ROUTES
from matrix_table import EXPECTED, FORBIDDEN, OK, VARIANTS
from world import ROLES, World

_HREF = re.compile(r'<a\b[^>]*\bhref="(/[^"#]*)')
_FORM = re.compile(r'<form\b[^>]*\bmethod="post"[^>]*\baction="(/[^"#]*)"', re.IGNORECASE)
_FORM_REVERSED = re.compile(r'<form\b[^>]*\baction="(/[^"#]*)"[^>]*\bmethod="post"', re.I)

#: the person's pages (GET, no other object in the URL)
PAGES = [r for r in ROUTES if r.method == "GET" and not r.api and r.arguments == ("person_id",)]


def _actions(html: str) -> tuple[set[str], set[str]]:
    links = {unescape(h) for h in _HREF.findall(html)}
    forms = {unescape(a) for a in _FORM.findall(html) + _FORM_REVERSED.findall(html)}
    return links, forms


def _endpoint(app: Any, path: str, method: str) -> str:
    adapter = app.url_map.bind("localhost")
    endpoint, _ = adapter.match(urlsplit(path).path, method=method)
    return str(endpoint)


def _outcomes(endpoint: str, role: str) -> set[str]:
    """What the table says this role gets from a POST to ``endpoint``, whatever the body (a
    letter form's kind decides: the row and its variants together)."""
    variants = VARIANTS.get((endpoint, "POST"), [])
    found = {EXPECTED[endpoint]["POST"][role]}
    return found | {v.expected[role] for v in variants if role in v.expected}


@pytest.mark.parametrize("role", ROLES)
def test_no_link_or_form_leads_to_a_refusal(
    role: str, backend: str, request: pytest.FixtureRequest
) -> None:
    world: World = request.getfixturevalue("world")
    client = world.page_client(role)
    person_id = world.people["followed"].id
    refused = []
    opened = 0
    for route in PAGES:
        if EXPECTED[route.endpoint]["GET"][role] != OK:
            continue
        url = world.url(route.endpoint, {"person_id": person_id}, {}, role)
        page = client.get(url)
        if page.status_code != 200 or "html" not in page.content_type:
            continue
        opened += 1
        links, forms = _actions(page.get_data(as_text=True))
        for link in sorted(links):
            if client.get(link).status_code == 403:
                refused.append(f"{url}: link {link} → 403")
        for action in sorted(forms):
            endpoint = _endpoint(world.app, action, "POST")
            if _outcomes(endpoint, role) == {FORBIDDEN}:
                refused.append(f"{url}: form → {action} ({endpoint}) is forbidden to {role}")
    assert opened >= 3, f"{role} opened only {opened} pages of the person"
    assert not refused, "\n".join(refused)

"""Reading what the form pages show: the error next to a field, hidden values, summaries."""

from __future__ import annotations

import html
import re


def page_text(response) -> str:  # type: ignore[no-untyped-def]
    """The response body with HTML entities decoded (so French quotes read as typed)."""
    return html.unescape(response.get_data(as_text=True))


def field_error(response, field_id: str) -> str:  # type: ignore[no-untyped-def]
    """The error text shown right under the field ``field_id`` ("" when there is none)."""
    found = re.search(
        rf'<div class="field-errors" id="{re.escape(field_id)}-error">(.*?)</div>',
        response.get_data(as_text=True),
        re.S,
    )
    if found is None:
        return ""
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).strip()


def alert_text(response) -> str:  # type: ignore[no-untyped-def]
    """The text of the message box at the top of a form ("" when there is none)."""
    found = re.search(
        r'<div class="alert[^"]*" role="alert">(.*?)</div>', response.get_data(as_text=True), re.S
    )
    if found is None:
        return ""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())


def hidden_value(response, name: str) -> str:  # type: ignore[no-untyped-def]
    """The value of the first hidden input called ``name``."""
    for tag in re.findall(r"<input[^>]*>", response.get_data(as_text=True)):
        if 'type="hidden"' in tag and f'name="{name}"' in tag:
            found = re.search(r'value="([^"]*)"', tag)
            return found.group(1) if found else ""
    raise AssertionError(f"no hidden input {name!r} on the page")


def sign_in(client, username: str, password: str):  # type: ignore[no-untyped-def]
    """Post the login form (with its CSRF token) and return the response."""
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    return client.post(
        "/login", data={"csrf_token": token, "username": username, "password": password}
    )

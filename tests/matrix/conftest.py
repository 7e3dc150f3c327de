"""The route matrix's world (see ``matrix_world.py``)."""

from __future__ import annotations

from typing import Any

import pytest
from matrix_world import World, build_world


@pytest.fixture
def world(
    app: Any, client: Any, make_user: Any, make_person: Any, login: Any, token_for: Any
) -> World:
    # ``client`` makes the app's test clients post forms with their CSRF token (``form``).
    return build_world(app, make_user, make_person, login, token_for)

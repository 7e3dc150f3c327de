"""A small world for the API tests: one account per role with its token, and three people.

- ``released``: CP Liancourt, ALD before écrou, an unconsolidated AT/MP, released on
  2026-06-30; shared with ``partner``.
- ``inside``: CP Liancourt, in custody; shared with ``partner`` (writes that may repeat).
- ``fresnes``: CP Fresnes, in custody, shared with nobody.
"""

from __future__ import annotations

import pytest
from apitools import FRESNES, LIANCOURT, World

from cnpe_flow import db
from cnpe_flow.people.operations import share_person


@pytest.fixture
def world(app, make_user, make_person, token_for) -> World:
    users = {role: make_user(role, username=role) for role in ("spip", "usmp", "partner", "admin")}
    headers = {role: token_for(user) for role, user in users.items()}
    headers["no token"] = {}
    headers["bad token"] = {"Authorization": "Bearer cnpe_jeton-inconnu"}
    released = make_person(
        last_name="Martin",
        first_name="Léa",
        ecrou_number="2026/0042",
        benefits=["ald"],
        events=[
            {"type": "ecrou", "date": "2026-01-10", "establishment": LIANCOURT},
            {"type": "atmp_during_ecrou", "date": "2026-03-02", "consolidated": False},
            {"type": "levee_ecrou", "date": "2026-06-30"},
        ],
    )
    inside = make_person(
        last_name="Durand",
        first_name="Alex",
        events=[{"type": "ecrou", "date": "2026-09-01", "establishment": LIANCOURT}],
    )
    fresnes = make_person(
        last_name="Petit",
        first_name="Sam",
        establishment=FRESNES,
        events=[{"type": "ecrou", "date": "2026-09-01", "establishment": FRESNES}],
    )
    with db.transaction(app) as s:
        for person in (released, inside):
            share_person(s, users["admin"], person, users["partner"].id, "2026-11-01")
    return World(users, headers, released, inside, fresnes)

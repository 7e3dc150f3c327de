"""Account and person builders for any app: the ``make_user`` and ``make_person`` fixtures
use them on the per-test app, the browser tests on their live one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cnpe_flow import db

LIANCOURT = "Centre pénitentiaire de Liancourt"


def user_maker(app: Any, password: str) -> Callable[..., Any]:
    """``make("spip")`` → a committed account (establishment CP Liancourt by default)."""
    from cnpe_flow.auth.operations import create_user

    counter = iter(range(1, 10_000))

    def make(
        role: str,
        *,
        username: str | None = None,
        establishment: str | None = LIANCOURT,
        email: str | None = None,
    ) -> Any:
        name = username or f"{role}{next(counter)}"
        with db.transaction(app) as s:
            return create_user(
                s,
                name,
                role,
                password,
                email=email,
                establishment=establishment if role in ("spip", "usmp") else None,
            )

    return make


def person_maker(app: Any, make_user: Callable[..., Any]) -> Callable[..., Any]:
    """``make(events=[...], benefits=[...], **identity)`` → a committed person (by an admin)."""
    from cnpe_flow.people.operations import add_event, create_person, update_person

    admin_box: list[Any] = []

    def make(
        *,
        events: list[dict[str, Any]] | None = None,
        benefits: list[str] | None = None,
        **identity: Any,
    ) -> Any:
        if not admin_box:
            admin_box.append(make_user("admin", username="fixture-admin"))
        admin = admin_box[0]
        fields = {
            "last_name": "Durand",
            "first_name": "Alex",
            "birth_date": "1985-03-14",
            "residence_status": "regular",
            "carte_vitale": True,
            "residence_postcode": "60000",
            "establishment": LIANCOURT,
            **identity,
        }
        if identity.get("release_address") and "residence_postcode" not in identity:
            del fields["residence_postcode"]  # the address gives it
        with db.transaction(app) as s:
            person = create_person(s, admin, fields)
            for event in events or []:
                add_event(s, admin, person, event)
            if benefits:
                update_person(s, admin, person, {"benefits_before_ecrou": benefits}, None)
            return person

    return make

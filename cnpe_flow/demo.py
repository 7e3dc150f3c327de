"""The demo: fictional people in different situations (`demo_people.py`), one account per role
at CP Liancourt, and a SPIP and a USMP account at CP Marseille-Baumettes.

Every person goes through the same operations as the pages (so the engine decides
everything); dates are relative to today so the dashboard always has releases coming.
The custody paths of contract v2 are there: a transfer from Liancourt (pole Nord) to
Marseille-Baumettes (pole Sud), which the Marseille accounts receive with a notification; a
semi-liberté granted for a work contract signed before it; a person without residence
permit released in Mayotte (seen by the administrator: CP de Majicavo has no demo account).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session

from cnpe_flow.auth.models import User
from cnpe_flow.auth.operations import create_user
from cnpe_flow.clock import today_paris
from cnpe_flow.demo_people import DEMO_ESTABLISHMENT, TRANSFER_ESTABLISHMENT, demo_people
from cnpe_flow.people.household import update_household
from cnpe_flow.people.operations import add_event, create_person, share_person, update_person
from cnpe_flow.rules.event_types import names

#: (role, user name, password, establishment)
DEMO_USERS = (
    ("admin", "admin", "demo-admin-2026", None),
    ("spip", "spip", "demo-spip-2026", DEMO_ESTABLISHMENT),
    ("usmp", "usmp", "demo-usmp-2026", DEMO_ESTABLISHMENT),
    ("partner", "partenaire", "demo-partenaire-2026", None),
    ("spip", "spip-marseille", "demo-spip-marseille-2026", TRANSFER_ESTABLISHMENT),
    ("usmp", "usmp-marseille", "demo-usmp-marseille-2026", TRANSFER_ESTABLISHMENT),
)
#: name, service and phone of the demo accounts that prepare letters (illustrative)
_DEMO_PROFILES = {
    "spip": ("Camille Rousseau", "SPIP de l'Oise, antenne de Liancourt", "03 44 00 00 00"),
    "usmp": ("Inès Morel", "Unité sanitaire du CP de Liancourt", "03 44 00 00 01"),
    "partenaire": ("Jules Petit", "Association Relais Sortie", "03 44 00 00 02"),
}
#: the demo's transfer is recorded by the SPIP (its notification names them); medical events by
#: the USMP (the registry's), the others by the administrator
_AUTHORS = {"transfer": "spip", **{kind: "usmp" for kind in names(medical=True)}}


def load_demo(session: Session) -> list[tuple[str, str, str]]:
    """Create the demo accounts and people; return (role, user name, password) per account."""
    users: dict[str, User] = {}
    accounts: list[User] = []
    for role, username, password, establishment in DEMO_USERS:
        account = create_user(
            session,
            username,
            role,
            password,
            establishment=establishment,
            email=f"{username}@demo.invalid",
            # the partner is shown by its organisation's name (fictional)
            organisation="Association Relais Santé Oise (fictive)" if role == "partner" else None,
        )
        # what « Mon profil » holds: the sender block of the letters they prepare
        account.full_name, account.service, account.phone = _DEMO_PROFILES.get(
            username, (None, None, None)
        )
        # the first account of each role (CP Liancourt's) acts below
        users.setdefault(role, account)
        accounts.append(account)
    t = today_paris()
    for entry in demo_people(t):
        identity = dict(entry["person"])
        identity.setdefault("establishment", DEMO_ESTABLISHMENT)
        person = create_person(session, users["admin"], identity)
        for kind, offset, data in entry["events"]:
            author = users[_AUTHORS.get(kind, "admin")]
            add_event(
                session,
                author,
                person,
                {"type": kind, "date": (t + timedelta(days=offset)).isoformat(), **data},
            )
        if entry.get("medical"):
            # entered by the USMP that follows the person now (after a transfer, the new one)
            usmp = next(
                (
                    u
                    for u in accounts
                    if u.role == "usmp" and u.establishment_code == person.establishment_code
                ),
                users["admin"],
            )
            update_person(session, usmp, person, {"benefits_before_ecrou": entry["medical"]}, None)
        if entry.get("household"):
            # entered by the SPIP, like on the « Foyer et ressources » page
            update_household(session, users["spip"], person, entry["household"], None)
        if entry.get("shared"):
            share_person(
                session,
                users["spip"],
                person,
                users["partner"].id,
                t - timedelta(days=1),
                "accord oral recueilli en entretien (démonstration)",
            )
    return [(role, username, password) for role, username, password, _ in DEMO_USERS]


@dataclass(frozen=True, slots=True)
class Demo:
    app: Any
    #: (role, user name, password) per account
    logins: list[tuple[str, str, str]]
    #: the demo's SQLite file, deleted and rebuilt at each start
    database: Path
    #: notifications created by the reminder sweep run at start-up
    notifications: int


def prepare_demo(instance: Path | None = None) -> Demo:
    """A fresh demo database (previous demo data deleted), the app serving it, and one
    reminder sweep so that « Notifications » is not empty: the demo runs no scheduler."""
    from cnpe_flow import create_app, db, migrate
    from cnpe_flow.paths import default_instance_path
    from cnpe_flow.reminders.lease import new_holder
    from cnpe_flow.reminders.sweep import run_sweep

    instance = instance or default_instance_path()
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "demo.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    app = create_app(
        {
            "SECRET_KEY": secrets.token_urlsafe(32),
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(instance),
            "DEMO": True,
            # Served over plain http on this machine only.
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
        }
    )
    with db.transaction(app) as session:
        logins = load_demo(session)
    # no SMTP host in the demo's config: notifications only, no e-mail leaves
    swept = run_sweep(app, new_holder("demo"))
    return Demo(app, logins, path, swept.created)

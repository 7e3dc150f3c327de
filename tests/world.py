"""The one world of the route matrix, the API tests and the browser tests: one account per
role (SPIP and USMP at CP Liancourt, each with an API token), five people, and the objects a
URL can name (tasks, events, shares, letters, notifications, a calendar link).

The matrix probes (``tests/matrix/``):

- ``followed`` (Lambert Inès): CP Liancourt, ALD and IJ before écrou, an unconsolidated AT/MP,
  an aménagement on 2026-11-01 (IJ to resume: a medical step), released on 2026-11-10; shared
  with ``partner``.
- ``unshared`` (Roussel Camille): CP Liancourt, in custody; shared with ``partner`` once, that
  share revoked.

The API tests (``tests/api/``, through ``apitools.view``) write on:

- ``released`` (Martin Léa, écrou 2026/0042): CP Liancourt, ALD before écrou, an
  unconsolidated AT/MP, released on 2026-06-30; shared with ``partner``.
- ``inside`` (Durand Alex): CP Liancourt, in custody, no planned release; shared with
  ``partner`` (writes that may repeat).

And both: ``fresnes`` (Petit Sam), CP Fresnes (another establishment), in custody, shared with
nobody. ``unshared`` and ``fresnes`` leave on 2026-12-10, so that lists (dashboard, reminders)
show them. Every last name differs, so that a list showing a name shows that person.

The world is committed once per backend in a database of its own (``isolation.WorldDatabase``,
``world_fixtures.py``), with every caller's session and token and the deactivated account;
each test runs in a transaction rolled back after it, and :meth:`World.restore` puts the
Python side back. Objects are made on first use, so a route that needs no letter renders
none. Each caller has its own client: pages use a logged-in session, the API a bearer token.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import url_for
from sqlalchemy import func, select

from cnpe_flow import db
from cnpe_flow.auth.models import ApiToken, User
from cnpe_flow.letters.models import Letter
from cnpe_flow.people.models import CustodyEvent, Person, Task
from cnpe_flow.people.operations import revoke_share, share_person
from cnpe_flow.reminders.models import Notification
from cnpe_flow.reminders.operations import create_calendar_token

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

LIANCOURT = "Centre pénitentiaire de Liancourt"
FRESNES = "Centre pénitentiaire de Fresnes"

#: the four roles, each with one account (SPIP and USMP at CP Liancourt)
ROLES = ("spip", "usmp", "partner", "admin")
ANONYMOUS = "anonymous"
#: API only: an ``Authorization: Bearer`` header with a token nobody was given
BAD_TOKEN = "bad token"
#: API only: the SPIP's logged-in browser session, without a token
SESSION_ON_API = "spip session, no token"
#: pages only: the administrator's valid API token, without a session
TOKEN_ON_PAGE = "admin token, no session"
#: an account deactivated after it logged in and got a token: as if anonymous everywhere
DEACTIVATED = "deactivated SPIP account"
#: who is asked about every route
CALLERS = (ANONYMOUS, *ROLES)

#: the followed person lives in Paris after release
FOLLOWED_POSTCODE = "75011"
#: the followed person: what the medical checks look for
FOLLOWED_EVENTS = [
    {"type": "ecrou", "date": "2026-01-10", "establishment": LIANCOURT},
    {"type": "atmp_during_ecrou", "date": "2026-03-02", "consolidated": False},
    # IJ before écrou resume at the aménagement (IJ-3): sick leave, medical in contract v2
    {"type": "amenagement", "date": "2026-11-01", "measure": "surveillance_electronique"},
    {"type": "levee_ecrou", "date": "2026-11-10"},
]


@dataclass(frozen=True)
class Ref:
    """A value taken from the world when the request is built (``ref("medical_task")``)."""

    name: str


def ref(name: str) -> Ref:
    return Ref(name)


@dataclass
class World:
    app: Any
    users: dict[str, User]
    people: dict[str, Person]
    make_user: Callable[..., User]
    login: Callable[[Any, User], Any]
    token_for: Callable[[User], dict[str, str]]
    _page_clients: dict[str, Any] = field(default_factory=dict)
    _headers: dict[str, dict[str, str]] = field(default_factory=dict)
    _cache: dict[str, Any] = field(default_factory=dict)
    _saved: tuple[dict[str, Any], ...] = ()
    #: each page client's session cookie and CSRF token at :meth:`checkpoint`
    _sessions: dict[str, tuple[str, str]] = field(default_factory=dict)

    def checkpoint(self) -> None:
        """Remember the Python side as it is now (accounts, tokens, objects made, the page
        clients' sessions), for :meth:`restore`: the database is rolled back to this point
        after each test, so those sessions and tokens are valid again."""
        self._saved = (dict(self.users), dict(self._headers), dict(self._cache))
        name = self.app.config["SESSION_COOKIE_NAME"]
        self._sessions = {
            key: (client.get_cookie(name).value, client.csrf)
            for key, client in self._page_clients.items()
            if client.get_cookie(name) is not None
        }

    def restore(self) -> None:
        """The Python side as at :meth:`checkpoint`, and new clients (no test's cookies)."""
        users, headers, cache = self._saved
        self.users.clear()
        self.users.update(users)
        self._headers, self._cache, self._page_clients = dict(headers), dict(cache), {}

    # --- callers ---------------------------------------------------------------------------

    def page_client(self, caller: str) -> Any:
        """A client with a CSRF token: logged in for a role, from the login page otherwise."""
        key = ANONYMOUS if caller == TOKEN_ON_PAGE else caller
        if key == DEACTIVATED:
            self._deactivate()
        if key not in self._page_clients:
            client = self.app.test_client()
            if key in self._sessions:  # the session it had at the checkpoint
                cookie, client.csrf = self._sessions[key]
                client.set_cookie(self.app.config["SESSION_COOKIE_NAME"], cookie)
            elif key == ANONYMOUS:
                page = client.get("/login").get_data(as_text=True)
                client.csrf = _CSRF.search(page).group(1)  # type: ignore[union-attr]
            else:
                self.login(client, self.users[key])
            self._page_clients[key] = client
        return self._page_clients[key]

    def page_headers(self, caller: str) -> dict[str, str]:
        return self.api_headers("admin") if caller == TOKEN_ON_PAGE else {}

    def api_client(self, caller: str) -> Any:
        """The logged-in page client for :data:`SESSION_ON_API`, a cookie-less one otherwise."""
        if caller == SESSION_ON_API:
            return self.page_client("spip")
        if "api" not in self._page_clients:
            self._page_clients["api"] = self.app.test_client()
        return self._page_clients["api"]

    def api_headers(self, caller: str) -> dict[str, str]:
        if caller in (ANONYMOUS, SESSION_ON_API):
            return {}
        if caller == BAD_TOKEN:
            return {"Authorization": "Bearer cnpe_jeton-que-personne-n-a-recu"}
        if caller == DEACTIVATED:
            self._deactivate()
        if caller not in self._headers:
            self._headers[caller] = self.token_for(self.users[caller])
        return self._headers[caller]

    def _deactivate(self) -> None:
        """Log a SPIP account in, give it a token, then deactivate it (once)."""
        if DEACTIVATED in self.users:
            return
        account = self.make_user("spip", username="ancien-agent")
        self.users[DEACTIVATED] = account
        client = self.app.test_client()
        self.login(client, account)
        self._page_clients[DEACTIVATED] = client
        self._headers[DEACTIVATED] = self.token_for(account)
        with db.transaction(self.app) as s:
            s.get(User, account.id).active = False  # type: ignore[union-attr]

    # --- objects named in URLs -------------------------------------------------------------

    def value(self, name: str, caller: str) -> Any:
        """The value of a URL argument, a query parameter or a form field named ``name``."""
        if name == "notification_id":
            # anonymous callers name the SPIP's: they must not reach it either
            return self._notification(caller if caller in ROLES else "spip")
        if name == "other_notification_id":
            # someone else's: the administrator's, or the SPIP's when the administrator asks
            return self._notification("spip" if caller == "admin" else "admin")
        if name == "share_id":
            return self._fresh_share()
        if name == "version":
            return self._version()
        if name not in self._cache:
            self._cache[name] = self._make(name)
        return self._cache[name]

    def _make(self, name: str) -> Any:
        makers: dict[str, Callable[[], Any]] = {
            "task_id": lambda: self._task(medical=False),
            "medical_task": lambda: self._task(medical=True),
            "event_id": lambda: self._event("ecrou"),
            "other_person_event": lambda: self._event("ecrou", "unshared"),
            "atmp_event": lambda: self._event("atmp_during_ecrou"),
            "letter_id": lambda: self._letter("release_summary"),
            "medical_letter": lambda: self._letter("ald_renewal"),
            "user_id": lambda: self.users["spip"].id,
            "token": self._calendar_token,
            "token_id": self._api_token,
        }
        if name not in makers:
            raise KeyError(f"the matrix world does not know how to fill « {name} »: add it")
        return makers[name]()

    def _task(self, *, medical: bool) -> int:
        """An open task of the followed person (non-medical: contacting the CPAM)."""
        kind = "atmp_ij_claim" if medical else "contact_cpam_residence"
        with db.transaction(self.app) as s:
            task = s.exec(
                select(Task).where(
                    Task.person_id == self.people["followed"].id,
                    Task.kind == kind,
                    Task.obsolete.is_(False),
                )
            ).scalar_one()
            assert task.medical is medical
            return task.id  # type: ignore[return-value]

    def _event(self, kind: str, person: str = "followed") -> int:
        with db.transaction(self.app) as s:
            return s.exec(  # type: ignore[no-any-return]
                select(CustodyEvent.id).where(
                    CustodyEvent.person_id == self.people[person].id,
                    CustodyEvent.type == kind,
                )
            ).scalar_one()

    def _letter(self, kind: str) -> int:
        """A stored letter row (its PDF is not rendered: access is what is probed)."""
        with db.transaction(self.app) as s:
            letter = Letter(
                person_id=self.people["followed"].id,  # type: ignore[arg-type]
                kind=kind,
                letter_date=date(2026, 11, 20),
                template_version="matrix",
                sha256="0" * 64,
                pdf=b"%PDF-1.7 matrix",
            )
            s.add(letter)
            s.flush()
            return letter.id  # type: ignore[return-value]

    def _api_token(self) -> int:
        """An API token of the SPIP's account (its id)."""
        self.token_for(self.users["spip"])
        with db.transaction(self.app) as s:
            return s.exec(  # type: ignore[no-any-return]
                select(func.max(ApiToken.id)).where(ApiToken.user_id == self.users["spip"].id)
            ).scalar_one()

    def _calendar_token(self) -> str:
        with db.transaction(self.app) as s:
            return create_calendar_token(s, s.get(User, self.users["spip"].id))  # type: ignore[arg-type]

    def _notification(self, role: str) -> int:
        """A notification of this role's account about the followed person's open task."""
        key = f"notification:{role}"
        if key not in self._cache:
            task_id = self.value("task_id", role)
            with db.transaction(self.app) as s:
                row = Notification(
                    user_id=self.users[role].id,  # type: ignore[arg-type]
                    task_id=task_id,
                    reason="due_soon",
                    message="Contacter la CPAM",
                )
                s.add(row)
                s.flush()
                self._cache[key] = row.id
        return self._cache[key]  # type: ignore[no-any-return]

    def _fresh_share(self) -> int:
        """A new active sharing of the followed person (revoking one must not hide the next)."""
        partner = self.make_user("partner")
        with db.transaction(self.app) as s:
            person = s.get(Person, self.people["followed"].id)
            admin = s.get(User, self.users["admin"].id)
            return share_person(s, admin, person, partner.id, "2026-11-01").id  # type: ignore[arg-type,return-value]

    def _version(self) -> int:
        with db.transaction(self.app) as s:
            return s.get(Person, self.people["followed"].id).version  # type: ignore[union-attr]

    # --- URLs ------------------------------------------------------------------------------

    def resolve(self, value: Any, caller: str) -> Any:
        return self.value(value.name, caller) if isinstance(value, Ref) else value

    def url(
        self, endpoint: str, arguments: dict[str, Any], query: dict[str, Any], caller: str
    ) -> str:
        """The URL of ``endpoint`` with every path argument filled (person: ``followed``)."""
        values = {name: self.resolve(v, caller) for name, v in arguments.items()}
        values.update({name: self.resolve(v, caller) for name, v in query.items()})
        with self.app.test_request_context():
            return url_for(endpoint, **values)


def build_world(
    app: Any,
    make_user: Callable[..., User],
    make_person: Callable[..., Person],
    login: Callable[[Any, User], Any],
    token_for: Callable[[User], dict[str, str]],
) -> World:
    users = {role: make_user(role, username=role) for role in ROLES}
    followed = make_person(
        last_name="Lambert",
        first_name="Inès",
        ecrou_number="2026/0051",
        # Not in the Oise: the CPAM de l'Oise shares its street address with the NORD pole's
        # médecin chef, which the medical checks must be able to look for.
        residence_postcode=FOLLOWED_POSTCODE,
        benefits=["ald", "ij"],
        events=FOLLOWED_EVENTS,
    )
    unshared = make_person(
        last_name="Roussel",
        first_name="Camille",
        events=[
            {"type": "ecrou", "date": "2026-09-01", "establishment": LIANCOURT},
            {"type": "planned_release", "date": "2026-12-10"},
        ],
    )
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
        events=[
            {"type": "ecrou", "date": "2026-09-01", "establishment": FRESNES},
            {"type": "planned_release", "date": "2026-12-10"},
        ],
    )
    with db.transaction(app) as s:
        for person in (followed, released, inside):
            share_person(s, users["admin"], person, users["partner"].id, "2026-11-01")
        revoked = share_person(s, users["admin"], unshared, users["partner"].id, "2026-11-01")
        revoke_share(s, users["admin"], unshared, revoked.id)  # type: ignore[arg-type]
    people = {
        "followed": followed,
        "unshared": unshared,
        "released": released,
        "inside": inside,
        "fresnes": fresnes,
    }
    return World(app, users, people, make_user, login, token_for)

"""Account and person builders for any app: the ``make_user`` and ``make_person`` fixtures
use them on the per-test app, the browser tests on their live one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from jinja2.bccache import Bucket, BytecodeCache

from cnpe_flow import create_app, db

LIANCOURT = "Centre pénitentiaire de Liancourt"
#: every test account's password
PASSWORD = "mot-de-passe-de-test"


class Client(FlaskClient):
    """A test client that knows its CSRF token once logged in."""

    csrf: str = ""

    def form(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        """POST a form with the session's CSRF token."""
        return self.post(url, data={"csrf_token": self.csrf, **(data or {})}, **kwargs)


class _TemplateCache(BytecodeCache):
    """Compiled page templates kept for the whole session: each test has its own app, and
    so its own Jinja environment, which would otherwise compile every template again (the
    source checksum still invalidates an edited template)."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_TEMPLATES = _TemplateCache()


def new_app(database_url: str, instance_path: Any) -> Any:
    """The app as the tests configure it, on this database."""
    application = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(instance_path),
            "LOGIN_MAX_FAILURES": 5,
        }
    )
    application.jinja_env.bytecode_cache = _TEMPLATES
    return application


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


def session_login(app: Any) -> Callable[[Any, Any], Any]:
    """``login(client, user)`` without a request: the session cookie the login form would
    give (user id, session generation, CSRF token), written directly; the client keeps the
    CSRF token in ``client.csrf``."""
    from flask import session as flask_session
    from flask_wtf.csrf import generate_csrf

    from cnpe_flow.auth.models import User
    from cnpe_flow.web.security import start_session

    def do(client: Any, user: Any) -> Any:
        with app.test_request_context("/login"):
            # the current generation: the account may have ended its sessions since
            fresh = db.session().get(User, user.id)
            start_session(fresh)
            client.csrf = generate_csrf()
            cookie = dict(flask_session)
            flask_session.permanent = True
            db.session().rollback()
        with client.session_transaction() as sess:
            sess.clear()
            sess.update(cookie)
            sess.permanent = True
        return client

    return do


def token_maker(app: Any) -> Callable[[Any], dict[str, str]]:
    """``token_for(user)`` → API headers with a new bearer token of that user."""
    from cnpe_flow.auth.operations import create_token

    def make(user: Any) -> dict[str, str]:
        with db.transaction(app) as s:
            return {"Authorization": f"Bearer {create_token(s, user)}"}

    return make

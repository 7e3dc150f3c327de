"""Authentication (Flask-Login sessions for pages, bearer tokens for the API), CSRF,
security headers, and the rule that nothing is served without authentication."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, g, jsonify, redirect, request, session, url_for
from flask_login import LoginManager, current_user, login_user
from flask_wtf.csrf import CSRFProtect

from cnpe_flow import db
from cnpe_flow.auth.models import User
from cnpe_flow.auth.operations import user_for_token

#: the session key holding the account's session generation at login
SESSION_GENERATION = "gen"

login_manager = LoginManager()
csrf = CSRFProtect()

#: endpoints reachable without logging in (the ICS feed carries its own secret)
PUBLIC_ENDPOINTS = frozenset({"auth.login", "health.healthz", "static", "reminders.calendar_feed"})

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def start_session(user: User) -> None:
    """Log ``user`` in on this browser, in a new session of the current generation."""
    session.clear()
    login_user(user)
    session[SESSION_GENERATION] = user.session_generation
    session.permanent = True


def api_user() -> User | None:
    """The user of an API request: bearer token only (no cookie, so no CSRF risk)."""
    if "api_user" not in g:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        g.api_user = (
            user_for_token(db.session(), token.strip())
            if scheme.lower() == "bearer" and token.strip()
            else None
        )
    return g.api_user


def acting_user() -> User:
    """The authenticated user of this request (page or API)."""
    if is_api_request():
        user = api_user()
        assert user is not None  # guaranteed by _require_authentication
        return user
    return current_user._get_current_object()  # type: ignore[no-any-return]


def api_error(status: int, message: str, field: str | None = None) -> Response:
    response = jsonify({"errors": [{"field": field, "message": message}]})
    response.status_code = status
    return response


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Connectez-vous pour accéder à cette page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    csrf.init_app(app)

    @login_manager.user_loader
    def _load_user(user_id: str) -> User | None:
        try:
            user = db.session().get(User, int(user_id))
        except ValueError:
            return None
        if user is None or not user.active:
            return None
        # ended server-side (logout, password change, deactivation, « déconnecter partout »)
        if session.get(SESSION_GENERATION) != user.session_generation:
            return None
        return user

    @app.before_request
    def _require_authentication() -> Any:
        if request.endpoint in PUBLIC_ENDPOINTS:
            return None
        if is_api_request():
            if api_user() is None:
                return api_error(
                    401, "authentification requise : en-tête « Authorization: Bearer JETON »"
                )
            return None
        if request.endpoint is None:
            return None  # 404 page
        if not current_user.is_authenticated:
            return redirect(
                url_for("auth.login", next=request.full_path if request.method == "GET" else None)
            )
        return None

    @app.after_request
    def _security_headers(response: Response) -> Response:
        h = response.headers
        h.setdefault("Content-Security-Policy", CSP)
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("Referrer-Policy", "same-origin")
        h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.is_secure:
            h.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.endpoint not in ("static",):
            # Pages carry personal data: never keep them in shared caches.
            h.setdefault("Cache-Control", "no-store")
        return response

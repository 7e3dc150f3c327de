"""Configuration: defaults in code, secrets from the environment, fail fast.

``DATABASE_URL`` and ``SECRET_KEY`` are the documented names (outside tools rely on them);
any other Flask setting can be given as ``CNPE_<NAME>`` (``app.config.from_prefixed_env``).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask


class ConfigError(RuntimeError):
    """The application cannot start with this configuration (message in French)."""


def default_database_url(instance_path: str) -> str:
    return "sqlite:///" + str(Path(instance_path) / "cnpe-flow.sqlite3")


def load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Fill ``app.config``; refuse to start without a secret key outside demo and tests."""
    app.config.from_mapping(
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="cnpe_session",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
        REMEMBER_COOKIE_SECURE=True,
        REMEMBER_COOKIE_HTTPONLY=True,
        WTF_CSRF_TIME_LIMIT=8 * 3600,
        MAX_CONTENT_LENGTH=1024 * 1024,
        # Page forms (web/form_limits.py): a larger body, each value cut at this many
        # characters (above every field's own limit, which then refuses it by the field).
        FORM_MAX_BYTES=8 * 1024 * 1024,
        FORM_FIELD_MAX_CHARS=5_000,
        JSON_SORT_KEYS=False,
        # Login throttling (cnpe_flow/auth/throttle.py): an account waits LOGIN_BACKOFF_SECONDS
        # after LOGIN_MAX_FAILURES failures in a row, twice as long after each further one (at
        # most LOGIN_WINDOW); an address is refused after LOGIN_ADDRESS_MAX_FAILURES failures
        # on any accounts within LOGIN_WINDOW.
        LOGIN_MAX_FAILURES=5,
        LOGIN_BACKOFF_SECONDS=30,
        LOGIN_ADDRESS_MAX_FAILURES=100,
        LOGIN_WINDOW=timedelta(minutes=15),
        # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are believed.
        TRUSTED_PROXIES=0,
        # months a file is kept after the last levée d'écrou (README, « Retention »)
        RETENTION_MONTHS=24,
        PAGE_SIZE=25,
        # Roster import (issue 11): rows per file, and upload size on the import routes only.
        IMPORT_MAX_ROWS=50_000,
        IMPORT_MAX_BYTES=20 * 1024 * 1024,
        DEMO=False,
    )
    if test_config is None:
        app.config.from_prefixed_env("CNPE")
        if os.environ.get("DATABASE_URL"):
            app.config["DATABASE_URL"] = os.environ["DATABASE_URL"]
        if os.environ.get("SECRET_KEY"):
            app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    else:
        app.config.from_mapping(test_config)
    app.config.setdefault("DATABASE_URL", default_database_url(app.instance_path))
    if not app.config.get("SECRET_KEY"):
        raise ConfigError(
            "SECRET_KEY manquant : définissez la variable d'environnement SECRET_KEY "
            "(une longue chaîne aléatoire, par exemple `python3 -c 'import secrets; "
            "print(secrets.token_urlsafe(48))'`). Seuls `cnpe-flow demo` et les tests s'en passent."
        )

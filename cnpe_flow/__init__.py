"""cnpe-flow: health-insurance rights around detention and release.

``create_app`` builds the web application; gunicorn loads ``cnpe_flow:create_app()``.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Any

# ROOT, the top of the checkout, stays importable from here (tests, tools)
from cnpe_flow.paths import ROOT as ROOT
from cnpe_flow.paths import default_instance_path, shipped

__version__ = "0.2.0"

#: every blueprint, as "module:attribute"
BLUEPRINTS = (
    "cnpe_flow.web.health:bp",
    "cnpe_flow.auth.views:bp",
    "cnpe_flow.auth.account_views:bp",
    "cnpe_flow.auth.profile:bp",
    "cnpe_flow.dashboard.views:bp",
    "cnpe_flow.people.views:bp",
    "cnpe_flow.people.edit_views:bp",
    "cnpe_flow.admin.views:bp",
    "cnpe_flow.privacy.views:bp",
    "cnpe_flow.api.views:bp",
    "cnpe_flow.letters.views:bp",
    "cnpe_flow.reminders.views:bp",
    "cnpe_flow.imports.views:bp",
)


def create_app(test_config: dict[str, Any] | None = None):  # type: ignore[no-untyped-def]
    """The Flask application. ``test_config`` replaces the environment (tests, demo)."""
    from flask import Flask

    from cnpe_flow import config, db
    from cnpe_flow.web import errors, form_limits, proxies, security, templating

    app = Flask(
        __name__,
        template_folder=str(shipped("templates")),
        static_folder=str(Path(__file__).parent / "web" / "static"),
        instance_path=str((test_config or {}).get("INSTANCE_PATH") or default_instance_path()),
    )
    config.load_config(app, test_config)
    proxies.init_app(app)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    db.init_app(app)
    form_limits.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    for target in BLUEPRINTS:
        module, _, attribute = target.partition(":")
        bp = getattr(import_module(module), attribute)
        app.register_blueprint(bp)
        if bp.name == "api":
            security.csrf.exempt(bp)  # bearer tokens only, no cookies: CSRF cannot apply
    # A "%2F" in a path argument reaches routing as "/"; werkzeug would answer the "//" it
    # makes with a 308 to the merged path (another resource, an HTML body) where the API
    # owes a JSON 404.
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            rule.merge_slashes = False
    return app

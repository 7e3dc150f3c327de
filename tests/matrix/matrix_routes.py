"""The application's routes, read from ``app.url_map`` when the tests are collected."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass

from cnpe_flow import create_app


@dataclass(frozen=True, order=True)
class Route:
    endpoint: str
    method: str
    rule: str
    arguments: tuple[str, ...]

    @property
    def api(self) -> bool:
        return self.rule.startswith("/api/")


def list_routes() -> list[Route]:
    """Every (endpoint, method) of the application but ``static``, HEAD and OPTIONS."""
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SECRET_KEY": "matrix",
                "DATABASE_URL": "sqlite://",
                "TESTING": True,
                "INSTANCE_PATH": tmp,
            }
        )
        return sorted(
            Route(rule.endpoint, method, rule.rule, tuple(sorted(rule.arguments)))
            for rule in app.url_map.iter_rules()
            if rule.endpoint != "static"
            for method in rule.methods - {"HEAD", "OPTIONS"}  # type: ignore[operator]
        )


ROUTES = list_routes()

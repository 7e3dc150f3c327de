"""The client's address and scheme behind reverse proxies (``CNPE_TRUSTED_PROXIES``).

Each proxy appends the address it received the request from to ``X-Forwarded-For``. Only the
last ``CNPE_TRUSTED_PROXIES`` entries were written by proxies we run: the entry just before them
is the client. Anything further left was sent by the client itself and could be forged, so it
is never believed. With the default 0 the headers are ignored and the TCP peer is the client.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from cnpe_flow.config import ConfigError


def trusted_proxies(app: Flask) -> int:
    value = app.config.get("TRUSTED_PROXIES", 0)
    try:
        count = int(str(value).strip())
    except ValueError:
        count = -1
    if not 0 <= count <= 10:
        raise ConfigError(
            f"CNPE_TRUSTED_PROXIES : « {value} » n'est pas un nombre de proxys entre 0 et 10"
        )
    return count


def init_app(app: Flask) -> None:
    """Read the client address (``request.remote_addr``) and HTTPS (``request.is_secure``)
    through the trusted proxies only."""
    count = trusted_proxies(app)
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]

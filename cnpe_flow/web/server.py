"""The production WSGI server (gunicorn, several workers and threads)."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication


class GunicornServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, app: Any, options: dict[str, Any]) -> None:
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self.application


def hide_server_header() -> None:
    """Drop the ``Server: gunicorn`` line gunicorn writes on every response.

    gunicorn has no setting for it; naming the software only helps whoever looks for a known
    flaw. The line comes from ``Response.default_headers`` (gunicorn 22 to 27): filter it there.
    """
    from gunicorn.http import wsgi

    original = wsgi.Response.default_headers
    if getattr(original, "cnpe_hides_server", False):
        return

    def default_headers(self: Any) -> list[str]:
        return [line for line in original(self) if not line.lower().startswith("server:")]

    default_headers.cnpe_hides_server = True  # type: ignore[attr-defined]
    wsgi.Response.default_headers = default_headers  # type: ignore[method-assign]


def serve(app: Any, host: str, port: int, workers: int, threads: int) -> None:
    """Serve ``app`` until interrupted (workers fork after the app is built)."""
    hide_server_header()
    GunicornServer(
        app,
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "accesslog": "-",
            # The path only: query strings may carry search terms (names).
            "access_log_format": '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms',
            "timeout": 60,
            # Fair sharing between workers: a worker takes no more connections than it has
            # threads, and closes each one after its response, so waiting requests queue in
            # the listening socket for whichever worker is free. With keep-alive, the worker
            # that accepts first keeps its clients (one took all 50 clients of the load test,
            # p95 433 ms); behind the HTTPS proxy, keep-alive with browsers is the proxy's.
            "keepalive": 0,
            "worker_connections": threads,
        },
    ).run()

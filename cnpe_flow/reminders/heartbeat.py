"""A lease kept alive by a heartbeat thread while its holder works.

The sweep holds its lease only a short time (``CNPE_SWEEP_LEASE_SECONDS``, 60 s) and a thread
renews it every quarter of that while the sweep runs, however long one step takes (recording
notifications, an SMTP server slow to answer). A sweep killed with ``kill -9`` stops beating
with it: its lease expires at most one lease time later, and the next sweep proceeds.
"""

from __future__ import annotations

import logging
import threading
from types import TracebackType

from flask import Flask

from cnpe_flow import db
from cnpe_flow.reminders import lease

log = logging.getLogger("cnpe_flow.reminders")


class Heartbeat:
    """``with Heartbeat(app, name, holder, seconds):`` renews the lease until the block ends.

    :attr:`lost` is set when another process holds the lease (the work must stop; the sweep's
    own renewal at each message raises ``LeaseLost`` then).
    """

    def __init__(self, app: Flask, name: str, holder: str, seconds: float) -> None:
        self.app = app
        self.name = name
        self.holder = holder
        self.seconds = seconds
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat-{name}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _exc: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()

    def _beat(self) -> None:
        while not self._stop.wait(self.seconds / 4):
            try:
                with db.transaction(self.app) as s:
                    kept = lease.renew(s, self.name, self.holder, self.seconds)
            except Exception as exc:  # the database is away: try again at the next beat
                log.warning("verrou %s non renouvelé (%s)", self.name, type(exc).__name__)
                continue
            if not kept:
                log.error("verrou %s repris par un autre processus", self.name)
                self.lost.set()
                return

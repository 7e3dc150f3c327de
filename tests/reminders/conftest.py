"""Reminder fixtures: a real SMTP server on loopback, tasks, and subprocess runners."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from cnpe_flow import db
from cnpe_flow.people.models import Task
from cnpe_flow.rules.tasks_catalogue import TASK_KINDS

MAIL_FROM = "rappels@cnpe-flow.example"
#: short leases, so that crash and take-over tests wait seconds, not minutes; the scheduler's
#: lease must outlive six SMTP timeouts (``reminders/settings.py``), hence the short timeout
SMTP_TIMEOUT = 0.5
LEASE_SECONDS = 3
ROOT = Path(__file__).resolve().parents[2]

# Runs the command line on a clock that starts at the tests' day and moves in real time, so
# that subprocesses agree with the test's frozen "today" and leases still expire.
_SHIFTED_CLI = (
    "import sys, datetime as d\n"
    "from cnpe_flow.clock import set_clock\n"
    "shift = d.timedelta(seconds=float(sys.argv.pop(1)))\n"
    "set_clock(lambda: d.datetime.now(d.UTC) + shift)\n"
    "from cnpe_flow.cli import run\n"
    "run()\n"
)


class Hold:
    """One delivery attempt the server sits on until :attr:`release` is set."""

    def __init__(self, accept: bool) -> None:
        #: True: the server took the message before holding (only its reply is late)
        self.accept = accept
        self.reached = threading.Event()
        self.release = threading.Event()


class Sink:
    """An SMTP server's handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.holds: dict[int, Hold] = {}
        self._attempts = 0

    def hold(self, attempt: int, *, accept: bool) -> Hold:
        """Hold the ``attempt``-th message received (counting every attempt, repeats too)."""
        self.holds[attempt] = Hold(accept)
        return self.holds[attempt]

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self._attempts += 1
        hold = self.holds.get(self._attempts)
        if hold is None:
            self.messages.append(message)
            return "250 OK"
        if hold.accept:
            self.messages.append(message)
        hold.reached.set()
        while not hold.release.is_set():
            await asyncio.sleep(0.01)
        return "250 OK" if hold.accept else "451 abandonné"

    def message_ids(self) -> list[str]:
        return [str(m["Message-ID"]) for m in self.messages]


_HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every reminder test commits for real: the sweep sends through a connection of its
    own (``DeliveryRun``), the heartbeat renews its lease from a thread, the scheduler and
    the command line run in other processes; none of them can see a rolled-back test's
    writes (see ``own_connections`` in ``tests/conftest.py``)."""
    mark = pytest.mark.own_connections("the sweep's own connection, threads, processes")
    for item in items:
        if _HERE in item.path.parents:
            item.add_marker(mark)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_sink(app: Any) -> Iterator[Sink]:
    """A real SMTP server on 127.0.0.1; the app sends its reminders there."""
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=_free_port())
    controller.start()
    app.config.update(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=controller.port,
        MAIL_FROM=MAIL_FROM,
        SMTP_TIMEOUT=SMTP_TIMEOUT,
        SCHEDULER_LEASE_SECONDS=LEASE_SECONDS,
        SWEEP_LEASE_SECONDS=LEASE_SECONDS,
        BASE_URL="https://cnpe.example",
    )
    yield sink
    for hold in sink.holds.values():
        hold.release.set()
    controller.stop()


@pytest.fixture
def add_task(app: Any) -> Callable[..., Task]:
    """``add_task(person, kind, due)`` → an open task as the engine would store it."""
    counter = iter(range(1, 1_000_000))

    def add(person: Any, kind: str, due: date, **fields: Any) -> Task:
        spec = TASK_KINDS[kind]
        with db.transaction(app) as s:
            task = Task(
                person_id=person.id,
                key=f"{kind}:{due.isoformat()}:test{next(counter)}",
                kind=kind,
                owner=spec.owner,
                medical=spec.medical,
                due=due,
                rules=[],
                **fields,
            )
            s.add(task)
            s.flush()
            return task

    return add


class Cli:
    """``cnpe-flow`` subprocesses on the test database, SMTP server and day."""

    def __init__(self, app: Any, today: datetime) -> None:
        self.app = app
        #: added to the real clock in every subprocess: their day is the tests' day, and
        #: their clocks agree with each other (leases written by one expire for the next)
        self.shift = today - datetime.now(UTC)

    def env(self, **extra: str) -> dict[str, str]:
        values = {
            "SECRET_KEY": "test-secret-key",
            "DATABASE_URL": self.app.config["DATABASE_URL"],
            "PATH": os.environ.get("PATH", ""),
            "CNPE_MAIL_FROM": MAIL_FROM,
            "CNPE_SMTP_HOST": "127.0.0.1",
            "CNPE_SMTP_PORT": str(self.app.config.get("SMTP_PORT", 25)),
            "CNPE_SMTP_TIMEOUT": str(SMTP_TIMEOUT),
            "CNPE_SCHEDULER_LEASE_SECONDS": str(LEASE_SECONDS),
            "CNPE_SWEEP_LEASE_SECONDS": str(LEASE_SECONDS),
            "CNPE_BASE_URL": "https://cnpe.example",
        }
        values.update(extra)
        return values

    def now(self) -> datetime:
        """The subprocesses' clock."""
        return datetime.now(UTC) + self.shift

    def sleep_until(self, moment: datetime) -> None:
        time.sleep(max((moment - self.now()).total_seconds(), 0) + 0.2)

    def start(
        self, *args: str, log: Path | None = None, env: dict[str, str] | None = None
    ) -> subprocess.Popen[str]:
        """``cnpe-flow ARGS``; output (with the log lines) to the file ``log`` or to a pipe;
        ``env``: variables added to (or replacing) :meth:`env`'s."""
        command = [sys.executable, "-c", _SHIFTED_CLI, str(self.shift.total_seconds()), *args]
        if log is None:
            return subprocess.Popen(
                command,
                env=self.env(**(env or {})),
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
        with open(log, "w") as output:  # the child keeps its own copy of the descriptor
            return subprocess.Popen(
                command,
                env=self.env(**(env or {})),
                cwd=ROOT,
                stdout=output,
                stderr=subprocess.STDOUT,
                text=True,
            )

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        proc = self.start(*args)
        out, _ = proc.communicate(timeout=120)
        return subprocess.CompletedProcess(proc.args, proc.returncode, out, "")


@pytest.fixture
def cli(app: Any, frozen_clock: datetime, smtp_sink: Sink) -> Cli:
    return Cli(app, frozen_clock)


def wait_for(condition: Callable[[], Any], what: str, timeout: float = 60) -> None:
    """Poll until ``condition()`` is true (subprocesses work at their own pace)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"délai dépassé en attendant : {what}")
        time.sleep(0.1)

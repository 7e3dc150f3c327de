"""Reminder settings, read from the application config (``CNPE_<NAME>`` environment variables).

| variable | default | meaning |
|---|---|---|
| ``CNPE_SMTP_HOST`` | (none: no e-mail) | SMTP relay |
| ``CNPE_SMTP_PORT`` | 25 | its port |
| ``CNPE_MAIL_FROM`` | (required with a host) | sender address |
| ``CNPE_SMTP_TIMEOUT`` | 15 | seconds per SMTP operation |
| ``CNPE_BASE_URL`` | (none: no link) | public address of the app, for links in e-mails |
| ``CNPE_REMINDER_DAYS`` | 7 | remind this many days before a due date |
| ``CNPE_REMINDER_OVERDUE_DAYS`` | 30 | no reminder for a task already overdue longer than this (the dashboard lists it) |
| ``CNPE_SCHEDULER_LEASE_SECONDS`` | 120 | scheduler lease lifetime (restart delay after a crash) |
| ``CNPE_SWEEP_LEASE_SECONDS`` | 60 | sweep lease lifetime, renewed by a heartbeat while the sweep runs: a crashed sweep delays the next one by at most this |
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cnpe_flow.config import ConfigError

#: one message may need connect, MAIL, RCPT, DATA and the body: each up to the timeout
SMTP_STEPS = 6


@dataclass(frozen=True, slots=True)
class ReminderSettings:
    smtp_host: str | None
    smtp_port: int
    smtp_timeout: float
    mail_from: str | None
    base_url: str | None
    lead_days: int
    overdue_days: int
    lease_seconds: float
    #: the sweep lease: short, kept alive by the sweep's heartbeat (``heartbeat.py``)
    sweep_lease_seconds: float = 60

    @property
    def mail_enabled(self) -> bool:
        return bool(self.smtp_host)

    @property
    def mail_domain(self) -> str:
        """The sender's domain, for Message-IDs."""
        _, _, domain = (self.mail_from or "").rpartition("@")
        return domain or "cnpe-flow.invalid"


def _number(config: Mapping[str, Any], name: str, default: float, low: float, high: float) -> Any:
    value = config.get(name, default)
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = None
    if number is None or not low <= number <= high:
        raise ConfigError(f"CNPE_{name} : « {value} » n'est pas un nombre entre {low} et {high}")
    return number


def reminder_settings(config: Mapping[str, Any]) -> ReminderSettings:
    """The settings, checked: a bad value stops the command with a French message."""
    host = str(config.get("SMTP_HOST") or "").strip() or None
    mail_from = str(config.get("MAIL_FROM") or "").strip() or None
    if host and (mail_from is None or "@" not in mail_from):
        raise ConfigError(
            "CNPE_MAIL_FROM : adresse d'expéditeur obligatoire quand CNPE_SMTP_HOST est défini"
        )
    timeout = _number(config, "SMTP_TIMEOUT", 15, 0.1, 600)
    lease = _number(config, "SCHEDULER_LEASE_SECONDS", 120, 1, 86400)
    if lease < SMTP_STEPS * timeout:
        # A lease must outlive any message in flight, or a new holder could resend it.
        raise ConfigError(
            f"CNPE_SCHEDULER_LEASE_SECONDS ({lease:g}) doit valoir au moins "
            f"{SMTP_STEPS} fois CNPE_SMTP_TIMEOUT ({timeout:g})"
        )
    base_url = str(config.get("BASE_URL") or "").strip().rstrip("/") or None
    return ReminderSettings(
        smtp_host=host,
        smtp_port=int(_number(config, "SMTP_PORT", 25, 1, 65535)),
        smtp_timeout=timeout,
        mail_from=mail_from,
        base_url=base_url,
        lead_days=int(_number(config, "REMINDER_DAYS", 7, 0, 365)),
        overdue_days=int(_number(config, "REMINDER_OVERDUE_DAYS", 30, 0, 3650)),
        lease_seconds=lease,
        sweep_lease_seconds=_number(config, "SWEEP_LEASE_SECONDS", 60, 2, 3600),
    )

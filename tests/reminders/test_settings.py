"""Reminder settings: bad values stop the command with a French message naming the variable."""

from __future__ import annotations

import pytest

from cnpe_flow.config import ConfigError
from cnpe_flow.reminders.settings import reminder_settings


def test_defaults_send_no_email_and_remind_a_week_ahead():
    settings = reminder_settings({})

    assert (settings.mail_enabled, settings.lead_days, settings.lease_seconds) == (False, 7, 120)


def test_an_smtp_host_needs_a_sender_address():
    with pytest.raises(ConfigError, match="CNPE_MAIL_FROM"):
        reminder_settings({"SMTP_HOST": "localhost"})


def test_the_lease_must_outlive_a_message_in_flight():
    with pytest.raises(ConfigError, match="CNPE_SCHEDULER_LEASE_SECONDS"):
        reminder_settings({"SMTP_TIMEOUT": 30, "SCHEDULER_LEASE_SECONDS": 60})


def test_a_port_that_is_not_a_number_is_refused():
    with pytest.raises(ConfigError, match="CNPE_SMTP_PORT : « vingt-cinq »"):
        reminder_settings({"SMTP_PORT": "vingt-cinq"})

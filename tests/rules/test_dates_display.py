"""How dates are shown to people: one module (``rules/dates.py``) for pages, letters and rules."""

from __future__ import annotations

from datetime import UTC, date, datetime

from cnpe_flow.rules.dates import fr, fr_last_day, fr_long
from cnpe_flow.web.templating import fr_date


def test_a_date_and_its_iso_text_read_the_same():
    assert fr(date(2026, 3, 1)) == fr("2026-03-01") == "01/03/2026"
    assert fr(None) == fr("") == ""


def test_a_half_open_period_ends_on_the_day_before_its_end():
    assert fr_last_day(date(2026, 3, 1)) == "28/02/2026"
    assert fr_last_day("2024-03-01") == "29/02/2024"
    assert fr_last_day(None) == ""


def test_letters_write_the_first_of_the_month_as_1er():
    assert fr_long("2026-03-01") == "1er mars 2026"
    assert fr_long(date(2026, 12, 24)) == "24 décembre 2026"


def test_a_stored_instant_is_shown_in_paris_time():
    # 23:30 UTC on 31 December is already 1 January in Paris (UTC+1 in winter)
    assert fr_date(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == "01/01/2027 00:30"
    assert fr_date(datetime(2026, 7, 1, 10, 0, tzinfo=UTC)) == "01/07/2026 12:00"

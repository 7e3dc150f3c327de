"""Tests of cnpe_flow.rules.cash_benefits (CD-1, ASS-1, INV-2), from seed 000 §2."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from cnpe_flow.rules.cash_benefits import (
    action_sanitaire_sociale,
    capital_deces_open,
    invalidity_claim_recipient,
)

DEATH = date(2026, 6, 15)


def capital(**kw):
    args = {
        "death_date": DEATH,
        "employed_until": None,
        "unemployment_benefit_until": None,
        "invalidity_pension": False,
        "atmp_rente_rate": None,
    }
    args.update(kw)
    return capital_deces_open(**args)


# ---------------------------------------------------------------- CD-1


def test_cd_1_nothing_no_capital():
    """CD-1: none of the four situations: closed."""
    r = capital()
    assert r.open is False
    assert r.grounds == ()
    assert r.rules == ("CD-1",)


def test_cd_1_employed_in_the_3_months_before_death():
    """CD-1: death on 15 June 2026: employed until 15 March 2026 (3 months before) opens the
    right; until 14 March 2026 does not."""
    assert capital(employed_until=date(2026, 3, 15)).open is True
    assert capital(employed_until=date(2026, 3, 14)).open is False


def test_cd_1_unemployment_benefits_within_12_months():
    """CD-1: Pôle emploi benefits received in the previous 12 months: last paid on 15 June
    2025 opens the right, on 14 June 2025 it does not."""
    assert capital(unemployment_benefit_until=date(2025, 6, 15)).open is True
    assert capital(unemployment_benefit_until=date(2025, 6, 14)).open is False


def test_cd_1_invalidity_pension():
    """CD-1: an invalidity pension holder opens the right."""
    assert capital(invalidity_pension=True).open is True


def test_cd_1_atmp_rate_66_66_percent():
    """CD-1: an AT/MP annuity of at least 66.66 % opens the right; 66.65 % does not."""
    assert capital(atmp_rente_rate=66.66).open is True
    assert capital(atmp_rente_rate=100).open is True
    assert capital(atmp_rente_rate=66.65).open is False


@pytest.mark.parametrize("bad", [-1, 100.5, float("nan")])
def test_cd_1_rate_must_be_a_percentage(bad):
    """CD-1: a rate outside 0-100 is refused, naming the argument."""
    with pytest.raises(ValueError, match="atmp_rente_rate"):
        capital(atmp_rente_rate=bad)


def test_cd_1_parameters_reported_and_early_death_flagged():
    """CD-1: the parameters used are reported; before the leaflet's date (April 2023) the
    values are extrapolated and the result says so."""
    r = capital(employed_until=DEATH)
    assert any(p.startswith("capital_deces_activity_window@") for p in r.parameters)
    assert r.warnings == ()
    early = capital(death_date=date(2022, 1, 10), employed_until=date(2022, 1, 1))
    assert early.open is True
    assert early.warnings


@given(
    death=st.dates(date(2023, 4, 1), date(2035, 12, 31)),
    back=st.integers(min_value=0, max_value=800),
)
def test_cd_1_employment_window_is_3_calendar_months(death, back):
    """CD-1 (property): employment ending on or after death − 3 months opens the right."""
    ended = death - timedelta(days=back)
    r = capital(death_date=death, employed_until=ended)
    assert r.open == (ended >= death - relativedelta(months=3))


# ---------------------------------------------------------------- ASS-1


@pytest.mark.parametrize(("cnpe", "recipient"), [(True, "CNPE"), (False, "CPAM_AFFILIATION")])
def test_ass_1_regular_person_and_recipient(cnpe, recipient):
    """ASS-1: regular situation only; CNPE or the CPAM of affiliation; not contestable."""
    r = action_sanitaire_sociale(regular_situation=True, affiliated_to_cnpe=cnpe)
    assert r.eligible is True
    assert r.recipient == recipient
    assert r.contestable is False
    assert r.rules == ("ASS-1",)


def test_ass_1_irregular_person_cannot_ask():
    """ASS-1: an irregular person cannot ask; a refusal is never contestable."""
    r = action_sanitaire_sociale(regular_situation=False, affiliated_to_cnpe=True)
    assert r.eligible is False
    assert r.contestable is False


# ---------------------------------------------------------------- INV-2


def test_inv_2_in_custody_without_activity_goes_to_cnpe():
    """INV-2: incarceration or aménagement without activity: the CNPE."""
    r = invalidity_claim_recipient(in_custody=True, amenagement_with_activity=False)
    assert r.recipient == "CNPE"
    assert r.rules == ("INV-2",)


def test_inv_2_amenagement_with_activity_goes_to_cpam_of_residence():
    """INV-2: aménagement with activity: the CPAM of residence (AFF-3)."""
    r = invalidity_claim_recipient(in_custody=True, amenagement_with_activity=True)
    assert r.recipient == "CPAM_RESIDENCE"
    assert "AFF-3" in r.rules


def test_inv_2_not_in_custody_goes_to_cpam_of_residence():
    """INV-2: outside écrou, the CPAM of residence."""
    r = invalidity_claim_recipient(in_custody=False, amenagement_with_activity=False)
    assert r.recipient == "CPAM_RESIDENCE"

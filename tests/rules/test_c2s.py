"""Tests of cnpe_flow.rules.c2s (C2S-1 … C2S-6).

Expected values come from the sources, not from the code: the official 2025 ceilings table
(reference-data §4.1, EFL / Previssima), the participation brackets (reference-data §4.2,
seed 000 « de 8 € … à 30 € ») and the seed sentences quoted in the docstrings.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnpe_flow.rules.c2s import (
    c2s_answer_due,
    c2s_can_apply_alone,
    c2s_ceilings,
    c2s_documents,
    c2s_eligibility,
    c2s_participation,
    c2s_start_date,
    c2s_where_to_send,
)

IN_2025 = date(2025, 6, 1)

# Official metropolitan ceilings from 1 April 2025 (reference-data §4.1): free / participation.
OFFICIAL_2025 = [
    (1, 10339, 13957),
    (2, 15508, 20936),
    (3, 18609, 25123),
    (4, 21711, 29311),
]


def eligibility(resources, *, size=1, at=IN_2025, **kw):
    args = {"regular_situation": True, "has_base_coverage": True}
    args.update(kw)
    return c2s_eligibility(household_size=size, annual_resources=resources, at=at, **args)


# ---------------------------------------------------------------- C2S-1


@pytest.mark.parametrize(("size", "free", "participation"), OFFICIAL_2025)
def test_c2s_1_official_2025_ceilings_table(size, free, participation):
    """C2S-1: the ceilings used for 1 to 4 persons are the official 2025 table."""
    c = c2s_ceilings(household_size=size, at=IN_2025)
    assert c.free == Decimal(free)
    assert c.participation == Decimal(participation)
    assert c.warnings == ()


@pytest.mark.parametrize(("size", "free", "participation"), OFFICIAL_2025)
def test_c2s_1_free_ceiling_equal_vs_plus_one_euro(size, free, participation):
    """C2S-1: resources equal to the free ceiling → free; one euro more → with participation."""
    assert eligibility(free, size=size).status == "free"
    assert eligibility(free + 1, size=size).status == "with_participation"


@pytest.mark.parametrize(("size", "free", "participation"), OFFICIAL_2025)
def test_c2s_1_participation_ceiling_equal_vs_plus_one_euro(size, free, participation):
    """C2S-1: equal to the participation ceiling → with participation; + 1 € → over ceiling."""
    assert eligibility(participation, size=size).status == "with_participation"
    assert eligibility(participation + 1, size=size).status == "over_ceiling"


def test_c2s_1_household_of_5_uses_extra_amounts():
    """C2S-1: a household of 5 = the 4-person ceiling + the published extra per person
    (21 711 + 4 135 free; 29 311 + 5 583 with participation, reference-data §4.1)."""
    c = c2s_ceilings(household_size=5, at=IN_2025)
    assert c.free == Decimal(21711 + 4135)
    assert c.participation == Decimal(29311 + 5583)
    assert eligibility(21711 + 4135, size=5).status == "free"
    assert eligibility(21711 + 4135 + 1, size=5).status == "with_participation"


def test_c2s_1_household_of_7_adds_three_extra_amounts():
    """C2S-1: each person above 4 adds the extra amount."""
    c = c2s_ceilings(household_size=7, at=IN_2025)
    assert c.free == Decimal(21711 + 3 * 4135)
    assert c.participation == Decimal(29311 + 3 * 5583)


def test_c2s_1_revaluation_day_1_april_2025():
    """C2S-1: 31 March 2025 uses the 2024 ceiling (10 166 €), 1 April 2025 the 2025 one
    (10 339 €): 10 200 € is over the free ceiling the day before, under it on the day."""
    before = eligibility(10200, at=date(2025, 3, 31))
    on_day = eligibility(10200, at=date(2025, 4, 1))
    assert before.free_ceiling == Decimal(10166)
    assert before.status == "with_participation"
    assert on_day.free_ceiling == Decimal(10339)
    assert on_day.status == "free"


def test_c2s_1_stale_warning_from_1_april_2026():
    """C2S-1: the 2026 revaluation is NOT FOUND in our sources: from 1 April 2026 the result
    says so; on 31 March 2026 the 2025 value is still current, no warning."""
    assert eligibility(5000, at=date(2026, 3, 31)).warnings == ()
    stale = eligibility(5000, at=date(2026, 4, 1))
    assert stale.status == "free"
    assert len(stale.warnings) == 1
    assert "NON TROUVÉE" in stale.warnings[0]
    assert "01/04/2026" in stale.warnings[0]


def test_c2s_1_extrapolated_warning_before_first_table():
    """C2S-1: before the first documented table (1 April 2024) the oldest one is used, with a
    warning; a single person's free ceiling comes from the documented history (2021: 9 041 €,
    seed 001)."""
    r = eligibility(9041, at=date(2021, 6, 1))
    assert r.free_ceiling == Decimal(9041)
    assert r.status == "free"
    two = eligibility(1000, size=2, at=date(2021, 6, 1))
    assert any("aucune valeur documentée" in w for w in two.warnings)


def test_c2s_1_irregular_or_without_base_coverage_is_not_eligible():
    """C2S-1: regular situation and base coverage (PUMa) are required."""
    assert eligibility(0, regular_situation=False).status == "not_eligible"
    assert eligibility(0, has_base_coverage=False).status == "not_eligible"
    r = eligibility(0, has_base_coverage=False)
    assert r.rules == ("C2S-1",)
    assert r.reasons


def test_c2s_1_dom_single_person_2024_ceiling_and_unknown_household():
    """C2S-1: overseas ceilings differ (2024, one person: 11 315 / 15 275 €); for 2 persons our
    sources have no value, so the status is unknown rather than guessed."""
    r = eligibility(11315, at=date(2024, 6, 1), territory="dom")
    assert r.free_ceiling == Decimal(11315)
    assert r.participation_ceiling == Decimal(15275)
    assert r.status == "free"
    assert eligibility(11316, at=date(2024, 6, 1), territory="dom").status == "with_participation"
    two = eligibility(1000, size=2, at=date(2024, 6, 1), territory="dom")
    assert two.status == "unknown"
    assert two.free_ceiling is None


def test_c2s_1_dom_ceiling_stale_after_april_2025():
    """C2S-1: the DOM table stops in 2024: used in 2025 it carries a stale warning."""
    r = eligibility(1000, at=date(2025, 6, 1), territory="dom")
    assert any("NON TROUVÉE" in w for w in r.warnings)


@pytest.mark.parametrize("bad", [0, -1])
def test_c2s_1_household_size_must_be_at_least_one(bad):
    """C2S-1: a household size below 1 is refused with a message naming the argument."""
    with pytest.raises(ValueError, match="household_size"):
        eligibility(1000, size=bad)


@pytest.mark.parametrize("bad", [-1, -0.01, float("nan"), "1000"])
def test_c2s_1_resources_must_be_a_non_negative_number(bad):
    """C2S-1: negative or non-numeric resources are refused, naming the argument."""
    with pytest.raises(ValueError, match="annual_resources"):
        eligibility(bad)


def test_c2s_1_float_resources_are_compared_exactly():
    """C2S-1: 10 339.00 as a float is equal to the ceiling, not a hair above it."""
    assert eligibility(10339.0).status == "free"
    assert eligibility(10339.01).status == "with_participation"


_RANK = {"free": 0, "with_participation": 1, "over_ceiling": 2}


@given(
    a=st.integers(min_value=0, max_value=80_000),
    b=st.integers(min_value=0, max_value=80_000),
    size=st.integers(min_value=1, max_value=9),
    at=st.dates(min_value=date(2024, 4, 1), max_value=date(2027, 12, 31)),
)
def test_c2s_1_status_is_monotonic_in_resources(a, b, size, at):
    """C2S-1 (property): more resources never give a better status."""
    low, high = sorted((a, b))
    r_low = eligibility(low, size=size, at=at)
    r_high = eligibility(high, size=size, at=at)
    assert _RANK[r_low.status] <= _RANK[r_high.status]


@given(size=st.integers(min_value=1, max_value=12), at=st.dates(date(2024, 4, 1), date(2027, 1, 1)))
def test_c2s_1_ceilings_grow_with_household_size(size, at):
    """C2S-1 (property): one more person never lowers a ceiling, and participation ceiling is
    above the free one."""
    small = c2s_ceilings(household_size=size, at=at)
    big = c2s_ceilings(household_size=size + 1, at=at)
    assert small.free < big.free
    assert small.participation < big.participation
    assert small.free < small.participation


# ---------------------------------------------------------------- C2S-2


def test_c2s_2_participation_uses_age_on_1_january():
    """C2S-2: ages are taken on 1 January of the attribution year: born 1 January 1996 → 30 on
    1 January 2026 → 14 €; born 2 January 1996 → still 29 on that day → 8 €, even for an
    attribution in December 2026."""
    r = c2s_participation([date(1996, 1, 1), date(1996, 1, 2)], date(2026, 12, 20))
    assert r.reference_date == date(2026, 1, 1)
    assert [m.age_on_1_january for m in r.members] == [30, 29]
    assert [m.monthly_amount for m in r.members] == [Decimal(14), Decimal(8)]
    assert r.total_monthly == Decimal(22)


def test_c2s_2_29_february_birthday():
    """C2S-2: born 29 February 2000, the person turns 30 in 2030 after 1 January: aged 29 on
    1 January 2030 (8 €), 30 on 1 January 2031 (14 €)."""
    born = date(2000, 2, 29)
    assert c2s_participation([born], date(2030, 3, 1)).members[0].monthly_amount == Decimal(8)
    assert c2s_participation([born], date(2031, 1, 1)).members[0].monthly_amount == Decimal(14)


@pytest.mark.parametrize(
    ("born", "age", "france", "alsace_moselle"),
    [
        (date(1997, 1, 1), 29, "8", "2.8"),
        (date(1996, 1, 1), 30, "14", "4.9"),
        (date(1977, 1, 1), 49, "14", "4.9"),
        (date(1976, 1, 1), 50, "21", "7.3"),
        (date(1966, 1, 2), 59, "21", "7.3"),
        (date(1966, 1, 1), 60, "25", "8.7"),
        (date(1957, 1, 1), 69, "25", "8.7"),
        (date(1956, 1, 1), 70, "30", "10.5"),
    ],
)
def test_c2s_2_brackets_france_and_alsace_moselle(born, age, france, alsace_moselle):
    """C2S-2: each bracket edge, ages on 1 January 2026, with the amounts of reference-data
    §4.2 (8/14/21/25/30 €; Alsace-Moselle 2.80/4.90/7.30/8.70/10.50 €)."""
    at = date(2026, 5, 1)
    member = c2s_participation([born], at).members[0]
    assert member.age_on_1_january == age
    assert member.monthly_amount == Decimal(france)
    local = c2s_participation([born], at, "alsace_moselle").members[0]
    assert local.monthly_amount == Decimal(alsace_moselle)


def test_c2s_2_child_born_in_the_attribution_year():
    """C2S-2: a baby born after 1 January of the attribution year is in the youngest bracket."""
    r = c2s_participation([date(2026, 3, 1)], date(2026, 5, 1))
    assert r.members[0].age_on_1_january == 0
    assert r.members[0].monthly_amount == Decimal(8)


def test_c2s_2_rejects_empty_household_birth_after_attribution_and_unknown_regime():
    """C2S-2: inputs are checked, the message naming the argument."""
    with pytest.raises(ValueError, match="member_birth_dates"):
        c2s_participation([], date(2026, 1, 1))
    with pytest.raises(ValueError, match="member_birth_dates"):
        c2s_participation([date(2026, 6, 2)], date(2026, 6, 1))
    with pytest.raises(ValueError, match="regime"):
        c2s_participation([date(1990, 1, 1)], date(2026, 1, 1), "belgique")  # type: ignore[arg-type]


@given(
    births=st.lists(st.dates(date(1900, 1, 1), date(2026, 12, 31)), min_size=1, max_size=8),
    at=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
)
def test_c2s_2_total_is_sum_and_each_between_8_and_30(births, at):
    """C2S-2 (property): total = sum of members; each between 8 € and 30 € (france)."""
    births = [b for b in births if b <= at] or [at]
    r = c2s_participation(births, at)
    assert r.total_monthly == sum(m.monthly_amount for m in r.members)
    assert all(Decimal(8) <= m.monthly_amount <= Decimal(30) for m in r.members)
    assert len(r.members) == len(births)


@given(
    born=st.dates(date(1920, 1, 1), date(2020, 12, 31)),
    year=st.integers(min_value=2021, max_value=2040),
)
def test_c2s_2_participation_never_decreases_with_age(born, year):
    """C2S-2 (property): a year later, the same person never pays less."""
    this_year = c2s_participation([born], date(year, 6, 1)).total_monthly
    next_year = c2s_participation([born], date(year + 1, 6, 1)).total_monthly
    assert this_year <= next_year


# ---------------------------------------------------------------- C2S-3


def test_c2s_3_detained_person_sends_s3711_to_cnpe():
    """C2S-3: the person under écrou sends the S3711 to the CNPE."""
    r = c2s_where_to_send(in_custody=True, applicant="person")
    assert r.form == "S3711"
    assert r.recipient == "CNPE"
    assert r.rules == ("C2S-3",)


@pytest.mark.parametrize("in_custody", [True, False])
def test_c2s_3_spouse_sends_to_own_fund(in_custody):
    """C2S-3: the spouse sends it to their own fund (caisse de rattachement)."""
    assert (
        c2s_where_to_send(in_custody=in_custody, applicant="spouse").recipient
        == "CAISSE_DU_CONJOINT"
    )


def test_c2s_3_person_not_in_custody_files_with_cpam():
    """C2S-3: outside écrou, the CPAM of the département of residence (seed 001)."""
    assert c2s_where_to_send(in_custody=False, applicant="person").recipient == "CPAM_RESIDENCE"


# ---------------------------------------------------------------- C2S-4


def test_c2s_4_under_25_with_three_conditions_applies_alone_with_letter():
    """C2S-4: under 25, the three conditions together allow a separate application with a
    letter attesting them."""
    r = c2s_can_apply_alone(
        age=22,
        lives_with_parents=False,
        receives_alimony=False,
        files_own_tax_return=True,
        at=date(2026, 1, 1),
    )
    assert r.can_apply_alone
    assert r.attestation_letter_required


@pytest.mark.parametrize(
    ("lives_with_parents", "receives_alimony", "files_own_tax_return"),
    [(True, False, True), (False, True, True), (False, False, False), (True, True, False)],
)
def test_c2s_4_under_25_missing_a_condition_stays_with_parents(
    lives_with_parents, receives_alimony, files_own_tax_return
):
    """C2S-4: one failed condition is enough to stay in the parents' household."""
    r = c2s_can_apply_alone(
        age=24,
        lives_with_parents=lives_with_parents,
        receives_alimony=receives_alimony,
        files_own_tax_return=files_own_tax_return,
        at=date(2026, 1, 1),
    )
    assert not r.can_apply_alone
    assert not r.attestation_letter_required


def test_c2s_4_boundary_24_vs_25():
    """C2S-4: at 24 the conditions apply; at 25 the person applies alone without a letter."""
    kw = {"lives_with_parents": True, "receives_alimony": True, "files_own_tax_return": False}
    assert not c2s_can_apply_alone(age=24, at=date(2026, 1, 1), **kw).can_apply_alone
    at_25 = c2s_can_apply_alone(age=25, at=date(2026, 1, 1), **kw)
    assert at_25.can_apply_alone
    assert not at_25.attestation_letter_required


def test_c2s_4_negative_age_is_refused():
    """C2S-4: the age is checked."""
    with pytest.raises(ValueError, match="age"):
        c2s_can_apply_alone(
            age=-1, lives_with_parents=False, receives_alimony=False, files_own_tax_return=True
        )


# ---------------------------------------------------------------- C2S-5


def test_c2s_5_rsa_household_declares_no_resources():
    """C2S-5: with the RSA, no declaration of resources; the tax notice is still asked."""
    rsa = c2s_documents(receives_rsa=True, receives_caf=False, at=date(2026, 1, 1))
    other = c2s_documents(receives_rsa=False, receives_caf=False, at=date(2026, 1, 1))
    assert any("RSA" in item for item in rsa.items)
    assert not any("12 mois" in item for item in rsa.items)
    assert any("12 mois" in item for item in other.items)
    for r in (rsa, other):
        assert any("avis d'imposition" in item for item in r.items)
        assert any("S3711" in item for item in r.items)


def test_c2s_5_caf_number_and_departement_when_caf_benefits():
    """C2S-5: CAF number and CAF département when CAF benefits are paid."""
    with_caf = c2s_documents(receives_rsa=False, receives_caf=True, at=date(2026, 1, 1))
    without = c2s_documents(receives_rsa=False, receives_caf=False, at=date(2026, 1, 1))
    assert any("CAF" in item for item in with_caf.items)
    assert not any("CAF" in item for item in without.items)


# ---------------------------------------------------------------- C2S-6


def start(**kw):
    args = {
        "decision_date": None,
        "payment_means_received": None,
        "with_participation": False,
        "urgent_care": False,
        "application_date": date(2026, 3, 10),
    }
    args.update(kw)
    return c2s_start_date(**args)


def test_c2s_6_free_c2s_starts_first_of_month_after_decision():
    """C2S-6: free C2S starts the 1st of the month after the decision."""
    assert start(decision_date=date(2026, 3, 31)).start == date(2026, 4, 1)
    assert start(decision_date=date(2026, 4, 1)).start == date(2026, 5, 1)


def test_c2s_6_december_decision_starts_in_january():
    """C2S-6: the month after December is January of the next year."""
    r = start(decision_date=date(2026, 12, 15), application_date=date(2026, 11, 2))
    assert r.start == date(2027, 1, 1)


def test_c2s_6_participation_starts_after_payment_means():
    """C2S-6: with participation, the 1st of the month after receipt of the payment means,
    whatever the decision date."""
    r = start(
        with_participation=True,
        decision_date=date(2026, 3, 20),
        payment_means_received=date(2026, 4, 30),
    )
    assert r.start == date(2026, 5, 1)


def test_c2s_6_urgent_care_starts_first_day_of_application_month():
    """C2S-6: an urgent care need lets the C2S start the 1st day of the application month."""
    r = start(urgent_care=True, decision_date=date(2026, 4, 20))
    assert r.start == date(2026, 3, 1)


def test_c2s_6_missing_dates_are_named():
    """C2S-6: no start date without the decision (free) or the payment means (participation)."""
    assert start().start is None
    assert start().missing == ("decision_date",)
    assert start(with_participation=True).missing == ("payment_means_received",)


def test_c2s_6_decision_before_application_is_refused():
    """C2S-6: a decision before the application is a data error."""
    with pytest.raises(ValueError, match="decision_date"):
        start(decision_date=date(2026, 3, 9))


@pytest.mark.parametrize(
    ("applied", "due"),
    [
        (date(2026, 1, 10), date(2026, 3, 10)),
        (date(2025, 12, 31), date(2026, 2, 28)),  # month end: 28 February
        (date(2027, 12, 31), date(2028, 2, 29)),  # leap year
    ],
)
def test_c2s_6_answer_due_two_months_later(applied, due):
    """C2S-6: the fund answers within 2 months (seed 001), calendar months."""
    r = c2s_answer_due(applied)
    assert r.due == due
    assert r.rules == ("C2S-6",)
    assert r.parameters


@given(st.dates(date(2020, 1, 1), date(2035, 12, 31)))
def test_c2s_6_answer_due_is_between_59_and_62_days_later(applied):
    """C2S-6 (property): two calendar months are 59 to 62 days."""
    gap = c2s_answer_due(applied).due - applied
    assert timedelta(days=59) <= gap <= timedelta(days=62)

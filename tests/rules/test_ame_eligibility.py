"""The AME rules as pure functions of facts and dated parameters (``cnpe_flow.rules.ame``):
AME-1 conditions, AME-3 filing places, AME-4 documents, AME-5 start of rights, AME-10
household. The whole AME and soins urgents items (AME-9, AME-11), read from the engine's
output, are tested in ``test_rights_ame.py``.

Expected values come from the seeds (003 training of 20/03/2023, 001 webinar of 15/04/2021)
and from hand calendar arithmetic written in each test.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from cnpe_flow.rules.ame import eligibility
from cnpe_flow.rules.ame.filing import (
    HouseholdMember,
    ame_documents,
    ame_first_filing_places,
    document_steps,
)
from cnpe_flow.rules.ame.household import ame_household
from cnpe_flow.rules.ame.rights_start import rights_start_date
from cnpe_flow.rules.c2s.ceilings import ceilings
from cnpe_flow.rules.case import parse_case
from cnpe_flow.rules.context import Context
from cnpe_flow.rules.dates import Duration
from cnpe_flow.rules.household import Member

THREE_MONTHS = Duration(months=3)


def context() -> Context:
    data = {
        "as_of": "2026-01-01",
        "person": {
            "birth_date": "1990-01-01",
            "residence_status": "irregular",
            "carte_vitale": False,
        },
        "events": [],
    }
    return Context(parse_case(data))


# ---------------------------------------------------------------- AME-1


def presence_met(since, at, minor=False):
    return eligibility.presence(at, since, THREE_MONTHS, minor)[1]


def test_ame_1_exactly_3_months_is_not_more_than_3_months():
    """AME-1: presence since 15 January 2026: on 15 April 2026 (exactly 3 months) the
    condition « more than 3 months » is not met; on 16 April it is."""
    assert presence_met(date(2026, 1, 15), date(2026, 4, 15)) is False
    assert presence_met(date(2026, 1, 15), date(2026, 4, 16)) is True
    assert eligibility.presence_met_on(date(2026, 1, 15), THREE_MONTHS) == date(2026, 4, 16)
    text = eligibility.presence(date(2026, 4, 15), date(2026, 1, 15), THREE_MONTHS, False)[0]
    assert "16/04/2026" in text


def test_ame_1_three_months_from_30_november_ends_on_28_february():
    """AME-1: 30 November 2025 + 3 months = 28 February 2026 (calendar months): the first
    day of « more than 3 months » is 1 March 2026."""
    assert presence_met(date(2025, 11, 30), date(2026, 2, 28)) is False
    assert presence_met(date(2025, 11, 30), date(2026, 3, 1)) is True


def test_ame_1_unknown_arrival_is_to_check_never_refused():
    """AME-1: without the date of arrival the condition is « à vérifier »."""
    assert presence_met(None, date(2026, 4, 1)) is None


def test_ame_1_minor_exception_turns_a_failed_condition_into_to_check():
    """AME-1: a minor whose parents are irregular needs neither the 3 months nor the
    resources: for a minor a failed condition is « à vérifier », not a refusal."""
    cond = eligibility.presence(date(2026, 2, 1), date(2026, 1, 15), THREE_MONTHS, True)
    assert cond[1] is None and "mineur" in cond[0]


@given(since=st.dates(date(2020, 1, 1), date(2030, 1, 1)), gap=st.integers(0, 400))
def test_ame_1_presence_is_strictly_more_than_3_calendar_months(since, gap):
    """AME-1 (property): met iff the day is after arrival + 3 months (relativedelta)."""
    at = since + timedelta(days=gap)
    assert presence_met(since, at) == (at > since + relativedelta(months=3))


def resources_met(amount, members=None, at=date(2025, 6, 1), territory="metropole", minor=False):
    ctx = context()
    household = None
    if members is not None:
        household = ame_household(members, at, 18, 21, Duration(months=12))
    alone = ceilings(ctx, at, territory, 1)
    largest = ceilings(ctx, at, territory, household.largest) if household else None
    cond = eligibility.resources(Decimal(amount), household, alone, largest, "", minor)
    return cond[1]


def test_ame_1_resources_equal_to_the_free_c2s_ceiling_vs_one_euro_more():
    """AME-1: resources at most the free C2S ceiling (10 339 € alone from 1 April 2025)."""
    assert resources_met(10339, []) is True
    assert resources_met(10340, []) is False


def test_ame_1_2021_single_person_ceiling_is_9041():
    """AME-1: seed 001 (2021): « Pour une personne seule, le plafond annuel de ressources est
    actuellement établi à 9041 € »."""
    assert resources_met(9041, [], at=date(2021, 6, 1)) is True
    assert resources_met(9042, [], at=date(2021, 6, 1)) is False


def test_ame_1_ame_10_household_range_decides_only_outside_it():
    """AME-1, AME-10: with a spouse and 3 minor children the AME household is 1 to 5 persons
    (members in regular situation do not count): under the 1-person ceiling → met; over the
    5-person ceiling (21 711 + 4 135 €) → not met; in between → à vérifier."""
    family = [Member(date(1990, 1, 1), "spouse")] + [Member(date(2015, 1, 1), "child")] * 3
    assert resources_met(10339, family) is True
    assert resources_met(21711 + 4135 + 1, family) is False
    assert resources_met(15000, family) is None


def test_ame_1_members_unknown_only_a_small_amount_is_decided():
    """AME-1: household composition unknown: over the one-person ceiling is « à vérifier »."""
    assert resources_met(10339) is True
    assert resources_met(12000) is None


def test_ame_1_overseas_uses_the_dom_ceiling():
    """AME-1: in Guadeloupe (971) the overseas ceiling applies (2024: 11 315 € alone), higher
    than the metropolitan one at that date (10 166 €)."""
    at = date(2024, 6, 1)
    assert resources_met(11315, [], at=at, territory="dom") is True
    assert resources_met(11316, [], at=at, territory="dom") is False
    assert resources_met(11315, [], at=at) is False


def test_ame_1_schengen_visa_is_always_to_check():
    """AME-1: a valid Schengen visa excludes the AME; the case never says: à vérifier."""
    text, met, rules = eligibility.visa()
    assert met is None and "Schengen" in text and rules == ("AME-1",)


# ---------------------------------------------------------------- AME-3


def test_ame_3_in_person_places_since_1_june_2021():
    """AME-3: from 1 June 2021 the first application is filed in person at the CPAM, a France
    services or by exception the hospital / PASS (sent on within 8 days); not before."""
    before = ame_first_filing_places(date(2021, 5, 31))
    on_day = ame_first_filing_places(date(2021, 6, 1))
    assert before.in_person_required is False
    assert "01/06/2021" in before.text
    assert on_day.in_person_required is True
    assert {p.code for p in on_day.places} == {
        "cpam_residence",
        "france_services",
        "etablissement_sante_pass",
    }
    pass_label = next(p.label for p in on_day.places if p.code == "etablissement_sante_pass")
    assert "8 jours" in pass_label
    assert "en personne" in on_day.text and "S3720" in on_day.text


def test_ame_3_secondary_places_are_flagged_to_verify():
    """AME-3: places cited only by a secondary source are shown « à vérifier »."""
    found = ame_first_filing_places(date(2024, 1, 1))
    assert found.to_verify
    assert "À vérifier" in found.text
    assert {p.code for p in found.places}.isdisjoint({p.code for p in found.to_verify})


# ---------------------------------------------------------------- AME-4

APPLIED = date(2026, 5, 1)


def member(relation, born, regular=False):
    return HouseholdMember(relation, born, regular)


def test_ame_4_residence_proofs_more_than_3_and_less_than_12_months_old():
    """AME-4: for an application on 1 May 2026, proofs dated more than 3 months before (31
    January 2026 at the latest) and less than 12 months before (2 May 2025 at the earliest)."""
    found = ame_documents([member("applicant", date(1990, 3, 3))], APPLIED)
    assert found.residence_proof_until == date(2026, 1, 31)
    assert found.residence_proof_from == date(2025, 5, 2)
    assert any("31/01/2026" in i.label and "02/05/2025" in i.label for i in found.items)


def test_ame_4_one_identity_document_per_beneficiary():
    """AME-4: an identity document for every household member (beneficiaries)."""
    household = [
        member("applicant", date(1990, 3, 3)),
        member("spouse", date(1991, 4, 4)),
        member("child", date(2015, 5, 5)),
    ]
    found = ame_documents(household, APPLIED)
    assert len([i for i in found.items if i.label.startswith("Justificatif d'identité")]) == 3


def test_ame_4_photo_from_16th_birthday():
    """AME-4: a photo for each beneficiary aged 16 or more: a child whose 16th birthday is the
    application day needs one; a child turning 16 the next day does not."""
    household = [
        member("applicant", date(1990, 3, 3)),
        member("child", date(2010, 5, 1)),
        member("child", date(2010, 5, 2)),
    ]
    assert ame_documents(household, APPLIED).photo_for == (0, 1)


def test_ame_4_regular_member_is_not_a_beneficiary():
    """AME-4: a member in regular situation gets no identity line nor photo (seed 003)."""
    household = [member("applicant", date(1990, 3, 3)), member("spouse", date(1991, 4, 4), True)]
    found = ame_documents(household, APPLIED)
    assert found.photo_for == (0,)
    assert len([i for i in found.items if i.label.startswith("Justificatif d'identité")]) == 1


def test_ame_4_zero_resources_need_the_association_document():
    """AME-4: zero resources → declare 0 and join the supporting association's document."""
    found = ame_documents([member("applicant", date(1990, 3, 3))], APPLIED, zero_resources=True)
    lines = [i.label for i in found.items if i.label.startswith("Ressources")]
    assert len(lines) == 1 and "association" in lines[0] and "12 mois" in lines[0]


def test_ame_4_form_in_black_ink_and_cohabitant_statement():
    """AME-4: the form in black ink, dated and signed; a cohabitant needs the joint sworn
    statement (AME-10)."""
    household = [member("applicant", date(1990, 3, 3)), member("cohabitant", date(1950, 1, 1))]
    found = ame_documents(household, APPLIED)
    assert all(w in found.items[0].label for w in ("stylo noir", "daté", "signé"))
    assert any("Déclaration sur l'honneur" in i.label for i in found.items)
    with pytest.raises(ValueError, match="household"):
        ame_documents([], APPLIED)


def test_ame_4_item_steps_state_the_window_relative_to_the_filing():
    """AME-4: before any filing date is known, the item says « daté de plus de 3 mois et de
    moins de 12 mois avant le dépôt »; a photo only when the applicant is 16 or more."""
    steps = document_steps(
        THREE_MONTHS, Duration(months=12), Duration(months=12), True, False, None
    )
    assert any("avant le dépôt" in s and "moins de 12 mois" in s for s in steps)
    assert any(s.startswith("Photo d'identité") for s in steps)
    young = document_steps(
        THREE_MONTHS, Duration(months=12), Duration(months=12), False, True, None
    )
    assert not any(s.startswith("Photo d'identité") for s in young)
    assert any("autre membre du foyer" in s for s in young)


# ---------------------------------------------------------------- AME-5


def test_ame_5_day_90_vs_day_91_after_care():
    """AME-5: care on 1 January 2026; 1 April 2026 is day 90 (included): rights start on the
    care date; filed on 2 April (day 91), rights start on the filing date; care after the
    filing changes nothing."""
    care = date(2026, 1, 1)
    assert rights_start_date(date(2026, 4, 1), care) == care
    assert rights_start_date(date(2026, 4, 2), care) == date(2026, 4, 2)
    assert rights_start_date(date(2026, 2, 10), date(2026, 2, 20)) == date(2026, 2, 10)
    assert rights_start_date(date(2026, 2, 10), None) == date(2026, 2, 10)


@given(care=st.dates(date(2023, 4, 1), date(2030, 1, 1)), gap=st.integers(0, 200))
def test_ame_5_retroactive_iff_filed_within_90_days(care, gap):
    """AME-5 (property): the right starts on the care date exactly when filed within 90 days."""
    filed = care + timedelta(days=gap)
    assert rights_start_date(filed, care) == (care if gap <= 90 else filed)


# ---------------------------------------------------------------- AME-10

AT = date(2026, 6, 1)


def household(*members):
    return ame_household(list(members), AT, 18, 21, Duration(months=12))


def test_ame_10_spouse_and_minor_children_may_count():
    """AME-10: spouse and minor children count (if irregular): 1 to 3 persons."""
    found = household(Member(date(1986, 2, 2), "spouse"), Member(date(2015, 3, 3), "child"))
    assert (found.smallest, found.largest, found.minors) == (1, 3, 1)
    assert "conjoint" in found.description and "régulière" in found.description


def test_ame_10_child_17_vs_18():
    """AME-10: a child counts as a minor until the day before the 18th birthday; at 18 only
    if in studies or unable to work (unknown: may count)."""
    assert household(Member(date(2008, 6, 2), "child")).minors == 1
    eighteen = household(Member(date(2008, 6, 1), "child"))
    assert eighteen.minors == 0 and eighteen.largest == 2
    assert "études" in eighteen.description


def test_ame_10_only_one_cohabitant_and_an_older_child_may_be_it():
    """AME-10: one cohabitant per household at most, an older child included."""
    found = household(
        Member(date(1950, 1, 1), "cohabitant"),
        Member(date(1955, 1, 1), "other"),
        Member(date(2001, 1, 1), "child"),
    )
    assert found.largest == 2
    assert found.cohabitants == 3
    assert "un seul cohabitant" in found.description

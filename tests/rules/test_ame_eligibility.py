"""Tests of cnpe_flow.rules.ame_eligibility (AME-1, AME-3, AME-4, AME-5, AME-10, AME-11).

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

from cnpe_flow.rules.ame_eligibility import (
    HouseholdMember,
    ame_documents,
    ame_eligibility,
    ame_first_filing_places,
    ame_household,
    ame_in_person_exemption,
    ame_rights_start,
    soins_urgents_eligible,
)


def eligibility(**kw):
    args = {
        "irregular_situation": True,
        "presence_start": date(2025, 1, 10),
        "application_date": date(2025, 6, 1),
        "annual_resources": 5000,
        "household_size": 1,
    }
    args.update(kw)
    return ame_eligibility(**args)


# ---------------------------------------------------------------- AME-1


def test_ame_1_exactly_3_months_is_not_more_than_3_months():
    """AME-1: presence since 15 January 2026: on 15 April 2026 (exactly 3 months) the
    condition « more than 3 months » is not met; on 16 April it is."""
    on_day = eligibility(presence_start=date(2026, 1, 15), application_date=date(2026, 4, 15))
    day_after = eligibility(presence_start=date(2026, 1, 15), application_date=date(2026, 4, 16))
    assert on_day.eligible is False
    assert day_after.eligible is True
    assert day_after.presence_condition_met_on == date(2026, 4, 16)


def test_ame_1_three_months_from_30_november_ends_on_28_february():
    """AME-1: 30 November 2025 + 3 months = 28 February 2026 (calendar months): the first
    eligible day is 1 March 2026."""
    start = date(2025, 11, 30)
    assert eligibility(presence_start=start, application_date=date(2026, 2, 28)).eligible is False
    assert eligibility(presence_start=start, application_date=date(2026, 3, 1)).eligible is True


def test_ame_1_resources_equal_to_free_c2s_ceiling_vs_one_euro_more():
    """AME-1: resources ≤ the free C2S ceiling (10 339 € for one person from 1 April 2025)."""
    assert eligibility(annual_resources=10339).eligible is True
    over = eligibility(annual_resources=10340)
    assert over.eligible is False
    assert over.ceiling == Decimal(10339)


def test_ame_1_2021_single_person_ceiling_is_9041():
    """AME-1: seed 001 (2021): « Pour une personne seule, le plafond annuel de ressources est
    actuellement établi à 9041 € »."""
    kw = {"presence_start": date(2020, 1, 1), "application_date": date(2021, 6, 1)}
    assert eligibility(annual_resources=9041, **kw).eligible is True
    assert eligibility(annual_resources=9042, **kw).eligible is False


def test_ame_1_household_of_5_uses_c2s_extra_amount():
    """AME-1: a household of 5 uses 21 711 + 4 135 € (free C2S table, 2025)."""
    r = eligibility(household_size=5, annual_resources=21711 + 4135)
    assert r.eligible is True
    assert r.ceiling == Decimal(21711 + 4135)
    assert eligibility(household_size=5, annual_resources=21711 + 4136).eligible is False


def test_ame_1_minor_with_irregular_parents_needs_no_presence_nor_resources():
    """AME-1: a minor whose parents are irregular gets AME without the 3-month or resource
    condition (seed 001, seed 003)."""
    r = eligibility(
        is_minor_with_irregular_parents=True,
        presence_start=None,
        annual_resources=1_000_000,
    )
    assert r.eligible is True


@pytest.mark.parametrize(
    "kw",
    [
        {"valid_schengen_visa": True},
        {"departement": "976"},
        {"irregular_situation": False},
    ],
)
def test_ame_1_excluded_visa_mayotte_regular(kw):
    """AME-1: a valid Schengen visa, Mayotte or a regular situation exclude the AME."""
    r = eligibility(**kw)
    assert r.eligible is False
    assert r.rules == ("AME-1",)


def test_ame_1_visa_excludes_even_a_minor():
    """AME-1: the visa holder has no AME (travel insurance pays), minors included."""
    assert (
        eligibility(is_minor_with_irregular_parents=True, valid_schengen_visa=True).eligible
        is False
    )


def test_ame_1_unknown_presence_start_is_undecided_not_refused():
    """AME-1: without the arrival date the answer is « unknown » and names the missing input."""
    r = eligibility(presence_start=None)
    assert r.eligible is None
    assert r.missing == ("presence_start",)


def test_ame_1_a_failed_condition_wins_over_a_missing_one():
    """AME-1: resources over the ceiling refuse even if the arrival date is unknown."""
    assert eligibility(presence_start=None, annual_resources=50_000).eligible is False


def test_ame_1_overseas_departement_uses_dom_ceiling():
    """AME-1: in Guadeloupe (971) the overseas ceiling applies (2024: 11 315 € alone)."""
    kw = {"application_date": date(2024, 6, 1), "presence_start": date(2023, 1, 1)}
    assert eligibility(departement="971", annual_resources=11315, **kw).eligible is True
    assert eligibility(departement="971", annual_resources=11316, **kw).eligible is False
    # The metropolitan ceiling at that date is lower (10 166 €).
    assert eligibility(departement="75", annual_resources=11315, **kw).eligible is False


def test_ame_1_stale_ceiling_warning_after_1_april_2026():
    """AME-1: the AME ceiling is the C2S ceiling, not found for April 2026: warn."""
    r = eligibility(application_date=date(2026, 4, 1))
    assert any("NON TROUVÉE" in w for w in r.warnings)
    assert eligibility(application_date=date(2026, 3, 31)).warnings == ()


def test_ame_1_presence_after_application_is_refused():
    """AME-1: an arrival after the application date is a data error naming the argument."""
    with pytest.raises(ValueError, match="presence_start"):
        eligibility(presence_start=date(2025, 7, 1))


@pytest.mark.parametrize(("field", "value"), [("household_size", 0), ("annual_resources", -5)])
def test_ame_1_inputs_checked(field, value):
    """AME-1: household size and resources are validated."""
    with pytest.raises(ValueError, match=field):
        eligibility(**{field: value})


@given(
    since=st.dates(date(2020, 1, 1), date(2030, 1, 1)),
    gap=st.integers(min_value=0, max_value=400),
)
def test_ame_1_presence_condition_is_strictly_more_than_3_calendar_months(since, gap):
    """AME-1 (property): met iff application date > arrival + 3 months (relativedelta)."""
    applied = since + timedelta(days=gap)
    r = eligibility(presence_start=since, application_date=applied)
    assert (r.eligible is True) == (applied > since + relativedelta(months=3))


# ---------------------------------------------------------------- AME-3


def test_ame_3_in_person_places_since_1_june_2021():
    """AME-3: from 1 June 2021 the first application is filed in person at the CPAM, a France
    services or by exception the hospital / PASS (sent on within 8 days); not before."""
    before = ame_first_filing_places(date(2021, 5, 31))
    on_day = ame_first_filing_places(date(2021, 6, 1))
    assert before.in_person_required is False
    assert on_day.in_person_required is True
    assert {p.code for p in on_day.places} == {
        "cpam_residence",
        "france_services",
        "etablissement_sante_pass",
    }
    pass_label = next(p.label for p in on_day.places if p.code == "etablissement_sante_pass")
    assert "8 jours" in pass_label


def test_ame_3_secondary_places_are_flagged_to_verify():
    """AME-3: places cited only by a secondary source are shown « à vérifier », in warnings."""
    r = ame_first_filing_places(date(2024, 1, 1))
    assert r.to_verify
    assert any("vérifier" in w for w in r.warnings)
    assert {p.code for p in r.places}.isdisjoint({p.code for p in r.to_verify})


@pytest.mark.parametrize(
    "ground", ["isolated_minor", "dependent_child", "under_guardianship", "reduced_mobility"]
)
def test_ame_3_each_exemption_ground_exempts(ground):
    """AME-3: isolated minor, dependent child, guardianship, reduced mobility exempt from
    filing in person."""
    kw = dict.fromkeys(
        ("isolated_minor", "dependent_child", "under_guardianship", "reduced_mobility"), False
    )
    kw[ground] = True
    assert ame_in_person_exemption(**kw).exempt is True


def test_ame_3_no_ground_no_exemption_and_documents():
    """AME-3: without a ground the applicant comes in person; reduced mobility needs a sworn
    statement and guardianship a copy of the judgment (seed 003)."""
    none = ame_in_person_exemption(
        isolated_minor=False,
        dependent_child=False,
        under_guardianship=False,
        reduced_mobility=False,
    )
    assert none.exempt is False
    both = ame_in_person_exemption(
        isolated_minor=False, dependent_child=False, under_guardianship=True, reduced_mobility=True
    )
    assert any("jugement" in d for d in both.documents)
    assert any("honneur" in d for d in both.documents)


# ---------------------------------------------------------------- AME-4

APPLIED = date(2026, 5, 1)


def member(relation, born, regular=False, **kw):
    return HouseholdMember(relation, born, regular, **kw)


def test_ame_4_residence_proofs_more_than_3_and_less_than_12_months_old():
    """AME-4: for an application on 1 May 2026, proofs dated more than 3 months before
    (so 31 January 2026 at the latest) and less than 12 months before (2 May 2025 at the
    earliest)."""
    r = ame_documents([member("applicant", date(1990, 3, 3))], APPLIED)
    assert r.residence_proof_until == date(2026, 1, 31)
    assert r.residence_proof_from == date(2025, 5, 2)
    assert any("31/01/2026" in i.label and "02/05/2025" in i.label for i in r.items)


def test_ame_4_one_identity_document_per_beneficiary():
    """AME-4: an identity document for every household member (beneficiaries)."""
    household = [
        member("applicant", date(1990, 3, 3)),
        member("spouse", date(1991, 4, 4)),
        member("child", date(2015, 5, 5)),
    ]
    r = ame_documents(household, APPLIED)
    identity = [i for i in r.items if i.label.startswith("Justificatif d'identité")]
    assert len(identity) == 3


def test_ame_4_photo_from_16th_birthday():
    """AME-4: a photo for each beneficiary aged 16 or more: a child whose 16th birthday is the
    application day needs one; a child turning 16 the next day does not."""
    household = [
        member("applicant", date(1990, 3, 3)),
        member("child", date(2010, 5, 1)),  # 16 on 1 May 2026
        member("child", date(2010, 5, 2)),  # 16 on 2 May 2026
    ]
    r = ame_documents(household, APPLIED)
    assert r.photo_for == (0, 1)


def test_ame_4_regular_member_is_not_a_beneficiary():
    """AME-4: a member in regular situation gets no identity line nor photo (seed 003: the
    regular spouse's resources are not counted)."""
    household = [member("applicant", date(1990, 3, 3)), member("spouse", date(1991, 4, 4), True)]
    r = ame_documents(household, APPLIED)
    assert r.photo_for == (0,)
    assert len([i for i in r.items if i.label.startswith("Justificatif d'identité")]) == 1
    assert any("régulière" in reason for reason in r.reasons)


def test_ame_4_zero_resources_need_the_association_document():
    """AME-4: zero resources → declare 0 and join the supporting association's document."""
    r = ame_documents([member("applicant", date(1990, 3, 3))], APPLIED, zero_resources=True)
    resources = [i.label for i in r.items if i.label.startswith("Ressources")]
    assert len(resources) == 1
    assert "association" in resources[0]
    assert "12 mois" in resources[0]


def test_ame_4_form_in_black_ink_dated_signed_and_cohabitant_statement():
    """AME-4: the form in black ink, dated and signed; a cohabitant needs the joint sworn
    statement (AME-10)."""
    household = [
        member("applicant", date(1990, 3, 3)),
        member("cohabitant", date(1950, 1, 1), dependent_since=date(2020, 1, 1)),
    ]
    r = ame_documents(household, APPLIED)
    form = r.items[0].label
    assert "stylo noir" in form
    assert "daté" in form
    assert "signé" in form
    assert any("Déclaration sur l'honneur" in i.label for i in r.items)


def test_ame_4_empty_household_refused():
    """AME-4: at least one person."""
    with pytest.raises(ValueError, match="household"):
        ame_documents([], APPLIED)


# ---------------------------------------------------------------- AME-5


def test_ame_5_day_90_vs_day_91_after_care():
    """AME-5: care on 1 January 2026; 1 April 2026 is day 90 (included): rights start on the
    care date; filed on 2 April (day 91), rights start on the filing date."""
    care = date(2026, 1, 1)
    day_90 = ame_rights_start(filing_date=date(2026, 4, 1), care_date=care)
    day_91 = ame_rights_start(filing_date=date(2026, 4, 2), care_date=care)
    assert day_90.retroactive
    assert day_90.start == care
    assert day_90.retroactivity_deadline == date(2026, 4, 1)
    assert not day_91.retroactive
    assert day_91.start == date(2026, 4, 2)


def test_ame_5_rights_start_on_filing_day_and_last_one_year():
    """AME-5: without care, rights start on the filing day and last 12 months."""
    r = ame_rights_start(filing_date=date(2026, 2, 10), care_date=None)
    assert r.start == date(2026, 2, 10)
    assert r.end_exclusive == date(2027, 2, 10)
    assert r.last_day == date(2027, 2, 9)
    assert r.rules == ("AME-5",)


def test_ame_5_care_after_filing_changes_nothing():
    """AME-5: care after the filing date does not move the start."""
    r = ame_rights_start(filing_date=date(2026, 2, 10), care_date=date(2026, 2, 20))
    assert r.start == date(2026, 2, 10)
    assert not r.retroactive


def test_ame_5_before_documented_retroactivity_is_flagged():
    """AME-5: the 90 days are documented from the 2023 training: an earlier filing uses them
    with a warning, never silently."""
    r = ame_rights_start(filing_date=date(2022, 3, 1), care_date=date(2022, 2, 1))
    assert r.warnings


@given(
    care=st.dates(date(2023, 4, 1), date(2030, 1, 1)),
    gap=st.integers(min_value=0, max_value=200),
)
def test_ame_5_retroactive_iff_filed_within_90_days(care, gap):
    """AME-5 (property): retroactive exactly when filed at most 90 days after the care."""
    r = ame_rights_start(filing_date=care + timedelta(days=gap), care_date=care)
    assert r.retroactive == (gap <= 90)
    assert r.start == (care if gap <= 90 else care + timedelta(days=gap))


# ---------------------------------------------------------------- AME-10

AT = date(2026, 6, 1)
APPLICANT = date(1985, 1, 1)


def counted(members, at=AT):
    return [d.counted for d in ame_household(APPLICANT, members, at).decisions]


def test_ame_10_spouse_and_minor_children_count():
    """AME-10: spouse/partner and minor children count; the applicant is always first."""
    h = ame_household(
        APPLICANT, [member("spouse", date(1986, 2, 2)), member("child", date(2015, 3, 3))], AT
    )
    assert [d.counted for d in h.decisions] == [True, True]
    assert h.size == 3
    assert h.beneficiaries[0].relation == "applicant"
    assert h.rules == ("AME-10",)


def test_ame_10_child_17_vs_18():
    """AME-10: a child counts as a minor until the day before the 18th birthday."""
    assert counted([member("child", date(2008, 6, 2))]) == [True]  # 17 on 1 June 2026
    assert counted([member("child", date(2008, 6, 1))]) == [False]  # 18 that day


def test_ame_10_child_up_to_21_in_studies_or_unable_to_work():
    """AME-10: an 18-20 year old child counts if in studies or unable to work; 21 does not."""
    assert counted([member("child", date(2006, 1, 1), in_studies_or_unable_to_work=True)]) == [True]
    assert counted([member("child", date(2006, 1, 1))]) == [False]
    assert counted([member("child", date(2005, 6, 1), in_studies_or_unable_to_work=True)]) == [
        False
    ]
    assert counted([member("child", date(2005, 6, 2), in_studies_or_unable_to_work=True)]) == [True]


def test_ame_10_cohabitant_dependent_more_than_12_months():
    """AME-10: dependent since 1 June 2025: exactly 12 months on 1 June 2026 is not « more
    than 12 months »; on 2 June 2026 it is."""
    cohabitant = member("cohabitant", date(1950, 1, 1), dependent_since=date(2025, 6, 1))
    assert counted([cohabitant], date(2026, 6, 1)) == [False]
    assert counted([cohabitant], date(2026, 6, 2)) == [True]


def test_ame_10_only_one_cohabitant():
    """AME-10: only one cohabitant per household (the first listed)."""
    a = member("cohabitant", date(1950, 1, 1), dependent_since=date(2020, 1, 1))
    b = member("other", date(1955, 1, 1), dependent_since=date(2019, 1, 1))
    assert counted([a, b]) == [True, False]


def test_ame_10_older_child_may_be_the_cohabitant():
    """AME-10: a 25-year-old child is not counted as a child but may be the cohabitant."""
    older = member("child", date(2001, 1, 1), dependent_since=date(2020, 1, 1))
    assert counted([older]) == [True]
    decision = ame_household(APPLICANT, [older], AT).decisions[0]
    assert decision.counted_as == "cohabitant"


def test_ame_10_regular_members_are_not_counted():
    """AME-10: members in regular situation are not counted (even a spouse or a minor)."""
    assert counted(
        [member("spouse", date(1986, 2, 2), True), member("child", date(2015, 1, 1), True)]
    ) == [
        False,
        False,
    ]


def test_ame_10_cohabitant_without_start_date_is_not_counted():
    """AME-10: without the date the dependency started, the cohabitant cannot be counted."""
    assert counted([member("cohabitant", date(1950, 1, 1))]) == [False]


def test_ame_10_applicant_in_members_refused():
    """AME-10: the applicant is given separately."""
    with pytest.raises(ValueError, match="members"):
        ame_household(APPLICANT, [member("applicant", date(1980, 1, 1))], AT)


def test_ame_10_unknown_relation_refused():
    """AME-10: the relation is one of the documented values."""
    with pytest.raises(ValueError, match="relation"):
        HouseholdMember("cousin", date(1980, 1, 1), False)  # type: ignore[arg-type]


# ---------------------------------------------------------------- AME-11


def urgent(**kw):
    args = {
        "irregular_since": None,
        "asylum_seeker_since": None,
        "has_ame": False,
        "ame_pending_or_refused": False,
        "valid_schengen_visa": False,
        "at": date(2026, 4, 15),
    }
    args.update(kw)
    return soins_urgents_eligible(**args)


def test_ame_11_irregular_less_than_3_months():
    """AME-11: irregular for less than 3 months: soins urgents."""
    r = urgent(irregular_since=date(2026, 2, 1))
    assert r.eligible
    assert r.hospital_makes_request
    assert r.rules == ("AME-11",)


def test_ame_11_irregular_over_3_months_without_ame():
    """AME-11: over 3 months, no AME (not filed, pending or refused): soins urgents."""
    assert urgent(irregular_since=date(2025, 1, 1), ame_pending_or_refused=True).eligible
    not_filed = urgent(irregular_since=date(2025, 1, 1))
    assert not_filed.eligible
    assert any("demande d'AME" in reason for reason in not_filed.reasons)


def test_ame_11_exact_3_months_day_is_covered():
    """AME-11: on the day that completes exactly 3 months, AME is not yet possible (AME-1
    needs more than 3 months): the soins urgents still apply, no gap between the two."""
    since = date(2026, 1, 15)
    assert urgent(irregular_since=since, at=date(2026, 4, 15)).eligible
    assert eligibility(presence_start=since, application_date=date(2026, 4, 15)).eligible is False


@pytest.mark.parametrize("kw", [{"valid_schengen_visa": True}, {"has_ame": True}])
def test_ame_11_visa_or_ame_excludes(kw):
    """AME-11: not with a valid Schengen visa, nor with an AME."""
    assert not urgent(irregular_since=date(2026, 2, 1), **kw).eligible


def test_ame_11_asylum_seeker_3_months_boundary():
    """AME-11: an adult asylum seeker present since 15 January 2026 is covered up to 15 April
    2026, not on 16 April (PUMa then)."""
    since = date(2026, 1, 15)
    assert urgent(asylum_seeker_since=since, at=date(2026, 4, 15)).eligible
    assert not urgent(asylum_seeker_since=since, at=date(2026, 4, 16)).eligible


def test_ame_11_person_neither_irregular_nor_asylum_seeker():
    """AME-11: without irregular stay nor asylum request, no soins urgents."""
    assert not urgent().eligible


def test_ame_11_start_after_care_date_refused():
    """AME-11: a start date after the care date is a data error."""
    with pytest.raises(ValueError, match="irregular_since"):
        urgent(irregular_since=date(2026, 5, 1))

"""The C2S rules as pure functions of facts and dated parameters (``cnpe_flow.rules.c2s``):
C2S-1 ceilings and the resources condition, C2S-2 participation, C2S-3 … C2S-7 steps.

Expected values come from the sources, not from the code: the official 2025 ceilings table
(reference-data §4.1, EFL / Previssima), the participation brackets (reference-data §4.2, seed
000 « de 8 € … à 30 € ») and the seed sentences quoted in the docstrings. The whole item, read
from the engine's output, is tested in ``test_rights_c2s.py``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnpe_flow.rules.c2s import filing
from cnpe_flow.rules.c2s.ceilings import ceilings
from cnpe_flow.rules.c2s.eligibility import (
    FREE,
    OVER,
    WITH_PARTICIPATION,
    applies_alone,
    base_rights,
)
from cnpe_flow.rules.c2s.eligibility import resources as resources_condition
from cnpe_flow.rules.c2s.participation import participation, total_for
from cnpe_flow.rules.case import parse_case
from cnpe_flow.rules.context import Context
from cnpe_flow.rules.dates import Duration
from cnpe_flow.rules.parameters import param

IN_2025 = date(2025, 6, 1)

# Official metropolitan ceilings from 1 April 2025 (reference-data §4.1): free / participation.
OFFICIAL_2025 = [
    (1, 10339, 13957),
    (2, 15508, 20936),
    (3, 18609, 25123),
    (4, 21711, 29311),
]


def context(as_of: date = IN_2025) -> Context:
    data = {
        "as_of": as_of.isoformat(),
        "person": {"birth_date": "1980-01-01", "residence_status": "regular", "carte_vitale": True},
        "events": [],
    }
    return Context(parse_case(data))


def band(amount, size=1, at=IN_2025, territory="metropole"):
    """The C2S-1 band for ``amount`` euros a year and a household of ``size``."""
    found = ceilings(context(at), at, territory, size)
    return resources_condition(Decimal(str(amount)), None, size, found, "12 mois", "")[1]


# ---------------------------------------------------------------- C2S-1


@pytest.mark.parametrize(("size", "free", "top"), OFFICIAL_2025)
def test_c2s_1_official_2025_ceilings_table(size, free, top):
    """C2S-1: the ceilings used for 1 to 4 persons are the official 2025 table."""
    ctx = context()
    found = ceilings(ctx, IN_2025, "metropole", size)
    assert (found.free, found.participation) == (Decimal(free), Decimal(top))
    assert found.note == ""
    assert ctx.warnings == []


@pytest.mark.parametrize(("size", "free", "top"), OFFICIAL_2025)
def test_c2s_1_free_ceiling_equal_vs_plus_one_euro(size, free, top):
    """C2S-1: resources equal to the free ceiling → free; one euro more → with participation."""
    assert band(free, size) == FREE
    assert band(free + 1, size) == WITH_PARTICIPATION


@pytest.mark.parametrize(("size", "free", "top"), OFFICIAL_2025)
def test_c2s_1_participation_ceiling_equal_vs_plus_one_euro(size, free, top):
    """C2S-1: equal to the participation ceiling → with participation; + 1 € → over it, and
    the condition is then not met."""
    assert band(top, size) == WITH_PARTICIPATION
    assert band(top + 1, size) == OVER
    found = ceilings(context(), IN_2025, "metropole", size)
    cond, _ = resources_condition(Decimal(top + 1), None, size, found, "12 mois", "")
    assert cond[1] is False and cond[2] == ("C2S-1",)


def test_c2s_1_household_of_5_and_7_use_the_extra_amounts():
    """C2S-1: 5 persons = the 4-person ceiling + the published extra per person (21 711 +
    4 135 free; 29 311 + 5 583 with participation); 7 persons add it three times."""
    five = ceilings(context(), IN_2025, "metropole", 5)
    assert (five.free, five.participation) == (Decimal(21711 + 4135), Decimal(29311 + 5583))
    assert "personne supplémentaire" in five.note
    seven = ceilings(context(), IN_2025, "metropole", 7)
    assert seven.free == Decimal(21711 + 3 * 4135)
    assert band(21711 + 4135, 5) == FREE
    assert band(21711 + 4135 + 1, 5) == WITH_PARTICIPATION


def test_c2s_1_revaluation_day_1_april_2025():
    """C2S-1: 31 March 2025 uses the 2024 ceiling (10 166 €), 1 April 2025 the 2025 one
    (10 339 €): 10 200 € is over the free ceiling the day before, under it on the day."""
    before = ceilings(context(), date(2025, 3, 31), "metropole", 1)
    assert before.free == Decimal(10166)
    assert band(10200, at=date(2025, 3, 31)) == WITH_PARTICIPATION
    assert band(10200, at=date(2025, 4, 1)) == FREE


def test_c2s_1_stale_ceiling_from_1_april_2026_is_said():
    """C2S-1: the 2026 revaluation is NOT FOUND in our sources: from 1 April 2026 the
    condition's note and the evaluation's warnings say so; on 31 March 2026, nothing."""
    ctx = context()
    assert ceilings(ctx, date(2026, 3, 31), "metropole", 1).note == ""
    assert ctx.warnings == []
    stale = ceilings(ctx, date(2026, 4, 1), "metropole", 1)
    assert stale.free == Decimal(10339)
    assert "revalorisation" in stale.note and "01/04/2025" in stale.note
    assert [w["code"] for w in ctx.warnings] == ["parameter_stale"]


def test_c2s_1_before_the_first_table_history_or_extrapolated():
    """C2S-1: before the first documented table (1 April 2024), a single person's free ceiling
    comes from the documented history (2021: 9 041 €, seed 001); for 2 persons the oldest
    table is used with a warning, never silently."""
    alone = ceilings(context(), date(2021, 6, 1), "metropole", 1)
    assert alone.free == Decimal(9041)
    ctx = context()
    two = ceilings(ctx, date(2021, 6, 1), "metropole", 2)
    assert two.free == Decimal(15249)
    assert "aucun plafond documenté" in two.note
    assert [w["code"] for w in ctx.warnings] == ["parameter_extrapolated"]


def test_c2s_1_dom_single_person_2024_and_unknown_household_size():
    """C2S-1: overseas ceilings differ (2024, one person: 11 315 / 15 275 €); for 2 persons our
    sources have no value, so the condition stays « à vérifier », never guessed."""
    at = date(2024, 6, 1)
    one = ceilings(context(), at, "dom", 1)
    assert (one.free, one.participation) == (Decimal(11315), Decimal(15275))
    assert band(11315, at=at, territory="dom") == FREE
    assert band(11316, at=at, territory="dom") == WITH_PARTICIPATION
    two = ceilings(context(), at, "dom", 2)
    assert two.free is None
    cond, found_band = resources_condition(Decimal(1000), None, 2, two, "12 mois", "")
    assert cond[1] is None and found_band is None
    assert "non trouvé" in cond[0]


def test_c2s_1_rsa_household_meets_the_resources_condition():
    """C2S-1, C2S-5: a household at the RSA declares no resources: the condition is met."""
    cond, found_band = resources_condition(None, True, 3, None, "12 mois", "")
    assert cond[1] is True
    assert cond[2] == ("C2S-1", "C2S-5")
    assert found_band == FREE


def test_c2s_1_unknown_resources_or_members_are_to_check():
    """C2S-1: resources unknown → à vérifier; members unknown → only an amount under the
    one-person ceiling is decided (one more person never lowers a ceiling)."""
    assert resources_condition(None, None, 2, None, "12 mois", "")[0][1] is None
    alone = ceilings(context(), IN_2025, "metropole", 1)
    low, low_band = resources_condition(Decimal(10339), None, None, alone, "12 mois", "")
    assert (low[1], low_band) == (True, FREE)
    high, high_band = resources_condition(Decimal(10340), None, None, alone, "12 mois", "")
    assert (high[1], high_band) == (None, None)


def test_c2s_1_base_rights_condition_names_the_fund():
    """C2S-1: base rights (CNPE during the écrou, PUMa outside, or maintained after a permit)."""
    assert "CNPE" in base_rights(True, None)[0]
    assert "PUMa" in base_rights(False, None)[0]
    maintained = base_rights(False, date(2026, 5, 31))
    assert "31/05/2026" in maintained[0] and maintained[1] is True


_RANK = {FREE: 0, WITH_PARTICIPATION: 1, OVER: 2}


@given(
    a=st.integers(min_value=0, max_value=80_000),
    b=st.integers(min_value=0, max_value=80_000),
    size=st.integers(min_value=1, max_value=9),
    at=st.dates(min_value=date(2024, 4, 1), max_value=date(2027, 12, 31)),
)
def test_c2s_1_band_is_monotonic_in_resources(a, b, size, at):
    """C2S-1 (property): more resources never give a better band."""
    low, high = sorted((a, b))
    assert _RANK[band(low, size, at)] <= _RANK[band(high, size, at)]


@given(size=st.integers(min_value=1, max_value=12), at=st.dates(date(2024, 4, 1), date(2027, 1, 1)))
def test_c2s_1_ceilings_grow_with_household_size(size, at):
    """C2S-1 (property): one more person never lowers a ceiling, and the participation ceiling
    is above the free one."""
    small = ceilings(context(), at, "metropole", size)
    big = ceilings(context(), at, "metropole", size + 1)
    assert small.free < big.free
    assert small.participation < big.participation
    assert small.free < small.participation


# ---------------------------------------------------------------- C2S-2


def block(births, at, regime="france"):
    return participation(param("c2s_participation", at), at, births, regime)


def test_c2s_2_participation_uses_age_on_1_january():
    """C2S-2: ages are taken on 1 January of the attribution year: born 1 January 1996 → 30 on
    1 January 2026 → 14 €; born 2 January 1996 → still 29 on that day → 8 €, even for an
    attribution in December 2026."""
    (reference, members, total), exact = block(
        [date(1996, 1, 1), date(1996, 1, 2)], date(2026, 12, 20)
    )
    assert reference == "2026-01-01"
    assert [(m[1], m[2]) for m in members] == [(30, "14.00"), (29, "8.00")]
    assert (total, exact) == ("22.00", Decimal(22))


def test_c2s_2_29_february_birthday():
    """C2S-2: born 29 February 2000, the person turns 30 in 2030 after 1 January: aged 29 on
    1 January 2030 (8 €), 30 on 1 January 2031 (14 €)."""
    born = date(2000, 2, 29)
    assert block([born], date(2030, 3, 1))[0][1][0][2] == "8.00"
    assert block([born], date(2031, 1, 1))[0][1][0][2] == "14.00"


@pytest.mark.parametrize(
    ("born", "age", "france", "alsace_moselle"),
    [
        (date(1997, 1, 1), 29, "8.00", "2.80"),
        (date(1996, 1, 1), 30, "14.00", "4.90"),
        (date(1977, 1, 1), 49, "14.00", "4.90"),
        (date(1976, 1, 1), 50, "21.00", "7.30"),
        (date(1966, 1, 2), 59, "21.00", "7.30"),
        (date(1966, 1, 1), 60, "25.00", "8.70"),
        (date(1957, 1, 1), 69, "25.00", "8.70"),
        (date(1956, 1, 1), 70, "30.00", "10.50"),
    ],
)
def test_c2s_2_brackets_france_and_alsace_moselle(born, age, france, alsace_moselle):
    """C2S-2: each bracket edge, ages on 1 January 2026, with the amounts of reference-data
    §4.2 (8/14/21/25/30 €; Alsace-Moselle 2.80/4.90/7.30/8.70/10.50 €)."""
    at = date(2026, 5, 1)
    member = block([born], at)[0][1][0]
    assert (member[1], member[2]) == (age, france)
    assert block([born], at, "alsace_moselle")[0][1][0][2] == alsace_moselle
    table = param("c2s_participation", at)
    assert total_for(table, "alsace_moselle", [age]) == Decimal(alsace_moselle)


def test_c2s_2_child_born_in_the_attribution_year():
    """C2S-2: a baby born after 1 January of the attribution year is in the youngest bracket."""
    member = block([date(2026, 3, 1)], date(2026, 5, 1))[0][1][0]
    assert (member[1], member[2]) == (0, "8.00")


@given(
    births=st.lists(st.dates(date(1900, 1, 1), date(2026, 12, 31)), min_size=1, max_size=8),
    at=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
)
def test_c2s_2_total_is_the_sum_and_each_between_8_and_30(births, at):
    """C2S-2 (property): total = sum of the members; each between 8 € and 30 € (france)."""
    (_, members, total), exact = block(births, at)
    amounts = [Decimal(m[2]) for m in members]
    assert exact == sum(amounts) and total == f"{exact:.2f}"
    assert all(Decimal(8) <= a <= Decimal(30) for a in amounts)
    assert len(members) == len(births)


@given(born=st.dates(date(1920, 1, 1), date(2020, 12, 31)), year=st.integers(2021, 2040))
def test_c2s_2_participation_never_decreases_with_age(born, year):
    """C2S-2 (property): a year later, the same person never pays less."""
    assert block([born], date(year, 6, 1))[1] <= block([born], date(year + 1, 6, 1))[1]


# ---------------------------------------------------------------- C2S-3 … C2S-7

TWO_MONTHS, TWELVE_MONTHS = Duration(months=2), Duration(months=12)


def steps(cnpe=False, spouse=False, rsa=None, young_alone=False):
    return filing.steps(cnpe, spouse, rsa, young_alone, TWO_MONTHS, TWELVE_MONTHS)


def test_c2s_3_detained_person_sends_the_s3711_to_the_cnpe():
    """C2S-3: form S3711 listing every household member; the person under écrou sends it to
    the CNPE, a person out of custody to the CPAM of residence (seed 001)."""
    inside = " ".join(steps(cnpe=True))
    assert "S3711" in inside and "tous les membres du foyer" in inside
    assert "adresse la demande au CNPE (Centre national" in inside
    outside = " ".join(steps(cnpe=False))
    assert "CPAM de son lieu de résidence" in outside and "CNPE" not in outside


def test_c2s_3_a_spouse_files_with_their_own_fund():
    """C2S-3: the spouse may send it to their own fund (caisse de rattachement)."""
    assert any("caisse de rattachement" in s for s in steps(spouse=True))
    assert not any("caisse de rattachement" in s for s in steps(spouse=False))


def test_c2s_4_under_25_alone_needs_the_letter_and_is_to_check():
    """C2S-4: under 25 the person belongs to the parents' household unless the three
    conditions hold; they cannot be read from the case (à vérifier), and applying alone needs
    a letter attesting them."""
    cond = applies_alone(22, 25)
    assert cond[1] is None and cond[2] == ("C2S-4",)
    assert "moins de 25 ans" in cond[0] and "pension alimentaire" in cond[0]
    assert any("courrier attestant les trois" in s for s in steps(young_alone=True))
    assert not any("courrier" in s for s in steps(young_alone=False))


def test_c2s_5_documents_rsa_caf_and_tax_notice():
    """C2S-5: the resources of the last 12 months unless the household is at the RSA; the CAF
    number and département; the last tax notice."""
    rsa = steps(rsa=True)
    other = steps(rsa=False)
    assert any("RSA" in s for s in rsa) and not any("12 mois" in s for s in rsa)
    assert any("12 mois" in s for s in other)
    for found in (rsa, other):
        assert any("avis d'imposition" in s for s in found)
        assert any("numéro d'allocataire" in s for s in found)


def test_c2s_6_answer_within_2_months_and_start_dates():
    """C2S-6: the fund answers within 2 months; the C2S starts the 1st of the month after the
    decision (free) or the payment means (participation), or of the application month when
    urgent care is signalled."""
    last = steps()[-1]
    assert "délai de 2 mois" in last
    assert "1er jour du mois qui suit la décision" in last
    assert "moyen de paiement" in last and "1er jour du mois de la demande" in last


def test_c2s_7_rsa_renewal_is_automatic():
    """C2S-7: for an RSA household the renewal is automatic; the last day is shown inclusive."""
    text = filing.renewal(date(2027, 3, 1))
    assert "28/02/2027 inclus" in text and "automatique" in text

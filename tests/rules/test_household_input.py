"""``person.household`` read at the edge (household-spec.md): what is accepted, what is unknown,
and every problem reported field path first with a French message, through ``evaluate`` (a
``CaseError``) and through ``read_household`` (the forms' reader)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from contract import ecrou, levee, problems

from cnpe_flow.rules.household import Household, Member, read_household

PATH = "person.household"


def case(household):
    return {
        "as_of": "2026-03-15",
        "person": {
            "birth_date": "1985-03-14",
            "residence_status": "regular",
            "carte_vitale": True,
            "residence_postcode": "75011",
            "household": household,
        },
        "events": [ecrou("2025-06-02"), levee("2025-12-01")],
    }


def read(raw):
    found: list[tuple[str, str]] = []
    household = read_household(lambda path, message: found.append((path, message)), raw)
    return household, found


def test_c2s_1_absent_or_null_is_unknown_and_an_empty_list_lives_alone():
    """C2S-1: absent or null = nothing known; ``members: []`` = the person lives alone."""
    assert read(None) == (None, [])
    unknown, _ = read({})
    assert unknown == Household((), None, None, None, known=False)
    alone, _ = read({"members": [], "annual_resources": 0, "rsa": False})
    assert alone == Household((), Decimal(0), False, None, known=True)


def test_c2s_2_members_dates_relations_and_amounts_are_typed():
    """C2S-2: birth dates become dates, the relation defaults to « other », amounts are exact
    decimals (10 339.0 stays equal to the 10 339 € ceiling)."""
    household, found = read(
        {
            "members": [
                {"birth_date": "2012-05-01", "relation": "child"},
                {"birth_date": "1950-01-01"},
            ],
            "annual_resources": 10339.0,
            "in_france_since": "2024-09-01",
        }
    )
    assert found == []
    assert household is not None
    assert household.members == (
        Member(date(2012, 5, 1), "child"),
        Member(date(1950, 1, 1), "other"),
    )
    assert household.annual_resources == Decimal(10339)
    assert household.in_france_since == date(2024, 9, 1)


@pytest.mark.parametrize(
    ("raw", "path", "words"),
    [
        ("foyer", PATH, "un objet est attendu"),
        ({"members": "deux"}, f"{PATH}.members", "une liste est attendue"),
        ({"members": [3]}, f"{PATH}.members[0]", "un objet est attendu"),
        (
            {"members": [{"relation": "child"}]},
            f"{PATH}.members[0].birth_date",
            "champ obligatoire",
        ),
        (
            {"members": [{"birth_date": "2012-05-01"}, {"birth_date": "01/05/2012"}]},
            f"{PATH}.members[1].birth_date",
            "n'est pas une date (format attendu AAAA-MM-JJ)",
        ),
        (
            {"members": [{"birth_date": "2012-02-30"}]},
            f"{PATH}.members[0].birth_date",
            "ce jour n'existe pas",
        ),
        (
            {"members": [{"birth_date": "1812-02-03"}]},
            f"{PATH}.members[0].birth_date",
            "hors de la période",
        ),
        (
            {"members": [{"birth_date": "2012-05-01", "relation": "cousin"}]},
            f"{PATH}.members[0].relation",
            "n'est pas une valeur permise (spouse | child | cohabitant | other)",
        ),
        (
            {"members": [{"birth_date": "2012-05-01", "age": 14}]},
            f"{PATH}.members[0].age",
            "champ inconnu",
        ),
        (
            {"annual_resources": "8400"},
            f"{PATH}.annual_resources",
            "un montant en euros est attendu",
        ),
        ({"annual_resources": True}, f"{PATH}.annual_resources", "un montant en euros est attendu"),
        ({"annual_resources": -1}, f"{PATH}.annual_resources", "ne peut pas être négatif"),
        ({"annual_resources": 1e12}, f"{PATH}.annual_resources", "invraisemblable"),
        ({"rsa": "oui"}, f"{PATH}.rsa", "true, false ou null attendu"),
        ({"in_france_since": "hier"}, f"{PATH}.in_france_since", "n'est pas une date"),
        ({"ressources": 8400}, f"{PATH}.ressources", "champ inconnu (champs permis : members"),
    ],
)
def test_c2s_1_bad_household_input_names_the_field_in_french(raw, path, words):
    """C2S-1: each problem names its field path first, in French, through ``evaluate`` (a
    ``CaseError``) as through the forms' reader; nothing is evaluated."""
    got = problems(case(raw))
    assert any(p == path and words in m for p, m in got), got
    household, found = read(raw)
    assert household is None
    assert any(p == path and words in m for p, m in found), found


def test_c2s_1_every_problem_of_the_household_is_reported_at_once():
    """C2S-1: two wrong fields give two problems, each with its own path."""
    got = problems(case({"members": [{"birth_date": "x"}], "rsa": 1}))
    assert {p for p, _ in got} == {f"{PATH}.members[0].birth_date", f"{PATH}.rsa"}

"""The levée d'écrou, through ``evaluate`` with contract JSON: file transfer and CPAM of
residence (AFF-6, AFF-7), irregular persons (AFF-8, AME-2), carte Vitale (REL-1), Mission
accompagnement santé (REL-3, REL-4), the release letters, and bad custody order.

Expected values come from rules-catalogue.md (sections 1 and 5), case-contract.md (« on each
levée of a regular person … of an irregular person », letters), seed 000 §3 (« dans un délai de
10 jours minimum après sa sortie ») and the CPAM reference table (60 → CPAM de l'Oise).
"""

from __future__ import annotations

import pytest
from contract import (
    CONTRACT_TASKS,
    GRADIGNAN,
    builders,
    dues,
    ecrou,
    funds,
    letter_kinds,
    levee,
    problems,
)

from cnpe_flow.rules import evaluate

person, case = builders(
    birth_date="1990-06-02",
    residence_status="regular",
    carte_vitale=True,
    residence_postcode="60000",
)


def stay(start, end, **fields):
    return case([ecrou(start), levee(end)], **fields)


def contract_tasks(out):
    return sorted((t["kind"], t["due"]) for t in out["tasks"] if t["kind"] in CONTRACT_TASKS)


# ---------------------------------------------------------------- AFF-6, AFF-7


def test_aff_6_aff_7_regular_release_with_address_tasks_and_letters():
    """AFF-6, AFF-7, REL-1, REL-3: a regular person with an address and a carte Vitale: contact
    the CPAM and offer the MAS on the levée, carte Vitale at levée + 10 days; release summary,
    file transfer to the CPAM and MAS letters."""
    out = evaluate(stay("2026-02-02", "2026-06-15"))
    assert contract_tasks(out) == [
        ("carte_vitale_update", "2026-06-25"),
        ("contact_cpam_residence", "2026-06-15"),
        ("mas_referral_offer", "2026-06-15"),
    ]
    assert letter_kinds(out) == {"release_summary", "cpam_transfer", "mas_referral"}


def test_aff_6_cpam_of_residence_named_and_addressed_from_the_postcode():
    """AFF-6: the file goes to the CPAM of the place of residence: 60000 → CPAM de l'Oise,
    1 rue de Savoie, BP 30326, 60013 Beauvais Cedex (CPAM reference table)."""
    out = evaluate(stay("2026-02-02", "2026-06-15", residence_postcode="60000"))
    cpam = out["cpam_residence"]
    assert cpam["name"] == "CPAM de l'Oise"
    assert cpam["departement"] == "60"
    assert cpam["address_lines"] == [
        "CPAM de l'Oise",
        "1 rue de Savoie",
        "BP 30326",
        "60013 Beauvais Cedex",
    ]


def test_aff_6_no_address_no_transfer_letter_the_person_goes_to_the_cpam():
    """AFF-6, AFF-7: without an address nothing is transferred (no cpam_transfer letter, no CPAM
    named), but the person must still contact the CPAM themselves."""
    out = evaluate(stay("2026-03-02", "2026-05-31", residence_postcode=None))
    assert out["cpam_residence"] is None
    assert "cpam_transfer" not in letter_kinds(out)
    assert dues(out, "contact_cpam_residence") == ["2026-05-31"]
    assert funds(out)[-1] == ("2026-05-31", None, "CPAM_RESIDENCE")


def test_aff_7_each_levee_of_a_regular_person_brings_its_release_tasks():
    """AFF-7, REL-1, REL-3: two stays → the release tasks on each levée."""
    out = evaluate(
        case(
            [
                ecrou("2025-01-06"),
                levee("2025-04-07"),
                ecrou("2025-09-01", GRADIGNAN),
                levee("2026-02-02"),
            ]
        )
    )
    assert dues(out, "contact_cpam_residence") == ["2025-04-07", "2026-02-02"]
    assert dues(out, "mas_referral_offer") == ["2025-04-07", "2026-02-02"]
    assert dues(out, "carte_vitale_update") == ["2025-04-17", "2026-02-12"]


def test_aff_6_still_in_custody_no_release_task_nor_letter():
    """AFF-6, AFF-7: before the levée there is nothing to transfer and no release letter."""
    out = evaluate(case([ecrou("2026-02-02")], as_of="2026-05-01"))
    assert contract_tasks(out) == []
    assert out["letters"] == []


def test_aff_6_events_may_be_given_in_any_order():
    """AFF-6: the contract takes events in any order; the engine sorts them by date."""
    in_order = evaluate(stay("2026-02-02", "2026-06-15"))
    reversed_list = evaluate(case([levee("2026-06-15"), ecrou("2026-02-02")]))
    assert funds(reversed_list) == funds(in_order)
    assert contract_tasks(reversed_list) == contract_tasks(in_order)


# ---------------------------------------------------------------- AFF-8, AME-2, REL-4


def test_aff_8_ame_2_irregular_release_ame_filing_in_person_only():
    """AFF-8, AME-2, REL-4: an irregular person is not covered after release (NONE); the only
    task is to file the first AME application in person on the levée, even with a carte Vitale
    and an address; letters: release summary and AME filing guide, no transfer, no MAS."""
    out = evaluate(
        stay("2025-11-03", "2026-04-20", residence_status="irregular", carte_vitale=True)
    )
    assert funds(out) == [
        ("2025-11-03", "2026-04-20", "CNPE"),
        ("2026-04-20", None, "NONE"),
    ]
    assert contract_tasks(out) == [("ame_first_filing_in_person", "2026-04-20")]
    assert letter_kinds(out) == {"release_summary", "ame_filing_guide"}
    assert out["tasks"][0]["rules"] == ["AFF-8", "AME-2", "REL-4"]


# ---------------------------------------------------------------- REL-1


def test_rel_1_carte_vitale_update_at_levee_plus_ten_days_across_the_year_end():
    """REL-1: the update is due from release + 10 calendar days: 26 December → 5 January."""
    out = evaluate(case([ecrou("2026-06-01"), levee("2026-12-26")], as_of="2027-01-10"))
    assert dues(out, "carte_vitale_update") == ["2027-01-05"]


@pytest.mark.parametrize(
    ("levee_day", "due"),
    [("2027-02-25", "2027-03-07"), ("2028-02-25", "2028-03-06")],
)
def test_rel_1_ten_calendar_days_count_29_february(levee_day, due):
    """REL-1: 10 calendar days: 25 February + 10 days is 7 March in 2027, 6 March in a leap year."""
    out = evaluate(case([ecrou("2026-11-02"), levee(levee_day)], as_of="2028-06-01"))
    assert dues(out, "carte_vitale_update") == [due]


def test_rel_1_no_carte_vitale_no_reminder():
    """REL-1: only a person who holds a carte Vitale is asked to update it."""
    out = evaluate(stay("2026-02-02", "2026-06-15", carte_vitale=False))
    assert dues(out, "carte_vitale_update") == []
    assert dues(out, "contact_cpam_residence") == ["2026-06-15"]


def test_rel_1_task_cites_its_rule_and_its_dated_parameter():
    """REL-1: the 10 days are a dated parameter: the task says which value it used."""
    out = evaluate(stay("2026-02-02", "2026-06-15"))
    task = next(t for t in out["tasks"] if t["kind"] == "carte_vitale_update")
    assert task["rules"] == ["REL-1"]
    assert task["parameter"].startswith("carte_vitale_update_delay@2023-04-01")


def test_rel_1_release_before_the_leaflet_uses_the_delay_but_flags_it():
    """REL-1: the 10 days come from the leaflet after 1 April 2023: a 2022 release still gets the
    reminder, with a warning that the value is extrapolated (never used silently)."""
    out = evaluate(case([ecrou("2022-01-10"), levee("2022-06-01")], as_of="2022-07-01"))
    assert dues(out, "carte_vitale_update") == ["2022-06-11"]
    assert any(
        w["code"] == "parameter_extrapolated"
        and w["parameter"] == "carte_vitale_update_delay"
        and w["message"].startswith("Délai avant la mise à jour de la carte Vitale")
        for w in out["warnings"]
    )


# ---------------------------------------------------------------- REL-3, REL-4, REL-5, REL-6


def test_rel_3_regular_person_is_offered_the_mas_on_the_levee():
    """REL-3, REL-4: the MAS referral offer on the levée and the mas_referral letter."""
    out = evaluate(stay("2026-02-02", "2026-06-15", residence_postcode=None))
    offer = next(t for t in out["tasks"] if t["kind"] == "mas_referral_offer")
    assert offer["due"] == "2026-06-15"
    assert offer["rules"] == ["REL-3", "REL-4"]
    assert "mas_referral" in letter_kinds(out)


def test_rel_4_no_mas_for_an_ame_beneficiary():
    """REL-4: the MAS serves insured persons only: an irregular person who gets the AME after
    release is never offered the MAS."""
    out = evaluate(
        case(
            [
                ecrou("2025-06-02"),
                levee("2026-01-12"),
                {"type": "ame_filed", "date": "2026-01-19", "complete": True},
                {"type": "ame_granted", "date": "2026-01-19"},
            ],
            residence_status="irregular",
            carte_vitale=False,
        )
    )
    assert dues(out, "mas_referral_offer") == []
    assert "mas_referral" not in letter_kinds(out)
    assert funds(out)[-2] == ("2026-01-19", "2027-01-19", "AME")


def test_rel_5_rel_6_release_letters_cite_the_mas_referral_and_the_cnpe_line():
    """REL-5, REL-6: the MAS letter follows the referral procedure (consent, saisine) and the
    release summary gives the CNPE phone line: each letter cites its rule."""
    out = evaluate(stay("2026-02-02", "2026-06-15"))
    cited = {letter["kind"]: letter["rules"] for letter in out["letters"]}
    assert "REL-5" in cited["mas_referral"]
    assert "REL-6" in cited["release_summary"]


# ---------------------------------------------------------------- bad custody order


def test_aff_6_levee_before_the_ecrou_names_both_dates():
    """AFF-6: a levée dated before the écrou is bad input naming the event and both dates."""
    found = problems(case([ecrou("2026-03-02"), levee("2026-02-16")]))
    assert len(found) == 1
    field, message = found[0]
    assert field == "events[1]"
    assert "16/02/2026" in message
    assert "02/03/2026" in message


def test_aff_1_two_ecrous_without_a_levee_name_both_dates():
    """AFF-1: a second écrou while the person is still écroué is bad input naming both dates."""
    found = problems(case([ecrou("2026-01-05"), ecrou("2026-03-02", GRADIGNAN)]))
    assert len(found) == 1
    field, message = found[0]
    assert field == "events[1]"
    assert "05/01/2026" in message
    assert "02/03/2026" in message


def test_aff_6_levee_without_any_ecrou_is_refused():
    """AFF-6: a levée needs a custody to end: alone it is bad input naming the event."""
    found = problems(case([levee("2026-02-16")]))
    assert [f for f, _ in found] == ["events[0]"]
    assert "16/02/2026" in found[0][1]


def test_aff_1_event_before_the_birth_date_names_both_dates():
    """AFF-1: an event dated before the birth date is a typing error: the message names the date
    field, the event's date and the birth date."""
    found = problems(case([ecrou("1990-01-15")], birth_date="1990-06-02"))
    assert len(found) == 1
    field, message = found[0]
    assert field == "events[0].date"
    assert "15/01/1990" in message
    assert "02/06/1990" in message


def test_aff_1_ecrou_before_birth_does_not_make_the_levee_look_before_the_ecrou():
    """AFF-1, AFF-6: an écrou mistyped before the birth date (1990 for 2020) is the one thing
    wrong: the levée on 2020-06-01 comes after the écrou as entered (1990-01-15), so it must not
    be reported as preceding it (contract: each line says what is wrong)."""
    found = problems(case([ecrou("1990-01-15"), levee("2020-06-01")], birth_date="1990-06-02"))
    assert [f for f, _ in found] == ["events[0].date"]

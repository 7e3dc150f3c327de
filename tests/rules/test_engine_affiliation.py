"""Which fund covers the person, day by day, through custody (AFF-1 … AFF-4, AFF-8, AFF-11),
called through ``evaluate`` with contract JSON, and the input checks of custody events.

Expected values come from rules-catalogue.md (section 1), case-contract.md (closed-open
periods, merged adjacent periods, task kinds) and seed 000 (CNPE leaflet, table « Type de
peine »), never from a run of the engine.
"""

from __future__ import annotations

import pytest
from contract import FRESNES, GRADIGNAN, builders, dues, ecrou, funds, letter_kinds, levee, problems

from cnpe_flow.rules import evaluate
from cnpe_flow.rules.catalogue import rules as catalogue

person, case = builders(
    birth_date="1985-03-14",
    residence_status="regular",
    carte_vitale=True,
    residence_postcode="60000",
)


def amenagement(day, measure="semi_liberte"):
    return {"type": "amenagement", "date": day, "measure": measure}


def activity_start(day, activity="work"):
    return {"type": "activity_start", "date": day, "activity": activity}


def activity_end(day):
    return {"type": "activity_end", "date": day}


# A semi-liberté with six weeks of work, then release: the contract's own shape.
WORK_IN_SEMI_LIBERTE = [
    ecrou("2026-01-12"),
    amenagement("2026-05-04", "semi_liberte"),
    activity_start("2026-05-18", "work"),
    activity_end("2026-07-20"),
    levee("2026-10-01"),
]


# ---------------------------------------------------------------- AFF-1, AFF-4


def test_aff_1_aff_4_person_in_custody_is_with_the_cnpe_from_the_ecrou():
    """AFF-1, AFF-4: from the mise sous écrou the person is affiliated to the CNPE, open-ended
    while in custody; the period cites AFF-4 (the establishment contacts the CNPE, the person has
    nothing to do)."""
    out = evaluate(case([ecrou("2026-02-02")], as_of="2026-03-01"))
    assert funds(out) == [("2026-02-02", None, "CNPE")]
    assert {"AFF-1", "AFF-4"} <= set(out["affiliation"][0]["rules"])
    assert out["current"]["fund"] == "CNPE"
    assert out["current"]["in_custody"] is True


def test_aff_1_work_inside_the_establishment_does_not_change_the_fund():
    """AFF-1: the person stays with the CNPE « whatever work they do inside the establishment »."""
    out = evaluate(
        case(
            [
                ecrou("2026-01-05"),
                {"type": "work_inside_start", "date": "2026-02-02"},
                {"type": "work_inside_end", "date": "2026-05-04"},
                levee("2026-07-01"),
            ]
        )
    )
    assert funds(out) == [
        ("2026-01-05", "2026-07-01", "CNPE"),
        ("2026-07-01", None, "CPAM_RESIDENCE"),
    ]


def test_aff_1_each_ecrou_brings_the_person_back_to_the_cnpe():
    """AFF-1, AFF-6: two custody stays give CNPE, CPAM of residence, CNPE again, CPAM again."""
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
    assert funds(out) == [
        ("2025-01-06", "2025-04-07", "CNPE"),
        ("2025-04-07", "2025-09-01", "CPAM_RESIDENCE"),
        ("2025-09-01", "2026-02-02", "CNPE"),
        ("2026-02-02", None, "CPAM_RESIDENCE"),
    ]


# ---------------------------------------------------------------- AFF-2


@pytest.mark.parametrize(
    "measure", ["surveillance_electronique", "semi_liberte", "placement_exterieur"]
)
def test_aff_2_amenagement_without_activity_stays_with_the_cnpe(measure):
    """AFF-2: an aménagement without work, paid training or unemployment indemnities keeps the
    CNPE until the levée (one merged CNPE period, citing AFF-2)."""
    out = evaluate(
        case([ecrou("2026-01-05"), amenagement("2026-03-02", measure), levee("2026-06-30")])
    )
    assert funds(out) == [
        ("2026-01-05", "2026-06-30", "CNPE"),
        ("2026-06-30", None, "CPAM_RESIDENCE"),
    ]
    assert "AFF-2" in out["affiliation"][0]["rules"]


# ---------------------------------------------------------------- AFF-3


def test_aff_3_work_during_semi_liberte_moves_to_the_cpam_from_start_to_end_of_activity():
    """AFF-3: work during a semi-liberté moves the person to the CPAM of residence, from the
    start to the end of the activity; back to the CNPE (AFF-2) until the levée."""
    out = evaluate(case(WORK_IN_SEMI_LIBERTE))
    assert funds(out) == [
        ("2026-01-12", "2026-05-18", "CNPE"),
        ("2026-05-18", "2026-07-20", "CPAM_RESIDENCE"),
        ("2026-07-20", "2026-10-01", "CNPE"),
        ("2026-10-01", None, "CPAM_RESIDENCE"),
    ]
    assert "AFF-3" in out["affiliation"][1]["rules"]
    assert "AFF-2" in out["affiliation"][2]["rules"]


def test_aff_3_activity_start_day_is_the_first_cpam_day():
    """AFF-3: boundary pair: the day before activity_start is still CNPE, the day of it is the
    CPAM of residence."""
    before = evaluate(case(WORK_IN_SEMI_LIBERTE, as_of="2026-05-17"))
    on_the_day = evaluate(case(WORK_IN_SEMI_LIBERTE, as_of="2026-05-18"))
    assert before["current"]["fund"] == "CNPE"
    assert on_the_day["current"]["fund"] == "CPAM_RESIDENCE"


def test_aff_3_activity_end_date_is_the_first_cnpe_day_again():
    """AFF-3, AFF-2: periods are closed-open: the activity_end date is the first CNPE day again,
    the day before is the last CPAM day."""
    last_cpam_day = evaluate(case(WORK_IN_SEMI_LIBERTE, as_of="2026-07-19"))
    end_day = evaluate(case(WORK_IN_SEMI_LIBERTE, as_of="2026-07-20"))
    assert last_cpam_day["current"]["fund"] == "CPAM_RESIDENCE"
    assert end_day["current"]["fund"] == "CNPE"
    assert end_day["affiliation"][1]["end"] == "2026-07-20"
    assert end_day["affiliation"][2]["start"] == "2026-07-20"


@pytest.mark.parametrize("activity", ["work", "paid_training", "unemployment_benefits"])
def test_aff_3_each_kind_of_activity_moves_to_the_cpam(activity):
    """AFF-3: professional activity, paid training and unemployment (France Travail) indemnities
    all move the person to the CPAM of residence during an aménagement."""
    out = evaluate(
        case(
            [
                ecrou("2026-01-12"),
                amenagement("2026-03-02", "placement_exterieur"),
                activity_start("2026-03-09", activity),
                activity_end("2026-04-06"),
                levee("2026-06-01"),
            ]
        )
    )
    assert funds(out) == [
        ("2026-01-12", "2026-03-09", "CNPE"),
        ("2026-03-09", "2026-04-06", "CPAM_RESIDENCE"),
        ("2026-04-06", "2026-06-01", "CNPE"),
        ("2026-06-01", None, "CPAM_RESIDENCE"),
    ]


def test_aff_3_activity_under_electronic_monitoring_moves_to_the_cpam():
    """AFF-3: the rule applies to every aménagement sous écrou, surveillance électronique too."""
    out = evaluate(
        case(
            [
                ecrou("2026-01-12"),
                amenagement("2026-02-16", "surveillance_electronique"),
                activity_start("2026-03-02", "work"),
                activity_end("2026-05-04"),
            ],
            as_of="2026-06-01",
        )
    )
    assert funds(out) == [
        ("2026-01-12", "2026-03-02", "CNPE"),
        ("2026-03-02", "2026-05-04", "CPAM_RESIDENCE"),
        ("2026-05-04", None, "CNPE"),
    ]


def test_aff_3_aff_6_activity_running_at_release_stays_with_the_cpam_without_a_break():
    """AFF-3, AFF-6: an activity still running at the levée: CPAM of residence from its start,
    and still after release (adjacent periods with the same fund are merged)."""
    out = evaluate(
        case(
            [
                ecrou("2026-01-12"),
                amenagement("2026-04-06"),
                activity_start("2026-04-13", "work"),
                levee("2026-07-01"),
            ]
        )
    )
    assert funds(out) == [
        ("2026-01-12", "2026-04-13", "CNPE"),
        ("2026-04-13", None, "CPAM_RESIDENCE"),
    ]


def test_aff_3_two_activities_in_one_amenagement_give_two_cpam_periods():
    """AFF-3: the switch follows each start and each end of activity."""
    out = evaluate(
        case(
            [
                ecrou("2026-01-05"),
                amenagement("2026-02-02"),
                activity_start("2026-02-16", "paid_training"),
                activity_end("2026-03-30"),
                activity_start("2026-04-13", "unemployment_benefits"),
                activity_end("2026-05-11"),
                levee("2026-06-01"),
            ]
        )
    )
    assert funds(out) == [
        ("2026-01-05", "2026-02-16", "CNPE"),
        ("2026-02-16", "2026-03-30", "CPAM_RESIDENCE"),
        ("2026-03-30", "2026-04-13", "CNPE"),
        ("2026-04-13", "2026-05-11", "CPAM_RESIDENCE"),
        ("2026-05-11", "2026-06-01", "CNPE"),
        ("2026-06-01", None, "CPAM_RESIDENCE"),
    ]


# ---------------------------------------------------------------- AFF-6, AFF-8 (after release)


def test_aff_6_regular_person_is_with_the_cpam_of_residence_after_release():
    """AFF-6: after the levée a regular person is with the CPAM of residence, named from the
    postcode (60000 → CPAM de l'Oise) on the period."""
    out = evaluate(case([ecrou("2026-02-02"), levee("2026-08-14")], residence_postcode="60000"))
    assert funds(out) == [
        ("2026-02-02", "2026-08-14", "CNPE"),
        ("2026-08-14", None, "CPAM_RESIDENCE"),
    ]
    assert out["affiliation"][1]["cpam"] == "CPAM de l'Oise"


def test_aff_8_irregular_person_is_covered_only_during_detention():
    """AFF-8: a person irregular before incarceration is covered by the CNPE during detention
    only: NONE from the levée (before any AME), for each stay."""
    out = evaluate(
        case(
            [ecrou("2025-01-06"), levee("2025-04-07"), ecrou("2025-09-01"), levee("2026-02-02")],
            residence_status="irregular",
            carte_vitale=False,
        )
    )
    assert funds(out) == [
        ("2025-01-06", "2025-04-07", "CNPE"),
        ("2025-04-07", "2025-09-01", "NONE"),
        ("2025-09-01", "2026-02-02", "CNPE"),
        ("2026-02-02", None, "NONE"),
    ]
    assert "AFF-8" in out["affiliation"][3]["rules"]


# ---------------------------------------------------------------- AFF-11


def test_aff_11_notice_on_each_amenagement_and_each_activity_start_during_one():
    """AFF-11: a notice to the CNPE on each aménagement and on each activity start during one
    (not on the activity end), and the cnpe_amenagement letter."""
    out = evaluate(
        case(
            [
                ecrou("2026-01-05"),
                amenagement("2026-03-02", "surveillance_electronique"),
                amenagement("2026-05-04", "semi_liberte"),
                activity_start("2026-05-11", "work"),
                activity_end("2026-06-15"),
                activity_start("2026-06-22", "paid_training"),
                levee("2026-08-03"),
            ]
        )
    )
    assert dues(out, "cnpe_amenagement_notice") == [
        "2026-03-02",
        "2026-05-04",
        "2026-05-11",
        "2026-06-22",
    ]
    assert "cnpe_amenagement" in letter_kinds(out)


def test_aff_11_no_amenagement_no_notice_and_no_letter():
    """AFF-11: without aménagement there is nothing to send to the CNPE."""
    out = evaluate(case([ecrou("2026-01-05"), levee("2026-08-03")]))
    assert dues(out, "cnpe_amenagement_notice") == []
    assert "cnpe_amenagement" not in letter_kinds(out)


def test_aff_11_notice_cites_its_rule_and_is_for_the_spip():
    """AFF-11: the notice task carries its rule ID and the owner who must act."""
    out = evaluate(case([ecrou("2026-01-05"), amenagement("2026-03-02")], as_of="2026-03-10"))
    notice = next(t for t in out["tasks"] if t["kind"] == "cnpe_amenagement_notice")
    assert notice["rules"] == ["AFF-11"]
    assert notice["owner"] == "spip"


def test_aff_1_aff_3_aff_11_every_period_and_task_cites_known_rule_ids():
    """AFF-1, AFF-3, AFF-11: every period and task carries rule IDs that exist in the catalogue,
    so that a screen or a letter can say why (contract, « Every period and task »)."""
    out = evaluate(case(WORK_IN_SEMI_LIBERTE, benefits_before_ecrou=["ij", "ald"]))
    cited = [r for item in out["affiliation"] + out["ij"] + out["tasks"] for r in item["rules"]]
    assert all(item["rules"] for item in out["affiliation"] + out["ij"] + out["tasks"])
    assert set(cited) <= set(catalogue())


# ---------------------------------------------------------------- bad input (custody events)


def test_aff_3_activity_start_without_amenagement_is_refused():
    """AFF-3: an activity only changes the fund during an aménagement: an activity_start in plain
    custody is bad input naming the event and its date."""
    found = problems(case([ecrou("2026-01-10"), activity_start("2026-03-02")]))
    assert len(found) == 1
    field, message = found[0]
    assert field == "events[1]"
    assert "02/03/2026" in message
    assert "aménagement" in message


def test_aff_3_contract_signed_before_the_amenagement_counts_from_the_amenagement():
    """AFF-3, contract v2: a work contract signed during plain incarceration for the
    semi-liberté that follows is accepted; the CPAM of residence covers from the aménagement,
    not from the signature, and one AFF-11 notice on the aménagement asks for the contract."""
    out = evaluate(
        case([ecrou("2026-01-10"), activity_start("2026-03-02"), amenagement("2026-04-01")])
    )
    assert funds(out) == [
        ("2026-01-10", "2026-04-01", "CNPE"),
        ("2026-04-01", None, "CPAM_RESIDENCE"),
    ]
    assert out["affiliation"][1]["rules"] == ["AFF-3"]
    assert dues(out, "cnpe_amenagement_notice") == ["2026-04-01"]


def test_aff_3_activity_start_message_does_not_borrow_another_stays_amenagement():
    """AFF-3: an activity_start in plain custody, when the only aménagement belongs to a later
    stay: the message must not present that later aménagement as this stay's (its date
    is after the levée that ends this stay)."""
    found = problems(
        case(
            [
                ecrou("2026-01-10"),
                activity_start("2026-02-02"),
                levee("2026-03-02"),
                ecrou("2026-05-04"),
                amenagement("2026-06-01"),
            ]
        )
    )
    assert len(found) == 1
    field, message = found[0]
    assert field == "events[1]"
    assert "02/02/2026" in message
    assert "2026-06-01" not in message


def test_aff_3_activity_end_without_a_start_is_refused():
    """AFF-3: an activity_end with no activity running is bad input naming the event and date."""
    found = problems(
        case([ecrou("2026-01-10"), amenagement("2026-02-02"), activity_end("2026-03-02")])
    )
    assert len(found) == 1
    field, message = found[0]
    assert field == "events[2]"
    assert "02/03/2026" in message
    assert "début d'activité" in message
    assert "activity_start" not in message  # people read it: no contract names


def test_aff_3_activity_end_before_its_start_names_both_dates():
    """AFF-3: an activity_end dated before the activity_start is an order problem: the message
    names the field and both dates (contract, « Bad input »)."""
    found = problems(
        case(
            [
                ecrou("2026-01-10"),
                amenagement("2026-02-02"),
                activity_start("2026-03-16"),
                activity_end("2026-03-02"),
            ]
        )
    )
    assert len(found) == 1
    field, message = found[0]
    assert field == "events[3]"
    assert "02/03/2026" in message
    assert "16/03/2026" in message


def test_aff_1_unknown_establishment_is_refused_with_a_suggestion():
    """AFF-1, AFF-4: the CNPE affiliation needs a known establishment: a misspelt name names the
    field and suggests the closest known establishment."""
    found = problems(case([ecrou("2026-01-10", "Centre pénitentiaire de Fresne")]))
    assert len(found) == 1
    field, message = found[0]
    assert field == "events[0].establishment"
    assert "Centre pénitentiaire de Fresne" in message
    assert "Centre pénitentiaire de Fresnes" in message


def test_aff_1_establishment_may_be_given_by_code():
    """AFF-1: the establishment is « a name or code known to the project's reference data »."""
    by_name = evaluate(case([ecrou("2026-01-10", FRESNES)], as_of="2026-02-01"))
    by_code = evaluate(case([ecrou("2026-01-10", "CP-FRESNES")], as_of="2026-02-01"))
    assert by_code["current"]["establishment"] == FRESNES
    assert funds(by_code) == funds(by_name) == [("2026-01-10", None, "CNPE")]


def test_aff_1_impossible_date_names_the_field_and_the_value():
    """AFF-1: a date that does not exist is refused, naming ``events[1].date`` and the value."""
    found = problems(case([ecrou("2026-01-10"), levee("2026-02-30")]))
    assert [f for f, _ in found] == ["events[1].date"]
    assert "2026-02-30" in found[0][1]


def test_aff_8_unknown_residence_status_names_the_field():
    """AFF-8: the residence status decides the coverage after release: only regular | irregular."""
    found = problems(case([ecrou("2026-01-10")], residence_status="sans-papiers"))
    assert [f for f, _ in found] == ["person.residence_status"]
    assert "sans-papiers" in found[0][1]


def test_aff_1_every_problem_is_reported_at_once():
    """AFF-1, AFF-8: a worker fixing a case sees all problems in one go, each naming its field."""
    found = problems(
        case(
            [
                ecrou("2026-01-10"),
                {"type": "amenagement", "date": "2026-13-01", "measure": "semi_liberte"},
            ],
            residence_status="unknown",
        )
    )
    assert sorted(f for f, _ in found) == ["events[1].date", "person.residence_status"]


def test_aff_3_unknown_activity_names_the_field():
    """AFF-3: the activity must be work, paid_training or unemployment_benefits."""
    found = problems(
        case(
            [
                ecrou("2026-01-10"),
                amenagement("2026-02-02"),
                activity_start("2026-03-02", "volunteering"),
            ]
        )
    )
    assert [f for f, _ in found] == ["events[2].activity"]

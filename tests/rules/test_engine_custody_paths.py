"""Custody paths of the contract's second version: transfers, a contract signed before the
aménagement, one-day écrous, Mayotte (AME-1), letters before a planned release, IJ as medical
facts, messages for people, and the rule clock."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from contract import (
    FRESNES,
    GRADIGNAN,
    MAJICAVO,
    builders,
    dues,
    ecrou,
    funds,
    letter_kinds,
    levee,
    problems,
)

from cnpe_flow import clock
from cnpe_flow.rules import CaseError, evaluate
from cnpe_flow.rules.case import EVENT_TYPES

person, case = builders(
    birth_date="1979-11-30",
    residence_status="regular",
    carte_vitale=True,
    residence_postcode="13005",
)


def transfer(day, establishment=GRADIGNAN):
    return {"type": "transfer", "date": day, "establishment": establishment}


def planned(day):
    return {"type": "planned_release", "date": day}


# --- transfers -----------------------------------------------------------------------------


def test_ald_2_transfer_moves_the_renewal_pole_to_the_new_establishment():
    """ALD-2, contract v2: from the transfer, the pole is the new establishment's (Fresnes is
    NORD, Bordeaux-Gradignan SUD); the fund does not change by itself (AFF-1)."""
    out = evaluate(
        case(
            [ecrou("2026-02-01"), transfer("2026-05-04"), levee("2026-09-15")],
            benefits_before_ecrou=["ald"],
        )
    )
    assert out["ald_renewal_pole"] == "SUD"
    assert out["ald_renewal"]["establishment"] == GRADIGNAN
    assert funds(out) == [
        ("2026-02-01", "2026-09-15", "CNPE"),
        ("2026-09-15", None, "CPAM_RESIDENCE"),
    ]
    assert dues(out, "ald_protocol_request") == ["2026-02-01"]  # ALD-1: on the écrou only
    [stay] = out["stays"]
    assert stay["establishment"]["name"] == FRESNES
    assert [(t["date"], t["establishment"]["name"]) for t in stay["transfers"]] == [
        ("2026-05-04", GRADIGNAN)
    ]


def test_ald_2_transfer_after_as_of_does_not_move_the_pole_yet():
    """ALD-2: a transfer recorded for a later date counts from that date only."""
    out = evaluate(
        case(
            [ecrou("2026-02-01"), transfer("2026-12-01")],
            as_of="2026-11-23",
            benefits_before_ecrou=["ald"],
        )
    )
    assert out["ald_renewal_pole"] == "NORD"
    assert out["current"]["establishment"] == FRESNES


def test_aff_1_current_establishment_follows_the_transfer():
    """AFF-1: still écroué, with the CNPE, at the new establishment after the transfer."""
    out = evaluate(case([ecrou("2026-02-01"), transfer("2026-05-04")], as_of="2026-06-01"))
    assert out["current"] == {"fund": "CNPE", "in_custody": True, "establishment": GRADIGNAN}


def test_aff_1_transfer_outside_an_ecrou_is_refused():
    """A transfer after the levée is bad input naming both dates, in words people read."""
    [(field, message)] = problems(
        case([ecrou("2026-02-01"), levee("2026-03-01"), transfer("2026-04-01")])
    )
    assert field == "events[2]"
    assert "Le transfert (01/04/2026)" in message
    assert "01/03/2026" in message


def test_aff_1_transfer_to_the_same_establishment_is_refused():
    [(field, message)] = problems(
        case([ecrou("2026-02-01"), transfer("2026-03-01", establishment=FRESNES)])
    )
    assert field == "events[1].establishment"
    assert "déjà écrouée" in message


def test_aff_1_second_ecrou_without_levee_says_to_record_a_transfer():
    """AFF-1: a second écrou without a levée stays bad input; its message says what to do."""
    [(field, message)] = problems(case([ecrou("2026-02-01"), ecrou("2026-05-04", GRADIGNAN)]))
    assert field == "events[1]"
    assert "transfert" in message
    assert "04/05/2026" in message and "01/02/2026" in message


def test_aff_1_transfer_with_unknown_establishment_names_the_field():
    [(field, message)] = problems(
        case([ecrou("2026-02-01"), transfer("2026-03-01", establishment="CP Nulle-part")])
    )
    assert field == "events[1].establishment"
    assert "établissement inconnu" in message


# --- a contract signed before the aménagement ----------------------------------------------


def test_aff_3_aff_11_contract_signed_before_semi_liberte_then_ended():
    """AFF-3: CPAM of residence from the aménagement to the end of the activity; AFF-11: one
    notice on the aménagement (the contract goes with it), none on the signature day."""
    out = evaluate(
        case(
            [
                ecrou("2026-01-10"),
                {"type": "activity_start", "date": "2026-02-20", "activity": "work"},
                {"type": "amenagement", "date": "2026-03-01", "measure": "semi_liberte"},
                {"type": "activity_end", "date": "2026-06-01"},
                levee("2026-09-30"),
            ]
        )
    )
    assert funds(out) == [
        ("2026-01-10", "2026-03-01", "CNPE"),
        ("2026-03-01", "2026-06-01", "CPAM_RESIDENCE"),
        ("2026-06-01", "2026-09-30", "CNPE"),
        ("2026-09-30", None, "CPAM_RESIDENCE"),
    ]
    assert dues(out, "cnpe_amenagement_notice") == ["2026-03-01"]


def test_aff_3_contract_ended_before_its_amenagement_is_refused():
    [(field, message)] = problems(
        case(
            [
                ecrou("2026-01-10"),
                {"type": "activity_start", "date": "2026-02-20", "activity": "work"},
                {"type": "activity_end", "date": "2026-02-25"},
                {"type": "amenagement", "date": "2026-03-01", "measure": "semi_liberte"},
            ]
        )
    )
    assert field == "events[2]"
    assert "20/02/2026" in message and "(AFF-3)" in message


def test_aff_3_same_day_contract_listed_before_the_amenagement_is_accepted():
    out = evaluate(
        case(
            [
                ecrou("2026-01-10"),
                {"type": "activity_start", "date": "2026-03-01", "activity": "paid_training"},
                {"type": "amenagement", "date": "2026-03-01", "measure": "placement_exterieur"},
            ]
        )
    )
    assert funds(out)[-1] == ("2026-03-01", None, "CPAM_RESIDENCE")


# --- one-day écrou --------------------------------------------------------------------------


def test_aff_1_same_day_ecrou_and_levee_give_a_one_day_cnpe_period():
    """AFF-1: écroué and released on the same day is one day with the CNPE, not nothing."""
    out = evaluate(case([ecrou("2026-03-10"), levee("2026-03-10")], benefits_before_ecrou=["ij"]))
    assert funds(out) == [
        ("2026-03-10", "2026-03-11", "CNPE"),
        ("2026-03-11", None, "CPAM_RESIDENCE"),
    ]
    # IJ-2: suspended for that day too; IJ-3: resumable after it.
    assert [(p["start"], p["end"], p["status"]) for p in out["ij"]] == [
        ("2026-03-10", "2026-03-11", "suspended"),
        ("2026-03-11", None, "resumable"),
    ]
    assert dues(out, "contact_cpam_residence") == ["2026-03-10"]  # AFF-7: on the levée


# --- IJ are medical ------------------------------------------------------------------------


def test_ij_3_resumption_task_is_medical_and_owned_by_the_usmp():
    out = evaluate(
        case(
            [
                ecrou("2026-01-10"),
                {"type": "amenagement", "date": "2026-06-01", "measure": "semi_liberte"},
            ],
            benefits_before_ecrou=["ij"],
        )
    )
    [task] = [t for t in out["tasks"] if t["kind"] == "ij_resumption"]
    assert task["medical"] is True
    assert task["owner"] == "usmp"
    assert task["rules"] == ["IJ-3"]


# --- Mayotte (AME-1) -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("postcode", "establishment"),
    [("97600", FRESNES), (None, MAJICAVO)],
    ids=["postcode-976", "no-postcode-establishment-in-mayotte"],
)
def test_ame_1_no_ame_filing_for_a_release_in_mayotte(postcode, establishment):
    out = evaluate(
        case(
            [ecrou("2026-01-10", establishment), levee("2026-05-02")],
            residence_status="irregular",
            carte_vitale=False,
            residence_postcode=postcode,
        )
    )
    assert dues(out, "ame_first_filing_in_person") == []
    assert "ame_filing_guide" not in letter_kinds(out)
    assert out["affiliation"][-1]["fund"] == "NONE"
    assert out["affiliation"][-1]["rules"] == ["AFF-8", "AME-1"]
    [warning] = [w for w in out["warnings"] if w["code"] == "ame_not_in_mayotte"]
    assert "AME-1" in warning["message"]
    summary = next(x for x in out["letters"] if x["kind"] == "release_summary")
    assert "AME-1" in summary["rules"] and "AME-2" not in summary["rules"]


def test_ame_2_irregular_release_elsewhere_still_files_in_person():
    out = evaluate(
        case(
            [ecrou("2026-01-10", MAJICAVO), levee("2026-05-02")],
            residence_status="irregular",
            carte_vitale=False,
            residence_postcode="93200",
        )
    )
    assert dues(out, "ame_first_filing_in_person") == ["2026-05-02"]
    assert "ame_filing_guide" in letter_kinds(out)


# --- letters before the release (contract v2) ----------------------------------------------


def _letters(out):
    return {x["kind"]: x["provisional"] for x in out["letters"]}


def test_aff_6_letters_before_a_planned_release_are_provisional():
    """AFF-6, REL-3: before the levée, its letters are listed, provisional; no levée tasks."""
    out = evaluate(case([ecrou("2026-03-01"), planned("2026-12-18")], as_of="2026-12-01"))
    assert _letters(out) == {"release_summary": True, "cpam_transfer": True, "mas_referral": True}
    assert dues(out, "contact_cpam_residence") == []


def test_aff_6_letters_are_final_after_the_levee():
    out = evaluate(case([ecrou("2026-03-01"), planned("2026-12-18"), levee("2026-12-18")]))
    assert _letters(out) == {
        "release_summary": False,
        "cpam_transfer": False,
        "mas_referral": False,
    }


def test_aff_11_plan_overtaken_by_a_later_amenagement_lists_no_release_letters():
    out = evaluate(
        case(
            [
                ecrou("2026-03-01"),
                planned("2026-06-01"),
                {"type": "amenagement", "date": "2026-07-01", "measure": "semi_liberte"},
            ]
        )
    )
    assert _letters(out) == {"cnpe_amenagement": False}


def test_ame_2_irregular_person_gets_a_provisional_ame_guide_before_release():
    out = evaluate(
        case(
            [ecrou("2026-03-01"), planned("2026-12-18")],
            as_of="2026-12-01",
            residence_status="irregular",
            carte_vitale=False,
        )
    )
    assert _letters(out) == {"release_summary": True, "ame_filing_guide": True}


# --- messages for people, and the rule clock -----------------------------------------------

_CONTRACT_NAMES = re.compile(r"\b(" + "|".join(t for t in EVENT_TYPES if "_" in t) + r")\b")


@pytest.mark.parametrize(
    "events",
    [
        [ecrou("2026-01-10"), levee("2026-01-01")],
        [ecrou("2026-01-10"), {"type": "activity_end", "date": "2026-02-01"}],
        [ecrou("2026-01-10"), {"type": "work_inside_end", "date": "2026-02-01"}],
        [ecrou("2026-01-10"), {"type": "ame_filed", "date": "2026-02-01", "complete": True}],
        [{"type": "planned_release", "date": "2026-02-01"}],
    ],
    ids=["levee-before-ecrou", "activity-end", "work-end", "ame-in-custody", "no-ecrou"],
)
def test_order_messages_use_words_and_french_dates(events):
    """Forms show these sentences: JJ/MM/AAAA dates and no internal event names; the command
    line adds the contract's names and ISO dates in brackets for tools."""
    with pytest.raises(CaseError) as caught:
        evaluate(case(events))
    for p in caught.value.problems:
        assert not _CONTRACT_NAMES.search(p.message), p
        assert not re.search(r"\d{4}-\d{2}-\d{2}", p.message), p
        assert re.search(r"\d{2}/\d{2}/\d{4}", p.message), p
        assert p.line().endswith("]") and re.search(r"\d{4}-\d{2}-\d{2}", p.line())


def test_levee_before_ecrou_message_reads_as_the_issue_asks():
    [(field, message)] = problems(case([ecrou("2026-05-19"), levee("2026-01-01")]))
    assert field == "events[1]"
    assert message == "La levée d'écrou (01/01/2026) précède la mise sous écrou du 19/05/2026"


def test_frozen_clock_freezes_the_default_as_of():
    """The engine takes its date from ``as_of``; without one, from the project's one clock."""
    clock.set_clock(lambda: datetime(2030, 6, 1, 12, tzinfo=UTC))
    try:
        out = evaluate({"person": person(), "events": [ecrou("2026-02-01")]})
    finally:
        clock.set_clock(None)
    assert out["as_of"] == "2030-06-01"
    assert date.fromisoformat(out["as_of"]) != date.today()


def test_no_rule_module_reads_the_system_clock():
    rules = Path(__file__).resolve().parents[2] / "cnpe_flow" / "rules"
    readers = re.compile(r"datetime\.now\(|date\.today\(|time\.time\(|today_paris\(\)")
    offenders = [
        str(p.relative_to(rules))
        for p in rules.rglob("*.py")
        if readers.search(p.read_text(encoding="utf-8")) and p.name != "case.py"
    ]
    assert offenders == []

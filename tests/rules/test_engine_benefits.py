"""Cash benefits and ALD around custody, through ``evaluate`` with contract JSON: daily
sickness benefits (IJ-1 … IJ-4), AT/MP (ATMP-1, ATMP-2), invalidity (INV-1, INV-2) and the ALD
steps for the USMP (ALD-1, ALD-2).

Expected values come from rules-catalogue.md (sections 2 and 3), case-contract.md (``ij``
statuses, « ij_resumption once », « ald_protocol_request on each écrou »), seed 000 (§2 and back
page: pole addresses) and the reference data (establishment → pole, a documented hypothesis).
"""

from __future__ import annotations

import pytest
from contract import FRESNES, GRADIGNAN, MAJICAVO, builders, dues, ecrou, letter_kinds, levee

from cnpe_flow.rules import evaluate

person, _ = builders(
    birth_date="1982-04-09",
    residence_status="regular",
    carte_vitale=False,
    residence_postcode="69003",
)


def case(events, *benefits, as_of="2026-11-23", **fields):
    return {
        "as_of": as_of,
        "person": person(benefits_before_ecrou=list(benefits), **fields),
        "events": events,
    }


def amenagement(day, measure="surveillance_electronique"):
    return {"type": "amenagement", "date": day, "measure": measure}


def work_inside(start, end):
    return [{"type": "work_inside_start", "date": start}, {"type": "work_inside_end", "date": end}]


def atmp(day, consolidated):
    return {"type": "atmp_during_ecrou", "date": day, "consolidated": consolidated}


def ij(out):
    return [(p["start"], p["end"], p["status"]) for p in out["ij"]]


def warning_codes(out):
    return [w["code"] for w in out["warnings"]]


# ---------------------------------------------------------------- IJ-1, IJ-2, IJ-3


def test_ij_1_ij_2_ij_3_ij_suspended_during_custody_resumable_at_the_amenagement():
    """IJ-1, IJ-2, IJ-3: IJ paid before the écrou are suspended from the écrou (no IJ during
    incarceration) and resumable from the aménagement, where the new fund takes over."""
    out = evaluate(
        case([ecrou("2025-10-06"), amenagement("2026-02-02"), levee("2026-05-04")], "ij")
    )
    assert ij(out) == [
        ("2025-10-06", "2026-02-02", "suspended"),
        ("2026-02-02", None, "resumable"),
    ]
    assert {"IJ-1", "IJ-2"} <= set(out["ij"][0]["rules"])
    assert out["ij"][1]["rules"] == ["IJ-3"]


def test_ij_3_resumption_exactly_once_at_the_amenagement_not_again_at_the_levee():
    """IJ-3: ij_resumption once, on the first of aménagement and levée: the aménagement here."""
    out = evaluate(
        case([ecrou("2025-10-06"), amenagement("2026-02-02"), levee("2026-05-04")], "ij")
    )
    assert dues(out, "ij_resumption") == ["2026-02-02"]


def test_ij_3_without_amenagement_the_resumption_is_at_the_levee():
    """IJ-2, IJ-3: without aménagement, IJ stay suspended until the levée, resumable from it,
    and the single ij_resumption task is due on the levée."""
    out = evaluate(case([ecrou("2026-01-12"), levee("2026-04-13")], "ij"))
    assert ij(out) == [
        ("2026-01-12", "2026-04-13", "suspended"),
        ("2026-04-13", None, "resumable"),
    ]
    assert dues(out, "ij_resumption") == ["2026-04-13"]


def test_ij_3_two_amenagements_one_resumption_at_the_first():
    """IJ-3: a change of aménagement (electronic monitoring then semi-liberté) does not bring a
    second resumption: once, at the first aménagement."""
    out = evaluate(
        case(
            [
                ecrou("2026-01-12"),
                amenagement("2026-03-02", "surveillance_electronique"),
                amenagement("2026-04-06", "semi_liberte"),
                levee("2026-06-01"),
            ],
            "ij",
        )
    )
    assert ij(out) == [
        ("2026-01-12", "2026-03-02", "suspended"),
        ("2026-03-02", None, "resumable"),
    ]
    assert dues(out, "ij_resumption") == ["2026-03-02"]


def test_ij_2_still_in_custody_ij_stay_suspended_and_nothing_to_resume_yet():
    """IJ-1, IJ-2: while the person is in custody without aménagement, IJ are suspended with no
    end known and there is no resumption task yet."""
    out = evaluate(case([ecrou("2026-01-12")], "ij", as_of="2026-03-01"))
    assert ij(out) == [("2026-01-12", None, "suspended")]
    assert dues(out, "ij_resumption") == []


def test_ij_2_no_ij_before_the_ecrou_gives_an_empty_ij_list():
    """IJ-2: nothing to suspend or resume for a person who had no IJ (contract: empty list)."""
    out = evaluate(case([ecrou("2026-01-12"), amenagement("2026-03-02"), levee("2026-06-01")]))
    assert out["ij"] == []
    assert dues(out, "ij_resumption") == []


# ---------------------------------------------------------------- IJ-4


def test_ij_4_work_inside_does_not_create_ij():
    """IJ-4: a person working inside the establishment cannot claim IJ: with no IJ before the
    écrou, work inside leaves the ij list empty and no resumption task."""
    out = evaluate(
        case([ecrou("2026-01-12"), *work_inside("2026-02-02", "2026-05-04"), levee("2026-06-01")])
    )
    assert out["ij"] == []
    assert dues(out, "ij_resumption") == []


def test_ij_4_work_inside_does_not_resume_suspended_ij():
    """IJ-2, IJ-4: IJ paid before the écrou stay suspended while the person works inside; only
    the levée makes them resumable."""
    out = evaluate(
        case(
            [ecrou("2026-01-12"), *work_inside("2026-02-02", "2026-05-04"), levee("2026-06-01")],
            "ij",
        )
    )
    assert ij(out) == [
        ("2026-01-12", "2026-06-01", "suspended"),
        ("2026-06-01", None, "resumable"),
    ]


# ---------------------------------------------------------------- ATMP-2


def test_atmp_2_not_consolidated_at_release_ij_payable_from_the_day_of_release():
    """ATMP-2: a work accident during custody, not consolidated at release: no IJ in custody,
    IJ payable from the day of release, and the atmp_ij_claim task on the levée."""
    out = evaluate(
        case(
            [
                ecrou("2026-01-12"),
                {"type": "work_inside_start", "date": "2026-02-02"},
                atmp("2026-03-09", consolidated=False),
                levee("2026-07-06"),
            ]
        )
    )
    assert ij(out) == [("2026-07-06", None, "payable_from_release")]
    assert out["ij"][0]["rules"] == ["ATMP-2"]
    assert dues(out, "atmp_ij_claim") == ["2026-07-06"]


def test_atmp_2_consolidated_at_release_no_ij():
    """ATMP-2: consolidated before release: care covered, no IJ, no claim to make."""
    out = evaluate(
        case([ecrou("2026-01-12"), atmp("2026-03-09", consolidated=True), levee("2026-07-06")])
    )
    assert out["ij"] == []
    assert dues(out, "atmp_ij_claim") == []


def test_atmp_2_not_consolidated_but_still_in_custody_no_ij_yet():
    """ATMP-2: « no IJ » during the écrou: IJ only start with a release."""
    out = evaluate(
        case([ecrou("2026-01-12"), atmp("2026-03-09", consolidated=False)], as_of="2026-05-01")
    )
    assert out["ij"] == []
    assert dues(out, "atmp_ij_claim") == []


def test_atmp_2_claim_is_a_medical_task_for_the_usmp():
    """ATMP-2: the claim for AT/MP IJ is a medical step (owner USMP), shown as such."""
    out = evaluate(
        case([ecrou("2026-01-12"), atmp("2026-03-09", consolidated=False), levee("2026-07-06")])
    )
    claim = next(t for t in out["tasks"] if t["kind"] == "atmp_ij_claim")
    assert claim["owner"] == "usmp"
    assert claim["medical"] is True
    assert claim["rules"] == ["ATMP-2"]


# ---------------------------------------------------------------- ATMP-1, INV-1, INV-2


def test_atmp_1_an_atmp_annuity_is_maintained_by_the_cpam_of_the_original_claim():
    """ATMP-1: an AT/MP annuity paid before the écrou is maintained by the CPAM that handled the
    original claim."""
    out = evaluate(case([ecrou("2026-01-12")], "atmp_rente", as_of="2026-02-01"))
    assert [(b["benefit"], b["status"], b["rules"]) for b in out["maintained_benefits"]] == [
        ("atmp_rente", "maintained", ["ATMP-1"])
    ]
    assert "CPAM qui a instruit" in out["maintained_benefits"][0]["paid_by"]


def test_inv_1_inv_2_invalidity_pension_maintained_new_claims_to_the_cnpe():
    """INV-1, INV-2: an invalidity pension paid before the écrou is maintained; a new claim during
    incarceration or an aménagement without activity goes to the CNPE."""
    out = evaluate(case([ecrou("2026-01-12")], "invalidity_pension", as_of="2026-02-01"))
    assert [(b["benefit"], b["status"], b["rules"]) for b in out["maintained_benefits"]] == [
        ("invalidity_pension", "maintained", ["INV-1", "INV-2"])
    ]
    assert "CNPE" in out["maintained_benefits"][0]["new_claims_to"]


def test_atmp_1_inv_1_both_maintained_and_ij_not_affected():
    """ATMP-1, INV-1: both benefits listed as maintained; they are not IJ, so ``ij`` stays empty."""
    out = evaluate(
        case([ecrou("2026-01-12"), levee("2026-04-13")], "atmp_rente", "invalidity_pension")
    )
    assert [b["benefit"] for b in out["maintained_benefits"]] == [
        "atmp_rente",
        "invalidity_pension",
    ]
    assert out["ij"] == []


def test_inv_1_nothing_maintained_without_such_benefits():
    """ATMP-1, INV-1: nothing is listed for a person with neither an annuity nor a pension."""
    out = evaluate(case([ecrou("2026-01-12")], "ij", as_of="2026-02-01"))
    assert out["maintained_benefits"] == []


# ---------------------------------------------------------------- ALD-1


def test_ald_1_protocol_request_for_the_usmp_at_the_ecrou():
    """ALD-1: with an ALD recognised before incarceration, the USMP doctor asks for the protocole
    de soins: a medical task for the USMP due on the écrou."""
    out = evaluate(case([ecrou("2026-01-10")], "ald", as_of="2026-02-01"))
    assert dues(out, "ald_protocol_request") == ["2026-01-10"]
    request = next(t for t in out["tasks"] if t["kind"] == "ald_protocol_request")
    assert request["owner"] == "usmp"
    assert request["medical"] is True
    assert request["rules"] == ["ALD-1"]


def test_ald_1_one_protocol_request_per_ecrou():
    """ALD-1: two écrous → two protocol requests, one on each écrou."""
    out = evaluate(
        case(
            [ecrou("2025-01-06"), levee("2025-04-07"), ecrou("2025-09-01"), levee("2026-02-02")],
            "ald",
        )
    )
    assert dues(out, "ald_protocol_request") == ["2025-01-06", "2025-09-01"]


def test_ald_1_no_ald_no_protocol_request_no_pole_no_letter():
    """ALD-1, ALD-2: without ALD there is no protocol request, no pole and no renewal letter."""
    out = evaluate(case([ecrou("2026-01-10"), levee("2026-04-13")], "ij"))
    assert dues(out, "ald_protocol_request") == []
    assert out["ald_renewal_pole"] is None
    assert out["ald_renewal"] is None
    assert "ald_renewal" not in letter_kinds(out)


# ---------------------------------------------------------------- ALD-2


def test_ald_2_nord_pole_with_the_address_of_the_cpam_de_l_oise():
    """ALD-2: Fresnes belongs to the Nord pole: renewal requests go to the médecin chef, CPAM de
    l'Oise, 1 rue de Savoie, BP 30326, 60013 BEAUVAIS Cedex; the ald_renewal letter is due."""
    out = evaluate(case([ecrou("2026-01-10", FRESNES), levee("2026-04-13")], "ald"))
    detail = out["ald_renewal"]
    assert out["ald_renewal_pole"] == "NORD"
    assert detail["pole"] == "NORD"
    assert "Oise" in detail["caisse"]
    assert detail["address_lines"] == ["1 rue de Savoie", "BP 30326"]
    assert (detail["postcode"], detail["city"]) == ("60013", "BEAUVAIS Cedex")
    assert "ald_renewal" in letter_kinds(out)


def test_ald_2_sud_pole_with_the_address_of_the_cpam_du_lot():
    """ALD-2: Bordeaux-Gradignan belongs to the Sud pole: CPAM du Lot, 238 rue Hautesserre,
    46015 CAHORS Cedex 9."""
    out = evaluate(case([ecrou("2026-01-10", GRADIGNAN), levee("2026-04-13")], "ald"))
    detail = out["ald_renewal"]
    assert out["ald_renewal_pole"] == "SUD"
    assert "Lot" in detail["caisse"]
    assert detail["address_lines"] == ["238 rue Hautesserre"]
    assert (detail["postcode"], detail["city"]) == ("46015", "CAHORS Cedex 9")


def test_ald_2_the_split_between_poles_is_shown_as_a_hypothesis():
    """ALD-2: the seeds do not give the split: the output says the pole is a hypothesis."""
    out = evaluate(case([ecrou("2026-01-10", FRESNES)], "ald", as_of="2026-02-01"))
    assert "hypothèse" in out["ald_renewal"]["status"]
    assert "ald_pole_hypothesis" in warning_codes(out)


@pytest.mark.parametrize(
    ("first", "latest", "pole"),
    [(FRESNES, GRADIGNAN, "SUD"), (GRADIGNAN, FRESNES, "NORD")],
)
def test_ald_2_pole_follows_the_establishment_of_the_latest_ecrou(first, latest, pole):
    """ALD-2: after a second écrou elsewhere, the renewal goes to the pole of the latest
    establishment."""
    out = evaluate(
        case(
            [ecrou("2025-01-06", first), levee("2025-04-07"), ecrou("2025-09-01", latest)],
            "ald",
        )
    )
    assert out["ald_renewal_pole"] == pole
    assert out["ald_renewal"]["establishment"] == latest


def test_ald_2_mayotte_pole_unknown_with_a_warning():
    """ALD-2: for Mayotte (Majicavo) no pole is known: pole null, and a warning telling the user
    to ask the CNPE where to send the renewal."""
    out = evaluate(case([ecrou("2026-01-10", MAJICAVO)], "ald", as_of="2026-02-01"))
    assert out["ald_renewal_pole"] is None
    assert out["ald_renewal"]["pole"] is None
    assert "ald_pole_unknown" in warning_codes(out)
    assert "ald_pole_hypothesis" not in warning_codes(out)

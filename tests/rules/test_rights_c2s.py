"""The C2S item of ``rights_to_check``, through ``evaluate`` with contract JSON and a
``person.household`` (household-spec.md): eligibility (C2S-1), participation per member and in
total (C2S-2), who sends the S3711 where (C2S-3), under 25 (C2S-4), documents (C2S-5), answer
and start (C2S-6), automatic renewal at the RSA (C2S-7).

Amounts come from the official 2025 ceilings (reference-data §4.1) and the participation
brackets (reference-data §4.2); ages on 1 January of the attribution year (notice S3711).
"""

from __future__ import annotations

from contract import ecrou, levee

from cnpe_flow.rules import evaluate

AS_OF = "2026-03-15"  # 2025 ceilings still current (revalued each 1 April)
RELEASED = [ecrou("2025-06-02"), levee("2025-12-01")]


def person(**fields):
    base = {
        "birth_date": "1985-03-14",
        "residence_status": "regular",
        "carte_vitale": True,
        "residence_postcode": "75011",
    }
    return {**base, **fields}


def rights(events=RELEASED, as_of=AS_OF, **fields):
    return evaluate({"as_of": as_of, "person": person(**fields), "events": events})[
        "rights_to_check"
    ]


def item(found, right="c2s"):
    return next(x for x in found if x["right"] == right)


def family(resources, **more):
    """The person, a spouse and a child: 3 persons for the C2S."""
    members = [
        {"birth_date": "1990-06-01", "relation": "spouse"},
        {"birth_date": "2012-05-01", "relation": "child"},
    ]
    return {"members": members, "annual_resources": resources, "rsa": False, **more}


def test_c2s_2_regular_household_of_3_with_participation_per_member_and_total():
    """C2S-1, C2S-2: 21 000 € for 3 persons is above the free ceiling (18 609 €) and under the
    one with participation (25 123 €): participation by age on 1 January 2026 (40, 35 and 13
    years: 14 + 14 + 8 €), as strings with two decimals."""
    c2s = item(rights(household=family(21000)))
    assert c2s["status"] == "likely"
    assert c2s["participation"] == {
        "reference_date": "2026-01-01",
        "members": [
            {"birth_date": "1985-03-14", "age": 40, "monthly": "14.00"},
            {"birth_date": "1990-06-01", "age": 35, "monthly": "14.00"},
            {"birth_date": "2012-05-01", "age": 13, "monthly": "8.00"},
        ],
        "total_monthly": "36.00",
    }
    assert "36,00 €" in c2s["summary"]
    assert c2s["rules"] == ["C2S-1", "C2S-2", "C2S-3", "C2S-5", "C2S-6"]
    resources = c2s["conditions"][1]
    assert resources["met"] is True and resources["rules"] == ["C2S-1"]
    assert "18\u202f609" in resources["text"] and "25\u202f123" in resources["text"]
    assert "c2s_participation@2019-11-01" in c2s["parameters"]


def test_c2s_1_free_c2s_under_the_ceiling_has_no_participation_block():
    """C2S-1: 10 339 € alone (the free ceiling, equal counts as under): free C2S, no
    participation key at all (household-spec.md)."""
    c2s = item(rights(household={"members": [], "annual_resources": 10339}))
    assert c2s["status"] == "likely"
    assert "participation" not in c2s
    assert c2s["summary"] == "C2S gratuite probable."


def test_c2s_1_over_the_participation_ceiling_is_unlikely():
    """C2S-1: 13 958 € alone is above 13 957 €: not met, the right is unlikely."""
    c2s = item(rights(household={"members": [], "annual_resources": 13958}))
    assert c2s["status"] == "unlikely"
    assert c2s["conditions"][1]["met"] is False


def test_c2s_1_unknown_facts_are_to_check_never_guessed():
    """C2S-1: a household entered without resources: the condition is « à vérifier » (null)."""
    c2s = item(rights(household={"members": []}))
    assert c2s["status"] == "to_check"
    assert [c["met"] for c in c2s["conditions"]] == [True, None]


def test_c2s_1_irregular_person_has_no_c2s_item():
    """C2S-1: the C2S is for persons in regular situation only."""
    found = rights(household=family(5000), residence_status="irregular", carte_vitale=False)
    assert "c2s" not in [x["right"] for x in found]


def test_c2s_1_after_1_april_2026_the_stale_ceiling_is_said():
    """C2S-1: the 2026 ceilings are not in our sources: the condition and the warnings say the
    amount is to check."""
    out = evaluate(
        {
            "as_of": "2026-11-23",
            "person": person(household={"members": [], "annual_resources": 5000}),
            "events": RELEASED,
        }
    )
    c2s = item(out["rights_to_check"])
    assert "revalorisation" in c2s["conditions"][1]["text"]
    assert "parameter_stale" in [w["code"] for w in out["warnings"]]


def test_c2s_1_overseas_ceiling_from_the_postcode_or_the_establishment():
    """C2S-1: La Réunion (974): the overseas ceiling (one person, 2024: 11 315 €), from the
    postcode, or without one from the establishment that released the person."""
    at = "2025-02-01"
    by_postcode = item(
        rights(
            as_of=at,
            residence_postcode="97400",
            household={"members": [], "annual_resources": 11315},
        )
    )
    assert by_postcode["conditions"][1]["met"] is True
    assert "outre-mer" in by_postcode["conditions"][1]["text"]
    by_establishment = item(
        rights(
            [ecrou("2024-06-02", "Centre de détention du Port"), levee("2024-12-01")],
            as_of=at,
            residence_postcode=None,
            household={"members": [], "annual_resources": 11315},
        )
    )
    assert "outre-mer" in by_establishment["conditions"][1]["text"]
    metropole = item(rights(as_of=at, household={"members": [], "annual_resources": 11315}))
    assert metropole["conditions"][1]["met"] is True  # 10 339 < 11 315 ≤ 13 957
    assert "participation" in metropole


def test_c2s_2_alsace_moselle_local_scheme_is_to_check():
    """C2S-2: in Alsace-Moselle the local scheme has lower amounts (2.80 … 10.50 €): whether
    the household belongs to it is not in the case, so it is « à vérifier »."""
    c2s = item(rights(residence_postcode="67000", household=family(21000)))
    local = c2s["conditions"][-1]
    assert local["met"] is None and local["rules"] == ["C2S-2"]
    assert "12,60" in local["text"] and "36" in local["text"]  # 4.90 + 4.90 + 2.80
    assert c2s["status"] == "to_check"


def test_c2s_3_in_custody_the_person_sends_the_form_to_the_cnpe():
    """C2S-3: during the écrou the detained person sends the S3711 to the CNPE; the spouse
    may send it to their own fund."""
    c2s = item(rights([ecrou("2026-01-05")], household=family(21000)))
    steps = " ".join(c2s["steps"])
    assert "S3711" in steps
    assert "au CNPE" in steps and "caisse de rattachement" in steps
    assert c2s["conditions"][0]["text"].endswith("(CNPE pendant l'écrou).")


def test_c2s_3_after_release_or_in_an_activity_amenagement_the_cpam():
    """C2S-3: out of custody, or affiliated to the CPAM during an aménagement with activity
    (AFF-3), the form goes to the CPAM of residence."""
    after = " ".join(item(rights(household=family(21000)))["steps"])
    assert "CPAM de son lieu de résidence" in after and "au CNPE" not in after
    working = [
        ecrou("2026-01-05"),
        {"type": "amenagement", "date": "2026-02-01", "measure": "semi_liberte"},
        {"type": "activity_start", "date": "2026-02-01", "activity": "work"},
    ]
    steps = " ".join(item(rights(working, household=family(21000)))["steps"])
    assert "CPAM de son lieu de résidence" in steps and "au CNPE" not in steps


def test_c2s_3_shown_around_the_release_even_before_the_household_is_entered():
    """C2S-3: without a household the C2S shows after the release or once a release is
    planned (to check, asking for the household); not during a plain incarceration."""
    assert item(rights())["summary"].startswith("C2S possible : renseignez le foyer")
    assert rights([ecrou("2026-01-05")]) == []
    planned = [ecrou("2026-01-05"), {"type": "planned_release", "date": "2026-06-01"}]
    assert item(rights(planned))["status"] == "to_check"


def test_c2s_3_members_of_25_or_more_form_their_own_household():
    """C2S-3: the form lists the spouse and the children or dependants under 25; an older
    member is not counted (so the household size, and the ceiling, leave them out)."""
    household = {
        "members": [{"birth_date": "1995-01-01", "relation": "child"}],
        "annual_resources": 12000,
    }
    c2s = item(rights(household=household))
    assert any("il forme son propre foyer" in s for s in c2s["steps"])
    assert "une personne seule" in c2s["conditions"][1]["text"]


def test_c2s_4_under_25_alone_is_to_check_with_the_attestation_letter():
    """C2S-4: a 22-year-old living alone belongs to the parents' household unless the three
    conditions hold: à vérifier, and the letter attesting them is a step."""
    c2s = item(rights(birth_date="2003-05-01", household={"members": [], "annual_resources": 3000}))
    young = next(c for c in c2s["conditions"] if c["rules"] == ["C2S-4"])
    assert young["met"] is None and "22 ans" in young["text"]
    assert c2s["status"] == "to_check"
    assert "C2S-4" in c2s["rules"]
    assert any("courrier attestant" in s for s in c2s["steps"])
    with_child = {"members": [{"birth_date": "2024-01-01", "relation": "child"}]}
    assert "C2S-4" not in item(rights(birth_date="2003-05-01", household=with_child))["rules"]


def test_c2s_5_rsa_household_declares_no_resources():
    """C2S-5: an RSA household declares no resources; the tax notice and CAF number stay."""
    c2s = item(rights(household={"members": [], "rsa": True}))
    assert c2s["status"] == "likely"
    assert c2s["conditions"][1]["rules"] == ["C2S-1", "C2S-5"]
    steps = " ".join(c2s["steps"])
    assert "pas de déclaration de ressources" in steps
    assert "avis d'imposition" in steps and "CAF" in steps


def test_c2s_6_answer_within_2_months_and_start_of_the_right():
    """C2S-6: the answer within 2 months and the first day of the right are said."""
    last = item(rights(household=family(21000)))["steps"][-1]
    assert "délai de 2 mois" in last and "1er jour du mois" in last


def test_c2s_7_rsa_renewal_is_automatic_for_a_current_right():
    """C2S-7: a C2S in force for an RSA household renews by itself if nothing changes."""
    events = [*RELEASED, {"type": "c2s_granted", "date": "2026-01-01"}]
    c2s = item(rights(events, household={"members": [], "rsa": True}))
    assert "C2S-7" in c2s["rules"]
    assert any("31/12/2026 inclus" in s and "automatique" in s for s in c2s["steps"])
    assert "C2S-7" not in item(rights(events, household={"members": [], "rsa": False}))["rules"]

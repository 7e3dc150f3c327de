"""The AME and soins urgents items of ``rights_to_check``, through ``evaluate`` with contract
JSON and a ``person.household``: AME-1 conditions (3 months of presence, resources, minors,
Schengen visa, not in Mayotte), AME-2 … AME-5 steps, the 9-month waiting period (AME-9), the
AME household (AME-10) and the soins urgents for the uncovered period (AME-11).

Expected values come from the seeds (001, 003), reference-data §4.1 (ceilings) and calendar
arithmetic written in each test.
"""

from __future__ import annotations

from contract import MAJICAVO, ecrou, levee

from cnpe_flow.rules import evaluate

AS_OF = "2026-03-15"
RELEASED = [ecrou("2025-06-02"), levee("2025-12-01")]


def person(**fields):
    base = {
        "birth_date": "1992-02-02",
        "residence_status": "irregular",
        "carte_vitale": False,
        "residence_postcode": "93200",
    }
    return {**base, **fields}


def rights(events=RELEASED, as_of=AS_OF, **fields):
    return evaluate({"as_of": as_of, "person": person(**fields), "events": events})[
        "rights_to_check"
    ]


def kinds(found):
    return [x["right"] for x in found]


def item(found, right="ame"):
    return next(x for x in found if x["right"] == right)


def condition(ame, rule_text):
    return next(c for c in ame["conditions"] if rule_text in c["text"])


def test_ame_1_irregular_person_released_without_ame_gets_ame_and_soins_urgents():
    """AME-1, AME-11: after the levée, without AME: the AME conditions and the soins urgents
    for the uncovered period, in that order."""
    household = {"members": [], "annual_resources": 6000, "in_france_since": "2024-09-01"}
    found = rights(household=household)
    assert kinds(found) == ["ame", "soins_urgents"]  # no capital décès: not insured now
    ame = item(found)
    assert [c["met"] for c in ame["conditions"]] == [True, True, True, None]
    assert all(c["rules"][0] == "AME-1" for c in ame["conditions"])
    assert ame["status"] == "to_check"  # the Schengen visa is never known: à vérifier
    assert "Schengen" in ame["conditions"][3]["text"]


def test_ame_1_exactly_3_months_of_presence_is_not_enough():
    """AME-1: in France since 15 December 2025: on 15 March 2026 (exactly 3 months) not met,
    the AME is unlikely and the summary says so; the next day it is met."""
    on_day = item(rights(household={"in_france_since": "2025-12-15"}))
    presence = condition(on_day, "En France depuis le 15/12/2025")
    assert presence["met"] is False and "16/03/2026" in presence["text"]
    assert on_day["status"] == "unlikely" and "peu probable" in on_day["summary"]
    next_day = item(rights(as_of="2026-03-16", household={"in_france_since": "2025-12-15"}))
    assert condition(next_day, "En France depuis")["met"] is True


def test_ame_1_unknown_presence_and_resources_are_to_check():
    """AME-1: nothing known of the household: the presence and resources are « à vérifier »."""
    ame = item(rights())
    assert [c["met"] for c in ame["conditions"]] == [True, None, None, None]
    assert "date d'arrivée à renseigner" in ame["conditions"][1]["text"]
    assert "AME-10" not in ame["rules"]


def test_ame_1_resources_over_the_largest_household_ceiling_are_not_met():
    """AME-1, AME-10: 30 000 € for a person and a spouse is above the 2-person ceiling
    (15 508 € from 1 April 2025): not met whoever counts."""
    household = {
        "members": [{"birth_date": "1990-01-01", "relation": "spouse"}],
        "annual_resources": 30000,
    }
    resources = condition(item(rights(household=household)), "Ressources du foyer")
    assert resources["met"] is False
    assert resources["rules"] == ["AME-1", "AME-10"]
    assert "15\u202f508" in resources["text"] and "conjoint" in resources["text"]


def test_ame_1_minor_children_exception_is_said():
    """AME-1: minors whose parents are irregular get the AME without presence nor resources
    conditions, even when the parent's application is rejected."""
    household = {"members": [{"birth_date": "2019-04-01", "relation": "child"}]}
    steps = " ".join(item(rights(household=household))["steps"])
    assert (
        "Enfants mineurs du foyer" in steps and "même si la demande du parent est rejetée" in steps
    )


def test_ame_1_not_in_mayotte_by_postcode_or_by_establishment():
    """AME-1: no AME in Mayotte: released to a 976xx address, or without an address from an
    establishment in Mayotte, neither AME nor soins urgents item; an address elsewhere wins."""
    assert rights(residence_postcode="97600") == []
    from_majicavo = [ecrou("2025-06-02", MAJICAVO), levee("2025-12-01")]
    assert rights(from_majicavo, residence_postcode=None) == []
    assert kinds(rights(from_majicavo, residence_postcode="93200")) == ["ame", "soins_urgents"]


def test_ame_2_no_item_during_incarceration():
    """AME-2: no AME application during incarceration: no AME item while écroué."""
    assert rights([ecrou("2026-01-05")]) == []


def test_ame_3_ame_4_filing_in_person_and_documents():
    """AME-3, AME-4: first application in person (S3720) at the CPAM, a France services or the
    hospital; exemptions; documents (black ink, identity, residence proof window, photo)."""
    ame = item(rights())
    steps = " ".join(ame["steps"])
    assert "en personne, dès la sortie" in steps and "S3720" in steps
    assert "France services" in steps and "mobilité réduite" in steps
    assert "stylo noir" in steps and "avant le dépôt" in steps and "Photo d'identité" in steps
    assert ame["rules"][:5] == ["AME-1", "AME-2", "AME-3", "AME-4", "AME-5"]


def test_ame_9_the_9_month_waiting_period_is_said():
    """AME-9: for a first AME (code 04) some non-urgent care waits 9 months."""
    ame = item(rights())
    assert "AME-9" in ame["rules"]
    assert any("Délai de carence" in s and "9 mois" in s for s in ame["steps"])


def test_ame_10_household_who_counts_is_in_the_resources_condition():
    """AME-10: spouse, minor children, an 18–20 child if studying, one cohabitant; members in
    regular situation not counted: the ceiling is a range, decided only outside it."""
    household = {
        "members": [
            {"birth_date": "1990-01-01", "relation": "spouse"},
            {"birth_date": "2015-01-01", "relation": "child"},
            {"birth_date": "2007-01-01", "relation": "child"},
            {"birth_date": "1950-01-01", "relation": "cohabitant"},
        ],
        "annual_resources": 15000,
    }
    ame = item(rights(household=household))
    resources = condition(ame, "Ressources du foyer")
    assert resources["met"] is None  # between the 1-person and the 5-person ceilings
    for words in ("le conjoint", "1 enfant mineur", "études", "un seul cohabitant"):
        assert words in resources["text"], words
    assert "AME-10" in ame["rules"]
    assert any("Déclaration sur l'honneur" in s for s in ame["steps"])


def test_ame_11_soins_urgents_for_the_uncovered_period_after_release():
    """AME-11: without rights since the levée: soins urgents at the hospital, requested by
    the hospital; never with a valid Schengen visa (à vérifier)."""
    su = item(rights(), "soins_urgents")
    assert su["conditions"][0] == {
        "text": "Sans couverture maladie depuis le 01/12/2025 : ni droits de base ni AME.",
        "met": True,
        "rules": ["AME-11"],
    }
    assert su["conditions"][2]["met"] is None and "Schengen" in su["conditions"][2]["text"]
    assert su["status"] == "to_check" and su["rules"] == ["AME-11"]
    assert "établissement de santé qui fait la demande" in su["steps"][0]
    recent = item(rights(household={"in_france_since": "2026-01-01"}), "soins_urgents")
    assert "pas encore possible" in recent["steps"][1]


def test_ame_11_a_pending_filing_is_named_and_an_ame_right_ends_the_items():
    """AME-5, AME-11: with an AME filing not answered the soins urgents still apply; while an
    AME right covers the day neither item shows; after it ends, uncovered from its end."""
    filed = {"type": "ame_filed", "date": "2026-01-10", "complete": True}
    su = item(rights([*RELEASED, filed]), "soins_urgents")
    assert "demande d'AME du 10/01/2026" in su["conditions"][0]["text"]
    granted = {"type": "ame_granted", "date": "2026-01-10"}
    assert rights([*RELEASED, filed, granted]) == []
    after = item(rights([*RELEASED, filed, granted], as_of="2027-02-01"), "soins_urgents")
    assert "depuis le 10/01/2027" in after["conditions"][0]["text"]


def test_ame_1_permit_expired_maintenance_over_turns_c2s_into_ame():
    """AME-1, PUMA-2: a regular person whose permit expired keeps the C2S while the base rights
    are maintained; afterwards the AME conditions show, saying the maintenance has ended."""
    events = [*RELEASED, {"type": "residence_permit_expiry", "date": "2026-01-10"}]
    during = rights(events, residence_status="regular", carte_vitale=True)
    assert kinds(during) == ["c2s"]
    assert "maintenus après l'expiration" in during[0]["conditions"][0]["text"]
    after = item(rights(events, as_of="2026-09-15", residence_status="regular", carte_vitale=True))
    assert "titre de séjour expiré" in after["conditions"][0]["text"]

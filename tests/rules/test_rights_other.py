"""The other « droits à vérifier » of ``rights_to_check``, through ``evaluate``: the action
sanitaire et sociale (ASS-1), the capital décès (CD-1) and the PUMa individual affiliation of
the household's children (PUMA-1), and the shape every item has (household-spec.md).

Expected wording comes from seed 000 §2 (ASS, capital décès) and seed 001 I (PUMa).
"""

from __future__ import annotations

import copy
import json
import re

import pytest
from contract import ecrou, levee

from cnpe_flow.rules import evaluate
from cnpe_flow.rules.catalogue import rules as catalogue

AS_OF = "2026-03-15"
RELEASED = [ecrou("2025-06-02"), levee("2025-12-01")]
#: words that tell a health condition (the API's medical test uses the same pattern)
MEDICAL = re.compile(r"ald|atmp|at/mp|consolidated|invalidit|indemnités journalières", re.I)


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


def item(found, right):
    return next((x for x in found if x["right"] == right), None)


ALONE = {"members": [], "annual_resources": 8000}


def test_ass_1_regular_person_with_the_household_entered():
    """ASS-1: for insured persons in regular situation, shown with the household and its
    resources (an aid for material hardship); request to the CPAM of affiliation out of
    custody; extra-legal aid: a refusal cannot be contested."""
    assert item(rights(), "ass") is None
    ass = item(rights(household=ALONE), "ass")
    assert ass["status"] == "to_check"
    assert [c["met"] for c in ass["conditions"]] == [True, None]
    assert ass["steps"] == [
        "Adresser la demande à la CPAM d'affiliation.",
        "Aide extra-légale : un refus ne peut pas être contesté.",
    ]
    assert ass["rules"] == ["ASS-1"]


def test_ass_1_to_the_cnpe_while_ecroue_and_never_for_an_irregular_person():
    """ASS-1: while écroué (affiliated to the CNPE) the request goes to the CNPE; an irregular
    person cannot ask."""
    inside = item(rights([ecrou("2026-01-05")], household=ALONE), "ass")
    assert inside["steps"][0].startswith("Adresser la demande au CNPE")
    irregular = rights(household=ALONE, residence_status="irregular", carte_vitale=False)
    assert item(irregular, "ass") is None


def test_cd_1_conditions_are_all_to_check_and_name_no_health_benefit():
    """CD-1: the capital décès conditions (activity or Pôle emploi in the 3 months, or 12 months
    for the benefits, a pension or annuity, 66,66 %) are all « à vérifier »; the benefits held
    before the écrou (medical) are never read: the item is the same with or without them."""
    plain = item(rights(household=ALONE), "capital_deces")
    assert [c["met"] for c in plain["conditions"]] == [None, None, None]
    assert all(c["rules"] == ["CD-1"] for c in plain["conditions"])
    texts = " ".join(c["text"] for c in plain["conditions"])
    assert "3 mois" in texts and "12 mois" in texts and "66,66 %" in texts
    medical = item(
        rights(household=ALONE, benefits_before_ecrou=["invalidity_pension", "atmp_rente", "ald"]),
        "capital_deces",
    )
    assert medical == plain
    assert MEDICAL.findall(json.dumps(plain, ensure_ascii=False)) == []


def test_cd_1_only_with_the_household_and_while_insured():
    """CD-1: shown once the household is entered, for an insured person (base rights, or the
    CNPE during the écrou), not for an irregular person after release."""
    assert item(rights(), "capital_deces") is None
    irregular_inside = rights([ecrou("2026-01-05")], household=ALONE, residence_status="irregular")
    assert item(irregular_inside, "capital_deces") is not None
    irregular_out = rights(household=ALONE, residence_status="irregular", carte_vitale=False)
    assert item(irregular_out, "capital_deces") is None


def test_puma_1_children_of_16_and_17_on_request_18_and_more_in_their_own_name():
    """PUMA-1: individual affiliation from 18, on request from 16; shown for the children
    from 16 up to 24 (still on the C2S form), not for younger or older ones."""
    household = {
        "members": [
            {"birth_date": "2009-01-10", "relation": "child"},  # 17 on 15/03/2026
            {"birth_date": "2007-01-10", "relation": "child"},  # 19
            {"birth_date": "2012-01-10", "relation": "child"},  # 14: not shown
            {"birth_date": "1990-01-10", "relation": "child"},  # 36: not shown
        ]
    }
    puma = item(rights(household=household), "puma_individual")
    assert [c["met"] for c in puma["conditions"]] == [None, True, None]
    assert (
        "17 ans" in puma["conditions"][0]["text"]
        and "sur demande dès 16 ans" in puma["conditions"][0]["text"]
    )
    assert "depuis ses 18 ans" in puma["conditions"][1]["text"]
    assert "3 mois" in puma["conditions"][2]["text"]
    assert puma["rules"] == ["PUMA-1"]
    younger = {"members": [{"birth_date": "2012-01-10", "relation": "child"}]}
    assert item(rights(household=younger), "puma_individual") is None


SHAPE = ["right", "title", "status", "summary", "conditions", "steps", "rules", "parameters"]


def test_every_item_has_the_spec_shape_and_cites_catalogue_rules():
    """C2S-2, AME-11: each item has the keys of household-spec.md in order (participation
    only for a C2S with participation), statuses and ``met`` values from the spec, rule IDs
    of the catalogue, and no parameter name in the French texts."""
    family = {
        "members": [
            {"birth_date": "1990-06-01", "relation": "spouse"},
            {"birth_date": "2009-05-01", "relation": "child"},
        ],
        "annual_resources": 21000,
    }
    found = rights(household=family) + rights(
        household=ALONE, residence_status="irregular", carte_vitale=False
    )
    assert {x["right"] for x in found} == {
        "c2s",
        "puma_individual",
        "ass",
        "capital_deces",
        "ame",
        "soins_urgents",
    }
    known = catalogue()
    for x in found:
        keys = [k for k in x if k != "participation"]
        assert keys == SHAPE, x["right"]
        assert x["status"] in ("likely", "unlikely", "to_check")
        assert x["rules"] and set(x["rules"]) <= set(known)
        for c in x["conditions"]:
            assert set(c) == {"text", "met", "rules"} and c["met"] in (True, False, None)
            assert set(c["rules"]) <= set(x["rules"]), (x["right"], c)
        words = " ".join([x["summary"], *x["steps"], *(c["text"] for c in x["conditions"])])
        assert "@" not in words and "_" not in words, x["right"]
    c2s = next(x for x in found if x["right"] == "c2s")
    assert list(c2s)[6] == "participation"


def test_c2s_1_shared_items_are_read_only_and_copy_to_plain_json():
    """C2S-1: an item that depends only on parameters and a few facts is one object shared by
    every evaluation: changing it for one reader is refused (it would change it for all);
    ``copy.deepcopy`` gives plain dicts and lists, and JSON is the usual one."""
    first = item(rights(), "c2s")
    again = item(rights(), "c2s")
    assert first is again
    with pytest.raises(TypeError, match="lecture seule"):
        first["status"] = "likely"
    with pytest.raises(TypeError, match="lecture seule"):
        first["steps"].append("autre étape")
    mine = copy.deepcopy(first)
    mine["steps"].append("autre étape")
    assert type(mine) is dict and type(mine["conditions"][0]) is dict
    assert json.loads(json.dumps(first)) == first
    assert "autre étape" not in item(rights(), "c2s")["steps"]

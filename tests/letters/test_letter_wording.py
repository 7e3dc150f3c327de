"""Words of the letters: wording that fits any person (no sex is recorded, so no gendered
form), and the rules each letter cites where it says them (AFF-5, REL-2, AME-1)."""

from __future__ import annotations

import html
import json
import re
from datetime import date
from pathlib import Path

import pytest
from contract import MAJICAVO, ecrou, levee

from cnpe_flow.letters.context import DEFAULT_SENDER, LetterSource, build_context
from cnpe_flow.letters.render import renderer
from cnpe_flow.rules import evaluate

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
DAY = date(2026, 11, 23)
# Masculine (or feminine) forms that would describe the person, or the doctor addressed.
GENDERED = re.compile(
    r"de nouveau couvert\b|\bun assuré\b|\bLe patient\b|\bmineur isolé\b|\bsorti de détention"
    r"|\bné le\b|\blibéré\b|\bécroué\b|\binscrit\b|(?<!Madame, )Monsieur le Médecin chef"
)


def scenario(name):
    return json.loads((SCENARIOS / f"{name}.json").read_text(encoding="utf-8"))["case"]


def source_for(case):
    person = {
        "last_name": "Durand",
        "first_name": "Alex",
        "nir": "185036012345678",
        "ecrou_number": "24581",
        "birth_date": case["person"]["birth_date"],
        "residence_postcode": case["person"]["residence_postcode"],
    }
    return LetterSource(person, evaluate(case), case["events"], DEFAULT_SENDER)


def letter(kind, case):
    """(rule IDs cited, the letter's text without tags)."""
    context = build_context(kind, source_for(case))
    page = renderer().html(kind, context, DAY)
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    return [r["id"] for r in context["rules"]], text


ALD_CASE = scenario("08-ald-semi-liberte-with-work")
IRREGULAR_CASE = scenario("02-irregular-release")
MAYOTTE_CASE = {
    "as_of": "2026-11-23",
    "person": {
        "birth_date": "1990-04-02",
        "residence_status": "irregular",
        "carte_vitale": False,
        "residence_postcode": "97600",
        "benefits_before_ecrou": [],
    },
    "events": [ecrou("2026-01-05", MAJICAVO), levee("2026-06-01")],
}
EVERY_LETTER = [
    ("release_summary", ALD_CASE),
    ("release_summary", IRREGULAR_CASE),
    ("release_summary", MAYOTTE_CASE),
    ("ame_filing_guide", IRREGULAR_CASE),
    ("cpam_transfer", ALD_CASE),
    ("ald_renewal", ALD_CASE),
    ("mas_referral", ALD_CASE),
    ("cnpe_amenagement", ALD_CASE),
]


@pytest.mark.parametrize(("kind", "case"), EVERY_LETTER)
def test_letters_use_no_gendered_form_for_the_person(kind, case):
    _, text = letter(kind, case)
    assert GENDERED.findall(text) == []


def test_release_summary_without_cover_asks_for_ame_in_neutral_words():
    """AFF-8, AME-2: « de nouveau couvert » would not fit a woman: the letter says it of the
    care, not of the person."""
    rules, text = letter("release_summary", IRREGULAR_CASE)
    assert (
        "Pour que vos frais de santé soient de nouveau pris en charge, demandez l'aide médicale "
        "de l'État (AME)" in text
    )
    assert {"AFF-8", "AME-2"} <= set(rules)


def test_letters_to_professionals_describe_the_person_in_neutral_words():
    """REL-5, ALD-2, AME-3: the MAS referral, the ALD renewal and the AME guide."""
    _, mas = letter("mas_referral", ALD_CASE)
    assert "la situation d'une personne sortie de détention le 30 septembre 2026" in mas
    _, ald = letter("ald_renewal", ALD_CASE)
    assert "La personne désignée ci-dessous est affiliée au CNPE" in ald
    assert "Madame, Monsieur le Médecin chef," in ald
    _, guide = letter("ame_filing_guide", IRREGULAR_CASE)
    assert "si vous êtes une personne mineure isolée, un enfant à charge" in guide


def test_aff_5_cpam_transfer_says_the_dependants_stayed_with_their_caisse():
    """AFF-5: during the écrou only the person's file moved to the CNPE; the letter to the CPAM
    says so and cites the rule."""
    rules, text = letter("cpam_transfer", ALD_CASE)
    assert "Ses ayants droit sont restés affiliés à leur caisse pendant l'écrou." in text
    assert "AFF-5" in rules


def test_rel_2_release_summary_says_how_to_replace_a_lost_carte_vitale():
    """REL-2: with a carte Vitale, the summary says to declare a loss, theft or change and ask
    for a new card on ameli.fr, and cites the rule."""
    rules, text = letter("release_summary", ALD_CASE)
    assert "Carte perdue, volée, ou votre situation change ? Déclarez-le" in text
    assert "sur ameli.fr" in text
    assert "REL-2" in rules


def test_ame_1_release_summary_in_mayotte_sends_to_no_cpam_and_no_ame():
    """AME-1: released in Mayotte without base rights: AME does not exist there; the summary
    neither asks for it nor sends the person to update a CPAM file (AFF-6, AFF-7)."""
    rules, text = letter("release_summary", MAYOTTE_CASE)
    assert rules == ["AFF-8", "AME-1", "REL-6"]
    assert "À Mayotte, l'aide médicale de l'État (AME) n'existe pas." in text
    assert "Caisse de sécurité sociale de Mayotte (CSSM)" in text
    assert "Contactez votre CPAM" not in text
    assert "demandez l'aide médicale" not in text

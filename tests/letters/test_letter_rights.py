"""« Vos droits à vérifier » in the release summary: the engine's rights_to_check in plain
French for the person (title, what the status means, the main steps, the C2S monthly total),
and in no other letter."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path

import pdfplumber

from cnpe_flow import db
from cnpe_flow.letters.context import DEFAULT_SENDER, LetterSource, build_context
from cnpe_flow.letters.operations import generate_letter
from cnpe_flow.letters.render import renderer
from cnpe_flow.people.household import update_household
from cnpe_flow.people.models import Person
from cnpe_flow.rules import evaluate

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
DAY = date(2026, 11, 23)
CASE = json.loads((SCENARIOS / "01-release-with-address.json").read_text(encoding="utf-8"))["case"]
PERSON = {
    "last_name": "Mercier",
    "first_name": "Samir",
    "nir": None,
    "ecrou_number": "24533",
    "birth_date": CASE["person"]["birth_date"],
    "residence_postcode": CASE["person"]["residence_postcode"],
}
#: what the engine gives for a household of four at 25 000 € a year (household-spec.md)
C2S = {
    "right": "c2s",
    "title": "Complémentaire santé solidaire (C2S)",
    "status": "likely",
    "summary": "C2S probable, avec une participation de 44,00 € par mois pour le foyer.",
    "conditions": [{"text": "Ressources sous le plafond", "met": True, "rules": ["C2S-1"]}],
    "steps": [
        "Remplir le formulaire de demande (S3711) en mentionnant tous les membres du foyer.",
        "La personne adresse la demande à la CPAM de son lieu de résidence.",
        "Déclarer les ressources des 12 derniers mois, avec les justificatifs.",
        "Joindre le dernier avis d'imposition.",
    ],
    "participation": {
        "reference_date": "2027-01-01",
        "members": [
            {"birth_date": "1984-06-12", "age": 42, "monthly": "14.00"},
            {"birth_date": "1986-09-03", "age": 40, "monthly": "14.00"},
            {"birth_date": "2014-03-20", "age": 12, "monthly": "8.00"},
            {"birth_date": "2018-11-05", "age": 8, "monthly": "8.00"},
        ],
        "total_monthly": "44.00",
    },
    "rules": ["C2S-1", "C2S-2", "C2S-3"],
    "parameters": ["c2s_participation@2019-11-01"],
}
ASS = {
    "right": "ass",
    "title": "Action sanitaire et sociale (ASS)",
    "status": "to_check",
    "summary": "Une aide ponctuelle de la caisse peut être demandée.",
    "conditions": [{"text": "Situation régulière", "met": None, "rules": ["ASS-1"]}],
    "steps": ["Demander le formulaire d'aide à la caisse."],
    "rules": ["ASS-1"],
    "parameters": [],
}
CAPITAL_DECES = {
    "right": "capital_deces",
    "title": "Capital décès",
    "status": "unlikely",
    "summary": "Conditions non remplies.",
    "conditions": [{"text": "Activité", "met": False, "rules": ["CD-1"]}],
    "steps": ["Vérifier les conditions."],
    "rules": ["CD-1"],
    "parameters": [],
}


C2S_FAMILY = {
    "members": [
        {"birth_date": "1986-09-03", "relation": "spouse"},
        {"birth_date": "2014-03-20", "relation": "child"},
        {"birth_date": "2018-11-05", "relation": "child"},
    ],
    "annual_resources": 25000,
    "rsa": False,
}


def source(rights):
    output = {**evaluate(CASE), "rights_to_check": rights}
    return LetterSource(PERSON, output, CASE["events"], DEFAULT_SENDER)


def pdf_text(kind, rights) -> str:
    pdf = renderer().pdf(kind, build_context(kind, source(rights)), DAY)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = "\n".join(page.extract_text() or "" for page in doc.pages)
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def test_c2s_2_the_release_summary_lists_the_rights_with_the_monthly_total():
    text = pdf_text("release_summary", [C2S, ASS, CAPITAL_DECES])
    assert "Vos droits à vérifier" in text
    assert "Complémentaire santé solidaire (C2S). Vous y avez probablement droit." in text
    assert "Participation à payer : 44,00 € par mois pour votre foyer." in text, "C2S-2"
    # the main steps (three), not the whole list of the case page
    assert "Remplir le formulaire de demande (S3711)" in text
    assert "Déclarer les ressources des 12 derniers mois" in text
    assert "Joindre le dernier avis d'imposition" not in text
    assert "Action sanitaire et sociale (ASS). Vous y avez peut-être droit : c'est à vérifier." in (
        text
    )
    assert "Une aide ponctuelle de la caisse peut être demandée." in text
    # a right judged unlikely is not offered to the person
    assert "Capital décès" not in text


def test_the_basis_cites_each_rights_eligibility_rule_and_c2s_2_for_the_amount():
    """Kept short so that the letter keeps its pages: C2S-1 and C2S-2 (the amount said), ASS-1;
    not the filing rules (C2S-3: the case page has them), not CD-1 (not in the letter)."""
    context = build_context("release_summary", source([C2S, ASS, CAPITAL_DECES]))
    cited = [r["id"] for r in context["rules"]]
    assert {"C2S-1", "C2S-2", "ASS-1"} <= set(cited)
    assert "C2S-3" not in cited and "CD-1" not in cited


def test_c2s_1_unknown_household_says_to_check_without_the_workers_words():
    """A C2S « à vérifier » (household not entered): the person reads that it is to be
    checked and how to ask for it, not « renseignez le foyer » meant for the worker."""
    unknown = {
        **C2S,
        "status": "to_check",
        "summary": "C2S possible : renseignez le foyer et ses ressources pour la vérifier.",
    }
    del unknown["participation"]
    text = pdf_text("release_summary", [unknown])
    assert (
        "Complémentaire santé solidaire (C2S). Vous y avez peut-être droit : c'est à vérifier."
        in (text)
    ), "C2S-1"
    assert "renseignez" not in text
    assert "Remplir le formulaire de demande (S3711)" in text


def test_ame_11_an_irregular_person_reads_about_the_soins_urgents_not_the_ame_twice():
    """After release without AME, the engine gives AME and soins urgents (AME-11): the letter
    already has the AME steps (AME-2 to AME-4), so its new section adds the soins urgents."""
    case = json.loads((SCENARIOS / "02-irregular-release.json").read_text(encoding="utf-8"))["case"]
    output = evaluate(case)
    assert {r["right"] for r in output["rights_to_check"]} >= {"ame", "soins_urgents"}
    context = build_context(
        "release_summary",
        LetterSource(
            {**PERSON, "birth_date": case["person"]["birth_date"]},
            output,
            case["events"],
            DEFAULT_SENDER,
        ),
    )
    assert [r["title"] for r in context["rights"]] == [
        "Soins urgents (dispositif soins urgents et vitaux)"
    ], "AME-11"
    assert "AME-11" in [r["id"] for r in context["rules"]]
    html = renderer().html("release_summary", context, DAY)
    assert html.count("Formulaire de demande d'AME") <= 1


def test_no_rights_no_section():
    text = pdf_text("release_summary", [])
    assert "Vos droits à vérifier" not in text
    assert "Vos droits à vérifier" not in pdf_text("release_summary", [CAPITAL_DECES])


def test_letters_of_other_kinds_do_not_carry_the_section():
    for kind in ("cpam_transfer", "mas_referral"):
        text = pdf_text(kind, [C2S, ASS])
        assert "droits à vérifier" not in text.lower(), kind
        assert not re.search(r"44,00 €", text), kind


def test_c2s_2_the_stored_letter_of_a_family_carries_the_section(app, make_user, make_person):
    """End to end: the household entered for a stored person reaches the release summary
    generated for them (title, status, monthly total, main steps)."""
    person = make_person(
        birth_date="1984-06-12",
        events=[
            {"type": "ecrou", "date": "2026-01-10", "establishment": "CP Liancourt"},
            {"type": "levee_ecrou", "date": "2026-11-13"},
        ],
    )
    spip = make_user("spip")
    with db.transaction(app) as s:
        stored = s.get(Person, person.id)
        household = {k: C2S_FAMILY[k] for k in ("members", "annual_resources", "rsa")}
        update_household(s, spip, stored, household, None)
        letter = generate_letter(s, spip, stored, "release_summary")
        pdf = letter.pdf
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = "\n".join(page.extract_text() or "" for page in doc.pages)
    flat = " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())
    assert "Vos droits à vérifier" in flat
    assert "Complémentaire santé solidaire (C2S). Vous y avez probablement droit." in flat
    assert "Participation à payer : 44,00 € par mois pour votre foyer." in flat, "C2S-2"
    assert "(S3711)" in flat, "C2S-3"
    # the relatives' right after a death (CD-1) is on the case page, not in this letter
    assert "Capital décès" not in flat and "CD-1" not in flat
    assert "AT/MP" not in flat and "invalidité" not in flat

"""« Droits à vérifier » on the case page and « Préparer la sortie »: each right with its French
status, its conditions (✓, ✗, « à vérifier »), its steps, the C2S participation per member and
in total (« 44,00 € par mois », C2S-2), its rules, and the link to the household form."""

from __future__ import annotations

import html
import re
from datetime import date
from types import SimpleNamespace

from flask import render_template

from cnpe_flow.auth.models import Role
from cnpe_flow.people.page_rights import euros, household_facts, right_row, rights_section

ECROU = {"type": "ecrou", "date": "2026-01-10", "establishment": "CP Liancourt"}
LEVEE = {"type": "levee_ecrou", "date": "2026-11-13"}
FAMILY = {
    "members": [
        {"birth_date": "1986-09-03", "relation": "spouse"},
        {"birth_date": "2014-03-20", "relation": "child"},
        {"birth_date": "2018-11-05", "relation": "child"},
    ],
    "annual_resources": 25000,
    "rsa": False,
    "in_france_since": None,
}
C2S = {
    "right": "c2s",
    "title": "Complémentaire santé solidaire (C2S)",
    "status": "likely",
    "summary": "C2S probable, avec une participation de 44,00 € par mois pour le foyer.",
    "conditions": [
        {"text": "Droits à l'assurance maladie de base.", "met": True, "rules": ["C2S-1"]},
        {"text": "Ressources sous le plafond avec participation.", "met": True, "rules": []},
        {"text": "Pas de pension alimentaire.", "met": None, "rules": ["C2S-4"]},
        {"text": "Foyer au RSA.", "met": False, "rules": ["C2S-5"]},
    ],
    "steps": ["Remplir le formulaire S3711.", "L'adresser à la CPAM de résidence."],
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
AME = {
    "right": "ame",
    "title": "Aide médicale de l'État (AME)",
    "status": "to_check",
    "summary": "AME possible : la durée de présence en France est à vérifier.",
    "conditions": [{"text": "Présence en France depuis 3 mois.", "met": None, "rules": ["AME-1"]}],
    "steps": [],
    "rules": ["AME-1"],
    "parameters": [],
}


def person(**fields):
    base = {
        "id": 7,
        "birth_date": date(1984, 6, 12),
        "residence_status": "regular",
        "household": FAMILY,
    }
    return SimpleNamespace(**{**base, **fields})


def text_of(markup: str) -> str:
    plain = html.unescape(re.sub(r"<[^>]+>", " ", markup))
    return " ".join(plain.replace("\u00a0", " ").split())


def test_amounts_are_written_in_french():
    assert euros("21.00") == "21,00\u00a0€"
    assert euros(25000) == "25\u00a0000,00\u00a0€"
    assert euros("8.5") == "8,50\u00a0€"


def test_c2s_2_participation_per_member_and_total():
    row = right_row(C2S, person())
    assert (row.status_label, row.status_class) == ("probable", "ok")
    assert [(p.who, p.birth_date, p.age, p.monthly) for p in row.participation] == [
        ("la personne", "12/06/1984", 42, "14,00\u00a0€"),
        ("conjoint·e", "03/09/1986", 40, "14,00\u00a0€"),
        ("enfant", "20/03/2014", 12, "8,00\u00a0€"),
        ("enfant", "05/11/2018", 8, "8,00\u00a0€"),
    ], "C2S-2"
    assert (row.total_monthly, row.age_date) == ("44,00\u00a0€", "01/01/2027")
    assert [c.mark for c in row.conditions] == ["✓", "✓", "« à vérifier »", "✗"]
    assert [r.rule_id for r in row.reasons] == ["C2S-1", "C2S-2", "C2S-3"]


def test_status_labels_are_french_and_unknown_is_never_guessed():
    assert right_row(AME, person()).status_label == "à vérifier"
    assert right_row({**AME, "status": "unlikely"}, person()).status_label == "peu probable"
    assert right_row(AME, person()).conditions[0].words == "à vérifier"


def test_household_facts_say_what_is_unknown():
    assert household_facts(person()) == [
        ("Composition du foyer", "4 personnes (la personne, 1 conjoint·e, 2 enfants)"),
        ("Ressources annuelles du foyer", "25\u00a0000,00\u00a0€"),
        ("RSA", "non"),
    ]
    unknown = household_facts(person(household=None, residence_status="irregular"))
    assert unknown == [
        ("Composition du foyer", "non renseignée"),
        ("Ressources annuelles du foyer", "non renseignées"),
        ("RSA", "non renseigné"),
        ("Présent·e en France depuis", "non renseigné"),
    ]
    alone = household_facts(person(household={**FAMILY, "members": []}))
    assert alone[0] == ("Composition du foyer", "la personne vit seule")


def _partial(app, role: str, rights: list[dict], **who) -> str:
    reader = SimpleNamespace(role=role)
    subject = person(**who)
    page = SimpleNamespace(rights=rights_section(reader, subject, {"rights_to_check": rights}))
    with app.test_request_context():
        return render_template("people/_rights.html", page=page, person=subject)


def test_the_section_shows_each_right_with_its_conditions_steps_and_rules(app):
    markup = _partial(app, Role.SPIP, [C2S, AME])
    text = text_of(markup)
    assert "Droits à vérifier" in text
    assert "Complémentaire santé solidaire (C2S) probable" in text
    assert "Aide médicale de l'État (AME) à vérifier" in text
    assert "✓ condition remplie : Droits à l'assurance maladie de base. C2S-1" in text
    assert "✗ condition non remplie : Foyer au RSA. C2S-5" in text
    assert "« à vérifier » à vérifier : Pas de pension alimentaire. C2S-4" in text
    assert "la personne 12/06/1984 42 ans 14,00 €" in text
    assert "Total pour le foyer 44,00 € par mois" in text, "C2S-2"
    assert "Remplir le formulaire S3711." in text
    assert "Règles (C2S-1, C2S-2, C2S-3)" in text
    assert 'href="/personnes/7/foyer"' in markup
    assert "Renseigner le foyer et les ressources" in text


def test_the_usmp_gets_a_link_to_read_and_nothing_shown_is_invented(app):
    text = text_of(_partial(app, Role.USMP, [], household=None))
    assert "Voir le foyer et les ressources" in text
    assert "Renseigner le foyer" not in text
    assert "Foyer et ressources non renseignés" in text
    assert "Aucun droit à vérifier pour l'instant." in text


def test_case_and_release_pages_include_the_section(client, make_user, make_person, login, section):
    subject = make_person(events=[ECROU, LEVEE])
    login(client, make_user("spip"))
    for url in (f"/personnes/{subject.id}", f"/personnes/{subject.id}/sortie"):
        page = client.get(url)
        assert page.status_code == 200, url
        part = section(page.get_data(as_text=True), "titre-droits")
        assert "Renseigner le foyer et les ressources" in text_of(part), url
        assert f'href="/personnes/{subject.id}/foyer"' in part, url


def test_c2s_2_a_family_entered_on_the_form_shows_its_participation_on_both_pages(
    client, make_user, make_person, login, section
):
    """The demo-like household (a spouse and two children, 25 000 € a year for four people):
    between the free C2S ceiling and the one with participation (C2S-1), so the participation
    per member and its total (C2S-2) show on the case page and on « Préparer la sortie »."""
    subject = make_person(birth_date="1984-06-12", events=[ECROU, LEVEE])
    login(client, make_user("spip"))
    page = client.get(f"/personnes/{subject.id}/foyer").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    saved = client.form(
        f"/personnes/{subject.id}/foyer",
        {
            "version": version,
            "members-0-birth_date": "03/09/1986",
            "members-0-relation": "spouse",
            "members-1-birth_date": "20/03/2014",
            "members-1-relation": "child",
            "members-2-birth_date": "05/11/2018",
            "members-2-relation": "child",
            "annual_resources": "25 000",
            "rsa": "non",
        },
    )
    assert saved.status_code == 303
    for url in (f"/personnes/{subject.id}", f"/personnes/{subject.id}/sortie"):
        text = text_of(section(client.get(url).get_data(as_text=True), "titre-droits"))
        assert "4 personnes (la personne, 1 conjoint·e, 2 enfants)" in text, url
        assert "Complémentaire santé solidaire (C2S) probable" in text, url
        assert "la personne 12/06/1984 41 ans 14,00 €" in text, url
        assert "conjoint·e 03/09/1986 39 ans 14,00 €" in text, url
        assert "enfant 05/11/2018 7 ans 8,00 €" in text, url
        assert "Total pour le foyer 44,00 € par mois" in text, f"C2S-2 on {url}"
        assert "S3711" in text, f"C2S-3 on {url}"
        assert "✓" in text and "C2S-2" in text, url
        # CD-1 is shown with its neutral words: its catalogue text names health pensions
        assert "Capital décès (pour les proches) à vérifier" in text, f"CD-1 on {url}"
        assert "AT/MP" not in text and "invalidité" not in text, url


def test_without_a_household_the_c2s_stays_to_check(client, make_user, make_person, login, section):
    """Unknown facts are never guessed (C2S-1): the right is « à vérifier », no amount shown."""
    subject = make_person(events=[ECROU, LEVEE])
    login(client, make_user("usmp"))
    text = text_of(
        section(client.get(f"/personnes/{subject.id}").get_data(as_text=True), "titre-droits")
    )
    assert "Complémentaire santé solidaire (C2S) à vérifier" in text, "C2S-1"
    assert "« à vérifier »" in text
    assert "par mois" not in text
    assert "Voir le foyer et les ressources" in text

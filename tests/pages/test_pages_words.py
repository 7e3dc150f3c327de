"""The case and release pages in words a SPIP worker reads: the end of a PUMa maintenance and
what to do then, the AME waiting period, no CPAM transfer for a person without rights, and no
internal parameter or file name anywhere in the reasons."""

from __future__ import annotations

import html
import re

LIANCOURT = "Centre pénitentiaire de Liancourt"
ECROU = {"type": "ecrou", "date": "2023-06-05", "establishment": LIANCOURT}
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_puma_2_puma_3_the_period_after_the_maintenance_says_it_ended_and_what_to_do(
    client, login, make_user, make_person, section
):
    """PUMA-2, PUMA-3: released 04/09/2023, permit expired 15/03/2024: rights kept to
    29/10/2024; from 30/10/2024 no cover, the maintenance has ended, AME from 15/09/2024."""
    person = make_person(
        events=[
            ECROU,
            {"type": "levee_ecrou", "date": "2023-09-04"},
            {"type": "residence_permit_expiry", "date": "2024-03-15"},
        ]
    )
    login(client, make_user("spip"))
    frise = text_of(
        section(client.get(f"/personnes/{person.id}").get_data(as_text=True), "titre-frise")
    )
    assert "Depuis le 30/10/2024 : Aucune couverture de base (maintien des droits terminé)" in frise
    assert "a pris fin le 29/10/2024" in frise
    assert "demander l'AME à la CPAM du lieu de résidence, possible à partir du 15/09/2024" in frise
    assert "droits maintenus jusqu'au 29/10/2024" in frise


def test_ame_9_the_ame_period_says_its_waiting_period(
    client, login, make_user, make_person, section
):
    """AME-9: AME granted on 01/02/2024 (first grant, code 04): certain non-urgent care after
    9 months, the waiting period runs to 31/10/2024 inclusive."""
    person = make_person(
        residence_status="irregular",
        events=[
            ECROU,
            {"type": "levee_ecrou", "date": "2024-01-15"},
            {"type": "ame_filed", "date": "2024-02-01", "complete": True},
            {"type": "ame_granted", "date": "2024-02-01"},
        ],
    )
    login(client, make_user("spip"))
    frise = text_of(
        section(client.get(f"/personnes/{person.id}").get_data(as_text=True), "titre-frise")
    )
    assert (
        "AME-9 délai de carence de 9 mois pour certains soins non urgents, jusqu'au 31/10/2024"
        in frise
    )


def test_aff_8_release_page_of_an_irregular_person_promises_no_transfer(
    client, login, make_user, make_person, section
):
    """AFF-8, AME-2: an address given by a person without rights after release is not where a
    file is transferred: the page says so and does not cite AFF-6."""
    person = make_person(
        residence_status="irregular",
        events=[ECROU, {"type": "planned_release", "date": "2026-12-18"}],
    )
    login(client, make_user("spip"))
    page = client.get(f"/personnes/{person.id}/sortie").get_data(as_text=True)
    address = text_of(section(page, "titre-date").split("<h3>Adresse de sortie</h3>")[1])
    assert "le dossier est transféré" not in address
    assert "pas de transfert du dossier" in address
    assert "AFF-8" in address and "AME-2" in address and "AFF-6" not in address


def test_reasons_on_the_case_page_name_no_parameter_and_no_seed_file(
    client, login, make_user, make_person
):
    """REL-1: the reasons read « dépliant CNPE … », never ``000_….txt`` nor a parameter."""
    person = make_person(events=[ECROU, {"type": "levee_ecrou", "date": "2026-10-01"}])
    login(client, make_user("spip"))
    page = client.get(f"/personnes/{person.id}").get_data(as_text=True)
    reasons = " ".join(re.findall(r'<ul class="reasons">.*?</ul>', page, re.DOTALL))
    words = text_of(reasons)
    assert "REL-1" in words and "dépliant CNPE (après le 01/04/2023)" in words
    assert ".txt" not in words and "@" not in words
    assert SNAKE.findall(words) == []

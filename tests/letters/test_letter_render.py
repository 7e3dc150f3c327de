"""Letters rendered from the scenarios without a database: what each letter says (names, dates,
addresses, phone, rule IDs), window-envelope privacy, deterministic bytes, the locked-down
asset fetcher."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pdfplumber
import pytest
from contract import GRADIGNAN, ecrou, levee

from cnpe_flow import create_app
from cnpe_flow.config import ConfigError
from cnpe_flow.letters.context import DEFAULT_SENDER, LetterSource, build_context
from cnpe_flow.letters.envelope import WINDOW_MM, private_words_in
from cnpe_flow.letters.kinds import LETTERS_DIR, letter_kinds
from cnpe_flow.letters.packet import packet_contexts
from cnpe_flow.letters.render import LetterAssetFetcher, LetterAssetRefused, renderer
from cnpe_flow.letters.sender import parse_sender
from cnpe_flow.rules import evaluate

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
DAY = date(2026, 11, 23)
IDENTITY = {
    "last_name": "Durand",
    "first_name": "Alex",
    "nir": "185036012345678",
    "ecrou_number": "24581",
}


def source_for(case, **identity):
    person = {
        **IDENTITY,
        "birth_date": case["person"]["birth_date"],
        "residence_postcode": case["person"]["residence_postcode"],
        **identity,
    }
    return LetterSource(person, evaluate(case), case["events"], DEFAULT_SENDER)


def scenario(name):
    return json.loads((SCENARIOS / f"{name}.json").read_text(encoding="utf-8"))["case"]


def pdf_text(pdf):
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def window_text(pdf):
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return doc.pages[0].crop(WINDOW_MM.points()).extract_text() or ""


def render(kind, source):
    return renderer().pdf(kind, build_context(kind, source), DAY)


ALD_CASE = scenario("08-ald-semi-liberte-with-work")
IRREGULAR_CASE = scenario("02-irregular-release")
NO_ADDRESS_CASE = scenario("03-no-address")


def test_release_summary_says_who_covers_from_when_and_what_to_do_by_when():
    """AFF-6, AFF-7, REL-1, REL-3, REL-6: CPAM of residence from the levée with its address,
    carte Vitale from levée + 10 days with the leaflet's sentence, MAS, CNPE phone and hours."""
    text = pdf_text(render("release_summary", source_for(ALD_CASE)))
    flat = " ".join(text.split())
    assert "Alex DURAND" in flat
    assert "À partir du 30 septembre 2026, c'est la caisse d'assurance maladie (CPAM)" in flat
    assert "CPAM de l'Oise 1 rue de Savoie BP 30326 60013 Beauvais Cedex" in flat
    assert "Mettez à jour votre carte Vitale à partir du 10 octobre 2026" in flat
    assert (
        "il est invité, à la mettre à jour dans un délai de 10 jours minimum après sa sortie"
        in flat
    )
    assert "Mission accompagnement santé" in flat
    assert "09 74 75 75 50" in flat
    assert "de 9 h à 12 h et de 13 h 30 à 16 h 30" in flat
    # Addressed to the person: the law in words, never the rule IDs (issue 9).
    assert "Sur quelle base ?" not in flat
    assert not any(rule in flat for rule in ("AFF-6", "AFF-7", "REL-1", "REL-3", "REL-6"))
    assert "article L. 161-31 du code de la sécurité sociale (carte Vitale)" in flat
    assert "page 1 / 2" in flat


def test_release_summary_without_address_sends_the_person_to_the_cpam():
    """AFF-6: no address given, no transfer: the person goes to their CPAM themselves."""
    flat = " ".join(pdf_text(render("release_summary", source_for(NO_ADDRESS_CASE))).split())
    assert "Vous n'avez pas donné d'adresse : votre dossier n'est pas transmis" in flat
    assert "à partir du 10 juin 2026" in flat


def test_release_summary_of_an_irregular_person_asks_for_ame_in_person_with_documents():
    """AFF-8, AME-2, AME-3, AME-4: no cover after release; AME filed in person at the CPAM,
    France services or PASS, with the document list; no MAS."""
    flat = " ".join(pdf_text(render("release_summary", source_for(IRREGULAR_CASE))).split())
    assert "À partir du 20 avril 2026, vous n'avez plus d'assurance maladie" in flat
    assert "Demandez l'AME dès votre sortie, le 20 avril 2026" in flat
    assert "en personne" in flat
    assert "France services" in flat and "PASS" in flat
    assert "S3720" in flat
    assert "CPAM de la Seine-Saint-Denis" in flat
    assert "Mission accompagnement santé" not in flat
    assert not any(rule in flat for rule in ("AFF-8", "AME-2", "AME-3", "AME-4"))
    assert "article L. 381-30 du code de la sécurité sociale" in flat
    assert "article L. 251-1 du code de l'action sociale et des familles" in flat


def test_ame_filing_guide_explains_ame_and_lists_the_checklist():
    """AME-1, AME-2, AME-3, AME-4, AME-10: what AME is, nothing during detention, in person,
    where, the documents with their date window, who counts in the household."""
    flat = " ".join(pdf_text(render("ame_filing_guide", source_for(IRREGULAR_CASE))).split())
    assert "Pendant la détention, aucune demande d'AME n'est possible" in flat
    assert "en personne" in flat and "un espace France services" in flat
    assert "S3720, cerfa n° 11573" in flat
    assert "entre le 21/04/2025 et le 19/01/2026 inclus" in flat
    assert "enfants de moins de 18 ans" in flat and "depuis plus de 12 mois" in flat
    assert "CPAM de la Seine-Saint-Denis CPAM 93 CS 60300 93018 Bobigny Cedex" in flat
    assert not any(rule in flat for rule in ("AME-2", "AME-3", "AME-4", "AME-10"))
    assert "article L. 251-1 du code de l'action sociale et des familles" in flat


def test_cpam_transfer_is_addressed_to_the_cpam_of_residence_with_the_stay():
    """AFF-6: the CPAM of residence from the reference data, the person, the stay."""
    pdf = render("cpam_transfer", source_for(ALD_CASE))
    flat = " ".join(pdf_text(pdf).split())
    assert "CPAM de l'Oise 1 rue de Savoie BP 30326 60013 Beauvais Cedex" in " ".join(
        window_text(pdf).split()
    )
    assert "185036012345678" in flat
    assert "Centre pénitentiaire de Liancourt" in flat
    assert "du 10/01/2026 au 14/06/2026 : CNPE" in flat
    assert "depuis le 30/09/2026 : CPAM de résidence" in flat
    assert "AFF-6" in flat


@pytest.mark.parametrize(
    ("establishment", "address"),
    [
        (
            "Centre pénitentiaire de Liancourt",
            "Caisse primaire d’Assurance Maladie de l’Oise 1 rue de Savoie BP 30326 60013 BEAUVAIS Cedex",
        ),
        (
            GRADIGNAN,
            "Caisse primaire d’Assurance Maladie du Lot 238 rue Hautesserre 46015 CAHORS Cedex 9",
        ),
    ],
)
def test_ald_renewal_goes_to_the_pole_of_the_establishment(establishment, address):
    """ALD-2: the médecin chef of the NORD pole (Beauvais) or the SUD pole (Cahors)."""
    case = {
        "as_of": "2026-11-23",
        "person": {**ALD_CASE["person"]},
        "events": [ecrou("2026-01-10", establishment), levee("2026-09-30")],
    }
    pdf = render("ald_renewal", source_for(case))
    window = " ".join(window_text(pdf).split())
    assert "M. le Médecin chef de l’Échelon Local du Service Médical" in window
    assert address in window
    flat = " ".join(pdf_text(pdf).split())
    assert establishment in flat and "ALD-2" in flat


def test_mas_referral_has_the_five_entry_problems_and_a_consent_block():
    """REL-5: the saisine lists the five entry problems to tick and the person's consent."""
    source = source_for(ALD_CASE)
    ticked = LetterSource(
        source.person,
        source.output,
        source.events,
        source.sender,
        {"problems": ["digital", "rights"], "consent_date": "2026-10-02"},
    )
    flat = " ".join(pdf_text(render("mas_referral", ticked)).split())
    assert "☒ Difficultés d'accès aux droits" in flat
    assert "☐ Renoncement ou difficultés d'accès aux soins" in flat
    assert "☐ Renoncement ou difficultés d'accès à des soins liés à un handicap" in flat
    assert "☒ Fragilité face au numérique" in flat
    assert "☐ Situation sociale complexe" in flat
    assert "Consentement de la personne" in flat
    assert "Consentement recueilli le 2 octobre 2026" in flat
    assert "Signature de la personne" in flat
    assert "REL-5" in flat and "REL-4" in flat


def test_cnpe_amenagement_lists_the_changes_and_the_documents_to_attach():
    """AFF-11: the measure and the activity start, the billet de sortie or judgment, and the
    payslip or contract because there was work; sent to the CNPE pole of the establishment."""
    pdf = render("cnpe_amenagement", source_for(ALD_CASE))
    flat = " ".join(pdf_text(pdf).split())
    assert "01/06/2026 : Aménagement de peine : semi-liberté" in flat
    assert "15/06/2026 : Début d'activité : activité professionnelle" in flat
    assert "billet de sortie ou copie du jugement" in flat
    assert "Premier bulletin de salaire ou contrat de travail" in flat
    assert "N° d'écrou 24581" in flat
    assert "Pôle inter-régional Nord du CNPE" in " ".join(window_text(pdf).split())
    assert "AFF-11" in flat


PERSON_LETTERS = [
    ("release_summary", ALD_CASE),
    ("release_summary", IRREGULAR_CASE),
    ("release_summary", NO_ADDRESS_CASE),
    ("ame_filing_guide", IRREGULAR_CASE),
]


@pytest.mark.parametrize(("kind", "case"), PERSON_LETTERS)
def test_nothing_revealing_custody_or_health_shows_through_the_envelope_window(kind, case):
    """Window-envelope privacy: inside the window of page 1 only the person's name and
    address show, never a word about custody or health nor the establishment."""
    pdf = render(kind, source_for(case))
    window = window_text(pdf)
    establishment = case["events"][0]["establishment"]
    assert "Alex DURAND" in window
    assert private_words_in(window) == []
    assert establishment not in window
    assert "Objet" not in window


def test_every_letter_addressed_to_the_person_is_in_the_window_test():
    """Window-envelope privacy: the list above covers every kind marked ``to_person``."""
    to_person = {k for k, meta in letter_kinds().items() if meta.to_person}
    assert to_person == {kind for kind, _ in PERSON_LETTERS}


def test_same_context_and_date_give_the_same_bytes():
    """A letter or a packet copy generated twice from the same data is the same document (no
    random ID)."""
    source = source_for(ALD_CASE)
    first = render("release_summary", source)
    second = render("release_summary", source)
    assert first == second
    parts = [(k, build_context(k, source), DAY) for k in ("release_summary",)]
    cover, _ = packet_contexts(source, [(k, c) for k, c, _ in parts], [])["packet"]
    assert renderer().packet_pdf("packet", cover, parts, DAY) == renderer().packet_pdf(
        "packet", cover, parts, DAY
    )


def test_the_pdf_carries_the_letter_date_as_creation_date():
    pdf = render("release_summary", source_for(ALD_CASE))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert doc.metadata["CreationDate"].startswith("D:20261123")


def test_the_fetcher_serves_letter_assets_only():
    """Rendering never reads the host's files or the network: only ``letters/`` fonts and CSS."""
    fetcher = LetterAssetFetcher(LETTERS_DIR)
    font = (LETTERS_DIR / "fonts" / "DejaVuSans.ttf").as_uri()
    assert fetcher.fetch(font).read()[:4] == b"\x00\x01\x00\x00"
    refused = [
        "file:///etc/passwd",
        "file:///dev/urandom",
        (LETTERS_DIR / "fonts" / ".." / ".." / "pyproject.toml").as_uri(),
        (LETTERS_DIR / "release_summary" / "template.html").as_uri(),
        "https://example.org/style.css",
        "data:text/css,body{}",
    ]
    assert [fetcher.local_path(url) for url in refused] == [None] * len(refused)
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")


def test_a_letter_asking_for_a_foreign_file_is_not_rendered():
    """A template that tried to load a host file stops the rendering instead of reading it."""
    with pytest.raises(LetterAssetRefused):
        renderer().pdf_from_html(
            "release_summary", '<img src="file:///etc/hostname"><p>Bonjour</p>'
        )


def test_the_shipped_font_is_embedded():
    """Fonts come from ``letters/fonts`` through ``@font-face`` (named "Lettre Sans" in the
    PDF), not from whatever the host has installed (which would be named after its family)."""
    pdf = render("release_summary", source_for(ALD_CASE))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        fonts = {c["fontname"].split("+")[-1] for c in doc.pages[0].chars}
    assert fonts == {"Lettre-Sans", "Lettre-Sans-Bold"}


def test_context_values_are_escaped():
    """A name with markup is printed as text, not interpreted (autoescape in the sandbox)."""
    source = source_for(ALD_CASE, last_name="<b>Durand</b>")
    flat = " ".join(pdf_text(render("release_summary", source)).split())
    assert "Alex <B>DURAND</B>" in flat


def test_the_sender_is_configurable_and_must_stay_neutral(tmp_path):
    """The return address may show on the envelope: a sender naming the prison service stops
    the application at start-up."""
    assert parse_sender("Service social\n12 rue de la Gare\n60000 Beauvais") == {
        "name": "Service social",
        "lines": ["12 rue de la Gare", "60000 Beauvais"],
    }
    with pytest.raises(ConfigError) as exc:
        create_app(
            {
                "SECRET_KEY": "x",
                "DATABASE_URL": "sqlite://",
                "INSTANCE_PATH": str(tmp_path),
                "LETTER_SENDER": {"name": "SPIP de l'Oise", "lines": ["Antenne pénitentiaire"]},
            }
        )
    assert "SPIP" in str(exc.value) and "pénitentiaire" in str(exc.value)


RELEASE_ADDRESSES = [
    (
        {
            "kind": "personal",
            "care_of": None,
            "lines": ["12 rue des Lilas"],
            "postcode": "60100",
            "city": "Creil",
        },
        ["Alex DURAND", "12 rue des Lilas", "60100 CREIL"],
    ),
    (
        {
            "kind": "hosted",
            "care_of": "Nadia Benali",
            "lines": ["3 allée des Roses", "Bât. B"],
            "postcode": "60180",
            "city": "Nogent-sur-Oise",
        },
        [
            "Alex DURAND",
            "chez Nadia Benali",
            "3 allée des Roses",
            "Bât. B",
            "60180 NOGENT-SUR-OISE",
        ],
    ),
    (
        {
            "kind": "domiciliation",
            "care_of": "CCAS de Creil",
            "lines": ["Place de l'Hôtel de Ville"],
            "postcode": "60100",
            "city": "Creil",
        },
        ["Alex DURAND", "c/o CCAS de Creil", "Place de l'Hôtel de Ville", "60100 CREIL"],
    ),
]


@pytest.mark.parametrize(("address", "block"), RELEASE_ADDRESSES)
@pytest.mark.parametrize("kind", ["release_summary", "ame_filing_guide"])
def test_the_release_address_shows_in_the_window_without_dotted_lines(kind, address, block):
    """Issue 9: the release address (personal, hosted « chez », domiciliation « c/o ») is printed
    in the envelope window, line by line, with nothing to fill in by hand."""
    case = IRREGULAR_CASE if kind == "ame_filing_guide" else ALD_CASE
    pdf = render(kind, source_for(case, release_address=address))
    lines = [" ".join(x.split()) for x in window_text(pdf).splitlines() if x.strip()]
    assert lines == block
    assert private_words_in(" ".join(lines)) == []


def test_without_a_release_address_the_window_keeps_dotted_lines_for_the_hand():
    pdf = render("release_summary", source_for(ALD_CASE))
    assert "……" in window_text(pdf)

"""From a residence postcode to the caisse to write to."""

from __future__ import annotations

import pytest

from cnpe_flow.reference import (
    ReferenceDataError,
    cpam_for_departement,
    cpam_for_postcode,
    departement_for_postcode,
    load_cpam,
)
from cnpe_flow.reference._tables import read_table


@pytest.mark.parametrize(
    ("postcode", "departement"),
    [
        ("60000", "60"),
        ("75011", "75"),
        ("01000", "01"),
        ("20090", "2A"),  # Ajaccio
        ("20199", "2A"),
        ("20200", "2B"),  # Bastia
        ("20600", "2B"),
        ("97400", "974"),
        ("97600", "976"),
        ("97133", "971"),  # Saint-Barthélemy: Guadeloupe postcode range
        ("98800", "988"),
        (" 75 011 ", "75"),
        ("abcde", None),
        ("", None),
        ("7501", None),
        ("750111", None),
        ("00123", None),
        ("96000", None),
        ("97700", None),
        ("98000", None),  # Monaco
        ("20702", None),  # a CEDEX code, not a residence postcode
        ("７５０１１", None),  # full-width digits are not a postcode
    ],
)
def test_departement_for_postcode(postcode: str, departement: str | None) -> None:
    assert departement_for_postcode(postcode) == departement


def test_oise_postcode_gives_the_cpam_de_l_oise_with_its_address() -> None:
    match = cpam_for_postcode("60000")
    assert match.departement == "60"
    assert not match.ambiguous
    assert [caisse.name for caisse in match.candidates] == ["CPAM de l'Oise"]
    oise = match.candidates[0]
    assert oise.address_known
    assert oise.address_lines() == [
        "CPAM de l'Oise",
        "1 rue de Savoie",
        "BP 30326",
        "60013 Beauvais Cedex",
    ]


def test_paris_postcode_gives_the_paris_cpam() -> None:
    match = cpam_for_postcode("75011")
    assert match.departement == "75"
    assert len(match.candidates) == 1
    assert "Paris" in match.candidates[0].name
    assert match.candidates[0].address_lines()[-1] == "75948 Paris Cedex 19"
    assert match.note == ""


def test_corsica() -> None:
    assert cpam_for_postcode("20090").candidates[0].name == "CPAM de la Corse-du-Sud"
    haute_corse = cpam_for_postcode("20200")
    assert haute_corse.candidates[0].name == "CPAM de la Haute-Corse"
    # Its address is not in our sources: the lookup says so instead of printing a marker.
    assert not haute_corse.candidates[0].address_known
    assert haute_corse.candidates[0].address_lines() == []
    assert "inconnue" in haute_corse.note


def test_reunion_gives_the_cgss() -> None:
    match = cpam_for_postcode("97400")
    assert match.departement == "974"
    assert [caisse.name for caisse in match.candidates] == ["CGSS de La Réunion"]


@pytest.mark.parametrize(
    ("postcode", "count"), [("59000", 5), ("62000", 2), ("64000", 2), ("76000", 2)]
)
def test_departements_with_several_caisses_are_ambiguous(postcode: str, count: int) -> None:
    match = cpam_for_postcode(postcode)
    assert match.ambiguous
    assert len(match.candidates) == count
    assert "plusieurs caisses" in match.note
    assert "ameli.fr" in match.note
    assert "reference-data §3" in match.note


def test_nord_note_names_the_caisse_without_address() -> None:
    note = cpam_for_postcode("59000").note
    assert "CPAM de Lille-Douai (site de Lille)" in note
    assert "Adresse postale inconnue pour : CPAM des Flandres" in note


@pytest.mark.parametrize("postcode", ["abcde", "00000", "98000", ""])
def test_no_departement_no_caisse(postcode: str) -> None:
    match = cpam_for_postcode(postcode)
    assert match.departement is None
    assert match.candidates == ()
    assert not match.ambiguous
    assert match.note


def test_collectivites_with_their_own_system_have_no_cpam() -> None:
    match = cpam_for_postcode("98800")
    assert match.departement == "988"
    assert match.candidates == ()
    assert "propre régime" in match.note


def test_mayotte_caisse_is_known_but_not_its_address() -> None:
    match = cpam_for_postcode("97600")
    assert [caisse.departement for caisse in match.candidates] == ["976"]
    assert not match.candidates[0].address_known
    assert "inconnue" in match.note


def test_every_departement_has_a_caisse() -> None:
    metropole = [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"]
    for departement in [*metropole, "971", "972", "973", "974", "976"]:
        assert cpam_for_departement(departement), departement


def test_table_rows_are_consistent() -> None:
    rows = load_cpam()
    assert len(rows) == 108
    for caisse in rows:
        assert caisse.name and caisse.source
        if caisse.address_known:
            assert len(caisse.postcode) == 5 and caisse.postcode.isdigit(), caisse.name
            assert "[" not in caisse.address, caisse.name
        else:
            # Unknown addresses are explicit, never a "[non trouvé]" left in the address.
            assert caisse.address == ""
            assert "adresse postale inconnue" in caisse.note, caisse.name


def test_lookup_is_cached() -> None:
    assert cpam_for_postcode("75011") is cpam_for_postcode("75011")


def test_a_table_with_unexpected_columns_is_refused() -> None:
    # A hand edit that breaks the header fails at load time with a clear message.
    with pytest.raises(ReferenceDataError, match=r"regenerate with tools/build_reference\.py"):
        read_table("cpam.csv", ("departement", "name"))


def test_99xxx_is_not_a_residence_postcode():
    """AFF-6: a postcode outside départements 01-95 (99 = abroad for INSEE) gives no CPAM."""
    assert departement_for_postcode("99999") is None
    assert departement_for_postcode("95000") == "95"

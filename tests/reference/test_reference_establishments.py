"""Finding an establishment as people write it, and its (hypothetical) CNPE pole."""

from __future__ import annotations

import dataclasses
import re

import pytest

from cnpe_flow.reference import (
    POLE_NORD,
    POLE_OUTSIDE_CNPE,
    POLE_SUD,
    POLE_UNKNOWN,
    POLES,
    find_establishment,
    load_establishments,
    normalize_establishment_name,
    suggest_establishments,
)
from cnpe_flow.reference import establishments as establishments_module


def code_of(text: str) -> str | None:
    found = find_establishment(text)
    return found.code if found is not None else None


@pytest.mark.parametrize(
    "text",
    [
        "Centre pénitentiaire de Fresnes",
        "CP Fresnes",
        "cp de fresnes",
        "CENTRE PENITENTIAIRE DE FRESNES",
        "CP FRESNES",  # DGAP label
        "CP-FRESNES",  # code
        "  C.P. de Fresnes ",
        "Fresnes (CP)",
    ],
)
def test_fresnes_variants_all_find_the_same_row(text: str) -> None:
    found = find_establishment(text)
    assert found is not None
    assert found.code == "CP-FRESNES"
    assert found.name == "Centre pénitentiaire de Fresnes"
    assert found.departement == "94"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("MA de Versailles", "MA-VERSAILLES"),
        ("M.A. de Versailles", "MA-VERSAILLES"),
        ("maison d'arrêt de Versailles", "MA-VERSAILLES"),
        ("Maison d’arrêt du Puy-en-Velay", "MA-LE-PUY-EN-VELAY"),
        ("CD Bédenac", "CD-BEDENAC"),
        ("centre de detention de bedenac", "CD-BEDENAC"),
        ("MC Poissy", "MC-POISSY"),
        ("Maison centrale de Poissy", "MC-POISSY"),
        ("CSL Gagny", "CSL-GAGNY"),
        ("Centre de semi-liberté de Gagny", "CSL-GAGNY"),
        ("EPM Porcheville", "EPM-PORCHEVILLE"),
        ("Établissement pénitentiaire pour mineurs de Porcheville", "EPM-PORCHEVILLE"),
        ("MC St Martin de Ré", "MC-ST-MARTIN-DE-RE"),
        ("Maison centrale de Saint-Martin-de-Ré", "MC-ST-MARTIN-DE-RE"),
        ("CP Lille Annœullin", "CP-LILLE-ANNOEULLIN"),
        ("CP Bois d'Arcy", "CP-BOIS-D-ARCY"),
        ("Centre pénitentiaire de Fleury-Mérogis", "CP-FLEURY-MEROGIS"),
        ("cp fleury merogis", "CP-FLEURY-MEROGIS"),
    ],
)
def test_abbreviations_and_spellings(text: str, code: str) -> None:
    assert code_of(text) == code


def test_type_is_part_of_the_name() -> None:
    # Besançon has a maison d'arrêt and a centre de semi-liberté: the type decides.
    assert code_of("Maison d'arrêt de Besançon") == "MA-BESANCON"
    assert code_of("CSL de Besançon") == "CSL-BESANCON"
    assert code_of("Besançon") is None
    assert set(suggest_establishments("Besançon")) >= {
        "Maison d'arrêt de Besançon",
        "Centre de semi-liberté de Besançon",
    }


def test_ma_fleury_merogis_is_not_guessed_but_suggested() -> None:
    # In the DGAP data Fleury-Mérogis is a centre pénitentiaire, not a maison d'arrêt.
    assert code_of("MA de Fleury-Mérogis") is None
    assert suggest_establishments("MA de Fleury-Mérogis")[0] == (
        "Centre pénitentiaire de Fleury-Mérogis"
    )


def test_villejuif_quarter_is_distinct_from_fresnes() -> None:
    assert code_of("CP FRESNES - Villejuif") == "CP-FRESNES-VILLEJUIF"
    assert code_of("CP-FRESNES-VILLEJUIF") == "CP-FRESNES-VILLEJUIF"
    assert code_of("CP Fresnes") == "CP-FRESNES"


def test_typo_gives_a_suggestion_for_the_error_message() -> None:
    assert find_establishment("CP Frenes") is None
    suggestions = suggest_establishments("CP Frenes")
    assert suggestions[0] == "Centre pénitentiaire de Fresnes"
    assert len(suggestions) <= 3
    message = f'unknown establishment "CP Frenes"; did you mean: {suggestions[0]}?'
    assert message.endswith("did you mean: Centre pénitentiaire de Fresnes?")


@pytest.mark.parametrize("text", ["", "   ", "---", "xyzzy"])
def test_nothing_found_for_empty_or_unrelated_text(text: str) -> None:
    assert find_establishment(text) is None
    if not normalize_establishment_name(text):
        assert suggest_establishments(text) == []


def test_suggestions_respect_the_limit() -> None:
    assert len(suggest_establishments("Centre pénitentiaire", limit=2)) <= 2
    assert suggest_establishments("CP Fresnes", limit=0) == []


def test_every_row_is_found_by_its_name_label_and_code() -> None:
    # Also proves that no two rows share a normalised name (no ambiguity in the table).
    for item in load_establishments():
        assert find_establishment(item.name) is item, item.name
        assert find_establishment(item.dgap_label) is item, item.dgap_label
        assert find_establishment(item.code) is item, item.code


def test_ambiguous_name_finds_nothing_and_lists_the_candidates(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base = find_establishment("CP Fresnes")
    assert base is not None
    twin = dataclasses.replace(base, code="CP-FRESNES-BIS")
    key = normalize_establishment_name("CP Fresnes")
    monkeypatch.setattr(establishments_module, "_indexes", lambda: ({}, {key: (base, twin)}))
    assert find_establishment("Centre pénitentiaire de Fresnes") is None
    assert suggest_establishments("CP Fresnes") == [base.name, twin.name]


def test_table_shape() -> None:
    rows = load_establishments()
    assert len(rows) == 186  # 185 establishments + the Villejuif quarter (reference-data §2.1)
    codes = [item.code for item in rows]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"[A-Z0-9]+(?:-[A-Z0-9]+)*", code) for code in codes)


def test_every_row_has_a_pole_with_its_status_and_a_source() -> None:
    for item in load_establishments():
        assert item.pole in POLES
        assert item.pole_status.strip(), item.code
        assert item.source.strip(), item.code
        if item.pole in (POLE_NORD, POLE_SUD):
            # The split is a hypothesis (reference-data §1.3): it must stay visible.
            assert "hypothèse" in item.pole_status, item.code


@pytest.mark.parametrize(
    ("text", "pole"),
    [
        ("Centre pénitentiaire de Liancourt", POLE_NORD),  # DISP Lille
        ("CP Fresnes", POLE_NORD),  # DISP Paris
        ("MA Strasbourg", POLE_NORD),  # DISP Strasbourg
        ("Centre de détention de Bédenac", POLE_SUD),  # DISP Bordeaux
        ("CP Marseille-Baumettes", POLE_SUD),  # DISP Marseille
        ("CP Ducos", POLE_SUD),  # Martinique: outre-mer attached to the Lot
        ("Centre pénitentiaire de Majicavo", POLE_UNKNOWN),  # Mayotte
        ("CP Nouméa", POLE_OUTSIDE_CNPE),  # Nouvelle-Calédonie
        ("CP Faa'a-Nuutania", POLE_OUTSIDE_CNPE),  # Polynésie française
    ],
)
def test_pole_examples(text: str, pole: str) -> None:
    found = find_establishment(text)
    assert found is not None
    assert found.pole == pole


def test_north_pole_is_exactly_lille_paris_strasbourg() -> None:
    north_disp = {"DISP Lille", "DISP Paris", "DISP Strasbourg"}
    for item in load_establishments():
        assert (item.pole == POLE_NORD) == (item.disp in north_disp), item.code


def test_mayotte_and_collectivites_say_why() -> None:
    majicavo = find_establishment("CP Majicavo")
    noumea = find_establishment("CP Nouméa")
    assert majicavo is not None and noumea is not None
    assert "Mayotte" in majicavo.pole_status
    assert "hors CNPE" in noumea.pole_status

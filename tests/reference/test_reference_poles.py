"""Where ALD renewal requests go: the médecin chef of each CNPE pole (rule ALD-2)."""

from __future__ import annotations

import pytest

from cnpe_flow.reference import (
    POLE_NORD,
    POLE_SUD,
    cnpe_pole,
    find_establishment,
    load_establishments,
)


def test_nord_pole_address() -> None:
    pole = cnpe_pole("NORD")
    assert pole is not None
    assert pole.postal_lines() == [
        "M. le Médecin chef de l’Échelon Local du Service Médical",
        "Caisse primaire d’Assurance Maladie de l’Oise",
        "1 rue de Savoie",
        "BP 30326",
        "60013 BEAUVAIS Cedex",
    ]


def test_sud_pole_address() -> None:
    pole = cnpe_pole("sud")
    assert pole is not None
    assert pole.caisse == "Caisse primaire d’Assurance Maladie du Lot"
    assert pole.address_lines == ("238 rue Hautesserre",)
    assert (pole.postcode, pole.city) == ("46015", "CAHORS Cedex 9")


@pytest.mark.parametrize("code", ["UNKNOWN", "OUTSIDE_CNPE", "", "EST"])
def test_no_address_for_other_values(code: str) -> None:
    assert cnpe_pole(code) is None


def test_poles_cite_their_source_and_keep_the_hypothesis_visible() -> None:
    for code in (POLE_NORD, POLE_SUD):
        pole = cnpe_pole(code)
        assert pole is not None
        assert "seed 000" in pole.source
        assert "ALD-2" in pole.source
        assert "hypothèse" in pole.status


def test_liancourt_ald_renewal_goes_to_beauvais() -> None:
    liancourt = find_establishment("Centre pénitentiaire de Liancourt")
    assert liancourt is not None
    pole = cnpe_pole(liancourt.pole)
    assert pole is not None
    assert "BEAUVAIS" in pole.city


def test_every_nord_or_sud_establishment_has_a_pole_address() -> None:
    for item in load_establishments():
        if item.pole in (POLE_NORD, POLE_SUD):
            assert cnpe_pole(item.pole) is not None, item.code

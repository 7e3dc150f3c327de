"""Writing roster files for the import tests."""

from __future__ import annotations

HEADER = [
    "numero_ecrou",
    "nom",
    "prenom",
    "date_naissance",
    "etablissement",
    "date_ecrou",
    "date_sortie_prevue",
    "date_levee_ecrou",
]


def roster(*rows: list[str], header: list[str] | None = None, sep: str = ";") -> bytes:
    """A CSV file (UTF-8) with the given rows under the header."""
    lines = [sep.join(header or HEADER), *(sep.join(r) for r in rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def row(
    number: str = "1001",
    nom: str = "Durand",
    prenom: str = "Alex",
    born: str = "14/03/1985",
    establishment: str = "CP Liancourt",
    ecrou: str = "10/01/2026",
    planned: str = "",
    levee: str = "",
) -> list[str]:
    return [number, nom, prenom, born, establishment, ecrou, planned, levee]

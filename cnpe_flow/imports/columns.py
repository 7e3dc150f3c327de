"""The roster file's columns: their names, which are required, and how a header is read."""

from __future__ import annotations

import unicodedata

#: every column, in the template's order, with its French description (README, template)
COLUMNS: dict[str, str] = {
    "numero_ecrou": "numéro d'écrou dans l'établissement",
    "nom": "nom de famille (100 caractères au plus)",
    "prenom": "prénom (100 caractères au plus)",
    "date_naissance": "JJ/MM/AAAA ou AAAA-MM-JJ",
    "etablissement": "nom ou code de l'établissement (« CP Liancourt », « CP-LIANCOURT »)",
    "date_ecrou": "mise sous écrou, ou arrivée dans l'établissement après un transfert",
    "date_sortie_prevue": "date de sortie prévue (vide si inconnue)",
    "date_levee_ecrou": "date de levée d'écrou (vide tant que la personne est écrouée)",
    "nir": "facultatif : NIR ou NIA (15 caractères avec la clé)",
    "code_postal_sortie": "facultatif : code postal de résidence à la sortie",
    "situation_sejour": "facultatif : reguliere ou irreguliere",
    "carte_vitale": "facultatif : oui ou non",
}
#: columns the header must name (their cells may be empty where the row allows it)
REQUIRED_COLUMNS = tuple(list(COLUMNS)[:8])
#: cells a row cannot leave empty
REQUIRED_VALUES = ("numero_ecrou", "nom", "prenom", "date_naissance", "etablissement", "date_ecrou")


def column_key(title: str) -> str:
    """A header cell as a column name: case, accents, spaces and hyphens ignored."""
    decomposed = unicodedata.normalize("NFKD", title.strip().lstrip("\ufeff"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return "_".join(plain.replace("-", " ").replace("_", " ").replace("'", " ").split())

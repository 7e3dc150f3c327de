"""The template files offered on the import page: the header row and one fictional example."""

from __future__ import annotations

import csv
import io

from cnpe_flow.imports.columns import COLUMNS

#: a fictional person, to show the formats
EXAMPLE = {
    "numero_ecrou": "12345",
    "nom": "Exemple",
    "prenom": "Camille",
    "date_naissance": "14/03/1985",
    "etablissement": "CP Liancourt",
    "date_ecrou": "10/01/2026",
    "date_sortie_prevue": "15/12/2026",
    "date_levee_ecrou": "",
    "nir": "",
    "code_postal_sortie": "60000",
    "situation_sejour": "reguliere",
    "carte_vitale": "oui",
}


def template_csv() -> bytes:
    """UTF-8 with a BOM (spreadsheets then read the accents right), ``;``-separated."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(list(COLUMNS))
    writer.writerow([EXAMPLE[c] for c in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Liste"
    sheet.append(list(COLUMNS))
    # every cell typed as text: a spreadsheet must not turn 01000 into 1000 or a name into a formula
    sheet.append([EXAMPLE[c] for c in COLUMNS])
    for row in sheet.iter_rows():
        for cell in row:
            cell.data_type = "s"
            cell.number_format = "@"
    notes = book.create_sheet("Colonnes")
    notes.append(["colonne", "contenu"])
    for name, text in COLUMNS.items():
        notes.append([name, text])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

"""Bad and unusual files, on both backends: a clear message per row or for the file, never a
traceback, never a half-applied file."""

from __future__ import annotations

import io

import openpyxl
import pytest
from roster_tools import HEADER, roster, row
from sqlalchemy import select

from cnpe_flow import db
from cnpe_flow.imports.reading import FileRefused
from cnpe_flow.imports.roster import run_import
from cnpe_flow.imports.template_files import template_csv, template_xlsx
from cnpe_flow.people.models import Person


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "le fichier est vide"),
        (b"\n \n", "le fichier est vide"),
        (";".join(HEADER).encode() + b"\n", "le fichier ne contient que l'en-tête"),
        (b"\x00\x01\x02binary\xff\xfe" * 20, "ce fichier n'est ni un CSV ni un classeur XLSX"),
        (b"PK\x03\x04 not really a zip", "classeur XLSX illisible"),
        (b"nom;prenom\nDurand;Alex\n", "colonnes obligatoires absentes : numero_ecrou"),
    ],
)
def test_a_file_that_cannot_be_used_is_refused_whole(make_user, do_import, counts, data, message):
    with pytest.raises(FileRefused) as refused:
        do_import(make_user("spip"), data)
    assert str(refused.value).startswith(message)
    assert counts() == (0, 0)


def test_more_rows_than_the_limit_is_refused_before_anything(app, make_user, counts):
    spip = make_user("spip")
    data = roster(*[row(str(n), f"Nom{n}") for n in range(1, 12)])
    with db.transaction(app) as s, pytest.raises(FileRefused) as refused:
        s.add(spip)
        run_import(s, spip, "gros.csv", data, dry_run=False, max_rows=10)
    assert "plus de 10 lignes (limite CNPE_IMPORT_MAX_ROWS)" in str(refused.value)
    assert counts() == (0, 0)


def test_encodings_and_separators_are_detected(make_user, do_import):
    spip = make_user("spip")
    lines = [",".join(HEADER), ",".join(row("1", "Lefèvre", "Zoé"))]
    comma_bom = ("\ufeff" + "\r\n".join(lines)).encode("utf-8")
    windows = roster(row("2", "Bénédicte", "Éloïse")).decode().encode("cp1252")

    first = do_import(spip, comma_bom)
    second = do_import(spip, windows)

    assert [r.name for r in first.rows + second.rows] == ["LEFÈVRE Zoé", "BÉNÉDICTE Éloïse"]
    assert first.counts["created"] == second.counts["created"] == 1


def test_header_names_ignore_case_accents_and_order(make_user, do_import):
    header = [
        "Prénom",
        "NOM",
        "Numero_Ecrou",
        "Date_Naissance",
        "Établissement",
        "DATE_ECROU",
        "date_sortie_prevue",
        "date_levee_ecrou",
    ]
    data = roster(
        ["Alex", "Durand", "1001", "14/03/1985", "CP Liancourt", "10/01/2026", "", ""],
        header=header,
    )

    assert do_import(make_user("spip"), data).counts["created"] == 1


def test_wrong_cells_are_named_by_column_one_line_per_row(make_user, do_import, counts):
    spip = make_user("spip")
    data = roster(
        row("1", ecrou="31/02/2026"),
        row("2", "Martin", "Léa", born="1990-13-01"),
        row("3", "Petit", "Jo", establishment="CP Nulle-Part"),
        row("4", "", "Jo"),
        row("5", "N" * 200, "Jo"),
        row("6", "Bon", "Format", born="1990-05-02", ecrou="2026-02-01", planned="15/12/2026"),
    )

    report = do_import(spip, data)

    lines = report.refused_lines()
    assert lines[2].startswith("ligne 4 : etablissement : établissement inconnu « CP Nulle-Part »")
    assert lines[:2] + lines[3:] == [
        "ligne 2 : date_ecrou : 31/02/2026 n'est pas une date",
        "ligne 3 : date_naissance : 1990-13-01 n'est pas une date",
        "ligne 5 : nom : champ obligatoire vide",
        "ligne 6 : nom : 100 caractères au plus",
    ]
    assert report.summary() == "6 lignes : 1 créées, 0 modifiées, 0 inchangées, 5 refusées"
    assert counts() == (1, 2)


def test_duplicate_rows_in_a_file_refuse_the_later_one(make_user, do_import):
    report = do_import(make_user("spip"), roster(row("1001"), row("1001")))

    assert report.refused_lines() == [
        "ligne 3 : ligne en double : même personne et même date_ecrou que la ligne 2"
    ]


def test_a_formula_is_stored_as_text_and_never_run(app, make_user, do_import):
    formula = '=HYPERLINK("http://exemple.invalid","clic")'
    data = roster(row("1001", nom=formula.replace(",", " "), prenom="Alex"))

    report = do_import(make_user("spip"), data)

    with db.transaction(app) as s:
        person = s.get(Person, report.rows[0].person_id)
        assert person.last_name == '=HYPERLINK("http://exemple.invalid" "clic")'


def _xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    for values in rows:
        book.active.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsx_first_sheet_is_read_with_dates_numbers_and_formulas_as_text(
    app, make_user, do_import
):
    from datetime import datetime

    header = [*HEADER, "code_postal_sortie"]
    data = _xlsx(
        [
            header,
            [
                1001,
                '=HYPERLINK("http://x.invalid")',
                "Alex",
                datetime(1985, 3, 14),
                "CP Liancourt",
                datetime(2026, 1, 10),
                "15/12/2026",
                None,
                1000,
            ],
        ]
    )

    report = do_import(make_user("spip"), data, filename="liste.xlsx")

    assert report.counts["created"] == 1, report.refused_lines()
    with db.transaction(app) as s:
        person = s.execute(select(Person)).scalar_one()
        assert person.ecrou_number == "1001"
        assert person.last_name == '=HYPERLINK("http://x.invalid")'
        assert person.residence_postcode == "01000"


def test_the_shipped_templates_import_as_they_are(make_user, do_import):
    spip = make_user("spip")

    assert do_import(spip, template_csv()).counts["created"] == 1
    assert do_import(spip, template_xlsx()).counts["unchanged"] == 1


def test_an_xlsx_with_more_rows_than_the_limit_is_refused(app, make_user, counts):
    spip = make_user("spip")
    data = _xlsx([HEADER, *[row(str(n), f"Nom{n}") for n in range(1, 12)]])
    with db.transaction(app) as s, pytest.raises(FileRefused) as refused:
        s.add(spip)
        run_import(s, spip, "gros.xlsx", data, dry_run=True, max_rows=10)
    assert "plus de 10 lignes" in str(refused.value)
    assert counts() == (0, 0)

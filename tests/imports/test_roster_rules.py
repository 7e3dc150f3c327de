"""The import's rules, on SQLite and PostgreSQL: matching, what each row becomes, re-imports,
scope, audit, and the import named in the person's history."""

from __future__ import annotations

import hashlib

import pytest
from roster_tools import HEADER, roster, row
from sqlalchemy import select

from cnpe_flow import db
from cnpe_flow.audit.models import AuditEntry, AuditEvent
from cnpe_flow.errors import Forbidden
from cnpe_flow.imports.models import RosterImport
from cnpe_flow.people.evaluation import effective_events
from cnpe_flow.people.models import Person

FRESNES = "Centre pénitentiaire de Fresnes"
LIANCOURT = "Centre pénitentiaire de Liancourt"


def test_new_people_get_a_file_and_the_events_of_their_row(make_user, do_import, events_of):
    spip = make_user("spip")
    data = roster(
        row("1001", ecrou="10/01/2026", planned="15/12/2026"),
        row("1002", "Martin", "Léa", "1990-05-02", "CP-LIANCOURT", "2026-02-01", "", "2026-03-02"),
    )

    report = do_import(spip, data)

    assert report.summary() == "2 lignes : 2 créées, 0 modifiées, 0 inchangées, 0 refusées"
    first = events_of("1001")
    assert [(e.type, e.date.isoformat()) for e in first] == [
        ("ecrou", "2026-01-10"),
        ("planned_release", "2026-12-15"),
    ]
    assert first[0].data == {"establishment": LIANCOURT}
    assert {e.import_id for e in first} == {report.import_id}
    assert [e.type for e in events_of("1002")] == ["ecrou", "levee_ecrou"]


def test_the_same_file_again_changes_nothing_and_says_so(make_user, do_import, counts):
    spip = make_user("spip")
    data = roster(row("1001", planned="15/12/2026"), row("1002", "Martin", "Léa"))
    do_import(spip, data)
    before = counts()

    again = do_import(spip, data)

    assert again.summary() == "2 lignes : 0 créées, 0 modifiées, 2 inchangées, 0 refusées"
    assert counts() == before


def test_each_import_is_audited_with_file_name_hash_and_counts(app, make_user, do_import):
    spip = make_user("spip")
    data = roster(row("1001"), row("1002", ecrou="31/02/2026"))

    report = do_import(spip, data, filename="entrees-novembre.csv")

    with db.transaction(app) as s:
        entry = s.execute(
            select(AuditEntry).where(AuditEntry.event_type == AuditEvent.ROSTER_IMPORTED)
        ).scalar_one()
        stored = s.get(RosterImport, report.import_id)
    assert entry.actor_id == spip.id
    assert entry.details == {
        "import_id": report.import_id,
        "filename": "entrees-novembre.csv",
        "sha256": hashlib.sha256(data).hexdigest(),
        "created": 1,
        "modified": 0,
        "unchanged": 0,
        "refused": 1,
    }
    assert (stored.filename, stored.rows, stored.created, stored.refused) == (
        "entrees-novembre.csv",
        2,
        1,
        1,
    )


def test_a_dry_run_writes_nothing_and_reports_the_same(make_user, do_import, counts):
    spip = make_user("spip")
    data = roster(row("1001"), row("1002", ecrou="31/02/2026"))

    preview = do_import(spip, data, dry_run=True)

    assert counts() == (0, 0)
    assert preview.summary() == "2 lignes : 1 créées, 0 modifiées, 0 inchangées, 1 refusées"
    assert do_import(spip, data).summary() == preview.summary()


def test_a_person_is_matched_by_ecrou_number_and_establishment(make_user, make_person, do_import):
    spip = make_user("spip")
    make_person(
        last_name="Durand",
        first_name="Alex",
        ecrou_number="1001",
        events=[{"type": "ecrou", "date": "2026-01-10", "establishment": LIANCOURT}],
    )
    # another spelling of the name: the number decides
    report = do_import(spip, roster(row("1001", "DURAND-X", "Alexandre", planned="01/12/2026")))

    assert report.rows[0].action == "modified"
    assert report.rows[0].changes == ["sortie prévue le 01/12/2026"]


def test_else_by_nir_then_by_name_and_birth_date_accents_and_case_folded(
    make_user, make_person, do_import
):
    spip = make_user("spip")
    by_nir = make_person(last_name="Petit", first_name="Jo", nir="185037512345641")
    by_name = make_person(last_name="Lefèvre", first_name="Élodie", birth_date="1991-07-08")
    header = [*HEADER, "nir"]
    data = roster(
        [*row("2001", "Autre", "Nom", ecrou="01/02/2026"), "1 85 03 75 123 456 41"],
        [*row("2002", "LEFEVRE", "elodie", "08/07/1991", ecrou="01/03/2026"), ""],
        header=header,
    )

    report = do_import(spip, data)

    assert [r.person_id for r in report.rows] == [by_nir.id, by_name.id]
    assert [r.action for r in report.rows] == ["modified", "modified"]


def test_two_candidates_refuse_the_row_and_name_both(make_user, make_person, do_import, counts):
    spip = make_user("spip")
    make_person(last_name="Durand", first_name="Alex", ecrou_number="A1")
    make_person(last_name="Durand", first_name="Alex", ecrou_number="A2")
    before = counts()

    report = do_import(spip, roster(row("9999")))

    (problem,) = report.rows[0].problems
    assert problem.startswith("plusieurs personnes correspondent : DURAND Alex")
    assert "écrou n° A1" in problem and "écrou n° A2" in problem
    assert counts() == before


def test_a_person_held_elsewhere_becomes_a_transfer(app, make_user, make_person, do_import):
    spip = make_user("spip")  # CP Liancourt
    moved = make_person(
        establishment=FRESNES,
        ecrou_number="F-77",
        events=[{"type": "ecrou", "date": "2026-01-10", "establishment": FRESNES}],
    )

    report = do_import(spip, roster(row("L-12", ecrou="05/03/2026")))

    assert report.rows[0].changes == [
        "mise à jour : numéro d'écrou",
        f"transfert le 05/03/2026 vers {LIANCOURT}",
    ]
    with db.transaction(app) as s:
        person = s.get(Person, moved.id)
        assert person.establishment_code == "CP-LIANCOURT"
        assert person.ecrou_number == "L-12"
    # the next list of the same establishment finds them unchanged
    assert do_import(spip, roster(row("L-12", ecrou="05/03/2026"))).rows[0].action == "unchanged"


def test_a_changed_date_is_a_correction_naming_the_import(app, make_user, do_import, events_of):
    spip = make_user("spip")
    do_import(spip, roster(row("1001", planned="15/12/2026")))

    report = do_import(spip, roster(row("1001", planned="20/12/2026")), filename="maj.csv")

    assert report.rows[0].changes == [
        "correction : sortie prévue le 20/12/2026 (au lieu du 15/12/2026)"
    ]
    history = events_of("1001")
    assert len(history) == 3  # nothing overwritten: the correction supersedes
    correction = history[-1]
    assert correction.supersedes_id == history[1].id
    assert correction.comment == "Import de la liste « maj.csv »"
    assert [e.date.isoformat() for e in effective_events(history)] == ["2026-01-10", "2026-12-20"]


def test_a_levee_is_added_and_an_empty_cell_removes_nothing(make_user, do_import, events_of):
    spip = make_user("spip")
    do_import(spip, roster(row("1001", planned="15/12/2026")))

    added = do_import(spip, roster(row("1001", planned="", levee="20/11/2026")))

    assert added.rows[0].changes == ["levée d'écrou le 20/11/2026"]
    assert [e.type for e in events_of("1001")] == ["ecrou", "planned_release", "levee_ecrou"]


def test_nobody_is_deleted_for_being_absent_from_a_file(make_user, do_import, counts):
    spip = make_user("spip")
    do_import(spip, roster(row("1001"), row("1002", "Martin", "Léa")))
    before = counts()

    report = do_import(spip, roster(row("1002", "Martin", "Léa")))

    assert report.rows[0].action == "unchanged"
    assert counts() == before


def test_a_new_stay_after_a_levee_is_a_new_ecrou(make_user, do_import, events_of):
    spip = make_user("spip")
    do_import(spip, roster(row("1001", ecrou="10/01/2026", levee="01/03/2026")))

    report = do_import(spip, roster(row("1001", ecrou="01/09/2026")))

    assert report.rows[0].changes == [f"mise sous écrou le 01/09/2026 ({LIANCOURT})"]
    assert [e.type for e in events_of("1001")] == ["ecrou", "levee_ecrou", "ecrou"]


def test_optional_columns_set_the_person_fields_and_medical_ones_are_never_read(
    app, make_user, do_import
):
    spip = make_user("spip")
    header = [*HEADER, "code_postal_sortie", "situation_sejour", "carte_vitale", "ald"]
    data = roster([*row("1001"), "13001", "irrégulière", "OUI", "oui"], header=header)

    report = do_import(spip, data)

    assert report.unknown_columns == ["ald"]
    assert report.notes() == ["colonnes inconnues ignorées : ald"]
    with db.transaction(app) as s:
        person = s.get(Person, report.rows[0].person_id)
        assert (person.residence_postcode, person.residence_status, person.carte_vitale) == (
            "13001",
            "irregular",
            True,
        )
        assert person.benefits_before_ecrou == []
    changed = do_import(spip, roster([*row("1001"), "60000", "", "", ""], header=header))
    assert changed.rows[0].changes == ["mise à jour : code postal de sortie"]


def test_a_spip_imports_only_the_rows_of_their_establishment(make_user, do_import, counts):
    spip = make_user("spip")

    report = do_import(
        spip, roster(row("1001", establishment="CP Fresnes"), row("1002", "Martin", "Léa"))
    )

    assert report.refused_lines() == [
        "ligne 2 : etablissement : vous n'importez que les lignes de votre établissement"
    ]
    assert counts()[0] == 1


def test_an_admin_imports_for_every_establishment(make_user, do_import):
    admin = make_user("admin")

    report = do_import(
        admin, roster(row("1001", establishment="CP Fresnes"), row("1002", "Martin", "Léa"))
    )

    assert report.counts["created"] == 2


@pytest.mark.parametrize("role", ["usmp", "partner"])
def test_other_roles_may_not_import(make_user, do_import, counts, role):
    with pytest.raises(Forbidden):
        do_import(make_user(role), roster(row("1001")))
    assert counts() == (0, 0)


def test_a_row_the_engine_refuses_leaves_nothing_and_the_others_are_applied(
    make_user, do_import, counts
):
    spip = make_user("spip")
    rows = [row(f"{n}", f"Nom{n}", "Test", ecrou="10/01/2026") for n in range(1, 151)]
    rows[120] = row("121", "Nom121", "Test", ecrou="10/01/2026", levee="01/01/2026")

    report = do_import(spip, roster(*rows))

    assert report.refused_lines() == [
        "ligne 122 : date_levee_ecrou : La levée d'écrou (01/01/2026) précède la mise sous écrou "
        "du 10/01/2026"
    ]
    assert report.counts["created"] == 149
    assert counts() == (149, 149)


def test_a_corrected_ecrou_and_a_new_levee_in_one_row(app, make_user, do_import, events_of):
    spip = make_user("spip")
    do_import(spip, roster(row("1001", ecrou="10/01/2026")))

    report = do_import(spip, roster(row("1001", ecrou="12/01/2026", levee="20/11/2026")))

    assert report.rows[0].changes == [
        "correction : mise sous écrou le 12/01/2026 (au lieu du 10/01/2026)",
        "levée d'écrou le 20/11/2026",
    ]
    effective = effective_events(events_of("1001"))
    assert [(e.type, e.date.isoformat()) for e in effective] == [
        ("ecrou", "2026-01-12"),
        ("levee_ecrou", "2026-11-20"),
    ]
    with db.transaction(app) as s:
        person = s.get(Person, report.rows[0].person_id)
        assert person.released_on.isoformat() == "2026-11-20"
    assert (
        do_import(spip, roster(row("1001", ecrou="12/01/2026", levee="20/11/2026"))).rows[0].action
        == "unchanged"
    )

"""Creating and editing a person's file through the pages."""

from __future__ import annotations

from datetime import date

from forms.form_pages import alert_text, field_error, hidden_value, page_text
from sqlalchemy import func, select

from cnpe_flow import db
from cnpe_flow.audit.models import AuditEntry, AuditEvent
from cnpe_flow.people.models import Person

NEW = "/personnes/nouvelle"
VALID_NIR = "1 88 04 75 112 345 60"
IDENTITY = {
    "last_name": "Lefèvre",
    "first_name": "Nina",
    "birth_date": "14/03/1985",
    "nir": VALID_NIR,
    "ecrou_number": "24581",
    "establishment": "CP Liancourt",
    "residence_status": "regular",
    "carte_vitale": "oui",
    "residence_postcode": "60000",
}


def count_people(app) -> int:
    with db.transaction(app) as s:
        return s.exec(select(func.count()).select_from(Person)).scalar_one()


def test_spip_creates_a_person_through_the_form_then_sees_it(app, client, make_user, login):
    spip = make_user("spip")
    login(client, spip)
    form_page = client.get(NEW)
    assert form_page.status_code == 200
    # A SPIP user's own establishment is already filled in, the medical field is not offered.
    assert 'value="Centre pénitentiaire de Liancourt"' in page_text(form_page)
    assert "benefits_before_ecrou" not in page_text(form_page)
    assert "sans titre de séjour" in page_text(form_page)

    response = client.form(NEW, IDENTITY)

    assert response.status_code == 303
    with db.transaction(app) as s:
        person = s.exec(select(Person)).scalars().one()
        assert (person.last_name, person.birth_date, person.nir) == (
            "Lefèvre",
            date(1985, 3, 14),
            "188047511234560",
        )
        assert person.establishment_code == "CP-LIANCOURT"
        assert person.carte_vitale is True
        created = s.exec(
            select(AuditEntry).where(AuditEntry.event_type == int(AuditEvent.PERSON_CREATED))
        ).scalars()
        assert [e.actor_id for e in created] == [spip.id]
    assert response.headers["Location"].endswith(f"/personnes/{person.id}")
    case = client.get(response.headers["Location"])
    assert case.status_code == 200
    assert "LEFÈVRE Nina" in page_text(case)


def test_iso_dates_and_no_address_are_accepted(app, client, make_user, login):
    login(client, make_user("spip"))
    data = {
        **IDENTITY,
        "birth_date": "1990-07-01",
        "residence_postcode": "",
        "address_kind": "none",
    }
    data["residence_status"] = "irregular"
    data["carte_vitale"] = "non"

    response = client.form(NEW, data)

    assert response.status_code == 303
    with db.transaction(app) as s:
        person = s.exec(select(Person)).scalars().one()
        assert person.birth_date == date(1990, 7, 1)
        assert person.residence_postcode is None
        assert (person.residence_status, person.carte_vitale) == ("irregular", False)


def test_bad_nir_key_bad_date_and_unknown_establishment_are_shown_next_to_the_field(
    app, client, make_user, login
):
    login(client, make_user("admin"))
    data = {
        **IDENTITY,
        "nir": "1 88 04 75 112 345 61",
        "birth_date": "31/02/1985",
        "establishment": "Prison de Nulle-Part",
    }

    response = client.form(NEW, data)

    assert response.status_code == 400
    assert "clé de contrôle incorrecte" in field_error(response, "nir")
    assert field_error(response, "birth_date") == (
        "« 31/02/1985 » n'est pas une date : saisissez-la en JJ/MM/AAAA"
    )
    assert "Établissement inconnu « Prison de Nulle-Part »" in field_error(
        response, "establishment"
    )
    assert field_error(response, "last_name") == ""
    # What was typed is kept, so only the wrong fields need retyping.
    assert 'value="Lefèvre"' in page_text(response)
    assert count_people(app) == 0


def test_missing_answers_are_named_and_nothing_is_written(app, client, make_user, login):
    login(client, make_user("spip"))

    response = client.form(NEW, {"first_name": "Nina"})

    assert response.status_code == 400
    assert field_error(response, "last_name") == "Champ obligatoire manquant"
    assert field_error(response, "birth_date") == "Champ obligatoire manquant"
    assert field_error(response, "residence_status") == "Champ obligatoire manquant"
    assert field_error(response, "carte_vitale") == "Champ obligatoire manquant"
    assert "« pas encore d'adresse »" in field_error(response, "address_kind")
    assert "Le formulaire n'a pas été enregistré" in alert_text(response)
    assert count_people(app) == 0


def test_spip_cannot_create_a_file_of_another_establishment(app, client, make_user, login):
    login(client, make_user("spip"))

    response = client.form(NEW, {**IDENTITY, "establishment": "CP Fresnes"})

    assert response.status_code == 400
    assert "que des dossiers de votre établissement" in field_error(response, "establishment")
    assert count_people(app) == 0


def test_usmp_cannot_create_files(client, make_user, login):
    login(client, make_user("usmp"))

    assert client.get(NEW).status_code == 403
    assert client.form(NEW, IDENTITY).status_code == 403


def test_edit_with_a_stale_version_shows_the_conflict_and_changes_nothing(
    app, client, make_user, make_person, login
):
    person = make_person(last_name="Durand")
    login(client, make_user("spip"))
    url = f"/personnes/{person.id}/modifier"
    first = client.get(url)
    stale = hidden_value(first, "version")
    assert 'value="Durand"' in page_text(first)
    data = {
        **IDENTITY,
        "last_name": "Durant",
        "birth_date": "1985-03-14",
        "establishment": "Centre pénitentiaire de Liancourt",
        "version": stale,
    }
    # Someone else saves first, from the same page.
    assert client.form(url, data).status_code == 303

    response = client.form(url, {**data, "last_name": "Dupont"})

    assert response.status_code == 409
    assert "modifié par quelqu'un d'autre" in alert_text(response)
    with db.transaction(app) as s:
        assert s.get(Person, person.id).last_name == "Durant"


def test_usmp_changes_only_the_medical_field(app, client, make_user, make_person, login):
    person = make_person(last_name="Durand")
    login(client, make_user("usmp"))
    url = f"/personnes/{person.id}/modifier"
    page = client.get(url)
    assert 'name="benefits_before_ecrou"' in page_text(page)
    assert 'name="last_name"' not in page_text(page)

    response = client.form(
        url,
        {
            "benefits_before_ecrou": ["ald", "ij"],
            "last_name": "Pirate",
            "version": hidden_value(page, "version"),
        },
    )

    assert response.status_code == 303
    with db.transaction(app) as s:
        stored = s.get(Person, person.id)
        assert stored.benefits_before_ecrou == ["ald", "ij"]
        assert stored.last_name == "Durand"


def test_spip_edit_page_does_not_show_the_medical_field(app, client, make_user, make_person, login):
    person = make_person(benefits=["ald"])
    login(client, make_user("spip"))
    url = f"/personnes/{person.id}/modifier"
    page = client.get(url)
    assert "benefits_before_ecrou" not in page_text(page)
    assert "Affection de longue durée" not in page_text(page)

    data = {
        **IDENTITY,
        "birth_date": "1985-03-14",
        "last_name": "Durand-Martin",
        "benefits_before_ecrou": [],
        "version": hidden_value(page, "version"),
    }
    assert client.form(url, data).status_code == 303
    with db.transaction(app) as s:
        stored = s.get(Person, person.id)
        # The SPIP's form cannot wipe what the USMP entered.
        assert stored.benefits_before_ecrou == ["ald"]
        assert stored.last_name == "Durand-Martin"


def test_an_edit_that_contradicts_the_events_is_refused(app, client, make_user, make_person, login):
    ecrou = {"type": "ecrou", "date": "2026-01-10", "establishment": "CP Liancourt"}
    person = make_person(events=[ecrou])
    login(client, make_user("spip"))
    url = f"/personnes/{person.id}/modifier"
    page = client.get(url)
    data = {
        **IDENTITY,
        "birth_date": "01/02/2026",
        "version": hidden_value(page, "version"),
    }

    response = client.form(url, data)

    assert response.status_code == 400
    assert "précède la naissance" in alert_text(response)
    with db.transaction(app) as s:
        stored = s.get(Person, person.id)
        assert stored.birth_date == date(1985, 3, 14)
        assert stored.version == person.version


def test_a_domiciliation_address_is_entered_and_shown_again(app, client, make_user, login):
    """Issue 9: the release address through the form; the postcode follows it."""
    login(client, make_user("spip"))
    data = {
        **IDENTITY,
        "residence_postcode": "60000",
        "address_kind": "domiciliation",
        "address_care_of": "CCAS de Beauvais",
        "address_line1": "1 rue Desgroux",
        "address_city": "Beauvais",
    }

    response = client.form(NEW, data)

    assert response.status_code == 303
    with db.transaction(app) as s:
        person = s.exec(select(Person)).scalars().one()
        assert person.release_address == {
            "kind": "domiciliation",
            "care_of": "CCAS de Beauvais",
            "lines": ["1 rue Desgroux"],
            "postcode": "60000",
            "city": "BEAUVAIS",
        }
        assert person.residence_postcode == "60000"
    edit = page_text(client.get(f"/personnes/{person.id}/modifier"))
    assert 'value="CCAS de Beauvais"' in edit and 'value="1 rue Desgroux"' in edit


def test_a_wrong_address_is_named_next_to_each_field(app, client, make_user, login):
    login(client, make_user("spip"))
    data = {
        **IDENTITY,
        "residence_postcode": "99999",
        "address_kind": "hosted",
        "address_line1": "12 rue des Lilas, résidence des Peupliers, bâtiment C",
        "address_city": "Creil",
    }

    response = client.form(NEW, data)

    assert response.status_code == 400
    assert field_error(response, "address_care_of") == "Indiquez le nom de la personne qui héberge"
    assert "38 caractères au plus" in field_error(response, "address_line1")
    assert "n'est pas un code postal français" in field_error(response, "residence_postcode")
    assert count_people(app) == 0


def test_a_2_mb_name_comes_back_as_the_same_form_with_the_message_by_the_field(
    app, client, make_user, login
):
    """Issue 12: a 2 MB name gave a bare « Envoi trop volumineux » page, the form lost."""
    login(client, make_user("spip"))

    response = client.form(
        "/personnes/nouvelle", {**IDENTITY, "last_name": "A" * 2_000_000, "first_name": "Karim"}
    )

    assert response.status_code == 400
    assert field_error(response, "last_name") == "100 caractères au plus"
    page = page_text(response)
    assert 'value="Karim"' in page  # the rest of what was typed is kept
    assert 'value="' + "A" * 5_000 + '"' in page  # the long one, its beginning only
    assert "A" * 5_001 not in page
    assert "il a été coupé" in page
    assert count_people(app) == 0


def test_a_body_above_the_form_limit_still_comes_back_with_the_field_named(
    app, client, make_user, login
):
    login(client, make_user("spip"))
    # both limits small, so that this body is above them (as 9 MB would be by default)
    app.config["MAX_CONTENT_LENGTH"] = app.config["FORM_MAX_BYTES"] = 64 * 1024
    # the long value last, as when a text pasted into the last field is what overflows
    body = {k: v for k, v in IDENTITY.items() if k != "last_name"}
    body.update(first_name="Karim", last_name="B" * 200_000)

    response = client.form("/personnes/nouvelle", body)

    assert response.status_code == 400
    assert field_error(response, "last_name") == "100 caractères au plus"
    assert 'value="Karim"' in page_text(response)
    assert count_people(app) == 0


def test_a_long_comment_is_cut_and_nothing_is_saved(app, client, make_user, make_person, login):
    """A value cut at the edge is never saved, even by a field that has no limit of its own."""
    login(client, make_user("spip"))
    person = make_person(
        events=[{"type": "ecrou", "date": "2026-01-10", "establishment": "CP Liancourt"}]
    )
    app.config["FORM_FIELD_MAX_CHARS"] = 30  # longer than the NIR, shorter than a name may be
    before = person.version

    response = client.form(
        f"/personnes/{person.id}/modifier",
        {**IDENTITY, "last_name": "Durand-Lefebvre-Martin-de-la-Fontaine", "version": str(before)},
    )

    assert response.status_code == 413
    assert "rien n'a été enregistré" in page_text(response)
    with db.transaction(app) as s:
        assert s.get(Person, person.id).version == before

"""The « Foyer et ressources » page: members in fixed rows, resources, RSA, presence in France.

Entered by the SPIP, the partner for a shared file and the administration; the USMP reads it.
Errors in French next to their field; nothing is written when the form is refused; each change
is audited by the names of the fields, never their values.
"""

from __future__ import annotations

import re

from form_pages import alert_text, field_error, hidden_value, page_text
from sqlalchemy import select

from cnpe_flow import db
from cnpe_flow.audit.models import AuditEntry, AuditEvent
from cnpe_flow.people.models import Person
from cnpe_flow.people.operations import revoke_share, share_person

ECROU = {"type": "ecrou", "date": "2026-01-10", "establishment": "CP Liancourt"}
LEVEE = {"type": "levee_ecrou", "date": "2026-11-10"}

#: the demo-like household: a spouse and two children, 25 000 € a year, no RSA
FAMILY = {
    "members-0-birth_date": "03/09/1986",
    "members-0-relation": "spouse",
    "members-1-birth_date": "20/03/2014",
    "members-1-relation": "child",
    "members-2-birth_date": "2018-11-05",
    "members-2-relation": "child",
    "annual_resources": "25 000",
    "rsa": "non",
}
FAMILY_STORED = {
    "members": [
        {"birth_date": "1986-09-03", "relation": "spouse"},
        {"birth_date": "2014-03-20", "relation": "child"},
        {"birth_date": "2018-11-05", "relation": "child"},
    ],
    "annual_resources": 25000,
    "rsa": False,
    "in_france_since": None,
}


def url(person) -> str:
    return f"/personnes/{person.id}/foyer"


def stored(app, person) -> Person:
    with db.transaction(app) as s:
        return s.get(Person, person.id)


def household_audits(app) -> list[AuditEntry]:
    with db.transaction(app) as s:
        return list(
            s.exec(
                select(AuditEntry).where(AuditEntry.event_type == int(AuditEvent.HOUSEHOLD_UPDATED))
            ).scalars()
        )


def post(client, person, data, version=None):
    page = client.get(url(person))
    assert page.status_code == 200
    return client.form(url(person), {"version": version or hidden_value(page, "version"), **data})


def test_the_spip_saves_a_household_and_the_audit_names_only_the_fields(
    app, client, make_user, make_person, login
):
    person = make_person(events=[ECROU, LEVEE])
    login(client, make_user("spip"))
    page = client.get(url(person))
    text = page_text(page)
    assert "Foyer et ressources de DURAND Alex" in text
    # six empty rows to fill, without JavaScript
    assert 'name="members-5-birth_date"' in text and 'name="members-6-birth_date"' not in text

    saved = post(client, person, FAMILY)

    assert saved.status_code == 303
    assert saved.headers["Location"].endswith(f"/personnes/{person.id}#droits")
    after = stored(app, person)
    assert after.household == FAMILY_STORED
    assert after.version == person.version + 1
    [audit] = household_audits(app)
    assert audit.person_id == person.id
    assert audit.details == {"changed": ["members", "annual_resources", "rsa"]}
    # no amount, no birth date in the audit log
    assert "25000" not in str(audit.details) and "1986" not in str(audit.details)
    flash = page_text(client.get(f"/personnes/{person.id}"))
    assert "Foyer et ressources enregistrés (membres du foyer, ressources annuelles, RSA)" in flash


def test_the_form_shows_the_stored_household_with_spare_rows_and_removes_a_cleared_row(
    app, client, make_user, make_person, login
):
    person = make_person(events=[ECROU, LEVEE])
    login(client, make_user("spip"))
    assert post(client, person, FAMILY).status_code == 303
    page = client.get(url(person))
    text = page.get_data(as_text=True)
    assert 'value="1986-09-03"' in text and 'value="25000"' in text
    assert 'name="members-5-birth_date"' in text  # the three members, then blank rows

    # the second row cleared: that child is no longer in the household
    data = {
        **FAMILY,
        "members-0-birth_date": "1986-09-03",
        "members-1-birth_date": "",
        "members-1-relation": "",
    }
    assert post(client, person, data).status_code == 303
    assert [m["birth_date"] for m in stored(app, person).household["members"]] == [
        "1986-09-03",
        "2018-11-05",
    ]
    assert household_audits(app)[-1].details == {"changed": ["members"]}


def test_lives_alone_unknown_and_blank(app, client, make_user, make_person, login):
    person = make_person(events=[ECROU, LEVEE])
    login(client, make_user("spip"))
    alone = post(client, person, {"lives_alone": "y", "annual_resources": "9 800,50"})
    assert alone.status_code == 303
    assert stored(app, person).household == {
        "members": [],
        "annual_resources": 9800.5,
        "rsa": None,
        "in_france_since": None,
    }
    box = re.search(r'<input[^>]*id="lives_alone"[^>]*>', page_text(client.get(url(person))))
    assert box is not None and "checked" in box.group(0)
    # everything blank: nothing known any more (stored as null, like a file never filled)
    assert post(client, person, {"rsa": "inconnu"}).status_code == 303
    assert stored(app, person).household is None


def test_errors_are_in_french_next_to_each_field_and_nothing_is_written(
    app, client, make_user, make_person, login
):
    person = make_person(residence_status="irregular", events=[ECROU, LEVEE])
    login(client, make_user("spip"))
    refused = post(
        client,
        person,
        {
            "members-0-birth_date": "31/02/2020",
            "members-0-relation": "child",
            "members-1-birth_date": "12/05/2015",
            # row 2 left blank: ignored
            "members-3-birth_date": "01/01/2031",
            "members-3-relation": "spouse",
            "members-4-relation": "child",
            "annual_resources": "beaucoup",
            "rsa": "peut-être",
            "in_france_since": "hier",
        },
    )

    assert refused.status_code == 400
    assert "Le formulaire n'a pas été enregistré" in alert_text(refused)
    assert field_error(refused, "members-0-birth_date") == (
        "« 31/02/2020 » n'est pas une date : saisissez-la en JJ/MM/AAAA"
    )
    assert field_error(refused, "members-1-relation") == "Choisissez le lien avec la personne"
    assert field_error(refused, "members-4-birth_date") == "Indiquez la date de naissance"
    assert field_error(refused, "annual_resources") == (
        "« beaucoup » n'est pas un montant en euros (exemple : 18 500 ou 18 500,50)"
    )
    assert field_error(refused, "rsa") == "Choisissez oui, non ou « je ne sais pas »"
    assert field_error(refused, "in_france_since") == (
        "« hier » n'est pas une date : saisissez-la en JJ/MM/AAAA"
    )
    assert field_error(refused, "members-2-birth_date") == ""
    after = stored(app, person)
    assert (after.household, after.version) == (None, person.version)
    assert household_audits(app) == []


def test_the_checkers_messages_come_back_on_the_row_they_belong_to(
    app, client, make_user, make_person, login
):
    """A blank first row shifts the members: the future birth date is the first member's,
    typed in the second row, and is shown there (dates in messages as JJ/MM/AAAA)."""
    person = make_person(events=[ECROU, LEVEE])
    login(client, make_user("spip"))
    refused = post(
        client,
        person,
        {
            "members-1-birth_date": "01/01/2031",
            "members-1-relation": "child",
            "in_france_since": "2027-02-01",
            "annual_resources": "250000000",
        },
    )
    assert refused.status_code == 400
    assert field_error(refused, "members-1-birth_date") == (
        "La date de naissance (01/01/2031) est dans le futur"
    )
    assert field_error(refused, "members-0-birth_date") == ""
    assert field_error(refused, "in_france_since") == (
        "La date d'arrivée en France (01/02/2027) est dans le futur"
    )
    assert "invraisemblable" in field_error(refused, "annual_resources")
    assert stored(app, person).household is None


def test_lives_alone_with_members_is_refused(app, client, make_user, make_person, login):
    person = make_person(events=[ECROU, LEVEE])
    login(client, make_user("spip"))
    refused = post(client, person, {**FAMILY, "lives_alone": "y"})
    assert refused.status_code == 400
    assert field_error(refused, "lives_alone") == (
        "Cochez « vit seule » ou indiquez des membres du foyer, pas les deux"
    )
    assert stored(app, person).household is None


def test_a_stale_version_is_refused(app, client, make_user, make_person, login):
    person = make_person(events=[ECROU, LEVEE])
    login(client, make_user("spip"))
    page = client.get(url(person))
    first = client.form(url(person), {"version": hidden_value(page, "version"), **FAMILY})
    assert first.status_code == 303
    stale = client.form(url(person), {"version": hidden_value(page, "version"), "lives_alone": "y"})
    assert stale.status_code == 409
    assert "modifié par quelqu'un d'autre" in alert_text(stale)
    assert stored(app, person).household == FAMILY_STORED


def test_a_post_without_csrf_token_is_refused(app, client, make_user, make_person, login):
    person = make_person(events=[ECROU, LEVEE])
    login(client, make_user("spip"))
    forged = client.post(url(person), data={"version": str(person.version), **FAMILY})
    assert forged.status_code == 400
    assert "Le formulaire a expiré" in forged.get_data(as_text=True)
    assert stored(app, person).household is None
    assert household_audits(app) == []


def test_the_partner_enters_it_only_while_the_file_is_shared(
    app, client, make_user, make_person, login
):
    person = make_person(events=[ECROU, LEVEE])
    partner, admin = make_user("partner"), make_user("admin")
    login(client, partner)
    assert client.get(url(person)).status_code == 404
    assert client.form(url(person), {"version": "1", **FAMILY}).status_code == 404

    with db.transaction(app) as s:
        share = share_person(s, admin, s.get(Person, person.id), partner.id, "2026-11-20")
    assert post(client, person, FAMILY).status_code == 303
    assert stored(app, person).household == FAMILY_STORED
    [audit] = household_audits(app)
    assert audit.actor_id == partner.id

    with db.transaction(app) as s:
        revoke_share(s, admin, s.get(Person, person.id), share.id)
    assert client.get(url(person)).status_code == 404
    assert client.form(url(person), {"version": "9", "lives_alone": "y"}).status_code == 404
    assert stored(app, person).household == FAMILY_STORED


def test_the_usmp_reads_the_household_but_cannot_change_it(
    app, client, make_user, make_person, login
):
    person = make_person(events=[ECROU, LEVEE])
    spip, usmp = make_user("spip"), make_user("usmp")
    login(client, spip)
    assert post(client, person, FAMILY).status_code == 303
    version = stored(app, person).version

    reader = app.test_client()
    login(reader, usmp)
    page = reader.get(url(person))
    text = page_text(page)
    assert page.status_code == 200
    assert "<form" not in page.get_data(as_text=True).split("<main", 1)[-1]
    assert "4 personnes (la personne, 1 conjoint·e, 2 enfants)" in text
    assert "20/03/2014" in text and "enfant" in text
    refused = reader.form(url(person), {"version": str(version), "lives_alone": "y"})
    assert refused.status_code == 403
    after = stored(app, person)
    assert (after.household, after.version) == (FAMILY_STORED, version)
    assert len(household_audits(app)) == 1


def test_other_establishments_do_not_see_the_page(app, client, make_user, make_person, login):
    person = make_person(events=[ECROU, LEVEE])
    login(client, make_user("spip", establishment="Centre pénitentiaire de Fresnes"))
    assert client.get(url(person)).status_code == 404
    assert client.form(url(person), {"version": "1", **FAMILY}).status_code == 404

"""Recording, correcting and withdrawing custody events through the pages."""

from __future__ import annotations

from forms.form_pages import alert_text, field_error, hidden_value, page_text
from sqlalchemy import select

from cnpe_flow import db
from cnpe_flow.people.models import CustodyEvent, Person, Task

ECROU = {"type": "ecrou", "date": "2026-01-10", "establishment": "CP Liancourt"}


def events_of(app, person_id: int) -> list[CustodyEvent]:
    with db.transaction(app) as s:
        return list(
            s.exec(
                select(CustodyEvent)
                .where(CustodyEvent.person_id == person_id)
                .order_by(CustodyEvent.id)
            ).scalars()
        )


def event_id(app, person_id: int, kind: str) -> int:
    return next(e.id for e in events_of(app, person_id) if e.type == kind)


def test_ecrou_then_levee_through_the_forms_creates_the_release_tasks(
    app, client, make_user, make_person, login
):
    person = make_person()
    login(client, make_user("spip"))
    base = f"/personnes/{person.id}/evenements/nouveau"
    chooser = client.get(base)
    assert "Mise sous écrou" in page_text(chooser)
    assert "Levée d'écrou" in page_text(chooser)

    ecrou_page = client.get(f"{base}?type=ecrou")
    assert 'list="etablissements"' in page_text(ecrou_page)
    ecrou = client.form(
        f"{base}?type=ecrou",
        {
            "date": "10/01/2026",
            "establishment": "CP Liancourt",
            "version": hidden_value(ecrou_page, "version"),
        },
    )
    assert ecrou.status_code == 303
    assert ecrou.headers["Location"].endswith(f"/personnes/{person.id}")

    levee_page = client.get(f"{base}?type=levee_ecrou")
    levee = client.form(
        f"{base}?type=levee_ecrou",
        {"date": "2026-05-01", "version": hidden_value(levee_page, "version")},
    )
    assert levee.status_code == 303

    with db.transaction(app) as s:
        tasks = s.exec(select(Task).where(Task.person_id == person.id)).scalars().all()
        assert {(t.kind, t.due.isoformat()) for t in tasks} >= {
            ("contact_cpam_residence", "2026-05-01"),
            ("mas_referral_offer", "2026-05-01"),
            ("carte_vitale_update", "2026-05-11"),
        }
        assert s.get(Person, person.id).released_on.isoformat() == "2026-05-01"


def test_a_levee_before_the_ecrou_is_refused_and_nothing_is_written(
    app, client, make_user, make_person, login
):
    person = make_person(events=[ECROU])
    login(client, make_user("spip"))
    url = f"/personnes/{person.id}/evenements/nouveau?type=levee_ecrou"
    page = client.get(url)

    response = client.form(url, {"date": "01/12/2025", "version": hidden_value(page, "version")})

    assert response.status_code == 400
    # A French sentence with JJ/MM/AAAA dates, under the date (the way to fix it).
    assert field_error(response, "date") == (
        "La levée d'écrou (01/12/2025) précède la mise sous écrou du 10/01/2026"
    )
    assert "Corrigez les champs signalés" in alert_text(response)
    assert "levee_ecrou" not in page_text(response) and "2025-12-01" not in alert_text(response)
    assert [e.type for e in events_of(app, person.id)] == ["ecrou"]
    with db.transaction(app) as s:
        assert s.get(Person, person.id).version == person.version


def test_event_field_problems_are_shown_next_to_the_field(
    app, client, make_user, make_person, login
):
    person = make_person()
    login(client, make_user("spip"))
    url = f"/personnes/{person.id}/evenements/nouveau?type=ecrou"
    page = client.get(url)
    version = hidden_value(page, "version")

    unknown = client.form(
        url, {"date": "10/01/2026", "establishment": "Nulle-Part", "version": version}
    )
    bad_date = client.form(
        url, {"date": "32/01/2026", "establishment": "CP Liancourt", "version": version}
    )

    assert unknown.status_code == 400
    assert "Établissement inconnu « Nulle-Part »" in field_error(unknown, "establishment")
    assert bad_date.status_code == 400
    assert "« 32/01/2026 » n'est pas une date" in field_error(bad_date, "date")
    assert events_of(app, person.id) == []


def test_a_correction_supersedes_the_event_and_keeps_it_in_the_history(
    app, client, make_user, make_person, login
):
    person = make_person(events=[ECROU, {"type": "levee_ecrou", "date": "2026-05-01"}])
    spip = make_user("spip")
    login(client, spip)
    levee_id = event_id(app, person.id, "levee_ecrou")
    url = f"/personnes/{person.id}/evenements/nouveau?corrige={levee_id}"
    page = client.get(url)
    assert 'value="2026-05-01"' in page_text(page)
    assert "<strong>Levée d'écrou le 01/05/2026</strong>" in page_text(page)

    no_reason = client.form(url, {"date": "2026-06-01", "version": hidden_value(page, "version")})
    assert no_reason.status_code == 400
    assert field_error(no_reason, "comment") == "Expliquez la correction (obligatoire)"
    assert len(events_of(app, person.id)) == 2

    response = client.form(
        url,
        {
            "date": "2026-06-01",
            "comment": "date du greffe erronée",
            "version": hidden_value(page, "version"),
        },
    )

    assert response.status_code == 303
    old, new = events_of(app, person.id)[1:]
    assert (old.date.isoformat(), new.date.isoformat()) == ("2026-05-01", "2026-06-01")
    assert new.supersedes_id == old.id
    assert (new.comment, new.created_by) == ("date du greffe erronée", spip.id)
    with db.transaction(app) as s:
        assert s.get(Person, person.id).released_on.isoformat() == "2026-06-01"
    # The corrected event can no longer be corrected (its correction is): back to the file.
    stale = client.get(url)
    assert (stale.status_code, stale.headers["Location"]) == (
        303,
        f"/personnes/{person.id}#contenu",
    )


def test_withdrawing_an_event_needs_a_comment(app, client, make_user, make_person, login):
    person = make_person(events=[ECROU, {"type": "planned_release", "date": "2026-12-15"}])
    login(client, make_user("spip"))
    planned_id = event_id(app, person.id, "planned_release")
    page = client.get(f"/personnes/{person.id}/evenements/nouveau?corrige={planned_id}")
    withdraw = f"/personnes/{person.id}/evenements/{planned_id}/retirer"
    version = hidden_value(page, "version")

    refused = client.form(withdraw, {"comment": "  ", "version": version})

    assert refused.status_code == 400
    assert "Expliquez pourquoi" in field_error(refused, "withdraw-comment")
    assert len(events_of(app, person.id)) == 2

    done = client.form(withdraw, {"comment": "saisie en double", "version": version})

    assert done.status_code == 303
    events = events_of(app, person.id)
    assert len(events) == 3
    assert (events[2].withdrawn, events[2].supersedes_id, events[2].comment) == (
        True,
        planned_id,
        "saisie en double",
    )
    with db.transaction(app) as s:
        assert s.get(Person, person.id).planned_release is None


def test_spip_cannot_record_an_atmp_and_usmp_can(app, client, make_user, make_person, login):
    person = make_person(events=[ECROU])
    login(client, make_user("spip"))
    base = f"/personnes/{person.id}/evenements/nouveau"
    assert "atmp_during_ecrou" not in page_text(client.get(base))
    assert client.get(f"{base}?type=atmp_during_ecrou").status_code == 403

    forged = client.form(
        f"{base}?type=atmp_during_ecrou",
        {"date": "2026-03-01", "consolidated": "non", "version": str(person.version)},
    )

    assert forged.status_code == 403
    assert len(events_of(app, person.id)) == 1

    usmp_client = app.test_client()
    login(usmp_client, make_user("usmp"))
    assert "atmp_during_ecrou" in page_text(usmp_client.get(base))
    recorded = usmp_client.form(
        f"{base}?type=atmp_during_ecrou",
        {"date": "2026-03-01", "consolidated": "non", "version": str(person.version)},
    )
    assert recorded.status_code == 303
    assert events_of(app, person.id)[-1].data == {"consolidated": False}


def test_a_stale_version_on_an_event_form_shows_the_conflict(
    app, client, make_user, make_person, login
):
    person = make_person(events=[ECROU])
    login(client, make_user("spip"))
    url = f"/personnes/{person.id}/evenements/nouveau?type=planned_release"
    page = client.get(url)
    version = hidden_value(page, "version")
    assert client.form(url, {"date": "2026-12-15", "version": version}).status_code == 303

    response = client.form(url, {"date": "2026-12-20", "version": version})

    assert response.status_code == 409
    assert "modifié par quelqu'un d'autre" in alert_text(response)
    assert [e.date.isoformat() for e in events_of(app, person.id)] == ["2026-01-10", "2026-12-15"]

"""The case page: timeline, CPAM, tasks with their reasons, task status, history, privacy."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from cnpe_flow import db
from cnpe_flow.audit.models import AuditEntry, AuditEvent
from cnpe_flow.auth.models import User
from cnpe_flow.people.models import CustodyEvent, Person, Task
from cnpe_flow.people.operations import add_event, share_person

LIANCOURT = "Centre pénitentiaire de Liancourt"
FRESNES = "Centre pénitentiaire de Fresnes"
ECROU = {"type": "ecrou", "date": "2026-01-10", "establishment": LIANCOURT}
LEVEE = {"type": "levee_ecrou", "date": "2026-10-01"}
FUND_BAR = re.compile(r'<rect class="fund fund-(\w+)" x="([\d.]+)%" y="16" width="([\d.]+)%"')


def without_tokens(html):
    """The page without its random CSRF tokens (they could contain any letters)."""
    return re.sub(r'name="csrf_token" value="[^"]*"', "", html)


def task_id(app, person, kind):
    with db.transaction(app) as s:
        return (
            s.exec(select(Task).where(Task.person_id == person.id, Task.kind == kind))
            .scalars()
            .one()
            .id
        )


def test_timeline_draws_each_affiliation_period_in_proportion(
    client, login, make_user, make_person, section
):
    person = make_person(
        events=[
            ECROU,
            {"type": "amenagement", "date": "2026-03-01", "measure": "semi_liberte"},
            {"type": "activity_start", "date": "2026-03-15", "activity": "work"},
            {"type": "activity_end", "date": "2026-05-01"},
        ]
    )
    login(client, make_user("spip"))

    timeline = section(client.get(f"/personnes/{person.id}").get_data(as_text=True), "titre-frise")

    bars = [(fund, float(x), float(w)) for fund, x, w in FUND_BAR.findall(timeline)]
    assert [fund for fund, _, _ in bars] == ["cnpe", "cpam_residence", "cnpe"]
    assert bars[0][1] == 0 and all(w > 0 for _, _, w in bars)
    assert bars[1][1] == round(bars[0][1] + bars[0][2], 2)  # contiguous
    assert bars[1][2] < bars[2][2]  # 6 weeks of work are shorter than the open CNPE period
    assert round(bars[2][1] + bars[2][2]) == 100
    assert re.search(r"Du 15/03/2026 au 30/04/2026</strong> :\s*CPAM de résidence", timeline)
    assert "AFF-3" in timeline
    assert 'class="mark"' in timeline and "Aménagement de peine" in timeline


def test_the_cpam_of_residence_is_shown_with_its_address(
    client, login, make_user, make_person, section
):
    person = make_person(residence_postcode="75011", events=[ECROU, LEVEE])
    login(client, make_user("spip"))

    situation = section(
        client.get(f"/personnes/{person.id}").get_data(as_text=True), "titre-situation"
    )

    assert "CPAM de Paris" in situation and "75948 Paris Cedex 19" in situation
    assert re.search(r"Caisse aujourd'hui</dt>\s*<dd>CPAM de résidence", situation)


def test_tasks_say_why_with_rule_ids_and_the_source_quote(
    client, login, make_user, make_person, task_item
):
    person = make_person(events=[ECROU, LEVEE])
    login(client, make_user("spip"))
    html = client.get(f"/personnes/{person.id}").get_data(as_text=True)

    contact = task_item(html, "Contacter la CPAM de résidence")
    vitale = task_item(html, "Mettre à jour la carte Vitale")

    assert "AFF-7" in contact and "AFF-6" in contact
    assert "<details>" in contact and "doit nécessairement contacter sa CPAM" in contact
    assert "01/10/2026" in contact and "Suivie par : SPIP" in contact
    assert '11/10/2026 <span class="muted">(dimanche)</span>' in vitale
    assert "REL-1" in vitale and "Suivie par : Partenaire" in vitale


def test_marking_a_task_done_with_a_comment_is_saved_and_audited(
    app, client, login, make_user, make_person, task_item
):
    person = make_person(events=[ECROU, LEVEE])
    spip = make_user("spip")
    login(client, spip)
    task = task_id(app, person, "contact_cpam_residence")

    response = client.form(
        f"/personnes/{person.id}/taches/{task}",
        {"status": "done", "comment": "appel passé le 20/11", "version": person.version},
    )

    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/personnes/{person.id}#tache-{task}")
    page = client.get(f"/personnes/{person.id}").get_data(as_text=True)
    done = task_item(page.split("Tâches traitées")[1], "Contacter la CPAM de résidence")
    assert "Fait" in done and "appel passé le 20/11" in done and f"par {spip.username}" in done
    assert "Tâche mise à jour" in page  # the flash message
    with db.transaction(app) as s:
        assert s.get(Task, task).status == "done"
        audit = (
            s.exec(select(AuditEntry).where(AuditEntry.event_type == int(AuditEvent.TASK_UPDATED)))
            .scalars()
            .one()
        )
        assert (audit.actor_id, audit.person_id, audit.details["new"]) == (
            spip.id,
            person.id,
            "done",
        )


def test_not_applicable_without_a_comment_is_refused_next_to_the_task(
    app, client, login, make_user, make_person, task_item
):
    person = make_person(events=[ECROU, LEVEE])
    login(client, make_user("spip"))
    task = task_id(app, person, "mas_referral_offer")

    response = client.form(
        f"/personnes/{person.id}",
        {"tache": task, "status": "not_applicable", "comment": " ", "version": person.version},
    )

    assert response.status_code == 400  # the same address: the case page, not the task's
    item = task_item(response.get_data(as_text=True), "Proposer une orientation")
    assert '<details class="task-na" open>' in item
    assert "expliquez pourquoi la tâche ne s&#39;applique pas" in item
    assert 'aria-describedby="erreur-tache-' in item
    with db.transaction(app) as s:
        assert s.get(Task, task).status == "open"


def test_a_stale_page_gets_a_clear_conflict_message(
    app, client, login, make_user, make_person, task_item
):
    person = make_person(events=[ECROU, LEVEE])
    login(client, make_user("spip"))
    task = task_id(app, person, "contact_cpam_residence")

    response = client.form(
        f"/personnes/{person.id}",
        {"tache": task, "status": "done", "version": person.version - 1},
    )

    assert response.status_code == 409
    item = task_item(response.get_data(as_text=True), "Contacter la CPAM de résidence")
    assert "modifié par quelqu&#39;un d&#39;autre depuis que vous l&#39;avez ouvert" in item
    assert f'name="version" value="{person.version}"' in item  # the fresh version to retry
    with db.transaction(app) as s:
        assert s.get(Task, task).status == "open"


def test_each_view_of_a_case_is_audited(app, client, login, make_user, make_person):
    person = make_person(events=[ECROU])
    spip = make_user("spip")
    login(client, spip)

    client.get(f"/personnes/{person.id}")

    with db.transaction(app) as s:
        entry = (
            s.exec(select(AuditEntry).where(AuditEntry.event_type == int(AuditEvent.PERSON_VIEWED)))
            .scalars()
            .one()
        )
    assert (entry.actor_id, entry.person_id, entry.route) == (
        spip.id,
        person.id,
        "people.case_page",
    )


def test_medical_details_only_reach_usmp(app, client, login, make_user, make_person):
    person = make_person(
        residence_postcode="75011",
        benefits=["ald"],
        events=[
            ECROU,
            {"type": "atmp_during_ecrou", "date": "2026-06-01", "consolidated": False},
            LEVEE,
        ],
    )
    partner = make_user("partner")
    with db.transaction(app) as s:
        admin = s.exec(select(User).where(User.role == "admin")).scalars().first()
        share_person(s, admin, s.get(Person, person.id), partner.id, date(2026, 11, 20))
    pages = {}
    for role, user in (
        ("spip", make_user("spip")),
        ("partner", partner),
        ("usmp", make_user("usmp")),
    ):
        browser = client.application.test_client()
        login(browser, user)
        pages[role] = "".join(
            without_tokens(browser.get(url).get_data(as_text=True))
            for url in (f"/personnes/{person.id}", f"/personnes/{person.id}/sortie")
        )

    for role in ("spip", "partner"):
        html = pages[role]
        assert "ALD" not in html and "ald_protocol_request" not in html
        assert "30326" not in html and "Savoie" not in html  # the CNPE pole's address
        assert "Pôle inter-régional" not in html  # a pole warning would reveal the ALD
        assert "AT/MP" not in html and "atmp" not in html
        assert "Étape médicale suivie par l&#39;USMP" in html
        assert "Événement médical" in html
    usmp = pages["usmp"]
    assert "protocole de soins ALD" in usmp and "30326" in usmp and "AT/MP" in usmp
    assert "Pôle inter-régional" in usmp


def test_a_partner_opens_only_shared_people_and_sees_the_nir_masked(
    app, client, login, make_user, make_person, section
):
    shared = make_person(nir="1 88 04 75 112 345 60", events=[ECROU])
    other = make_person(events=[ECROU])
    partner = make_user("partner")
    with db.transaction(app) as s:
        admin = s.exec(select(User).where(User.role == "admin")).scalars().first()
        share_person(s, admin, s.get(Person, shared.id), partner.id, date(2026, 11, 20))
        nir = s.get(Person, shared.id).nir
    login(client, partner)

    assert client.get(f"/personnes/{other.id}").status_code == 404
    assert client.get(f"/personnes/{other.id}/sortie").status_code == 404
    identity = section(
        client.get(f"/personnes/{shared.id}").get_data(as_text=True), "titre-identite"
    )
    assert nir[-4:] in identity and nir not in identity
    spip_client = client.application.test_client()
    login(spip_client, make_user("spip"))
    assert nir in spip_client.get(f"/personnes/{shared.id}").get_data(as_text=True)


def test_a_person_of_another_establishment_is_not_found_for_spip(
    client, login, make_user, make_person
):
    elsewhere = make_person(
        establishment=FRESNES,
        events=[{"type": "ecrou", "date": "2026-01-10", "establishment": FRESNES}, LEVEE],
    )
    login(client, make_user("spip"))

    assert client.get(f"/personnes/{elsewhere.id}").status_code == 404
    task = client.form(
        f"/personnes/{elsewhere.id}/taches/1", {"status": "done", "version": elsewhere.version}
    )
    assert task.status_code == 404


def test_history_keeps_corrected_events_struck_through_with_who_and_when(
    app, client, login, make_user, make_person, section, row
):
    person = make_person(events=[ECROU, {"type": "levee_ecrou", "date": "2026-05-01"}])
    with db.transaction(app) as s:
        admin = s.exec(select(User).where(User.role == "admin")).scalars().first()
        levee = (
            s.exec(select(CustodyEvent).where(CustodyEvent.type == "levee_ecrou")).scalars().one()
        )
        add_event(
            s,
            admin,
            s.get(Person, person.id),
            {"type": "levee_ecrou", "date": "2026-06-01"},
            supersedes_id=levee.id,
            comment="date erronée",
        )
    login(client, make_user("spip"))

    history = section(
        client.get(f"/personnes/{person.id}").get_data(as_text=True), "titre-historique"
    )

    old = row(history, "<del>01/05/2026</del>")
    assert "Corrigé le 23/11/2026" in old and "par fixture-admin" in old and "date erronée" in old
    assert "Corriger</a>" not in old
    new = row(history, "Corrige l'événement du 01/05/2026")
    assert "01/06/2026" in new and "<del>" not in new


def test_a_file_without_events_says_so_instead_of_failing(client, login, make_user, make_person):
    person = make_person()
    login(client, make_user("spip"))

    case = client.get(f"/personnes/{person.id}")
    release = client.get(f"/personnes/{person.id}/sortie")

    assert case.status_code == 200 and release.status_code == 200
    assert "aucune mise sous écrou n'est enregistrée" in case.get_data(as_text=True)
    assert "Aucune date de sortie enregistrée." in release.get_data(as_text=True)


def test_usmp_gets_a_link_to_edit_medical_details_and_spip_to_edit_identity(
    client, login, make_user, make_person
):
    person = make_person(events=[ECROU])
    usmp_page = (
        login(client, make_user("usmp")).get(f"/personnes/{person.id}").get_data(as_text=True)
    )
    client.form("/logout")
    spip_page = (
        login(client, make_user("spip")).get(f"/personnes/{person.id}").get_data(as_text=True)
    )

    assert "Modifier les informations médicales" in usmp_page
    assert "Modifier l'identité" not in usmp_page
    assert "Modifier l'identité" in spip_page
    assert "Modifier les informations médicales" not in spip_page

"""Compact tasks (issue 12): « Fait » in one click, « Sans objet… » with its comment, errors
shown on the page the form sits on, and the dashboard's bulk « Fait »."""

from __future__ import annotations

from sqlalchemy import select

from cnpe_flow import db
from cnpe_flow.audit.models import AuditEntry, AuditEvent
from cnpe_flow.people.models import Task

LIANCOURT = "Centre pénitentiaire de Liancourt"
FRESNES = "Centre pénitentiaire de Fresnes"
ECROU = {"type": "ecrou", "date": "2026-01-10", "establishment": LIANCOURT}
LEVEE = {"type": "levee_ecrou", "date": "2026-10-01"}
CONTACT = "Contacter la CPAM de résidence"


def task_of(app, person, kind):
    with db.transaction(app) as s:
        return s.exec(
            select(Task).where(Task.person_id == person.id, Task.kind == kind)
        ).scalar_one()


def status_of(app, task_id):
    with db.transaction(app) as s:
        return s.get(Task, task_id).status


def task_audits(app):
    with db.transaction(app) as s:
        return list(
            s.exec(
                select(AuditEntry).where(AuditEntry.event_type == int(AuditEvent.TASK_UPDATED))
            ).scalars()
        )


def test_an_open_task_is_one_line_with_fait_and_a_closed_sans_objet(
    client, login, make_user, make_person, task_item
):
    person = make_person(events=[ECROU, LEVEE])
    login(client, make_user("spip"))

    item = task_item(client.get(f"/personnes/{person.id}").get_data(as_text=True), CONTACT)

    assert 'type="radio"' not in item  # no more full form per task
    assert item.count(f'action="/personnes/{person.id}"') == 2  # Fait, Sans objet
    assert ">Fait<span" in item and f"> : {CONTACT}" in item  # named for screen readers
    assert '<details class="task-na">' in item  # closed: the comment shows when chosen
    assert "Échéance : 01/10/2026" in item and "Suivie par : SPIP" in item


def test_fait_from_the_case_page_goes_back_to_the_task_and_is_audited(
    app, client, login, make_user, make_person
):
    person = make_person(events=[ECROU, LEVEE])
    spip = make_user("spip")
    login(client, spip)
    task = task_of(app, person, "contact_cpam_residence")

    response = client.form(
        f"/personnes/{person.id}",
        {"tache": task.id, "status": "done", "version": person.version},
    )

    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/personnes/{person.id}#tache-{task.id}")
    assert status_of(app, task.id) == "done"
    [audit] = task_audits(app)
    assert (audit.actor_id, audit.details["task_id"], audit.details["new"]) == (
        spip.id,
        task.id,
        "done",
    )


def test_a_refused_sans_objet_stays_on_the_case_page_with_the_comment_kept(
    app, client, login, make_user, make_person, task_item
):
    person = make_person(events=[ECROU, LEVEE])
    login(client, make_user("spip"))
    task = task_of(app, person, "contact_cpam_residence")
    typed = "la personne a déjà fait la démarche " * 30  # over 1000 characters

    response = client.form(
        f"/personnes/{person.id}",
        {"tache": task.id, "status": "not_applicable", "comment": typed, "version": 1},
    )

    assert response.status_code == 400
    item = task_item(response.get_data(as_text=True), CONTACT)
    assert '<details class="task-na" open>' in item
    assert "1000 caractères au plus" in item
    assert typed.strip() in item  # what was typed is still in the text box
    assert status_of(app, task.id) == "open"


def test_a_refused_sans_objet_on_the_release_page_stays_there(
    app, client, login, make_user, make_person, task_item
):
    person = make_person(events=[ECROU, LEVEE])
    login(client, make_user("spip"))
    task = task_of(app, person, "contact_cpam_residence")

    response = client.form(
        f"/personnes/{person.id}/sortie",
        {"tache": task.id, "status": "not_applicable", "comment": "", "version": 1},
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<h1>Préparer la sortie de" in html
    assert "expliquez pourquoi la tâche ne s&#39;applique pas" in task_item(html, CONTACT)
    done = client.form(
        f"/personnes/{person.id}/sortie",
        {"tache": task.id, "status": "done", "version": person.version},
    )
    assert done.headers["Location"].endswith(f"/personnes/{person.id}/sortie#tache-{task.id}")


def test_bulk_fait_closes_the_ticked_tasks_in_one_go_each_audited(
    app, client, login, make_user, make_person, section
):
    first = make_person(last_name="Alpha", events=[ECROU, LEVEE])
    second = make_person(last_name="Beta", events=[ECROU, LEVEE])
    login(client, make_user("spip"))
    one = task_of(app, first, "contact_cpam_residence")
    two = task_of(app, second, "contact_cpam_residence")
    overdue = section(client.get("/").get_data(as_text=True), "titre-retard")
    assert f'name="tache" value="{one.id}"' in overdue and 'form="taches-faites"' in overdue

    response = client.form("/?responsable=spip", {"tache": [one.id, two.id]})

    assert response.status_code == 303
    assert response.headers["Location"].endswith("/?responsable=spip")  # filters kept
    assert (status_of(app, one.id), status_of(app, two.id)) == ("done", "done")
    assert sorted(a.details["task_id"] for a in task_audits(app)) == sorted([one.id, two.id])
    assert "2 tâches marquées « Fait »." in client.get("/").get_data(as_text=True)


def test_bulk_fait_with_nothing_ticked_says_so_by_the_button(
    client, login, make_user, make_person, section
):
    make_person(events=[ECROU, LEVEE])
    login(client, make_user("spip"))

    response = client.form("/", {"depuis": "retard"})

    assert response.status_code == 400
    overdue = section(response.get_data(as_text=True), "titre-retard")
    assert "Rien n'a été enregistré : cochez au moins une tâche" in overdue


def test_bulk_fait_is_all_or_nothing_when_a_task_was_closed_meanwhile(
    app, client, login, make_user, make_person, section
):
    first = make_person(last_name="Alpha", events=[ECROU, LEVEE])
    second = make_person(last_name="Beta", events=[ECROU, LEVEE])
    login(client, make_user("spip"))
    one = task_of(app, first, "contact_cpam_residence")
    two = task_of(app, second, "contact_cpam_residence")
    client.form(
        f"/personnes/{second.id}", {"tache": two.id, "status": "done", "version": second.version}
    )

    response = client.form("/", {"tache": [one.id, two.id], "depuis": "retard"})

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "déjà traitée entre-temps" in html and f'value="{two.id}"' not in html
    assert f'value="{one.id}" id="fait-retard-{one.id}" checked' in html  # the tick is kept
    assert status_of(app, one.id) == "open"
    assert len(task_audits(app)) == 1  # only the single completion before


def test_bulk_fait_passes_the_same_gates_as_one_task(
    app, client, login, make_user, make_person, section
):
    mine = make_person(events=[ECROU, LEVEE])
    elsewhere = make_person(events=[{**ECROU, "establishment": FRESNES}, LEVEE])
    task = task_of(app, mine, "contact_cpam_residence")
    hidden = task_of(app, elsewhere, "contact_cpam_residence")
    usmp = login(client, make_user("usmp"))
    assert 'name="tache"' not in section(usmp.get("/").get_data(as_text=True), "titre-retard")

    assert usmp.form("/", {"tache": task.id}).status_code == 403
    spip = login(app.test_client(), make_user("spip"))
    assert spip.form("/", {"tache": [task.id, hidden.id]}).status_code == 404
    assert (status_of(app, task.id), status_of(app, hidden.id)) == ("open", "open")

"""Subject access export and the retention purge, on both backends."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

import pytest
from sqlalchemy import func, select, text

from cnpe_flow import db
from cnpe_flow.audit.models import AuditEntry, AuditEvent
from cnpe_flow.auth.models import User
from cnpe_flow.letters.models import Letter
from cnpe_flow.people.models import CustodyEvent, Person, Share, Task
from cnpe_flow.people.operations import add_event, share_person
from cnpe_flow.privacy.purge import nightly_purge
from cnpe_flow.reminders.models import Notification

LIANCOURT = "CP Liancourt"


def _released(make_person, levee: str, **identity):
    return make_person(
        events=[
            {"type": "ecrou", "date": "2023-01-10", "establishment": LIANCOURT},
            {"type": "levee_ecrou", "date": levee},
        ],
        **identity,
    )


def _close_tasks(app, person):
    with db.transaction(app) as s:
        s.execute(text("UPDATE tasks SET status = 'done' WHERE person_id = :p"), {"p": person.id})


@pytest.fixture
def full_file(app, make_person, make_user):
    """A released person with a corrected event, a share, a letter and a notification."""
    person = make_person(
        events=[{"type": "ecrou", "date": "2023-01-10", "establishment": LIANCOURT}],
        last_name="Zéphyrin",
        first_name="Ana",
    )
    partner, spip = make_user("partner"), make_user("spip")
    with db.transaction(app) as s:
        admin = s.execute(select(User).where(User.username == "fixture-admin")).scalar_one()
        person = s.get(Person, person.id)
        mistaken = add_event(s, admin, person, {"type": "levee_ecrou", "date": "2024-05-28"})
        add_event(
            s,
            admin,
            person,
            {"type": "levee_ecrou", "date": "2024-06-01"},
            supersedes_id=mistaken.id,
            comment="date erronée",
        )
        share_person(s, admin, person, partner.id, date(2024, 5, 20), "accord écrit")
        s.add(
            Letter(
                person_id=person.id,
                kind="release_summary",
                letter_date=date(2024, 6, 1),
                template_version="t1",
                sha256="a" * 64,
                pdf=b"%PDF-1.7",
            )
        )
        task = s.execute(select(Task).where(Task.person_id == person.id)).scalars().first()
        s.add(Notification(user_id=spip.id, task_id=task.id, reason="due_soon", message="À faire"))
    return person


def _cli(database_url, *args):
    env = {"PATH": os.environ["PATH"], "DATABASE_URL": database_url, "SECRET_KEY": "cle"}
    return subprocess.run(
        [sys.executable, "-m", "cnpe_flow", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_export_holds_everything_about_the_person_and_is_audited(app, database_url, full_file):
    result = _cli(database_url, "rgpd", "export", str(full_file.id))

    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["person"]["last_name"] == "Zéphyrin" and doc["person"]["id"] == full_file.id
    assert doc["address"]["residence_postcode"] == "60000"
    assert doc["address"]["cpam_residence"] == ["CPAM de l'Oise"]
    types = [(e["type"], e["date"], e["superseded_by"] is not None) for e in doc["events"]]
    assert ("levee_ecrou", "2024-05-28", True) in types
    assert ("levee_ecrou", "2024-06-01", False) in types
    corrected = next(e for e in doc["events"] if e["supersedes_id"])
    assert corrected["created_by"] == "fixture-admin"
    assert doc["tasks"] and all(t["person_id"] == full_file.id for t in doc["tasks"])
    [letter] = doc["letters"]
    assert letter["sha256"] == "a" * 64 and letter["version"] == 1 and "pdf" not in letter
    [share] = doc["shares"]
    assert share["consent_date"] == "2024-05-20" and share["consent_note"] == "accord écrit"
    assert share["partner_id"].startswith("partner")
    [notification] = doc["notifications"]
    assert notification["message"] == "À faire"
    labels = [a["label"] for a in doc["audit"]]
    assert "Dossier créé" in labels and "Dossier partagé" in labels
    assert all("remote_addr" not in a for a in doc["audit"])
    with db.transaction(app) as s:
        [exported] = s.execute(
            select(AuditEntry).where(AuditEntry.event_type == int(AuditEvent.PERSON_EXPORTED))
        ).scalars()
    assert exported.person_id == full_file.id and exported.route == "cli"


def test_an_unknown_person_is_a_clear_error(database_url):
    result = _cli(database_url, "rgpd", "export", "424242")
    assert result.returncode == 2
    assert result.stderr.strip() == "person_id: personne n° 424242 introuvable"


def test_the_admin_downloads_the_same_export(app, client, login, make_user, full_file):
    login(client, make_user("admin"))
    response = client.get(f"/admin/rgpd?dossier={full_file.id}")

    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="cnpe-flow-dossier-{full_file.id}.json"'
    )
    assert response.get_json()["person"]["first_name"] == "Ana"
    unknown = client.get("/admin/rgpd?dossier=999999")
    assert unknown.status_code == 404 and "Aucun dossier n° 999999" in unknown.get_data(
        as_text=True
    )
    with db.transaction(app) as s:
        count = s.execute(
            select(func.count()).where(AuditEntry.event_type == int(AuditEvent.PERSON_EXPORTED))
        ).scalar_one()
    assert count == 1


def test_spip_cannot_export(client, login, make_user, full_file):
    login(client, make_user("spip"))
    assert client.get(f"/admin/rgpd?dossier={full_file.id}").status_code == 403


def _counts(app, person_id):
    with db.transaction(app) as s:
        return {
            model.__name__: s.execute(
                select(func.count()).select_from(model).where(model.person_id == person_id)
            ).scalar_one()
            for model in (Person, CustodyEvent, Task, Share, Letter, AuditEntry)
            if model is not Person
        } | {"Person": int(s.get(Person, person_id) is not None)}


def test_purge_dry_run_then_purge_leaves_only_a_pseudonymous_trace(
    app, database_url, make_person, full_file
):
    old = full_file
    _close_tasks(app, old)
    kept_open = _released(make_person, "2024-03-01", last_name="Ouvert")  # tasks still open
    recent = _released(make_person, "2025-09-01", last_name="Récent")
    _close_tasks(app, recent)
    in_custody = make_person(
        events=[{"type": "ecrou", "date": "2020-01-10", "establishment": LIANCOURT}]
    )
    before = {p.id: _counts(app, p.id) for p in (kept_open, recent, in_custody)}

    dry = _cli(database_url, "rgpd", "purge", "--dry-run")

    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.splitlines() == [
        "1 dossier à purger (levée d'écrou de plus de 24 mois, aucune tâche ouverte)",
        f"dossiers n° {old.id}",
    ]
    assert _counts(app, old.id)["Person"] == 1

    done = _cli(database_url, "rgpd", "purge")

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "1 dossier purgé (levée d'écrou de plus de 24 mois, aucune tâche ouverte)",
        f"dossiers n° {old.id}",
    ]
    assert _counts(app, old.id) == {
        "CustodyEvent": 0,
        "Task": 0,
        "Share": 0,
        "Letter": 0,
        "AuditEntry": 0,
        "Person": 0,
    }
    with db.transaction(app) as s:
        assert s.execute(select(func.count()).select_from(Notification)).scalar_one() == 0
        [trace] = s.execute(
            select(AuditEntry).where(AuditEntry.event_type == int(AuditEvent.PERSON_PURGED))
        ).scalars()
        pseudonymised = (
            s.execute(
                select(AuditEntry).where(
                    AuditEntry.person_id.is_(None),
                    AuditEntry.event_type == int(AuditEvent.PERSON_CREATED),
                )
            )
            .scalars()
            .all()
        )
        log_text = " ".join(
            json.dumps(e.details, ensure_ascii=False)
            for e in s.execute(select(AuditEntry)).scalars()
        )
    assert trace.person_id is None and trace.details["person_id"] == old.id
    assert trace.details["released_on"] == "2024-06-01"
    assert set(trace.details) == {"person_id", "released_on", "purged_on"}
    assert [e.details for e in pseudonymised] == [{"purged_person_id": old.id}]
    assert "Zéphyrin" not in log_text and "Ouvert" in log_text
    assert {p.id: _counts(app, p.id) for p in (kept_open, recent, in_custody)} == before


def test_the_nightly_job_purges_and_the_admin_sees_the_next_candidates(
    app, client, login, make_user, make_person
):
    due = _released(make_person, "2024-01-15", last_name="Ancien")
    _close_tasks(app, due)
    soon = _released(make_person, "2025-01-15", last_name="Bientôt")
    _close_tasks(app, soon)
    login(client, make_user("admin"))

    page = client.get("/admin/rgpd").get_data(as_text=True)
    assert "ANCIEN Alex" in page
    assert f"à purger à la\n    prochaine purge : n° {due.id}." in page
    assert "16/01/2027" in page  # Bientôt: levée 15/01/2025 + 24 mois

    assert nightly_purge(app, date(2026, 11, 23)) == [due.id]
    page = client.get("/admin/rgpd").get_data(as_text=True)
    assert "<strong>0 dossier</strong>" in page
    assert "ANCIEN Alex" not in page and "BIENTÔT Alex" in page

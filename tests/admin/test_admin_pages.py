"""Administration pages: accounts, audit log, reference tables (administrators only)."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from forms.form_pages import field_error, page_text, sign_in
from sqlalchemy import select

from cnpe_flow import db
from cnpe_flow.audit.models import AuditEntry, AuditEvent
from cnpe_flow.auth.models import User
from cnpe_flow.auth.passwords import verify_password

NEW_PASSWORD = "un-mot-de-passe-neuf"


def audit_entries(app, event: AuditEvent) -> list[AuditEntry]:
    with db.transaction(app) as s:
        return list(s.exec(select(AuditEntry).where(AuditEntry.event_type == int(event))).scalars())


def account(app, username: str) -> User | None:
    with db.transaction(app) as s:
        return s.exec(select(User).where(User.username == username)).scalar_one_or_none()


@pytest.mark.parametrize("role", ["spip", "usmp", "partner"])
def test_admin_pages_are_forbidden_to_other_roles(client, make_user, login, role):
    user = make_user(role)
    login(client, user)

    assert client.get("/admin/utilisateurs").status_code == 403
    assert client.get(f"/admin/utilisateurs/{user.id}").status_code == 403
    assert client.get("/admin/audit").status_code == 403
    assert client.get("/admin/etablissements").status_code == 403
    forged = client.form(
        "/admin/utilisateurs",
        {"name": "intrus", "role": "admin", "password": NEW_PASSWORD},
    )
    assert forged.status_code == 403
    promote = client.form(f"/admin/utilisateurs/{user.id}", {"role": "admin", "active": "y"})
    assert promote.status_code == 403
    assert account(client.application, "intrus") is None
    assert account(client.application, user.username).role == role


def test_admin_creates_a_user_and_sees_it_in_the_audit_log(app, client, make_user, login):
    admin = make_user("admin", username="chef")
    login(client, admin)
    assert "Créer un compte" in page_text(client.get("/admin/utilisateurs"))

    response = client.form(
        "/admin/utilisateurs",
        {
            "name": "nouvelle-spip",
            "role": "spip",
            "email": "spip@example.org",
            "establishment": "CP Liancourt",
            "password": NEW_PASSWORD,
        },
    )

    assert response.status_code == 303
    created = account(app, "nouvelle-spip")
    assert (created.role, created.establishment_code) == ("spip", "CP-LIANCOURT")
    assert "nouvelle-spip" in page_text(client.get("/admin/utilisateurs"))
    (entry,) = audit_entries(app, AuditEvent.USER_CREATED)[-1:]
    assert (entry.actor_id, entry.details["user_id"]) == (admin.id, created.id)
    assert NEW_PASSWORD not in json.dumps(entry.details)

    log = client.get(f"/admin/audit?type={int(AuditEvent.USER_CREATED)}&actor={admin.id}")

    assert log.status_code == 200
    assert "Utilisateur créé" in page_text(log)
    assert "1 ligne" in page_text(log)
    (viewed,) = audit_entries(app, AuditEvent.AUDIT_VIEWED)
    assert viewed.actor_id == admin.id
    assert viewed.details["filters"] == {
        "actor_id": admin.id,
        "event_type": int(AuditEvent.USER_CREATED),
    }
    assert sign_in(app.test_client(), "nouvelle-spip", NEW_PASSWORD).status_code == 302


def test_account_problems_are_shown_next_to_the_fields(app, client, make_user, login):
    login(client, make_user("admin"))

    response = client.form(
        "/admin/utilisateurs",
        {"name": "sans etablissement", "role": "usmp", "password": "court"},
    )

    assert response.status_code == 400
    assert "sans espace" in field_error(response, "name")
    assert "rattaché à un établissement" in field_error(response, "establishment")
    assert "au moins 12 caractères" in field_error(response, "password")
    assert account(app, "sans etablissement") is None


def test_admin_changes_an_account_and_the_audit_keeps_old_and_new_but_no_password(
    app, client, make_user, login
):
    admin = make_user("admin")
    target = make_user("spip", username="agent")
    login(client, admin)
    url = f"/admin/utilisateurs/{target.id}"
    assert 'value="Centre pénitentiaire de Liancourt"' in page_text(client.get(url))

    response = client.form(
        url,
        {"role": "usmp", "establishment": "CP Fresnes", "email": "", "password": NEW_PASSWORD},
    )

    assert response.status_code == 303
    stored = account(app, "agent")
    assert (stored.role, stored.establishment_code, stored.active) == ("usmp", "CP-FRESNES", False)
    assert verify_password(stored.password_hash, NEW_PASSWORD)
    (entry,) = audit_entries(app, AuditEvent.USER_UPDATED)
    assert entry.actor_id == admin.id
    assert entry.details["old"] == {
        "role": "spip",
        "establishment_code": "CP-LIANCOURT",
        "active": True,
    }
    assert entry.details["new"] == {
        "role": "usmp",
        "establishment_code": "CP-FRESNES",
        "active": False,
    }
    assert entry.details["password_reset"] is True
    assert NEW_PASSWORD not in json.dumps(entry.details)
    assert "password_hash" not in json.dumps(entry.details)
    # A deactivated account can no longer sign in.
    refused = sign_in(app.test_client(), "agent", NEW_PASSWORD)
    assert refused.status_code == 200
    assert "Identifiant ou mot de passe incorrect" in page_text(refused)


def test_an_admin_cannot_lock_themselves_out(app, client, make_user, login):
    admin = make_user("admin", username="seul-admin")
    login(client, admin)

    response = client.form(
        f"/admin/utilisateurs/{admin.id}", {"role": "spip", "establishment": "CP Liancourt"}
    )

    assert response.status_code == 400
    assert "votre propre compte" in field_error(response, "active")
    assert "votre propre rôle" in field_error(response, "role")
    stored = account(app, "seul-admin")
    assert (stored.role, stored.active) == ("admin", True)
    assert audit_entries(app, AuditEvent.USER_UPDATED) == []


def test_the_audit_log_is_paginated(app, client, make_user, make_person, login):
    login(client, make_user("admin"))
    people = [make_person(last_name=name) for name in ("Un", "Deux", "Trois")]
    app.config["PAGE_SIZE"] = 2
    created = f"/admin/audit?type={int(AuditEvent.PERSON_CREATED)}"

    first = client.get(created)
    second = client.get(f"{created}&page=2")
    one_file = client.get(f"{created}&person={people[1].id}")

    assert "3 lignes · page 1 sur 2" in page_text(first)
    assert page_text(first).count("<td>Dossier créé</td>") == 2
    next_link = re.search(r'<a href="([^"]+)" rel="next">', page_text(first)).group(1)
    assert parse_qs(urlsplit(next_link).query) == {
        "page": ["2"],
        "type": [str(int(AuditEvent.PERSON_CREATED))],
    }
    assert page_text(second).count("<td>Dossier créé</td>") == 1
    assert "1 ligne" in page_text(one_file)
    assert f"n° {people[1].id}" in page_text(one_file)


def test_reference_page_shows_establishments_poles_and_cpam(client, make_user, login):
    login(client, make_user("admin"))

    response = client.get("/admin/etablissements?code_postal=60000")

    text = page_text(response)
    assert response.status_code == 200
    assert "Centre pénitentiaire de Liancourt" in text
    assert "hypothèse" in text
    assert "tools/build_reference.py" in text
    assert "CPAM de l'Oise" in text
    assert "Département 60" in text


def test_admin_forms_refuse_posts_without_csrf_token(app, client, make_user, login):
    target = make_user("spip", username="cible")
    login(client, make_user("admin"))

    create = client.post(
        "/admin/utilisateurs", data={"name": "forge", "role": "admin", "password": NEW_PASSWORD}
    )
    edit = client.post(f"/admin/utilisateurs/{target.id}", data={"role": "admin", "active": "y"})

    assert create.status_code == 400
    assert edit.status_code == 400
    assert account(app, "forge") is None
    assert account(app, "cible").role == "spip"


def test_a_transfer_is_in_the_audit_log_with_the_establishment_codes_only(
    client, make_user, make_person, login
):
    make_person(
        last_name="Lefèvre",
        nir="185036012345658",
        benefits=["ald"],
        events=[
            {"type": "ecrou", "date": "2026-01-10", "establishment": "CP Liancourt"},
            {"type": "transfer", "date": "2026-04-01", "establishment": "CP Fresnes"},
        ],
    )
    login(client, make_user("admin"))

    log = client.get(f"/admin/audit?type={int(AuditEvent.PERSON_TRANSFERRED)}")

    rows = page_text(log).split("<tbody>")[1]
    assert "Dossier transféré à un autre établissement" in rows
    assert "de : CP-LIANCOURT ; vers : CP-FRESNES" in rows
    # neither the person's name nor the NIR nor anything medical
    for secret in ("Lefèvre", "LEFÈVRE", "185036012345658", "ald", "ALD"):
        assert secret not in rows


def test_the_audit_log_reads_as_sentences_with_masked_values_kept_masked(
    app, client, make_user, make_person, login
):
    from cnpe_flow.audit.operations import record

    admin = make_user("admin")
    person = make_person()
    with db.transaction(app) as s:
        record(
            s,
            AuditEvent.PERSON_UPDATED,
            actor_id=admin.id,
            person_id=person.id,
            details={
                "old": {"nir": "(modifié)", "birth_date": "1985-03-14"},
                "new": {"nir": "(modifié)", "birth_date": "1985-04-14"},
            },
        )
        record(
            s,
            AuditEvent.TASK_UPDATED,
            actor_id=admin.id,
            person_id=person.id,
            details={"task_id": 35, "kind": "medical_step", "old": "open", "new": "not_applicable"},
        )
    login(client, admin)

    text = page_text(client.get("/admin/audit"))

    assert (
        "Tâche mise à jour — tâche n° 35 ; type : étape médicale ; avant : à faire ; après : sans objet."
        in text
    )
    assert "avant : birth date : 14/03/1985, nir : (modifié)" in text
    assert '{"' not in text and "&#34;" not in text  # no raw JSON left

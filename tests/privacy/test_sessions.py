"""Sessions end on the server: a copied cookie is refused after logout, password change,
deactivation or « déconnecter partout »; API tokens expire, show their last use, are revoked."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from cnpe_flow import db
from cnpe_flow.audit.models import AuditEntry, AuditEvent
from cnpe_flow.auth.models import ApiToken
from cnpe_flow.auth.operations import create_token
from cnpe_flow.clock import set_clock

COOKIE = "cnpe_session"


@pytest.fixture
def browser(app, client):
    """``browser()`` → one more test client (each its own cookies), posting forms with CSRF."""
    return app.test_client  # the ``client`` fixture made them form-posting clients


def _copy_of(app, client):
    """Another browser holding a copy of ``client``'s session cookie (what a thief would hold)."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    return thief


def _opens(client, url):
    return client.get(url).status_code == 200


def test_a_copied_cookie_is_refused_after_logout(app, client, make_user, make_person, login):
    person = make_person()
    login(client, make_user("spip"))
    copy = _copy_of(app, client)
    assert _opens(copy, f"/personnes/{person.id}")

    client.form("/logout")

    refused = copy.get(f"/personnes/{person.id}")
    assert refused.status_code == 302 and refused.headers["Location"].startswith("/login")


def test_logout_ends_the_sessions_of_the_account_in_every_browser(app, make_user, login, browser):
    user = make_user("usmp")
    office, laptop = browser(), browser()
    login(office, user)
    login(laptop, user)
    office.form("/logout")
    assert laptop.get("/").status_code == 302


def test_admin_logs_an_account_out_everywhere(app, make_user, login, browser):
    admin, agent = make_user("admin"), make_user("spip")
    admin_client, first, second = browser(), browser(), browser()
    login(admin_client, admin)
    login(first, agent)
    login(second, agent)

    done = admin_client.form(f"/admin/utilisateurs/{agent.id}/deconnecter")

    assert done.status_code == 303
    assert first.get("/").status_code == 302 and second.get("/").status_code == 302
    assert admin_client.get("/").status_code == 200
    with db.transaction(app) as s:
        [entry] = s.execute(
            select(AuditEntry).where(AuditEntry.event_type == int(AuditEvent.SESSIONS_ENDED))
        ).scalars()
    assert entry.actor_id == admin.id
    assert entry.details == {"user_id": agent.id, "reason": "admin"}


def test_deactivation_and_password_reset_by_an_admin_end_the_sessions(
    app, make_user, login, browser
):
    admin = make_user("admin")
    deactivated, reset = make_user("spip"), make_user("spip")
    admin_client = login(browser(), admin)
    clients = {u.id: login(browser(), u) for u in (deactivated, reset)}
    copies = {uid: _copy_of(app, c) for uid, c in clients.items()}
    base = {"role": "spip", "establishment": "Centre pénitentiaire de Liancourt", "email": ""}

    admin_client.form(f"/admin/utilisateurs/{deactivated.id}", base)  # "active" unticked
    admin_client.form(
        f"/admin/utilisateurs/{reset.id}",
        {**base, "active": "y", "password": "une-nouvelle-phrase-secrete"},
    )

    for uid in clients:
        assert clients[uid].get("/").status_code == 302
        assert copies[uid].get("/").status_code == 302


def test_changing_ones_password_keeps_this_session_and_ends_the_others(
    app, make_user, login, browser
):
    user = make_user("partner")
    here, elsewhere = browser(), browser()
    login(here, user)
    login(elsewhere, user)

    changed = here.form(
        "/compte/mot-de-passe",
        {
            "current": "mot-de-passe-de-test",
            "password": "trois-mots-bien-choisis",
            "confirm": "trois-mots-bien-choisis",
        },
    )

    assert changed.status_code == 303
    assert here.get("/compte").status_code == 200
    assert elsewhere.get("/compte").status_code == 302


def test_a_weak_new_password_is_refused_with_the_reason(app, client, make_user, login):
    login(client, make_user("spip"))
    page = client.form(
        "/compte/mot-de-passe",
        {"current": "mot-de-passe-de-test", "password": "motdepasse2026", "confirm": "x"},
    )
    assert page.status_code == 400
    assert "fait partie des plus courants" in page.get_data(as_text=True)


def _token_row(app, user_id):
    with db.transaction(app) as s:
        return (
            s.execute(
                select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc())
            )
            .scalars()
            .first()
        )


def test_a_token_expires_after_its_days(app, client, make_user, frozen_clock):
    user = make_user("spip")
    with db.transaction(app) as s:
        token = create_token(s, user, days=30)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/people", headers=headers).status_code == 200
    set_clock(lambda: frozen_clock + timedelta(days=30))
    assert client.get("/api/v1/people", headers=headers).status_code == 401


def test_the_user_sees_the_last_use_and_revokes_a_token(app, client, make_user, login, token_for):
    user = make_user("usmp")
    headers = token_for(user)
    client.get("/api/v1/people", headers=headers)
    login(client, user)
    row = _token_row(app, user.id)

    page = client.get("/compte").get_data(as_text=True)
    assert row.last_used_at is not None
    assert re.search(r"<td>23/11/2026 12:00</td>\s*<td>\s*<span class=\"badge ok\">actif", page)

    assert client.form(f"/compte/jetons/{row.id}/revoquer").status_code == 303
    assert client.get("/api/v1/people", headers=headers).status_code == 401
    assert "révoqué le 23/11/2026" in client.get("/compte").get_data(as_text=True)


def test_an_admin_revokes_someone_elses_token_but_others_cannot(
    app, make_user, login, token_for, browser
):
    admin, owner, colleague = make_user("admin"), make_user("spip"), make_user("spip")
    headers = token_for(owner)
    row = _token_row(app, owner.id)
    colleague_client = login(browser(), colleague)
    admin_client = login(browser(), admin)

    assert colleague_client.form(f"/compte/jetons/{row.id}/revoquer").status_code == 404
    assert admin_client.get("/api/v1/people", headers=headers).status_code == 200
    done = admin_client.form(f"/admin/utilisateurs/{owner.id}/jetons/{row.id}/revoquer")

    assert done.status_code == 303
    assert admin_client.get("/api/v1/people", headers=headers).status_code == 401
    with db.transaction(app) as s:
        [entry] = s.execute(
            select(AuditEntry).where(AuditEntry.event_type == int(AuditEvent.TOKEN_REVOKED))
        ).scalars()
    assert entry.actor_id == admin.id and entry.details == {
        "user_id": owner.id,
        "token_id": row.id,
    }


def test_revoking_a_token_already_revoked_in_another_tab_says_so_on_the_page(
    app, make_user, login, token_for, browser
):
    """Issue 12: the second « Révoquer » (a tab opened before the first) goes back to the
    page with the message; nothing is revoked or audited twice."""
    admin, owner = make_user("admin"), make_user("spip")
    token_for(owner)
    row = _token_row(app, owner.id)
    own_client, admin_client = login(browser(), owner), login(browser(), admin)
    action = f"/compte/jetons/{row.id}/revoquer"

    first = own_client.form(action, follow_redirects=True)
    second = own_client.form(action, follow_redirects=True)
    by_admin = admin_client.form(
        f"/admin/utilisateurs/{owner.id}/jetons/{row.id}/revoquer", follow_redirects=True
    )

    assert "Jeton révoqué : il ne donne plus accès" in first.text
    assert second.history[0].status_code == 303 and second.request.path == "/compte"
    assert "Ce jeton était déjà révoqué" in second.text
    assert "Jeton révoqué :" not in second.text
    assert by_admin.request.path == f"/admin/utilisateurs/{owner.id}"
    assert f"Le jeton n° {row.id} de « {owner.username} » était déjà révoqué." in (
        by_admin.text.replace("&#34;", '"').replace("&#39;", "'")
    )
    with db.transaction(app) as s:
        audited = s.execute(
            select(AuditEntry).where(AuditEntry.event_type == int(AuditEvent.TOKEN_REVOKED))
        )
        assert len(audited.scalars().all()) == 1


def test_the_password_form_posts_to_its_page_and_a_refusal_stays_there(
    app, client, make_user, login
):
    """Issue 12: refused, the address is still « Mon compte », the message by the field."""
    login(client, make_user("spip"))
    account = client.get("/compte").get_data(as_text=True)

    page = client.form(
        "/compte",
        {"current": "mot-de-passe-de-test", "password": "motdepasse2026", "confirm": "x"},
    )

    assert 'action="/compte" novalidate' in account
    assert page.status_code == 400
    assert "fait partie des plus courants" in page.get_data(as_text=True)
    assert "motdepasse2026" not in page.get_data(as_text=True)  # a password is never sent back

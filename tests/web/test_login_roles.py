"""The real login form, once per role: the other tests log in by writing the session cookie
(``login`` fixture), so this is where the form itself is proven to open a session."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cnpe_flow.audit.models import AuditEntry, AuditEvent


@pytest.mark.parametrize("role", ["spip", "usmp", "partner", "admin"])
def test_each_role_logs_in_through_the_form_and_is_audited(
    app, client, make_user, form_login, session, role
):
    user = make_user(role)

    form_login(client, user)
    home = client.get("/")
    logins = session.exec(
        select(AuditEntry.actor_id).where(AuditEntry.event_type == AuditEvent.LOGIN)
    ).scalars()

    assert home.status_code == 200
    assert client.csrf
    assert list(logins) == [user.id]

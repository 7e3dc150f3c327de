"""Login throttling: per account with back-off, per real client address, every refusal audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from cnpe_flow import create_app, db
from cnpe_flow.audit.models import AuditEntry, AuditEvent
from cnpe_flow.clock import set_clock

PASSWORD = "mot-de-passe-de-test"  # the accounts of make_user


def _post(client, username, password, addr="192.0.2.10", forwarded=None):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return client.post(
        "/login",
        data={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": addr},
        headers=headers,
    )


@pytest.fixture
def open_app(app):
    app.config["WTF_CSRF_ENABLED"] = False
    return app


def _audit(app, event):
    with db.transaction(app) as s:
        return list(
            s.execute(select(AuditEntry).where(AuditEntry.event_type == int(event))).scalars()
        )


def test_one_account_failing_does_not_lock_out_another_from_the_same_address(open_app, make_user):
    careless, colleague = make_user("spip"), make_user("spip")
    client = open_app.test_client()
    for _ in range(8):
        _post(client, careless.username, "mauvais-mot-de-passe")

    refused = _post(client, careless.username, PASSWORD)
    other = _post(client, colleague.username, PASSWORD)

    assert refused.status_code == 429
    assert "pour cet identifiant" in refused.get_data(as_text=True)
    assert other.status_code == 302


def test_the_wait_doubles_with_each_further_failure(open_app, make_user, frozen_clock):
    user = make_user("usmp")
    client = open_app.test_client()
    for _ in range(5):
        assert _post(client, user.username, "mauvais-mot-de-passe").status_code == 200
    assert _post(client, user.username, PASSWORD).status_code == 429

    set_clock(lambda: frozen_clock + timedelta(seconds=31))
    assert _post(client, user.username, "mauvais-mot-de-passe").status_code == 200
    set_clock(lambda: frozen_clock + timedelta(seconds=31 + 45))
    assert _post(client, user.username, PASSWORD).status_code == 429  # 60 s now
    set_clock(lambda: frozen_clock + timedelta(seconds=31 + 61))
    assert _post(client, user.username, PASSWORD).status_code == 302


def test_a_success_starts_the_count_again(open_app, make_user):
    user = make_user("spip")
    client = open_app.test_client()
    for _ in range(4):
        _post(client, user.username, "mauvais-mot-de-passe")
    assert _post(client, user.username, PASSWORD).status_code == 302
    client.post("/logout")
    other = open_app.test_client()
    for _ in range(4):
        _post(other, user.username, "mauvais-mot-de-passe")
    assert _post(other, user.username, PASSWORD).status_code == 302


@pytest.fixture
def proxied_app(database_url, frozen_clock, tmp_path):
    """The app behind one trusted reverse proxy, with a low address limit."""
    application = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "WTF_CSRF_ENABLED": False,
            "TRUSTED_PROXIES": 1,
            "LOGIN_ADDRESS_MAX_FAILURES": 6,
        }
    )
    yield application
    db.engine(application).dispose()


def test_behind_the_proxy_each_client_address_has_its_own_limit(proxied_app, make_user):
    sprayed = [make_user("spip") for _ in range(3)]
    colleague = make_user("spip")
    proxy = "10.0.0.1"  # every request arrives from the proxy
    client = proxied_app.test_client()
    for user in sprayed:
        for _ in range(2):
            # the attacker forges an address on the left: only the proxy's entry counts
            _post(client, user.username, "essai", proxy, "6.6.6.6, 203.0.113.7")

    from_attacker = _post(client, colleague.username, PASSWORD, proxy, "203.0.113.7")
    from_colleague = _post(client, colleague.username, PASSWORD, proxy, "198.51.100.20")

    assert from_attacker.status_code == 429
    assert "depuis votre poste" in from_attacker.get_data(as_text=True)
    assert from_colleague.status_code == 302
    failed = _audit(proxied_app, AuditEvent.LOGIN_FAILED)
    assert len(failed) == 6
    assert {e.remote_addr for e in failed} == {"203.0.113.7"}
    [throttled] = _audit(proxied_app, AuditEvent.LOGIN_THROTTLED)
    assert throttled.details == {"username": colleague.username, "by": "address"}
    assert throttled.remote_addr == "203.0.113.7"


def test_without_trusted_proxies_the_forwarded_header_is_ignored(open_app, make_user):
    user = make_user("spip")
    client = open_app.test_client()
    _post(client, user.username, "essai", "192.0.2.44", "203.0.113.9")
    [failed] = _audit(open_app, AuditEvent.LOGIN_FAILED)
    assert failed.remote_addr == "192.0.2.44"
    assert failed.details == {"username": user.username}


def test_a_wrong_number_of_proxies_stops_the_app_with_a_french_message(database_url, tmp_path):
    from cnpe_flow.config import ConfigError

    with pytest.raises(ConfigError, match="CNPE_TRUSTED_PROXIES"):
        create_app(
            {
                "SECRET_KEY": "k",
                "DATABASE_URL": database_url,
                "INSTANCE_PATH": str(tmp_path),
                "TRUSTED_PROXIES": "deux",
            }
        )

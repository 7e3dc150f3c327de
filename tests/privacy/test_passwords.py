"""New passwords: 12 characters at least, never a common or guessable one, the reason in French
— on the administration form, the command line and the API alike."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlalchemy import select

from cnpe_flow import db
from cnpe_flow.auth.models import User
from cnpe_flow.auth.passwords import password_problem

COMMON = "fait partie des plus courants"


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("aaaaaaaaaa", "au moins 12 caractères (il en a 10)"),
        ("password12", "au moins 12 caractères"),
        ("aaaaaaaaaaaa", "trop peu de caractères différents"),
        ("abababababab", "trop peu de caractères différents"),
        ("password1234", COMMON),
        ("azertyuiop12", COMMON),
        ("azertyuiop!!", "suite du clavier"),
        ("motdepasse123", COMMON),
        ("Mot de passe 2026 !", COMMON),
        ("soleil123456", COMMON),
        ("2026marseille", COMMON),
        ("P@ssw0rd2026", COMMON),
        ("jetaime-jetaime", "motif répété"),
        ("123456789012", "suite du clavier"),
        ("qsdfghjklmwx", "suite du clavier"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password, why):
    problem = password_problem(password)
    assert problem is not None and why in problem


def test_a_password_that_is_the_user_name_is_refused():
    assert "l'identifiant" in password_problem("camille.durand2026", username="Camille.Durand")


@pytest.mark.parametrize(
    "password",
    ["demo-admin-2026", "demo-partenaire-2026", "cheval-batterie-agrafe", "Ma soeur a 3 chats !"],
)
def test_long_uncommon_passwords_are_accepted(password):
    assert password_problem(password, username="camille") is None


def test_the_admin_form_refuses_a_common_password(app, client, make_user, login):
    login(client, make_user("admin"))
    page = client.form(
        "/admin/utilisateurs",
        {
            "name": "sacha",
            "role": "partner",
            "password": "azertyuiop2026",
        },
    )
    assert page.status_code == 400
    assert COMMON in page.get_data(as_text=True)
    with db.transaction(app) as s:
        assert s.execute(select(User).where(User.username == "sacha")).first() is None


def test_the_api_refuses_a_weak_password_by_field(app, client, make_user, token_for):
    headers = token_for(make_user("admin"))
    weak = client.post(
        "/api/v1/users",
        json={"name": "sacha", "role": "partner", "password": "soleil123456"},
        headers=headers,
    )
    strong = client.post(
        "/api/v1/users",
        json={"name": "sacha", "role": "partner", "password": "trois mots au hasard"},
        headers=headers,
    )
    assert weak.status_code == 400
    [error] = weak.get_json()["errors"]
    assert error["field"] == "password" and COMMON in error["message"]
    assert strong.status_code == 201
    assert strong.get_json()["username"] == "sacha"


def test_the_command_line_refuses_a_weak_password(database_url):
    env = {"PATH": os.environ["PATH"], "DATABASE_URL": database_url, "SECRET_KEY": "cle"}
    result = subprocess.run(
        [sys.executable, "-m", "cnpe_flow", "create-user", "sacha", "--role", "partner"],
        input="motdepasse2026\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("password: ") and COMMON in result.stderr
    assert "Traceback" not in result.stderr

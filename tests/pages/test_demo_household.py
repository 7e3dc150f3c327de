"""The demo data has a household with a C2S participation (issue 8): a spouse and two children,
resources between the two C2S ceilings, so the case page shows the participation per member
and in total (C2S-2)."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from cnpe_flow import db
from cnpe_flow.demo import DEMO_USERS, load_demo
from cnpe_flow.people.evaluation import evaluate_person
from cnpe_flow.people.models import Person

PASSWORDS = {username: password for _, username, password, _ in DEMO_USERS}


def test_c2s_2_the_demo_family_pays_a_participation_per_member_and_in_total(app):
    with db.transaction(app) as s:
        load_demo(s)
    with db.transaction(app) as s:
        family = s.exec(select(Person).where(Person.last_name == "Mercier")).scalar_one()
        assert [m["relation"] for m in family.household["members"]] == ["spouse", "child", "child"]
        rights = evaluate_person(s, family).output["rights_to_check"]
        c2s = next(r for r in rights if r["right"] == "c2s")
        assert c2s["status"] == "likely", "C2S-1"
        assert [m["monthly"] for m in c2s["participation"]["members"]] == [
            "14.00",
            "14.00",
            "8.00",
            "8.00",
        ], "C2S-2"
        assert c2s["participation"]["total_monthly"] == "44.00", "C2S-2"
        person_id = family.id

    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post(
        "/login", data={"csrf_token": token, "username": "spip", "password": PASSWORDS["spip"]}
    )
    case = html.unescape(client.get(f"/personnes/{person_id}").get_data(as_text=True))
    text = " ".join(re.sub(r"<[^>]+>", " ", case).replace("\u00a0", " ").split())
    assert "Droits à vérifier" in text
    assert "Total pour le foyer 44,00 € par mois" in text, "C2S-2"

"""The establishment filter of « Sorties à venir » and « Personnes » lists only what the user
can see: a partner gets the establishments of the files shared with them, the administration
all of them (issue 12)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from cnpe_flow import db
from cnpe_flow.auth.models import User
from cnpe_flow.people.models import Person
from cnpe_flow.people.operations import revoke_share, share_person

LIANCOURT = "Centre pénitentiaire de Liancourt"
FRESNES = "Centre pénitentiaire de Fresnes"
#: an establishment where nobody in these tests is held
BAPAUME = "Centre de détention de Bapaume"


def options(html: str) -> list[str]:
    """The names the « Établissement » filter offers (after « Tous »)."""
    select_html = html[html.index('<select id="etablissement"') :]
    select_html = select_html[: select_html.index("</select>")]
    names = [part.split(">", 1)[1].split("<", 1)[0] for part in select_html.split("<option")[1:]]
    assert names[0] == "Tous"
    return names[1:]


@pytest.fixture
def partner_with_one_file(app, make_user, make_person):
    """A partner sharing one file of Liancourt, with files at Fresnes they do not see."""
    shared = make_person(
        last_name="Partagee",
        events=[{"type": "ecrou", "date": "2026-01-10", "establishment": LIANCOURT}],
    )
    fresnes = [{"type": "ecrou", "date": "2026-02-01", "establishment": FRESNES}]
    make_person(last_name="Fresnois", establishment=FRESNES, events=fresnes)
    ended = make_person(last_name="Ancien", establishment=FRESNES, events=fresnes)
    partner = make_user("partner")
    with db.transaction(app) as s:
        admin = s.exec(select(User).where(User.role == "admin")).scalars().first()
        share_person(s, admin, s.get(Person, shared.id), partner.id, date(2026, 11, 20))
        # a share that was withdrawn shows nothing, its establishment neither
        old = share_person(s, admin, s.get(Person, ended.id), partner.id, date(2026, 11, 20))
        revoke_share(s, admin, s.get(Person, ended.id), old.id)
    return partner


@pytest.mark.parametrize("page", ["/", "/personnes"])
def test_a_partner_filter_lists_only_the_establishments_of_their_files(
    client, login, partner_with_one_file, page
):
    login(client, partner_with_one_file)

    offered = options(client.get(page).get_data(as_text=True))

    assert offered == [LIANCOURT]


@pytest.mark.parametrize("page", ["/", "/personnes"])
def test_a_partner_cannot_filter_on_an_establishment_they_do_not_see(
    client, login, partner_with_one_file, page
):
    login(client, partner_with_one_file)

    response = client.get(f"{page}?etablissement=CP-FRESNES")

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="etablissement-error"' in html and "établissement inconnu" in html


@pytest.mark.parametrize("page", ["/", "/personnes"])
def test_the_administration_keeps_every_establishment(client, login, make_user, page):
    login(client, make_user("admin"))

    offered = options(client.get(page).get_data(as_text=True))

    assert BAPAUME in offered and len(offered) > 100

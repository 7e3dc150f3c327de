"""After a refused action, the browser stays on the page the form sits on, with the message
next to the field (issue 12): withdrawing an event, ending a sharing, generating a letter,
confirming an import. Each test submits the form as a browser does, to the address in its
``action``, and checks the final address and where the message is."""

from __future__ import annotations

import html
import io
import re
from datetime import date
from urllib.parse import urlsplit

from forms.form_pages import field_error, hidden_value, page_text
from sqlalchemy import select

from cnpe_flow import db
from cnpe_flow.auth.models import User
from cnpe_flow.people.models import CustodyEvent, Person, Share
from cnpe_flow.people.operations import revoke_share, share_person

ECROU = {"type": "ecrou", "date": "2026-01-10", "establishment": "CP Liancourt"}
PLANNED = {"type": "planned_release", "date": "2026-12-15"}


def form_holding(page: str, text: str) -> tuple[str, str]:
    """The form of ``page`` that holds ``text``, and its ``action`` (without the fragment)."""
    form = next(f for f in re.findall(r"<form\b.*?</form>", page, re.S) if text in html.unescape(f))
    action = html.unescape(re.search(r'action="([^"#]*)', form).group(1))  # type: ignore[union-attr]
    return form, action


def submit(client, page_url: str, button: str, typed: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    """Open ``page_url``, fill the form holding ``button`` and send it where the browser would
    (its ``action``); the response, after any redirection."""
    form, action = form_holding(client.get(page_url).get_data(as_text=True), button)
    hidden = dict(
        re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)
        + re.findall(r'<input id="[^"]*" name="([^"]+)" type="hidden" value="([^"]*)"', form)
    )
    target = urlsplit(action)
    url = target.path + (f"?{target.query}" if target.query else "")
    return client.form(url, {**hidden, **(typed or {})}, follow_redirects=True)


def address(response) -> str:  # type: ignore[no-untyped-def]
    """Where the browser is after ``response``: path and query."""
    query = response.request.query_string.decode()
    return response.request.path + (f"?{query}" if query else "")


def planned_event_id(app, person_id: int) -> int:
    with db.transaction(app) as s:
        found = s.exec(
            select(CustodyEvent.id).where(
                CustodyEvent.person_id == person_id, CustodyEvent.type == "planned_release"
            )
        )
        return found.scalars().one()


def test_a_refused_withdrawal_stays_on_the_correction_page(
    app, client, login, make_user, make_person
):
    person = make_person(events=[ECROU, PLANNED])
    login(client, make_user("spip"))
    page = f"/personnes/{person.id}/evenements/nouveau?corrige={planned_event_id(app, person.id)}"

    refused = submit(client, page, "Retirer l'événement", {"comment": "  "})

    assert refused.status_code == 400
    assert address(refused) == page
    assert "Expliquez pourquoi" in field_error(refused, "withdraw-comment")

    done = submit(client, page, "Retirer l'événement", {"comment": "saisie en double"})

    assert address(done) == f"/personnes/{person.id}"
    with db.transaction(app) as s:
        assert s.get(Person, person.id).planned_release is None


def _events(app, person_id: int) -> list[CustodyEvent]:
    with db.transaction(app) as s:
        found = s.exec(select(CustodyEvent).where(CustodyEvent.person_id == person_id))
        return list(found.scalars())


def test_withdrawing_an_event_already_withdrawn_in_another_tab_goes_back_to_the_file(
    app, client, login, make_user, make_person
):
    """Issue 12: the second click gave a bare « Page introuvable »; now the file's page, at
    its top where the message is, and nothing recorded twice."""
    person = make_person(events=[ECROU, PLANNED])
    login(client, make_user("spip"))
    page = f"/personnes/{person.id}/evenements/nouveau?corrige={planned_event_id(app, person.id)}"
    stale = client.get(page).get_data(as_text=True)  # the other tab, opened before
    submit(client, page, "Retirer l'événement", {"comment": "saisie en double"})

    form, action = form_holding(stale, "Retirer l'événement")
    version = re.search(r'name="version"[^>]*value="(\d+)"', form).group(1)  # type: ignore[union-attr]
    again = client.form(action, {"retirer": "", "comment": "en double", "version": version})
    shown = client.get(again.headers["Location"])

    assert again.status_code == 303
    assert again.headers["Location"] == f"/personnes/{person.id}#contenu"
    assert "Cet événement était déjà retiré : l'historique est à jour." in page_text(shown)
    assert len(_events(app, person.id)) == 3  # the écrou, the planned release, one withdrawal


def test_a_stale_correction_link_of_an_event_corrected_meanwhile_says_so(
    app, client, login, make_user, make_person
):
    person = make_person(events=[ECROU, PLANNED])
    login(client, make_user("spip"))
    page = f"/personnes/{person.id}/evenements/nouveau?corrige={planned_event_id(app, person.id)}"
    version = hidden_value(client.get(page), "version")
    corrected = client.form(page, {"date": "20/12/2026", "comment": "greffe", "version": version})

    reopened = client.get(page, follow_redirects=True)

    assert corrected.status_code == 303
    assert address(reopened) == f"/personnes/{person.id}"
    assert "Cet événement était déjà corrigé : l'historique est à jour." in page_text(reopened)


def test_an_event_of_another_file_or_a_hidden_medical_one_is_still_not_found(
    app, client, login, make_user, make_person
):
    person = make_person(events=[ECROU])
    other = make_person(events=[ECROU, PLANNED])
    usmp = login(app.test_client(), make_user("usmp"))
    recorded = usmp.form(
        f"/personnes/{person.id}/evenements/nouveau?type=atmp_during_ecrou",
        {"date": "2026-03-01", "consolidated": "non", "version": str(person.version)},
    )
    atmp = next(e for e in _events(app, person.id) if e.type == "atmp_during_ecrou")
    withdrawn = submit(
        usmp,
        f"/personnes/{person.id}/evenements/nouveau?corrige={atmp.id}",
        "Retirer l'événement",
        {"comment": "saisie en double"},
    )
    login(client, make_user("spip"))
    base = f"/personnes/{person.id}/evenements"

    assert recorded.status_code == 303 and address(withdrawn) == f"/personnes/{person.id}"
    # the SPIP never learns that a medical event existed, withdrawn or not
    assert client.get(f"{base}/nouveau?corrige={atmp.id}").status_code == 404
    assert client.form(f"{base}/{atmp.id}/retirer", {"comment": "x"}).status_code == 404
    # another file's event, named under this file
    planned = planned_event_id(app, other.id)
    assert client.get(f"{base}/nouveau?corrige={planned}").status_code == 404


def test_ending_a_sharing_already_ended_stays_on_the_sharing_page(
    app, client, login, make_user, make_person
):
    person = make_person(events=[ECROU])
    partner = make_user("partner")
    with db.transaction(app) as s:
        admin = s.exec(select(User).where(User.role == "admin")).scalars().first()
        shared = share_person(s, admin, s.get(Person, person.id), partner.id, date(2026, 11, 20))
        share_id = shared.id
    login(client, make_user("spip"))
    page = f"/personnes/{person.id}/partage"
    first = client.get(page).get_data(as_text=True)
    # meanwhile a colleague ends it from another browser
    with db.transaction(app) as s:
        admin = s.exec(select(User).where(User.role == "admin")).scalars().first()
        revoke_share(s, admin, s.get(Person, person.id), share_id)

    _, action = form_holding(first, "Retirer le partage")
    refused = client.form(action, {"retirer": str(share_id)})

    assert refused.status_code == 409
    assert address(refused) == page
    text = page_text(refused)
    listing = text[text.index("Partages en cours") : text.index("Partages retirés")]
    assert 'id="retirer-error"' in listing and "déjà été retiré" in listing
    with db.transaction(app) as s:
        assert s.get(Share, share_id).revoked_at is not None


def test_ending_a_sharing_from_its_page_goes_back_to_it(app, client, login, make_user, make_person):
    person = make_person(events=[ECROU])
    partner = make_user("partner")
    with db.transaction(app) as s:
        admin = s.exec(select(User).where(User.role == "admin")).scalars().first()
        share_person(s, admin, s.get(Person, person.id), partner.id, date(2026, 11, 20))
    login(client, make_user("spip"))
    page = f"/personnes/{person.id}/partage"

    done = submit(client, page, "Retirer le partage")

    assert done.status_code == 200 and address(done) == page
    assert "Partage retiré." in page_text(done)
    with db.transaction(app) as s:
        assert s.exec(select(Share.revoked_at)).scalars().one() is not None


def test_a_refused_letter_stays_on_the_letters_page_with_the_reason_in_the_list(
    app, client, login, make_user, make_person
):
    person = make_person(events=[ECROU, PLANNED])
    login(client, make_user("spip"))
    page = f"/personnes/{person.id}/courriers"
    first = client.get(page).get_data(as_text=True)
    # meanwhile the planned release is withdrawn: no letter applies any more
    submit(
        client,
        f"/personnes/{person.id}/evenements/nouveau?corrige={planned_event_id(app, person.id)}",
        "Retirer l'événement",
        {"comment": "date annulée par le greffe"},
    )

    _, action = form_holding(first, 'value="release_summary"')
    refused = client.form(action, {"kind": "release_summary"})

    assert refused.status_code == 400
    assert address(refused) == page
    text = page_text(refused)
    applicable = text[text.index('id="applicable-title"') : text.index('id="stored-title"')]
    assert 'id="courriers-error"' in applicable
    assert "ni date de sortie prévue ni levée d'écrou" in applicable


def test_a_forged_kind_in_the_packet_form_is_refused_by_the_packet_form(
    app, client, login, make_user, make_person
):
    """Issue 12: the browser lands on the packet form (its ``action`` ends in
    ``#dossier-de-sortie``): the message must be there, not above the list."""
    person = make_person(events=[ECROU, PLANNED])
    login(client, make_user("spip"))
    page = f"/personnes/{person.id}/courriers"
    form, _ = form_holding(client.get(page).get_data(as_text=True), "Générer le dossier de sortie")

    refused = submit(client, page, "Générer le dossier de sortie", {"kind": "lettre-inventee"})

    assert f'action="/personnes/{person.id}/courriers#dossier-de-sortie"' in form
    assert refused.status_code == 400 and address(refused) == page
    landed = re.search(r'<form[^>]*id="dossier-de-sortie">.*?</form>', refused.text, re.S)
    assert landed is not None
    error = re.search(r'id="dossier-de-sortie-error"[^>]*>(.*?)</p>', landed.group(0))
    assert error is not None
    assert html.unescape(error.group(1)) == "Type de courrier inconnu « lettre-inventee »."
    assert 'aria-describedby="dossier-de-sortie-error"' in landed.group(0)
    assert 'id="courriers-error"' not in refused.text


def test_a_forged_kind_in_a_letter_form_is_refused_above_the_list(
    app, client, login, make_user, make_person
):
    """That form's fragment names a letter that has no row: the page stays at its top."""
    person = make_person(events=[ECROU, PLANNED])
    login(client, make_user("spip"))
    page = f"/personnes/{person.id}/courriers"

    refused = submit(client, page, 'value="release_summary"', {"kind": "lettre-inventee"})

    assert refused.status_code == 400
    text = page_text(refused)
    applicable = text[text.index('id="applicable-title"') : text.index('id="dossier-de-sortie"')]
    assert 'id="courriers-error"' in applicable and "lettre-inventee" in applicable


def test_a_letter_generated_from_its_page_comes_back_to_it(
    app, client, login, make_user, make_person
):
    person = make_person(events=[ECROU, PLANNED])
    login(client, make_user("spip"))
    page = f"/personnes/{person.id}/courriers"

    done = submit(client, page, "Générer le dossier de sortie")

    assert address(done) == page
    assert "version 1 générée" in page_text(done)


def test_a_replayed_import_stays_on_the_import_page_with_the_message_at_the_file(
    client, login, make_user
):
    login(client, make_user("spip"))
    roster = (
        b"numero_ecrou;nom;prenom;date_naissance;etablissement;date_ecrou;date_sortie_prevue;"
        b"date_levee_ecrou\n90001;Durand;Alex;02/04/1988;CP Liancourt;10/01/2026;15/12/2026;\n"
    )
    preview = client.form(
        "/import",
        {"fichier": (io.BytesIO(roster), "liste.csv")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    confirm, action = form_holding(preview, "Confirmer l'import")
    token = re.search(r'name="token" value="([^"]+)"', confirm).group(1)  # type: ignore[union-attr]

    done = client.form(action, {"token": token})
    replayed = client.form(action, {"token": token})

    assert "Import enregistré" in page_text(done)
    assert replayed.status_code == 400
    assert address(replayed) == "/import"
    assert "déjà été importé" in html.unescape(
        re.search(r'id="fichier-error"[^>]*>(.*?)</p>', replayed.get_data(as_text=True)).group(1)  # type: ignore[union-attr]
    )


def test_an_upload_without_a_file_names_the_file_field(client, login, make_user):
    login(client, make_user("spip"))

    refused = client.form("/import", {}, content_type="multipart/form-data")

    assert refused.status_code == 400
    assert address(refused) == "/import"
    assert 'aria-describedby="fichier-error"' in refused.get_data(as_text=True)


def test_a_2_mb_reason_comes_back_on_the_correction_page_by_its_field(
    app, client, login, make_user, make_person
):
    person = make_person(events=[ECROU, PLANNED])
    login(client, make_user("spip"))
    page = f"/personnes/{person.id}/evenements/nouveau?corrige={planned_event_id(app, person.id)}"

    refused = submit(client, page, "Retirer l'événement", {"comment": "saisie " * 300_000})

    assert refused.status_code == 400
    assert address(refused) == page
    assert "caractères au plus" in field_error(refused, "withdraw-comment")
    assert "saisie saisie" in page_text(refused)
    with db.transaction(app) as s:
        assert s.get(Person, person.id).planned_release is not None

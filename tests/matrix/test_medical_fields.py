"""Medical details never reach the SPIP nor the partner, on any page, API answer, PDF,
reminder e-mail or calendar feed about the followed person (ALD and IJ before écrou, the IJ
to resume at an aménagement, an unconsolidated AT/MP) — even when the IJ step was stored
before contract v2 made it medical — and the USMP and the administrator do read them, so
that the check cannot pass by reading nothing.

The readings are every GET route of ``app.url_map`` that names a person, plus the lists that
show people (``PERSON_LISTS``); a new GET route must be put in one or the other.
"""

from __future__ import annotations

import html
import io
import json
import re
from typing import Any

import pytest
from matrix_routes import ROUTES, Route
from pypdf import PdfReader
from sqlalchemy import select
from world import World

from cnpe_flow import db
from cnpe_flow.auth.models import User
from cnpe_flow.clock import today_paris
from cnpe_flow.letters.kinds import letter_kinds
from cnpe_flow.letters.models import Letter
from cnpe_flow.people.models import Person, Task
from cnpe_flow.people.visibility import MEDICAL_FIELDS
from cnpe_flow.reference import cnpe_pole
from cnpe_flow.reminders.messages import build_email
from cnpe_flow.reminders.models import Notification
from cnpe_flow.reminders.operations import create_calendar_token, record_due_notifications
from cnpe_flow.reminders.settings import reminder_settings

_NORD = cnpe_pole("NORD")
assert _NORD is not None
#: what tells a health condition: the ALD and AT/MP names and codes, the medical officer,
#: invalidity and sick-pay benefits. The whole answer is searched: no navigation or static text
#: of the application uses these words (so a hit is always about the person), once the two
#: things below are set aside (see :func:`readable_text`).
MEDICAL_WORDS = (
    "ALD",
    "ald_",
    "AT/MP",
    "atmp",
    "Médecin chef",
    "invalidité",
    # IJ reveal sick leave (contract v2): their rule IDs, task kind, period status and name
    "IJ-",
    "ij_",
    "resumable",
)
#: words looked for in any case (« Indemnités journalières » starts a line or a title)
CASELESS_WORDS = ("indemnités journalières",)
#: where ALD renewals go (the NORD pole's médecin chef), in any case (letters print the city in
#: capitals, the reference table of CPAM offices does not)
POLE_ADDRESS = (*_NORD.address_lines, f"{_NORD.postcode} {_NORD.city}".lower())


def medical_words_in(text: str, *, letter: bool = False) -> list[str]:
    """The medical words in ``text``. In a letter the pole's address alone tells nothing: the
    CNPE's own letters (the aménagement notice, AFF-2/AFF-3) go to the same pole; the médecin
    chef's title is what names an ALD renewal there."""
    lower = text.lower()
    found = [w for w in MEDICAL_WORDS if w in text] + [w for w in CASELESS_WORDS if w in lower]
    if not letter:
        found += [w for w in POLE_ADDRESS if w.lower() in lower]
    return found


#: GET routes without a person in their path that list people (query string to use)
PERSON_LISTS: dict[str, dict[str, str]] = {
    "dashboard.index": {},
    "people.search": {"q": "lambert"},
    "api.search_people": {"q": "lambert"},
    "reminders.notifications": {},
    "reminders.calendar_feed": {},  # the caller's own feed (token added below)
}
#: GET routes that show no person at all
NOT_ABOUT_A_PERSON = frozenset(
    {
        "health.healthz",
        "auth.login",
        "api.openapi_json",
        "reminders.calendar_settings",
        "profile.profile",
        "people_edit.new_person",
        "admin.users",
        "admin.user_edit",
        "admin.audit",
        "admin.reference",
        "account.account",
        "privacy.index",
        # the import page and its templates (the report of an upload is a POST answer)
        "imports.import_page",
        "imports.template_csv_file",
        "imports.template_xlsx_file",
    }
)
#: random strings a page carries (CSRF token, calendar secret) could spell "ALD" by chance:
#: they are cut out of pages before the search
_RANDOM = re.compile(r'(name="csrf_token"[^>]*value=")[^"]*"|/agenda/[A-Za-z0-9_-]+\.ics')


def readable_text(response: Any) -> str:
    """What a reader gets out of an answer: PDF text, JSON without escapes, unescaped HTML."""
    if response.mimetype == "application/pdf":
        reader = PdfReader(io.BytesIO(response.data))
        return "\n".join(page.extract_text() for page in reader.pages)
    if response.mimetype == "application/json":
        body = response.get_json()
        if isinstance(body, dict) and "evaluation" in body:
            # The names of the withheld fields, the same for everyone, are not a detail.
            hidden = body["evaluation"].pop("hidden_medical_fields", None)
            assert hidden is None or sorted(hidden) == sorted(MEDICAL_FIELDS), hidden
        return json.dumps(body, ensure_ascii=False)
    if response.mimetype == "text/calendar":
        return response.get_data(as_text=True).replace("\r\n ", "")  # unfold long lines
    return html.unescape(_RANDOM.sub(r"\1", response.get_data(as_text=True)))


def _person_urls(world: World, route: Route, caller: str, letter_ids: list[int]) -> list[str]:
    followed = world.people["followed"].id
    if "kind" in route.arguments:
        return [
            world.url(route.endpoint, {"person_id": followed, "kind": k}, {}, caller)
            for k in letter_kinds()
        ]
    if "letter_id" in route.arguments:
        return [
            world.url(route.endpoint, {"person_id": followed, "letter_id": i}, {}, caller)
            for i in letter_ids
        ]
    url = world.url(route.endpoint, {"person_id": followed}, {}, caller)
    if route.endpoint == "people_edit.new_event":
        # the chooser, and the correction of the écrou: both show the event history
        correct = world.url(
            route.endpoint,
            {"person_id": followed},
            {"corrige": world.value("event_id", caller)},
            caller,
        )
        return [url, correct]
    return [url]


def reading_urls(
    world: World, caller: str, letter_ids: list[int], token: str
) -> list[tuple[Route, str]]:
    """Every GET URL about the followed person, with the route it belongs to."""
    found = []
    for route in ROUTES:
        if route.method != "GET" or route.endpoint in NOT_ABOUT_A_PERSON:
            continue
        if "person_id" in route.arguments:
            found += [(route, url) for url in _person_urls(world, route, caller, letter_ids)]
            continue
        assert route.endpoint in PERSON_LISTS, (
            f"new GET route {route.rule}: put « {route.endpoint} » in PERSON_LISTS or "
            "NOT_ABOUT_A_PERSON in tests/matrix/test_medical_fields.py"
        )
        arguments = {"token": token} if "token" in route.arguments else {}
        found.append(
            (route, world.url(route.endpoint, arguments, PERSON_LISTS[route.endpoint], caller))
        )
    return found


def read(world: World, route: Route, url: str, caller: str) -> Any:
    if route.api:
        return world.api_client(caller).get(url, headers=world.api_headers(caller))
    return world.page_client(caller).get(url)


def prepare(world: World) -> None:
    """Every letter stored (the administrator's packet holds the ALD letter), reminders due."""
    admin = world.api_headers("admin")
    client = world.api_client("admin")
    base = f"/api/v1/people/{world.people['followed'].id}"
    for kind in letter_kinds():
        client.get(f"{base}/letters/{kind}.pdf", headers=admin)
    assert client.get(f"{base}/packet.pdf", headers=admin).status_code == 200
    with db.transaction(world.app) as s:
        assert record_due_notifications(s, today_paris(), lead_days=7, overdue_days=30) > 0


def _calendar_token(world: World, caller: str) -> str:
    with db.transaction(world.app) as s:
        return create_calendar_token(s, s.get(User, world.users[caller].id))  # type: ignore[arg-type]


def _letter_ids(world: World) -> list[int]:
    with db.transaction(world.app) as s:
        return list(
            s.exec(
                select(Letter.id).where(Letter.person_id == world.people["followed"].id)
            ).scalars()
        )


def store_ij_step_as_before_contract_v2(world: World) -> None:
    """Databases filled before contract v2 hold the IJ step as a SPIP, non-medical task."""
    with db.transaction(world.app) as s:
        task = s.exec(
            select(Task).where(
                Task.person_id == world.people["followed"].id, Task.kind == "ij_resumption"
            )
        ).scalar_one()
        task.medical, task.owner = False, "spip"


def emails_of(world: World, caller: str) -> list[str]:
    """Subject and body of every reminder e-mail this caller's notifications would send."""
    app = world.app
    settings = reminder_settings(app.config)
    with db.transaction(app) as s:
        rows = s.execute(
            select(Notification, Task, Person, User)
            .join(Task, Task.id == Notification.task_id)
            .join(Person, Person.id == Task.person_id)
            .join(User, User.id == Notification.user_id)
            .where(User.id == world.users[caller].id)
        ).all()
        with app.app_context():
            mails = [build_email(app, settings, n, t, p, u) for n, t, p, u in rows]
    return [f"{m['Subject']}\n{m.get_content()}" for m in mails]


@pytest.mark.slow
@pytest.mark.parametrize("stored", ["today", "before contract v2"])
@pytest.mark.parametrize("caller", ["spip", "partner"])
def test_spip_and_partner_read_no_medical_detail(world: World, caller: str, stored: str) -> None:
    if stored != "today":
        store_ij_step_as_before_contract_v2(world)
    for user in world.users.values():  # every account gets its e-mails
        with db.transaction(world.app) as s:
            s.get(User, user.id).email = f"{user.username}@cnpe.example"  # type: ignore[union-attr]
    prepare(world)
    for kind in letter_kinds():  # the caller's own letters and packet are stored too
        url = f"/api/v1/people/{world.people['followed'].id}/letters/{kind}.pdf"
        world.api_client(caller).get(url, headers=world.api_headers(caller))
    token = _calendar_token(world, caller)
    found, read_ok = [], []
    for route, url in reading_urls(world, caller, _letter_ids(world), token):
        response = read(world, route, url, caller)
        assert response.status_code < 500, f"{caller}: GET {url} → {response.status_code}"
        if response.status_code == 200:
            read_ok.append(route.endpoint)
        text = readable_text(response)
        letter = response.mimetype == "application/pdf"
        found += [
            f"{caller}: GET {url} ({response.status_code}) shows « {word} »"
            for word in medical_words_in(text, letter=letter)
        ]
    emails = emails_of(world, caller)
    found += [
        f"{caller}: e-mail « {mail.splitlines()[0]} » shows « {word} »"
        for mail in emails
        for word in medical_words_in(mail)
    ]
    assert not found, "\n".join(found)
    # the reminders were read for real (the SPIP's; a partner's tasks come later)
    assert emails or caller == "partner"
    # the file was read for real: its pages, the API and at least one PDF
    assert {
        "people.case_page",
        "people.prepare_release",
        "letters.person_letters",
        "api.get_person",
        "api.list_events",
        "api.list_tasks",
        "letters.api_letter",
        "letters.api_packet",
        "letters.download",
    } <= set(read_ok)


@pytest.mark.parametrize("caller", ["usmp", "admin"])
def test_usmp_and_admin_read_the_medical_details(world: World, caller: str) -> None:
    followed = world.people["followed"].id
    page = readable_text(world.page_client(caller).get(f"/personnes/{followed}"))
    assert "ALD" in page and "AT/MP" in page
    events = readable_text(
        world.api_client(caller).get(
            f"/api/v1/people/{followed}/events", headers=world.api_headers(caller)
        )
    )
    assert "atmp_during_ecrou" in events
    # IJ before écrou and the step to resume them (contract v2: medical)
    assert "Indemnités journalières" in page
    tasks = world.api_client(caller).get(
        f"/api/v1/people/{followed}/tasks", headers=world.api_headers(caller)
    )
    assert "ij_resumption" in {t["kind"] for t in tasks.get_json()}
    letter = world.api_client(caller).get(
        f"/api/v1/people/{followed}/letters/ald_renewal.pdf", headers=world.api_headers(caller)
    )
    # reading PDFs works: the words are found when they are there
    assert {"ALD", "Médecin chef", *POLE_ADDRESS} <= set(medical_words_in(readable_text(letter)))

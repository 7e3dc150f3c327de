"""The route × role table: what each caller gets from each route of the application.

``EXPECTED[endpoint][method][caller]`` is the outcome for the followed person (CP Liancourt,
shared with the partner) and the objects the world made for them. Every route of
``app.url_map`` (but ``static``) must be here: a new route without a row fails the matrix.

Outcomes are classes, not status codes: the point is access, not what the form says.
``OK`` is any 2xx, a redirect elsewhere than the login page, or a 400 answer to a POST whose
values were refused (the request reached the view's validation, after the access checks).

The rules the test adds to every row (see ``test_route_matrix.py``):
- a person of another establishment (CP Fresnes) for the SPIP and the USMP, and for the
  partner a person never shared (CP Fresnes) or whose sharing was revoked, are "not found"
  (404), never "forbidden": ids reveal nothing;
- the administrator naming a task, event, share or letter of the followed person under another
  person's id gets 404 (an object is reached only through its own person);
- on the API, a bad token and a browser session without token get the anonymous answer (401);
  on pages, an API token without session gets the anonymous answer (the login page);
- an account deactivated after logging in and getting a token gets the anonymous answer,
  with its session on pages and with its token on the API.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from world import ANONYMOUS, ref

OK = "allowed"
LOGIN = "redirect to /login"
UNAUTHORIZED = "401 unauthorized"
FORBIDDEN = "403 forbidden"
NOT_FOUND = "404 not found"

ANON, SPIP, USMP, PARTNER, ADMIN = ANONYMOUS, "spip", "usmp", "partner", "admin"

#: a page every logged-in role may open
EVERY_ROLE = {ANON: LOGIN, SPIP: OK, USMP: OK, PARTNER: OK, ADMIN: OK}
#: an API route every role may use with its token
EVERY_TOKEN = {ANON: UNAUTHORIZED, SPIP: OK, USMP: OK, PARTNER: OK, ADMIN: OK}
#: administration pages
ADMIN_ONLY = {ANON: LOGIN, SPIP: FORBIDDEN, USMP: FORBIDDEN, PARTNER: FORBIDDEN, ADMIN: OK}
#: creating files, changing identity and custody, sharing: the establishment's social side
SPIP_ADMIN_PAGE = {ANON: LOGIN, SPIP: OK, USMP: FORBIDDEN, PARTNER: FORBIDDEN, ADMIN: OK}
SPIP_ADMIN_API = {ANON: UNAUTHORIZED, SPIP: OK, USMP: FORBIDDEN, PARTNER: FORBIDDEN, ADMIN: OK}

EXPECTED: dict[str, dict[str, dict[str, str]]] = {
    # --- public -------------------------------------------------------------------------
    "health.healthz": {"GET": {ANON: OK, SPIP: OK, USMP: OK, PARTNER: OK, ADMIN: OK}},
    # a logged-in user is sent home; an empty login form is refused (400)
    "auth.login": {
        "GET": {ANON: OK, SPIP: OK, USMP: OK, PARTNER: OK, ADMIN: OK},
        "POST": {ANON: OK, SPIP: OK, USMP: OK, PARTNER: OK, ADMIN: OK},
    },
    # logging out ends on the login page, whoever asks
    "auth.logout": {"POST": {ANON: LOGIN, SPIP: LOGIN, USMP: LOGIN, PARTNER: LOGIN, ADMIN: LOGIN}},
    # the calendar feed is public: its secret token is the credential
    "reminders.calendar_feed": {"GET": {ANON: OK, SPIP: OK, USMP: OK, PARTNER: OK, ADMIN: OK}},
    # --- reading pages ------------------------------------------------------------------
    # POST: bulk « Fait » on the dashboard, as closing one task (the USMP only reads it)
    "dashboard.index": {
        "GET": EVERY_ROLE,
        "POST": {ANON: LOGIN, SPIP: OK, USMP: FORBIDDEN, PARTNER: OK, ADMIN: OK},
    },
    "people.search": {"GET": EVERY_ROLE},
    # POST: the compact task forms post to the page they sit on (as people.task_status)
    "people.case_page": {
        "GET": EVERY_ROLE,
        "POST": {ANON: LOGIN, SPIP: OK, USMP: FORBIDDEN, PARTNER: OK, ADMIN: OK},
    },
    "people.prepare_release": {
        "GET": EVERY_ROLE,
        "POST": {ANON: LOGIN, SPIP: OK, USMP: FORBIDDEN, PARTNER: OK, ADMIN: OK},
    },
    # POST: the « Générer » buttons post to the page they sit on (as letters.generate)
    "letters.person_letters": {
        "GET": EVERY_ROLE,
        "POST": {ANON: LOGIN, SPIP: FORBIDDEN, USMP: OK, PARTNER: FORBIDDEN, ADMIN: OK},
    },
    # a stored release summary: every reader of the file may download it
    "letters.download": {"GET": EVERY_ROLE},
    "reminders.notifications": {"GET": EVERY_ROLE},
    # one's own notification
    "reminders.mark_read": {"POST": EVERY_ROLE},
    "reminders.mark_all_read": {"POST": EVERY_ROLE},
    "reminders.calendar_settings": {"GET": EVERY_ROLE, "POST": EVERY_ROLE},
    # --- changing a file (pages) --------------------------------------------------------
    # a non-medical task (contacting the CPAM): SPIP or partner; the USMP only reads it
    "people.task_status": {
        "POST": {ANON: LOGIN, SPIP: OK, USMP: FORBIDDEN, PARTNER: OK, ADMIN: OK}
    },
    "people_edit.new_person": {"GET": SPIP_ADMIN_PAGE, "POST": SPIP_ADMIN_PAGE},
    # the SPIP changes the identity, the USMP the medical benefits; the partner nothing
    "people_edit.edit_person": {
        "GET": {ANON: LOGIN, SPIP: OK, USMP: OK, PARTNER: FORBIDDEN, ADMIN: OK},
        "POST": {ANON: LOGIN, SPIP: OK, USMP: OK, PARTNER: FORBIDDEN, ADMIN: OK},
    },
    # GET ?type=atmp_during_ecrou: the AT/MP form is the USMP's
    # POST ?type=levee_ecrou: custody events are the SPIP's
    "people_edit.new_event": {
        "GET": {ANON: LOGIN, SPIP: FORBIDDEN, USMP: OK, PARTNER: FORBIDDEN, ADMIN: OK},
        "POST": SPIP_ADMIN_PAGE,
    },
    # withdrawing the écrou (a custody event)
    "people_edit.withdraw_event": {"POST": SPIP_ADMIN_PAGE},
    "people_edit.share": {"GET": SPIP_ADMIN_PAGE, "POST": SPIP_ADMIN_PAGE},
    "people_edit.revoke_share": {"POST": SPIP_ADMIN_PAGE},
    # household and resources: the SPIP and the partner enter them, the USMP only reads them
    "people_edit.household": {
        "GET": EVERY_ROLE,
        "POST": {ANON: LOGIN, SPIP: OK, USMP: FORBIDDEN, PARTNER: OK, ADMIN: OK},
    },
    # generating the ALD renewal letter: medical, USMP and admin only
    "letters.generate": {
        "POST": {ANON: LOGIN, SPIP: FORBIDDEN, USMP: OK, PARTNER: FORBIDDEN, ADMIN: OK}
    },
    # the USMP reads the MAS referral; the SPIP and the partner follow it
    "letters.mas_referral": {
        "GET": EVERY_ROLE,
        "POST": {ANON: LOGIN, SPIP: OK, USMP: FORBIDDEN, PARTNER: OK, ADMIN: OK},
    },
    # roster import (issue 11): the upload without a file and the confirmation without a
    # preview are refused by validation (400) for the SPIP and the admin
    "imports.import_page": {"GET": SPIP_ADMIN_PAGE},
    "imports.upload": {"POST": SPIP_ADMIN_PAGE},
    "imports.confirm": {"POST": SPIP_ADMIN_PAGE},
    "imports.template_csv_file": {"GET": SPIP_ADMIN_PAGE},
    "imports.template_xlsx_file": {"GET": SPIP_ADMIN_PAGE},
    # each user edits their own profile (sender details of their letters)
    "profile.profile": {"GET": EVERY_ROLE, "POST": EVERY_ROLE},
    # --- administration -----------------------------------------------------------------
    "admin.users": {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY},
    "admin.user_edit": {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY},
    "admin.audit": {"GET": ADMIN_ONLY},
    "admin.reference": {"GET": ADMIN_ONLY},
    "privacy.index": {"GET": ADMIN_ONLY},
    # « déconnecter partout » and revoking a token of the SPIP's account
    "admin.user_end_sessions": {"POST": ADMIN_ONLY},
    "admin.user_revoke_token": {"POST": ADMIN_ONLY},
    # --- one's own account --------------------------------------------------------------
    # POST: the password form posts to its page (as account.change_password)
    "account.account": {"GET": EVERY_ROLE, "POST": EVERY_ROLE},
    "account.change_password": {"POST": EVERY_ROLE},
    "account.end_other_sessions": {"POST": EVERY_ROLE},
    "account.new_token": {"POST": EVERY_ROLE},
    # the token named is the SPIP's: nobody else finds it
    "account.revoke": {
        "POST": {ANON: LOGIN, SPIP: OK, USMP: NOT_FOUND, PARTNER: NOT_FOUND, ADMIN: NOT_FOUND}
    },
    # --- API ----------------------------------------------------------------------------
    "api.openapi_json": {"GET": EVERY_TOKEN},
    "api.evaluate": {"POST": EVERY_TOKEN},
    "api.search_people": {"GET": EVERY_TOKEN},
    "api.create_person": {"POST": SPIP_ADMIN_API},
    "api.get_person": {"GET": EVERY_TOKEN},
    "api.list_events": {"GET": EVERY_TOKEN},
    "api.list_tasks": {"GET": EVERY_TOKEN},
    # a levée d'écrou: custody events are the SPIP's
    "api.add_event": {"POST": SPIP_ADMIN_API},
    # the non-medical task, as on the page
    "api.update_task": {
        "POST": {ANON: UNAUTHORIZED, SPIP: OK, USMP: FORBIDDEN, PARTNER: OK, ADMIN: OK}
    },
    "api.share_person": {"POST": SPIP_ADMIN_API},
    "api.create_user": {
        "POST": {
            ANON: UNAUTHORIZED,
            SPIP: FORBIDDEN,
            USMP: FORBIDDEN,
            PARTNER: FORBIDDEN,
            ADMIN: OK,
        }
    },
    # roster import without a file: 400 for the SPIP and the admin
    "api.create_import": {"POST": SPIP_ADMIN_API},
    # the household, as on the page
    "api.update_household": {
        "PUT": {ANON: UNAUTHORIZED, SPIP: OK, USMP: FORBIDDEN, PARTNER: OK, ADMIN: OK}
    },
    # identity and release address, as on the edit page (USMP: medical fields only)
    "api.patch_person": {
        "PATCH": {ANON: UNAUTHORIZED, SPIP: OK, USMP: FORBIDDEN, PARTNER: FORBIDDEN, ADMIN: OK}
    },
    # the ALD renewal letter: "not found" for the roles that may not get it, so that a medical
    # letter cannot be told apart from one that does not apply
    "letters.api_letter": {
        "GET": {ANON: UNAUTHORIZED, SPIP: NOT_FOUND, USMP: OK, PARTNER: NOT_FOUND, ADMIN: OK}
    },
    # each role gets the letters it may read, in one PDF
    "letters.api_packet": {"GET": EVERY_TOKEN},
    # consent to the MAS referral: those who follow it, as on the page (USMP reads it)
    "letters.api_mas_consent": {
        "POST": {ANON: UNAUTHORIZED, SPIP: OK, USMP: FORBIDDEN, PARTNER: OK, ADMIN: OK}
    },
}


@dataclass(frozen=True)
class Call:
    """What a probe sends besides the caller: path arguments (default: the world's object of
    that name, the person being ``followed``), query string, and form or JSON body."""

    arguments: dict[str, Any] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=dict)


#: the request of each route, when it is more than its URL (bodies are mostly empty or
#: incomplete: the allowed roles get a 400 from validation, the others a 403 before it)
CALLS: dict[tuple[str, str], Call] = {
    ("people.search", "GET"): Call(query={"q": "martin"}),
    ("api.search_people", "GET"): Call(query={"q": "martin"}),
    # a real change, so that the access check (which follows validation) is reached
    ("people.task_status", "POST"): Call(
        body={"status": "done", "comment": "appel passé", "version": ref("version")}
    ),
    ("api.update_task", "POST"): Call(body={"status": "done", "comment": "appel passé"}),
    **{
        (page, "POST"): Call(
            body={"tache": ref("task_id"), "status": "done", "version": ref("version")}
        )
        for page in ("people.case_page", "people.prepare_release")
    },
    ("dashboard.index", "POST"): Call(body={"tache": ref("task_id")}),
    ("people_edit.new_event", "GET"): Call(query={"type": "atmp_during_ecrou"}),
    ("people_edit.new_event", "POST"): Call(query={"type": "levee_ecrou"}),
    **{
        (page, "POST"): Call(body={"kind": "ald_renewal"})
        for page in ("letters.generate", "letters.person_letters")
    },
    ("letters.mas_referral", "POST"): Call(body={"action": "consent", "consent_date": ""}),
    ("letters.api_letter", "GET"): Call(arguments={"kind": "ald_renewal"}),
    ("api.create_person", "POST"): Call(
        body={
            "last_name": "Nouveau",
            "first_name": "Dossier",
            "birth_date": "1990-05-17",
            "residence_status": "regular",
            "carte_vitale": True,
            "residence_postcode": "60000",
            "establishment": "Centre pénitentiaire de Liancourt",
        }
    ),
    # the followed person is already out: a second levée is refused by the engine (400)
    ("api.add_event", "POST"): Call(body={"type": "levee_ecrou", "date": "2026-11-20"}),
    ("api.evaluate", "POST"): Call(body={}),
    # a valid household (lives alone, resources known): the allowed roles get 200
    ("api.patch_person", "PATCH"): Call(
        body={
            "release_address": {
                "kind": "hosted",
                "care_of": "Mme Durand",
                "lines": ["12 rue des Lilas"],
                "postcode": "60100",
                "city": "Creil",
            },
            "version": ref("version"),
        }
    ),
    ("api.update_household", "PUT"): Call(
        body={"household": {"members": [], "annual_resources": 12000, "rsa": False}}
    ),
}


@dataclass(frozen=True)
class Variant:
    """Another probe of a route: other objects or values, and who gets what then."""

    name: str
    call: Call
    expected: dict[str, str]


def medical(role_outcome_for_others: str) -> dict[str, str]:
    """USMP and admin reach a medical object; the SPIP and the partner get ``role_outcome…``."""
    return {SPIP: role_outcome_for_others, USMP: OK, PARTNER: role_outcome_for_others, ADMIN: OK}


#: generating a letter (from the letters page, or its former address)
GENERATE_VARIANTS = [
    # the letters the person needs after release are the partner's too
    Variant(
        "release summary",
        Call(body={"kind": "release_summary"}),
        {SPIP: OK, USMP: OK, PARTNER: OK, ADMIN: OK},
    ),
    # letters the establishment sends to the CPAM are not the partner's
    Variant(
        "CPAM transfer",
        Call(body={"kind": "cpam_transfer"}),
        {SPIP: OK, USMP: OK, PARTNER: FORBIDDEN, ADMIN: OK},
    ),
]


VARIANTS: dict[tuple[str, str], list[Variant]] = {
    ("people.task_status", "POST"): [
        # a medical task is hidden from those who may not know it exists
        Variant(
            "AT/MP task",
            Call(
                arguments={"task_id": ref("medical_task")},
                body={"status": "done", "comment": "transmis", "version": ref("version")},
            ),
            medical(NOT_FOUND),
        )
    ],
    **{
        (page, "POST"): [
            Variant(
                "AT/MP task",
                Call(
                    body={
                        "tache": ref("medical_task"),
                        "status": "done",
                        "version": ref("version"),
                    }
                ),
                medical(NOT_FOUND),
            )
        ]
        for page in ("people.case_page", "people.prepare_release")
    },
    ("dashboard.index", "POST"): [
        Variant("AT/MP task", Call(body={"tache": ref("medical_task")}), medical(NOT_FOUND))
    ],
    ("api.update_task", "POST"): [
        Variant(
            "AT/MP task",
            Call(arguments={"task_id": ref("medical_task")}, body={"status": "done"}),
            medical(NOT_FOUND),
        )
    ],
    ("people_edit.new_event", "GET"): [
        Variant("event type chooser", Call(), {SPIP: OK, USMP: OK, PARTNER: OK, ADMIN: OK}),
        Variant(
            "transfer form",
            Call(query={"type": "transfer"}),
            {SPIP: OK, USMP: FORBIDDEN, PARTNER: FORBIDDEN, ADMIN: OK},
        ),
        Variant(
            "correcting the AT/MP",
            Call(query={"corrige": ref("atmp_event")}),
            medical(NOT_FOUND),
        ),
        # an event is corrected only under its own person's id
        Variant(
            "correcting another person's event",
            Call(query={"corrige": ref("other_person_event")}),
            {SPIP: NOT_FOUND, ADMIN: NOT_FOUND},
        ),
    ],
    ("people_edit.new_event", "POST"): [
        # after-release events are also the partner's
        Variant(
            "AME filed",
            Call(query={"type": "ame_filed"}),
            {SPIP: OK, USMP: FORBIDDEN, PARTNER: OK, ADMIN: OK},
        ),
        Variant("AT/MP", Call(query={"type": "atmp_during_ecrou"}), medical(FORBIDDEN)),
        # a transfer moves the file: a custody event, the SPIP's (refused here by the engine,
        # the followed person being out: 400 after the access checks)
        Variant(
            "transfer",
            Call(
                query={"type": "transfer"},
                body={
                    "date": "2026-11-20",
                    "establishment": "CP Fresnes",
                    "version": ref("version"),
                },
            ),
            {SPIP: OK, USMP: FORBIDDEN, PARTNER: FORBIDDEN, ADMIN: OK},
        ),
    ],
    ("people_edit.withdraw_event", "POST"): [
        Variant("the AT/MP", Call(arguments={"event_id": ref("atmp_event")}), medical(NOT_FOUND)),
    ],
    ("api.add_event", "POST"): [
        Variant(
            "AT/MP",
            Call(body={"type": "atmp_during_ecrou", "date": "2026-04-01", "consolidated": False}),
            medical(FORBIDDEN),
        ),
        Variant(
            "AME filed",
            Call(body={"type": "ame_filed", "date": "2026-11-20", "complete": True}),
            {SPIP: OK, USMP: FORBIDDEN, PARTNER: OK, ADMIN: OK},
        ),
        Variant(
            "transfer",
            Call(body={"type": "transfer", "date": "2026-11-20", "establishment": "CP Fresnes"}),
            {SPIP: OK, USMP: FORBIDDEN, PARTNER: FORBIDDEN, ADMIN: OK},
        ),
    ],
    ("letters.generate", "POST"): GENERATE_VARIANTS,
    ("letters.person_letters", "POST"): GENERATE_VARIANTS,
    ("letters.download", "GET"): [
        # a stored medical letter is "not found" for those who may not read it
        Variant(
            "ALD renewal letter",
            Call(arguments={"letter_id": ref("medical_letter")}),
            medical(NOT_FOUND),
        ),
    ],
    ("letters.api_letter", "GET"): [
        Variant(
            "release summary",
            Call(arguments={"kind": "release_summary"}),
            {SPIP: OK, USMP: OK, PARTNER: OK, ADMIN: OK},
        ),
        Variant(
            "CPAM transfer",
            Call(arguments={"kind": "cpam_transfer"}),
            {SPIP: OK, USMP: OK, PARTNER: NOT_FOUND, ADMIN: OK},
        ),
    ],
    ("reminders.mark_read", "POST"): [
        Variant(
            "someone else's notification",
            Call(arguments={"notification_id": ref("other_notification_id")}),
            {SPIP: NOT_FOUND, USMP: NOT_FOUND, PARTNER: NOT_FOUND, ADMIN: NOT_FOUND},
        ),
    ],
    ("reminders.calendar_feed", "GET"): [
        Variant(
            "unknown token",
            Call(arguments={"token": "jeton-inconnu"}),
            {ANON: NOT_FOUND, SPIP: NOT_FOUND, ADMIN: NOT_FOUND},
        ),
    ],
    ("admin.user_edit", "GET"): [
        Variant("unknown account", Call(arguments={"user_id": 999_999}), {ADMIN: NOT_FOUND}),
    ],
}

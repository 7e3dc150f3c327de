"""What reminders say, in-app, by e-mail and in calendars: enough to act, nothing more.

No NIR and no health detail ever leaves the application: a medical task is "une étape
médicale", whoever reads it (e-mails and calendars end up on phones and in mail archives).
The person is named by first name and last-name initial ("Alex D."), with the case link, so
that a worker knows whom the reminder is about without a full identity in a mailbox.
"""

from __future__ import annotations

from datetime import date
from email.message import EmailMessage
from email.utils import format_datetime

from flask import Flask
from werkzeug.routing import BuildError

from cnpe_flow.auth.models import ROLE_LABELS, User
from cnpe_flow.clock import now_utc
from cnpe_flow.people.models import Person, Task
from cnpe_flow.people.task_kinds import is_medical, kind_label
from cnpe_flow.reminders.models import Notification
from cnpe_flow.reminders.settings import ReminderSettings
from cnpe_flow.web.templating import due_note, fr_date

DUE_SOON = "due_soon"
OVERDUE = "overdue"
#: a file transferred to the user's establishment (told once, when it arrives)
TRANSFER = "transfer"

REASON_LABELS = {
    DUE_SOON: "Échéance proche",
    OVERDUE: "En retard",
    TRANSFER: "Dossier reçu par transfert",
}

MEDICAL_STEP = "Une étape médicale"

#: the endpoint of the case page, and its argument
CASE_ENDPOINT = "people.case_page"


def short_name(person: Person) -> str:
    """``Alex D.``: first name and last-name initial."""
    initial = person.last_name.strip()[:1].upper()
    return f"{person.first_name.strip()} {initial}." if initial else person.first_name.strip()


def task_label(task: Task) -> str:
    return kind_label(task.kind)


def safe_title(task: Task) -> str:
    """The task's title with no health detail (what leaves the application)."""
    return MEDICAL_STEP if is_medical(task) else task_label(task)


def due_text(due: date) -> str:
    """``28/11/2026 (samedi)``: the legal date, with a weekend or public holiday noted."""
    note = due_note(due)
    return f"{fr_date(due)} ({note})" if note else fr_date(due)


def notification_message(task: Task, reason: str) -> str:
    """The stored in-app text (no name: the page shows the person while still visible)."""
    if reason == TRANSFER:
        return f"Dossier reçu par transfert le {fr_date(task.due)} : reprendre le suivi"
    lead = "En retard depuis le" if reason == OVERDUE else "À faire pour le"
    return f"{safe_title(task)} — {lead} {due_text(task.due)}"[:500]


def case_path(app: Flask, person_id: int) -> str | None:
    """The case page's path, or None while that page does not exist."""
    try:
        return app.url_map.bind("localhost").build(CASE_ENDPOINT, {"person_id": person_id})
    except BuildError:
        return None


def case_url(app: Flask, settings: ReminderSettings, person_id: int) -> str | None:
    path = case_path(app, person_id)
    if path is None or settings.base_url is None:
        return None
    return settings.base_url + path


def message_id(notification: Notification, settings: ReminderSettings) -> str:
    """The same for every attempt at one notification, so a repeat can be recognised."""
    stamp = notification.created_at.strftime("%Y%m%d%H%M%S")
    return f"<cnpe-flow.notification.{notification.id}.{stamp}@{settings.mail_domain}>"


def build_email(
    app: Flask,
    settings: ReminderSettings,
    notification: Notification,
    task: Task,
    person: Person,
    user: User,
) -> EmailMessage:
    """The reminder e-mail for one notification (plain text, French)."""
    who = short_name(person)
    if notification.reason == TRANSFER:
        subject = f"[cnpe-flow] Dossier reçu par transfert : {who}"
    elif notification.reason == OVERDUE:
        subject = f"[cnpe-flow] En retard : échéance du {fr_date(task.due)} pour {who}"
    else:
        subject = f"[cnpe-flow] Échéance le {fr_date(task.due)} pour {who}"
    body = app.jinja_env.get_template("reminders/email.txt").render(
        reason=notification.reason,
        who=who,
        title=safe_title(task),
        medical=is_medical(task),
        due=fr_date(task.due),
        note=due_note(task.due),
        planned_release=fr_date(person.planned_release) if person.planned_release else None,
        case_url=case_url(app, settings, person.id),  # type: ignore[arg-type]
        person_id=person.id,
        role_label=ROLE_LABELS.get(user.role, user.role),  # type: ignore[call-overload]
    )
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = settings.mail_from
    msg["To"] = user.email
    msg["Date"] = format_datetime(now_utc())
    msg["Message-ID"] = message_id(notification, settings)
    # RFC 3834: automatic message, so out-of-office replies are not sent back.
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(body)
    return msg

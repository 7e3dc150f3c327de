"""MAS operations: referrals to the CPAM's Mission accompagnement santé and their follow-up
(REL-3, REL-5). The page and the API are in :mod:`cnpe_flow.letters.mas_views`.

Steps: record the person's consent first (REL-5), tick the entry problems, mark the referral
sent (date), then record the answer (acknowledged, accepted, or refused with a reason). Never
for a person who relies on AME (REL-4): the engine then lists no ``mas_referral`` letter.

When a referral is sent, a ``mas_follow_up`` task is due after the usual handling time
(parameter ``mas_handling_time``, 15 days, seeds 001 and 002): if no answer has come by then
the referrer follows up. The task is closed (done) as soon as an answer is recorded. The
engine's task synchronisation leaves this kind alone (it is not an engine task kind).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from cnpe_flow.audit.models import AuditEvent
from cnpe_flow.audit.operations import record
from cnpe_flow.auth.access import check_can_refer_to_mas
from cnpe_flow.auth.models import User
from cnpe_flow.clock import now_utc, today_paris
from cnpe_flow.errors import Conflict, InvalidInput
from cnpe_flow.letters.context import MAS_PROBLEMS
from cnpe_flow.letters.models import MasReferral, MasStatus
from cnpe_flow.letters.operations import (
    LetterUnavailable,
    applicable_kinds,
    latest_referral,
    unavailable_reason,
)
from cnpe_flow.letters.parameters import ParameterReader
from cnpe_flow.locking import bump_version
from cnpe_flow.people.evaluation import evaluate_person
from cnpe_flow.people.forms import not_a_date, read_date
from cnpe_flow.people.models import Person, Task, TaskStatus
from cnpe_flow.rules import Problem
from cnpe_flow.rules.dates import fr

MAS_FOLLOW_UP = "mas_follow_up"
MAS_FOLLOW_UP_LABEL = (
    "Relancer la Mission accompagnement santé : pas de retour sur la saisine envoyée"
)
MAS_FOLLOW_UP_RULES = ["REL-3", "REL-5"]
ANSWERS = (MasStatus.ACKNOWLEDGED, MasStatus.ACCEPTED, MasStatus.REFUSED)
STATUS_LABELS = {
    MasStatus.TO_SEND: "à envoyer",
    MasStatus.SENT: "envoyée, en attente de retour",
    MasStatus.ACKNOWLEDGED: "reçue par la Mission accompagnement santé",
    MasStatus.ACCEPTED: "accompagnement accepté",
    MasStatus.REFUSED: "refusée",
}
_CLOSED = (MasStatus.ACCEPTED, MasStatus.REFUSED)


def check_mas_applies(session: Session, person: Person) -> None:
    """:class:`LetterUnavailable` with the reason when the engine lists no MAS referral."""
    output = evaluate_person(session, person).output
    if "mas_referral" not in applicable_kinds(output):
        raise LetterUnavailable(unavailable_reason(output, person, "mas_referral"))


def follow_up_task(session: Session, referral: MasReferral) -> Task | None:
    return session.exec(
        select(Task).where(
            Task.person_id == referral.person_id, Task.key == f"{MAS_FOLLOW_UP}:{referral.id}"
        )
    ).scalar_one_or_none()


def follow_up_warnings(referral: MasReferral) -> list[dict[str, str]]:
    """The engine's warning when the handling time that dated the follow-up (read on the day
    the referral was sent) is stale or extrapolated: the page shows it « à vérifier »."""
    if referral.sent_on is None:
        return []
    params = ParameterReader()
    params("mas_handling_time", referral.sent_on)
    return params.warnings


def record_consent(
    session: Session,
    actor: User,
    person: Person,
    consent_date: Any,
    expected_version: int | None = None,
) -> MasReferral:
    """REL-5: the person agreed to the referral on ``consent_date`` (starts a referral if needed)."""
    check_can_refer_to_mas(actor)
    check_mas_applies(session, person)
    day = _past_date("consent_date", consent_date, "date du consentement")
    referral = latest_referral(session, person.id)  # type: ignore[arg-type]
    if referral is None or referral.status in _CLOSED:
        referral = MasReferral(person_id=person.id, referrer_id=actor.id)  # type: ignore[arg-type]
        session.add(referral)
        session.flush()
    else:
        if referral.status != MasStatus.TO_SEND:
            raise InvalidInput.one(
                "consent_date", "la saisine est déjà envoyée : le consentement ne change plus"
            )
        _bump(session, referral, expected_version)
    referral.consent_date = day
    referral.consent_recorded_by = actor.id
    session.flush()
    _audit(session, actor, referral, "consent", old_status=None, date_=day)
    return referral


def set_problems(
    session: Session,
    actor: User,
    person: Person,
    problems: list[str],
    expected_version: int | None = None,
) -> MasReferral:
    """Tick the entry problems of a referral not sent yet (codes of ``MAS_PROBLEMS``)."""
    check_can_refer_to_mas(actor)
    referral = _open_referral(session, person)
    unknown = [p for p in problems if p not in MAS_PROBLEMS]
    if unknown:
        raise InvalidInput.one("problems", f"difficulté inconnue : {', '.join(unknown)}")
    if referral.status != MasStatus.TO_SEND:
        raise InvalidInput.one("problems", "la saisine est déjà envoyée : elle ne change plus")
    _bump(session, referral, expected_version)
    referral.problems = [code for code in MAS_PROBLEMS if code in set(problems)]
    session.flush()
    _audit(session, actor, referral, "problems", old_status=None)
    return referral


def mark_sent(
    session: Session,
    actor: User,
    person: Person,
    sent_on: Any,
    expected_version: int | None = None,
) -> MasReferral:
    """The referral was sent on ``sent_on``: only after consent (REL-5) and with a problem ticked.

    Creates the follow-up task, due after the usual handling time.
    """
    check_can_refer_to_mas(actor)
    referral = _open_referral(session, person)
    if referral.status != MasStatus.TO_SEND:
        raise InvalidInput.one("sent_on", "la saisine est déjà marquée envoyée")
    problems: list[Problem] = []
    if referral.consent_date is None:
        problems.append(
            Problem(
                "consent_date",
                "recueillez d'abord le consentement de la personne : la saisine ne part pas "
                "sans son accord (REL-5)",
            )
        )
    if not referral.problems:
        problems.append(Problem("problems", "cochez au moins une difficulté repérée"))
    day = _past_date("sent_on", sent_on, "date d'envoi")
    if referral.consent_date is not None and day < referral.consent_date:
        problems.append(Problem("sent_on", "la saisine ne peut pas partir avant le consentement"))
    if problems:
        raise InvalidInput(problems)
    _bump(session, referral, expected_version)
    referral.status = MasStatus.SENT
    referral.sent_on = day
    referral.referrer_id = actor.id
    session.flush()
    delay = ParameterReader()("mas_handling_time", day)  # its warning: follow_up_warnings
    session.add(
        Task(
            person_id=person.id,  # type: ignore[arg-type]
            key=f"{MAS_FOLLOW_UP}:{referral.id}",
            kind=MAS_FOLLOW_UP,
            owner="spip",
            medical=False,
            due=delay.value.after(day),
            rules=list(MAS_FOLLOW_UP_RULES),
        )
    )
    session.flush()
    _audit(session, actor, referral, "sent", old_status=MasStatus.TO_SEND, date_=day)
    return referral


def record_answer(
    session: Session,
    actor: User,
    person: Person,
    status: str,
    answered_on: Any,
    refusal_reason: str | None = None,
    expected_version: int | None = None,
) -> MasReferral:
    """The MAS answered (acknowledged, accepted or refused with a reason): the follow-up closes."""
    check_can_refer_to_mas(actor)
    referral = _open_referral(session, person)
    allowed = {
        MasStatus.SENT: ANSWERS,
        MasStatus.ACKNOWLEDGED: (MasStatus.ACCEPTED, MasStatus.REFUSED),
    }.get(referral.status, ())
    if status not in ANSWERS:
        raise InvalidInput.one("status", "choisissez : reçue, acceptée ou refusée")
    if status not in allowed:
        raise InvalidInput.one(
            "status", f"la saisine est « {STATUS_LABELS[referral.status]} » : réponse impossible"
        )
    day = _past_date("answered_on", answered_on, "date de la réponse")
    problems: list[Problem] = []
    if referral.sent_on is not None and day < referral.sent_on:
        problems.append(Problem("answered_on", "la réponse ne peut pas précéder l'envoi"))
    reason = (refusal_reason or "").strip() or None
    if status == MasStatus.REFUSED and reason is None:
        problems.append(Problem("refusal_reason", "indiquez le motif du refus"))
    if reason is not None and len(reason) > 1000:
        problems.append(Problem("refusal_reason", "1000 caractères au plus"))
    if problems:
        raise InvalidInput(problems)
    old = referral.status
    _bump(session, referral, expected_version)
    referral.status = status
    referral.answered_on = day
    referral.refusal_reason = reason if status == MasStatus.REFUSED else None
    task = follow_up_task(session, referral)
    if task is not None and task.status == TaskStatus.OPEN:
        task.status = TaskStatus.DONE
        task.closed_by = actor.id
        task.closed_at = now_utc()
        task.comment = f"Retour de la Mission accompagnement santé le {fr(day)}."
    session.flush()
    _audit(session, actor, referral, "answer", old_status=old, date_=day)
    return referral


def _open_referral(session: Session, person: Person) -> MasReferral:
    referral = latest_referral(session, person.id)  # type: ignore[arg-type]
    if referral is None or referral.status in _CLOSED:
        raise InvalidInput.one(
            "consent_date", "recueillez d'abord le consentement de la personne (REL-5)"
        )
    return referral


def _bump(session: Session, referral: MasReferral, expected_version: int | None) -> None:
    bump_version(
        session,
        referral,
        expected_version,
        Conflict(
            "Cette orientation a été modifiée par quelqu'un d'autre depuis que vous l'avez "
            "ouverte. Rechargez la page pour voir la nouvelle version, puis refaites votre saisie."
        ),
    )


def _past_date(field: str, raw: Any, label: str) -> date:
    day: date | None = None
    if isinstance(raw, date):
        day = raw
    elif isinstance(raw, str) and raw.strip():
        try:
            # typed on the page as every other date (JJ/MM/AAAA), ISO from the API and pickers
            day = read_date(raw)
        except ValueError:
            raise InvalidInput.one(field, not_a_date(raw)) from None
    if day is None:
        raise InvalidInput.one(field, f"{label} obligatoire (JJ/MM/AAAA)")
    if day > today_paris():
        raise InvalidInput.one(field, f"la {label} ne peut pas être dans le futur")
    return day


def _audit(
    session: Session,
    actor: User,
    referral: MasReferral,
    action: str,
    *,
    old_status: str | None,
    date_: date | None = None,
) -> None:
    details: dict[str, Any] = {
        "referral_id": referral.id,
        "action": action,
        "status": referral.status,
        "problems": list(referral.problems),
    }
    if old_status is not None:
        details["old_status"] = old_status
    if date_ is not None:
        details["date"] = date_.isoformat()
    record(
        session,
        AuditEvent.MAS_REFERRAL_UPDATED,
        actor_id=actor.id,
        person_id=referral.person_id,
        details=details,
    )

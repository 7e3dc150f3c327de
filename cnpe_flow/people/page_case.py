"""What the case page shows, already cut to the reader's role.

Views hand the templates only what this module returns: tasks with their reasons, the event
history with corrections, identity fields (NIR masked for partners) and the redacted
evaluation. Medical details never reach a template for a non-medical reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from cnpe_flow.auth import access
from cnpe_flow.auth.models import User
from cnpe_flow.clock import today_paris
from cnpe_flow.imports.models import RosterImport
from cnpe_flow.people.evaluation import Evaluation, evaluate_person
from cnpe_flow.people.models import CustodyEvent, Person, Task, TaskStatus
from cnpe_flow.people.page_labels import (
    BENEFIT_LABELS,
    EVENT_LABELS,
    MEDICAL_EVENT_LABEL,
    event_details,
)
from cnpe_flow.people.page_reasons import Reason, reasons_for
from cnpe_flow.people.page_rights import RightsSection, rights_section
from cnpe_flow.people.page_timeline import Timeline, build_timeline
from cnpe_flow.people.task_kinds import is_medical, kind_is_medical, kind_label
from cnpe_flow.people.visibility import MEDICAL_STEP_LABEL, redact_evaluation
from cnpe_flow.reference import load_establishments
from cnpe_flow.rules.explain import IJ_STATUSES
from cnpe_flow.web.templating import fr_date

#: warning codes that reveal a health matter by their mere presence (ALD pole lookups)
_MEDICAL_WARNING_PREFIXES = ("ald_", "atmp_", "ij_", "invalidity_")


@dataclass
class TaskRow:
    task: Task
    label: str
    #: a medical task shown to a non-medical reader: no kind, no reasons, no form
    masked: bool
    reasons: list[Reason]
    can_close: bool
    closed_by: str | None = None
    #: a message for this task's form after a refused change
    error: str | None = None


@dataclass
class HistoryRow:
    event: CustodyEvent
    label: str
    details: str
    masked: bool
    author: str | None
    #: the later correction that replaced or withdrew this event
    corrected_by: CustodyEvent | None = None
    corrected_by_author: str | None = None
    #: the earlier event this one corrects
    corrects: CustodyEvent | None = None
    #: « liste « x.csv » importée le JJ/MM/AAAA » when a roster import recorded the event
    imported_from: str | None = None

    @property
    def struck(self) -> bool:
        return self.corrected_by is not None


@dataclass
class MedicalItem:
    """One medical fact of the evaluation (USMP and admin only)."""

    title: str
    start: str | None
    end: str | None
    text: str
    reasons: list[Reason]


@dataclass
class CasePage:
    person: Person
    output: dict[str, Any]
    medical: bool
    nir: str
    establishment: str | None
    timeline: Timeline
    #: the transfers of the current (or last) écrou: date and establishment names, in order
    transfers: list[dict[str, Any]] = field(default_factory=list)
    open_tasks: list[TaskRow] = field(default_factory=list)
    closed_tasks: list[TaskRow] = field(default_factory=list)
    obsolete_tasks: list[TaskRow] = field(default_factory=list)
    history: list[HistoryRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: IJ periods, maintained benefits (None for non-medical readers)
    medical_items: list[MedicalItem] | None = None
    #: where ALD renewals go (medical readers only)
    ald_renewal: dict[str, Any] | None = None
    ald_reasons: list[Reason] = field(default_factory=list)
    #: « Droits à vérifier »: the engine's rights_to_check in words (people/_rights.html)
    rights: RightsSection | None = None


@cache
def establishment_names() -> dict[str, str]:
    """Reference code -> full name, for showing a stored establishment code."""
    return {e.code: e.name for e in load_establishments()}


def shown_nir(person: Person, user: User) -> str:
    """The NIR in full for SPIP, USMP and admin; partners see only its last four characters."""
    if not person.nir:
        return ""
    if access.is_partner(user):
        return "•" * (len(person.nir) - 4) + person.nir[-4:]
    return person.nir


def shown_warnings(output: dict[str, Any], *, medical: bool) -> list[str]:
    """Warning messages for this reader (a warning about an ALD pole reveals an ALD)."""
    return [
        w["message"]
        for w in output.get("warnings", [])
        if medical or not w.get("code", "").startswith(_MEDICAL_WARNING_PREFIXES)
    ]


def shown_task_label(kind: str, medical: bool, user: User) -> str:
    """A task's French label, or only "medical step" for a reader who may not know more."""
    if (medical or kind_is_medical(kind)) and not access.can_see_medical(user):
        return MEDICAL_STEP_LABEL
    return kind_label(kind)


def task_row(task: Task, user: User, names: dict[int, str]) -> TaskRow:
    """One stored task as this user may see it."""
    masked = is_medical(task) and not access.can_see_medical(user)
    can_close = access.can_close_task(user, task) and not task.obsolete
    return TaskRow(
        task=task,
        label=shown_task_label(task.kind, is_medical(task), user),
        masked=masked,
        reasons=[] if masked else reasons_for(task.rules),
        can_close=can_close,
        closed_by=names.get(task.closed_by) if task.closed_by else None,
    )


def user_names(session: Session, ids: set[int]) -> dict[int, str]:
    """User names for the given ids, in one query."""
    if not ids:
        return {}
    rows = session.execute(select(User.id, User.username).where(User.id.in_(ids)))
    return {row.id: row.username for row in rows}


def import_labels(session: Session, events: list[CustodyEvent]) -> dict[int, str]:
    """Which roster import recorded each event, in words (one query)."""
    ids = {e.import_id for e in events if e.import_id}
    if not ids:
        return {}
    rows = session.exec(select(RosterImport).where(RosterImport.id.in_(ids))).scalars()  # type: ignore[union-attr]
    return {
        r.id: f"par l'import n° {r.id} de la liste « {r.filename} » du {fr_date(r.imported_at)}"
        for r in rows
        if r.id is not None
    }


def _history(
    evaluation: Evaluation,
    names: dict[int, str],
    *,
    medical: bool,
    imports: dict[int, str] | None = None,
) -> list[HistoryRow]:
    by_id = {e.id: e for e in evaluation.history}
    correction_of = {e.supersedes_id: e for e in evaluation.history if e.supersedes_id}
    rows = []
    for e in sorted(evaluation.history, key=lambda e: (e.date, e.id or 0)):
        if e.withdrawn:
            continue  # shown on the event it withdraws
        masked = e.type in access.MEDICAL_EVENTS and not medical
        later = correction_of.get(e.id)
        rows.append(
            HistoryRow(
                event=e,
                label=MEDICAL_EVENT_LABEL if masked else EVENT_LABELS.get(e.type, e.type),
                details="" if masked else event_details(e.type, e.data),
                masked=masked,
                author=names.get(e.created_by) if e.created_by else None,
                corrected_by=later,
                corrected_by_author=names.get(later.created_by)
                if later and later.created_by
                else None,
                corrects=by_id.get(e.supersedes_id) if e.supersedes_id else None,
                imported_from=(imports or {}).get(e.import_id) if e.import_id else None,
            )
        )
    return rows


def _medical_items(output: dict[str, Any]) -> list[MedicalItem]:
    items = [
        MedicalItem(
            "Indemnités journalières",
            p["start"],
            p["end"],
            IJ_STATUSES.get(p["status"], p["status"]),
            reasons_for(p.get("rules", [])),
        )
        for p in output.get("ij", [])
    ]
    for b in output.get("maintained_benefits", []):
        text = f"maintenue, versée par {b['paid_by']}"
        if b.get("new_claims_to"):
            text += f" ; nouvelles demandes : {b['new_claims_to']}"
        items.append(
            MedicalItem(
                BENEFIT_LABELS.get(b["benefit"], b["benefit"]).capitalize(),
                None,
                None,
                text,
                reasons_for(b.get("rules", [])),
            )
        )
    return items


def load_tasks(session: Session, person: Person) -> list[Task]:
    return list(
        session.execute(
            select(Task).where(Task.person_id == person.id).order_by(Task.due, Task.id)
        ).scalars()
    )


def build_case_page(
    session: Session, user: User, person: Person, *, task_errors: dict[int, str] | None = None
) -> CasePage:
    """Everything the case page shows for this person and this reader."""
    medical = access.can_see_medical(user)
    evaluation = evaluate_person(session, person)
    output = redact_evaluation(evaluation.output, medical=medical)
    tasks = load_tasks(session, person)
    names = user_names(
        session,
        {t.closed_by for t in tasks if t.closed_by}
        | {e.created_by for e in evaluation.history if e.created_by},
    )
    page = CasePage(
        person=person,
        output=output,
        medical=medical,
        nir=shown_nir(person, user),
        establishment=establishment_names().get(person.establishment_code or "")
        or person.establishment_code,
        timeline=build_timeline(
            output["affiliation"],
            evaluation.effective,
            today_paris(),
            medical=medical,
            output=output,
        ),
        history=_history(
            evaluation, names, medical=medical, imports=import_labels(session, evaluation.history)
        ),
        warnings=shown_warnings(output, medical=medical),
    )
    stays = evaluation.output.get("stays") or []
    if stays:
        last = stays[-1]
        before = last["establishment"]["name"]
        for t in last.get("transfers", []):
            name = t["establishment"]["name"]
            page.transfers.append({"date": t["date"], "from": before, "to": name})
            before = name
    page.rights = rights_section(user, person, output)
    if medical:
        page.medical_items = _medical_items(output)
        page.ald_renewal = output.get("ald_renewal")
        page.ald_reasons = reasons_for((page.ald_renewal or {}).get("rules", []))
    for task in tasks:
        row = task_row(task, user, names)
        row.error = (task_errors or {}).get(task.id)  # type: ignore[arg-type]
        if task.obsolete:
            page.obsolete_tasks.append(row)
        elif task.status == TaskStatus.OPEN:
            page.open_tasks.append(row)
        else:
            page.closed_tasks.append(row)
    return page

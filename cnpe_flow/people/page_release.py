"""« Préparer la sortie »: everything due at release for one person, on one screen.

Before the levée d'écrou is recorded, the release tasks and letters do not exist yet: the engine
is asked what *would* follow a levée on the planned date (nothing is stored), so the page
shows them in advance. After the levée, the stored tasks are shown with their status.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from cnpe_flow.auth import access
from cnpe_flow.auth.models import User
from cnpe_flow.letters.kinds import kind_title
from cnpe_flow.letters.models import Letter, MasReferral
from cnpe_flow.people.evaluation import case_for, evaluate_person
from cnpe_flow.people.models import Person
from cnpe_flow.people.page_case import (
    TaskRow,
    load_tasks,
    shown_task_label,
    shown_warnings,
    task_row,
    user_names,
)
from cnpe_flow.people.page_reasons import Reason, period_reasons, reasons_for
from cnpe_flow.people.page_rights import RightsSection, rights_section
from cnpe_flow.people.visibility import redact_evaluation
from cnpe_flow.rules import CaseError, evaluate
from cnpe_flow.rules.explain import ame_unavailable

#: tasks that fall due at the levée d'écrou (contract kinds)
RELEASE_KINDS = (
    "contact_cpam_residence",
    "carte_vitale_update",
    "ame_first_filing_in_person",
    "mas_referral_offer",
    "atmp_ij_claim",
)
#: the project's preparation tasks before a planned release
PREPARATION_KINDS = ("collect_release_address", "prepare_ame_documents", "check_release_letters")


@dataclass
class PlannedTask:
    """A release task the engine announces for the planned date (not stored yet)."""

    label: str
    owner: str
    due: date
    masked: bool
    reasons: list[Reason]


@dataclass
class LetterRow:
    kind: str
    label: str
    reasons: list[Reason]
    #: latest generated version and its date, if any
    version: int | None = None
    generated_at: Any = None
    #: before the levée: prepared for the planned date, to check again once it is recorded
    provisional: bool = False


@dataclass
class ReleasePage:
    person: Person
    medical: bool
    release_date: date | None
    #: True when the levée is recorded; False when only planned (tasks are then announced)
    released: bool
    output: dict[str, Any]
    current_fund: str | None
    next_period: dict[str, Any] | None
    next_period_reasons: list[Reason] = field(default_factory=list)
    preparation: list[TaskRow] = field(default_factory=list)
    release_tasks: list[TaskRow] = field(default_factory=list)
    planned_tasks: list[PlannedTask] = field(default_factory=list)
    letters: list[LetterRow] = field(default_factory=list)
    mas: MasReferral | None = None
    warnings: list[str] = field(default_factory=list)
    address_reasons: list[Reason] = field(default_factory=list)
    #: no base rights after this release (irregular, or PUMa maintenance ended): no transfer
    without_rights: bool = False
    #: released in Mayotte, where AME does not exist (AME-1)
    no_ame: bool = False
    #: « Droits à vérifier » (people/_rights.html), from the same output as the page
    rights: RightsSection | None = None


def _with_planned_levee(
    person: Person, effective: list[Any], planned: date
) -> dict[str, Any] | None:
    """The engine's output as if the levée happened on the planned date (None if it refuses)."""
    case = case_for(person, effective)
    case["events"].append({"type": "levee_ecrou", "date": planned.isoformat()})
    try:
        return evaluate(case)
    except CaseError:
        return None


def _period_at(periods: list[dict[str, Any]], day: date) -> dict[str, Any] | None:
    iso = day.isoformat()
    for p in periods:
        if p["start"] <= iso and (p["end"] is None or iso < p["end"]):
            return p
    return None


def _letters(session: Session, person: Person, output: dict[str, Any]) -> list[LetterRow]:
    kinds = [x["kind"] for x in output["letters"]]
    latest = {
        row.kind: row
        for row in session.execute(
            select(
                Letter.kind,
                func.max(Letter.version).label("version"),
                func.max(Letter.created_at).label("created_at"),
            )
            .where(Letter.person_id == person.id, Letter.kind.in_(kinds))
            .group_by(Letter.kind)
        )
    }
    rows = []
    for x in output["letters"]:
        found = latest.get(x["kind"])
        rows.append(
            LetterRow(
                kind=x["kind"],
                label=kind_title(x["kind"]),
                reasons=reasons_for(x.get("rules", [])),
                version=found.version if found else None,
                generated_at=found.created_at if found else None,
            )
        )
    return rows


def _planned_tasks(output: dict[str, Any], planned: date, user: User) -> list[PlannedTask]:
    """The release tasks of a (simulated, redacted) evaluation, from the planned date on."""
    medical = access.can_see_medical(user)
    out = []
    for t in output["tasks"]:
        due = date.fromisoformat(t["due"])
        # A masked medical step has no kind: its date tells whether it comes with the release.
        release_task = t["kind"] in RELEASE_KINDS or (t.get("medical") and not medical)
        if not release_task or due < planned:
            continue
        out.append(
            PlannedTask(
                label=shown_task_label(t["kind"], t["medical"], user),
                owner=t["owner"],
                due=due,
                masked=bool(t.get("medical")) and not medical,
                reasons=reasons_for(t.get("rules", [])),
            )
        )
    return out


def build_release_page(session: Session, user: User, person: Person) -> ReleasePage:
    """Release date, address, funds, release tasks, letters and MAS referral for this reader."""
    medical = access.can_see_medical(user)
    evaluation = evaluate_person(session, person)
    released = person.released_on is not None
    release_date = person.released_on or person.planned_release
    simulated = None
    if not released and person.planned_release is not None:
        simulated = _with_planned_levee(person, evaluation.effective, person.planned_release)
    output = redact_evaluation(simulated or evaluation.output, medical=medical)
    tasks = load_tasks(session, person)
    names = user_names(session, {t.closed_by for t in tasks if t.closed_by})
    page = ReleasePage(
        person=person,
        medical=medical,
        release_date=release_date,
        released=released,
        output=output,
        current_fund=evaluation.output["current"].get("fund"),
        next_period=_period_at(output["affiliation"], release_date) if release_date else None,
        warnings=shown_warnings(output, medical=medical),
    )
    if page.next_period:
        page.next_period_reasons = period_reasons(page.next_period, output)
    # The address serves the transfer to the CPAM (AFF-6), or, without base rights, only the
    # place of the AME filing (AME-2): AFF-6 does not apply to that person.
    if page.next_period is not None:
        page.without_rights = page.next_period["fund"] == "NONE"
    else:
        page.without_rights = person.residence_status == "irregular"
    page.no_ame = ame_unavailable(output)
    if not page.without_rights:
        page.address_reasons = reasons_for(["AFF-6"])
    else:
        page.address_reasons = reasons_for(["AFF-8", "AME-1" if page.no_ame else "AME-2"])
    for task in tasks:
        if task.obsolete:
            continue
        if task.kind in PREPARATION_KINDS:
            page.preparation.append(task_row(task, user, names))
        elif task.kind in RELEASE_KINDS and person.released_on and task.due >= person.released_on:
            # only the last release's tasks (an earlier stay has its own)
            page.release_tasks.append(task_row(task, user, names))
    if simulated is not None and person.planned_release is not None:
        page.planned_tasks = _planned_tasks(output, person.planned_release, user)
    page.letters = _letters(session, person, output)
    page.rights = rights_section(user, person, output)
    for letter in page.letters:
        letter.provisional = not released
    page.mas = (
        session.execute(
            select(MasReferral)
            .where(MasReferral.person_id == person.id)
            .order_by(MasReferral.id.desc())
        )
        .scalars()
        .first()
    )
    return page

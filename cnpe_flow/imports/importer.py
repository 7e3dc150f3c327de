"""Applying the rows of a roster file, in batches of savepoints (see ``roster.py``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from cnpe_flow.auth import access
from cnpe_flow.auth.models import User
from cnpe_flow.errors import Conflict, Forbidden, InvalidInput
from cnpe_flow.imports.matching import PeopleIndex
from cnpe_flow.imports.models import RosterImport
from cnpe_flow.imports.report import (
    CREATED,
    MODIFIED,
    REFUSED,
    UNCHANGED,
    ImportReport,
    RowResult,
    Step,
)
from cnpe_flow.imports.rows import PERSON_COLUMNS, RosterRow, RowRefused, read_row
from cnpe_flow.imports.wording import (
    EVENT_COLUMNS,
    EVENT_WORDS,
    FIELD_WORDS,
    NEW_PERSON_DEFAULTS,
    by_column,
    code_of,
    establishment_name,
    who,
)
from cnpe_flow.people import operations
from cnpe_flow.people.evaluation import effective_events
from cnpe_flow.people.models import CustodyEvent, Person
from cnpe_flow.people.transfers import PLACING_EVENTS, placing_event
from cnpe_flow.rules.dates import fr

#: rows applied in one savepoint (a refused row makes its batch run again row by row)
BATCH_ROWS = 100


class RowImporter:
    """Matches each row to a person and applies the operations it needs."""

    def __init__(self, session: Session, actor: User, run: RosterImport, report: ImportReport):
        self.session = session
        self.actor = actor
        self.run = run
        self.report = report
        self.comment = f"Import de la liste « {run.filename} »"[:1000]
        self.people = PeopleIndex(session)
        self.histories: dict[int, list[CustodyEvent]] = {}

    def apply(self, rows: list[tuple[int, dict[str, str]]]) -> None:
        read: list[RosterRow | RowResult] = []
        for line, cells in rows:
            try:
                read.append(read_row(line, cells))
            except RowRefused as exc:
                name = f"{cells.get('nom', '').upper()} {cells.get('prenom', '')}".strip()
                read.append(RowResult(line, REFUSED, name=name[:210], problems=exc.problems))
        self._load_histories([r for r in read if isinstance(r, RosterRow)])
        seen: dict[tuple[Any, ...], int] = {}
        work: list[tuple[RosterRow, RowResult]] = []
        for item in read:
            if isinstance(item, RowResult):
                self.report.rows.append(item)
                continue
            result = RowResult(item.line, REFUSED, name=item.display_name)
            self.report.rows.append(result)
            keys = [
                (*item.name_key, item.ecrou_date),
                (item.person["ecrou_number"], item.establishment.code, item.ecrou_date),
            ]
            earlier = next((seen[k] for k in keys if k in seen), None)
            if earlier is not None:
                result.problems.append(
                    f"ligne en double : même personne et même date_ecrou que la ligne {earlier}"
                )
                continue
            for k in keys:
                seen[k] = item.line
            work.append((item, result))
        for start in range(0, len(work), BATCH_ROWS):
            batch = work[start : start + BATCH_ROWS]
            if not self._batch(batch):
                for row, result in batch:  # again, each row in its own savepoint
                    savepoint = self.session.begin_nested()
                    if self._apply_row(row, result, []):
                        savepoint.commit()
                    else:
                        savepoint.rollback()
                        self._forget(result)

    def _batch(self, batch: list[tuple[RosterRow, RowResult]]) -> bool:
        """The rows in one savepoint (one per row costs two round trips each); on the first
        refused operation everything the batch did is undone and ``False`` returned."""
        savepoint = self.session.begin_nested()
        touched: list[tuple[Person, bool]] = []
        for row, result in batch:
            if not self._apply_row(row, result, touched):
                savepoint.rollback()
                for person, created in touched:
                    self.histories.pop(person.id or 0, None)
                    if created:
                        self.people.remove(person)
                    else:
                        self.people.add(person)  # its attributes are read again
                for _, result in batch:
                    result.action, result.person_id = REFUSED, None
                    result.changes.clear()
                    result.problems.clear()
                return False
        savepoint.commit()
        return True

    def _forget(self, result: RowResult) -> None:
        result.changes.clear()
        self.histories.pop(result.person_id or 0, None)

    def _load_histories(self, rows: list[RosterRow]) -> None:
        """Every matched person's events in a few queries (an unchanged re-import reads only)."""
        ids = sorted({p.id for r in rows for p in self.people.candidates(r) if p.id is not None})
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for event in self.session.exec(
                select(CustodyEvent)
                .where(CustodyEvent.person_id.in_(chunk))  # type: ignore[attr-defined]
                .order_by(CustodyEvent.id)
            ).scalars():
                self.histories.setdefault(event.person_id, []).append(event)
            for pid in chunk:
                self.histories.setdefault(pid, [])

    def _history(self, person: Person) -> list[CustodyEvent]:
        assert person.id is not None
        if person.id not in self.histories:
            self.histories[person.id] = list(
                self.session.exec(
                    select(CustodyEvent)
                    .where(CustodyEvent.person_id == person.id)
                    .order_by(CustodyEvent.id)
                ).scalars()
            )
        return self.histories[person.id]

    def _apply_row(
        self, row: RosterRow, result: RowResult, touched: list[tuple[Person, bool]]
    ) -> bool:
        """Apply one row in the caller's savepoint; ``False`` when an operation refused it
        after writing began (the caller rolls back), ``True`` otherwise (applied, unchanged, or
        refused before anything was written)."""
        if (
            not access.works_anywhere(self.actor)
            and row.establishment.code != self.actor.establishment_code
        ):
            result.problems.append(
                "etablissement : vous n'importez que les lignes de votre établissement"
            )
            return True
        found = self.people.candidates(row)
        if len(found) > 1:
            named = " et ".join(who(p) for p in found[:2])
            more = f" (et {len(found) - 2} autres)" if len(found) > 2 else ""
            result.problems.append(
                f"plusieurs personnes correspondent : {named}{more} ; "
                "précisez le numero_ecrou ou le nir, ou corrigez les dossiers"
            )
            return True
        person = found[0] if found else None
        try:
            steps = self._plan_new(row) if person is None else self._plan_existing(row, person)
        except RowRefused as exc:
            result.problems.extend(exc.problems)
            return True
        if person is not None:
            result.person_id = person.id
            result.name = person.display_name  # as the file is known, not as the list spells it
            if not steps:
                result.action = UNCHANGED
                return True
            touched.append((person, False))
        column = steps[0].column
        created, wrote = person is None, False
        try:
            pending: list[Step] = []
            for step in [*steps, None]:
                if step is not None and step.event is not None:
                    pending.append(step)  # new events go in together: one evaluation
                    continue
                if pending:
                    assert person is not None
                    column = pending[0].column
                    operations.add_events(
                        self.session,
                        self.actor,
                        person,
                        [s.event for s in pending],
                        names=[s.column for s in pending],
                        import_id=self.run.id,
                        # as read for the whole file (empty for a file just created), unless
                        # this row already added events: then read again
                        history=None if wrote else [] if created else self._history(person),
                        new_file=created,
                    )
                    wrote = True
                    result.changes.extend(s.text for s in pending)
                    pending = []
                if step is None:
                    break
                column = step.column
                assert step.run is not None
                outcome = step.run(person)
                if isinstance(outcome, Person):
                    person = outcome
                    touched.append((person, True))
                elif isinstance(outcome, CustodyEvent):
                    outcome.import_id = self.run.id
                    wrote = True
                result.changes.append(step.text)
        except InvalidInput as exc:
            result.problems.extend(by_column(p.field, p.message, column) for p in exc.problems)
            return False
        except (Forbidden, Conflict) as exc:
            result.problems.append(str(getattr(exc, "message", exc)))
            return False
        assert person is not None
        result.action = CREATED if result.person_id is None else MODIFIED
        result.person_id = person.id
        self.histories.pop(person.id or 0, None)  # read again if the file names them twice
        self.people.add(person)
        return True

    # --- planning ----------------------------------------------------------------------

    def _plan_new(self, row: RosterRow) -> list[Step]:
        raw = {**NEW_PERSON_DEFAULTS, **row.person}
        raw["birth_date"] = row.person["birth_date"].isoformat()
        raw["establishment"] = row.establishment.code
        raw.pop("establishment_code", None)

        def create(_: Person | None) -> Person:
            return operations.create_person(self.session, self.actor, raw)

        steps = [Step("nouveau dossier", create, "nom")]
        steps += self._stay_steps(row, [], stay_start=None)
        return steps

    def _plan_existing(self, row: RosterRow, person: Person) -> list[Step]:
        steps = self._person_steps(row, person)
        ordered = sorted(effective_events(self._history(person)), key=lambda e: e.date)
        code = row.establishment.code
        placing = [e for e in ordered if e.type in PLACING_EVENTS]
        same = [e for e in placing if e.date == row.ecrou_date and code_of(e) == code]
        ecrous = [e for e in ordered if e.type == "ecrou"]
        if same:
            start = [e for e in ecrous if e.date <= same[-1].date][-1]
            return steps + self._stay_steps(row, ordered, stay_start=start)
        last = ecrous[-1] if ecrous else None
        still_held = last is not None and not any(
            e.type == "levee_ecrou" and e.date >= last.date for e in ordered
        )
        if not still_held:
            return steps + self._stay_steps(row, ordered, stay_start=None)
        assert last is not None
        current = placing_event(ordered)
        assert current is not None
        if code_of(current) != code:
            if any(e.date == row.ecrou_date for e in ecrous):
                raise RowRefused(
                    [
                        f"etablissement : la personne est écrouée depuis le {fr(last.date)} à "
                        f"{establishment_name(code_of(current))} ; pour un transfert, date_ecrou est la date "
                        "d'arrivée dans l'établissement"
                    ]
                )
            steps.append(
                self._event_step(
                    {"type": "transfer", "establishment": row.establishment.name},
                    row.ecrou_date,
                    f"transfert le {fr(row.ecrou_date)} vers {row.establishment.name}",
                )
            )
        else:
            steps.append(self._correction(current, row.ecrou_date))
        return steps + self._stay_steps(row, ordered, stay_start=last)

    def _stay_steps(
        self,
        row: RosterRow,
        ordered: list[CustodyEvent],
        *,
        stay_start: CustodyEvent | None,
    ) -> list[Step]:
        """The écrou of a new stay, then its planned release and levée (added or corrected)."""
        steps: list[Step] = []
        in_stay: list[CustodyEvent] = []
        if stay_start is None:
            steps.append(
                self._event_step(
                    {"type": "ecrou", "establishment": row.establishment.name},
                    row.ecrou_date,
                    f"mise sous écrou le {fr(row.ecrou_date)} ({row.establishment.name})",
                )
            )
        else:
            later = [e for e in ordered if e.type == "ecrou" and e.date > stay_start.date]
            end = later[0].date if later else None
            in_stay = [
                e for e in ordered if e.date >= stay_start.date and (end is None or e.date < end)
            ]
        for kind, wanted in (("planned_release", row.planned_release), ("levee_ecrou", row.levee)):
            if wanted is None:
                continue  # an empty cell never removes anything
            stored = [e for e in in_stay if e.type == kind]
            if not stored:
                text = f"{EVENT_WORDS[kind]} le {fr(wanted)}"
                steps.append(self._event_step({"type": kind}, wanted, text))
            elif stored[-1].date != wanted:
                steps.append(self._correction(stored[-1], wanted))
        return steps

    def _person_steps(self, row: RosterRow, person: Person) -> list[Step]:
        changes: dict[str, Any] = {}
        if row.person["ecrou_number"] != person.ecrou_number:
            changes["ecrou_number"] = row.person["ecrou_number"]
        if "nir" in row.given:
            if person.nir is None:
                changes["nir"] = row.person["nir"]
            elif person.nir != row.person["nir"]:
                raise RowRefused([f"nir : différent de celui du dossier trouvé ({who(person)})"])
        for name in ("residence_postcode", "residence_status", "carte_vitale"):
            if name in row.given and getattr(person, name) != row.person[name]:
                changes[name] = row.person[name]
        if not changes:
            return []

        def update(_: Person | None) -> Person:
            return operations.update_person(self.session, self.actor, person, changes, None)

        words = ", ".join(FIELD_WORDS[k] for k in changes)
        column = PERSON_COLUMNS[next(iter(changes))]
        return [Step(f"mise à jour : {words}", update, column)]

    def _event_step(self, event: dict[str, Any], day: date, text: str) -> Step:
        raw = {**event, "date": day.isoformat()}
        return Step(text, column=EVENT_COLUMNS[event["type"]], event=raw)

    def _correction(self, stored: CustodyEvent, day: date) -> Step:
        raw = {**stored.data, "type": stored.type, "date": day.isoformat()}
        text = (
            f"correction : {EVENT_WORDS.get(stored.type, stored.type)} le {fr(day)} "
            f"(au lieu du {fr(stored.date)})"
        )

        def correct(person: Person | None) -> CustodyEvent:
            assert person is not None
            return operations.add_event(
                self.session,
                self.actor,
                person,
                raw,
                supersedes_id=stored.id,
                comment=self.comment,
            )

        return Step(text, correct, EVENT_COLUMNS.get(stored.type, "date_ecrou"))

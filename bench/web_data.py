"""Bulk loader for the web benchmark: many people, their events, tasks, audit rows and shares.

The rows are those the application itself would have written (``create_person`` then
``add_event`` for each event): every person is evaluated once by the rules engine and its tasks
are stored with the same keys as ``refresh_derived``. Only the writing differs: plain bulk
inserts (SQLAlchemy Core ``executemany`` on SQLite, ``COPY`` on PostgreSQL) instead of one ORM
flush per event, so 100 000 people load in minutes. :func:`verify_sample` re-runs the real
``refresh_derived`` on a few people and fails if it would change anything.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dt_time
from typing import Any

from sqlalchemy import Table, func, select, text
from sqlalchemy.engine import Connection, Engine

from cnpe_flow import db, migrate
from cnpe_flow.audit.models import AuditEvent
from cnpe_flow.auth.passwords import hash_password
from cnpe_flow.clock import today_paris
from cnpe_flow.people.derived import task_key
from cnpe_flow.people.operations import fold
from cnpe_flow.reference import Establishment, load_establishments
from cnpe_flow.rules import evaluate

#: password of every benchmark account
PASSWORD = "banc-d-essai-2026"
#: the establishment of the benchmark SPIP: the largest share of the files
BENCH_ESTABLISHMENT = "Centre pénitentiaire de Fresnes"
ESTABLISHMENT_COUNT = 50
PARTNER_COUNT = 5
#: people written per batch (memory stays flat whatever the total)
CHUNK = 5000

_LAST = [
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefebvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Lefevre",
    "Faure",
    "Andre",
    "Mercier",
    "Blanc",
    "Guerin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "Francois",
    "Legrand",
    "Gauthier",
    "Garcia",
    "Perrin",
    "Robin",
    "Clement",
    "Morin",
    "Nicolas",
    "Henry",
    "Roussel",
    "Mathieu",
    "Diallo",
    "Traoré",
    "Nguyen",
    "Haddad",
    "Benali",
    "Fernandes",
    "Da",
    "Silva",
    "Kone",
    "Cisse",
    "Mendy",
    "Ba",
    "Sow",
    "Camara",
]
_FIRST = [
    "Karim",
    "Sophie",
    "Thomas",
    "Moussa",
    "Awa",
    "Julie",
    "Lucas",
    "Ana",
    "Minh",
    "Paul",
    "Emma",
    "Yasmine",
    "Louis",
    "Nicolas",
    "Julien",
    "Mehdi",
    "Sarah",
    "Kevin",
    "Laura",
    "Mamadou",
    "Fatou",
    "Antoine",
    "Camille",
    "Hugo",
    "Ines",
    "Nadia",
    "Rachid",
    "Samir",
    "Léa",
    "Jean",
    "Pierre",
    "Michel",
    "Alain",
    "Yannick",
    "Sébastien",
    "Aurélie",
    "Cédric",
    "Fabrice",
    "Mathieu",
    "Kader",
    "Ousmane",
]
_MEASURES = ("surveillance_electronique", "semi_liberte", "placement_exterieur")
_POSTCODES = ("75011", "60000", "93200", "13003", "69003", "59000", "94260", "33000", "60100")


@dataclass
class Loaded:
    """What the benchmark needs to know about the loaded database."""

    url: str
    seconds: float
    people: int
    events: int
    tasks: int
    #: (result prefix, user name, ids of the people this account sees) per measured account
    accounts: list[tuple[str, str, list[int]]] = field(default_factory=list)


@dataclass
class _Ids:
    """Explicit primary keys, so tasks and audit rows can point at events before they exist."""

    person: int = 0
    event: int = 0
    task: int = 0
    audit: int = 0
    share: int = 0

    def next(self, name: str) -> int:
        value = getattr(self, name) + 1
        setattr(self, name, value)
        return value


def choose_establishments(rnd: random.Random) -> list[tuple[Establishment, float]]:
    """~50 establishments with a long-tailed share of the files (the bench one first)."""
    every = load_establishments()
    bench = next(e for e in every if e.name == BENCH_ESTABLISHMENT)
    others = rnd.sample([e for e in every if e is not bench], ESTABLISHMENT_COUNT - 1)
    return [(e, 1 / (rank + 1) ** 0.5) for rank, e in enumerate([bench, *others])]


def _at(day: date) -> datetime:
    return datetime.combine(day, dt_time(9, 30), tzinfo=UTC)


def plan_events(
    rnd: random.Random, today: date, count: int, home: str, elsewhere: list[str], regular: bool
) -> list[dict[str, Any]]:
    """``count`` contract events (at least 2), oldest first, ending in the current situation.

    55 % are in custody at ``home`` (release planned within a year for most), the others were
    released there; earlier stays (écrou + levée) elsewhere fill the history up to ``count``.
    """
    count = max(count, 2)
    in_custody = rnd.random() < 0.55
    current: list[dict[str, Any]] = []
    if in_custody:
        start = today - timedelta(days=rnd.randint(20, 900))
        current.append({"type": "ecrou", "date": start, "establishment": home})
        singles = [
            {"type": "work_inside_start", "date": start + timedelta(days=rnd.randint(5, 15))},
            {
                "type": "amenagement",
                "date": today - timedelta(days=rnd.randint(1, 4)),
                "measure": rnd.choice(_MEASURES),
            },
        ]
        closing = [{"type": "planned_release", "date": today + timedelta(days=rnd.randint(0, 365))}]
        if rnd.random() < 0.1:  # no release date known yet
            closing = [singles.pop()]
    else:
        released = today - timedelta(days=rnd.randint(1, 700))
        start = released - timedelta(days=rnd.randint(30, 800))
        current.append({"type": "ecrou", "date": start, "establishment": home})
        after = released + timedelta(days=rnd.randint(1, 20))
        singles = [
            {"type": "planned_release", "date": released - timedelta(days=rnd.randint(1, 20))},
            {"type": "c2s_granted", "date": after}
            if regular
            else {"type": "ame_filed", "date": after, "complete": True},
        ]
        closing = [{"type": "levee_ecrou", "date": released}]
    extra = count - 1 - len(closing)
    # An odd remainder takes one single event; an even one takes two or none, then past stays.
    n_singles = extra % 2
    if extra >= 2 and n_singles == 0 and len(singles) >= 2 and rnd.random() < 0.5:
        n_singles = 2
    chosen = singles[:n_singles]
    past: list[dict[str, Any]] = []
    day = start
    for _ in range((extra - len(chosen)) // 2):
        levee = day - timedelta(days=rnd.randint(30, 400))
        ecrou = levee - timedelta(days=rnd.randint(20, 500))
        past[:0] = [
            {"type": "ecrou", "date": ecrou, "establishment": rnd.choice(elsewhere)},
            {"type": "levee_ecrou", "date": levee},
        ]
        day = ecrou
    events = past + current + chosen + closing
    events.sort(key=lambda e: e["date"])
    return events


def _person_rows(
    rnd: random.Random,
    ids: _Ids,
    today: date,
    count: int,
    establishments: list[tuple[Establishment, float]],
    actors: dict[str, int],
    partners: list[int],
) -> dict[str, list[dict[str, Any]]]:
    """One person's rows for every table."""
    population, weights = zip(*establishments, strict=True)
    home = rnd.choices(population, weights)[0]
    elsewhere = [e.name for e in population if e is not home]
    regular = rnd.random() < 0.75
    birth = today - timedelta(days=rnd.randint(18 * 365, 70 * 365))
    last, first = rnd.choice(_LAST), rnd.choice(_FIRST)
    person_id = ids.next("person")
    spip, usmp = actors[f"spip:{home.code}"], actors[f"usmp:{home.code}"]
    contract_person = {
        "birth_date": birth.isoformat(),
        "residence_status": "regular" if regular else "irregular",
        "carte_vitale": regular and rnd.random() < 0.8,
        "residence_postcode": rnd.choice(_POSTCODES) if rnd.random() < 0.85 else None,
        "benefits_before_ecrou": [b for b in ("ij", "ald") if rnd.random() < 0.15],
    }
    events = plan_events(rnd, today, count, home.name, elsewhere, regular)
    output = evaluate(
        {
            "as_of": today.isoformat(),
            "person": contract_person,
            "events": [{**e, "date": e["date"].isoformat()} for e in events],
        }
    )
    created = _at(events[0]["date"])
    rows: dict[str, list[dict[str, Any]]] = {"events": [], "tasks": [], "audit": [], "shares": []}
    rows["audit"].append(_audit(ids, created, spip, person_id, AuditEvent.PERSON_CREATED, {}))
    event_ids = []
    for e in events:
        event_id = ids.next("event")
        event_ids.append(event_id)
        author = usmp if e["type"] == "atmp_during_ecrou" else spip
        data = {k: v for k, v in e.items() if k not in ("type", "date")}
        rows["events"].append(
            {
                "id": event_id,
                "person_id": person_id,
                "type": e["type"],
                "date": e["date"],
                "data": data,
                "supersedes_id": None,
                "withdrawn": False,
                "comment": None,
                "created_by": author,
                "created_at": _at(min(e["date"], today)),
            }
        )
        details = {"event_id": event_id, "type": e["type"], "date": e["date"].isoformat()}
        rows["audit"].append(
            _audit(
                ids, _at(min(e["date"], today)), author, person_id, AuditEvent.EVENT_ADDED, details
            )
        )
    for t in output["tasks"]:
        due = date.fromisoformat(t["due"])
        event_id = event_ids[t["event"]] if t.get("event") is not None else None
        done = due < today and rnd.random() < 0.8
        rows["tasks"].append(
            {
                "id": ids.next("task"),
                "person_id": person_id,
                "key": task_key(t["kind"], t["due"], event_id),
                "kind": t["kind"],
                "owner": t["owner"],
                "medical": t["medical"],
                "due": due,
                "rules": list(t["rules"]),
                "event_id": event_id,
                "status": "done" if done else "open",
                "comment": None,
                "closed_by": (usmp if t["medical"] else spip) if done else None,
                "closed_at": _at(due) if done else None,
                "obsolete": False,
            }
        )
    if rnd.random() < 0.03:
        rows["shares"].append(
            {
                "id": ids.next("share"),
                "person_id": person_id,
                "partner_id": rnd.choice(partners),
                "shared_by": spip,
                "shared_at": created,
                "consent_date": events[0]["date"],
                "consent_note": None,
                "revoked_at": None,
            }
        )
    rows["people"] = [
        {
            "id": person_id,
            "last_name": last,
            "first_name": first,
            "search_name": fold(f"{last} {first}"),
            "birth_date": birth,
            "nir": None,
            "ecrou_number": str(100000 + person_id),
            "residence_status": contract_person["residence_status"],
            "carte_vitale": contract_person["carte_vitale"],
            "residence_postcode": contract_person["residence_postcode"],
            "benefits_before_ecrou": contract_person["benefits_before_ecrou"],
            "version": 1 + len(events),
            "created_by": spip,
            "created_at": created,
            "updated_at": _at(min(events[-1]["date"], today)),
            "establishment_code": home.code,
            **custody_dates(events),
        }
    ]
    return rows


def custody_dates(events: list[dict[str, Any]]) -> dict[str, date | None]:
    """``planned_release`` and ``released_on`` as ``refresh_derived`` stores them."""
    last_ecrou = max(e["date"] for e in events if e["type"] == "ecrou")
    after = [e for e in events if e["date"] >= last_ecrou]
    levees = [e["date"] for e in after if e["type"] == "levee_ecrou"]
    planned = [e["date"] for e in after if e["type"] == "planned_release"]
    return {
        "released_on": levees[-1] if levees else None,
        "planned_release": planned[-1] if planned and not levees else None,
    }


def _audit(
    ids: _Ids, at: datetime, actor: int, person: int, kind: AuditEvent, details: dict[str, Any]
) -> dict[str, Any]:
    return {
        "id": ids.next("audit"),
        "occurred_at": at,
        "actor_id": actor,
        "person_id": person,
        "event_type": int(kind),
        "route": "bench",
        "remote_addr": None,
        "details": details,
    }


def _user_rows(
    establishments: list[tuple[Establishment, float]], now: datetime
) -> tuple[list[dict[str, Any]], dict[str, int], list[int]]:
    """One SPIP and one USMP account per establishment, an admin and a few partners."""
    password_hash = hash_password(PASSWORD)  # one hash for all: argon2 is slow on purpose
    rows: list[dict[str, Any]] = []
    actors: dict[str, int] = {}

    def add(username: str, role: str, code: str | None) -> int:
        rows.append(
            {
                "id": len(rows) + 1,
                "username": username,
                "email": None,
                "role": role,
                "establishment_code": code,
                "password_hash": password_hash,
                "active": True,
                "calendar_token": None,
                "created_at": now,
            }
        )
        return len(rows)

    actors["admin"] = add("bench-admin", "admin", None)
    for n, (est, _) in enumerate(establishments):
        for role in ("spip", "usmp"):
            actors[f"{role}:{est.code}"] = add(f"bench-{role}-{n}", role, est.code)
    partners = [add(f"bench-partenaire-{n}", "partner", None) for n in range(PARTNER_COUNT)]
    return rows, actors, partners


# --- writing -------------------------------------------------------------------------------

_TABLES = {
    "users": "users",
    "people": "people",
    "events": "custody_events",
    "tasks": "tasks",
    "audit": "audit_log",
    "shares": "shares",
}
_ORDER = ("people", "events", "tasks", "audit", "shares")


def _copy_value(value: Any) -> Any:
    return json.dumps(value) if isinstance(value, dict | list) else value


def write_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Bulk insert: ``COPY`` on PostgreSQL, one ``executemany`` elsewhere."""
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        conn.execute(table.insert(), rows)
        return
    columns = list(rows[0])
    raw = conn.connection.driver_connection
    statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    with raw.cursor() as cur, cur.copy(statement) as copy:  # type: ignore[union-attr]
        for row in rows:
            copy.write_row([_copy_value(row[c]) for c in columns])


def reset_database(url: str) -> None:
    """An empty database at the latest migration (PostgreSQL: the ``public`` schema of ``url``)."""
    if url.startswith("postgresql"):
        engine = db.make_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    migrate.upgrade(url)


def _fix_sequences(conn: Connection) -> None:
    """Explicit ids bypass PostgreSQL's sequences: move them past the loaded rows."""
    if conn.dialect.name != "postgresql":
        return
    for name in _TABLES.values():
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"COALESCE((SELECT max(id) FROM {name}), 0) + 1, false)"
            )
        )


def _batches(
    rnd: random.Random,
    people: int,
    events_per_person: int,
    today: date,
    establishments: list[tuple[Establishment, float]],
    actors: dict[str, int],
    partners: list[int],
) -> Iterator[dict[str, list[dict[str, Any]]]]:
    ids = _Ids()
    done = 0
    while done < people:
        batch: dict[str, list[dict[str, Any]]] = {name: [] for name in _ORDER}
        for _ in range(min(CHUNK, people - done)):
            # Some files are short, some long; the mean stays ``events_per_person``.
            count = events_per_person + rnd.choice((-1, 0, 1))
            for name, rows in _person_rows(
                rnd, ids, today, count, establishments, actors, partners
            ).items():
                batch[name].extend(rows)
        done += min(CHUNK, people - done)
        yield batch


def load(url: str, *, people: int, events_per_person: int, seed: int = 2026) -> Loaded:
    """Reset the database at ``url`` and fill it; returns what the benchmark needs."""
    started = time.perf_counter()
    reset_database(url)
    rnd = random.Random(seed)
    today = today_paris()
    establishments = choose_establishments(rnd)
    users, actors, partners = _user_rows(establishments, _at(today))
    engine: Engine = db.make_engine(url)
    tables = db.metadata.tables
    totals = dict.fromkeys(_ORDER, 0)
    with engine.begin() as conn:
        write_rows(conn, tables["users"], users)
    for batch in _batches(rnd, people, events_per_person, today, establishments, actors, partners):
        with engine.begin() as conn:
            for name in _ORDER:
                write_rows(conn, tables[_TABLES[name]], batch[name])
                totals[name] += len(batch[name])
    with engine.begin() as conn:
        _fix_sequences(conn)
        person_t, share_t = tables["people"], tables["shares"]
        largest, smallest = establishments[0][0].code, establishments[-1][0].code
        accounts = [
            (
                "",
                "bench-spip-0",
                select(person_t.c.id).where(person_t.c.establishment_code == largest),
            ),
            (
                "small_spip_",
                f"bench-spip-{len(establishments) - 1}",
                select(person_t.c.id).where(person_t.c.establishment_code == smallest),
            ),
            (
                "partner_",
                "bench-partenaire-0",
                select(share_t.c.person_id).where(share_t.c.partner_id == partners[0]),
            ),
            ("admin_", "bench-admin", select(person_t.c.id)),
        ]
        visible = [
            (prefix, username, list(conn.execute(query).scalars()))
            for prefix, username, query in accounts
        ]
        counted = conn.execute(select(func.count()).select_from(tables["people"])).scalar_one()
    if url.startswith("postgresql"):
        # What autovacuum does after a big load, done now so the timings do not depend on it.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
    engine.dispose()
    assert counted == people, (counted, people)
    return Loaded(
        url=url,
        seconds=time.perf_counter() - started,
        people=people,
        events=totals["events"],
        tasks=totals["tasks"],
        accounts=visible,
    )


def verify_sample(app: Any, person_ids: list[int]) -> None:
    """Fail if the real ``refresh_derived`` would change the loaded rows of these people."""
    from cnpe_flow.people.derived import refresh_derived
    from cnpe_flow.people.models import Person, Task

    with db.transaction(app) as session:
        for person_id in person_ids:
            person = session.get(Person, person_id)
            before = (person.planned_release, person.released_on, person.establishment_code)
            keys = {
                t.key
                for t in session.exec(select(Task).where(Task.person_id == person_id)).scalars()
            }
            refresh_derived(session, person)
            after = (person.planned_release, person.released_on, person.establishment_code)
            rows = list(session.exec(select(Task).where(Task.person_id == person_id)).scalars())
            assert before == after, (person_id, before, after)
            assert {t.key for t in rows} == keys, (person_id, keys, [t.key for t in rows])
            assert not any(t.obsolete for t in rows), person_id
        session.rollback()

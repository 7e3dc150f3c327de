"""Release packets generated on the day of the levée d'écrou (scheduler job).

People released today get their packet (``cnpe_flow.letters.operations.generate_packet``).
The job looks back a few days so that a scheduler that was down, or a levée recorded a day
late, still gets its packet; a person who already has a packet dated on or after the levée is
left alone, so the job can run any number of times.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from flask import Flask
from sqlalchemy import and_, exists, or_, select

from cnpe_flow import db
from cnpe_flow.letters.models import Letter
from cnpe_flow.people.models import Person

log = logging.getLogger("cnpe_flow.reminders")

#: a levée this many days old still gets its packet (catch-up after downtime)
LOOKBACK_DAYS = 7
PACKET_KIND = "packet"


@dataclass(slots=True)
class PacketResult:
    generated: int = 0
    failed: int = 0
    unavailable: bool = False

    def summary(self) -> str:
        if self.unavailable:
            return "génération des dossiers de sortie pas encore disponible"
        text = f"{self.generated} dossier{'s' if self.generated > 1 else ''} de sortie généré{'s' if self.generated > 1 else ''}"
        if self.failed:
            text += f", {self.failed} en échec (voir le journal)"
        return text


def people_needing_a_packet(app: Flask, today: date) -> list[int]:
    """Ids of people released in the last days who have no packet since their levée."""
    has_packet = exists().where(
        and_(
            Letter.person_id == Person.id,
            Letter.kind == PACKET_KIND,
            Letter.letter_date >= Person.released_on,
            # a partner's packet is theirs: the full one is still made (issue 9)
            or_(Letter.audience.is_(None), Letter.audience == "full"),  # type: ignore[union-attr]
        )
    )
    with db.transaction(app) as s:
        return list(
            s.execute(
                select(Person.id)
                .where(
                    Person.released_on.is_not(None),
                    Person.released_on <= today,
                    Person.released_on >= today - timedelta(days=LOOKBACK_DAYS),
                    ~has_packet,
                )
                .order_by(Person.id)
            ).scalars()
        )


def generate_release_packets(app: Flask, today: date) -> PacketResult:
    """Generate the missing packets, one transaction per person (one failure stops nobody)."""
    result = PacketResult()
    try:
        from cnpe_flow.letters.operations import generate_packet  # type: ignore[attr-defined]
    except ImportError:
        log.info("dossiers de sortie : cnpe_flow.letters.operations.generate_packet absent, ignoré")
        result.unavailable = True
        return result
    for person_id in people_needing_a_packet(app, today):
        try:
            with db.transaction(app) as s:
                person = s.get(Person, person_id)
                generate_packet(s, None, person)
        except Exception as exc:  # the others go on; logged without its text (no personal data)
            log.error(
                "dossier de sortie de la personne %d : échec (%s)", person_id, type(exc).__name__
            )
            result.failed += 1
        else:
            result.generated += 1
    log.info("dossiers de sortie : %s", result.summary())
    return result

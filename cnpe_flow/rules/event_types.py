"""The event types of the case contract, in one table (case-contract.md, « events »).

Everything else is derived from :data:`REGISTRY`: the engine's reader (``case.py``: which
types exist, their phase, how messages name them), who may record them
(``auth/access.py``), the page labels (``people/page_labels.py``), the forms
(``people/forms.py``: date label, fields, choices), the API schemas (``api/contract_schemas.py``) and
the demo. Adding an event type is one entry here, its reader in ``case_reading.py`` when it
carries fields, and the rule that uses it (ARCHITECTURE.md).

The order is the contract's (custody, then after release): the engine lists the known types
in this order when it refuses an unknown one, and the forms offer them in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FieldKind = Literal["establishment", "choice", "boolean", "date"]


@dataclass(frozen=True, slots=True)
class EventField:
    """A field an event carries besides its type and date (the contract's name)."""

    name: str
    kind: FieldKind
    required: bool = True
    #: (contract value, French label offered on forms), for ``choice`` fields
    choices: tuple[tuple[str, str], ...] = ()
    #: what the API documentation says of the field (French)
    description: str = ""
    example: str | None = None

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(value for value, _ in self.choices)


@dataclass(frozen=True, slots=True)
class EventType:
    name: str
    #: "custody" (during an écrou, or its planned release) or "after_release"
    phase: Literal["custody", "after_release"]
    #: who records it besides the administrator ("spip", "usmp", "partner")
    recorded_by: frozenset[str]
    #: medical: shown to the USMP and the administrator only (others see « Événement médical »)
    medical: bool
    #: the page's label: « Mise sous écrou »
    label: str
    #: how the engine's messages name it: « la mise sous écrou »
    in_sentence: str
    #: what its date means, on the form
    date_label: str
    fields: tuple[EventField, ...] = ()


_SPIP = frozenset({"spip"})
_USMP = frozenset({"usmp"})
_SPIP_PARTNER = frozenset({"spip", "partner"})

MEASURE = EventField(
    "measure",
    "choice",
    choices=(
        ("surveillance_electronique", "Surveillance électronique"),
        ("semi_liberte", "Semi-liberté"),
        ("placement_exterieur", "Placement à l'extérieur"),
    ),
)
ACTIVITY = EventField(
    "activity",
    "choice",
    choices=(
        ("work", "Travail"),
        ("paid_training", "Formation rémunérée"),
        ("unemployment_benefits", "Allocations chômage"),
    ),
    description="pendant un aménagement, ou signée avant lui dans le même écrou "
    "(effet à la date de l'aménagement, AFF-3)",
)


def _custody(
    name: str, label: str, in_sentence: str, date_label: str, *fields: EventField
) -> EventType:
    return EventType(name, "custody", _SPIP, False, label, in_sentence, date_label, fields)


def _after_release(
    name: str, label: str, in_sentence: str, date_label: str, *fields: EventField
) -> EventType:
    return EventType(
        name, "after_release", _SPIP_PARTNER, False, label, in_sentence, date_label, fields
    )


_TABLE = (
    _custody(
        "ecrou",
        "Mise sous écrou",
        "la mise sous écrou",
        "Date de la mise sous écrou",
        EventField(
            "establishment",
            "establishment",
            description="nom ou code d'un établissement des données de référence",
            example="Centre pénitentiaire de Liancourt",
        ),
    ),
    _custody(
        "amenagement",
        "Aménagement de peine",
        "l'aménagement de peine",
        "Date de début de l'aménagement",
        MEASURE,
    ),
    _custody(
        "activity_start",
        "Début d'activité",
        "le début d'activité",
        "Date de début de l'activité",
        ACTIVITY,
    ),
    _custody("activity_end", "Fin d'activité", "la fin d'activité", "Date de fin de l'activité"),
    _custody(
        "work_inside_start",
        "Début de travail en détention",
        "le début de travail en détention",
        "Date de début du travail",
    ),
    _custody(
        "work_inside_end",
        "Fin de travail en détention",
        "la fin de travail en détention",
        "Date de fin du travail",
    ),
    EventType(
        "atmp_during_ecrou",
        "custody",
        _USMP,
        True,
        "Accident du travail / maladie professionnelle pendant l'écrou",
        "l'accident du travail ou la maladie professionnelle",
        "Date de l'accident ou de la constatation de la maladie",
        (EventField("consolidated", "boolean", description="consolidé à la libération (ATMP-2)"),),
    ),
    _custody(
        "planned_release",
        "Date de sortie prévue",
        "la date de sortie prévue",
        "Date de sortie prévue",
    ),
    _custody("levee_ecrou", "Levée d'écrou", "la levée d'écrou", "Date de la levée d'écrou"),
    # contract v2: a move to another establishment during the same écrou
    _custody(
        "transfer",
        "Transfert vers un autre établissement",
        "le transfert",
        "Date du transfert",
        EventField(
            "establishment",
            "establishment",
            description="nom ou code de l'établissement qui accueille la personne ; le "
            "dossier passe au SPIP et à l'USMP de cet établissement",
            example="Centre pénitentiaire de Marseille-Baumettes",
        ),
    ),
    _after_release(
        "ame_filed",
        "Demande d'AME déposée",
        "la demande d'AME",
        "Date de dépôt de la demande",
        EventField("complete", "boolean"),
        EventField(
            "care_date", "date", required=False, description="date des soins (facultative, AME-5)"
        ),
    ),
    _after_release("ame_granted", "AME accordée", "l'AME accordée", "Date d'ouverture des droits"),
    _after_release(
        "c2s_granted",
        "C2S accordée",
        "la C2S accordée",
        "Date d'ouverture des droits",
        EventField(
            "end", "date", required=False, description="fin exclusive ; par défaut début + 1 an"
        ),
    ),
    _after_release(
        "residence_permit_expiry",
        "Expiration du titre de séjour",
        "l'expiration du titre de séjour",
        "Date de fin de validité du titre",
        EventField("oqtf", "boolean", required=False),
    ),
)

#: every event type by contract name, in the contract's order
REGISTRY: dict[str, EventType] = {t.name: t for t in _TABLE}


def names(*, phase: str | None = None, medical: bool | None = None) -> tuple[str, ...]:
    """The contract names of the event types of a phase and/or (not) medical, in order."""
    return tuple(
        t.name
        for t in _TABLE
        if (phase is None or t.phase == phase) and (medical is None or t.medical == medical)
    )


def fields_of_kind(kind: FieldKind) -> frozenset[str]:
    """The names of the fields of one kind, over every event type (``{"care_date", "end"}``)."""
    return frozenset(f.name for t in _TABLE for f in t.fields if f.kind == kind)

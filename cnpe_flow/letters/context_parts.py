"""The shared parts of the letters' contexts: sender, legal basis, identity, address, stays,
the CPAM and the CNPE pole, and the :class:`LetterSource` every builder reads.

Plain values only (see :mod:`cnpe_flow.letters.context`, where each kind's builder lives).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from cnpe_flow.letters.envelope import private_words_in
from cnpe_flow.letters.parameters import ParameterReader
from cnpe_flow.people.page_labels import ACTIVITY_LABELS, MEASURE_LABELS
from cnpe_flow.reference import cnpe_pole
from cnpe_flow.rules.ame.filing import HouseholdMember, ame_documents, ame_first_filing_places
from cnpe_flow.rules.catalogue import rule
from cnpe_flow.rules.explain import source_words

#: REL-6 (seed 000, back page): the CNPE's phone line and its hours
CNPE_PHONE = "09 74 75 75 50"
CNPE_HOURS = "du lundi au vendredi, de 9 h à 12 h et de 13 h 30 à 16 h 30 (heure de métropole)"

#: REL-5 (seed 001, part III): the five entry problems of a MAS referral, by stored code
MAS_PROBLEMS: dict[str, str] = {
    "rights": "Difficultés d'accès aux droits",
    "care": "Renoncement ou difficultés d'accès aux soins",
    "disability": "Renoncement ou difficultés d'accès à des soins liés à un handicap",
    "digital": "Fragilité face au numérique",
    "social": "Situation sociale complexe",
}

# One wording everywhere: the pages' labels.
MEASURES = MEASURE_LABELS
ACTIVITIES = ACTIVITY_LABELS
FUNDS = {
    "CNPE": "CNPE (personne écrouée)",
    "CPAM_RESIDENCE": "CPAM de résidence",
    "AME": "aide médicale de l'État",
    "NONE": "aucune couverture de base",
}

#: the neutral return address used when the application configures none (``LETTER_SENDER``)
DEFAULT_SENDER: dict[str, Any] = {"name": "Service d'accompagnement social", "lines": []}


@dataclass(frozen=True, slots=True)
class LetterSource:
    """Everything a letter may say, as plain values."""

    #: last_name, first_name, birth_date (ISO), nir, ecrou_number, residence_postcode
    person: dict[str, Any]
    #: the rules engine's output (unredacted: builders redact what is not medical)
    output: dict[str, Any]
    #: the effective contract events (``tasks[].event`` indexes this list)
    events: list[dict[str, Any]]
    #: the neutral return address: {"name": str, "lines": [str]}
    sender: dict[str, Any]
    #: the latest MAS referral: {"problems": [codes], "consent_date": ISO or None} or None
    mas: dict[str, Any] | None = None
    #: who prepared the letters: {"name": str, "service": str | None, "phone": str | None};
    #: None for the scheduler (the neutral sender alone)
    counsellor: dict[str, Any] | None = None
    #: before a planned release: the engine's output for a levée on the planned date (what
    #: provisional letters say, case-contract « Letters before the release »), else None
    projected: dict[str, Any] | None = None


class NotAddressable(LookupError):
    """The letter applies but our reference data cannot address it (French reason)."""


#: The legal texts behind the rules, in words, for the person's letters (rule ID prefix or ID →
#: reference). Only texts that state the rule itself.
_LEGAL = {
    "AFF-1": "article L. 381-30 du code de la sécurité sociale (assurance maladie des personnes "
    "détenues)",
    "AFF-8": "article L. 381-30 du code de la sécurité sociale (assurance maladie des personnes "
    "détenues)",
    "REL-1": "article L. 161-31 du code de la sécurité sociale (carte Vitale)",
    "AME-": "article L. 251-1 du code de l'action sociale et des familles (aide médicale de "
    "l'État)",
    "C2S-": "article L. 861-1 du code de la sécurité sociale (complémentaire santé solidaire)",
}


def legal_references(rule_ids: Iterable[str]) -> list[str]:
    """The legal references behind these rules, each once, in words (no internal ID)."""
    found: list[str] = []
    for rule_id in rule_ids:
        for key, text in _LEGAL.items():
            if rule_id == key or (key.endswith("-") and rule_id.startswith(key)):
                found.append(text)
    return list(dict.fromkeys(found))


def _sender_block(source: LetterSource, *, to_person: bool) -> dict[str, Any]:
    """The neutral return address, then who prepared the letter (name, service, phone).

    A letter to the person may show its sender through a left-window envelope: a service
    name revealing custody (« SPIP de … ») is left out there; the cover page names it.
    """
    lines = list(source.sender["lines"])
    counsellor = source.counsellor
    if counsellor:
        lines.append(f"Suivi par : {counsellor['name']}")
        service = counsellor.get("service")
        if service and not (to_person and private_words_in(service)):
            lines.append(service)
        if counsellor.get("phone"):
            lines.append(f"Tél. {counsellor['phone']}")
    return {"name": source.sender["name"], "lines": lines}


# ---------------------------------------------------------------------------- shared pieces


def basis(rule_ids: Iterable[str]) -> list[dict[str, str]]:
    """« Sur quelle base ? »: each rule once, with its French title and its source document."""
    shown: list[dict[str, str]] = []
    for rule_id in dict.fromkeys(rule_ids):
        r = rule(rule_id)
        shown.append({"id": r.id, "title": r.title, "source": source_words(r.source)})
    return shown


def full_name(person: dict[str, Any]) -> str:
    return f"{person['first_name']} {person['last_name'].upper()}"


def _identity(person: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": full_name(person),
        "birth_date": person["birth_date"],
        "nir": person.get("nir"),
        "ecrou_number": person.get("ecrou_number"),
    }


def person_address(person: dict[str, Any]) -> list[str]:
    """The person's address block for the envelope window, as French mail writes it.

    ``personal``: name, lines, « CODE VILLE »; ``hosted``: « chez <hôte> » under the name;
    ``domiciliation``: « c/o <organisme> » (CCAS, association) under the name. Without a
    release address only the postcode is known: the rest is written by hand on dotted lines.
    """
    address = person.get("release_address")
    if not address:
        postcode = person.get("residence_postcode")
        dots = "………………………………"
        return [full_name(person), dots, f"{postcode} {dots}" if postcode else dots]
    block = [full_name(person)]
    care_of = (address.get("care_of") or "").strip()
    if care_of and address.get("kind") == "hosted":
        block.append(care_of if care_of.lower().startswith("chez ") else f"chez {care_of}")
    elif care_of and address.get("kind") == "domiciliation":
        block.append(f"c/o {care_of}")
    block += [line.strip() for line in address.get("lines") or [] if line and line.strip()]
    # La Poste: the last line is the postcode and the town in capitals.
    block.append(f"{address['postcode']} {address['city'].strip().upper()}")
    return block


def _last_stay(output: dict[str, Any], *, released: bool) -> dict[str, Any]:
    """The latest stay (``released``: the latest with a levée, or a planned release)."""
    stays = [s for s in output["stays"] if s["levee"] or s.get("planned_release") or not released]
    return stays[-1]


def release_day(stay: dict[str, Any]) -> str:
    """The levée, or before it the planned release (provisional letters are dated from it)."""
    return stay["levee"] or stay["planned_release"]


def _last_task(output: dict[str, Any], kind: str) -> dict[str, Any] | None:
    found = [t for t in output["tasks"] if t["kind"] == kind]
    return max(found, key=lambda t: t["due"]) if found else None


def _cover_from(output: dict[str, Any], day: str) -> dict[str, Any] | None:
    for p in output["affiliation"]:
        if p["start"] <= day and (p["end"] is None or day < p["end"]):
            return {"fund": p["fund"], "from": p["start"], "cpam": p.get("cpam")}
    return None


def _cpam(output: dict[str, Any]) -> dict[str, Any] | None:
    """The CPAM of residence with its address, flagged when it must be checked first."""
    cpam = output.get("cpam_residence")
    if cpam is None:
        return None
    confirmed = bool(cpam["address_lines"]) and not cpam["ambiguous"]
    return {
        "name": cpam["name"] or "CPAM du lieu de résidence",
        "address_lines": list(cpam["address_lines"]) if confirmed else [],
        "to_confirm": not confirmed,
        "candidates": list(cpam["candidates"]),
        "note": cpam["note"],
    }


def _cpam_recipient(cpam: dict[str, Any] | None, service: str | None = None) -> list[str]:
    head = [service] if service else []
    if cpam is None:
        return [*head, "Caisse primaire d'assurance maladie", "du lieu de résidence"]
    if cpam["address_lines"]:
        return [*head, *cpam["address_lines"]]
    return [*head, cpam["name"], "(adresse à vérifier sur ameli.fr)"]


def _ame_filing(
    person: dict[str, Any], filing_day: date, params: ParameterReader
) -> dict[str, Any]:
    """AME-3 and AME-4 for a first application filed on ``filing_day`` (the engine's rules,
    their parameters read through ``params``)."""
    places = ame_first_filing_places(filing_day, params)
    applicant = HouseholdMember(
        "applicant", date.fromisoformat(person["birth_date"]), regular_situation=False
    )
    documents = ame_documents([applicant], filing_day, lookup=params)
    ages = params("ame_household_ages", filing_day).value
    return {
        "filing_date": filing_day.isoformat(),
        "in_person": places.in_person_required,
        "places": [p.label for p in places.places],
        "documents": [item.label for item in documents.items],
        "residence_minimum": params("ame_residence_minimum", filing_day).value.french(),
        "minor_below": ages["minor_below"],
        "studies_below": ages["studies_below"],
        "cohabitant": params("ame_cohabitant_dependency", filing_day).value.french(),
        "validity": params("ame_validity", filing_day).value.french(),
        "missing_documents": params("ame_missing_documents_delay", filing_day).value.french(),
    }


def _cnpe_recipient(pole_code: str | None) -> list[str]:
    pole = cnpe_pole(pole_code or "")
    if pole is None:
        raise NotAddressable(
            "le pôle du CNPE de cet établissement est inconnu : demandez au CNPE "
            f"({CNPE_PHONE}) à quelle adresse écrire"
        )
    return [
        "Centre national de gestion de la protection sociale des personnes écrouées (CNPE)",
        pole.label,
        pole.caisse,
        *pole.address_lines,
        f"{pole.postcode} {pole.city}",
    ]


# ---------------------------------------------------------------------------- the letters

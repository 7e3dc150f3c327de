"""The plain values each letter is rendered from: strings, numbers, lists and dicts only.

Built from a :class:`LetterSource` (the person's identity, the rules engine's output, the
effective events, the sender and the MAS referral, all as plain values), so that rendering
cannot touch the database and the stored context is exactly what the letter says. Which letters
apply is never decided here: the engine's ``output["letters"]`` does that. The builders only
put the engine's dates, funds and addresses into words.

Letters that are not medical are built from the redacted output (``redact_evaluation``), so
they say the same thing whoever generates them and never carry a health detail.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from cnpe_flow.letters.envelope import private_words_in
from cnpe_flow.people.page_labels import ACTIVITY_LABELS, MEASURE_LABELS
from cnpe_flow.people.visibility import redact_evaluation
from cnpe_flow.reference import cnpe_pole
from cnpe_flow.rules.ame.filing import HouseholdMember, ame_documents, ame_first_filing_places
from cnpe_flow.rules.catalogue import rule
from cnpe_flow.rules.dates import last_day
from cnpe_flow.rules.explain import source_words
from cnpe_flow.rules.parameters import param

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


def build_context(kind: str, source: LetterSource) -> dict[str, Any]:
    """The context of one letter kind (the kind must be one the engine listed)."""
    builder = _BUILDERS[kind]
    listed = next((x for x in source.output["letters"] if x["kind"] == kind), {})
    provisional = bool(listed.get("provisional"))
    # A provisional letter says what a levée on the planned date would bring.
    full = source.projected if provisional and source.projected else source.output
    output = full if kind == "ald_renewal" else redact_evaluation(full, medical=False)
    letter_rules = next((x["rules"] for x in output["letters"] if x["kind"] == kind), [])
    context = builder(source, output)
    # A builder that words only part of the situation names its own rules (``only_rules``).
    shown = context.pop("only_rules", None) or [*letter_rules, *context.pop("extra_rules", [])]
    context["rules"] = basis(shown)
    to_person = kind in PERSON_KINDS
    context["sender"] = _sender_block(source, to_person=to_person)
    # Letters to the person cite no rule ID nor document name: the law, in words (issue 9).
    context["legal"] = legal_references(shown) if to_person else []
    context["provisional"] = provisional
    context["provisional_date"] = (
        release_day(_last_stay(full, released=True)) if provisional else None
    )
    return context


#: letters addressed to the person (their own copy of the packet)
PERSON_KINDS = frozenset({"release_summary", "ame_filing_guide"})

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


def _ame_filing(person: dict[str, Any], filing_day: date) -> dict[str, Any]:
    """AME-3 and AME-4 for a first application filed on ``filing_day`` (the engine's rules)."""
    places = ame_first_filing_places(filing_day)
    applicant = HouseholdMember(
        "applicant", date.fromisoformat(person["birth_date"]), regular_situation=False
    )
    documents = ame_documents([applicant], filing_day)
    ages = param("ame_household_ages", filing_day).value
    return {
        "filing_date": filing_day.isoformat(),
        "in_person": places.in_person_required,
        "places": [p.label for p in places.places],
        "documents": [item.label for item in documents.items],
        "residence_minimum": param("ame_residence_minimum", filing_day).value.french(),
        "minor_below": ages["minor_below"],
        "studies_below": ages["studies_below"],
        "cohabitant": param("ame_cohabitant_dependency", filing_day).value.french(),
        "validity": param("ame_validity", filing_day).value.french(),
        "missing_documents": param("ame_missing_documents_delay", filing_day).value.french(),
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


def _release_summary(source: LetterSource, output: dict[str, Any]) -> dict[str, Any]:
    stay = _last_stay(output, released=True)
    release = release_day(stay)
    contact = _last_task(output, "contact_cpam_residence")
    vitale = _last_task(output, "carte_vitale_update")
    ame_task = _last_task(output, "ame_first_filing_in_person")
    kinds = {x["kind"] for x in output["letters"]}
    mas = "mas_referral" in kinds
    summary_rules = next(x["rules"] for x in output["letters"] if x["kind"] == "release_summary")
    # Without base rights after release the engine cites AFF-8 (irregular situation).
    without_rights = "AFF-8" in summary_rules
    # The letter words either the insured person's steps or the AME steps: cite those; in
    # Mayotte, where there is no AME to file (AME-1), the engine's own rules.
    if ame_task:
        shown = ["AFF-8", "AME-2", "AME-3", "AME-4", "REL-6"]
    elif without_rights:
        shown = list(summary_rules)
    else:
        shown = ["AFF-6", "AFF-7"]
        shown += ["REL-1", "REL-2"] if vitale else []
        shown += ["REL-3"] if mas else []
        shown += ["REL-6"]
    return {
        "recipient": person_address(source.person),
        "person": {"name": full_name(source.person)},
        "release_date": release,
        "cover": _cover_from(output, release),
        "gave_address": source.person.get("residence_postcode") is not None,
        "cpam": _cpam(output),
        "contact_due": contact["due"] if contact else None,
        "carte_vitale": {"from": vitale["due"], "quote": rule("REL-1").quote} if vitale else None,
        "ame": (
            {"due": ame_task["due"], **_ame_filing(source.person, date.fromisoformat(release))}
            if ame_task
            else None
        ),
        "mas": mas,
        "without_rights": without_rights,
        "phone": CNPE_PHONE,
        "hours": CNPE_HOURS,
        # « Vos droits à vérifier » (issue 8): the engine's rights_to_check, with their rules
        "rights": _rights_to_check(output),
        "only_rules": [*shown, *_rights_rules(output)],
    }


#: what each status of a « droit à vérifier » means for the person reading the letter
_RIGHT_STATUS = {
    "likely": "Vous y avez probablement droit.",
    "to_check": "Vous y avez peut-être droit : c'est à vérifier.",
}
#: rights the letter leaves to others: the AME (its own steps above, AME-2 to AME-4, and the
#: AME guide) and the capital décès (a right of the relatives after a death, CD-1, whose basis
#: names health pensions): the case page shows them
_NOT_IN_LETTER = frozenset({"ame", "capital_deces"})
#: the steps of each right the letter gives (the pages give them all)
_LETTER_STEPS = 3
#: summaries that speak about the file (« renseignez le foyer », « les points « à vérifier » »):
#: for the worker, not for the person
_FILE_WORDS = ("renseignez", "à vérifier »")


def _shown_rights(output: dict[str, Any]) -> list[dict[str, Any]]:
    """The person's own rights worth a line in their letter: not those judged unlikely."""
    return [
        r
        for r in output.get("rights_to_check") or []
        if r.get("status") in _RIGHT_STATUS and r.get("right") not in _NOT_IN_LETTER
    ]


def _rights_to_check(output: dict[str, Any]) -> list[dict[str, Any]]:
    """Title, what the status means, the engine's summary, the main steps and, for a C2S with
    participation (C2S-2), the monthly total for the household (« 44,00 € »)."""
    shown = []
    for r in _shown_rights(output):
        block = r.get("participation")
        summary = r.get("summary", "")
        shown.append(
            {
                "title": r["title"],
                "status": _RIGHT_STATUS[r["status"]],
                "summary": "" if any(w in summary for w in _FILE_WORDS) else summary,
                "steps": list(r.get("steps", []))[:_LETTER_STEPS],
                "monthly_total": _euros(block["total_monthly"]) if block else None,
            }
        )
    return shown


def _rights_rules(output: dict[str, Any]) -> list[str]:
    """The basis of the section, kept short: each right's first rule (its eligibility: C2S-1,
    AME-11, ASS-1 …) and C2S-2 where a participation amount is given."""
    cited: list[str] = []
    for r in _shown_rights(output):
        cited += r.get("rules", [])[:1]
        if r.get("participation"):
            cited.append("C2S-2")  # the rule of the monthly amounts (household-spec.md)
    return cited


def _euros(amount: str) -> str:
    """``"44.00"`` → ``44,00 €`` (no-break spaces, as French is printed)."""
    text = f"{Decimal(amount):,.2f}".replace(",", "\u00a0").replace(".", ",")
    return f"{text}\u00a0€"


def _cpam_transfer(source: LetterSource, output: dict[str, Any]) -> dict[str, Any]:
    stay = _last_stay(output, released=True)
    periods = [
        {
            "fund": FUNDS.get(p["fund"], p["fund"]),
            "start": p["start"],
            "last_day": last_day(date.fromisoformat(p["end"])).isoformat() if p["end"] else None,
        }
        for p in output["affiliation"]
        if p["end"] is None or p["end"] > stay["ecrou"]
    ]
    cpam = _cpam(output)
    return {
        "recipient": _cpam_recipient(cpam),
        "cpam": cpam,
        "person": _identity(source.person),
        "postcode": source.person.get("residence_postcode"),
        "establishment": _held_at(stay)["name"],
        "ecrou_date": stay["ecrou"],
        "release_date": release_day(stay),
        "periods": periods,
        "phone": CNPE_PHONE,
        "extra_rules": ["AFF-7", "AFF-5"],
    }


def _ald_renewal(source: LetterSource, output: dict[str, Any]) -> dict[str, Any]:
    ald = output.get("ald_renewal") or {}
    if not ald.get("address_lines"):
        raise NotAddressable(
            "le pôle du CNPE de cet établissement est inconnu : demandez au CNPE "
            f"({CNPE_PHONE}) où adresser le renouvellement d'ALD"
        )
    stay = _last_stay(output, released=False)
    return {
        "recipient": [
            ald["recipient"],
            ald["caisse"],
            *ald["address_lines"],
            f"{ald['postcode']} {ald['city']}",
        ],
        "person": _identity(source.person),
        "establishment": ald["establishment"],
        "pole": ald["pole"],
        "pole_status": ald["status"],
        "phone": CNPE_PHONE,
        "ecrou_date": stay["ecrou"],
        "release_date": stay["levee"],
        "extra_rules": ["ALD-1"],
    }


def _mas_referral(source: LetterSource, output: dict[str, Any]) -> dict[str, Any]:
    stay = _last_stay(output, released=True)
    mas = source.mas or {}
    ticked = set(mas.get("problems") or ())
    cpam = _cpam(output)
    handling = param("mas_handling_time", date.fromisoformat(release_day(stay))).value
    return {
        "recipient": _cpam_recipient(cpam, "Mission accompagnement santé"),
        "cpam": cpam,
        "person": _identity(source.person),
        "postcode": source.person.get("residence_postcode"),
        "release_date": release_day(stay),
        "problems": [
            {"code": code, "label": label, "ticked": code in ticked}
            for code, label in MAS_PROBLEMS.items()
        ],
        "consent_date": mas.get("consent_date"),
        "handling": handling.french(),
        "extra_rules": ["REL-4"],
    }


def _ame_filing_guide(source: LetterSource, output: dict[str, Any]) -> dict[str, Any]:
    stay = _last_stay(output, released=True)
    release = release_day(stay)
    return {
        "recipient": person_address(source.person),
        "person": {"name": full_name(source.person)},
        "release_date": release,
        "cpam": _cpam(output),
        "ame": _ame_filing(source.person, date.fromisoformat(release)),
        "phone": CNPE_PHONE,
        "hours": CNPE_HOURS,
        "extra_rules": ["AME-1", "AME-5", "AME-6"],
    }


def _cnpe_amenagement(source: LetterSource, output: dict[str, Any]) -> dict[str, Any]:
    notices = []
    with_activity = False
    for task in output["tasks"]:
        if task["kind"] != "cnpe_amenagement_notice":
            continue
        event = source.events[task["event"]]
        if event["type"] == "amenagement":
            what = "Aménagement de peine : " + MEASURES.get(event["measure"], event["measure"])
        else:
            with_activity = True
            what = "Début d'activité : " + ACTIVITIES.get(event["activity"], event["activity"])
        notices.append({"date": task["due"], "what": what})
    # A contract signed before the aménagement goes with the aménagement's notice (AFF-11).
    with_activity = with_activity or any(e["type"] == "activity_start" for e in source.events)
    stay = _last_stay(output, released=False)
    return {
        "recipient": _cnpe_recipient(_held_at(stay)["pole"]),
        "person": _identity(source.person),
        "establishment": _held_at(stay)["name"],
        "ecrou_date": stay["ecrou"],
        "notices": notices,
        "with_activity": with_activity,
        "extra_rules": ["AFF-2", "AFF-3"],
    }


def _held_at(stay: dict[str, Any]) -> dict[str, Any]:
    """The establishment holding the person at the end of the stay (after any transfer)."""
    transfers = stay.get("transfers") or []
    return transfers[-1]["establishment"] if transfers else stay["establishment"]


_BUILDERS: dict[str, Callable[[LetterSource, dict[str, Any]], dict[str, Any]]] = {
    "release_summary": _release_summary,
    "cpam_transfer": _cpam_transfer,
    "ald_renewal": _ald_renewal,
    "mas_referral": _mas_referral,
    "ame_filing_guide": _ame_filing_guide,
    "cnpe_amenagement": _cnpe_amenagement,
}

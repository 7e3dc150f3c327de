"""The plain values each letter is rendered from: strings, numbers, lists and dicts only.

Built from a :class:`LetterSource` (the person's identity, the rules engine's output, the
effective events, the sender and the MAS referral, all as plain values), so that rendering
cannot touch the database and the stored context is exactly what the letter says. Which letters
apply is never decided here: the engine's ``output["letters"]`` does that. The builders only
put the engine's dates, funds and addresses into words.

Letters that are not medical (``medical`` in the kind's ``meta.yaml``) are built from the
redacted output (``redact_evaluation``), so they say the same thing whoever generates them and
never carry a health detail.

Each kind's builder is registered under the kind's name with ``@builds("<kind>")``: this
module is the only place a builder is named. Dated parameters are read through a
:class:`ParameterReader`: a stale or extrapolated value leaves the engine's warning in the
context (``warnings``), which the Courriers page shows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from cnpe_flow.letters.context_parts import (  # noqa: F401 (re-exported)
    ACTIVITIES,
    CNPE_HOURS,
    CNPE_PHONE,
    DEFAULT_SENDER,
    FUNDS,
    MAS_PROBLEMS,
    MEASURES,
    LetterSource,
    NotAddressable,
    _ame_filing,
    _cnpe_recipient,
    _cover_from,
    _cpam,
    _cpam_recipient,
    _identity,
    _last_stay,
    _last_task,
    _sender_block,
    basis,
    full_name,
    legal_references,
    person_address,
    release_day,
)
from cnpe_flow.letters.kinds import letter_kinds
from cnpe_flow.letters.parameters import ParameterReader
from cnpe_flow.people.visibility import redact_evaluation
from cnpe_flow.rules.catalogue import rule
from cnpe_flow.rules.dates import last_day

#: a context builder: the letter's plain values from the source and the (redacted) output
Builder = Callable[[LetterSource, dict[str, Any], ParameterReader], dict[str, Any]]
#: each kind's builder, by the kind's name (filled by ``@builds``)
_BUILDERS: dict[str, Builder] = {}


def builds(kind: str) -> Callable[[Builder], Builder]:
    """Register the context builder of the letter kind ``kind`` (``letters/<kind>/``)."""

    def register(builder: Builder) -> Builder:
        if kind in _BUILDERS:
            raise ValueError(f"two context builders for the letter kind {kind!r}")
        _BUILDERS[kind] = builder
        return builder

    return register


def builder_kinds() -> frozenset[str]:
    """The kinds that have a context builder (each kind of the table must have one)."""
    return frozenset(_BUILDERS)


def build_context(kind: str, source: LetterSource) -> dict[str, Any]:
    """The context of one letter kind (the kind must be one the engine listed)."""
    builder = _BUILDERS[kind]
    listed = next((x for x in source.output["letters"] if x["kind"] == kind), {})
    provisional = bool(listed.get("provisional"))
    # A provisional letter says what a levée on the planned date would bring.
    full = source.projected if provisional and source.projected else source.output
    meta = letter_kinds()[kind]
    output = full if meta.medical else redact_evaluation(full, medical=False)
    letter_rules = next((x["rules"] for x in output["letters"] if x["kind"] == kind), [])
    params = ParameterReader()
    context = builder(source, output, params)
    # A builder that words only part of the situation names its own rules (``only_rules``).
    shown = context.pop("only_rules", None) or [*letter_rules, *context.pop("extra_rules", [])]
    context["rules"] = basis(shown)
    to_person = meta.to_person
    context["sender"] = _sender_block(source, to_person=to_person)
    # Letters to the person cite no rule ID nor document name: the law, in words (issue 9).
    context["legal"] = legal_references(shown) if to_person else []
    context["provisional"] = provisional
    context["provisional_date"] = (
        release_day(_last_stay(full, released=True)) if provisional else None
    )
    # Only when there is one: a letter without warning keeps the context it was stored with.
    if params.warnings:
        context["warnings"] = params.warnings
    return context


@builds("release_summary")
def _release_summary(
    source: LetterSource, output: dict[str, Any], params: ParameterReader
) -> dict[str, Any]:
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
            {
                "due": ame_task["due"],
                **_ame_filing(source.person, date.fromisoformat(release), params),
            }
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


@builds("cpam_transfer")
def _cpam_transfer(
    source: LetterSource, output: dict[str, Any], params: ParameterReader
) -> dict[str, Any]:
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


@builds("ald_renewal")
def _ald_renewal(
    source: LetterSource, output: dict[str, Any], params: ParameterReader
) -> dict[str, Any]:
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


@builds("mas_referral")
def _mas_referral(
    source: LetterSource, output: dict[str, Any], params: ParameterReader
) -> dict[str, Any]:
    stay = _last_stay(output, released=True)
    mas = source.mas or {}
    ticked = set(mas.get("problems") or ())
    cpam = _cpam(output)
    handling = params("mas_handling_time", date.fromisoformat(release_day(stay))).value
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


@builds("ame_filing_guide")
def _ame_filing_guide(
    source: LetterSource, output: dict[str, Any], params: ParameterReader
) -> dict[str, Any]:
    stay = _last_stay(output, released=True)
    release = release_day(stay)
    return {
        "recipient": person_address(source.person),
        "person": {"name": full_name(source.person)},
        "release_date": release,
        "cpam": _cpam(output),
        "ame": _ame_filing(source.person, date.fromisoformat(release), params),
        "phone": CNPE_PHONE,
        "hours": CNPE_HOURS,
        "extra_rules": ["AME-1", "AME-5", "AME-6"],
    }


@builds("cnpe_amenagement")
def _cnpe_amenagement(
    source: LetterSource, output: dict[str, Any], params: ParameterReader
) -> dict[str, Any]:
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

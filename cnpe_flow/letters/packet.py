"""What the two documents of a release packet hold, as plain values (issue 9).

- the **person's copy** (kind ``packet``) opens with the cover page « Vos démarches santé à la
  sortie »: the person's steps with their dates, who to call, and which letter goes to whom;
  then the letters addressed to the person. It carries no NIR, no rule ID, no file name;
- the **institutions' copy** (kind ``packet_institutions``): a list of what to send to whom,
  the letters to the CPAM, the CNPE and the Mission accompagnement santé, then an annex for
  professionals with the rules and sources of every letter of the packet.

Built only from the letters' own stored contexts (the same dates and addresses as the letters),
so that the cover page never says something the letters do not.
"""

from __future__ import annotations

from typing import Any

from cnpe_flow.letters.context import (
    CNPE_HOURS,
    CNPE_PHONE,
    LetterSource,
    full_name,
    person_address,
)
from cnpe_flow.letters.kinds import PACKET, PACKET_INSTITUTIONS, kind_title, letter_kinds

Parts = list[tuple[str, dict[str, Any]]]


def packet_contexts(
    source: LetterSource, parts: Parts, skipped: list[dict[str, str]]
) -> dict[str, tuple[dict[str, Any], list[str]]]:
    """``{copy: (cover context, kinds of the letters in it)}`` for the copies that hold a
    letter (a person with no letter addressed to them gets no person's copy)."""
    person_kinds = [k for k, _ in parts if _to_person(k)]
    other_kinds = [k for k, _ in parts if not _to_person(k)]
    contexts = dict(parts)
    provisional = any(c.get("provisional") for c in contexts.values())
    planned = next((c["provisional_date"] for c in contexts.values() if c.get("provisional")), None)
    common = {"provisional": provisional, "provisional_date": planned}
    copies: dict[str, tuple[dict[str, Any], list[str]]] = {}
    if person_kinds:
        cover = {
            **common,
            **_person_cover(source, contexts, skipped),
            "documents": _documents(parts, contexts),
        }
        copies[PACKET] = (cover, person_kinds)
    if other_kinds:
        copies[PACKET_INSTITUTIONS] = (
            {**common, **_institutions_cover(source, parts, skipped)},
            other_kinds,
        )
    return copies


def _person_cover(
    source: LetterSource, contexts: dict[str, dict[str, Any]], skipped: list[dict[str, str]]
) -> dict[str, Any]:
    summary = contexts.get("release_summary") or {}
    guide = contexts.get("ame_filing_guide") or {}
    release = summary.get("release_date") or guide.get("release_date")
    counsellor = source.counsellor
    sender = {"name": source.sender["name"], "lines": list(source.sender["lines"])}
    if counsellor:
        # The cover may travel in a window envelope: the sender block stays neutral.
        sender["lines"].append(f"Suivi par : {counsellor['name']}")
        if counsellor.get("phone"):
            sender["lines"].append(f"Tél. {counsellor['phone']}")
    mas_waiting = any(s["kind"] == "mas_referral" for s in skipped)
    return {
        "recipient": person_address(source.person),
        "sender": sender,
        "name": full_name(source.person),
        "release_date": release,
        "steps": _steps(summary, guide, mas_waiting),
        "phone": CNPE_PHONE,
        "hours": CNPE_HOURS,
        "counsellor": counsellor,
    }


def _steps(
    summary: dict[str, Any], guide: dict[str, Any], mas_waiting: bool
) -> list[dict[str, Any]]:
    """The person's steps, in order, each with its date (ISO), what to know (``details``) and
    what to bring (``items``)."""
    steps: list[dict[str, Any]] = []
    ame = summary.get("ame") or guide.get("ame")
    cpam = summary.get("cpam") or guide.get("cpam")
    cpam_lines = list((cpam or {}).get("address_lines") or [])
    if ame:
        due = summary.get("ame", {}).get("due") or guide.get("release_date")
        steps.append(
            {
                "when": due,
                "what": "Déposez vous-même, en personne, votre demande d'aide médicale de "
                "l'État (AME) à votre caisse d'assurance maladie (CPAM).",
                "details": [
                    *(["Adresse : " + ", ".join(cpam_lines)] if cpam_lines else []),
                    "Le formulaire S3720 est sur ameli.fr. Demandez une fiche de passage : "
                    "elle prouve la date de votre dépôt.",
                    "À apporter : "
                    + ("la liste est dans le guide de la demande d'AME joint." if guide else ""),
                ],
                # the guide has the checklist; without it, the list itself
                "items": [] if guide else list(ame.get("documents", [])),
            }
        )
        return steps
    if summary.get("without_rights"):
        steps.append(
            {
                "when": summary.get("release_date"),
                "what": "Si vous avez besoin de soins, allez à l'hôpital : les soins urgents "
                "y sont pris en charge.",
                "details": [
                    "La Caisse de sécurité sociale de Mayotte (CSSM) vous dira ce qui "
                    "s'applique à votre situation."
                ],
            }
        )
        return steps
    if not summary:
        return steps
    where = (
        ["Adresse : " + ", ".join(cpam_lines)]
        if cpam_lines
        else [f"Votre caisse : {cpam['name']} (adresse sur ameli.fr)."]
        if cpam
        else []
    )
    steps.append(
        {
            "when": summary.get("contact_due") or summary.get("release_date"),
            "what": "Contactez votre caisse d'assurance maladie (CPAM) pour mettre votre "
            "dossier à jour (travail, chômage…).",
            "details": [
                *where,
                *(
                    []
                    if summary.get("gave_address")
                    else [
                        "Vous n'avez pas donné d'adresse : allez-y vous-même, avec une pièce "
                        "d'identité."
                    ]
                ),
            ],
        }
    )
    vitale = summary.get("carte_vitale")
    if vitale:
        steps.append(
            {
                "when": vitale["from"],
                "what": "Mettez à jour votre carte Vitale (borne en pharmacie ou à la CPAM).",
                "details": ["Pas avant cette date : votre dossier doit d'abord être transféré."],
            }
        )
    if summary.get("mas"):
        steps.append(
            {
                "when": None,
                "what": "Besoin d'aide pour vos droits ou vos soins ? La Mission "
                "accompagnement santé de votre CPAM peut vous accompagner.",
                "details": [
                    "Si vous êtes d'accord, dites-le à votre conseiller·e : il ou elle lui "
                    "envoie la demande pour vous."
                    if mas_waiting
                    else "Vous avez donné votre accord : la demande lui est envoyée."
                ],
            }
        )
    return steps


def _documents(parts: Parts, contexts: dict[str, dict[str, Any]]) -> list[dict[str, str]]:
    """Which letter goes to whom (the person's own first)."""
    ordered = sorted(parts, key=lambda p: not _to_person(p[0]))
    return [
        {"title": _plain_title(kind), "goes_to": letter_kinds()[kind].goes_to}
        for kind, _ in ordered
    ]


def _plain_title(kind: str) -> str:
    """The letter's title without the page's note in brackets (« (pour la personne) »)."""
    return kind_title(kind).split(" (", 1)[0]


def _institutions_cover(
    source: LetterSource, parts: Parts, skipped: list[dict[str, str]]
) -> dict[str, Any]:
    counsellor = source.counsellor
    return {
        "name": full_name(source.person),
        "counsellor": counsellor,
        "sends": [
            {
                "title": _plain_title(kind),
                "to": ", ".join(context.get("recipient", [])),
            }
            for kind, context in parts
            if not _to_person(kind)
        ],
        "skipped": [{"title": _plain_title(s["kind"]), "reason": s["reason"]} for s in skipped],
        # Annex for professionals: every letter's rules and sources (the person's letters
        # carry none).
        "annex": [
            {"title": _plain_title(kind), "rules": context.get("rules", [])}
            for kind, context in parts
        ],
    }


def _to_person(kind: str) -> bool:
    """Addressed to the person (their own copy of the packet), from the kinds' table."""
    return letter_kinds()[kind].to_person

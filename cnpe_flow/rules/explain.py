"""French explanation of an evaluation: why each period, task and letter was decided."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from cnpe_flow.rules.catalogue import rules as catalogue

FUNDS = {
    "CNPE": "CNPE",
    "CPAM_RESIDENCE": "CPAM de résidence",
    "AME": "AME (aide médicale de l'État)",
    "NONE": "aucune couverture de base",
}
IJ_STATUSES = {
    "suspended": "indemnités journalières suspendues",
    "resumable": "indemnités journalières à reprendre par la nouvelle caisse si les conditions sont remplies",
    "payable_from_release": "indemnités journalières AT/MP dues à partir de la libération",
}
OWNERS = {"spip": "SPIP", "usmp": "USMP", "partner": "accompagnant·e"}
LETTERS = {
    "release_summary": "récapitulatif de sortie pour la personne",
    "cpam_transfer": "transfert du dossier à la CPAM de résidence",
    "ald_renewal": "renouvellement d'ALD au pôle du CNPE",
    "mas_referral": "saisine de la Mission accompagnement santé",
    "ame_filing_guide": "guide de dépôt de la demande d'AME",
    "cnpe_amenagement": "courrier au CNPE pour l'aménagement de peine",
}
# Short reasons for the rules that justify periods; other rules show their catalogue title.
SHORT = {
    "AFF-1": "personne incarcérée",
    "AFF-2": "aménagement de peine sans activité professionnelle",
    "AFF-3": "aménagement de peine avec activité professionnelle, formation rémunérée ou indemnités chômage",
    "AFF-4": "l'établissement fait le lien avec le CNPE",
    "AFF-6": "levée d'écrou : dossier transféré à la CPAM du lieu de résidence",
    "AFF-7": "la personne met son dossier à jour auprès de sa CPAM",
    "AFF-8": "situation irrégulière : pas de droits après la sortie",
    "AME-2": "l'AME se demande en personne dès la sortie",
    "AME-5": "droit à l'AME ouvert pour un an",
    "AME-8": "fin du droit à l'AME sans renouvellement",
    "PUMA-2": "maintien des droits après l'expiration du titre de séjour",
    "IJ-1": "pas d'IJ pendant l'incarcération",
    "IJ-2": "IJ suspendues pendant l'écrou",
    "IJ-3": "reprise à l'aménagement ou à la sortie",
    "ATMP-2": "AT/MP non consolidé à la sortie",
}


def _fr(iso: str | None) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else ""


def _span(p: dict[str, Any]) -> str:
    if p["end"] is None:
        return f"à partir du {_fr(p['start'])}"
    last = date.fromisoformat(p["end"]) - timedelta(days=1)
    return f"du {_fr(p['start'])} au {last:%d/%m/%Y}"


def _reasons(ids: list[str]) -> str:
    known = catalogue()
    return " ; ".join(f"{SHORT.get(i, known[i].title)} ({i})" for i in ids)


def explain_lines(result: dict[str, Any]) -> list[str]:
    """The evaluation in French, one decision per line, each with its rule IDs."""
    out = [
        f"Évaluation au {_fr(result['as_of'])}",
        "",
        "Affiliation (qui prend en charge les frais de santé) :",
    ]
    if not result["affiliation"]:
        out.append("  aucune mise sous écrou enregistrée : rien à décider")
    for p in result["affiliation"]:
        fund = FUNDS[p["fund"]]
        if p.get("cpam"):
            fund += f" ({p['cpam']})"
        out.append(f"  {_span(p)} : {fund} — {_reasons(p['rules'])}")
    if result["ij"]:
        out += ["", "Indemnités journalières :"]
        out += [
            f"  {_span(p)} : {IJ_STATUSES[p['status']]} — {_reasons(p['rules'])}"
            for p in result["ij"]
        ]
    for b in result["maintained_benefits"]:
        out.append(
            f"  {b['benefit']} : maintenu(e), versé(e) par {b['paid_by']} ({', '.join(b['rules'])})"
        )
    ald = result["ald_renewal"]
    if ald:
        out += ["", "Renouvellement d'ALD (ALD-2) :"]
        if ald["pole"]:
            address = ", ".join(
                [
                    ald["recipient"],
                    ald["caisse"],
                    *ald["address_lines"],
                    f"{ald['postcode']} {ald['city']}",
                ]
            )
            out.append(f"  pôle {ald['pole']} du CNPE — {address}")
        else:
            out.append(f"  pôle inconnu pour {ald['establishment']}")
        out.append(f"  statut de la répartition : {ald['status']}")
    cpam = result["cpam_residence"]
    if cpam and cpam["name"]:
        out += [
            "",
            f"CPAM de résidence : {', '.join(cpam['address_lines']) or cpam['name'] + ' (adresse non trouvée)'}",
        ]
    if result["tasks"]:
        out += ["", "À faire :"]
    for t in result["tasks"]:
        extra = f" ; {t['parameter']}" if t.get("parameter") else ""
        out.append(
            f"  {_fr(t['due'])} — {t['label']} [{OWNERS[t['owner']]}] ({', '.join(t['rules'])}{extra})"
        )
    if result["letters"]:
        out += ["", "Courriers :"]
        out += [f"  {LETTERS[x['kind']]} ({', '.join(x['rules'])})" for x in result["letters"]]
    if result["warnings"]:
        out += ["", "À vérifier :"]
        out += [f"  {w['message']}" for w in result["warnings"]]
    used = _used_rules(result)
    out += ["", "Sur quelle base ?"]
    known = catalogue()
    out += [f"  {i} — {known[i].title} [source : {known[i].source}]" for i in used]
    return out


def _used_rules(result: dict[str, Any]) -> list[str]:
    seen: list[str] = []
    groups = [
        result["affiliation"],
        result["ij"],
        result["tasks"],
        result["letters"],
        result["maintained_benefits"],
    ]
    if result["ald_renewal"]:
        groups.append([result["ald_renewal"]])
    for group in groups:
        for item in group:
            for i in item["rules"]:
                if i not in seen:
                    seen.append(i)
    order = list(catalogue())
    return sorted(seen, key=order.index)

"""French explanation of an evaluation: why each period, task and letter was decided.

Written for the people who read it (SPIP, USMP, support workers): dated parameters in words
(« délai de 10 jours, en vigueur depuis le 01/04/2023 »), never their internal names; the
seed's own words under each rule; and the periods that need it told in their context (the end
of a PUMa maintenance and what to do next, the AME waiting period of a code 04 grant).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from cnpe_flow.rules.catalogue import SEED_FILES
from cnpe_flow.rules.catalogue import rules as catalogue
from cnpe_flow.rules.dates import Duration, fr, fr_last_day
from cnpe_flow.rules.letters import LETTER_KINDS
from cnpe_flow.rules.parameters import all_parameters, param

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
BENEFITS = {"atmp_rente": "rente AT/MP", "invalidity_pension": "pension d'invalidité"}
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
    "PUMA-2": "droits maintenus après l'expiration du titre de séjour",
    "IJ-1": "pas d'IJ pendant l'incarcération",
    "IJ-2": "IJ suspendues pendant l'écrou",
    "IJ-3": "reprise à l'aménagement ou à la sortie",
    "ATMP-2": "AT/MP non consolidé à la sortie",
}
#: AME contract codes (AME-9, seed 003 « Le délai de carence »)
AME_CODES = {
    "04": "première demande, ou reprise plus d'un an après la fin du droit précédent",
    "05": "renouvellement sans interruption",
    "06": "reprise après une interruption d'un an ou moins",
}
# Parameter files use this first date for « since always » (no known start).
_NO_KNOWN_START = date(2000, 1, 1)


def _span(p: dict[str, Any]) -> str:
    if p["end"] is None:
        return f"à partir du {fr(p['start'])}"
    return f"du {fr(p['start'])} au {fr_last_day(p['end'])}"


def source_words(source: str) -> str:
    """``000, §3 …`` → ``dépliant CNPE (après le 01/04/2023), §3 …`` (seed codes in words)."""
    parts = []
    for piece in source.split(" ; "):
        code, sep, rest = piece.partition(",")
        seed = SEED_FILES.get(code.strip())
        label = seed.split(" — ", 1)[1] if seed else code.strip()
        parts.append(label + (sep + rest if sep else ""))
    return " ; ".join(parts)


def parameter_words(trace: str, kind: str | None = None) -> str:
    """A dated parameter in words, from its trace (``name@AAAA-MM-JJ = valeur``).

    ``carte_vitale_update_delay@2023-04-01 = 10 jours`` → « délai de 10 jours, en vigueur depuis
    le 01/04/2023 ». Empty for a trace we cannot read: a name is never shown instead.
    """
    name, _, rest = trace.partition("@")
    spec = all_parameters().get(name)
    try:
        since = date.fromisoformat(rest[:10])
    except ValueError:
        return ""
    if spec is None:
        return ""
    value = param(name, since).value
    if isinstance(value, Duration):
        what = f"délai de {value.french()}"
    elif isinstance(value, dict) and kind in value:  # one offset per task kind, in days
        what = f"{value[kind]} jours avant la date de sortie prévue"
    else:
        what = spec.label[:1].lower() + spec.label[1:]
    if "pas une règle légale" in spec.label:
        return f"{what} (choix du projet, pas une règle légale)"
    if since == _NO_KNOWN_START:
        later = [s for s in spec.starts if s > since]
        return f"{what}, applicable avant le {fr(later[0])}" if later else what
    return f"{what}, en vigueur depuis le {fr(since)}"


# ------------------------------------------------------------------ periods in their context


def _grants_in(period: dict[str, Any], result: dict[str, Any]) -> list[dict[str, Any]]:
    end = period["end"] or "9999-12-31"
    return [g for g in result.get("ame") or [] if period["start"] <= g["start"] < end]


def waiting_period_words(grant: dict[str, Any]) -> str | None:
    """AME-9: the 9-month waiting period of a code 04 grant, with its last day; None without."""
    if grant.get("contract_code") != "04" or not grant.get("waiting_period_end"):
        return None
    length = param("ame_waiting_period", date.fromisoformat(grant["start"])).value
    return (
        f"délai de carence de {length.french()} pour certains soins non urgents, jusqu'au "
        f"{fr_last_day(grant['waiting_period_end'])}"
    )


_NO_AME_IN_MAYOTTE = "l'AME n'existe pas à Mayotte : pas de demande à déposer, voir avec la CSSM"


def ame_unavailable(result: dict[str, Any]) -> bool:
    """Released in Mayotte, where AME does not exist (AME-1): the engine warns."""
    return any(w.get("code") == "ame_not_in_mayotte" for w in result.get("warnings") or [])


def _ame_after_maintenance(
    result: dict[str, Any], puma: dict[str, Any], start: str
) -> tuple[str, str]:
    """What to do once the maintenance has ended: file an AME from 45 days before its end
    (PUMA-3), or from the levée when the person was in custody then (AME-2)."""
    if ame_unavailable(result):
        return "AME-1", _NO_AME_IN_MAYOTTE
    levees = [
        s["levee"] for s in result.get("stays") or [] if s.get("levee") and s["levee"] <= start
    ]
    latest = max(levees, default="")
    if latest > puma["ame_filing_from"]:
        return (
            "AME-2",
            f"demander l'AME en personne à la CPAM du lieu de résidence dès la sortie, le {fr(latest)}",
        )
    return (
        "PUMA-3",
        "demander l'AME à la CPAM du lieu de résidence, possible à partir du "
        f"{fr(puma['ame_filing_from'])}",
    )


def period_reasons(period: dict[str, Any], result: dict[str, Any]) -> list[tuple[str, str]]:
    """(rule ID, French reason) for one affiliation period, told in its context."""
    puma = result.get("puma_maintenance")
    out: list[tuple[str, str]] = []
    for rule_id in period.get("rules", []):
        text = SHORT.get(rule_id) or catalogue()[rule_id].title
        if rule_id == "PUMA-2" and puma:
            if period["fund"] == "NONE":
                out.append(
                    (
                        "PUMA-2",
                        f"le maintien des droits après l'expiration du titre de séjour (le "
                        f"{fr(puma['permit_expiry'])}) a pris fin le {fr_last_day(puma['end'])}",
                    )
                )
                out.append(_ame_after_maintenance(result, puma, period["start"]))
                continue
            text = (
                f"droits maintenus jusqu'au {fr_last_day(puma['end'])} après l'expiration du titre de "
                f"séjour le {fr(puma['permit_expiry'])}"
            )
        elif rule_id == "AME-1" and period["fund"] == "NONE":  # released in Mayotte
            text = _NO_AME_IN_MAYOTTE
        out.append((rule_id, text))
    if period["fund"] == "AME":
        for grant in _grants_in(period, result):
            words = waiting_period_words(grant)
            if words:
                out.append(("AME-9", words))
    return out


def period_note(period: dict[str, Any]) -> str | None:
    """What the fund alone does not say: after a PUMa maintenance, that it has ended."""
    if period["fund"] == "NONE" and "PUMA-2" in period.get("rules", []):
        return "maintien des droits terminé"
    return None


def period_label(period: dict[str, Any]) -> str:
    """The fund of a period in French, with its note."""
    label = FUNDS.get(period["fund"], period["fund"])
    note = period_note(period)
    return f"{label} ({note})" if note else label


def _reasons(pairs: list[tuple[str, str]]) -> str:
    return " ; ".join(f"{text} ({rule_id})" for rule_id, text in pairs)


def _plain(ids: list[str]) -> list[tuple[str, str]]:
    known = catalogue()
    return [(i, SHORT.get(i, known[i].title)) for i in ids]


# ------------------------------------------------------------------------------ the lines


def explain_lines(result: dict[str, Any]) -> list[str]:
    """The evaluation in French, one decision per line, each with its rule IDs."""
    out = [
        f"Évaluation au {fr(result['as_of'])}",
        "",
        "Affiliation (qui prend en charge les frais de santé) :",
    ]
    if not result["affiliation"]:
        out.append("  aucune mise sous écrou enregistrée : rien à décider")
    for p in result["affiliation"]:
        fund = period_label(p)
        if p.get("cpam"):
            fund += f" ({p['cpam']})"
        out.append(f"  {_span(p)} : {fund} — {_reasons(period_reasons(p, result))}")
    out += _ame_lines(result)
    out += _c2s_lines(result)
    if result["ij"]:
        out += ["", "Indemnités journalières :"]
        out += [
            f"  {_span(p)} : {IJ_STATUSES[p['status']]} — {_reasons(_plain(p['rules']))}"
            for p in result["ij"]
        ]
    if result["maintained_benefits"]:
        out += ["", "Prestations maintenues pendant l'écrou :"]
    for b in result["maintained_benefits"]:
        claims = f" ; nouvelles demandes : {b['new_claims_to']}" if b.get("new_claims_to") else ""
        out.append(
            f"  {BENEFITS.get(b['benefit'], 'prestation')} maintenue, versée par {b['paid_by']}"
            f"{claims} ({', '.join(b['rules'])})"
        )
    out += _ald_lines(result)
    out += _rights_lines(result)
    cpam = result["cpam_residence"]
    if cpam and cpam["name"]:
        out += [
            "",
            f"CPAM de résidence : {', '.join(cpam['address_lines']) or cpam['name'] + ' (adresse non trouvée)'}",
        ]
    if result["tasks"]:
        out += ["", "À faire :"]
    for t in result["tasks"]:
        words = parameter_words(t["parameter"], t["kind"]) if t.get("parameter") else ""
        out.append(
            f"  {fr(t['due'])} — {t['label']} [{OWNERS[t['owner']]}] ({', '.join(t['rules'])})"
            + (f" — {words}" if words else "")
        )
    if result["letters"]:
        out += ["", "Courriers :"]
        for x in result["letters"]:
            note = " — provisoire, daté de la sortie prévue" if x.get("provisional") else ""
            out.append(f"  {LETTER_KINDS[x['kind']]} ({', '.join(x['rules'])}){note}")
    if result["warnings"]:
        out += ["", "À vérifier :"]
        out += [f"  {w['message']}" for w in result["warnings"]]
    out += ["", "Sur quelle base ?"]
    known = catalogue()
    for i in _used_rules(result):
        rule = known[i]
        out.append(f"  {i} — {rule.title} [source : {source_words(rule.source)}]")
        if rule.quote:
            out.append(f"      « {rule.quote} »")
    return out


def _ame_lines(result: dict[str, Any]) -> list[str]:
    """Each AME grant with its contract code and, for code 04, the waiting period (AME-9)."""
    grants = result.get("ame") or []
    if not grants:
        return []
    out = ["", "Aide médicale de l'État (AME) :"]
    for g in grants:
        code = g.get("contract_code")
        words = waiting_period_words(g)
        if words is None:
            words = "pas de délai de carence" + (
                " (droit ouvert avant le 01/01/2021)" if code == "04" else ""
            )
        out.append(
            f"  accordée {_span(g)}, code {code} ({AME_CODES.get(code, '')}) — {words} "
            f"({', '.join(g['rules'])})"
        )
    return out


def _c2s_lines(result: dict[str, Any]) -> list[str]:
    rights = result.get("c2s") or []
    if not rights:
        return []
    out = ["", "Complémentaire santé solidaire (C2S) :"]
    out += [f"  {_span(c)} : droit à la C2S ({', '.join(c['rules'])})" for c in rights]
    return out


RIGHT_STATUSES = {"likely": "probable", "unlikely": "peu probable", "to_check": "à vérifier"}
_MET = {True: "oui", False: "non", None: "à vérifier"}


def _euros(amount: str) -> str:
    return amount.replace(".", ",") + "\u00a0€"


def _rights_lines(result: dict[str, Any]) -> list[str]:
    """« Droits à vérifier » (C2S, AME, soins urgents, ASS, capital décès…): each right with its
    conditions (an unknown fact stays « à vérifier »), the monthly C2S participation and the
    steps. Parameter traces are for the technical view (API): not shown here."""
    items = result.get("rights_to_check") or []
    if not items:
        return []
    out = ["", "Droits à vérifier :"]
    for r in items:
        status = RIGHT_STATUSES.get(r.get("status", ""), "à vérifier")
        ids = f" ({', '.join(r['rules'])})" if r.get("rules") else ""
        out.append(f"  {r['title']} — {status} : {r['summary']}{ids}")
        for c in r.get("conditions") or []:
            ids = f" ({', '.join(c['rules'])})" if c.get("rules") else ""
            out.append(f"    {_MET.get(c.get('met'), 'à vérifier')} — {c['text']}{ids}")
        share = r.get("participation")
        if share:
            each = " ; ".join(
                f"{m['age']} ans : {_euros(m['monthly'])}" for m in share.get("members") or []
            )
            out.append(
                f"    participation mensuelle : {_euros(share['total_monthly'])} ({each}), "
                f"âges au {fr(share['reference_date'])}"
            )
        out += [f"    à faire : {step}" for step in r.get("steps") or []]
    return out


def _ald_lines(result: dict[str, Any]) -> list[str]:
    ald = result["ald_renewal"]
    if not ald:
        return []
    out = ["", "Renouvellement d'ALD (ALD-2) :"]
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
    return out


def _used_rules(result: dict[str, Any]) -> list[str]:
    """Every rule the output cites (and the period reasons add), in catalogue order."""
    seen: dict[str, None] = {}
    groups: list[list[dict[str, Any]]] = [
        result["ij"],
        result["tasks"],
        result["letters"],
        result["maintained_benefits"],
        result.get("ame") or [],
        result.get("c2s") or [],
        result.get("rights_to_check") or [],
    ]
    if result["ald_renewal"]:
        groups.append([result["ald_renewal"]])
    for p in result["affiliation"]:
        seen.update((i, None) for i, _ in period_reasons(p, result))
    for group in groups:
        for item in group:
            seen.update((i, None) for i in item["rules"])
    order = list(catalogue())
    return sorted(seen, key=order.index)

"""How to ask for the C2S: the form and who sends it where (C2S-3), the documents (C2S-5),
the letter of a person under 25 applying alone (C2S-4), the answer delay and the start of the
right (C2S-6), and the automatic renewal of an RSA household's right (C2S-7)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from cnpe_flow.rules.dates import Duration, last_day
from cnpe_flow.rules.right_items import CNPE_NAME, day

#: The application form (seed 000, §2): a form number, not an amount or a delay.
FORM = "S3711"


def renewal(current_end: date) -> str:
    """C2S-7 for an RSA household with a right in force (``current_end`` exclusive): the
    renewal is automatic when nothing changes (seed 001)."""
    return (
        f"C2S en cours jusqu'au {day(last_day(current_end))} inclus : foyer au RSA, "
        "renouvellement automatique si la situation ne change pas."
    )


@lru_cache(maxsize=256)
def steps(
    cnpe: bool,
    spouse: bool,
    rsa: bool | None,
    young_alone: bool,
    delay: Duration,
    period: Duration,
) -> tuple[str, ...]:
    """C2S-3, C2S-4, C2S-5, C2S-6. ``cnpe``: affiliated to the CNPE (in custody without an
    activity aménagement): the person sends the form to the CNPE, otherwise to the CPAM of
    residence (seed 001); ``spouse``: a spouse may file instead, with their own fund;
    ``delay``: ``c2s_answer_delay``; ``period``: ``c2s_resources_period``."""
    out = [
        f"Remplir le formulaire de demande de Complémentaire santé solidaire ({FORM}) en "
        "mentionnant tous les membres du foyer (conjoint, enfants ou personnes à charge de moins "
        "de 25 ans) ; la demande peut aussi se faire sur ameli.fr."
    ]
    if cnpe:
        out.append(f"Pendant l'écrou, la personne écrouée adresse la demande au {CNPE_NAME}.")
    else:
        out.append(
            "La personne adresse la demande à la CPAM de son lieu de résidence (en ligne sur "
            "ameli.fr ou avec le formulaire)."
        )
    if spouse:
        out.append(
            "La demande peut aussi être faite par le conjoint, qui l'adresse à sa propre caisse "
            "d'assurance maladie (sa caisse de rattachement)."
        )
    if rsa:
        out.append("Foyer au RSA : le préciser ; pas de déclaration de ressources à faire.")
    else:
        out.append(
            f"Déclarer l'ensemble des ressources perçues par le foyer au cours des "
            f"{period.french()} précédant la demande, avec les justificatifs."
        )
    out.append(
        "Si des prestations de la CAF sont versées : indiquer le numéro d'allocataire et le "
        "département de la CAF."
    )
    out.append("Joindre le dernier avis d'imposition.")
    if young_alone:
        out.append(
            "Moins de 25 ans et demande faite seul(e) : joindre un courrier attestant les trois "
            "conditions (ne vit plus chez ses parents, ne perçoit pas de pension alimentaire, "
            "fait sa propre déclaration fiscale)."
        )
    out.append(
        f"La caisse répond dans un délai de {delay.french()}. La C2S commence le 1er jour du "
        "mois qui suit la décision (C2S gratuite) ou la réception du moyen de paiement (C2S avec "
        "participation) ; en cas de besoin de soins urgents signalé avec la demande, le 1er jour "
        "du mois de la demande."
    )
    return tuple(out)

"""Every task kind the engine produces: French label, who owns it, whether it is medical.

``medical`` tasks (ALD, AT/MP, IJ) are for the USMP: other roles see only that a medical step
exists and who owns it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TaskKind:
    label: str
    #: spip | usmp | partner (support worker after release)
    owner: str
    medical: bool = False


TASK_KINDS: dict[str, TaskKind] = {
    "ald_protocol_request": TaskKind(
        "Demander le protocole de soins ALD au médecin traitant ou au médecin-conseil", "usmp", True
    ),
    "cnpe_amenagement_notice": TaskKind(
        "Envoyer au CNPE le justificatif d'aménagement (et le contrat ou le premier bulletin de "
        "salaire en cas d'activité)",
        "spip",
    ),
    # IJ reveal sick leave: medical, so the USMP owns the step (contract v2).
    "ij_resumption": TaskKind(
        "Demander la reprise des indemnités journalières à la nouvelle caisse", "usmp", True
    ),
    "atmp_ij_claim": TaskKind(
        "Faire valoir les indemnités journalières AT/MP dès la libération", "usmp", True
    ),
    "contact_cpam_residence": TaskKind(
        "Contacter la CPAM de résidence pour mettre le dossier à jour", "spip"
    ),
    "carte_vitale_update": TaskKind("Mettre à jour la carte Vitale", "partner"),
    "ame_first_filing_in_person": TaskKind(
        "Déposer en personne la première demande d'AME à la CPAM de résidence dès la sortie",
        "spip",
    ),
    "mas_referral_offer": TaskKind(
        "Proposer une orientation vers la Mission accompagnement santé de la CPAM", "spip"
    ),
    "ame_missing_documents_deadline": TaskKind(
        "Envoyer les pièces manquantes de la demande d'AME", "partner"
    ),
    "ame_deemed_rejected": TaskKind(
        "Sans réponse, la demande d'AME est réputée rejetée : contacter la CPAM", "partner"
    ),
    "ame_renewal": TaskKind("Préparer le renouvellement de l'AME", "partner"),
    "c2s_renewal": TaskKind("Demander le renouvellement de la C2S", "partner"),
    "ame_filing_window_opens": TaskKind(
        "La demande d'AME peut être déposée (fin prochaine du maintien des droits PUMa)", "partner"
    ),
    # Preparation before a planned release: the project's own design (not contract kinds).
    "collect_release_address": TaskKind(
        "Recueillir l'adresse de sortie (où vivre ou recevoir le courrier ; sans adresse, rien "
        "ne peut être envoyé ni transféré)",
        "spip",
    ),
    "prepare_ame_documents": TaskKind(
        "Préparer avec la personne les pièces de la demande d'AME", "spip"
    ),
    "check_release_letters": TaskKind("Vérifier et générer les courriers de sortie", "spip"),
}

"""AME-3 (where a first application is filed in person, and who is exempt) and AME-4 (the
documents to join), for the AME item and the letters (``ame_filing_guide``, release summary).

Every delay and age comes from a dated parameter read at the application date through
``lookup``: ``ctx.param`` for the engine, the letters' ``ParameterReader``; both report a stale
or extrapolated value (plain :func:`cnpe_flow.rules.parameters.param` by default).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from cnpe_flow.rules.dates import ONE_DAY, Duration, age_on, fr, last_day
from cnpe_flow.rules.parameters import ParamValue, all_parameters, param

Lookup = Callable[[str, date], ParamValue]

#: The application form (seed 003): form and cerfa numbers, not amounts or delays.
FORM = "S3720, cerfa n° 11573"

#: AME-3 exemptions from filing in person, with the document each needs (seed 003).
EXEMPTIONS = (
    "Dispense de dépôt en personne : mineur(e) isolé(e), enfant à charge, personne sous tutelle ou "
    "curatelle (joindre la copie du jugement), personne à mobilité réduite (joindre une "
    "attestation sur l'honneur : elle ne peut pas se déplacer à la caisse)."
)


@dataclass(frozen=True, slots=True)
class FilingPlace:
    code: str
    label: str


@dataclass(frozen=True, slots=True)
class AMEFilingPlaces:
    """AME-3 on a given date."""

    in_person_required: bool
    places: tuple[FilingPlace, ...]
    #: places named by a secondary source only: shown « à vérifier »
    to_verify: tuple[FilingPlace, ...]
    #: one French sentence
    text: str
    parameters: tuple[str, ...]


_PLACE_LABELS = {
    "cpam_residence": "la caisse d'assurance maladie (CPAM) du lieu de résidence",
    "france_services": "un espace France services",
    "centre_sante": "un centre de santé",
    "maison_sante": "une maison de santé",
    "association_agreee": "une association loi 1901 habilitée (accès aux soins)",
}


def _place_label(code: str, transmission: Duration | None) -> str:
    if code == "etablissement_sante_pass":
        delay = f" sous {transmission.french()} au plus" if transmission else ""
        return (
            "par exception, l'établissement de santé ou la PASS hospitalière où le demandeur ou "
            "un membre du foyer est soigné (formulaire cacheté par l'établissement, avec un "
            "bulletin d'hospitalisation ou une attestation de soins), qui le transmet à la "
            f"caisse{delay}"
        )
    return _PLACE_LABELS.get(code, code)


def ame_first_filing_places(at: date, lookup: Lookup = param) -> AMEFilingPlaces:
    """AME-3: where a **first** AME application is filed in person on ``at``.

    Since 1 June 2021 (seed 001): the CPAM of residence, a France services, or by exception
    the health establishment / PASS treating the applicant or a household member (which
    forwards the file within ``ame_health_establishment_transmission``). Before that date no
    in-person obligation is documented. Places cited only by a secondary source are in
    ``to_verify``.
    """
    pv = lookup("ame_first_filing_places", at)
    if pv.value is None:
        # The date the obligation starts is the next documented row, not a date in the code.
        spec = all_parameters()["ame_first_filing_places"]
        later = [s for s, v in zip(spec.starts, spec.values, strict=True) if s > at and v]
        since = f"elle s'applique à partir du {fr(later[0])}" if later else "aucune date connue"
        text = (
            "Aucune obligation de dépôt en personne de la première demande d'AME n'est "
            f"documentée à cette date ({since}) : envoi possible à la CPAM de résidence."
        )
        return AMEFilingPlaces(False, (), (), text, (pv.trace,))
    codes = tuple(pv.value.get("places") or ())
    traces = [pv.trace]
    transmission: Duration | None = None
    if "etablissement_sante_pass" in codes:
        tpv = lookup("ame_health_establishment_transmission", at)
        traces.append(tpv.trace)
        transmission = tpv.value
    places = tuple(FilingPlace(c, _place_label(c, transmission)) for c in codes)
    to_verify = tuple(
        FilingPlace(c, _place_label(c, None)) for c in pv.value.get("to_verify") or ()
    )
    text = (
        f"Déposer la première demande d'AME ({FORM}) en personne, dès la sortie, à : "
        + " ; ".join(p.label for p in places)
        + ". Une fiche de passage remise à l'accueil prouve la date de dépôt."
    )
    if to_verify:
        text += (
            " À vérifier auprès de la CPAM (source secondaire) : "
            + ", ".join(p.label for p in to_verify)
            + "."
        )
    return AMEFilingPlaces(True, places, to_verify, text, tuple(traces))


@dataclass(frozen=True, slots=True)
class HouseholdMember:
    """A person on an AME application: ``applicant``, ``spouse``, ``child``, ``cohabitant``
    or ``other``; a member in regular situation is not a beneficiary (AME-10)."""

    relation: str
    birth_date: date
    regular_situation: bool = False


@dataclass(frozen=True, slots=True)
class DocumentItem:
    """One line of the checklist: what to provide and for whom."""

    label: str
    concerns: str


@dataclass(frozen=True, slots=True)
class AMEDocuments:
    """AME-4: the checklist of an AME application."""

    items: tuple[DocumentItem, ...]
    #: residence proofs must be dated within this window (both days included)
    residence_proof_from: date
    residence_proof_until: date
    #: indexes (in the household given) of the members who need a photo
    photo_for: tuple[int, ...]
    parameters: tuple[str, ...]


_RELATION_FR = {
    "applicant": "demandeur",
    "spouse": "conjoint",
    "child": "enfant",
    "cohabitant": "cohabitant",
    "other": "membre du foyer",
}


def _who(index: int, member: HouseholdMember) -> str:
    return f"{_RELATION_FR[member.relation]} n° {index + 1} (né(e) le {fr(member.birth_date)})"


_FORM_LABEL = (
    f"Formulaire de demande d'AME ({FORM}) complété au stylo noir, daté et signé ; volet photo "
    "rempli (nom, prénom, date de naissance en face de chaque photo)."
)
_IDENTITY = (
    "Justificatif d'identité : copie du passeport (toutes les pages, même blanches), de la pièce "
    "d'identité (recto verso), du titre de séjour antérieur, d'un extrait d'acte de naissance ou "
    "du livret de famille ; à défaut, carte d'étudiant ou permis de conduire."
)
_PHOTO = (
    "Photo d'identité récente, en couleur, 3,5 × 4,5 cm, fond blanc, de face, tête nue (à "
    "coller, sans agrafe ni adhésif)."
)


def _residence(min_age: Duration, max_age: Duration, window: str) -> str:
    return (
        f"Justificatif de résidence en France depuis plus de {min_age.french()} (passeport avec "
        "visa ou tampon d'entrée, quittance de loyer, facture d'énergie ou de téléphone fixe, "
        "avis d'imposition, attestation d'hébergement ou de domiciliation…), daté de plus de "
        f"{min_age.french()} et de moins de {max_age.french()}{window}."
    )


def _resources(period: Duration, zero_resources: bool | None) -> str:
    text = (
        f"Ressources perçues en France ou à l'étranger sur les {period.french()} précédant la "
        "demande"
    )
    if zero_resources is True:
        return text + (
            " : indiquer 0 sur le formulaire et joindre un document de l'association qui prend "
            "en charge le demandeur au plan matériel (sinon le dossier est renvoyé)."
        )
    if zero_resources is False:
        return text + (
            " : justificatifs (bulletins de salaire, pensions, pension alimentaire, revenus à "
            "l'étranger, aides reçues…)."
        )
    return text + (
        " : justificatifs ; ou, si aucune ressource, indiquer 0 et joindre un document de "
        "l'association qui prend en charge le demandeur. Une demande sans aucune ressource "
        "indiquée est rejetée."
    )


def _cohabitant(dependency: Duration) -> str:
    return (
        "Déclaration sur l'honneur signée par le demandeur et le cohabitant : il vit sous son "
        "toit et est à sa charge effective, totale et permanente depuis plus de "
        f"{dependency.french()}."
    )


@lru_cache(maxsize=256)
def document_steps(
    min_age: Duration,
    max_age: Duration,
    period: Duration,
    photo: bool,
    others: bool,
    dependency: Duration | None,
) -> tuple[str, ...]:
    """AME-4 as steps of the AME item, before any filing date is known: the residence proofs'
    window is said relative to the filing. ``photo``: the applicant is old enough for one;
    ``others``: other members may count; ``dependency``: a cohabitant may count."""
    out = [_FORM_LABEL, _IDENTITY, _residence(min_age, max_age, " avant le dépôt")]
    out.append(_resources(period, None))
    if photo:
        out.append(_PHOTO)
    if others:
        out.append(
            "Pour chaque autre membre du foyer compté : un justificatif d'identité, et une photo "
            "à partir de 16 ans."
        )
    if dependency is not None:
        out.append(_cohabitant(dependency))
    return tuple(out)


def ame_documents(
    household: Sequence[HouseholdMember],
    application_date: date,
    *,
    zero_resources: bool | None = None,
    lookup: Lookup = param,
) -> AMEDocuments:
    """AME-4: the documents to join to an AME application filed on ``application_date``.

    The form in black ink, dated and signed; one identity document per beneficiary (members in
    regular situation are left out); for the applicant, a proof of residence dated **more than
    3 months and less than 12 months** before the application (window returned, both days
    included); the resources of the last 12 months (at zero, a document from the supporting
    association; none stated is rejected), ``zero_resources`` None listing both; a photo per
    beneficiary aged 16 or more on the application date; for a cohabitant, the joint sworn
    statement. Raises ``ValueError`` for an empty household.
    """
    members = tuple(household)
    if not members:
        raise ValueError("household : au moins une personne est attendue.")
    at = application_date
    min_pv = lookup("ame_residence_proof_min_age", at)
    max_pv = lookup("ame_residence_proof_max_age", at)
    res_pv = lookup("ame_resources_period", at)
    photo_pv = lookup("ame_photo_age", at)
    # « Datés de plus de 3 mois (mais moins de 12 mois) »: both bounds strict, shown inclusively.
    min_age: Duration = min_pv.value
    max_age: Duration = max_pv.value
    proof_until = last_day(min_age.before(at))
    proof_from = max_age.before(at) + ONE_DAY
    photo_age = int(photo_pv.value)
    beneficiaries = [(i, m) for i, m in enumerate(members) if not m.regular_situation]
    traces = [min_pv.trace, max_pv.trace, res_pv.trace, photo_pv.trace]
    window = f" : entre le {fr(proof_from)} et le {fr(proof_until)} inclus"
    items = [DocumentItem(_FORM_LABEL, "demandeur")]
    items += [DocumentItem(_IDENTITY, _who(i, m)) for i, m in beneficiaries]
    items.append(DocumentItem(_residence(min_age, max_age, window), "demandeur uniquement"))
    items.append(
        DocumentItem(
            _resources(res_pv.value, zero_resources),
            "demandeur et personnes à charge en situation irrégulière",
        )
    )
    photo_for: list[int] = []
    for i, m in beneficiaries:
        if age_on(m.birth_date, at) >= photo_age:
            photo_for.append(i)
            items.append(DocumentItem(_PHOTO, _who(i, m)))
    cohabitants = [(i, m) for i, m in beneficiaries if m.relation in ("cohabitant", "other")]
    if cohabitants:
        cohab_pv = lookup("ame_cohabitant_dependency", at)
        traces.append(cohab_pv.trace)
        items += [DocumentItem(_cohabitant(cohab_pv.value), _who(i, m)) for i, m in cohabitants]
    return AMEDocuments(tuple(items), proof_from, proof_until, tuple(photo_for), tuple(traces))

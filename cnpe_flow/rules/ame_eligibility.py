"""Aide médicale de l'État (AME) et soins urgents : les règles qui demandent des données absentes
du contrat de dossier (date d'arrivée, ressources, composition du foyer, soins récents…).

Règles du catalogue couvertes : AME-1 (conditions d'attribution), AME-3 (lieux de dépôt de la
première demande et dispenses de dépôt en personne), AME-4 (pièces à fournir), AME-5 (début des
droits et rétroactivité de 90 jours), AME-10 (personnes comptées dans le foyer), AME-11 (soins
urgents). Les échéances AME-6/7/8/9 (pièces manquantes, silence, renouvellement, carence et codes
contrat) et PUMA-2/3 sont calculées par le moteur, pas ici.

Fonctions pures : aucune entrée/sortie hormis la lecture des paramètres datés ; chaque délai,
âge ou montant vient d'un paramètre demandé à la date qui compte pour la règle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from cnpe_flow.rules.c2s import (
    Territory,
    c2s_ceilings,
    check_household_size,
    euros,
    to_money,
    trace_parameters,
)
from cnpe_flow.rules.dates import Duration, age_on, fr, last_day
from cnpe_flow.rules.parameters import ParamValue, all_parameters, param

Relation = Literal["applicant", "spouse", "child", "cohabitant", "other"]
_RELATIONS = ("applicant", "spouse", "child", "cohabitant", "other")

#: Département codes. Not amounts nor delays: where AME is not applicable (Mayotte, seed 003)
#: and where the overseas C2S ceilings apply (the four DOM of the CGSS).
_MAYOTTE = "976"
_DOM = frozenset({"971", "972", "973", "974"})

_ONE_DAY = timedelta(days=1)


# --------------------------------------------------------------------------------------------
# Household members
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HouseholdMember:
    """One person of an AME household as declared on the form.

    ``relation``: ``applicant`` (the person who files), ``spouse`` (conjoint, concubin,
    partenaire de PACS), ``child``, ``cohabitant`` (a person living under the applicant's roof
    and fully dependent), ``other`` (another relative: counted only as the cohabitant).
    ``dependent_since``: date from which the person is effectively, totally and permanently
    dependent on the applicant (used for the cohabitant, AME-10).
    """

    relation: Relation
    birth_date: date
    regular_situation: bool
    in_studies_or_unable_to_work: bool = False
    dependent_since: date | None = None

    def __post_init__(self) -> None:
        if self.relation not in _RELATIONS:
            raise ValueError(f"relation : une valeur parmi {', '.join(_RELATIONS)} est attendue.")


# --------------------------------------------------------------------------------------------
# AME-1: eligibility
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AMEEligibility:
    """Outcome of AME-1. ``eligible`` is None when it cannot be decided (see ``missing``)."""

    eligible: bool | None
    application_date: date
    #: First day on which « more than 3 months of presence » holds (None if unknown).
    presence_condition_met_on: date | None
    #: Annual resource ceiling used (free C2S ceiling), None when not needed or not found.
    ceiling: Decimal | None
    rules: tuple[str, ...]
    reasons: tuple[str, ...]
    missing: tuple[str, ...]
    parameters: tuple[str, ...]
    warnings: tuple[str, ...]


def presence_condition_met_on(presence_start: date, at: date) -> tuple[date, ParamValue]:
    """First day on which a presence that began on ``presence_start`` lasts **more than** the
    ``ame_residence_minimum`` (read at ``at``): ``presence_start + 3 months + 1 day``.

    Comparison used by AME-1: the condition holds on ``d`` iff ``d > presence_start + 3
    months`` (relativedelta), so the day that completes exactly 3 months is not enough.
    """
    pv = param("ame_residence_minimum", at)
    return pv.value.after(presence_start) + _ONE_DAY, pv


def _territory_of(code: str) -> tuple[Territory | None, str]:
    # ``code`` is already stripped and upper-cased; Mayotte is handled by the caller.
    if not code:
        return "metropole", "Département non précisé : plafond de métropole utilisé."
    if code in _DOM:
        return "dom", f"Département {code} (outre-mer) : plafond des départements d'outre-mer."
    if code.startswith(("97", "98")):
        return None, (
            f"Territoire {code} : ni métropole ni département d'outre-mer couvert par nos "
            f"sources ; plafond et application de l'AME à vérifier."
        )
    return "metropole", f"Département {code} : plafond de métropole."


def ame_eligibility(
    *,
    irregular_situation: bool,
    presence_start: date | None,
    application_date: date,
    annual_resources: Decimal | float,
    household_size: int,
    is_minor_with_irregular_parents: bool = False,
    valid_schengen_visa: bool = False,
    departement: str | None = None,
) -> AMEEligibility:
    """AME-1: may the household get the AME at ``application_date``?

    Promise — every condition is checked and explained, ``eligible`` is True only if all hold:
    - not in Mayotte (``departement`` 976): AME is not applicable there;
    - no valid Schengen (tourist) visa;
    - irregular situation (a regular person relies on PUMa / C2S);
    - stable presence for **more than** 3 months (``ame_residence_minimum``): holds when
      ``application_date > presence_start + 3 months``; the day that completes exactly
      3 months is not enough;
    - annual resources **at most (≤)** the free C2S ceiling for ``household_size`` persons in
      force on ``application_date`` (CASF L251-1), overseas ceiling for 971-974.
    A minor whose parents are irregular gets AME without the presence and resource conditions.
    ``eligible`` is None when no condition fails but an input or a ceiling is missing.
    Raises ``ValueError`` naming the argument for a household size < 1, negative resources, or
    a presence start after the application date.
    """
    check_household_size(household_size)
    resources = to_money("annual_resources", annual_resources)
    if presence_start is not None and presence_start > application_date:
        raise ValueError("presence_start : la date d'arrivée est après la date de la demande.")

    reasons: list[str] = []
    missing: list[str] = []
    used: list[tuple[ParamValue, date]] = []
    ceiling_trace: tuple[str, ...] = ()
    ceiling_warnings: tuple[str, ...] = ()
    failed = False
    unknown = False
    met_on: date | None = None
    ceiling: Decimal | None = None

    code = (departement or "").strip().upper()
    if code == _MAYOTTE:
        failed = True
        reasons.append("Mayotte (976) : l'AME n'y est pas applicable (seed 003).")
    if valid_schengen_visa:
        failed = True
        reasons.append(
            "Visa Schengen (touristique) en cours de validité : pas d'AME, les soins relèvent "
            "de l'assurance privée exigée pour le visa (seed 003)."
        )

    if is_minor_with_irregular_parents:
        reasons.append(
            "Mineur dont les parents sont en situation irrégulière : AME sans condition de "
            "durée de présence ni de ressources, même si la demande des parents est rejetée "
            "(seed 001, seed 003)."
        )
    else:
        if not irregular_situation:
            failed = True
            reasons.append(
                "Personne en situation régulière : elle relève de la PUMa et de la C2S, pas de "
                "l'AME."
            )
        if presence_start is None:
            unknown = True
            missing.append("presence_start")
            reasons.append(
                "Date du début de la présence en France inconnue : condition de durée non "
                "vérifiable."
            )
        else:
            met_on, pv = presence_condition_met_on(presence_start, application_date)
            used.append((pv, application_date))
            duration: Duration = pv.value
            if application_date >= met_on:
                reasons.append(
                    f"Présence depuis le {fr(presence_start)} : plus de {duration.french()} au "
                    f"{fr(application_date)} (condition remplie à partir du {fr(met_on)})."
                )
            else:
                failed = True
                reasons.append(
                    f"Présence depuis le {fr(presence_start)} : pas encore plus de "
                    f"{duration.french()} au {fr(application_date)} ; une demande déposée avant "
                    f"le {fr(met_on)} serait rejetée (soins urgents possibles en attendant, "
                    f"AME-11)."
                )
        if code != _MAYOTTE:
            territory, territory_reason = _territory_of(code)
            if territory is None:
                unknown = True
                reasons.append(territory_reason)
            else:
                ceilings = c2s_ceilings(
                    household_size=household_size, at=application_date, territory=territory
                )
                ceiling_trace, ceiling_warnings = ceilings.parameters, ceilings.warnings
                ceiling = ceilings.free
                if ceiling is None:
                    unknown = True
                    reasons.append(
                        f"{territory_reason} Plafond pour {household_size} personne(s) non "
                        f"trouvé : condition de ressources à vérifier auprès de la caisse."
                    )
                elif resources <= ceiling:
                    reasons.append(
                        f"{territory_reason} Ressources annuelles du foyer ({euros(resources)}) "
                        f"inférieures ou égales au plafond ({euros(ceiling)} pour "
                        f"{household_size} personne(s), plafond de la C2S sans participation)."
                    )
                else:
                    failed = True
                    reasons.append(
                        f"{territory_reason} Ressources annuelles du foyer ({euros(resources)}) "
                        f"au-dessus du plafond ({euros(ceiling)} pour {household_size} "
                        f"personne(s))."
                    )
    described, warnings = trace_parameters(*used)
    described += tuple(d for d in ceiling_trace if d not in described)
    warnings += tuple(w for w in ceiling_warnings if w not in warnings)
    eligible: bool | None = False if failed else (None if unknown else True)
    return AMEEligibility(
        eligible=eligible,
        application_date=application_date,
        presence_condition_met_on=met_on,
        ceiling=ceiling,
        rules=("AME-1",),
        reasons=tuple(reasons),
        missing=tuple(missing),
        parameters=described,
        warnings=warnings,
    )


# --------------------------------------------------------------------------------------------
# AME-3: where a first application is filed in person, and the exemptions
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FilingPlace:
    """A place where a first AME application may be filed (code and French label)."""

    code: str
    label: str


@dataclass(frozen=True, slots=True)
class AMEFilingPlaces:
    """AME-3: where a first AME application is filed in person on a given date."""

    at: date
    in_person_required: bool
    places: tuple[FilingPlace, ...]
    #: Places named by a secondary source only: show them as « à vérifier ».
    to_verify: tuple[FilingPlace, ...]
    rules: tuple[str, ...]
    reasons: tuple[str, ...]
    parameters: tuple[str, ...]
    warnings: tuple[str, ...]


def _place_label(code: str, transmission: Duration | None) -> str:
    labels = {
        "cpam_residence": "la caisse d'assurance maladie (CPAM) du lieu de résidence",
        "france_services": "un espace France services",
        "centre_sante": "un centre de santé",
        "maison_sante": "une maison de santé",
        "association_agreee": "une association loi 1901 habilitée (accès aux soins)",
    }
    if code == "etablissement_sante_pass":
        delay = f" sous {transmission.french()} au plus" if transmission else ""
        return (
            "par exception, l'établissement de santé ou la PASS hospitalière où le demandeur ou "
            "un membre du foyer est soigné (formulaire cacheté par l'établissement, avec un "
            "bulletin d'hospitalisation ou une attestation de soins), qui le transmet à la "
            f"caisse{delay}"
        )
    return labels.get(code, code)


def ame_first_filing_places(at: date) -> AMEFilingPlaces:
    """AME-3: where a **first** AME application may be filed in person on ``at``.

    Promise: the places of the ``ame_first_filing_places`` parameter in force on ``at`` —
    since 1 June 2021 (seed 001): the CPAM of residence, a France services, or by exception the
    health establishment / PASS treating the applicant or a household member (which forwards
    the file within ``ame_health_establishment_transmission`` days). Before that date no
    in-person obligation is documented (``in_person_required`` False). Places cited only by a
    secondary source are returned in ``to_verify`` and named in ``warnings``.
    """
    pv = param("ame_first_filing_places", at)
    used: list[tuple[ParamValue, date]] = [(pv, at)]
    if pv.value is None:
        described, warnings = trace_parameters(*used)
        # The date the obligation starts is the next documented row, not a date in the code.
        spec = all_parameters()["ame_first_filing_places"]
        later = [s for s, v in zip(spec.starts, spec.values, strict=True) if s > at and v]
        since = f"elle s'applique à partir du {fr(later[0])}" if later else "aucune date connue"
        return AMEFilingPlaces(
            at=at,
            in_person_required=False,
            places=(),
            to_verify=(),
            rules=("AME-3",),
            reasons=(
                f"Au {fr(at)}, aucune obligation de dépôt en personne de la première demande "
                f"n'est documentée ({since}, seed 001) : envoi possible à la CPAM de "
                f"résidence.",
            ),
            parameters=described,
            warnings=warnings,
        )
    codes = tuple(pv.value.get("places") or ())
    transmission: Duration | None = None
    if "etablissement_sante_pass" in codes:
        tpv = param("ame_health_establishment_transmission", at)
        used.append((tpv, at))
        transmission = tpv.value
    places = tuple(FilingPlace(c, _place_label(c, transmission)) for c in codes)
    to_verify = tuple(
        FilingPlace(c, _place_label(c, None)) for c in pv.value.get("to_verify") or ()
    )
    described, warnings = trace_parameters(*used)
    if to_verify:
        warnings = (
            *warnings,
            "Lieux de dépôt à vérifier auprès de la CPAM (cités par une source secondaire, "
            "absents de la formation Assurance Maladie de 2023) : "
            + ", ".join(p.label for p in to_verify)
            + ".",
        )
    return AMEFilingPlaces(
        at=at,
        in_person_required=True,
        places=places,
        to_verify=to_verify,
        rules=("AME-3",),
        reasons=(
            "La première demande d'AME est déposée en main propre par le demandeur à : "
            + " ; ".join(p.label for p in places)
            + ". Une fiche de passage remise à l'accueil prouve la date de dépôt.",
        ),
        parameters=described,
        warnings=warnings,
    )


@dataclass(frozen=True, slots=True)
class AMEInPersonExemption:
    """AME-3: whether a first application may be filed without coming in person."""

    exempt: bool
    grounds: tuple[str, ...]
    #: Supporting documents to join for the exemption (seed 003).
    documents: tuple[str, ...]
    rules: tuple[str, ...]
    reasons: tuple[str, ...]


def ame_in_person_exemption(
    *,
    isolated_minor: bool,
    dependent_child: bool,
    under_guardianship: bool,
    reduced_mobility: bool,
) -> AMEInPersonExemption:
    """AME-3: exemptions from filing a first AME application in person.

    Promise: exempt when at least one ground holds — isolated minor, dependent child,
    guardianship or curatorship, reduced mobility — with the supporting document the seed asks
    for (sworn statement for reduced mobility, copy of the judgment for guardianship).
    """
    grounds: list[str] = []
    documents: list[str] = []
    if isolated_minor:
        grounds.append("mineur isolé")
    if dependent_child:
        grounds.append("enfant à charge")
    if under_guardianship:
        grounds.append("régime de tutelle ou de curatelle")
        documents.append("Copie du jugement de tutelle ou de curatelle.")
    if reduced_mobility:
        grounds.append("mobilité réduite")
        documents.append(
            "Attestation sur l'honneur : la personne ne peut pas déposer son dossier à la caisse "
            "en raison de sa mobilité réduite."
        )
    if grounds:
        reason = (
            "Dispense de dépôt en personne de la première demande : " + ", ".join(grounds) + "."
        )
    else:
        reason = "Aucune dispense : la première demande est déposée en personne par le demandeur."
    return AMEInPersonExemption(
        exempt=bool(grounds),
        grounds=tuple(grounds),
        documents=tuple(documents),
        rules=("AME-3",),
        reasons=(reason,),
    )


# --------------------------------------------------------------------------------------------
# AME-4: documents
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocumentItem:
    """One line of a checklist: what to provide and for whom."""

    label: str
    concerns: str
    rules: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AMEDocuments:
    """AME-4: checklist of an AME application."""

    application_date: date
    items: tuple[DocumentItem, ...]
    #: Residence proofs must be dated within this window (both days included).
    residence_proof_from: date
    residence_proof_until: date
    #: Indexes (in the household given) of the members who need a photo.
    photo_for: tuple[int, ...]
    rules: tuple[str, ...]
    reasons: tuple[str, ...]
    parameters: tuple[str, ...]
    warnings: tuple[str, ...]


_RELATION_FR = {
    "applicant": "demandeur",
    "spouse": "conjoint",
    "child": "enfant",
    "cohabitant": "cohabitant",
    "other": "membre du foyer",
}


def _who(index: int, member: HouseholdMember) -> str:
    return f"{_RELATION_FR[member.relation]} n° {index + 1} (né(e) le {fr(member.birth_date)})"


def ame_documents(
    household: Sequence[HouseholdMember],
    application_date: date,
    *,
    zero_resources: bool | None = None,
) -> AMEDocuments:
    """AME-4: the documents to join to an AME application filed on ``application_date``.

    ``household``: the beneficiaries (e.g. :attr:`AMEHousehold.beneficiaries`); a member in
    regular situation is not a beneficiary and is left out, with a reason. ``zero_resources``:
    True when the household declares no resources, False when it has some, None if not known
    yet (both alternatives are listed).

    Promise: the form (S3720 / cerfa 11573) in black ink, dated and signed; one identity
    document per beneficiary; for the applicant, a proof of residence in France dated **more
    than 3 months and less than 12 months** before the application (window returned, both days
    included); resources of the last 12 months (or, at zero, a document from the supporting
    association — an application without any resources stated is rejected); one photo per
    beneficiary aged 16 or more on the application date; for a cohabitant, the joint sworn
    statement. Raises ``ValueError`` for an empty household or a birth after the application.
    """
    members = tuple(household)
    if not members:
        raise ValueError("household : au moins une personne est attendue.")
    if any(m.birth_date > application_date for m in members):
        raise ValueError("household : une date de naissance est après la date de la demande.")

    min_pv = param("ame_residence_proof_min_age", application_date)
    max_pv = param("ame_residence_proof_max_age", application_date)
    res_pv = param("ame_resources_period", application_date)
    photo_pv = param("ame_photo_age", application_date)
    cohab_pv = param("ame_cohabitant_dependency", application_date)
    # « Datés de plus de 3 mois (mais moins de 12 mois) »: both bounds strict, shown inclusively.
    proof_until = last_day(min_pv.value.before(application_date))
    proof_from = max_pv.value.before(application_date) + _ONE_DAY
    photo_age = int(photo_pv.value)

    reasons: list[str] = []
    beneficiaries = [(i, m) for i, m in enumerate(members) if not m.regular_situation]
    for i, m in enumerate(members):
        if m.regular_situation:
            reasons.append(
                f"{_who(i, m).capitalize()} : en situation régulière, pas bénéficiaire de l'AME "
                f"(ni pièce, ni photo ; ses ressources ne sont pas prises en compte, seed 003)."
            )

    items: list[DocumentItem] = [
        DocumentItem(
            "Formulaire de demande d'AME (S3720, cerfa n° 11573) complété au stylo noir, daté et "
            "signé ; volet photo rempli (nom, prénom, date de naissance en face de chaque photo).",
            "demandeur",
            ("AME-4",),
        )
    ]
    for i, m in beneficiaries:
        items.append(
            DocumentItem(
                "Justificatif d'identité : copie du passeport (toutes les pages, même blanches), "
                "de la pièce d'identité (recto verso), du titre de séjour antérieur, d'un extrait "
                "d'acte de naissance ou du livret de famille ; à défaut, carte d'étudiant ou "
                "permis de conduire.",
                _who(i, m),
                ("AME-4",),
            )
        )
    min_age: Duration = min_pv.value
    max_age: Duration = max_pv.value
    items.append(
        DocumentItem(
            f"Justificatif de résidence en France depuis plus de {min_age.french()} (passeport "
            f"avec visa ou tampon d'entrée, quittance de loyer, facture d'énergie ou de téléphone "
            f"fixe, avis d'imposition, attestation d'hébergement ou de domiciliation…), daté de "
            f"plus de {min_age.french()} et de moins de {max_age.french()} : entre le "
            f"{fr(proof_from)} et le {fr(proof_until)} inclus.",
            "demandeur uniquement",
            ("AME-4",),
        )
    )
    period: Duration = res_pv.value
    resources_line = (
        f"Ressources perçues en France ou à l'étranger sur les {period.french()} précédant la "
        "demande"
    )
    if zero_resources is True:
        items.append(
            DocumentItem(
                f"{resources_line} : indiquer 0 sur le formulaire et joindre un document de "
                f"l'association qui prend en charge le demandeur au plan matériel (sinon le "
                f"dossier est renvoyé).",
                "demandeur et personnes à charge en situation irrégulière",
                ("AME-4",),
            )
        )
    elif zero_resources is False:
        items.append(
            DocumentItem(
                f"{resources_line} : justificatifs (bulletins de salaire, pensions, pension "
                f"alimentaire, revenus à l'étranger, aides reçues…).",
                "demandeur et personnes à charge en situation irrégulière",
                ("AME-4",),
            )
        )
    else:
        items.append(
            DocumentItem(
                f"{resources_line} : justificatifs ; ou, si aucune ressource, indiquer 0 et "
                "joindre un document de l'association qui prend en charge le demandeur. Une "
                "demande sans aucune ressource indiquée est rejetée.",
                "demandeur et personnes à charge en situation irrégulière",
                ("AME-4",),
            )
        )
    photo_for: list[int] = []
    for i, m in beneficiaries:
        if age_on(m.birth_date, application_date) >= photo_age:
            photo_for.append(i)
            items.append(
                DocumentItem(
                    "Photo d'identité récente, en couleur, 3,5 × 4,5 cm, fond blanc, de face, "
                    "tête nue (à coller, sans agrafe ni adhésif).",
                    _who(i, m),
                    ("AME-4",),
                )
            )
    used: list[tuple[ParamValue, date]] = [
        (min_pv, application_date),
        (max_pv, application_date),
        (res_pv, application_date),
        (photo_pv, application_date),
    ]
    for i, m in beneficiaries:
        if m.relation in ("cohabitant", "other"):
            used.append((cohab_pv, application_date))
            items.append(
                DocumentItem(
                    f"Déclaration sur l'honneur signée par le demandeur et le cohabitant : il vit "
                    f"sous son toit et est à sa charge effective, totale et permanente depuis plus "
                    f"de {cohab_pv.value.french()}.",
                    _who(i, m),
                    ("AME-4", "AME-10"),
                )
            )
    reasons.append(
        f"Photo demandée pour chaque bénéficiaire de {photo_age} ans et plus au "
        f"{fr(application_date)} : {len(photo_for)} photo(s)."
    )
    described, warnings = trace_parameters(*used)
    return AMEDocuments(
        application_date=application_date,
        items=tuple(items),
        residence_proof_from=proof_from,
        residence_proof_until=proof_until,
        photo_for=tuple(photo_for),
        rules=("AME-4",),
        reasons=tuple(reasons),
        parameters=described,
        warnings=warnings,
    )


# --------------------------------------------------------------------------------------------
# AME-5: start of rights
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AMERightsStart:
    """AME-5: first day of the AME right and its end."""

    start: date
    #: Day after the last day of the right (closed-open period [start, end_exclusive)).
    end_exclusive: date
    #: Last day of the right, as shown to people.
    last_day: date
    retroactive: bool
    #: Last filing day that still gives the retroactive start (None without care date).
    retroactivity_deadline: date | None
    rules: tuple[str, ...]
    reasons: tuple[str, ...]
    parameters: tuple[str, ...]
    warnings: tuple[str, ...]


def rights_start_date(filing_date: date, care_date: date | None) -> date:
    """AME-5, the date only: the care date when the filing is made at the latest on care date
    + 90 days (that day included), otherwise the filing date. The engine calls this on its hot
    path; :func:`ame_rights_start` gives the same date with its reasons."""
    if care_date is None or care_date > filing_date:
        return filing_date
    deadline = param("ame_retroactivity", filing_date).value.after(care_date)
    return care_date if filing_date <= deadline else filing_date


def ame_rights_start(*, filing_date: date, care_date: date | None) -> AMERightsStart:
    """AME-5: when the AME right starts and ends.

    Promise: the right starts on ``filing_date`` (even for an incomplete file). Exception:
    after hospital admission or care on ``care_date``, a filing made **at the latest on
    care_date + 90 days, that day included** (``ame_retroactivity``, read at the filing date)
    starts the right on ``care_date``; filed on day 91 or later, the right starts on the filing
    date. Care after the filing changes nothing. The right lasts ``ame_validity`` (12 months)
    from its start. The AME conditions must be met on the care date for the retroactive start
    (checked by AME-1 at that date, not here).
    """
    retro_pv = param("ame_retroactivity", filing_date)
    used: list[tuple[ParamValue, date]] = [(retro_pv, filing_date)]
    reasons: list[str] = []
    # The date itself comes from the same function the engine uses; the branches add reasons.
    start = rights_start_date(filing_date, care_date)
    # Filed on the care day itself also counts as within the delay: the start is then the care day.
    retroactive = care_date is not None and care_date <= filing_date and start == care_date
    deadline: date | None = None
    if care_date is None:
        reasons.append(
            f"Droits ouverts le jour du dépôt du dossier, même incomplet : {fr(filing_date)}."
        )
    elif care_date > filing_date:
        reasons.append(
            f"Soins du {fr(care_date)} postérieurs au dépôt : droits ouverts le jour du dépôt "
            f"({fr(filing_date)})."
        )
    else:
        deadline = retro_pv.value.after(care_date)
        delay = retro_pv.value.french()
        if filing_date <= deadline:
            reasons.append(
                f"Demande déposée le {fr(filing_date)}, dans les {delay} suivant les soins ou "
                f"l'entrée à l'hôpital du {fr(care_date)} (dernier jour possible : "
                f"{fr(deadline)}, ce jour compris) : droits ouverts rétroactivement au "
                f"{fr(care_date)}, si les conditions de l'AME étaient remplies à cette date. "
                f"Joindre les justificatifs de soins et cocher la case « soins reçus »."
            )
        else:
            reasons.append(
                f"Demande déposée le {fr(filing_date)}, après le {fr(deadline)} (soins du "
                f"{fr(care_date)} + {delay}) : pas de rétroactivité, droits ouverts le jour du "
                f"dépôt."
            )
    validity_pv = param("ame_validity", start)
    used.append((validity_pv, start))
    end = validity_pv.value.after(start)
    reasons.append(
        f"Droit valable {validity_pv.value.french()} : du {fr(start)} au "
        f"{fr(last_day(end))} inclus."
    )
    described, warnings = trace_parameters(*used)
    return AMERightsStart(
        start=start,
        end_exclusive=end,
        last_day=last_day(end),
        retroactive=retroactive,
        retroactivity_deadline=deadline,
        rules=("AME-5",),
        reasons=tuple(reasons),
        parameters=described,
        warnings=warnings,
    )


# --------------------------------------------------------------------------------------------
# AME-10: household
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MemberDecision:
    """Whether one declared person counts in the AME household, and why."""

    member: HouseholdMember
    counted: bool
    #: Capacity in which the person counts (« conjoint », « enfant mineur », « cohabitant »…).
    counted_as: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class AMEHousehold:
    """AME-10: the AME household at a date."""

    at: date
    decisions: tuple[MemberDecision, ...]
    #: The applicant first, then every counted member, in the order given.
    beneficiaries: tuple[HouseholdMember, ...]
    rules: tuple[str, ...]
    reasons: tuple[str, ...]
    parameters: tuple[str, ...]
    warnings: tuple[str, ...]

    @property
    def size(self) -> int:
        """Number of beneficiaries, applicant included (household size for the ceiling)."""
        return len(self.beneficiaries)


def ame_household(
    applicant_birth_date: date,
    members: Sequence[HouseholdMember],
    at: date,
) -> AMEHousehold:
    """AME-10: which declared persons count in the AME household of the applicant on ``at``.

    ``members``: the other persons declared (not the applicant). Promise, for each person:
    - in regular situation: not counted (PUMa), whatever the relation;
    - spouse / concubin / PACS partner: counted;
    - child under the minority age (``ame_household_ages.minor_below``, 18): counted;
    - child under ``studies_below`` (21) in studies or permanently unable to work: counted;
    - otherwise (cohabitant, other relative, older child): counted as **the** cohabitant only
      if dependent for **more than** 12 months (``at > dependent_since + 12 months``), and only
      one cohabitant per household: the first eligible one in the order given (the applicant
      chooses by listing order); the others are not counted, with a reason.
    Ages are in whole years on ``at``. Raises ``ValueError`` if a member has relation
    ``applicant`` or a birth date after ``at``.
    """
    if applicant_birth_date > at:
        raise ValueError("applicant_birth_date : la date de naissance est après la date d'examen.")
    people = tuple(members)
    for m in people:
        if m.relation == "applicant":
            raise ValueError("members : le demandeur est donné à part (applicant_birth_date).")
        if m.birth_date > at:
            raise ValueError("members : une date de naissance est après la date d'examen.")
    ages_pv = param("ame_household_ages", at)
    cohab_pv = param("ame_cohabitant_dependency", at)
    minor_below = int(ages_pv.value["minor_below"])
    studies_below = int(ages_pv.value["studies_below"])
    cohab_delay: Duration = cohab_pv.value
    used: list[tuple[ParamValue, date]] = [(ages_pv, at)]

    decisions: list[MemberDecision] = []
    cohabitant_taken = False
    spouses = 0
    for m in people:
        age = age_on(m.birth_date, at)
        if m.regular_situation:
            decisions.append(
                MemberDecision(
                    m,
                    False,
                    None,
                    "En situation régulière : relève de la PUMa, pas compté dans le foyer AME.",
                )
            )
            continue
        if m.relation == "spouse":
            spouses += 1
            decisions.append(
                MemberDecision(
                    m, True, "conjoint", "Conjoint, concubin ou partenaire de PACS : compté."
                )
            )
            continue
        child_reason = ""
        if m.relation == "child":
            if age < minor_below:
                decisions.append(
                    MemberDecision(
                        m,
                        True,
                        "enfant mineur",
                        f"Enfant de {age} ans (moins de {minor_below} ans) : compté.",
                    )
                )
                continue
            if age < studies_below and m.in_studies_or_unable_to_work:
                decisions.append(
                    MemberDecision(
                        m,
                        True,
                        "enfant en études ou hors d'état de travailler",
                        f"Enfant de {age} ans (moins de {studies_below} ans) en études ou dans "
                        f"l'incapacité permanente de travailler : compté.",
                    )
                )
                continue
            child_reason = (
                f"Enfant de {age} ans : ni mineur, ni de moins de {studies_below} ans en études "
                f"ou hors d'état de travailler. "
            )
        # Anyone else may only count as the one cohabitant of the household.
        used.append((cohab_pv, at))
        if m.dependent_since is None:
            decisions.append(
                MemberDecision(
                    m,
                    False,
                    None,
                    f"{child_reason}Date de début de la prise en charge inconnue : ne peut pas "
                    f"compter comme cohabitant.",
                )
            )
            continue
        since = m.dependent_since
        if not at > cohab_delay.after(since):
            decisions.append(
                MemberDecision(
                    m,
                    False,
                    None,
                    f"{child_reason}À charge depuis le {fr(since)} : pas plus de "
                    f"{cohab_delay.french()} au {fr(at)} (compte comme cohabitant à partir du "
                    f"{fr(cohab_delay.after(since) + _ONE_DAY)}).",
                )
            )
            continue
        if cohabitant_taken:
            decisions.append(
                MemberDecision(
                    m,
                    False,
                    None,
                    f"{child_reason}À charge depuis plus de {cohab_delay.french()}, mais le foyer "
                    f"a déjà un cohabitant : un seul cohabitant par foyer.",
                )
            )
            continue
        cohabitant_taken = True
        decisions.append(
            MemberDecision(
                m,
                True,
                "cohabitant",
                f"{child_reason}À sa charge effective, totale et permanente depuis le {fr(since)}, "
                f"plus de {cohab_delay.french()} : compté comme le cohabitant du foyer.",
            )
        )
    applicant = HouseholdMember("applicant", applicant_birth_date, regular_situation=False)
    beneficiaries = (applicant, *(d.member for d in decisions if d.counted))
    reasons = [f"Foyer AME au {fr(at)} : {len(beneficiaries)} personne(s), demandeur compris."]
    described, warnings = trace_parameters(*used)
    if spouses > 1:
        warnings = (
            *warnings,
            "Plusieurs conjoints déclarés : situation à vérifier avec la caisse.",
        )
    return AMEHousehold(
        at=at,
        decisions=tuple(decisions),
        beneficiaries=beneficiaries,
        rules=("AME-10",),
        reasons=tuple(reasons),
        parameters=described,
        warnings=warnings,
    )


# --------------------------------------------------------------------------------------------
# AME-11: soins urgents (DSUV)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SoinsUrgents:
    """AME-11: may the hospital bill urgent and vital care as « soins urgents »?"""

    eligible: bool
    #: Always True: the health establishment makes the request, not the person.
    hospital_makes_request: bool
    rules: tuple[str, ...]
    reasons: tuple[str, ...]
    parameters: tuple[str, ...]
    warnings: tuple[str, ...]


def soins_urgents_eligible(
    *,
    irregular_since: date | None,
    asylum_seeker_since: date | None,
    has_ame: bool,
    ame_pending_or_refused: bool,
    valid_schengen_visa: bool,
    at: date,
) -> SoinsUrgents:
    """AME-11: urgent hospital care for people without rights (DSUV), on ``at``.

    Promise:
    - never with a valid Schengen visa (the visa's travel insurance pays), never with an AME;
    - adult asylum seeker present for 3 months or less (``asylum_seeker_since``): eligible;
    - irregular for 3 months or less: eligible (AME not yet possible);
    - irregular for more than 3 months without AME (not filed, pending or refused): eligible;
      when no AME was filed, the hospital files one first and its refusal opens the DSUV.
    The 3 months are those of AME-1 (``ame_residence_minimum``): the day that completes
    exactly 3 months is still on the « less than 3 months » side, since AME needs **more**
    than 3 months — so every day is covered by one of the two. The hospital always makes
    the request. Raises ``ValueError`` for a start date after ``at``.
    """
    for name, since in (
        ("irregular_since", irregular_since),
        ("asylum_seeker_since", asylum_seeker_since),
    ):
        if since is not None and since > at:
            raise ValueError(f"{name} : la date est après la date des soins.")
    pv = param("ame_residence_minimum", at)
    minimum: Duration = pv.value
    used: list[tuple[ParamValue, date]] = [(pv, at)]
    reasons: list[str] = []
    eligible = False
    if valid_schengen_visa:
        reasons.append(
            "Visa Schengen en cours de validité : pas de soins urgents, l'assurance voyage "
            "obligatoire du visa prend en charge les frais (seed 001, seed 003)."
        )
    elif has_ame:
        reasons.append(
            "La personne a l'AME : les soins sont pris en charge par l'AME, pas au titre des "
            "soins urgents."
        )
    else:
        if asylum_seeker_since is not None:
            if at <= minimum.after(asylum_seeker_since):
                eligible = True
                reasons.append(
                    f"Demandeur d'asile majeur présent depuis le {fr(asylum_seeker_since)}, pas "
                    f"plus de {minimum.french()} : soins urgents possibles, l'absence de "
                    f"couverture n'a pas à être prouvée (seed 001)."
                )
            else:
                reasons.append(
                    f"Demandeur d'asile présent depuis plus de {minimum.french()} : relève en "
                    f"principe de la PUMa, pas des soins urgents (à vérifier)."
                )
        if irregular_since is not None:
            if at <= minimum.after(irregular_since):
                eligible = True
                reasons.append(
                    f"En situation irrégulière depuis le {fr(irregular_since)}, pas plus de "
                    f"{minimum.french()} : AME pas encore possible, soins urgents possibles."
                )
            else:
                eligible = True
                if ame_pending_or_refused:
                    reasons.append(
                        f"En situation irrégulière depuis plus de {minimum.french()}, AME en "
                        f"cours d'instruction ou refusée : soins urgents possibles (le refus "
                        f"d'AME permet la facturation au titre des soins urgents)."
                    )
                else:
                    reasons.append(
                        f"En situation irrégulière depuis plus de {minimum.french()}, sans AME "
                        f"demandée : soins urgents possibles ; l'hôpital fait d'abord une "
                        f"demande d'AME, dont le refus déclenche la prise en charge (seed 001)."
                    )
        if asylum_seeker_since is None and irregular_since is None:
            reasons.append(
                "Ni en situation irrégulière ni demandeur d'asile : la personne relève de la "
                "PUMa (ou d'une autre couverture), pas des soins urgents."
            )
    reasons.append("C'est l'établissement de santé qui fait la demande de prise en charge.")
    described, warnings = trace_parameters(*used)
    return SoinsUrgents(
        eligible=eligible,
        hospital_makes_request=True,
        rules=("AME-11",),
        reasons=tuple(reasons),
        parameters=described,
        warnings=warnings,
    )

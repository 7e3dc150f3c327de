"""The letter kinds (templates in the top-level ``letters/`` folder) and who may get each one.

Which letters apply to a person is decided by the rules engine only (``output["letters"]``);
this module says what each kind is (title, template version, addressee) and which roles may
get it:

- ``ald_renewal`` reveals a long-term illness: USMP and administration only;
- the SPIP gets every other letter;
- a partner (support after release) gets, for the people shared with them, the letters the
  person needs after release: ``release_summary``, ``ame_filing_guide`` and ``mas_referral``
  (the referral form a partner sends, REL-5) — not the letters the establishment sends to the
  CNPE or the CPAM (``cnpe_amenagement``, ``cpam_transfer``);
- the scheduler (no user) gets every letter but the medical one, so the release packet it
  prepares can be handed over by the SPIP.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from cnpe_flow.auth.access import can_see_medical
from cnpe_flow.auth.models import Role, User
from cnpe_flow.errors import Forbidden
from cnpe_flow.paths import shipped
from cnpe_flow.rules.letters import LETTER_KINDS

#: the letter templates: ``<kind>/template.html``, ``style.css``, ``meta.yaml``; shared files
LETTERS_DIR: Path = shipped("letters")

#: the release packet, the person's copy (cover page and the letters addressed to them)
PACKET = "packet"
#: the release packet, the institutions' copy (letters the counsellor sends, annex)
PACKET_INSTITUTIONS = "packet_institutions"
PACKET_KINDS = frozenset({PACKET, PACKET_INSTITUTIONS})
#: version of the way packets are put together (stored as their ``template_version``)
PACKET_VERSION = "2"
#: packet audiences (``letters.audience``): each sees its own latest packet
FULL_AUDIENCE = "full"
PARTNER_AUDIENCE = "partner"

#: French file names of downloads (``download_name``)
_FILE_STEMS = {
    PACKET: "dossier-sortie",
    PACKET_INSTITUTIONS: "dossier-sortie-organismes",
}

MEDICAL_KINDS = frozenset({"ald_renewal"})
PARTNER_KINDS = frozenset({"release_summary", "ame_filing_guide", "mas_referral"})


@dataclass(frozen=True, slots=True)
class LetterKind:
    kind: str
    #: French name shown on pages
    title: str
    #: stored with each letter: the kind's template version and the shared layout's
    template_version: str
    #: addressed to the person (window-envelope privacy applies)
    to_person: bool
    medical: bool
    #: French start of the download's file name
    file_stem: str


@cache
def letter_kinds() -> dict[str, LetterKind]:
    """Every letter kind, in the contract's order, read once from its ``meta.yaml``."""
    base = _meta(LETTERS_DIR / "meta.yaml")
    kinds: dict[str, LetterKind] = {}
    for kind in LETTER_KINDS:
        meta = _meta(LETTERS_DIR / kind / "meta.yaml")
        kinds[kind] = LetterKind(
            kind=kind,
            title=str(meta["title"]),
            template_version=f"{meta['version']}+base.{base['version']}",
            to_person=bool(meta["to_person"]),
            medical=kind in MEDICAL_KINDS,
            file_stem=str(meta["file_name"]),
        )
    return kinds


def _meta(path: Path) -> dict[str, object]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or "version" not in data:
        raise ValueError(f"{path}: a mapping with a 'version' is expected")
    return data


def packet_audience(user: User | None) -> str:
    """Whose packet: a partner's (what a partner may read) or the full one (SPIP, USMP,
    administration and the scheduler)."""
    return PARTNER_AUDIENCE if user is not None and user.role == Role.PARTNER else FULL_AUDIENCE


def file_stem(kind: str) -> str:
    """The French start of a download's file name (``recapitulatif-sortie`` …)."""
    found = letter_kinds().get(kind)
    return _FILE_STEMS.get(kind) or (found.file_stem if found else "courrier")


def kind_title(kind: str) -> str:
    if kind == PACKET:
        return "Dossier de sortie — exemplaire de la personne"
    if kind == PACKET_INSTITUTIONS:
        return "Dossier de sortie — exemplaires pour les organismes"
    found = letter_kinds().get(kind)
    return found.title if found else kind


def allowed_kinds(user: User | None) -> frozenset[str]:
    """The letter kinds this user may get (``None``: the scheduler)."""
    every = frozenset(LETTER_KINDS)
    if user is None:
        return every - MEDICAL_KINDS
    if can_see_medical(user):
        return every
    if user.role == Role.SPIP:
        return every - MEDICAL_KINDS
    if user.role == Role.PARTNER:
        return PARTNER_KINDS
    return frozenset()


def check_can_get(user: User | None, kind: str) -> None:
    """:class:`Forbidden` when this role may not get this kind of letter."""
    if kind in allowed_kinds(user):
        return
    if kind in MEDICAL_KINDS:
        raise Forbidden("ce courrier médical est réservé à l'USMP et à l'administration")
    raise Forbidden(
        "ce courrier est préparé par l'établissement ; un partenaire obtient les courriers "
        "d'après la sortie (récapitulatif, guide AME, orientation MAS)"
    )

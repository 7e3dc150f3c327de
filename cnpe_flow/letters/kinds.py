"""The letter kinds (templates in the top-level ``letters/`` folder).

Which letters apply to a person is decided by the rules engine only (``output["letters"]``);
this module says what each kind is (title, template version, addressee, medical, needed after
release). Who may get which is :func:`cnpe_flow.auth.access.letter_kinds_for`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

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


#: why a letter does not apply, for a kind whose ``meta.yaml`` says nothing more precise
NOT_APPLICABLE = "ce courrier ne s'applique pas à la situation enregistrée"


@dataclass(frozen=True, slots=True)
class LetterKind:
    kind: str
    #: French name shown on pages
    title: str
    #: stored with each letter: the kind's template version and the shared layout's
    template_version: str
    #: addressed to the person (window-envelope privacy applies)
    to_person: bool
    #: reveals an illness: USMP and administration only (``access.letter_kinds_for``)
    medical: bool
    #: what the person needs after release: a partner may get it
    after_release: bool
    #: French start of the download's file name
    file_stem: str
    #: prepared for the release: listed once a planned release or a levée is recorded
    for_release: bool
    #: to whom it goes, as the person reads it on the packet's cover ("" for no line)
    goes_to: str
    #: why it does not apply, when the engine does not list it (with the rule ID)
    not_applicable: str


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
            medical=bool(meta.get("medical", False)),
            after_release=bool(meta.get("after_release", False)),
            file_stem=str(meta["file_name"]),
            for_release=bool(meta.get("for_release", False)),
            goes_to=str(meta.get("goes_to", "")),
            not_applicable=str(meta.get("not_applicable", NOT_APPLICABLE)),
        )
    return kinds


@cache
def medical_kinds() -> frozenset[str]:
    """The kinds that reveal an illness (``medical: true``): never in a redacted evaluation."""
    return frozenset(k for k, meta in letter_kinds().items() if meta.medical)


def _meta(path: Path) -> dict[str, object]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or "version" not in data:
        raise ValueError(f"{path}: a mapping with a 'version' is expected")
    return data


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

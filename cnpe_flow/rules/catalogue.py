"""The rule catalogue (IDs, French titles, seed sources and quotes), loaded once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

SEED_FILES = {
    "000": "000_1680aab88b352ea6.txt — dépliant CNPE (après le 01/04/2023)",
    "001": "001_0878086c2490f1ba.txt — webinaire CPAM de Paris (15/04/2021)",
    "002": "002_9f78d9bde08d5259.txt — réunion Cnam/partenaires (14/10/2020)",
    "003": "003_9836f891ee3d4bb6.txt — formation « Gestion des situations irrégulières » (20/03/2023)",
    "004": "004_221f03afe1732957.txt — guide Comede, « Assurance maladie » (vers 2013-2014)",
}


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: str
    source: str
    quote: str
    out_of_scope: str | None = None


@cache
def rules() -> dict[str, Rule]:
    """Every rule of the catalogue by ID, in catalogue order."""
    text = (resources.files("cnpe_flow.rules") / "catalogue.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    return {
        rule_id: Rule(rule_id, e["title"], e["source"], e["quote"], e.get("out_of_scope"))
        for rule_id, e in raw.items()
    }


def rule(rule_id: str) -> Rule:
    return rules()[rule_id]

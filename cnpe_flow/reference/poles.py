"""The two CNPE poles and the address of their medical service (table ``data/cnpe_poles.csv``).

The addresses are those of the CNPE leaflet for ALD renewal requests (rule ALD-2).  Which pole
an establishment belongs to is a hypothesis: see :mod:`cnpe_flow.reference.establishments`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from cnpe_flow.reference._tables import read_table

_COLUMNS = (
    "pole",
    "label",
    "recipient",
    "caisse",
    "address_lines",
    "postcode",
    "city",
    "status",
    "source",
)
# How the CSV keeps several street lines in one cell.
ADDRESS_LINE_SEPARATOR = " | "


@dataclass(frozen=True)
class CnpePole:
    """A CNPE pole and the postal address of its médecin chef."""

    pole: str  # "NORD" or "SUD"
    label: str
    recipient: str
    caisse: str
    address_lines: tuple[str, ...]  # street part only, e.g. ("1 rue de Savoie", "BP 30326")
    postcode: str
    city: str
    status: str
    source: str

    def postal_lines(self) -> list[str]:
        """Every line of the envelope, from the recipient to "postcode city"."""
        return [self.recipient, self.caisse, *self.address_lines, f"{self.postcode} {self.city}"]


@cache
def load_cnpe_poles() -> dict[str, CnpePole]:
    """The poles by code ("NORD", "SUD")."""
    poles: dict[str, CnpePole] = {}
    for row in read_table("cnpe_poles.csv", _COLUMNS):
        lines = tuple(line.strip() for line in row.pop("address_lines").split("|"))
        poles[row["pole"]] = CnpePole(address_lines=lines, **row)
    return poles


def cnpe_pole(pole: str) -> CnpePole | None:
    """The pole ``"NORD"`` or ``"SUD"`` (any case); ``None`` for ``UNKNOWN``/``OUTSIDE_CNPE``."""
    return load_cnpe_poles().get(pole.strip().upper())

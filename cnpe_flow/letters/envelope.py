"""Window-envelope privacy: what may show through the window of a letter sent to the person.

A letter addressed to the person travels in a standard French window envelope. Whoever handles
the envelope (postman, neighbours, family) must not learn from it that the person was in
custody or is ill, so nothing of :data:`PRIVATE_WORDS` and not the establishment's name may be
printed inside :data:`WINDOW_MM` on page 1.

Where the rectangle comes from:

- envelope "DL à fenêtre", 110 × 220 mm (ISO 269 DL), window 45 × 100 mm placed 20 mm from the
  right edge and 15 mm from the bottom edge: the usual French window envelope (La Poste /
  NF window-envelope layout, and the matching French letter practice of an address frame about
  85 × 33 mm at 110 mm from the left edge and 55 mm from the top of the sheet). In envelope
  coordinates (from its top-left corner) the window spans x 100–200 mm, y 50–95 mm;
- an A4 sheet (210 × 297 mm) folded in three gives a 210 × 99 mm block, so it can slide
  10 mm sideways and 11 mm up and down inside the envelope;
- on page 1 (coordinates from the top-left corner of the sheet) anything in x 90–200 mm,
  y 39–95 mm may therefore show through; the address block is printed inside the part that
  always shows (x 100–190 mm, y 50–84 mm).

The letter layout keeps the sender at the top left and starts the date, the subject and the
text below 100 mm, so even a left-window envelope (window 20 mm from the left edge) shows only
the neutral sender and the address.
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Rect(NamedTuple):
    """A rectangle on the page in millimetres from the top-left corner."""

    left: float
    top: float
    right: float
    bottom: float

    def points(self) -> tuple[float, float, float, float]:
        """The same rectangle in PDF points (x0, top, x1, bottom), for pdfplumber ``crop``."""
        scale = 72 / 25.4
        return (self.left * scale, self.top * scale, self.right * scale, self.bottom * scale)


#: What may show through the window of a French DL window envelope, on page 1 (see above).
WINDOW_MM = Rect(left=90, top=39, right=200, bottom=95)

#: The address block, inside the part of the window that always shows.
ADDRESS_MM = Rect(left=105, top=52, right=190, bottom=82)

#: Words that reveal custody or health and must never show through the window.
PRIVATE_WORDS = (
    "détention",
    "détenu",
    "écrou",
    "CNPE",
    "pénitentiaire",
    "prison",
    "SPIP",
    "USMP",
    "ALD",
    "affection de longue durée",
    "incarcér",
)


# Acronyms are whole words (so that "Donald" is not "ALD"); the others match as prefixes.
_PATTERNS = tuple(
    (w, re.compile(rf"\b{re.escape(w)}\b" if w.isupper() else re.escape(w), re.IGNORECASE))
    for w in PRIVATE_WORDS
)


def private_words_in(text: str) -> list[str]:
    """The private words that ``text`` contains (case-insensitive), in :data:`PRIVATE_WORDS` order."""
    return [w for w, pattern in _PATTERNS if pattern.search(text)]

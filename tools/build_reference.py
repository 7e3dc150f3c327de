#!/usr/bin/env python3
"""Build the committed reference tables of ``cnpe_flow.reference`` from the shared research files.

Usage, from the repository root::

    python tools/build_reference.py [SHARED_DATA_DIR] [--out DIR] [--check]

``SHARED_DATA_DIR`` defaults to ``../shared/data`` (next to the repository).  The script writes
``establishments.csv``, ``cpam.csv``, ``cnpe_poles.csv`` and ``SOURCES.md`` into
``cnpe_flow/reference/data/`` and prints its cross-checks.  ``--check`` writes nothing and exits
with status 1 when the committed tables differ from what the shared files give.

Why a build step: the application and its tests must run from a plain clone, without the shared
research folder, so the derived tables are committed and this script is the only way they are
made (``tests/reference/test_reference_build.py`` compares both when the shared folder exists).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
DEFAULT_OUT = REPO_ROOT / "cnpe_flow" / "reference" / "data"
COMMAND = "python tools/build_reference.py ../shared/data"

# reference-data.md §2.1: "186 rows = 185 establishments + the Villejuif semi-liberty quarter".
EXPECTED_ESTABLISHMENTS = 186

ESTABLISHMENTS_SOURCE_FILE = "etablissements_penitentiaires.csv"
DISP_SOURCE_FILE = "disp_pole_cnpe.csv"
CPAM_SOURCE_FILE = "cpam.csv"
SEED_GLOB = "000_*.txt"

ESTABLISHMENT_COLUMNS = (
    "code",
    "name",
    "type",
    "commune",
    "departement",
    "disp",
    "pole",
    "pole_status",
    "dgap_label",
    "code_commune_insee",
    "source",
)
CPAM_COLUMNS = (
    "departement",
    "name",
    "address",
    "postcode",
    "city",
    "code_organisme",
    "note",
    "source",
)
POLE_COLUMNS = (
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
ADDRESS_LINE_SEPARATOR = " | "

POLE_SECTION = "reference-data.md §1.3"

# First words of `pole_cnpe_if_known` -> pole code.  An unforeseen wording stops the build: a
# human has to decide what it means rather than the script guessing a pole.
POLE_HEADS = (
    ("Nord", "NORD"),
    ("Sud", "SUD"),
    ("inconnu", "UNKNOWN"),
    ("hors CNPE", "OUTSIDE_CNPE"),
)
# "<head> – <body> [<qualifier>]", e.g. "Sud – CPAM du Lot (Cahors) [hypothèse étayée, …]".
POLE_TEXT = re.compile(r"^(?P<head>.+?) [–-] (?P<body>.+?)(?: \[(?P<qual>[^\]]+)\])?$")

# Markers the research file uses for an address it could not find.
UNKNOWN_ADDRESS = re.compile(r"\[[^\]]*non (?:trouvée?|donnée)[^\]]*\]")
BRACKETED = re.compile(r"\s*\[[^\]]*\]")

# Editorial choices on CPAM rows, applied only while the source text is still the one we read
# (otherwise the build reports it).  Key: (departement, name) -> (source address, kept, why).
CPAM_ADDRESS_CHOICES: dict[tuple[str, str], tuple[str, str, str]] = {
    ("25", "CPAM du Doubs"): (
        "2 rue Denis Papin (pôle télétransmissions) / 3 rue Denis Papin (autres envois)",
        "3 rue Denis Papin",
        "la source donne deux adresses : « 2 rue Denis Papin (pôle télétransmissions) / "
        "3 rue Denis Papin (autres envois) » ; « autres envois » retenue pour les courriers "
        "des assurés",
    ),
}

SEED_SOURCE = (
    "dépliant CNPE (seed 000), §2 « Affection longue durée (ALD) » et 4e de couverture ; "
    "rules-catalogue ALD-2"
)
POLE_STATUS = (
    "adresse confirmée par le dépliant CNPE pour les renouvellements d’ALD ; le rattachement "
    f"des établissements à ce pôle reste une hypothèse ({POLE_SECTION})"
)
RECIPIENT = "M. le Médecin chef de l’Échelon Local du Service Médical"


@dataclass(frozen=True)
class PoleAddress:
    pole: str
    label: str
    caisse: str
    address_lines: tuple[str, ...]
    postcode: str
    city: str
    cpam_departement: str  # the host CPAM, for the cross-check with cpam.csv


# Text of the CNPE leaflet (seed 000), section ALD; checked against the seed when it is present.
POLE_ADDRESSES = (
    PoleAddress(
        pole="NORD",
        label="Pôle inter-régional Nord du CNPE",
        caisse="Caisse primaire d’Assurance Maladie de l’Oise",
        address_lines=("1 rue de Savoie", "BP 30326"),
        postcode="60013",
        city="BEAUVAIS Cedex",
        cpam_departement="60",
    ),
    PoleAddress(
        pole="SUD",
        label="Pôle inter-régional Sud du CNPE",
        caisse="Caisse primaire d’Assurance Maladie du Lot",
        address_lines=("238 rue Hautesserre",),
        postcode="46015",
        city="CAHORS Cedex 9",
        cpam_departement="46",
    ),
)


@dataclass
class BuildResult:
    files: dict[str, str]  # file name -> exact text to commit
    checks: list[str] = field(default_factory=list)  # cross-check results, also in SOURCES.md
    problems: list[str] = field(default_factory=list)  # data problems worth a human look


class BuildError(Exception):
    """The shared files cannot be turned into tables without a human decision."""


def read_rows(path: Path) -> list[dict[str, str]]:
    # newline="" lets csv handle the CRLF line ends of the shared files.
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def to_csv(columns: tuple[str, ...], rows: list[dict[str, str]]) -> str:
    # "\n" line ends and minimal quoting: stable, diff-friendly committed files.
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def code_from_label(label: str) -> str:
    """``"CP FRESNES - Villejuif"`` -> ``"CP-FRESNES-VILLEJUIF"`` (ASCII, uppercase, dashes)."""
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[A-Z0-9]+", ascii_text.upper()))


def parse_pole(text: str) -> tuple[str, str]:
    """``pole_cnpe_if_known`` -> (pole code, French status keeping the hypothesis visible)."""
    match = POLE_TEXT.match(text.strip())
    if match is None:
        raise BuildError(f"unreadable pole_cnpe_if_known: {text!r}")
    head, body, qualifier = match["head"], match["body"], match["qual"]
    pole = next((code for word, code in POLE_HEADS if head.startswith(word)), None)
    if pole is None:
        raise BuildError(f"unknown pole wording (decide its meaning first): {text!r}")
    if pole in ("NORD", "SUD"):
        if not qualifier:
            # A pole without its "[hypothèse …]" flag would read as an official fact.
            raise BuildError(f"pole given without its status qualifier: {text!r}")
        return pole, f"{qualifier} ({POLE_SECTION})"
    status = f"{head} : {body}" + (f" ; {qualifier}" if qualifier else "")
    return pole, f"{status} ({POLE_SECTION})"


def establishment_source(row: dict[str, str]) -> str:
    # The shared CSV cites "facts.md", which is not in shared/: its §2 is reference-data.md §2.
    source = row["source"].replace("facts.md", "reference-data.md")
    if row["provenance_commune"] == "manuel":
        source += " ; commune saisie manuellement (reference-data.md §2.2)"
    return f"{source} ; pôle : {POLE_SECTION}"


def build_establishments(
    rows: list[dict[str, str]], disp_rows: list[dict[str, str]], result: BuildResult
) -> str:
    disp_departements = {d["disp"]: set(d["departements"].split()) for d in disp_rows}
    disp_hypothesis = {d["disp"]: d["pole_cnpe_hypothese"] for d in disp_rows}
    out: list[dict[str, str]] = []
    outside_disp: list[str] = []
    pole_mismatch: list[str] = []
    for row in rows:
        pole, status = parse_pole(row["pole_cnpe_if_known"])
        code = code_from_label(row["libelle_dgap"])
        out.append(
            {
                "code": code,
                "name": row["name"],
                "type": row["type"],
                "commune": row["commune"],
                "departement": row["departement"],
                "disp": row["disp"],
                "pole": pole,
                "pole_status": status,
                "dgap_label": row["libelle_dgap"],
                "code_commune_insee": row["code_commune_insee"],
                "source": establishment_source(row),
            }
        )
        if row["departement"] not in disp_departements.get(row["disp"], set()):
            outside_disp.append(f"{code} (dép. {row['departement']}, {row['disp']})")
        # The DISP table states the same hypothesis per DISP: both must agree for NORD/SUD.
        if pole in ("NORD", "SUD") and not disp_hypothesis.get(row["disp"], "").lower().startswith(
            pole.lower()
        ):
            pole_mismatch.append(f"{code} ({pole}, {row['disp']})")

    codes = Counter(r["code"] for r in out)
    duplicates = sorted(c for c, n in codes.items() if n > 1)
    if duplicates:
        raise BuildError(f"establishment codes not unique: {duplicates}")

    count = len(out)
    result.checks.append(
        f"establishments: {count} rows (expected {EXPECTED_ESTABLISHMENTS}, reference-data §2.1)"
        + ("" if count == EXPECTED_ESTABLISHMENTS else " — MISMATCH")
    )
    if count != EXPECTED_ESTABLISHMENTS:
        result.problems.append(f"{count} establishments instead of {EXPECTED_ESTABLISHMENTS}")
    result.checks.append(
        "département within its DISP's département list (disp_pole_cnpe.csv): "
        f"{count - len(outside_disp)}/{count} consistent"
        + (f"; inconsistent: {', '.join(outside_disp)}" if outside_disp else "")
    )
    result.problems.extend(f"département outside its DISP: {item}" for item in outside_disp)
    result.checks.append(
        "NORD/SUD pole equal to the DISP's hypothesised pole: "
        + ("all agree" if not pole_mismatch else f"disagree: {', '.join(pole_mismatch)}")
    )
    result.problems.extend(f"pole differs from its DISP: {item}" for item in pole_mismatch)
    poles = Counter(r["pole"] for r in out)
    result.checks.append("poles: " + ", ".join(f"{pole} {poles[pole]}" for _, pole in POLE_HEADS))
    if any("facts.md" in r["source"] for r in rows):
        result.problems.append(
            f"{ESTABLISHMENTS_SOURCE_FILE} cites `facts.md`, absent from shared/: cited here as "
            "reference-data.md (its §2 holds the establishments)"
        )
    manual = sum(r["provenance_commune"] == "manuel" for r in rows)
    result.checks.append(f"commune entered by hand (provenance « manuel »): {manual} rows")
    unsure = [r["code"] for r in out if "à vérifier" in r["commune"]]
    if unsure:
        result.problems.append(
            "commune marked « à vérifier » in the source (kept verbatim): " + ", ".join(unsure)
        )
    return to_csv(ESTABLISHMENT_COLUMNS, out)


def build_cpam(rows: list[dict[str, str]], result: BuildResult) -> str:
    out: list[dict[str, str]] = []
    unknown: list[str] = []
    for row in rows:
        address, city, note = row["address"], row["city"], row["note"]
        notes: list[str] = []
        choice = CPAM_ADDRESS_CHOICES.get((row["departement"], row["name"]))
        if choice is not None:
            expected, kept, why = choice
            if address == expected:
                address = kept
                notes.append(why)
            else:
                result.problems.append(f"CPAM address choice for {row['name']} no longer applies")
        if UNKNOWN_ADDRESS.search(address):
            # Empty address + explicit note: nobody can print the marker as if it were a street.
            notes.append(f"adresse postale inconnue (source : « {address} »)")
            unknown.append(f"{row['departement']} {row['name']}")
            address = ""
        clean_city = BRACKETED.sub("", city).strip()
        if clean_city != city:
            notes.append(f"ville dans la source : « {city} »")
        if note:
            notes.append(note)
        source = row["source"]
        if not source.startswith("non trouvé"):
            source += " ; voir reference-data.md §3"
        out.append(
            {
                "departement": row["departement"],
                "name": row["name"],
                "address": address,
                "postcode": row["postcode"] if address else "",
                "city": clean_city,
                "code_organisme": row["code_organisme"],
                "note": " ; ".join(notes),
                "source": source,
            }
        )

    unsure_names = [r["name"] for r in out if "[" in r["name"]]
    if unsure_names:
        result.problems.append("CPAM name with a source remark: " + "; ".join(unsure_names))
    per_dep = Counter(r["departement"] for r in out)
    several = sorted(d for d, n in per_dep.items() if n > 1)
    result.checks.append(
        f"cpam: {len(out)} rows, {len(per_dep)} départements; several caisses in: "
        + ", ".join(f"{d} ({per_dep[d]})" for d in several)
    )
    result.checks.append("cpam: address unknown for: " + "; ".join(unknown))
    return to_csv(CPAM_COLUMNS, out)


def _flat(text: str) -> str:
    # Compare leaflet text whatever its line breaks, spacing or apostrophes.
    return " ".join(text.replace("’", "'").split()).casefold()


def build_poles(cpam_rows: list[dict[str, str]], seed: Path | None, result: BuildResult) -> str:
    seed_text = _flat(seed.read_text(encoding="utf-8")) if seed is not None else None
    out: list[dict[str, str]] = []
    for pole in POLE_ADDRESSES:
        out.append(
            {
                "pole": pole.pole,
                "label": pole.label,
                "recipient": RECIPIENT,
                "caisse": pole.caisse,
                "address_lines": ADDRESS_LINE_SEPARATOR.join(pole.address_lines),
                "postcode": pole.postcode,
                "city": pole.city,
                "status": POLE_STATUS,
                "source": SEED_SOURCE,
            }
        )
        if seed_text is None:
            result.checks.append(f"pole {pole.pole}: seed 000 absent, address not re-checked")
        else:
            pieces = [RECIPIENT, pole.caisse, *pole.address_lines, f"{pole.postcode} {pole.city}"]
            missing = [p for p in pieces if _flat(p) not in seed_text]
            result.checks.append(
                f"pole {pole.pole}: address found in seed 000"
                if not missing
                else f"pole {pole.pole}: NOT in seed 000: {missing}"
            )
            result.problems.extend(f"pole {pole.pole} text not in seed: {m}" for m in missing)
        host = [r for r in cpam_rows if r["departement"] == pole.cpam_departement]
        same = any(
            _flat(r["address"]).startswith(_flat(pole.address_lines[0]))
            and r["postcode"] == pole.postcode
            for r in host
        )
        result.checks.append(
            f"pole {pole.pole}: street and postcode "
            + ("equal to" if same else "DIFFERENT from")
            + f" the CPAM {pole.cpam_departement} row of cpam.csv"
        )
    return to_csv(POLE_COLUMNS, out)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def sources_markdown(inputs: list[tuple[str, Path, int | None]], result: BuildResult) -> str:
    input_rows = "\n".join(
        f"| `shared/{label}` | {'—' if rows is None else rows} | `{_digest(path)}` |"
        for label, path, rows in inputs
    )
    checks = "\n".join(f"- {line}" for line in result.checks)
    problems = "\n".join(f"- {line}" for line in result.problems) or "- none"
    return f"""# Reference tables: sources and derivation

Generated by `{COMMAND}` (run from the repository root) from the
project's shared research folder. The application and the tests read only these committed files, never `../shared`.
`tests/reference/test_reference_build.py` fails when these files differ from what the
script produces; it is skipped only where `../shared/data` does not exist.

Inputs (read-only; sha256 prefixes identify the versions used):

| file | rows | sha256 (16 hex) |
|---|---|---|
{input_rows}

## establishments.csv

One row per penitentiary establishment: 185 establishments plus the Villejuif semi-liberty
quarter of CP Fresnes, which the DGAP lists on its own row.

- **Facts from:** `shared/data/{ESTABLISHMENTS_SOURCE_FILE}` (reference-data.md §2). Upstream:
  - [S10] Ministère de la Justice, DGAP, « Statistique des établissements et des personnes
    écrouées en France, au 1er juillet 2026 » (xlsx), sheets Tab14–Tab23, gives names, DISP,
    capacity and detainees. The copy read is in supertrampsss/500SIGNATURESV2 @ ced8500
    (2026-08-07).
  - [S11] The commune crosswalk comes from the DILA directory (COG 2025), in the same
    repository @ 7bb6808 (2026-08-07). Where the commune was entered by hand, `source`
    says so.
  - [S8] décret n° 2016-1877 du 27/12/2016 and [S9] give the DISP areas.
- **Derivation:**
  - `code` is the DGAP label in uppercase ASCII, with its words joined by `-`.
  - `pole` comes from `pole_cnpe_if_known`: `Nord…` gives `NORD`, `Sud…` gives `SUD`,
    `inconnu…` (Mayotte) gives `UNKNOWN`, and `hors CNPE…` (collectivités d'outre-mer) gives
    `OUTSIDE_CNPE`.
  - `pole_status` keeps the source's own qualifier, in French.
  - Uncertain communes keep their « [à vérifier] » markers word for word.
  - The shared CSV cites `facts.md`, which is not in shared/. Its §2 is cited here as
    reference-data.md §2.

### Status of the CNPE pole split: HYPOTHESIS

No official list that assigns establishments or DISP to the CNPE poles was found (no CNAM
circular, convention or ameli page). ameli.fr only says that the pole depends on where the
establishment is [S2, 06/03/2024]. The split used here is reference-data.md §1.3's
best-supported hypothesis:

- **Nord (CPAM de l'Oise, Beauvais):** DISP Lille, Paris and Strasbourg.
- **Sud (CPAM du Lot, Cahors):** all other DISP, plus Guadeloupe, Martinique, Guyane and
  La Réunion.

The evidence is a c. 2017 press article on the CPAM du Lot [S3] and the 2017 DISP names
[S8, S9]. Two cases stay open:

- **Mayotte (CP de Majicavo) is `UNKNOWN`:** Mayotte has its own caisse, the CSSM [S27].
- **The collectivités d'outre-mer are `OUTSIDE_CNPE`, "probable":** Nouvelle-Calédonie,
  Polynésie française, Wallis-et-Futuna and Saint-Pierre-et-Miquelon have their own social
  protection. This is not verified.

To confirm the split, ask the CNPE (09 74 75 75 50) or a SPIP/greffe for the current
allocation table. Every row shows its status in `pole_status`, and the product must show it
too.

### Correcting the CNPE pole (admin)

Until an admin screen exists, correct a pole as follows:

1. Preferably, correct `pole_cnpe_if_known` in `shared/data/{ESTABLISHMENTS_SOURCE_FILE}`
   and write the evidence in the bracket, for example `Nord – CPAM de l'Oise (Beauvais)
   [confirmé par le CNPE, appel du JJ/MM/AAAA]`. Then run `{COMMAND}` and commit the
   result.
2. If the shared folder is not available, edit `pole`, `pole_status` and `source` of the
   row in `establishments.csv` directly. The build test will then report the difference
   wherever `../shared` exists, until the shared file is corrected too.

The planned admin screen will store such corrections, with their author and evidence, on
top of this table.

## cpam.csv

CPAM, CGSS and CSS Mayotte for each département, with a postal address. Some
départements have several caisses.

- **Facts from:** `shared/data/{CPAM_SOURCE_FILE}` (reference-data.md §3). Upstream:
  - [S20] djibe/recommandations-medicales `static/print/cpam.pdf` @ 27f4098 (27/10/2022;
    page lastmod 2023-01-23) gives the addresses. That list was compiled from ameli.fr and
    is meant for health professionals. It is SECONDARY and dated 2022.
  - [S21], [S22] and [S23] cover the caisses of 59 and 76, and [S27] covers Mayotte.
- **Derivation:**
  - An address the source marks `[non trouvé]` (or "non donnée") is left empty, and the
    `note` starts with « adresse postale inconnue ». The lookup then reports the address
    as unknown.
  - Bracketed remarks are moved from `city` into `note`.
  - For the CPAM du Doubs, the source lists two addresses. The « autres envois » address is
    kept, and `note` says so.
- **Limits:** no source says which communes each caisse of 59, 62, 64 or 76 serves. In
  those départements, ameli.fr's postcode search is authoritative.

## cnpe_poles.csv

The CNPE medical service (médecin chef) address of each pole, used for ALD renewal requests
(rule ALD-2).

- **Facts from:** the CNPE leaflet `shared/seeds/000_*.txt`, section « Affection longue durée
  (ALD) » and back page, as quoted in rules-catalogue ALD-2. Address lines are joined with
  `{ADDRESS_LINE_SEPARATOR}`.
- **Status:** the addresses are confirmed by the leaflet. Which establishments go to which
  pole is the hypothesis above.

## Build-time cross-checks

{checks}

## Data problems noticed

{problems}
"""


def find_seed(shared_data: Path) -> Path | None:
    seeds = sorted((shared_data.parent / "seeds").glob(SEED_GLOB))
    return seeds[0] if seeds else None


def build_tables(shared_data: Path) -> BuildResult:
    """Everything the script would write, as file name -> text (nothing is written)."""
    establishments_path = shared_data / ESTABLISHMENTS_SOURCE_FILE
    disp_path = shared_data / DISP_SOURCE_FILE
    cpam_path = shared_data / CPAM_SOURCE_FILE
    establishments = read_rows(establishments_path)
    disp = read_rows(disp_path)
    cpam = read_rows(cpam_path)
    seed = find_seed(shared_data)

    result = BuildResult(files={})
    result.files["establishments.csv"] = build_establishments(establishments, disp, result)
    result.files["cpam.csv"] = build_cpam(cpam, result)
    result.files["cnpe_poles.csv"] = build_poles(cpam, seed, result)
    inputs: list[tuple[str, Path, int | None]] = [
        (f"data/{ESTABLISHMENTS_SOURCE_FILE}", establishments_path, len(establishments)),
        (f"data/{DISP_SOURCE_FILE}", disp_path, len(disp)),
        (f"data/{CPAM_SOURCE_FILE}", cpam_path, len(cpam)),
    ]
    if seed is not None:
        inputs.append((f"seeds/{seed.name}", seed, None))
    result.files["SOURCES.md"] = sources_markdown(inputs, result)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "shared_data",
        nargs="?",
        type=Path,
        default=DEFAULT_SHARED_DATA,
        help="folder holding the shared CSV files (default: ../shared/data)",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    parser.add_argument(
        "--check", action="store_true", help="compare with the committed tables, write nothing"
    )
    args = parser.parse_args(argv)
    if not args.shared_data.is_dir():
        print(f"shared data folder not found: {args.shared_data}", file=sys.stderr)
        return 2
    try:
        result = build_tables(args.shared_data)
    except BuildError as error:
        print(f"build refused: {error}", file=sys.stderr)
        return 1

    for line in result.checks:
        print(f"check: {line}")
    for line in result.problems:
        print(f"problem: {line}")
    if args.check:
        stale = [
            name
            for name, text in result.files.items()
            if not (args.out / name).is_file()
            or (args.out / name).read_text(encoding="utf-8") != text
        ]
        for name in stale:
            print(f"out of date: {args.out / name}", file=sys.stderr)
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in result.files.items():
        (args.out / name).write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {args.out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

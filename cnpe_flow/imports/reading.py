"""Reading a roster file (CSV or XLSX) into numbered rows of text cells, named by column.

Anything that makes the whole file unusable (empty, binary, unknown encoding, missing column,
too many rows) raises :class:`FileRefused` with one French sentence: nothing is written then.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from cnpe_flow.imports.columns import COLUMNS, REQUIRED_COLUMNS, column_key

#: default of ``CNPE_IMPORT_MAX_ROWS``
DEFAULT_MAX_ROWS = 50_000
_ZIP_MAGIC = b"PK\x03\x04"
_UTF8_BOM = b"\xef\xbb\xbf"


class FileRefused(ValueError):
    """The file as a whole cannot be imported (the message names why, in French)."""


@dataclass
class Table:
    """The rows of a roster file: ``rows`` are (line number, cells by column name)."""

    kind: str  # "csv" or "xlsx"
    encoding: str | None = None
    separator: str | None = None
    unknown_columns: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def read_table(data: bytes, *, max_rows: int = DEFAULT_MAX_ROWS) -> Table:
    """The file's rows; :class:`FileRefused` when it cannot be read as a roster."""
    if not data.strip():
        raise FileRefused("le fichier est vide")
    if data.startswith(_ZIP_MAGIC):
        table = Table("xlsx")
        grid = _xlsx_grid(data, max_rows)
    else:
        text, encoding = _decode(data)
        separator = _separator(text)
        table = Table("csv", encoding=encoding, separator=separator)
        grid = _csv_grid(text, separator, max_rows)
    _fill(table, grid, max_rows)
    return table


def _decode(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM), else Windows-1252; a binary file is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused(
            "fichier en UTF-16 : enregistrez-le en CSV UTF-8 (ou Windows-1252) ou en XLSX"
        )
    if b"\x00" in data:
        raise FileRefused("ce fichier n'est ni un CSV ni un classeur XLSX (contenu binaire)")
    if data.startswith(_UTF8_BOM):
        try:
            return data[len(_UTF8_BOM) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            raise FileRefused("le fichier annonce l'UTF-8 mais contient autre chose") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise FileRefused(
            "encodage non reconnu : enregistrez le fichier en CSV UTF-8 ou Windows-1252"
        ) from None


def _separator(text: str) -> str:
    """``;`` or ``,``: whichever splits the header into more known column names."""
    header = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""

    def known(sep: str) -> tuple[int, int]:
        cells = next(csv.reader([header], delimiter=sep), [])
        return sum(column_key(c) in COLUMNS for c in cells), header.count(sep)

    return max((";", ","), key=known)


def _csv_grid(text: str, separator: str, max_rows: int) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    grid: list[tuple[int, list[str]]] = []
    filled = 0
    try:
        for cells in reader:
            grid.append((reader.line_num, cells))
            filled += any(c.strip() for c in cells)
            if filled > max_rows + 1:
                break  # enough to say the file is too long, without reading it all
    except csv.Error as exc:
        raise FileRefused(f"ligne {reader.line_num + 1} : CSV illisible ({exc})") from None
    return grid


def _xlsx_grid(data: bytes, max_rows: int) -> list[tuple[int, list[str]]]:
    import openpyxl  # only XLSX files need it

    try:
        # read_only streams the sheet; data_only=False keeps a formula as its text, never run
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise FileRefused(f"classeur XLSX illisible ({type(exc).__name__})") from None
    try:
        if not book.worksheets:
            raise FileRefused("le classeur ne contient aucune feuille")
        sheet = book.worksheets[0]
        grid: list[tuple[int, list[str]]] = []
        filled = 0
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in values]
            grid.append((number, cells))
            filled += any(c.strip() for c in cells)
            if filled > max_rows + 1:
                break  # enough to say the file is too long
        return grid
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise FileRefused(f"classeur XLSX illisible ({type(exc).__name__})") from None
    finally:
        book.close()


def _cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a CSV would hold (dates ISO, integers without ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _fill(table: Table, grid: list[tuple[int, list[str]]], max_rows: int) -> None:
    """Header → column names; data rows → cells by name (empty rows skipped)."""
    rows = [(n, cells) for n, cells in grid if any(c.strip() for c in cells)]
    if not rows:
        raise FileRefused("le fichier est vide")
    _, header = rows[0]
    names: list[str | None] = []
    seen: set[str] = set()
    for title in header:
        key = column_key(title)
        if key in COLUMNS:
            if key in seen:
                raise FileRefused(f"la colonne {key} apparaît deux fois dans l'en-tête")
            seen.add(key)
            names.append(key)
        else:
            names.append(None)
            if title.strip():
                table.unknown_columns.append(title.strip()[:80])
    missing = [c for c in REQUIRED_COLUMNS if c not in seen]
    if missing:
        raise FileRefused(
            f"colonne{'s' if len(missing) > 1 else ''} obligatoire{'s' if len(missing) > 1 else ''}"
            f" absente{'s' if len(missing) > 1 else ''} : {', '.join(missing)}"
            " (la première ligne doit nommer les colonnes ; voir le modèle)"
        )
    data = rows[1:]
    if not data:
        raise FileRefused("le fichier ne contient que l'en-tête : aucune ligne à importer")
    if len(data) > max_rows:
        raise FileRefused(
            f"le fichier compte plus de {max_rows} lignes (limite CNPE_IMPORT_MAX_ROWS) : "
            "découpez-le en plusieurs fichiers"
        )
    for number, cells in data:
        table.rows.append(
            (
                number,
                {
                    name: " ".join(cell.split())
                    for name, cell in zip(names, cells, strict=False)
                    if name is not None
                },
            )
        )

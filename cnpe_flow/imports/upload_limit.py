"""The size limit of an imported file (``IMPORT_MAX_BYTES``), the same on the page and the API.

The file itself is measured against the limit; the request body may be a little larger (the
multipart framing and the form's other fields), and is refused unread beyond that.
"""

from __future__ import annotations

from flask import current_app
from werkzeug.datastructures import FileStorage

#: room around the file for the multipart framing, the CSRF token and ``dry_run``
FORM_MARGIN = 64 * 1024


def body_limit() -> int:
    """The largest request body the import routes read."""
    return int(current_app.config["IMPORT_MAX_BYTES"]) + FORM_MARGIN


def file_too_large() -> str:
    """Why a file is refused for its size, with the limit in Mo."""
    megabytes = current_app.config["IMPORT_MAX_BYTES"] / (1024 * 1024)
    shown = f"{megabytes:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"le fichier dépasse {shown} Mo, la taille maximale d'un import"


def read_within_limit(sent: FileStorage) -> bytes | None:
    """The file's bytes, or None when it is larger than ``IMPORT_MAX_BYTES`` (read no further)."""
    limit = int(current_app.config["IMPORT_MAX_BYTES"])
    with sent.stream:  # a large upload is spooled to a temporary file: close it
        data = sent.read(limit + 1)
    return None if len(data) > limit else data

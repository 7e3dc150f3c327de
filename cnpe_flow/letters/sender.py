"""The return address printed on letters: the application's ``LETTER_SENDER`` setting.

A letter to the person may show its sender to anyone who handles the envelope, so the sender
is a neutral service name (never "pénitentiaire", "SPIP", "CNPE" …). Our data holds no postal
address for the service: configure it, e.g.
``CNPE_LETTER_SENDER='{"name": "Service social", "lines": ["12 rue …", "60000 Beauvais"]}'``
(a JSON object, or a text whose first line is the name). A sender revealing custody or health
stops the application at start-up.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, has_app_context

from cnpe_flow.config import ConfigError
from cnpe_flow.letters.context import DEFAULT_SENDER
from cnpe_flow.letters.envelope import private_words_in


def parse_sender(raw: Any) -> dict[str, Any]:
    """``{"name": str, "lines": [str]}`` from the setting; :class:`ConfigError` when unusable."""
    if raw is None:
        return {"name": DEFAULT_SENDER["name"], "lines": list(DEFAULT_SENDER["lines"])}
    if isinstance(raw, str):
        parts = [line.strip() for line in raw.splitlines() if line.strip()]
        raw = {"name": parts[0] if parts else "", "lines": parts[1:]}
    if not isinstance(raw, dict):
        raise ConfigError("LETTER_SENDER : un objet {name, lines} ou un texte est attendu")
    name = raw.get("name")
    lines = raw.get("lines") or []
    if not isinstance(name, str) or not name.strip():
        raise ConfigError("LETTER_SENDER : le nom du service expéditeur est obligatoire")
    if not isinstance(lines, list) or not all(isinstance(x, str) for x in lines):
        raise ConfigError("LETTER_SENDER : « lines » doit être une liste de lignes de texte")
    found = private_words_in(" ".join([name, *lines]))
    if found:
        raise ConfigError(
            "LETTER_SENDER : l'expéditeur doit rester neutre (il peut être vu sur l'enveloppe) ; "
            f"retirez : {', '.join(found)}"
        )
    return {"name": name.strip(), "lines": [x.strip() for x in lines if x.strip()]}


#: the sender of the application set up in this process, for jobs run without an app context
_registered: dict[str, Any] | None = None


def register(app: Flask) -> None:
    """Check the application's sender at start-up (fail fast) and keep it for its jobs."""
    global _registered
    app.config.setdefault("LETTER_SENDER", None)
    _registered = parse_sender(app.config["LETTER_SENDER"])


def letter_sender() -> dict[str, Any]:
    """The configured sender: the current application's, else the one set up in this process
    (the scheduler runs jobs without an application context), else the default."""
    if has_app_context():
        return parse_sender(current_app.config.get("LETTER_SENDER"))
    return dict(_registered) if _registered is not None else parse_sender(None)

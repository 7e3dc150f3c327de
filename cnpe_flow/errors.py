"""Errors the operations raise and the web layer turns into French messages."""

from __future__ import annotations

from dataclasses import dataclass

from cnpe_flow.rules import Problem


class InvalidInput(ValueError):
    """Bad input, field by field (400 in the API, messages next to the fields in forms)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.line() for p in problems))
        self.problems = problems

    @classmethod
    def one(cls, field: str, message: str) -> InvalidInput:
        return cls([Problem(field, message)])


class NotFound(LookupError):
    """Unknown, or not visible to this user: the two are never told apart."""


class Forbidden(PermissionError):
    """Visible, but this role may not do that."""


@dataclass
class Conflict(Exception):
    """Someone changed the record since the form was opened (optimistic lock)."""

    message: str = (
        "Ce dossier a été modifié par quelqu'un d'autre depuis que vous l'avez ouvert. "
        "Rechargez la page pour voir la nouvelle version, puis refaites votre saisie."
    )

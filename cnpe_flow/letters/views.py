"""Placeholder blueprint (replaced by its own module's work)."""

from flask import Blueprint

bp = Blueprint("letters", __name__)

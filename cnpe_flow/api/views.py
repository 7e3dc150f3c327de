"""Placeholder blueprint (replaced by its own module's work)."""

from flask import Blueprint

bp = Blueprint("api", __name__)

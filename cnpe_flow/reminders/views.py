"""Placeholder blueprint (replaced by its own module's work)."""

from flask import Blueprint

bp = Blueprint("reminders", __name__)

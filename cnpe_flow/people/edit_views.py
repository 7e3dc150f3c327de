"""Placeholder blueprint (forms that change a person's file)."""

from flask import Blueprint

bp = Blueprint("people_edit", __name__)

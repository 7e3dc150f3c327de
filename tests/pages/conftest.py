"""Helpers for the read-side page tests: cut a page into the parts a user looks at."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from cnpe_flow import db
from cnpe_flow.letters.models import Letter, MasReferral


@pytest.fixture
def section() -> Callable[[str, str], str]:
    """``section(html, "titre-taches")`` → the HTML of the section labelled by that heading."""

    def cut(html: str, heading_id: str) -> str:
        found = re.search(
            rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', html, re.DOTALL
        )
        assert found, f"no section {heading_id}"
        return found.group(0)

    return cut


@pytest.fixture
def row() -> Callable[..., str]:
    """``row(html, "DURAND")`` → the table row that contains this text (``tag="li"``: item)."""

    def find(html: str, text: str, tag: str = "tr") -> str:
        for chunk in re.findall(rf"<{tag}\b.*?</{tag}>", html, re.DOTALL):
            if text in chunk:
                return chunk
        raise AssertionError(f"no row with {text!r}")

    return find


@pytest.fixture
def add_letter(app: Any) -> Callable[..., None]:
    """A generated letter row for a person (the letters module is not needed to read it)."""

    def add(person_id: int, kind: str = "release_summary") -> None:
        with db.transaction(app) as s:
            s.add(
                Letter(
                    person_id=person_id,
                    kind=kind,
                    letter_date=date(2026, 11, 20),
                    template_version="test",
                    sha256="0" * 64,
                    pdf=b"%PDF-1.7 test",
                )
            )

    return add


@pytest.fixture
def add_mas(app: Any) -> Callable[..., None]:
    def add(person_id: int, status: str, **fields: Any) -> None:
        with db.transaction(app) as s:
            s.add(MasReferral(person_id=person_id, status=status, **fields))

    return add


@pytest.fixture
def task_item() -> Callable[[str, str], str]:
    """``task_item(html, label)`` → the HTML of the task entry showing this label."""

    def find(html: str, label: str) -> str:
        for chunk in html.split('<li class="task')[1:]:
            if label in chunk.split("</p>")[0]:
                return re.split(r"<h3>|</section>|<details>\s*<summary>Tâches", chunk)[0]
        raise AssertionError(f"no task {label!r}")

    return find

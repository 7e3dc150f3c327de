"""Letters read dated parameters the way the engine does: a value to check (used before its
first documented date, or past its revaluation date) is never printed without the engine's
« à vérifier » warning, which the letter's context keeps and the pages show."""

from __future__ import annotations

import html
from dataclasses import replace

import pytest
from contract import builders, ecrou, levee

from cnpe_flow import db
from cnpe_flow.letters import mas_operations as mas
from cnpe_flow.letters.context import DEFAULT_SENDER, LetterSource, build_context
from cnpe_flow.people.models import Person
from cnpe_flow.rules import evaluate
from cnpe_flow.rules.parameters import _lookup, all_parameters

HANDLING = "Délai habituel de traitement d'une saisine de la Mission accompagnement santé"
LIANCOURT = "Centre pénitentiaire de Liancourt"
RELEASED = [
    {"type": "ecrou", "date": "2026-01-10", "establishment": LIANCOURT},
    {"type": "levee_ecrou", "date": "2026-09-30"},
]

_, case = builders(
    birth_date="1980-05-01",
    residence_status="regular",
    carte_vitale=True,
    residence_postcode="60000",
)


def mas_letter(released: str, as_of: str) -> dict:
    """The MAS referral letter of a person released on ``released``, consent given."""
    raw = case([ecrou("2018-01-10"), levee(released)], as_of=as_of)
    person = {"last_name": "Durand", "first_name": "Alex", **raw["person"]}
    mas_block = {"problems": ["rights"], "consent_date": released}
    source = LetterSource(person, evaluate(raw), raw["events"], DEFAULT_SENDER, mas_block)
    return build_context("mas_referral", source)


@pytest.fixture
def yearly_handling_time(monkeypatch):
    """The MAS handling time as if it were revalued every 1 January: its only value (from
    14/10/2020) is stale from 01/01/2021 on."""
    table = all_parameters()
    monkeypatch.setitem(
        table, "mas_handling_time", replace(table["mas_handling_time"], revaluation=(1, 1))
    )
    _lookup.cache_clear()
    yield
    _lookup.cache_clear()  # before the table is restored: the next look-up reads it afresh


def test_a_letter_with_values_in_force_carries_no_warning():
    context = mas_letter("2026-09-30", "2026-11-23")
    assert context["handling"] == "15 jours"
    assert "warnings" not in context


def test_a_stale_value_in_a_letter_comes_with_the_engines_warning(yearly_handling_time):
    context = mas_letter("2026-09-30", "2026-11-23")
    assert context["handling"] == "15 jours"  # still printed, as the engine still uses it
    assert context["warnings"] == [
        {
            "code": "parameter_stale",
            "message": f"{HANDLING} : la valeur du 14/10/2020 a dépassé sa date de "
            "revalorisation ; aucune valeur plus récente n'est documentée (à vérifier).",
            "parameter": "mas_handling_time",
        }
    ]


def test_a_value_before_its_first_date_comes_with_the_engines_warning():
    """A release in 2019: the handling time is documented from 14/10/2020 only."""
    context = mas_letter("2019-06-14", "2019-07-01")
    assert [(w["code"], w["parameter"]) for w in context["warnings"]] == [
        ("parameter_extrapolated", "mas_handling_time")
    ]
    assert context["warnings"][0]["message"].startswith(
        f"{HANDLING} : aucune valeur documentée avant le 14/10/2020"
    )


def test_the_pages_show_the_warning_of_a_stale_value(
    app, client, login, make_user, make_person, yearly_handling_time
):
    spip = make_user("spip")
    person = make_person(events=RELEASED)
    with db.transaction(app) as s:
        p = s.get(Person, person.id)
        mas.record_consent(s, spip, p, "2026-10-01")
        mas.set_problems(s, spip, p, ["rights"])
        mas.mark_sent(s, spip, p, "2026-10-05")
    login(client, spip)
    page = html.unescape(client.get(f"/personnes/{person.id}/mas").get_data(as_text=True))
    assert "à faire le 20/10/2026" in page
    assert "À vérifier" in page
    assert f"{HANDLING} : la valeur du 14/10/2020 a dépassé sa date de revalorisation" in page

    url = f"/personnes/{person.id}/courriers"
    before = html.unescape(client.get(url).get_data(as_text=True))
    assert HANDLING not in before  # no letter printed the value yet
    generated = client.form(f"{url}/generer", {"kind": "mas_referral"})
    assert generated.status_code == 302
    after = html.unescape(client.get(url).get_data(as_text=True))
    assert "À vérifier" in after
    assert (
        "Orientation vers la Mission accompagnement santé (saisine) : "
        f"{HANDLING} : la valeur du 14/10/2020 a dépassé sa date de revalorisation"
    ) in after

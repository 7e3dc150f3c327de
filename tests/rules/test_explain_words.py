"""What a person reads in ``cnpe-flow explain`` and in the case page's reasons: words, not
internal names; the seed's own words; the end of a PUMa maintenance and what to do then; only
the rules that apply to an irregular person; the AME waiting period of a code 04 grant.

Expected dates are derived by hand from rules-catalogue.md and the dated parameters (months
with relativedelta, periods closed-open and shown with their last day).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from contract import FRESNES, MAJICAVO, ecrou, levee

from cnpe_flow.letters.context import DEFAULT_SENDER, LetterSource, build_context
from cnpe_flow.people.page_reasons import period_reasons, reasons_for
from cnpe_flow.rules import evaluate
from cnpe_flow.rules.catalogue import rules
from cnpe_flow.rules.explain import explain_lines, parameter_words

ROOT = Path(__file__).resolve().parents[2]
# ``carte_vitale_update_delay@2023-04-01``: a parameter trace.
TRACE = re.compile(r"\w+@\d{4}-\d{2}-\d{2}")
# ``carte_vitale_update``, ``ame_first_filing_in_person``: an internal name.
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
# Rules that only a person with base rights after release can be told (CPAM, MAS, carte Vitale).
INSURED_ONLY = ("AFF-6", "AFF-7", "REL-1", "REL-3")


def _cases() -> list[tuple[str, dict]]:
    found = []
    for path in sorted((ROOT / "tests" / "scenarios").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if "expected" in data:
            found.append((path.stem, data["case"]))
    for path in sorted((ROOT / "examples").glob("*.json")):
        found.append((path.stem, json.loads(path.read_text(encoding="utf-8"))))
    # Benefits kept during custody (ATMP-1, INV-1, INV-2) are named by internal keys.
    found.append(
        (
            "maintained-benefits",
            {
                "as_of": "2026-11-23",
                "person": {
                    "birth_date": "1970-02-01",
                    "residence_status": "regular",
                    "carte_vitale": True,
                    "residence_postcode": "75011",
                    "benefits_before_ecrou": ["atmp_rente", "invalidity_pension"],
                },
                "events": [ecrou("2026-01-05"), levee("2026-05-04")],
            },
        )
    )
    return found


CASES = _cases()


def person(**fields):
    base = {
        "birth_date": "1984-05-12",
        "residence_status": "irregular",
        "carte_vitale": True,
        "residence_postcode": "93200",
        "benefits_before_ecrou": [],
    }
    return {**base, **fields}


def case(events, as_of="2026-11-23", **fields):
    return {"as_of": as_of, "person": person(**fields), "events": events}


def explained(data) -> str:
    return "\n".join(explain_lines(evaluate(data)))


def basis(text: str) -> list[str]:
    """The rule IDs listed under « Sur quelle base ? »."""
    tail = text.split("Sur quelle base ?", 1)[1]
    return re.findall(r"^  ([A-Z0-9]+-\d+) —", tail, re.MULTILINE)


def page_texts(out: dict) -> list[str]:
    """Every reason the case page shows for these periods and tasks (text, source, quote)."""
    reasons = [r for p in out["affiliation"] for r in period_reasons(p, out)]
    reasons += [r for t in out["tasks"] for r in reasons_for(t["rules"])]
    return [piece for r in reasons for piece in (r.text, r.source, r.quote)]


# ---------------------------------------------------------------- no internal names


@pytest.mark.parametrize(("name", "data"), CASES, ids=[name for name, _ in CASES])
def test_explain_has_no_parameter_trace_and_no_internal_name(name, data):
    text = explained(data)
    assert TRACE.findall(text) == [], name
    assert SNAKE.findall(text) == [], name


@pytest.mark.parametrize(("name", "data"), CASES, ids=[name for name, _ in CASES])
def test_case_page_reasons_have_no_parameter_trace_no_internal_name_no_file_name(name, data):
    for piece in page_texts(evaluate(data)):
        assert not TRACE.search(piece), (name, piece)
        assert not SNAKE.search(piece), (name, piece)
        assert ".txt" not in piece, (name, piece)


def test_rel_1_the_carte_vitale_delay_is_said_in_words_with_its_date():
    """REL-1: the reminder's delay is « délai de 10 jours, en vigueur depuis le 01/04/2023 »
    (scenario 01: levée 14/08/2026, reminder 24/08/2026)."""
    text = explained(dict(CASES)["01-release-with-address"])
    line = next(x for x in text.splitlines() if "Mettre à jour la carte Vitale" in x)
    assert line.strip() == (
        "24/08/2026 — Mettre à jour la carte Vitale [accompagnant·e] (REL-1) — délai de 10 jours, "
        "en vigueur depuis le 01/04/2023"
    )


def test_parameter_words_for_a_project_choice_and_for_an_unknown_trace():
    assert parameter_words("release_preparation@2000-01-01", "check_release_letters") == (
        "7 jours avant la date de sortie prévue (choix du projet, pas une règle légale)"
    )
    assert parameter_words("ame_renewal_window@2020-10-14 = 2 mois") == (
        "délai de 2 mois, en vigueur depuis le 14/10/2020"
    )
    # A value that applies « since always » is dated by the change that ended it.
    assert parameter_words("puma_maintenance@2000-01-01 = 1 an") == (
        "délai de 1 an, applicable avant le 02/11/2020"
    )
    assert parameter_words("no_such_parameter@2020-01-01 = 3 jours") == ""


def test_rel_1_an_extrapolated_parameter_is_named_by_its_label_in_the_warning():
    """REL-1: a 2022 release uses the 2023 leaflet's 10 days, flagged; the warning a person
    reads names the delay in French, not the parameter's file name."""
    data = case(
        [ecrou("2022-01-10"), levee("2022-06-01")], residence_status="regular", as_of="2022-07-01"
    )
    out = evaluate(data)
    warning = next(w for w in out["warnings"] if w["code"] == "parameter_extrapolated")
    assert warning["message"].startswith(
        "Délai avant la mise à jour de la carte Vitale après la levée d'écrou : aucune valeur "
        "documentée avant le 01/04/2023"
    ), warning
    assert not SNAKE.search(warning["message"])
    assert warning["parameter"] == "carte_vitale_update_delay"


# ---------------------------------------------------------------- the seed's own words


@pytest.mark.parametrize(("name", "data"), CASES, ids=[name for name, _ in CASES])
def test_each_rule_of_the_basis_is_followed_by_the_seed_quote(name, data):
    lines = explained(data).split("Sur quelle base ?", 1)[1].splitlines()[1:]
    for i, line in enumerate(lines):
        found = re.match(r"  ([A-Z0-9]+-\d+) — ", line)
        if found:
            quote = rules()[found[1]].quote
            assert lines[i + 1].strip() == f"« {quote} »", (name, found[1])
            assert "[source : " in line and not re.search(r"\[source : \d{3}", line), line


# ---------------------------------------------------------------- irregular person


IRREGULAR = {
    "released": case([ecrou("2025-11-03"), levee("2026-04-20")]),
    "planned release": case(
        [ecrou("2026-01-05"), {"type": "planned_release", "date": "2026-12-18"}]
    ),
    "planned release, no address": case(
        [ecrou("2026-01-05"), {"type": "planned_release", "date": "2026-12-18"}],
        residence_postcode=None,
    ),
    "released in Mayotte": case(
        [ecrou("2026-01-05", MAJICAVO), levee("2026-06-01")], residence_postcode="97600"
    ),
    "AME granted after release": case(
        [
            ecrou("2026-01-05"),
            levee("2026-03-01"),
            {"type": "ame_filed", "date": "2026-03-02", "complete": True},
            {"type": "ame_granted", "date": "2026-03-02"},
        ]
    ),
}


@pytest.mark.parametrize("situation", list(IRREGULAR))
def test_aff_8_irregular_person_summary_cites_no_cpam_mas_or_carte_vitale_rule(situation):
    """AFF-8: no base rights after release: neither the explanation (its periods, tasks,
    letters and « Sur quelle base ? ») nor the release summary letter cites the CPAM transfer
    (AFF-6, AFF-7), the carte Vitale (REL-1) or the MAS (REL-3)."""
    data = IRREGULAR[situation]
    text = explained(data)
    assert "AFF-8" in basis(text)
    for rule_id in INSURED_ONLY:
        assert rule_id not in text, (situation, rule_id)
    out = evaluate(data)
    if not any(x["kind"] == "release_summary" and not x["provisional"] for x in out["letters"]):
        return
    identity = {"last_name": "Durand", "first_name": "Alex", **data["person"]}
    source = LetterSource(identity, out, data["events"], DEFAULT_SENDER)
    letter_rules = [r["id"] for r in build_context("release_summary", source)["rules"]]
    assert "AFF-8" in letter_rules
    assert not set(INSURED_ONLY) & set(letter_rules), (situation, letter_rules)


def test_ame_1_mayotte_period_says_there_is_no_ame_instead_of_filing_one():
    """AME-1: released in Mayotte, the period after release does not send the person to file
    an AME in person (AME-2): AME does not exist there."""
    text = explained(IRREGULAR["released in Mayotte"])
    line = next(x for x in text.splitlines() if x.startswith("  à partir du 01/06/2026"))
    assert "l'AME n'existe pas à Mayotte" in line and "(AME-1)" in line
    assert "AME-2" not in line


# ---------------------------------------------------------------- end of a PUMa maintenance


def regular_released(levee_day, *after, ecrou_day="2019-09-02"):
    return case([ecrou(ecrou_day, FRESNES), levee(levee_day), *after], residence_status="regular")


def expiry(day):
    return {"type": "residence_permit_expiry", "date": day}


def test_puma_2_puma_3_period_after_the_maintenance_says_it_ended_and_when_to_file_an_ame():
    """PUMA-2, PUMA-3: permit expired on 15/03/2024: maintenance of 6 months and 45 days, to
    29/10/2024 inclusive; an AME filing is receivable 45 days before its end, from 15/09/2024."""
    data = regular_released("2023-09-04", expiry("2024-03-15"))
    lines = explained(data).splitlines()
    during = next(x for x in lines if x.startswith("  du 04/09/2023 au 29/10/2024"))
    after = next(x for x in lines if x.startswith("  à partir du 30/10/2024"))
    assert "droits maintenus jusqu'au 29/10/2024 après l'expiration du titre de séjour le " in (
        during
    )
    assert after.startswith(
        "  à partir du 30/10/2024 : aucune couverture de base (maintien des droits terminé) — "
    )
    assert "a pris fin le 29/10/2024 (PUMA-2)" in after
    assert (
        "demander l'AME à la CPAM du lieu de résidence, possible à partir du 15/09/2024 (PUMA-3)"
        in after
    )
    out = evaluate(data)
    page = [(r.rule_id, r.text) for r in period_reasons(out["affiliation"][-1], out)]
    assert (
        "PUMA-3",
        "demander l'AME à la CPAM du lieu de résidence, possible à partir du 15/09/2024",
    ) in page


def test_puma_2_ame_2_maintenance_ended_during_custody_the_ame_is_filed_from_the_levee():
    """PUMA-2, AME-2: permit expired on 01/02/2025 during custody, maintenance over on
    14/09/2025, levée on 01/06/2026: no AME filing during custody, so from the levée."""
    data = case(
        [ecrou("2025-01-06", FRESNES), expiry("2025-02-01"), levee("2026-06-01")],
        residence_status="regular",
    )
    after = next(
        x for x in explained(data).splitlines() if x.startswith("  à partir du 01/06/2026")
    )
    assert "(maintien des droits terminé)" in after
    assert "a pris fin le 14/09/2025 (PUMA-2)" in after
    assert "dès la sortie, le 01/06/2026 (AME-2)" in after


# ---------------------------------------------------------------- AME waiting period


def test_ame_9_code_04_grant_says_its_nine_month_waiting_period_with_its_end():
    """AME-9: scenario 07, first AME granted on 01/02/2021 (code 04): certain non-urgent care
    only after 9 months, so the waiting period runs to 31/10/2021 inclusive."""
    out = evaluate(dict(CASES)["07-ame-renewal-quiz"])
    text = "\n".join(explain_lines(out))
    sentence = "délai de carence de 9 mois pour certains soins non urgents, jusqu'au 31/10/2021"
    period = next(x for x in text.splitlines() if x.startswith("  du 01/02/2021 au 31/01/2022"))
    assert f"{sentence} (AME-9)" in period
    grant = next(x for x in text.splitlines() if x.startswith("  accordée du 01/02/2021"))
    assert "code 04" in grant and sentence in grant
    ame = next(p for p in out["affiliation"] if p["fund"] == "AME")
    assert ("AME-9", sentence) in [(r.rule_id, r.text) for r in period_reasons(ame, out)]


def test_ame_9_a_renewal_without_interruption_has_no_waiting_period():
    """AME-9: the grant of 01/02/2022, the day the first one ends, renews it (code 05): no
    waiting period for it; the first one (code 04) keeps its own."""
    data = case(
        [
            ecrou("2020-06-15"),
            levee("2021-01-20"),
            {"type": "ame_granted", "date": "2021-02-01"},
            {"type": "ame_granted", "date": "2022-02-01"},
        ],
        as_of="2022-06-01",
    )
    lines = explained(data).splitlines()
    renewal = next(x for x in lines if x.startswith("  accordée du 01/02/2022"))
    assert "code 05" in renewal and "pas de délai de carence" in renewal
    assert sum("délai de carence de 9 mois" in x for x in lines if x.startswith("  accordée")) == 1


def test_ame_9_a_grant_before_2021_has_no_waiting_period():
    """AME-9: no waiting period for rights opened before 01/01/2021, even with code 04."""
    data = case(
        [ecrou("2019-06-03"), levee("2020-03-02"), {"type": "ame_granted", "date": "2020-03-10"}],
        as_of="2020-06-01",
    )
    grant = next(x for x in explained(data).splitlines() if x.startswith("  accordée"))
    assert (
        "code 04" in grant and "pas de délai de carence (droit ouvert avant le 01/01/2021)" in grant
    )


# ---------------------------------------------------------------- rights to check


def test_rights_to_check_are_explained_without_parameter_traces():
    """The « droits à vérifier » items (household-spec.md) read in words: status, each
    condition with « à vérifier » for an unknown fact, the monthly participation in euros,
    the steps; their parameter traces stay in the API output only."""
    out = evaluate(dict(CASES)["01-release-with-address"])
    out["rights_to_check"] = [
        {
            "right": "c2s",
            "title": "Complémentaire santé solidaire (C2S)",
            "status": "to_check",
            "summary": "Droit possible si les ressources du foyer restent sous le plafond.",
            "conditions": [
                {"text": "Situation régulière.", "met": True, "rules": []},
                {"text": "Ressources sous le plafond.", "met": None, "rules": []},
            ],
            "steps": ["Remplir le formulaire S3711 pour tout le foyer."],
            "participation": {
                "reference_date": "2027-01-01",
                "members": [{"birth_date": "1985-03-14", "age": 41, "monthly": "21.00"}],
                "total_monthly": "21.00",
            },
            "rules": [],
            "parameters": ["c2s_participation@2019-11-01", "c2s_ceilings@2025-04-01"],
        }
    ]
    text = "\n".join(explain_lines(out))
    part = text.split("Droits à vérifier :", 1)[1].split("\n\n", 1)[0]
    assert "Complémentaire santé solidaire (C2S) — à vérifier : Droit possible" in part
    assert "    oui — Situation régulière." in part
    assert "()" not in part
    assert "    à vérifier — Ressources sous le plafond." in part
    assert (
        "participation mensuelle : 21,00\u00a0€ (41 ans : 21,00\u00a0€), âges au 01/01/2027" in part
    )
    assert "    à faire : Remplir le formulaire S3711 pour tout le foyer." in part
    assert TRACE.findall(text) == [] and SNAKE.findall(text) == []

"""Dated parameters (``cnpe_flow/rules/parameters/*.yaml``): every file loads, every value has a
source, ``param(name, date)`` gives the value in force, and the values cover time without gap.

Expected values come from the sources the catalogue names for each dated rule: AME-6 (30 days
in the 2020 meeting, seed 002; 2 months in the 2023 training, seed 003), PUMA-2 (1 year before
the decree of 30 October 2020, seed 004; 6 months + 45 days and 2 months for a final OQTF
after it, seeds 001 and 003), AME-9 (waiting period for rights opened from 1 January 2021,
seed 003), REL-1 (10 days, leaflet after 1 April 2023, seed 000), C2S-1 (ceilings revalued
each 1 April, reference-data §4.1).
"""

from __future__ import annotations

from datetime import date, timedelta
from importlib import resources

import pytest
import yaml

from cnpe_flow.rules.catalogue import rules as catalogue
from cnpe_flow.rules.dates import Duration
from cnpe_flow.rules.parameters import all_parameters, param

FOLDER = resources.files("cnpe_flow.rules") / "parameters"
FILES = sorted(entry.name for entry in FOLDER.iterdir() if entry.name.endswith(".yaml"))
NAMES = [name.removesuffix(".yaml") for name in FILES]
GRID = [
    date(2021, 1, 1) + timedelta(days=30 * k)
    for k in range((date(2026, 12, 31) - date(2021, 1, 1)).days // 30 + 1)
]


def raw(file_name):
    return yaml.safe_load((FOLDER / file_name).read_text(encoding="utf-8"))


def in_force(name, day):
    """Indexes of the documented values whose [from, next from[ contains ``day``."""
    starts = all_parameters()[name].starts
    ends = (*starts[1:], date.max)
    return [
        i for i, (start, end) in enumerate(zip(starts, ends, strict=True)) if start <= day < end
    ]


# ---------------------------------------------------------------- loading and sources


def test_every_parameter_file_loads():
    """AME-6, PUMA-2: every YAML file of the folder loads as one parameter with its values."""
    loaded = all_parameters()
    assert sorted(loaded) == NAMES
    assert all(len(p.starts) == len(p.values) == len(p.sources) >= 1 for p in loaded.values())


@pytest.mark.parametrize("file_name", FILES)
def test_every_value_has_a_date_and_a_source(file_name):
    """AME-6, PUMA-2, REL-1: each value says from when it applies and which source gives it."""
    rows = raw(file_name)["values"]
    assert rows
    assert all(isinstance(row["from"], date) for row in rows)
    assert all("value" in row for row in rows)
    assert all(str(row.get("source") or "").strip() for row in rows)


@pytest.mark.parametrize("file_name", FILES)
def test_every_parameter_cites_catalogue_rules_and_a_convention(file_name):
    """AME-8, C2S-7: a parameter names the rules it serves (IDs of the catalogue) and the date
    convention used to apply it."""
    data = raw(file_name)
    assert data["rules"]
    assert set(data["rules"]) <= set(catalogue())
    assert str(data["convention"]).strip()
    assert str(data["label"]).strip()


@pytest.mark.parametrize("file_name", FILES)
def test_values_are_in_increasing_date_order(file_name):
    """AME-6, PUMA-2: the values of a parameter are listed by strictly increasing date."""
    starts = [row["from"] for row in raw(file_name)["values"]]
    assert starts == sorted(set(starts))


# ---------------------------------------------------------------- value in force at a date


@pytest.mark.parametrize(
    ("name", "day_before", "old", "effective", "new"),
    [
        (
            "ame_missing_documents_delay",
            date(2023, 3, 19),
            Duration(days=30),
            date(2023, 3, 20),
            Duration(months=2),
        ),
        (
            "puma_maintenance",
            date(2020, 11, 1),
            Duration(years=1),
            date(2020, 11, 2),
            Duration(months=6, days=45),
        ),
        ("puma_maintenance_oqtf", date(2020, 11, 1), None, date(2020, 11, 2), Duration(months=2)),
        ("ame_waiting_period", date(2020, 12, 31), None, date(2021, 1, 1), Duration(months=9)),
    ],
)
def test_value_in_force_the_day_before_and_the_day_of_a_change(
    name, day_before, old, effective, new
):
    """AME-6, PUMA-2, AME-9: boundary pairs: the old value applies the day before the change,
    the new one from the day of it (missing documents: 30 days then 2 months from 20 March 2023;
    PUMa maintenance: 1 year then 6 months + 45 days, OQTF 2 months, from 2 November 2020;
    waiting period: none, then 9 months for rights opened from 1 January 2021)."""
    before = param(name, day_before)
    on_the_day = param(name, effective)
    assert before.value == old
    assert on_the_day.value == new
    assert on_the_day.effective_from == effective
    assert not before.extrapolated
    assert not on_the_day.extrapolated


def test_a_date_before_the_first_value_is_flagged_extrapolated():
    """REL-1: the 10 days come from the leaflet published after 1 April 2023: asked for 31 March
    2023, the earliest value is returned flagged extrapolated; on 1 April 2023 it is not."""
    before = param("carte_vitale_update_delay", date(2023, 3, 31))
    first_day = param("carte_vitale_update_delay", date(2023, 4, 1))
    assert before.extrapolated is True
    assert before.value == Duration(days=10)
    assert before.effective_from == date(2023, 4, 1)
    assert first_day.extrapolated is False


def test_c2s_ceilings_past_the_1_april_revaluation_are_flagged_stale():
    """C2S-1: the ceilings are revalued each 1 April: the 2025 table (10 339 € for one person,
    free C2S) is in force on 31 March 2026, and flagged stale from 1 April 2026 when no newer
    table is documented."""
    last_day = param("c2s_ceilings", date(2026, 3, 31))
    revaluation_day = param("c2s_ceilings", date(2026, 4, 1))
    assert last_day.value["free"][0] == 10339
    assert last_day.stale is False
    assert revaluation_day.stale is True
    assert revaluation_day.value["free"][0] == 10339
    assert revaluation_day.effective_from == date(2025, 4, 1)


@pytest.mark.parametrize("name", NAMES)
def test_each_value_applies_from_its_own_date(name):
    """AME-6, PUMA-2: for every parameter, each documented value is the one returned on its
    effective date, with its own source; the day before gives the previous value, or the first
    value flagged extrapolated."""
    p = all_parameters()[name]
    on_each_date = [param(name, start) for start in p.starts]
    day_before_first = param(name, p.starts[0] - timedelta(days=1))
    days_before_next = [param(name, start - timedelta(days=1)) for start in p.starts[1:]]
    assert [pv.effective_from for pv in on_each_date] == list(p.starts)
    assert [pv.source for pv in on_each_date] == list(p.sources)
    assert day_before_first.extrapolated is True
    assert [pv.effective_from for pv in days_before_next] == list(p.starts[:-1])


# ---------------------------------------------------------------- temporal coverage


@pytest.mark.parametrize("name", NAMES)
def test_exactly_one_value_applies_on_every_date_of_the_grid(name):
    """AME-6, PUMA-2, C2S-1: from 2021-01-01 to 2026-12-31, every ~30 days, exactly one
    documented value applies once the parameter is documented (no gap, no overlap), and
    ``param`` returns it; before its first documented date the gap is explicit (extrapolated),
    never silent."""
    first = all_parameters()[name].starts[0]
    documented = [d for d in GRID if d >= first]
    undocumented = [d for d in GRID if d < first]
    assert [len(in_force(name, d)) for d in documented] == [1] * len(documented)
    assert [param(name, d).effective_from for d in documented] == [
        all_parameters()[name].starts[in_force(name, d)[0]] for d in documented
    ]
    assert [param(name, d).extrapolated for d in documented] == [False] * len(documented)
    assert [param(name, d).extrapolated for d in undocumented] == [True] * len(undocumented)

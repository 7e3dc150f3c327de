"""Dated parameters: every legal delay and amount, with the date it applies from and its source.

Each ``parameters/<name>.yaml`` holds one parameter: a French label, the rule IDs it serves, the
convention used to apply it, and ``values``: a list of ``{from, value, source}``. The engine asks
for a value *at a date*; the value in force is the last one whose ``from`` is on or before it.
"""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

from cnpe_flow.rules.dates import Duration


@dataclass(frozen=True, slots=True)
class ParamValue:
    """One value of a parameter, as it applies at the date asked for."""

    name: str
    effective_from: date
    value: Any
    source: str
    #: True when the date asked for is before the first documented value (the earliest is used).
    extrapolated: bool = False
    #: True when a scheduled revaluation date has passed since the last documented value.
    stale: bool = False
    #: ``name@from = value`` for traces (tables are named by their version only).
    trace: str = field(init=False, compare=False)

    def __post_init__(self) -> None:
        # Values are built once at load time, so the trace string is built once too.
        if isinstance(self.value, (dict, list)):
            shown = ""
        elif isinstance(self.value, Duration):
            shown = f" = {self.value.french()}"
        else:
            shown = f" = {self.value}"
        object.__setattr__(self, "trace", f"{self.name}@{self.effective_from.isoformat()}{shown}")

    def describe(self) -> str:
        """``name@from = value`` for traces."""
        return self.trace


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    label: str
    unit: str
    rules: tuple[str, ...]
    convention: str
    last_verified_on: date
    revaluation: tuple[int, int] | None
    starts: tuple[date, ...]
    values: tuple[Any, ...]
    sources: tuple[str, ...]


class ParameterError(ValueError):
    """A parameter file is malformed (raised at load time, never during an evaluation)."""


def _convert(unit: str, raw: Any) -> Any:
    if raw is None:
        return None
    if unit == "duration":
        return Duration.parse(raw)
    return raw


def _load_one(name: str, text: str) -> Parameter:
    data = yaml.safe_load(text)
    missing = {"label", "rules", "unit", "convention", "last_verified_on", "values"} - set(data)
    if missing:
        raise ParameterError(f"{name}: missing keys {sorted(missing)}")
    rows = data["values"]
    if not rows:
        raise ParameterError(f"{name}: no values")
    starts: list[date] = []
    for i, row in enumerate(rows):
        if not isinstance(row.get("from"), date):
            raise ParameterError(f"{name}: values[{i}].from is not a date")
        if not str(row.get("source") or "").strip():
            raise ParameterError(f"{name}: values[{i}] has no source")
        if "value" not in row:
            raise ParameterError(f"{name}: values[{i}] has no value")
        if starts and row["from"] <= starts[-1]:
            raise ParameterError(f"{name}: values must be in increasing date order")
        starts.append(row["from"])
    reval = data.get("revaluation")
    return Parameter(
        name=name,
        label=data["label"],
        unit=data["unit"],
        rules=tuple(data["rules"]),
        convention=" ".join(str(data["convention"]).split()),
        last_verified_on=data["last_verified_on"],
        revaluation=(reval["month"], reval["day"]) if reval else None,
        starts=tuple(starts),
        values=tuple(_convert(data["unit"], row["value"]) for row in rows),
        sources=tuple(" ".join(str(row["source"]).split()) for row in rows),
    )


@cache
def all_parameters() -> dict[str, Parameter]:
    """Every parameter of ``parameters/``, loaded and checked once per process."""
    folder = resources.files("cnpe_flow.rules") / "parameters"
    found: dict[str, Parameter] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            name = entry.name.removesuffix(".yaml")
            found[name] = _load_one(name, entry.read_text(encoding="utf-8"))
    return found


@cache
def snapshot_hash() -> str:
    """A short hash of every parameter file, stamped on outputs so that results can be reproduced."""
    digest = hashlib.sha256()
    folder = resources.files("cnpe_flow.rules") / "parameters"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            digest.update(entry.name.encode())
            digest.update(entry.read_bytes())
    return digest.hexdigest()[:12]


def _next_revaluation(after: date, month: int, day: int) -> date:
    candidate = date(after.year, month, day)
    return candidate if candidate > after else date(after.year + 1, month, day)


@dataclass(frozen=True, slots=True)
class _Lookup:
    """Precomputed answers for one parameter, so that a look-up is one bisect."""

    starts: tuple[date, ...]
    values: tuple[ParamValue, ...]
    before_first: ParamValue
    #: from this date on, the last value is past its revaluation date (None: no revaluation).
    stale_from: date | None
    stale_last: ParamValue


@cache
def _lookup(name: str) -> _Lookup:
    p = all_parameters()[name]
    values = tuple(
        ParamValue(name, start, value, source)
        for start, value, source in zip(p.starts, p.values, p.sources, strict=True)
    )
    first, last = values[0], values[-1]
    stale_from = _next_revaluation(last.effective_from, *p.revaluation) if p.revaluation else None
    return _Lookup(
        starts=p.starts,
        values=values,
        before_first=ParamValue(
            name, first.effective_from, first.value, first.source, extrapolated=True
        ),
        stale_from=stale_from,
        stale_last=ParamValue(name, last.effective_from, last.value, last.source, stale=True),
    )


def param(name: str, at: date) -> ParamValue:
    """The value of parameter ``name`` in force on ``at``.

    Before the first documented value, the earliest one is returned flagged ``extrapolated``;
    after a revaluation date with no newer value documented, the last one is flagged ``stale``.
    """
    lookup = _lookup(name)
    i = bisect.bisect_right(lookup.starts, at) - 1
    if i < 0:
        return lookup.before_first
    if lookup.stale_from is not None and i == len(lookup.starts) - 1 and at >= lookup.stale_from:
        return lookup.stale_last
    return lookup.values[i]

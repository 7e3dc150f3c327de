"""The shape shared by every « droit à vérifier » (``rights_to_check`` items), the facts of the
case that several of them read, and the parameter look-ups they share.

An item is a plain dict (household-spec.md): ``right``, ``title``, ``status``, ``summary``,
``conditions`` (each ``met`` True, False or None = à vérifier), ``steps``, optionally
``participation``, ``rules`` and ``parameters`` (traces ``name@from``). The status follows from
the conditions and is never guessed: a condition not met makes the right unlikely, an unknown
one leaves it to check.

Rules return :class:`Template` pieces (tuples); :func:`build` makes the item, read-only all the
way down (:class:`ReadOnlyDict`, :class:`ReadOnlyList`: JSON, equality and reading as usual;
``dict(item)`` or ``copy.deepcopy`` give a mutable copy). An item that depends only on
parameter rows and a few facts is therefore built once and shared by every evaluation
(:func:`shared`): the function runs on every evaluation, and building the same dicts again for
each case would cost more than the rest of it.
"""

from __future__ import annotations

import copy
from bisect import bisect_right
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from cnpe_flow.rules.case import Case, Stay
from cnpe_flow.rules.context import Context
from cnpe_flow.rules.dates import Duration
from cnpe_flow.rules.household import Household
from cnpe_flow.rules.parameters import ParamValue, all_parameters, param

LIKELY, UNLIKELY, TO_CHECK = "likely", "unlikely", "to_check"
#: « au CNPE (…) »: the name after « au »
CNPE_NAME = "CNPE (Centre national de gestion de la protection sociale des personnes écrouées)"

#: one condition: (French text, met: True / False / None = à vérifier, rule IDs)
Cond = tuple[str, bool | None, tuple[str, ...]]


def condition(text: str, met: bool | None, rules: tuple[str, ...]) -> Cond:
    return (text, met, rules)


def status_of(conditions: tuple[Cond, ...] | list[Cond]) -> str:
    """``unlikely`` if a condition is not met, ``likely`` if all are, else ``to_check``."""
    unknown = False
    for _, met, _ in conditions:
        if met is False:
            return UNLIKELY
        if met is None:
            unknown = True
    return TO_CHECK if unknown else LIKELY


# Not frozen: a frozen dataclass costs several times more to build; nothing mutates it.
@dataclass(slots=True)
class Template:
    """An item as immutable values (tuples); :func:`build` turns it into the output's dict."""

    right: str
    title: str
    summary: str
    conditions: tuple[Cond, ...]
    steps: tuple[str, ...]
    rules: tuple[str, ...]
    parameters: tuple[str, ...]
    status: str
    #: the C2S-2 block (``reference_date``, ``members``, ``total_monthly``), or None
    participation: tuple[str, tuple[tuple[str, int, str], ...], str] | None = None


def template(
    right: str,
    title: str,
    summary: str,
    conditions: tuple[Cond, ...],
    steps: tuple[str, ...],
    rules: tuple[str, ...],
    parameters: tuple[str, ...],
    participation: tuple[str, tuple[tuple[str, int, str], ...], str] | None = None,
) -> Template:
    return Template(
        right,
        title,
        summary,
        conditions,
        steps,
        rules,
        parameters,
        status_of(conditions),
        participation,
    )


class ReadOnlyDict(dict[str, Any]):
    """A dict that refuses changes: shared items cannot be altered by one reader for all."""

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("élément partagé en lecture seule : en faire une copie (dict(...))")

    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse

    def __copy__(self) -> dict[str, Any]:
        return dict(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        return {k: copy.deepcopy(v, memo) for k, v in self.items()}

    def __reduce__(self) -> Any:
        return (dict, (dict(self),))


class ReadOnlyList(list[Any]):
    """A list that refuses changes (see :class:`ReadOnlyDict`)."""

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("élément partagé en lecture seule : en faire une copie (list(...))")

    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse
    append = extend = insert = pop = remove = clear = sort = reverse = _refuse

    def __copy__(self) -> list[Any]:
        return list(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> list[Any]:
        return [copy.deepcopy(v, memo) for v in self]

    def __reduce__(self) -> Any:
        return (list, (list(self),))


def build(t: Template) -> ReadOnlyDict:
    """The item (key order of household-spec.md), read-only all the way down. Its parts are
    read-only, so equal parts (a condition, the steps, the rules) are one shared object."""
    out: dict[str, Any] = {
        "right": t.right,
        "title": t.title,
        "status": t.status,
        "summary": t.summary,
        "conditions": ReadOnlyList([_condition(c) for c in t.conditions]),
        "steps": _list(t.steps),
    }
    if t.participation is not None:  # only for a C2S with participation (C2S-2)
        out["participation"] = _participation(t.participation)
    out["rules"] = _list(t.rules)
    out["parameters"] = _list(t.parameters)
    return ReadOnlyDict(out)


@lru_cache(maxsize=16384)
def _list(values: tuple[Any, ...]) -> ReadOnlyList:
    return ReadOnlyList(values)


def _condition(c: Cond) -> ReadOnlyDict:
    # Not remembered: conditions often name the case's own amounts and dates.
    return ReadOnlyDict({"text": c[0], "met": c[1], "rules": _list(c[2])})


@lru_cache(maxsize=4096)
def _participation(block: tuple[str, tuple[tuple[str, int, str], ...], str]) -> ReadOnlyDict:
    reference, members, total = block
    rows_ = [ReadOnlyDict({"birth_date": b, "age": a, "monthly": m}) for b, a, m in members]
    return ReadOnlyDict(
        {"reference_date": reference, "members": ReadOnlyList(rows_), "total_monthly": total}
    )


def rows(ctx: Context, at: date, names: str) -> tuple[ParamValue, ...]:
    """The values in force on ``at`` of the parameters ``names`` (comma-separated); a stale or
    extrapolated one is reported on the context (``ctx.param``), as if every value had been
    read through it."""
    return keyed_rows(ctx, at, names)[0]


def keyed_rows(
    ctx: Context, at: date, names: str, unless_used: str = ""
) -> tuple[tuple[ParamValue, ...], tuple[str, ...]]:
    """:func:`rows`, and their traces: a hashable key naming the rows (for :func:`shared`).

    ``unless_used``: a parameter among ``names`` that the caller may not use; it reports it
    itself (:func:`report`) when it does."""
    spans = _SPANS.get(names) or _spans(names)
    found, traces, flagged = spans.rows[bisect_right(spans.bounds, at)]
    for pv in flagged:
        if pv.name != unless_used:
            ctx.flag(pv)
    return found, traces


def report(ctx: Context, pv: ParamValue) -> None:
    """Report a stale or extrapolated value read through :func:`keyed_rows` ``unless_used``."""
    if pv.extrapolated or pv.stale:
        ctx.flag(pv)


@dataclass(slots=True)
class _Spans:
    """The days on which one of the parameters changes value or flag (a documented value
    starts, the first one, a revaluation date passes), and the rows between two such days:
    one bisect instead of one look-up per parameter."""

    bounds: list[date]
    rows: list[tuple[tuple[ParamValue, ...], tuple[str, ...], tuple[ParamValue, ...]]]


_SPANS: dict[str, _Spans] = {}


def _spans(names: str) -> _Spans:
    specs = all_parameters()
    bounds: set[date] = set()
    for name in names.split(","):
        spec = specs[name]
        bounds.update(spec.starts)
        if spec.revaluation is not None:  # the last value is stale from its next revaluation
            month, day_ = spec.revaluation
            last = spec.starts[-1]
            due = date(last.year, month, day_)
            bounds.add(due if due > last else date(last.year + 1, month, day_))
    ordered = sorted(bounds)
    found = []
    for start in [date.min, *ordered]:
        pvs = tuple(param(name, start) for name in names.split(","))
        flagged = tuple(pv for pv in pvs if pv.extrapolated or pv.stale)
        found.append((pvs, tuple(pv.trace for pv in pvs), flagged))
    spans = _SPANS[names] = _Spans(ordered, found)
    return spans


_SHARED: dict[Hashable, ReadOnlyDict] = {}


#: The item already built for a key, if any, so that a hit computes nothing else (the dict's
#: own ``get``: no Python frame on the path that every evaluation takes).
shared_item: Callable[[Hashable], ReadOnlyDict | None] = _SHARED.get


def shared(key: Hashable, make: Callable[[], Template]) -> ReadOnlyDict:
    """The item for ``key``, built once and shared (keys name parameter rows and a few facts
    of the case: few of them)."""
    found = _SHARED.get(key)
    if found is None:
        if len(_SHARED) > 8192:
            _SHARED.clear()
        found = _SHARED[key] = build(make())
    return found


@lru_cache(maxsize=256)
def words(duration: Duration) -> str:
    """``duration.french()`` (« 3 mois »), remembered: few durations, said on every case."""
    return duration.french()


def day(d: date) -> str:
    """:func:`cnpe_flow.rules.dates.fr` (JJ/MM/AAAA) without ``strftime``, which is slow."""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def euros(amount: Decimal) -> str:
    """French display in sentences: ``10 339 €``, ``2,80 €`` (narrow no-break spaces)."""
    whole = int(amount)
    if whole == amount:  # most amounts: whole euros (int formatting is the fast one)
        return f"{whole:,}".replace(",", "\u202f") + "\u00a0€"
    return f"{amount:,.2f}".replace(",", "\u202f").replace(".", ",") + "\u00a0€"


@lru_cache(maxsize=4096)
def money(amount: Decimal) -> str:
    """JSON amount: two decimals, dot (``"21.00"``)."""
    return f"{amount:.2f}"


@dataclass(slots=True)
class Situation:
    """What the rights read of the case on ``as_of``, worked out once per evaluation."""

    case: Case
    as_of: date
    household: Household | None
    #: has base rights outside custody on ``as_of`` (regular, or maintained after a permit)
    regular: bool
    #: the stay holding the person on ``as_of``, if any
    stay: Stay | None
    #: out of custody on ``as_of`` after at least one levée: the latest stay, ended
    released: Stay | None

    @property
    def cnpe(self) -> bool:
        """Affiliated to the CNPE on ``as_of``: in custody, not in an aménagement with activity
        (then the CPAM of residence, AFF-3)."""
        stay = self.stay
        if stay is None:
            return False
        active = False
        for ch in stay.changes:
            if (ch.effective or ch.date) > self.as_of:
                break
            if ch.type == "activity_start":
                active = True
            elif ch.type == "activity_end":
                active = False
        return not active

    @property
    def departement(self) -> str:
        """Of the residence postcode, or without one of the establishment holding or releasing
        the person ("" when neither is known)."""
        postcode = self.case.person.residence_postcode
        if postcode is not None:
            return postcode[:3] if postcode[:2] == "97" else postcode[:2]
        if self.stay is not None:
            return self.stay.establishment_on(self.as_of).departement
        if self.released is not None:
            return self.released.last_establishment.departement
        return ""


#: départements whose C2S ceilings are the overseas ones (reference-data §4.1: DOM incl. Mayotte)
DOM = frozenset({"971", "972", "973", "974", "976"})
MAYOTTE = "976"
ALSACE_MOSELLE = frozenset({"57", "67", "68"})


def situation(case: Case, regular: bool, household: Household | None) -> Situation:
    as_of = case.as_of
    stay = None
    last = None
    for s in case.stays:
        if s.ecrou.date > as_of:
            break
        last = s
        if s.end is None or as_of < s.end:
            stay = s
    return Situation(case, as_of, household, regular, stay, last if stay is None else None)


def territory(departement: str) -> str | None:
    """``metropole``, ``dom``, or None for a collectivité d'outre-mer (not in our sources)."""
    if departement in DOM:
        return "dom"
    if departement[:2] in ("97", "98"):
        return None
    return "metropole"

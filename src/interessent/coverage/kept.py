"""The coverage of a period kept in the store while the data is unchanged.

:func:`~interessent.coverage.reach.measure_coverage` keeps what it computed in the store's
kept results (:mod:`interessent.store.cache`, the table the rankings are kept in) under
the change counter it read before reading the data, and under a key naming everything
else the answer depends on: the plan's content (:func:`plan_digest`), the period, the
as-of day, the groups asked for, in order, the language its explanations are worded in,
and the package's version with the format of this module (:data:`FORMAT`). Names and
titles are the plan's own, read again from the plan (a text given per language stays
one). Run again with the data unchanged, it reads the answer back
instead of computing it: every write transaction moves the counter and deletes every kept
result, an erasure included, so an answer read back is the one it would compute now, and
nothing it names (the members a commitment still misses) outlives a change to the
register.

The answer is kept exactly: every count, every share and score as the float it was
(JSON keeps a float's every digit), each commitment with its windows. Anything that does
not read back as such an answer is ignored, and the coverage is computed again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from ..errors import NotFound
from ..i18n import current_language
from ..periods import Period
from ..plan import CommitmentKind, Plan
from .commitments import CommitmentStatus, Status, WindowResult, WindowState

T = TypeVar("T")

__all__ = ["FORMAT", "from_json", "key_of", "plan_digest", "to_json"]

#: Moves whenever what is kept, or how coverage is computed, changes in a way the package
#: version would not show (a checkout between releases).
FORMAT = 2


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("interessent")
    except PackageNotFoundError:  # a checkout on the path, not installed
        return "unknown"


def plan_digest(plan: Plan) -> str:
    """A digest of the plan's whole content (groups, rules, commitments, leader settings,
    coverage weights: everything coverage reads of it)."""
    return hashlib.sha256(repr(plan).encode("utf-8")).hexdigest()[:32]


def key_of(plan: Plan, period: Period, as_of: dt.date, groups: Sequence[str]) -> str:
    """The key the coverage of ``groups`` (in this order) in ``period`` on ``as_of`` is
    kept under."""
    return ":".join(["coverage", str(FORMAT), _version(), current_language(), plan_digest(plan),
                     period.start.isoformat(), period.end.isoformat(), as_of.isoformat(),
                     json.dumps(list(groups))])


def _period(p: Period) -> list[str]:
    return [p.start.isoformat(), p.end.isoformat()]


def _day(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def _window(w: WindowResult) -> dict[str, Any]:
    return {"period": _period(w.period), "expected": w.expected, "actual": w.actual,
            "logged": w.logged, "state": w.state.value, "missing": list(w.missing)}


def _status(c: CommitmentStatus) -> dict[str, Any]:
    return {"id": c.id, "title": c.title, "kind": c.kind.value, "groups": list(c.groups),
            "status": c.status.value, "expected": c.expected, "actual": c.actual,
            "logged": c.logged, "windows": [_window(w) for w in c.windows],
            "due": None if c.due is None else c.due.isoformat(), "missing": list(c.missing),
            "responsible": c.responsible, "explanation": c.explanation}


def to_json(result: Sequence[Any]) -> bytes:
    """The coverage (:class:`~interessent.coverage.reach.GroupCoverage` of each group) as
    JSON bytes, every value kept exactly."""
    rows = [{
        "key": g.key, "name": g.name, "period": _period(g.period), "as_of": g.as_of.isoformat(),
        "members": g.members, "reached_directly": g.reached_directly,
        "reached_through_network": g.reached_through_network,
        "direct_reach": g.direct_reach, "network_reach": g.network_reach,
        "leaders": g.leaders, "leaders_informed": g.leaders_informed,
        "broadcasts": dict(g.broadcasts), "commitments": [_status(c) for c in g.commitments],
        "score": g.score, "components": dict(g.components),
        "stances_known": g.stances_known, "supporting": g.supporting,
    } for g in result]
    return json.dumps({"format": FORMAT, "groups": rows}).encode("utf-8")


def _read_period(value: Any) -> Period:
    start, end = value
    return Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end))


def _read_status(c: dict[str, Any], plan: Plan) -> CommitmentStatus:
    windows = tuple(WindowResult(
        period=_read_period(w["period"]), expected=int(w["expected"]), actual=int(w["actual"]),
        logged=int(w["logged"]), state=WindowState(w["state"]), missing=tuple(w["missing"]),
    ) for w in c["windows"])
    return CommitmentStatus(
        id=c["id"], title=plan.commitment(c["id"]).title, kind=CommitmentKind(c["kind"]),
        groups=tuple(c["groups"]),
        status=Status(c["status"]), expected=int(c["expected"]), actual=int(c["actual"]),
        logged=int(c["logged"]), windows=windows, due=_day(c["due"]),
        missing=tuple(c["missing"]), responsible=c["responsible"], explanation=c["explanation"],
    )


def from_json(data: bytes, group: Callable[..., T], plan: Plan) -> list[T] | None:
    """The coverage :func:`to_json` wrote, each group made by ``group`` (the class
    :class:`~interessent.coverage.reach.GroupCoverage`), its names and titles from ``plan``;
    None for anything else."""
    try:
        found = json.loads(data)
        if not isinstance(found, dict) or found.get("format") != FORMAT:
            return None
        return [group(
            key=g["key"], name=plan.group(g["key"]).name, period=_read_period(g["period"]),
            as_of=dt.date.fromisoformat(g["as_of"]), members=int(g["members"]),
            reached_directly=int(g["reached_directly"]),
            reached_through_network=int(g["reached_through_network"]),
            direct_reach=float(g["direct_reach"]), network_reach=float(g["network_reach"]),
            leaders=int(g["leaders"]), leaders_informed=int(g["leaders_informed"]),
            broadcasts={str(k): int(v) for k, v in g["broadcasts"].items()},
            commitments=tuple(_read_status(c, plan) for c in g["commitments"]),
            score=float(g["score"]),
            components={str(k): None if v is None else float(v)
                        for k, v in g["components"].items()},
            stances_known=int(g["stances_known"]), supporting=int(g["supporting"]),
        ) for g in found["groups"]]
    except (ValueError, TypeError, KeyError, AttributeError, NotFound):
        return None

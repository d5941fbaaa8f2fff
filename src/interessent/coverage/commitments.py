"""Commitments: which promises the programme keeps.

**Commitments** are checked window by window. A commitment with a cadence (at least
``count`` per month, quarter, half-year or year) is cut into the calendar windows of its
cadence that overlap the period, the programme's dates and its phase. On the ``as_of``
day a window is *closed* (it ended before), *open* (it contains the day) or *future*.
A window is met when the interactions that count for it reach ``count`` (for
``per_member`` and ``leaders``: when every member was reached ``count`` times; for
``ratio``: when at least ``ratio`` of the window's interactions of kind ``of`` were
hosted by the ``host`` selection). ``expected`` adds up what the windows begun so far
ask for and ``actual`` what was done toward it (capped per window, so three articles in
January do not make up for none in February). The status:

=============  ============================================================================
not active     the commitment's phase or the programme does not overlap the period
not started    its windows in the period all lie after ``as_of``
met            every window so far is met
due            every closed window is met; the open one is not yet (``due`` is its last day)
behind         a window was missed, but the latest one was kept or the open one is met
               already; or a ratio's open window is below the ratio
overdue        the latest closed window was missed and nothing has been done since (the
               open window is not met yet); or a structural tie the plan requires is
               missing
=============  ============================================================================

What counts for a commitment: interactions tagged with its id, and interactions of the
kinds it lists in ``kinds``. For ``per_member`` and ``leaders`` commitments the member
must also have taken part (a person reached reaches their organisation too).
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from attrs import frozen

from ..graph import rank_leaders
from ..periods import Period, Unit
from ..plan import Commitment, CommitmentKind, Members, Plan
from .interaction_log import _Log

if TYPE_CHECKING:
    from ..workspace import Workspace

__all__ = ["CommitmentStatus", "Status", "WindowResult", "WindowState", "check_commitments"]


class Status(enum.StrEnum):
    MET = "met"
    DUE = "due"
    BEHIND = "behind"
    OVERDUE = "overdue"
    NOT_STARTED = "not started"
    NOT_ACTIVE = "not active"


class WindowState(enum.StrEnum):
    MET = "met"
    MISSED = "missed"
    OPEN = "open"
    FUTURE = "future"


@frozen
class WindowResult:
    """One cadence window of a commitment."""

    period: Period
    expected: int
    actual: int
    logged: int
    state: WindowState
    missing: tuple[str, ...] = ()


@frozen
class CommitmentStatus:
    """How one commitment stands in a period, on the ``as_of`` day."""

    id: str
    title: str
    kind: CommitmentKind
    groups: tuple[str, ...]
    status: Status
    expected: int
    actual: int
    logged: int
    windows: tuple[WindowResult, ...] = ()
    due: dt.date | None = None
    missing: tuple[str, ...] = ()
    responsible: str | None = None
    explanation: str = ""

    @property
    def fulfilment(self) -> float | None:
        """``min(1, actual / expected)``, or None where nothing is expected yet."""
        if self.status in (Status.NOT_ACTIVE, Status.NOT_STARTED):
            return None
        if self.expected <= 0:
            return 1.0 if self.status is Status.MET else 0.0
        return min(1.0, self.actual / self.expected)


# --- checking a commitment, window by window ----------------------------------------------


def _active_span(plan: Plan, c: Commitment, period: Period) -> Period | None:
    span: Period | None = period
    prog = plan.programme
    span = span.clip(Period(prog.start, prog.end or dt.date.max)) if span else None
    if span and c.phase:
        span = span.clip(plan.phase(c.phase).period)
    return span


def _windows(unit: Unit, span: Period) -> list[Period]:
    return [w.clip(span) or w for w in unit.windows(span)]


def _state(window: Period, as_of: dt.date, met: bool) -> WindowState:
    if window.start > as_of:
        return WindowState.FUTURE
    if window.end < as_of:
        return WindowState.MET if met else WindowState.MISSED
    return WindowState.MET if met else WindowState.OPEN


def _status(windows: Sequence[WindowResult], period: Period, as_of: dt.date, *,
            open_is_behind: bool = False) -> tuple[Status, dt.date | None]:
    if not windows:
        return Status.NOT_ACTIVE, None
    begun = [w for w in windows if w.state is not WindowState.FUTURE]
    if not begun:
        return Status.NOT_STARTED, None
    closed = [w for w in begun if w.period.end < as_of]
    open_ = [w for w in begun if w.period.end >= as_of]
    missed = [w for w in closed if w.state is WindowState.MISSED]
    pending = open_[0] if open_ and open_[0].state is WindowState.OPEN else None
    if missed:
        if closed[-1].state is WindowState.MISSED and period.end >= as_of and (
                pending is not None or not open_):
            return Status.OVERDUE, pending.period.end if pending else None
        return Status.BEHIND, pending.period.end if pending else None
    if pending is not None:
        return (Status.BEHIND if open_is_behind else Status.DUE), pending.period.end
    return Status.MET, None


def _evaluate(log: _Log, c: Commitment, period: Period, as_of: dt.date,
              leaders: Sequence[str]) -> CommitmentStatus:
    plan = log.plan
    base: dict[str, Any] = {"id": c.id, "title": c.title, "kind": c.kind, "groups": c.groups,
                            "responsible": c.responsible}
    span = _active_span(plan, c, period)
    if span is None:
        return CommitmentStatus(**base, status=Status.NOT_ACTIVE, expected=0, actual=0,
                                logged=0, explanation="not active in this period")
    seen = span.clip(Period(span.start, max(span.start, as_of)))
    assert seen is not None
    if c.kind is CommitmentKind.STRUCTURAL:
        on = min(as_of, period.end)
        ties = log.ties_exist(c, on)
        missing = tuple(t for t, ok in ties if not ok)
        status = Status.MET if not missing else Status.OVERDUE
        return CommitmentStatus(
            **base, status=status, expected=len(ties), actual=len(ties) - len(missing),
            logged=len(ties) - len(missing), missing=missing,
            explanation=("all required ties exist" if not missing
                         else "missing: " + "; ".join(missing)),
        )
    unit = c.cadence or Unit.YEAR
    windows = _windows(unit, span)
    if span.start > as_of:
        results = tuple(WindowResult(w, 0, 0, 0, WindowState.FUTURE) for w in windows)
        status, due_on = _status(results, period, as_of)
        return CommitmentStatus(**base, status=status, expected=0, actual=0, logged=0,
                                windows=results, explanation="its windows lie ahead")
    if c.kind is CommitmentKind.RATIO:
        return _evaluate_ratio(log, c, base, windows, period, as_of)
    if c.kind in (CommitmentKind.PER_MEMBER, CommitmentKind.LEADERS):
        if c.kind is CommitmentKind.PER_MEMBER:
            picked = log.select(c.members)
        else:
            picked = log.select(Members(ids=tuple(leaders)))
        contacts = log.contacts(picked, seen, c)
        results_list = []
        for w in windows:
            if w.start > as_of:
                results_list.append(WindowResult(w, 0, 0, 0, WindowState.FUTURE))
                continue
            per = {pk: sum(1 for d in contacts.get(pk, ()) if d in w and d <= as_of)
                   for pk in picked}
            missing = tuple(sorted(picked[pk] for pk, n in per.items() if n < c.count))
            actual = sum(min(n, c.count) for n in per.values())
            met = bool(picked) and not missing
            results_list.append(WindowResult(w, c.count * len(picked), actual,
                                             sum(per.values()), _state(w, as_of, met), missing))
        results = tuple(results_list)
        status, due_on = _status(results, period, as_of)
        last = next((r for r in reversed(results) if r.state is not WindowState.FUTURE), None)
        missing = last.missing if last else ()
        who = "leaders" if c.kind is CommitmentKind.LEADERS else "members"
        explanation = (f"{len(picked)} {who}, each {c.count} per {unit.value}"
                       + (f"; not yet reached: {', '.join(missing)}" if missing else ""))
        if not picked:
            explanation = f"no {who} selected"
        return _finish(base, results, status, due_on, missing, explanation)
    rows = log.counted(c, seen)  # sorted by date
    days = [d for d, _k, _h, _pk in rows]
    results_list = []
    for w in windows:
        if w.start > as_of:
            results_list.append(WindowResult(w, 0, 0, 0, WindowState.FUTURE))
            continue
        first = bisect.bisect_left(days, w.start)
        stop = bisect.bisect_right(days, min(w.end, as_of))
        inside = [(d, k) for d, k, _h, _pk in rows[first:stop]]
        logged = len(inside)
        met = logged >= c.count
        lacking: tuple[str, ...] = ()
        if c.including:
            kinds = {k for _, k in inside}
            lacking = tuple(k for k in c.including if k not in kinds)
            met = met and not lacking
        results_list.append(WindowResult(w, c.count, min(logged, c.count), logged,
                                         _state(w, as_of, met), lacking))
    results = tuple(results_list)
    status, due_on = _status(results, period, as_of)
    explanation = f"at least {c.count} per {unit.value}"
    if c.including:
        explanation += f", including {', '.join(c.including)}"
    if c.phase:
        explanation += f", in {plan.phase(c.phase).name.lower()}"
    return _finish(base, results, status, due_on, (), explanation)


def _evaluate_ratio(log: _Log, c: Commitment, base: dict[str, Any], windows: Sequence[Period],
                    period: Period, as_of: dt.date) -> CommitmentStatus:
    assert c.of is not None and c.ratio is not None
    hosts = set(log.select(c.host))
    span = Period(windows[0].start, max(windows[0].start, min(windows[-1].end, as_of)))
    rows = log.of_kind(c.of, span)
    results = []
    for w in windows:
        if w.start > as_of:
            results.append(WindowResult(w, 0, 0, 0, WindowState.FUTURE))
            continue
        inside = [h for d, h in rows if d in w and d <= as_of]
        hosted = sum(1 for h in inside if h in hosts)
        expected = math.ceil(c.ratio * len(inside))
        met = hosted >= expected
        results.append(WindowResult(w, expected, hosted, len(inside), _state(w, as_of, met)))
    status, due_on = _status(results, period, as_of, open_is_behind=True)
    total = sum(r.logged for r in results)
    hosted_total = sum(r.actual for r in results)
    explanation = (f"{hosted_total} of {total} {c.of.replace('_', ' ')}s hosted as required; "
                   f"at least {c.ratio:.0%} must be")
    return _finish(base, tuple(results), status, due_on, (), explanation)


def _finish(base: dict[str, Any], results: tuple[WindowResult, ...], status: Status,
            due_on: dt.date | None, missing: tuple[str, ...], explanation: str) -> (
    CommitmentStatus
):
    begun = [r for r in results if r.state is not WindowState.FUTURE]
    return CommitmentStatus(
        **base, status=status, expected=sum(r.expected for r in begun),
        actual=sum(r.actual for r in begun), logged=sum(r.logged for r in begun),
        windows=results, due=due_on, missing=missing, explanation=explanation,
    )


def check_commitments(
    ws: Workspace,
    period: Period,
    *,
    as_of: dt.date | None = None,
    ids: Sequence[str] | None = None,
) -> list[CommitmentStatus]:
    """Every commitment of the plan (or those named) checked for ``period`` on ``as_of``."""
    as_of = as_of or dt.date.today()
    plan = ws.plan
    chosen = [plan.commitment(i) for i in ids] if ids is not None else list(plan.commitments)
    leaders = {c.id: _commitment_leaders(ws, c, as_of) for c in chosen
               if c.kind is CommitmentKind.LEADERS}
    with ws.store.read() as session:
        log = _Log(ws, session)
        return [_evaluate(log, c, period, as_of, leaders.get(c.id, ())) for c in chosen]


def _commitment_leaders(ws: Workspace, c: Commitment, as_of: dt.date) -> list[str]:
    """The ``top`` opinion leaders across a commitment's groups (pinned ones first).

    The best N of the groups together are among the best N of each group, so merging the
    groups' rankings gives the same answer as ranking their union."""
    n = c.top or ws.plan.leaders.top
    best: dict[str, tuple[bool, float]] = {}
    for g in c.groups:
        for s in rank_leaders(ws, group=g, top=n, as_of=as_of):
            best[s.id] = (s.pinned, s.score)
    order = sorted(best, key=lambda i: (not best[i][0], -best[i][1], i))
    return order[:n]

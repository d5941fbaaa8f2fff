"""Commitments: which promises the programme keeps.

**Commitments** are checked window by window. A commitment with a cadence (at least
``count`` per month, quarter, half-year or year) has the calendar windows of its cadence,
within the programme's dates and its phase. A period chooses which of them are shown
(those that overlap it) and never cuts one short: seen from the second half-year, a
yearly commitment is judged on the whole year. Only contacts up to the ``as_of`` day
count. On that day a window is *closed* (it ended before), *open* (it contains the day)
or *future*.

A window is met when the contacts that count for it reach ``count`` (for ``per_member``
and ``leaders``: when every member was reached ``count`` times; for ``ratio``: when at
least ``ratio`` of the window's interactions of kind ``of`` were hosted by the ``host``
selection). ``expected`` adds up what the windows begun so far ask for and ``actual``
what was done toward it (capped per window, so three articles in January do not make up
for none in February). The status:

=============  ============================================================================
not active     the commitment's phase or the programme does not overlap the period
not started    its windows in the period all lie after ``as_of``
met            every window so far is met
due            every closed window is met; the open one is not yet (``due`` is its last day)
behind         a window was missed, but the latest one was kept or the open one is met
               already (or no window is open any more); or a ratio's open window is below
               the ratio
overdue        the latest closed window was missed and nothing has been done since (the
               open window is not met yet); or a structural tie the plan requires is
               missing
=============  ============================================================================

What counts for a commitment: contacts tagged with its id, and contacts its selector
matches (``kinds``, ``participants``, ``audience``: every criterion given must hold).
Per-member and leaders commitments count direct contact by default, and a member counts
as reached when anyone of its party took part (see :mod:`.interaction_log`).
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import frozen

from ..i18n import gettext, kind_word, localized, ngettext, per_unit
from ..periods import Period, Unit
from ..plaindata import plain
from ..plan import Commitment, CommitmentKind, Members, Plan
from .interaction_log import _Counted, _Log, _Reach, _Tally, keeping

if TYPE_CHECKING:
    from ..workspace import Workspace

_C = TypeVar("_C", bound="_Counted | _Tally")

__all__ = ["CommitmentStatus", "Status", "WindowResult", "WindowState", "check_commitments",
           "check_each"]


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

    def to_dict(self) -> dict[str, Any]:
        """Plain data (the JSON of ``coverage --commitment``): id, title, status, counts,
        the due day as ISO text, the groups or members missing and why."""
        return {"id": self.id, "title": self.title, "status": self.status.value,
                "expected": self.expected, "actual": self.actual, "logged": self.logged,
                "due": plain(self.due), "responsible": self.responsible,
                "missing": list(self.missing), "explanation": self.explanation}


@frozen
class _Window:
    """What one window counted: its contacts (for a ratio, the contacts of kind ``of``);
    for per-member and leaders commitments, each member's id and its contacts."""

    contacts: tuple[_Counted, ...] = ()
    members: tuple[tuple[str, tuple[_Reach, ...]], ...] = ()
    tally: tuple[int, tuple[int, ...]] | None = None
    """When ``members`` holds only the first members (``members_shown``): how many
    members in all, and how many contacts reached each member held, in this window."""
    counted: int | None = None
    """When ``contacts`` holds only the first contacts (``contacts_shown``): how many
    counted in all."""


@frozen
class _Checked:
    """A commitment's status with what each of its windows counted, and for a structural
    commitment each required tie and whether it exists."""

    status: CommitmentStatus
    details: tuple[_Window, ...] = ()
    ties: tuple[tuple[str, bool], ...] = ()
    hosts: frozenset[int] = frozenset()


# --- the windows of a commitment ----------------------------------------------------------


def _own_span(plan: Plan, c: Commitment) -> Period | None:
    """The days a commitment runs: the programme's, within its phase."""
    prog = plan.programme
    span: Period | None = Period(prog.start, prog.end or dt.date.max)
    if span and c.phase:
        span = span.clip(plan.phase(c.phase).period)
    return span


def commitment_windows(plan: Plan, c: Commitment, period: Period) -> list[Period]:
    """The windows of ``c`` that ``period`` shows: each window of its cadence that
    overlaps the period within the commitment's own span, whole (cut only where the
    programme or the phase begins or ends, never where the period does)."""
    own = _own_span(plan, c)
    shown = own.clip(period) if own else None
    if own is None or shown is None:
        return []
    unit = c.cadence or Unit.YEAR
    return [w.clip(own) or w for w in unit.windows(shown)]


def _state(window: Period, as_of: dt.date, met: bool) -> WindowState:
    if window.start > as_of:
        return WindowState.FUTURE
    if window.end < as_of:
        return WindowState.MET if met else WindowState.MISSED
    return WindowState.MET if met else WindowState.OPEN


def _status(windows: Sequence[WindowResult], as_of: dt.date, *,
            open_is_behind: bool = False) -> tuple[Status, dt.date | None]:
    """The status the windows shown give on ``as_of``: it depends on those windows only,
    never on the period that chose them."""
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
        if closed[-1].state is WindowState.MISSED and pending is not None:
            return Status.OVERDUE, pending.period.end
        return Status.BEHIND, pending.period.end if pending else None
    if pending is not None:
        return (Status.BEHIND if open_is_behind else Status.DUE), pending.period.end
    return Status.MET, None


# --- checking a commitment, window by window ----------------------------------------------


def _evaluate(log: _Log, c: Commitment, period: Period, as_of: dt.date,
              leaders: Sequence[str], explain: bool = True,
              members_shown: int | None = None, contacts_shown: int | None = None) -> (
    _Checked
):
    plan = log.plan
    base: dict[str, Any] = {"id": c.id, "title": c.title, "kind": c.kind, "groups": c.groups,
                            "responsible": c.responsible}
    windows = commitment_windows(plan, c, period)
    if not windows:
        return _Checked(CommitmentStatus(**base, status=Status.NOT_ACTIVE, expected=0,
                                         actual=0, logged=0,
                                         explanation=gettext("not active in this period")))
    if c.kind is CommitmentKind.STRUCTURAL:
        ties = log.ties_exist(c, min(as_of, period.end))
        missing = tuple(t for t, ok in ties if not ok)
        status = Status.MET if not missing else Status.OVERDUE
        return _Checked(CommitmentStatus(
            **base, status=status, expected=len(ties), actual=len(ties) - len(missing),
            logged=len(ties) - len(missing), missing=missing,
            explanation=(gettext("all required ties exist") if not missing
                         else gettext("missing: {ties}").format(ties="; ".join(missing))),
        ), ties=tuple(ties))
    unit = c.cadence or Unit.YEAR
    if windows[0].start > as_of:
        ahead = tuple(WindowResult(w, 0, 0, 0, WindowState.FUTURE) for w in windows)
        return _Checked(CommitmentStatus(**base, status=Status.NOT_STARTED, expected=0,
                                         actual=0, logged=0, windows=ahead,
                                         explanation=gettext("its windows lie ahead")),
                        tuple(_Window() for _ in windows))
    seen = Period(windows[0].start, min(windows[-1].end, as_of))
    if c.kind is CommitmentKind.RATIO:
        return _evaluate_ratio(log, c, base, windows, seen, as_of)
    if c.kind in (CommitmentKind.PER_MEMBER, CommitmentKind.LEADERS):
        return _evaluate_members(log, c, base, windows, seen, as_of, leaders, explain,
                                 members_shown)
    # By date: the contacts themselves to explain; for a status, how many of each kind
    # counted each day (read and counted in SQL).
    # With ``contacts_shown``, each window's first contacts are read on their own.
    whole = explain and contacts_shown is None
    rows: Sequence[_Counted | _Tally] = log.counted(c, seen) if whole else log.tallied(c, seen)
    results: list[WindowResult] = []
    details: list[_Window] = []
    begun = [Period(w.start, min(w.end, as_of)) for w in windows if w.start <= as_of]
    firsts = (log.counted_first_each(c, begun, contacts_shown)
              if explain and not whole and contacts_shown else [[] for _ in begun])
    for n, w in enumerate(windows):
        if w.start > as_of:
            results.append(WindowResult(w, 0, 0, 0, WindowState.FUTURE))
            details.append(_Window())
            continue
        inside = _within(rows, w)
        logged = sum(r.n if isinstance(r, _Tally) else 1 for r in inside)
        met = logged >= c.count
        lacking: tuple[str, ...] = ()
        if c.including:
            kinds = {r.kind for r in inside}
            lacking = tuple(k for k in c.including if k not in kinds)
            met = met and not lacking
        results.append(WindowResult(w, c.count, min(logged, c.count), logged,
                                    _state(w, as_of, met), lacking))
        if whole or not explain:
            details.append(_Window(tuple(r for r in inside if isinstance(r, _Counted))))
        else:
            details.append(_Window(tuple(firsts[n]), counted=logged))
    status, due_on = _status(results, as_of)
    explanation = gettext("at least {count} {per}").format(count=c.count,
                                                           per=per_unit(unit.value))
    if c.including:
        named = plan.all_interaction_kinds
        explanation += gettext(", including {kinds}").format(
            kinds=", ".join(kind_word(k, named) for k in c.including))
    if c.phase:
        explanation += gettext(", in {phase}").format(
            phase=localized(plan.phase(c.phase).name).lower())
    return _Checked(_finish(base, tuple(results), status, due_on, (), explanation),
                    tuple(details))


def _evaluate_members(log: _Log, c: Commitment, base: dict[str, Any],
                      windows: Sequence[Period], seen: Period, as_of: dt.date,
                      leaders: Sequence[str], explain: bool = True,
                      members_shown: int | None = None) -> _Checked:
    """Each member (or leader) reached ``count`` times per window, by party. Without
    ``explain``, only each member's days are read, not which contacts they were; with
    ``members_shown``, which contacts they were only for that many members (the first by
    id), the others' days counted."""
    selector = c.members if c.kind is CommitmentKind.PER_MEMBER else Members(
        ids=tuple(leaders))
    picked = log.select(selector)
    order = sorted(picked, key=lambda pk: picked[pk])
    whole = explain and members_shown is None
    reached = log.reached(picked, seen, c, selector=selector) if whole else {}
    if whole:
        days = {pk: [r.date for r in hits] for pk, hits in reached.items()}
        log.keep_days(picked, seen, c, selector, days)
    else:
        days = log.reached_days(picked, seen, c, selector=selector)
    listed = order if members_shown is None else order[:members_shown]
    if explain and not whole and listed:
        reached = log.reached({pk: picked[pk] for pk in listed}, seen, c)
    results, details = [], []
    for w in windows:
        if w.start > as_of:
            results.append(WindowResult(w, 0, 0, 0, WindowState.FUTURE))
            details.append(_Window())
            continue
        counts = {pk: _days_within(days.get(pk, ()), w) for pk in order}
        missing = tuple(sorted(picked[pk] for pk, n in counts.items() if n < c.count))
        actual = sum(min(n, c.count) for n in counts.values())
        met = bool(picked) and not missing
        results.append(WindowResult(w, c.count * len(picked), actual, sum(counts.values()),
                                    _state(w, as_of, met), missing))
        if explain:
            details.append(_Window((), tuple(
                (picked[pk], tuple(r for r in reached.get(pk, ()) if r.date in w))
                for pk in listed), None if whole else (
                len(order), tuple(counts[pk] for pk in listed))))
        else:
            details.append(_Window())
    status, due_on = _status(results, as_of)
    last = next((r for r in reversed(results) if r.state is not WindowState.FUTURE), None)
    missing = last.missing if last else ()
    unit = c.cadence or Unit.YEAR
    if c.kind is CommitmentKind.LEADERS:
        explanation = ngettext("{n} opinion leader, each {count} {per}",
                               "{n} opinion leaders, each {count} {per}", len(picked))
    else:
        explanation = ngettext("{n} member, each {count} {per}",
                               "{n} members, each {count} {per}", len(picked))
    explanation = explanation.format(n=len(picked), count=c.count, per=per_unit(unit.value))
    if missing:
        explanation += gettext("; not yet reached: {names}").format(
            names=", ".join(_names(log, missing)))
    if not picked:
        explanation = (gettext("no opinion leaders selected")
                       if c.kind is CommitmentKind.LEADERS else gettext("no members selected"))
    return _Checked(_finish(base, tuple(results), status, due_on, missing, explanation),
                    tuple(details))


def _names(log: _Log, ids: Sequence[str]) -> list[str]:
    """The names of the stakeholders ``ids``, for a sentence people read (the ids stay
    in ``missing``)."""
    named = log.names(ids)
    return [named.get(i, i) for i in ids]


def _evaluate_ratio(log: _Log, c: Commitment, base: dict[str, Any], windows: Sequence[Period],
                    seen: Period, as_of: dt.date) -> _Checked:
    assert c.of is not None and c.ratio is not None
    hosts = frozenset(log.select(c.host))
    rows = log.of_kind(c.of, seen)
    results, details = [], []
    for w in windows:
        if w.start > as_of:
            results.append(WindowResult(w, 0, 0, 0, WindowState.FUTURE))
            details.append(_Window())
            continue
        inside = _within(rows, w)
        hosted = sum(1 for r in inside if r.host in hosts)
        expected = math.ceil(c.ratio * len(inside))
        met = hosted >= expected
        results.append(WindowResult(w, expected, hosted, len(inside), _state(w, as_of, met)))
        details.append(_Window(inside))
    status, due_on = _status(results, as_of, open_is_behind=True)
    total = sum(r.logged for r in results)
    hosted_total = sum(r.actual for r in results)
    explanation = gettext("{hosted} of {total} ({kind}) hosted as required; at least "
                          "{ratio:.0%} must be").format(
        hosted=hosted_total, total=total, kind=kind_word(c.of, log.plan.all_interaction_kinds),
        ratio=c.ratio)
    return _Checked(_finish(base, tuple(results), status, due_on, (), explanation),
                    tuple(details), hosts=hosts)


def _days_within(days: Sequence[dt.date], window: Period) -> int:
    """How many of ``days`` (sorted) fall in ``window``."""
    return bisect.bisect_right(days, window.end) - bisect.bisect_left(days, window.start)


def _within(rows: Sequence[_C], window: Period) -> tuple[_C, ...]:
    """The contacts or tallies (sorted by date) that fall in ``window``."""
    first = bisect.bisect_left(rows, window.start, key=lambda r: r.date)
    stop = bisect.bisect_right(rows, window.end, key=lambda r: r.date)
    return tuple(rows[first:stop])


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


def _check(ws: Workspace, period: Period, as_of: dt.date | None,
           ids: Sequence[str] | None, *, explain: bool = True,
           members_shown: int | None = None,
           contacts_shown: int | None = None) -> list[_Checked]:
    """Each commitment (or those named) checked; with ``explain``, with what each window
    counted."""
    as_of = as_of or dt.date.today()
    plan = ws.plan
    chosen = [plan.commitment(i) for i in ids] if ids is not None else list(plan.commitments)
    leaders = {c.id: _commitment_leaders(ws, c, as_of) for c in chosen
               if c.kind is CommitmentKind.LEADERS}
    with ws.store.read() as session:
        log = _Log(ws, session)
        return [_evaluate(log, c, period, as_of, leaders.get(c.id, ()), explain,
                          members_shown, contacts_shown) for c in chosen]


def check_commitments(
    ws: Workspace,
    period: Period,
    *,
    as_of: dt.date | None = None,
    ids: Sequence[str] | None = None,
) -> list[CommitmentStatus]:
    """Every commitment of the plan (or those named), each judged on its own windows that
    ``period`` shows, on ``as_of``."""
    return [checked.status for checked in _check(ws, period, as_of, ids, explain=False)]


def check_each(ws: Workspace, days: Sequence[tuple[Period, dt.date]]) -> list[
    list[CommitmentStatus]
]:
    """:func:`check_commitments` for each (period, as-of day) of ``days``, together: each
    commitment's contacts are read once, for the latest day, and the other days take
    theirs from them (a contact counts or not by itself, whatever the day it is seen
    from), so a report's series costs about one check."""
    plan = ws.plan
    chosen = list(plan.commitments)
    leaders = [{c.id: _commitment_leaders(ws, c, on) for c in chosen
                if c.kind is CommitmentKind.LEADERS} for _, on in days]
    out: list[list[CommitmentStatus]] = [[] for _ in days]
    with keeping(), ws.store.read() as session:
        log = _Log(ws, session)
        for n in sorted(range(len(days)), key=lambda n: days[n][1], reverse=True):
            period, on = days[n]
            out[n] = [_evaluate(log, c, period, on, leaders[n].get(c.id, ()), False).status
                      for c in chosen]
    return out


def _commitment_leaders(ws: Workspace, c: Commitment, as_of: dt.date) -> list[str]:
    """The ``top`` opinion leaders across a commitment's groups (pinned ones first).

    The best N of the groups together are among the best N of each group, so merging the
    groups' rankings gives the same answer as ranking their union."""
    # Deferred: see interessent.coverage.reach._leaders_by_group.
    from ..graph import rank_leaders

    n = c.top or ws.plan.leaders.top
    best: dict[str, tuple[bool, float]] = {}
    for g in c.groups:
        for s in rank_leaders(ws, group=g, top=n, as_of=as_of):
            best[s.id] = (s.pinned, s.score)
    order = sorted(best, key=lambda i: (not best[i][0], -best[i][1], i))
    return order[:n]

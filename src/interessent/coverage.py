"""Coverage and compliance: whom the programme reached, and which promises it keeps.

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

**Reach** of a target group in a period (only interactions up to ``as_of``):

- *reached directly*: members who took part in an interaction, hosted one, or whose
  organisation's people took part;
- *direct reach*: the reached members' share of the group, weighted by declared
  influence (1–5; a member without one weighs 3);
- *network reach*: every member counts with ``max(1 if reached directly, strength of
  its strongest active tie to anyone reached)``, weighted the same way — a member whose
  neighbour was met is partly informed, as much as the tie is strong;
- *leaders informed*: the share of the group's top opinion leaders reached directly;
- *broadcast touchpoints*: interactions that addressed the group as an audience
  (articles, posts, the website), by channel.

**Score** in [0, 1] = the plan's ``[coverage]`` weights (``direct``, ``network``,
``leaders``, ``commitments``; normalised to sum to one) applied to direct reach, network
reach, the share of leaders informed and the commitments' fulfilment (the mean of
``min(1, actual / expected)`` over the group's commitments that have begun). A part that
does not apply (no leaders, no commitment begun) gives its weight to the others.
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
from attrs import field, frozen
from sqlalchemy import bindparam, text

from .periods import Period, Unit
from .plan import Commitment, CommitmentKind, Members, Plan, TargetGroup

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .workspace import Workspace

__all__ = [
    "CommitmentStatus",
    "Contact",
    "DueItem",
    "Dues",
    "GroupCoverage",
    "Status",
    "WindowResult",
    "check_commitments",
    "coverage",
    "due",
]

NEUTRAL_INFLUENCE = 3


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


@frozen
class GroupCoverage:
    """Coverage of one target group in a period."""

    key: str
    name: str
    period: Period
    as_of: dt.date
    members: int
    reached_directly: int
    reached_through_network: int
    direct_reach: float
    network_reach: float
    leaders: int
    leaders_informed: int
    broadcasts: Mapping[str, int]
    commitments: tuple[CommitmentStatus, ...]
    score: float
    components: Mapping[str, float | None] = field(factory=dict)

    @property
    def leader_share(self) -> float | None:
        return self.leaders_informed / self.leaders if self.leaders else None

    @property
    def touchpoints(self) -> int:
        return sum(self.broadcasts.values())


# --- SQL ----------------------------------------------------------------------------------


def members_sql(group: TargetGroup, n: int) -> tuple[str, dict[str, Any], list[str]]:
    """A SELECT of the pks of a group's members: registered, or by the group's rule."""
    rule = group.rule
    params: dict[str, Any] = {f"g{n}": group.key}
    expanding: list[str] = []
    parts = [f"SELECT stakeholder_pk AS pk FROM stakeholder_groups WHERE group_key = :g{n}"]

    def add(sql: str, name: str, values: Sequence[str]) -> None:
        if values:
            params[name] = list(values)
            expanding.append(name)
            parts.append(sql)

    add(f"SELECT pk FROM stakeholders WHERE id IN :ids{n}", f"ids{n}", rule.ids)
    add(f"SELECT stakeholder_pk FROM stakeholder_roles WHERE role IN :roles{n}", f"roles{n}",
        rule.roles)
    add(f"SELECT stakeholder_pk FROM stakeholder_tags WHERE tag IN :tags{n}", f"tags{n}",
        rule.tags)
    add(f"SELECT stakeholder_pk FROM stakeholder_groups WHERE group_key IN :rg{n}", f"rg{n}",
        rule.groups)
    add(f"SELECT pk FROM stakeholders WHERE kind IN :kinds{n}", f"kinds{n}", rule.kinds)
    return " UNION ".join(parts), params, expanding


def reached_sql(dialect: str) -> str:
    """CTEs ``win`` (interactions in the period) and ``reached`` (stakeholders reached
    directly: participants, hosts and the organisations of participants).

    The participants are made distinct before their organisations are looked up, and the
    CTEs are materialised: at 1.6 million participant rows this is four times faster on
    SQLite. ``CROSS JOIN`` tells SQLite's planner to drive from the period's interactions;
    PostgreSQL plans the plain join the same way."""
    join = "CROSS JOIN" if dialect == "sqlite" else "JOIN"
    return f"""
win AS MATERIALIZED (SELECT pk, host_pk FROM interactions
                     WHERE date >= :start AND date <= :end),
people AS MATERIALIZED (
    SELECT DISTINCT p.stakeholder_pk AS pk FROM win
    {join} interaction_participants p ON p.interaction_pk = win.pk),
reached AS MATERIALIZED (
    SELECT pk FROM people
    UNION SELECT host_pk FROM win WHERE host_pk IS NOT NULL
    UNION SELECT s.organisation_pk FROM people JOIN stakeholders s ON s.pk = people.pk
          WHERE s.organisation_pk IS NOT NULL)"""


_ACTIVE = ("(rel.start IS NULL OR rel.start <= :end) AND (rel.\"end\" IS NULL "
           "OR rel.\"end\" >= :start)")


def _reach_sql(groups: Sequence[TargetGroup], dialect: str = "sqlite") -> tuple[Any, dict[
    str, Any
]]:
    """One query: per group, members, weights, direct and network reach.

    Ties are looked up only for members not reached directly (for the others the
    network adds nothing), from the member's end of the tie; the unary ``+`` keeps
    SQLite from using the other end's index."""
    selects, params, expanding = [], {}, []
    for n, group in enumerate(groups):
        sql, p, e = members_sql(group, n)
        selects.append(f"SELECT CAST(:k{n} AS VARCHAR(100)) AS gkey, pk FROM ({sql}) AS m{n}")
        params.update(p)
        params[f"k{n}"] = group.key
        expanding += e
    members = " UNION ALL ".join(selects)
    sql = f"""
WITH {reached_sql(dialect)},
members AS ({members}),
unreached AS MATERIALIZED (SELECT DISTINCT pk FROM members WHERE pk NOT IN
                           (SELECT pk FROM reached)),
ties AS (
    SELECT u.pk AS pk, rel.strength AS strength FROM unreached u
        JOIN relationships rel ON rel.source_pk = u.pk
        WHERE +rel.target_pk IN (SELECT pk FROM reached) AND {_ACTIVE}
    UNION ALL
    SELECT u.pk, rel.strength FROM unreached u
        JOIN relationships rel ON rel.target_pk = u.pk
        WHERE +rel.source_pk IN (SELECT pk FROM reached) AND {_ACTIVE}
),
best AS MATERIALIZED (SELECT pk, MAX(strength) AS strength FROM ties GROUP BY pk),
rows AS (
    SELECT m.gkey AS gkey,
           COALESCE(s.influence, {NEUTRAL_INFLUENCE}) AS w,
           CASE WHEN m.pk IN (SELECT pk FROM reached) THEN 1 ELSE 0 END AS direct,
           COALESCE(b.strength, 0) AS tie
    FROM members m
    JOIN stakeholders s ON s.pk = m.pk
    LEFT JOIN best b ON b.pk = m.pk
)
SELECT gkey, COUNT(*) AS members, SUM(w) AS weight, SUM(direct) AS reached,
       SUM(w * direct) AS direct_weight,
       SUM(CASE WHEN direct = 1 THEN w ELSE w * tie END) AS network_weight,
       SUM(CASE WHEN direct = 0 AND tie > 0 THEN 1 ELSE 0 END) AS through_network
FROM rows GROUP BY gkey
"""
    stmt = text(sql).bindparams(*(bindparam(name, expanding=True) for name in expanding))
    return stmt, params


# --- the log, as commitments see it -------------------------------------------------------


class _Log:
    """Queries over the interaction log for one evaluation."""

    def __init__(self, ws: Workspace, session: Session) -> None:
        self.ws = ws
        self.plan: Plan = ws.plan
        self.s = session

    @staticmethod
    def _counting(c: Commitment) -> tuple[str, dict[str, Any], list[Any]]:
        """A SELECT of (pk, date, kind, host_pk) of the interactions in [:start, :end] that
        count for ``c``: those tagged with it, found through the tag index, and those of
        its ``kinds``. (Testing each of a year's interactions for a tag instead cost a
        second per commitment at a million interactions.)"""
        sql = ("SELECT i.pk AS pk, i.date AS date, i.kind AS kind, i.host_pk AS host_pk "
               "FROM interaction_commitments t JOIN interactions i ON i.pk = t.interaction_pk "
               "WHERE t.commitment_id = :c AND i.date >= :start AND i.date <= :end")
        params: dict[str, Any] = {"c": c.id}
        binds: list[Any] = []
        if c.kinds:
            sql += (" UNION SELECT i.pk, i.date, i.kind, i.host_pk FROM interactions i "
                    "WHERE i.kind IN :kinds AND i.date >= :start AND i.date <= :end")
            params["kinds"] = list(c.kinds)
            binds.append(bindparam("kinds", expanding=True))
        return sql, params, binds

    def counted(self, c: Commitment, span: Period) -> list[tuple[dt.date, str, int | None, int]]:
        """(date, kind, host_pk, pk) of interactions that count for ``c`` within ``span``."""
        sql, params, binds = self._counting(c)
        stmt = text(f"SELECT x.date, x.kind, x.host_pk, x.pk FROM ({sql}) AS x "
                    "ORDER BY x.date, x.pk").bindparams(*binds)
        rows = self.s.execute(stmt, {**params, "start": span.start, "end": span.end})
        return [(_date(d), k, h, pk) for d, k, h, pk in rows]

    def of_kind(self, kind: str, span: Period) -> list[tuple[dt.date, int | None]]:
        stmt = text("SELECT date, host_pk FROM interactions WHERE kind = :k "
                    "AND date >= :start AND date <= :end ORDER BY date")
        rows = self.s.execute(stmt, {"k": kind, "start": span.start, "end": span.end})
        return [(_date(d), h) for d, h in rows]

    def select(self, sel: Members) -> dict[int, str]:
        """pk → id of the stakeholders a selector picks."""
        # No plan key is empty, so the registered-members part selects nobody (a NUL key
        # would too, but PostgreSQL text cannot hold NUL).
        group = TargetGroup(key="", name="", rule=sel)
        sql, params, expanding = members_sql(group, 0)
        stmt = text(f"SELECT s.pk, s.id FROM stakeholders s WHERE s.pk IN ({sql})").bindparams(
            *(bindparam(n, expanding=True) for n in expanding))
        return {pk: sid for pk, sid in self.s.execute(stmt, params)}

    def contacts(self, pks: Iterable[int], span: Period, c: Commitment | None) -> dict[
        int, list[dt.date]
    ]:
        """Dates on which each of ``pks`` was reached directly (or through its people), by
        interactions that count for ``c``; with ``c`` None, by any interaction, and only
        the first date (enough to tell whether)."""
        wanted = set(pks)
        if not wanted:
            return {}
        params: dict[str, Any] = {"start": span.start, "end": span.end}
        binds: list[Any] = []
        if c is not None:
            counting, extra, binds = self._counting(c)
            params.update(extra)
            source = "counted"
            head = f"WITH counted AS MATERIALIZED ({counting}) "
            dated = ""
        else:
            source, head = "interactions", ""
            dated = "AND i.date >= :start AND i.date <= :end"
        # A few stakeholders are looked up in SQL; many are filtered here (an IN list of
        # tens of thousands would exceed SQLite's limit on bound parameters). The unary +
        # keeps SQLite from probing the participants' key once per interaction and person.
        few = len(wanted) <= 2_000
        if few:
            params["pks"] = sorted(wanted)
            binds.append(bindparam("pks", expanding=True))
        # From the counted interactions, look the few people up by interaction (the +);
        # over all interactions, look the interactions up by person (the index).
        plus = "+" if c is not None else ""

        def only(column: str) -> str:
            return f"AND {plus}{column} IN :pks" if few else ""

        sql = f"""{head}
            SELECT p.stakeholder_pk AS who, i.date AS date FROM {source} i
                JOIN interaction_participants p ON p.interaction_pk = i.pk
                WHERE 1 = 1 {dated} {only("p.stakeholder_pk")}
            UNION ALL
            SELECT s.organisation_pk, i.date FROM {source} i
                JOIN interaction_participants p ON p.interaction_pk = i.pk
                JOIN stakeholders s ON s.pk = p.stakeholder_pk
                WHERE s.organisation_pk IS NOT NULL {dated} {only("s.organisation_pk")}
            UNION ALL
            SELECT i.host_pk, i.date FROM {source} i
                WHERE i.host_pk IS NOT NULL {dated} {only("i.host_pk")}"""
        if c is None:  # whether and when first, not every date: one row a person
            sql = f"SELECT x.who, MIN(x.date) FROM ({sql}) AS x GROUP BY x.who"
        out: dict[int, list[dt.date]] = defaultdict(list)
        for who, day in self.s.execute(text(sql).bindparams(*binds), params):
            if who in wanted:
                out[who].append(_date(day))
        return out

    def ties_exist(self, c: Commitment, on: dt.date) -> list[tuple[str, bool]]:
        result = []
        for tie in c.requires:
            found = self.s.execute(
                text("""SELECT 1 FROM relationships rel
                        JOIN stakeholders a ON a.pk = rel.source_pk
                        JOIN stakeholders b ON b.pk = rel.target_pk
                        WHERE a.id = :a AND b.id = :b AND rel.kind = :k
                          AND (rel.start IS NULL OR rel.start <= :d)
                          AND (rel."end" IS NULL OR rel."end" >= :d)"""),
                {"a": tie.source, "b": tie.target, "k": tie.kind, "d": on},
            ).first()
            result.append((f"{tie.source} {tie.kind} {tie.target}", found is not None))
        return result


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


# --- commitments --------------------------------------------------------------------------


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


def _leaders_by_group(ws: Workspace, groups: Iterable[str], as_of: dt.date,
                      top: int | None = None) -> dict[str, list[str]]:
    from .graph import rank_leaders

    n = top or ws.plan.leaders.top
    return {g: [s.id for s in rank_leaders(ws, group=g, top=n, as_of=as_of)] for g in groups}


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
    from .graph import rank_leaders

    n = c.top or ws.plan.leaders.top
    best: dict[str, tuple[bool, float]] = {}
    for g in c.groups:
        for s in rank_leaders(ws, group=g, top=n, as_of=as_of):
            best[s.id] = (s.pinned, s.score)
    order = sorted(best, key=lambda i: (not best[i][0], -best[i][1], i))
    return order[:n]


# --- coverage -----------------------------------------------------------------------------


def coverage(
    ws: Workspace,
    period: Period,
    *,
    as_of: dt.date | None = None,
    groups: Sequence[str] | None = None,
) -> list[GroupCoverage]:
    """Coverage of each target group (or those named) in ``period``, as of ``as_of``."""
    as_of = as_of or dt.date.today()
    plan = ws.plan
    chosen = [plan.group(g) for g in groups] if groups else list(plan.groups)
    seen_end = min(period.end, as_of)
    leaders = _leaders_by_group(ws, [g.key for g in chosen], as_of)
    statuses = {c.id: c for c in check_commitments(ws, period, as_of=as_of)}
    with ws.store.read() as session:
        stmt, params = _reach_sql(chosen, session.get_bind().dialect.name)
        params.update(start=period.start, end=seen_end)
        reach = {row.gkey: row for row in session.execute(stmt, params)} if (
            period.start <= seen_end) else {}
        log = _Log(ws, session)
        everyone = log.select(Members(ids=tuple({i for g in chosen for i in leaders[g.key]})))
        span = Period(period.start, max(period.start, seen_end))
        hits = log.contacts(everyone, span, None) if period.start <= seen_end else {}
        reached_ids = {sid for pk, sid in everyone.items() if hits.get(pk)}
        informed = {g.key: sum(1 for i in leaders[g.key] if i in reached_ids) for g in chosen}
        broadcasts = _broadcasts(session, chosen, period.start, seen_end)
    out = []
    for g in chosen:
        row = reach.get(g.key)
        weight = float(row.weight or 0) if row else 0.0
        direct = float(row.direct_weight or 0) / weight if row and weight else 0.0
        network = float(row.network_weight or 0) / weight if row and weight else 0.0
        mine = tuple(statuses[c.id] for c in plan.commitments if g.key in c.groups)
        fulfil = [f for f in (c.fulfilment for c in mine) if f is not None]
        n_leaders = len(leaders[g.key])
        components: dict[str, float | None] = {
            "direct": direct,
            "network": network,
            "leaders": informed[g.key] / n_leaders if n_leaders else None,
            "commitments": sum(fulfil) / len(fulfil) if fulfil else None,
        }
        out.append(GroupCoverage(
            key=g.key, name=g.name, period=period, as_of=as_of,
            members=int(row.members) if row else _count_members(ws, g),
            reached_directly=int(row.reached or 0) if row else 0,
            reached_through_network=int(row.through_network or 0) if row else 0,
            direct_reach=direct, network_reach=network, leaders=n_leaders,
            leaders_informed=informed[g.key], broadcasts=broadcasts.get(g.key, {}),
            commitments=mine, score=score(components, plan), components=components,
        ))
    return out


def score(components: Mapping[str, float | None], plan: Plan) -> float:
    """The weighted score; parts that do not apply give their weight to the others."""
    w = plan.coverage
    weights = {"direct": w.direct, "network": w.network, "leaders": w.leaders,
               "commitments": w.commitments}
    used = {k: weights[k] for k, v in components.items() if v is not None and weights[k] > 0}
    total = sum(used.values())
    if total <= 0:
        return 0.0
    value = sum(weights[k] * float(components[k] or 0.0) for k in used) / total
    return min(1.0, max(0.0, value))


def _count_members(ws: Workspace, group: TargetGroup) -> int:
    with ws.store.read() as session:
        return len(_Log(ws, session).select(Members(groups=(group.key,))) |
                   _Log(ws, session).select(group.rule))


def _broadcasts(session: Session, groups: Sequence[TargetGroup], start: dt.date,
                end: dt.date) -> dict[str, dict[str, int]]:
    if start > end:
        return {}
    # On SQLite the unary + keeps the planner from probing the key once per interaction
    # and group; PostgreSQL has no + for text and needs no such hint.
    key = "+g.group_key" if session.get_bind().dialect.name == "sqlite" else "g.group_key"
    stmt = text(f"""SELECT g.group_key, COALESCE(i.channel, ''), COUNT(*)
                   FROM interaction_groups g
                   JOIN interactions i ON i.pk = g.interaction_pk
                   WHERE i.date >= :start AND i.date <= :end AND {key} IN :keys
                   GROUP BY g.group_key, i.channel""").bindparams(
        bindparam("keys", expanding=True))
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for key, channel, n in session.execute(
        stmt, {"start": start, "end": end, "keys": [g.key for g in groups]}
    ):
        out[key][channel or "-"] = int(n)
    return out


# --- what to do next ----------------------------------------------------------------------


@frozen
class DueItem:
    """A commitment that needs attention, with whom to contact."""

    commitment: CommitmentStatus
    urgency: str  # "overdue", "behind", "due soon", "due"


@frozen
class Contact:
    """A stakeholder to contact next, and why: a member (an opinion leader, if ``leader``)
    of ``group`` not reached in the current ``window`` of the group's shortest cadence."""

    id: str
    name: str
    group: str
    value: float
    reason: str
    leader: bool = False
    window: Unit = Unit.YEAR


@frozen
class Dues:
    """The answer to "what should we do next?" on ``as_of``."""

    as_of: dt.date
    within: int
    items: tuple[DueItem, ...]
    contacts: tuple[Contact, ...]


def due(ws: Workspace, *, as_of: dt.date | None = None, within_days: int = 30,
        contacts: int = 10) -> Dues:
    """Commitments overdue, behind or falling due within ``within_days`` of ``as_of``, and
    the uncovered members and leaders most worth contacting next."""
    as_of = as_of or dt.date.today()
    plan = ws.plan
    year = Period.year(as_of.year)
    statuses = check_commitments(ws, year, as_of=as_of)
    order = {Status.OVERDUE: 0, Status.BEHIND: 1, Status.DUE: 2}
    items = []
    for st in sorted(statuses, key=lambda s: (order.get(s.status, 9), s.due or dt.date.max, s.id)):
        if st.status not in order:
            continue
        urgency = st.status.value
        if st.status is Status.DUE:
            if st.due is None or (st.due - as_of).days > within_days:
                continue
            urgency = "due soon"
        items.append(DueItem(st, urgency))
    return Dues(as_of, within_days, tuple(items), tuple(_next_contacts(ws, plan, as_of,
                                                                       contacts)))


def _next_contacts(ws: Workspace, plan: Plan, as_of: dt.date, limit: int) -> list[Contact]:
    """Members not reached in the current window of their group's shortest cadence, leaders
    first, then by declared influence."""
    from .graph import rank_leaders

    scores = {s.id: s.score for s in rank_leaders(ws, as_of=as_of)}
    pinned = set(plan.leaders.pinned)
    best: dict[str, Contact] = {}
    with ws.store.read() as session:
        log = _Log(ws, session)
        for g in plan.groups:
            cadences = [c.cadence for c in plan.commitments if g.key in c.groups and c.cadence]
            unit = min(cadences, key=lambda u: u.months) if cadences else Unit.YEAR
            window = unit.window(as_of)
            members = log.select(Members(groups=(g.key,))) | log.select(g.rule)
            hits = log.contacts(members, Period(window.start, as_of), None)
            top = set(_best_of(scores, members.values(), plan.leaders.top)) | pinned
            for pk, sid in members.items():
                if hits.get(pk):
                    continue
                value = scores.get(sid, 0.0) + (1.0 if sid in top else 0.0)
                reason = (f"opinion leader in {g.key}, not reached this {unit.value}"
                          if sid in top else f"member of {g.key}, not reached this {unit.value}")
                if sid not in best or best[sid].value < value:
                    best[sid] = Contact(sid, "", g.key, value, reason, sid in top, unit)
    names = {s.id: s for s in ws.store.stakeholders(ids=list(best))}
    chosen = [c for c in best.values() if not (names[c.id].opted_out or names[c.id].restricted)]
    chosen.sort(key=lambda c: (-c.value, c.id))
    return [attrs.evolve(c, name=names[c.id].name) for c in chosen[:limit]]


def _best_of(scores: Mapping[str, float], ids: Iterable[str], top: int) -> list[str]:
    """The ``top`` best-scored of ``ids``."""
    return sorted(ids, key=lambda i: (-scores.get(i, 0.0), i))[:top]

"""Coverage over time: each target group's score, direct and network reach at the end of
every column of a report, the same numbers :func:`~interessent.coverage.coverage` gives
for the period up to that day, computed together instead of once per column.

- **who was reached, and by when**: the reach rule (:func:`~interessent.coverage.reached_sql`)
  asked once for the whole span as each stakeholder's first day reached
  (:func:`first_reached_sql`). The rule looks at each interaction on its own, so who was
  reached by a column's end is everyone whose first day is not later: a cumulative count;
- **network reach**: each tie active during the period up to a column's end (the SQL form
  of :func:`~interessent.rules.tie_active_during`, asked once per column in one query)
  informs a member not reached directly from the first column in which both the tie is
  active and its other end was reached; the strongest such tie counts, as in coverage;
- **leaders informed**: the groups' opinion leaders on each column's end (one ranking for
  every day with the same active ties, see :func:`~interessent.graph.rank_leaders`), and
  the first contact of each of them in the period, asked once;
- **commitments**: their fulfilment as of each column's end, as
  :func:`~interessent.coverage.check_commitments` gives it (a commitment's windows are its
  own), checked for every column together (each commitment's contacts read once);
- **acceptance**: the stances in force on each column's end (one query a column, and
  only when the plan weighs acceptance: it moves no score otherwise).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import text

from ..coverage import NEUTRAL_INFLUENCE, Acceptance, acceptance_by_group, score
from ..coverage.commitments import check_each
from ..coverage.interaction_log import _KEPT, _Log
from ..coverage.reach import ReachTotals
from ..graph import rank_leaders
from ..periods import Period
from ..plan import Members
from ..store.rules import acting_tie_sql, active_during_sql, active_on_sql, as_query, members_sql
from .data import Column, Series, SeriesPoint

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..coverage import CommitmentStatus
    from ..plan import TargetGroup
    from ..workspace import Workspace

__all__ = ["coverage_series", "series_and_reach"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


def coverage_series(ws: Workspace, period: Period, columns: Sequence[Column], as_of: dt.date,
                    colours: Mapping[str, str], *,
                    statuses: Callable[[Sequence[tuple[Period, dt.date]]],
                                       Sequence[Sequence[CommitmentStatus]]]
                    | None = None,
                    reached: Callable[[], list[Any]] | None = None) -> tuple[Series, ...]:
    """Each group's :class:`Series`: a point for each column that has begun by ``as_of``,
    holding the group's coverage of the period from its start to the column's end, as of
    that end (``as_of`` in its own column). ``statuses`` checks the commitments for each
    (period, day) (default :func:`~interessent.coverage.commitments.check_each`)."""
    return series_and_reach(ws, period, columns, as_of, colours, statuses=statuses,
                            reached=reached)[0]


def series_and_reach(
    ws: Workspace, period: Period, columns: Sequence[Column], as_of: dt.date,
    colours: Mapping[str, str], *,
    statuses: Callable[[Sequence[tuple[Period, dt.date]]], Sequence[Sequence[CommitmentStatus]]]
    | None = None,
    reached: Callable[[], list[Any]] | None = None,
) -> tuple[tuple[Series, ...], dict[str, ReachTotals | None]]:
    """:func:`coverage_series`, and what each group's reach adds up to at the last
    column's end (the period up to ``as_of``): what the reach query of
    :func:`~interessent.coverage.measure_coverage` gives, so that a report need not ask
    it (None for a group without members; nothing when no column has begun)."""
    plan = ws.plan
    check = statuses or (lambda days: check_each(ws, days))
    spans = [Period(period.start, col.period.end) for col in columns
             if col.period.start <= as_of]
    ends = series_ends(period, columns, as_of)
    groups = list(plan.groups)
    if not ends:
        return tuple(Series(g.key, g.name, colours[g.key], ()) for g in groups), {}
    top = plan.leaders.top
    leaders = [{g.key: [s.id for s in rank_leaders(ws, group=g.key, top=top, as_of=end)]
                for g in groups} for end in ends]
    with ws.store.read() as session:
        reach = _Reach(session, period.start, ends, reached() if reached else None)
        direct, network, totals = {}, {}, {}
        for g in groups:
            direct[g.key], network[g.key], totals[g.key] = reach.of(g)
        first_contact = _first_contacts(ws, session, leaders, Period(period.start, ends[-1]))
        # Acceptance moves a score only where the plan weighs it.
        accepted = ([acceptance_by_group(session, groups, end) for end in ends]
                    if plan.coverage.acceptance > 0 else
                    [dict.fromkeys((g.key for g in groups), Acceptance()) for _ in ends])
    points: dict[str, list[SeriesPoint]] = {g.key: [] for g in groups}
    each = check(list(zip(spans, ends, strict=True)))
    for n, end in enumerate(ends):
        checked = {c.id: c for c in each[n]}
        for g in groups:
            mine = [checked[c.id] for c in plan.commitments if g.key in c.groups]
            fulfil = [f for f in (c.fulfilment for c in mine) if f is not None]
            chosen = leaders[n][g.key]
            informed = sum(1 for i in chosen if (first_contact.get(i) or dt.date.max) <= end)
            components: dict[str, float | None] = {
                "direct": direct[g.key][n],
                "network": network[g.key][n],
                "leaders": informed / len(chosen) if chosen else None,
                "commitments": sum(fulfil) / len(fulfil) if fulfil else None,
                "acceptance": accepted[n][g.key].share,
            }
            points[g.key].append(SeriesPoint(n, score(components, plan), direct[g.key][n],
                                             network[g.key][n]))
    return (tuple(Series(g.key, g.name, colours[g.key], tuple(points[g.key])) for g in groups),
            totals)


def _first_contacts(ws: Workspace, session: Session, leaders: Sequence[Mapping[str, list[str]]],
                    span: Period) -> dict[str, dt.date]:
    """The first day in ``span`` each of the leaders was contacted, as coverage asks it
    (one question for every column: the first contact up to a column's end is the first
    contact in the span, if it lies before that end)."""
    log = _Log(ws, session)
    wanted = tuple(sorted({i for by_group in leaders for ids in by_group.values()
                           for i in ids}))
    if not wanted:
        return {}
    everyone = log.select(Members(ids=wanted))
    hits = log.contacts(everyone, span, None)
    return {sid: min(hits[pk]) for pk, sid in everyone.items() if hits.get(pk)}


class _Reach:
    """Direct and network reach of any group at the end of each of ``ends``."""

    def __init__(self, session: Session, start: dt.date, ends: Sequence[dt.date],
                 found: list[Any] | None = None) -> None:
        self.session = session
        self.columns = len(ends)
        weighed = text("SELECT pk, COALESCE(influence, :neutral) FROM stakeholders ORDER BY pk")
        people = _array(session, weighed, {"neutral": NEUTRAL_INFLUENCE},
                        [("pk", np.int64), ("w", np.float64)])
        self.pks = np.ascontiguousarray(people["pk"])
        self.weight = np.ascontiguousarray(people["w"])
        n = len(self.pks)
        self.lookup = np.full(int(self.pks[-1]) + 1 if n else 1, -1, dtype=np.int64)
        self.lookup[self.pks] = np.arange(n)
        # The first column in which each stakeholder was reached (columns: never): the
        # first day each was reached in the whole span, asked once, placed among the ends.
        self.first = np.full(n, self.columns, dtype=np.int64)
        if found is None:
            found = first_reached(session, start, ends[-1])
        kept = _KEPT.get()
        if kept is not None:  # who was reached in the whole span: what due asks, too
            kept[("reached", start, ends[-1])] = (Period(start, ends[-1]),
                                                  frozenset(int(r[0]) for r in found))
        if found:
            pks = np.fromiter((r[0] for r in found), dtype=np.int64, count=len(found))
            days = np.fromiter((_ordinal(r[1]) for r in found), dtype=np.int64,
                               count=len(found))
            index = self.lookup[pks[pks < len(self.lookup)]]
            days = days[pks < len(self.lookup)]
            column = np.searchsorted(np.array([e.toordinal() for e in ends], dtype=np.int64),
                                     days, side="left")
            self.first[index[index >= 0]] = column[index >= 0]
        self.best = self._ties(start, ends)

    def _ties(self, start: dt.date, ends: Sequence[dt.date]) -> Floats:
        """best[i, c]: the strongest tie active during the period up to column c's end
        whose other end was reached by then (0: none)."""
        n, columns = len(self.pks), self.columns
        since = " ".join(f"WHEN {active_during_sql('rel', ':start', f':end{c}')} THEN {c}"
                         for c in range(columns))
        params: dict[str, Any] = {"start": start,
                                  **{f"end{c}": end for c, end in enumerate(ends)}}
        rows = _array(self.session, text(
            f"SELECT rel.source_pk, rel.target_pk, rel.strength, CASE {since} END "  # noqa: S608
            "FROM relationships rel "
            f"WHERE {active_during_sql('rel', ':start', f':end{columns - 1}')}"), params,
            [("a", np.int64), ("b", np.int64), ("w", np.float64), ("c", np.int64)])
        best = np.zeros((n, columns))
        if not len(rows) or not n:
            return best
        a, b = self.lookup[rows["a"]], self.lookup[rows["b"]]
        for member, other in ((a, b), (b, a)):
            column = np.maximum(rows["c"], self.first[other])
            keep = column < columns
            np.maximum.at(best, (member[keep], column[keep]), rows["w"][keep])
        return np.maximum.accumulate(best, axis=1)

    def of(self, group: TargetGroup) -> tuple[list[float], list[float], ReachTotals | None]:
        """The group's direct and network reach at the end of each column: the members'
        influence-weighted share reached directly, and with each member not reached
        directly counted as much as its strongest tie to someone reached; and what it
        adds up to at the last column's end (None: the group has no members)."""
        found = _array(self.session, as_query(members_sql(group, 0)), {},
                       [("pk", np.int64)])["pk"]
        members = self.lookup[np.unique(found)]
        members = members[members >= 0]
        weights = self.weight[members]
        total = math.fsum(weights.tolist())
        direct, network = [], []
        last = None
        for c in range(self.columns):
            reached = self.first[members] <= c
            direct_weight = math.fsum(weights[reached].tolist())
            best = self.best[members, c]
            network_weight = math.fsum((weights * np.where(reached, 1.0, best)).tolist())
            direct.append(direct_weight / total if total else 0.0)
            network.append(network_weight / total if total else 0.0)
            if c == self.columns - 1 and len(members):
                last = ReachTotals(
                    members=len(members), weight=total, reached=int(reached.sum()),
                    direct_weight=direct_weight, network_weight=network_weight,
                    through_network=int(((~reached) & (best > 0)).sum()))
        return direct, network, last


def first_reached(session: Session, start: dt.date, end: dt.date) -> list[Any]:
    """The rows of :func:`first_reached_sql` from ``start`` to ``end``: (pk, first day)."""
    query = text(first_reached_sql(session.get_bind().dialect.name))
    return _rows(session, query, {"start": start, "end": end})


def series_ends(period: Period, columns: Sequence[Column], as_of: dt.date) -> list[dt.date]:
    """The day each begun column of ``period`` is seen from: its end, or ``as_of``."""
    return [min(col.period.end, as_of) for col in columns if col.period.start <= as_of]


def first_reached_sql(dialect: str) -> str:
    """Each stakeholder reached directly between ``:start`` and ``:end`` with the first day
    they were (columns ``pk``, ``first``): the reach rule of
    :func:`~interessent.coverage.reached_sql` asked once for a whole span instead of once
    per column. That rule looks at each contact on its own day (who took part or hosted,
    their ``organisation``, and whom they act for by a tie active on that day), so who
    was reached by a day is everyone whose first day here is not later."""
    join = "CROSS JOIN" if dialect == "sqlite" else "JOIN"
    acting, _, _ = acting_tie_sql("rel", literal=True)
    whole = '(a.start IS NULL OR a.start <= :start) AND (a."end" IS NULL OR a."end" >= :end)'
    # Each participant's first day is read from the date index (the date and the pk,
    # nothing else of the interaction), the hosts' from the few hosted interactions.
    return f"""WITH
win AS MATERIALIZED (SELECT pk, date, host_pk FROM interactions
                     WHERE date >= :start AND date <= :end AND host_pk IS NOT NULL),
people AS MATERIALIZED (
    SELECT pk, MIN(first) AS first FROM (
        SELECT p.stakeholder_pk AS pk, MIN(i.date) AS first FROM interactions i
            JOIN interaction_participants p ON p.interaction_pk = i.pk
            WHERE i.date >= :start AND i.date <= :end GROUP BY p.stakeholder_pk
        UNION ALL SELECT host_pk, MIN(date) FROM win GROUP BY host_pk) AS taking
    GROUP BY pk),
acting AS MATERIALIZED (
    SELECT rel.source_pk AS who, rel.target_pk AS org, rel.start AS start,
           rel."end" AS "end", people.first AS first FROM people
    JOIN relationships rel ON rel.source_pk = people.pk
    WHERE {acting} AND {active_during_sql("rel", ":start", ":end")}),
reached AS (
    SELECT pk, first FROM people
    UNION ALL SELECT s.organisation_pk, people.first FROM people
          JOIN stakeholders s ON s.pk = people.pk WHERE s.organisation_pk IS NOT NULL
    UNION ALL SELECT a.org, a.first FROM acting a WHERE {whole}
    UNION ALL SELECT a.org, MIN(i.date) FROM acting a
          JOIN interaction_participants p ON p.stakeholder_pk = a.who
          JOIN interactions i ON i.pk = p.interaction_pk
          WHERE NOT ({whole}) AND i.date >= :start AND i.date <= :end
            AND {active_on_sql("a", "i.date")}
          GROUP BY a.org
    UNION ALL SELECT a.org, MIN(win.date) FROM win {join} acting a ON a.who = win.host_pk
          WHERE NOT ({whole}) AND {active_on_sql("a", "win.date")}
          GROUP BY a.org)
SELECT pk, MIN(first) FROM reached GROUP BY pk"""  # noqa: S608


def _ordinal(day: dt.date | str) -> int:
    """A day as SQLite (ISO text) or PostgreSQL (a date) gives it, as an ordinal."""
    return (day if isinstance(day, dt.date) else dt.date.fromisoformat(day)).toordinal()


def _rows(session: Session, query: Any, params: Mapping[str, Any]) -> list[Any]:
    """The rows of a query as the driver gives them (no Row object each)."""
    result = session.connection().execute(query, dict(params))
    try:
        cursor = getattr(result, "cursor", None)
        return list(cursor) if cursor is not None else [tuple(r) for r in result]
    finally:
        result.close()


def _array(session: Session, query: Any, params: Mapping[str, Any],
           dtype: Any) -> npt.NDArray[Any]:
    """The rows of a query as a numpy record array, read from the driver's cursor (tens of
    thousands of numbers: no Row object each)."""
    result = session.connection().execute(query, dict(params))
    try:
        cursor = getattr(result, "cursor", None)
        return np.fromiter(cursor if cursor is not None else map(tuple, result), dtype=dtype)
    finally:
        result.close()

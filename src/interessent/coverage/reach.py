"""Reach: whom the programme reached in each target group, and the coverage score.

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

**Acceptance** (:mod:`.acceptance`): of the members whose stance on the as-of day is
known, the share who support the programme; None when no member's stance is known.

**Score** in [0, 1] = the plan's ``[coverage]`` weights (``direct``, ``network``,
``leaders``, ``commitments``, ``acceptance``; normalised to sum to one) applied to direct
reach, network reach, the share of leaders informed, the commitments' fulfilment (the
mean of ``min(1, actual / expected)`` over the group's commitments that have begun) and
acceptance. A part that does not apply (no leaders, no commitment begun, no stance known)
gives its weight to the others; acceptance weighs 0 unless the plan says otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from attrs import field, frozen
from sqlalchemy import bindparam, text

from ..periods import Period
from ..plaindata import plain, rounded
from ..plan import Members, Plan, TargetGroup
from ..store.rules import acting_tie_sql, active_during_sql, active_on_sql, members_sql
from . import kept
from .acceptance import acceptance_by_group
from .commitments import CommitmentStatus, check_commitments
from .interaction_log import _Log

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..workspace import Workspace


__all__ = ["NEUTRAL_INFLUENCE", "GroupCoverage", "coverage", "measure_coverage", "reached_sql",
           "score"]


NEUTRAL_INFLUENCE = 3


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
    stances_known: int = 0
    """Members whose stance on the as-of day is known."""
    supporting: int = 0
    """Of those, the members who support the programme."""

    @property
    def acceptance(self) -> float | None:
        """The share of the members with a known stance who support the programme; None
        when no member's stance is known."""
        return self.supporting / self.stances_known if self.stances_known else None

    @property
    def leader_share(self) -> float | None:
        return self.leaders_informed / self.leaders if self.leaders else None

    @property
    def touchpoints(self) -> int:
        return sum(self.broadcasts.values())

    def to_dict(self) -> dict[str, Any]:
        """Plain data (the JSON of ``coverage``): shares and scores to four decimals, the
        period as written (``2026-Q3``), the as-of day as ISO text, each commitment as
        :meth:`CommitmentStatus.to_dict`."""
        return {
            "key": self.key, "name": self.name, "period": str(self.period),
            "as_of": plain(self.as_of), "score": rounded(self.score), "members": self.members,
            "reached_directly": self.reached_directly,
            "reached_through_network": self.reached_through_network,
            "direct_reach": rounded(self.direct_reach),
            "network_reach": rounded(self.network_reach),
            "leaders": self.leaders, "leaders_informed": self.leaders_informed,
            "touchpoints": self.touchpoints, "broadcasts": dict(self.broadcasts),
            "acceptance": rounded(self.acceptance), "stances_known": self.stances_known,
            "supporting": self.supporting,
            "components": {k: rounded(v) for k, v in self.components.items()},
            "commitments": [c.to_dict() for c in self.commitments],
        }


# --- SQL ----------------------------------------------------------------------------------


def reached_sql(dialect: str, dense: bool = False) -> str:
    """CTEs ``people`` (who took part in or hosted an interaction of the period) and
    ``reached`` (stakeholders reached directly: those people, and the organisations they
    act for, by the party rule: their ``organisation`` field, or a works-for, leads or
    chair tie active on the contact's day; a board or observer seat does not make one act
    for a body). Its only parameters are ``:start`` and ``:end``.

    Two ways to find the same people, by how much of the log the period holds (see
    :func:`is_dense`). Sparse (a week, a month): from the period's interactions
    (``win``), their participants made distinct before their organisations are looked
    up. Dense (a year of the log): each stakeholder is asked whether any of its
    participations falls in the period, through the stakeholder's index — one or two
    look-ups each instead of sorting a million participations. The CTEs are
    materialised, and ``CROSS JOIN`` tells SQLite's planner to drive from the period's
    interactions; PostgreSQL plans the plain join the same way. Acting ties are few: the
    organisations not reached otherwise are looked up by whether the tie's holder took
    part or hosted on a day the tie was active."""
    join = "CROSS JOIN" if dialect == "sqlite" else "JOIN"
    acting, _, _ = acting_tie_sql("rel", literal=True)
    # A tie active through the whole period needs no look at the day of each contact.
    whole = '(a.start IS NULL OR a.start <= :start) AND (a."end" IS NULL OR a."end" >= :end)'
    dated = "i.date >= :start AND i.date <= :end"
    if dense:
        people = f"""people AS MATERIALIZED (
    SELECT s.pk AS pk FROM stakeholders s
    WHERE EXISTS (SELECT 1 FROM interaction_participants p
                  JOIN interactions i ON i.pk = p.interaction_pk
                  WHERE p.stakeholder_pk = s.pk AND {dated})
       OR EXISTS (SELECT 1 FROM interactions i WHERE i.host_pk = s.pk AND {dated}))"""
    else:
        people = f"""win AS MATERIALIZED (SELECT pk, date, host_pk FROM interactions
                     WHERE date >= :start AND date <= :end),
people AS MATERIALIZED (
    SELECT DISTINCT p.stakeholder_pk AS pk FROM win
    {join} interaction_participants p ON p.interaction_pk = win.pk
    UNION SELECT host_pk FROM win WHERE host_pk IS NOT NULL)"""
    on_day = active_on_sql("a", "i.date")
    # Nearly everyone took part in a dense period: reading the ties whole is cheaper
    # than looking up each person's (the unary + keeps SQLite from doing that).
    plus = "+" if dialect == "sqlite" else ""
    ties = (f"relationships rel WHERE {plus}rel.source_pk IN (SELECT pk FROM people) AND"
            if dense else "people JOIN relationships rel ON rel.source_pk = people.pk WHERE")
    return f"""
{people},
acting AS MATERIALIZED (
    SELECT rel.source_pk AS who, rel.target_pk AS org, rel.start AS start,
           rel."end" AS "end" FROM {ties}
    {acting} AND {active_during_sql("rel", ":start", ":end")}),
direct AS MATERIALIZED (
    SELECT pk FROM people
    UNION SELECT s.organisation_pk FROM people JOIN stakeholders s ON s.pk = people.pk
          WHERE s.organisation_pk IS NOT NULL
    UNION SELECT a.org FROM acting a WHERE {whole}),
reached AS MATERIALIZED (
    SELECT pk FROM direct
    UNION SELECT a.org FROM acting a
          WHERE NOT ({whole}) AND a.org NOT IN (SELECT pk FROM direct)
            AND (EXISTS (SELECT 1 FROM interaction_participants p
                         JOIN interactions i ON i.pk = p.interaction_pk
                         WHERE p.stakeholder_pk = a.who AND {dated} AND {on_day})
                 OR EXISTS (SELECT 1 FROM interactions i
                            WHERE i.host_pk = a.who AND {dated} AND {on_day})))"""


def is_dense(session: Session, start: dt.date, end: dt.date) -> bool:
    """Whether the period holds at least half of the interactions logged: then
    :func:`reached_sql` finds the people reached stakeholder by stakeholder (``dense``).
    Both ways give the same people; this only picks the faster."""
    total = session.execute(text("SELECT COUNT(*) FROM interactions")).scalar() or 0
    inside = session.execute(text("SELECT COUNT(*) FROM interactions WHERE date >= :start "
                                  "AND date <= :end"), {"start": start, "end": end}).scalar()
    return bool(total) and 2 * int(inside or 0) >= int(total)


_ACTIVE = active_during_sql("rel", ":start", ":end")


def _reach_sql(groups: Sequence[TargetGroup], dialect: str = "sqlite",
               dense: bool = False) -> tuple[Any, dict[str, Any]]:
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
WITH {reached_sql(dialect, dense)},
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


# --- coverage -----------------------------------------------------------------------------


def _leaders_by_group(ws: Workspace, groups: Iterable[str], as_of: dt.date,
                      top: int | None = None) -> dict[str, list[str]]:
    # Deferred: the ranking's numpy and scipy cost a tenth of a second to import, and
    # coverage read back from the store (interessent.coverage.kept) ranks nothing.
    from ..graph import rank_leaders

    n = top or ws.plan.leaders.top
    return {g: [s.id for s in rank_leaders(ws, group=g, top=n, as_of=as_of)] for g in groups}


@frozen
class ReachTotals:
    """What the reach of one group adds up to over a period: its members, their weight,
    how many were reached directly and through the network, and the weights reached (the
    reach query's row for the group)."""

    members: int
    weight: float
    reached: int
    direct_weight: float
    network_weight: float
    through_network: int


def _reach_and_broadcasts(
    ws: Workspace, chosen: Sequence[TargetGroup], start: dt.date, end: dt.date,
    reach: Mapping[str, ReachTotals | None] | None = None,
) -> tuple[Mapping[str, ReachTotals | None], dict[str, dict[str, int]]]:
    """The reach of each group (the reach query's, unless ``reach`` already holds it) and
    the broadcasts to each, from ``start`` to ``end`` (nothing when ``end`` is before
    ``start``)."""
    if start > end:
        return {}, {}
    with ws.store.read() as session:
        dense = is_dense(session, start, end)
        if reach is None:
            stmt, params = _reach_sql(chosen, session.get_bind().dialect.name, dense)
            params.update(start=start, end=end)
            reach = {row.gkey: ReachTotals(
                int(row.members), float(row.weight or 0), int(row.reached or 0),
                float(row.direct_weight or 0), float(row.network_weight or 0),
                int(row.through_network or 0)) for row in session.execute(stmt, params)}
        return reach, _broadcasts(session, chosen, start, end, dense=dense)


def measure_coverage(
    ws: Workspace,
    period: Period,
    *,
    as_of: dt.date | None = None,
    groups: Sequence[str] | None = None,
) -> list[GroupCoverage]:
    """Coverage of each target group (or those named) in ``period``, as of ``as_of``
    (default today), groups in plan order.

    The answer is kept in the store until the next write (:mod:`.kept`): asked again with
    the data unchanged, it is read back, not computed."""
    return _coverage(ws, period, as_of or dt.date.today(), groups)


def _coverage(ws: Workspace, period: Period, as_of: dt.date, groups: Sequence[str] | None,
              reach: Callable[[], Mapping[str, ReachTotals | None]] | None = None,
              ) -> list[GroupCoverage]:
    """:func:`measure_coverage`, with each group's reach over the period up to ``as_of``
    from ``reach()`` when given (a report has it from its series; called only when the
    coverage is not kept), else from the reach query."""
    plan = ws.plan
    chosen = [plan.group(g) for g in groups] if groups else list(plan.groups)
    # Read before the data the coverage is computed from (see interessent.store.cache).
    counter = ws.store.change_counter()
    key = kept.key_of(plan, period, as_of, [g.key for g in chosen])
    if counter is not None:
        data = ws.store.cached(key, counter)
        found = None if data is None else kept.from_json(data, GroupCoverage, plan)
        if found is not None:
            return found
    out = _measure(ws, plan, chosen, period, as_of,
                   reach() if reach is not None and period.start <= as_of else None)
    if counter is not None:
        ws.store.keep_cached(key, counter, kept.to_json(out))
    return out


def _measure(ws: Workspace, plan: Plan, chosen: Sequence[TargetGroup], period: Period,
             as_of: dt.date, known: Mapping[str, ReachTotals | None] | None = None,
             ) -> list[GroupCoverage]:
    seen_end = min(period.end, as_of)
    # The reach and the broadcasts are two queries that each return a row per group, a
    # long step in the database with the interpreter let go: they run in a thread of
    # their own while this one ranks and checks the commitments (row by row).
    counted = ws.store.meanwhile(
        lambda: _reach_and_broadcasts(ws, chosen, period.start, seen_end, known))
    try:
        leaders = _leaders_by_group(ws, [g.key for g in chosen], as_of)
        statuses = {c.id: c for c in check_commitments(ws, period, as_of=as_of)}
    finally:  # no query of this call goes on after it returns or fails
        reach, broadcasts = counted()
    with ws.store.read() as session:
        log = _Log(ws, session)
        everyone = log.select(Members(ids=tuple({i for g in chosen for i in leaders[g.key]})))
        span = Period(period.start, max(period.start, seen_end))
        hits = log.contacts(everyone, span, None) if period.start <= seen_end else {}
        reached_ids = {sid for pk, sid in everyone.items() if hits.get(pk)}
        informed = {g.key: sum(1 for i in leaders[g.key] if i in reached_ids) for g in chosen}
        accepted = acceptance_by_group(session, chosen, as_of)
    out = []
    for g in chosen:
        row = reach.get(g.key)
        weight = row.weight if row else 0.0
        direct = row.direct_weight / weight if row and weight else 0.0
        network = row.network_weight / weight if row and weight else 0.0
        mine = tuple(statuses[c.id] for c in plan.commitments if g.key in c.groups)
        fulfil = [f for f in (c.fulfilment for c in mine) if f is not None]
        n_leaders = len(leaders[g.key])
        components: dict[str, float | None] = {
            "direct": direct,
            "network": network,
            "leaders": informed[g.key] / n_leaders if n_leaders else None,
            "commitments": sum(fulfil) / len(fulfil) if fulfil else None,
            "acceptance": accepted[g.key].share,
        }
        out.append(GroupCoverage(
            key=g.key, name=g.name, period=period, as_of=as_of,
            members=row.members if row else _count_members(ws, g),
            reached_directly=row.reached if row else 0,
            reached_through_network=row.through_network if row else 0,
            direct_reach=direct, network_reach=network, leaders=n_leaders,
            leaders_informed=informed[g.key], broadcasts=broadcasts.get(g.key, {}),
            commitments=mine, score=score(components, plan), components=components,
            stances_known=accepted[g.key].known, supporting=accepted[g.key].supporting,
        ))
    return out


#: The former name of :func:`measure_coverage` (it clashed with this package's name).
coverage = measure_coverage


def score(components: Mapping[str, float | None], plan: Plan) -> float:
    """The weighted score; parts that do not apply give their weight to the others."""
    w = plan.coverage
    weights = {"direct": w.direct, "network": w.network, "leaders": w.leaders,
               "commitments": w.commitments, "acceptance": w.acceptance}
    used = {k: weights[k] for k, v in components.items()
            if v is not None and weights.get(k, 0.0) > 0}
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
                end: dt.date, dense: bool = False) -> dict[str, dict[str, int]]:
    """Interactions of the period addressed to each group, by channel. In a period that
    holds most of the log (``dense``, :func:`is_dense`) the audiences are read whole and
    each one's interaction looked up; else the period's interactions are read by date."""
    if start > end:
        return {}
    sqlite = session.get_bind().dialect.name == "sqlite"
    # On SQLite the unary + keeps the planner from probing the key once per interaction
    # and group, and CROSS JOIN fixes which table drives; PostgreSQL has no + for text
    # and needs no such hint.
    key = "+g.group_key" if sqlite and not dense else "g.group_key"
    join = "CROSS JOIN" if sqlite and dense else "JOIN"
    stmt = text(f"""SELECT g.group_key, COALESCE(i.channel, ''), COUNT(*)
                   FROM interaction_groups g
                   {join} interactions i ON i.pk = g.interaction_pk
                   WHERE i.date >= :start AND i.date <= :end AND {key} IN :keys
                   GROUP BY g.group_key, i.channel""").bindparams(
        bindparam("keys", expanding=True))
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for key, channel, n in session.execute(
        stmt, {"start": start, "end": end, "keys": [g.key for g in groups]}
    ):
        out[key][channel or "-"] = int(n)
    return out

"""The interaction log as coverage and commitments read it.

:class:`_Log` holds one evaluation's queries on one session:

- whom a commitment's selector picks (:meth:`_Log.select`): by id, role, tag or kind, or
  as a member of a target group (registered or by the group's rule);
- the contacts that count for a commitment (:meth:`_Log.counted`): those tagged with its
  id, and those that match its selector (every criterion it gives: ``kinds``,
  ``participants``, ``audience``; per-member and leaders commitments count the direct
  kinds unless the plan names others);
- which contacts reached which member (:meth:`_Log.reached`), by party: a member is
  reached when they took part or hosted, or, for an organisation, when anyone who acts
  for it that day did (:func:`interessent.rules.party_of`); one contact with a party
  counts once;
- the contacts of one kind (for ratios) and whether the ties a structural commitment
  requires exist.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs
from attrs import frozen
from sqlalchemy import bindparam, text

from ..periods import Period
from ..plan import Commitment, CommitmentKind, Members, Plan, TargetGroup
from ..rules import KindCategory, kinds_in
from ..store.rules import (
    Selection,
    acting_tie_sql,
    active_during_sql,
    active_on_sql,
    members_sql,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..workspace import Workspace


@frozen
class _Counted:
    """A contact from the log as counting needs it: its key, day, kind and host, and
    whether it counts because it was tagged with the commitment (else its selector
    matched). Its id and topic are looked up only to explain (:meth:`_Log.described`)."""

    pk: int
    date: dt.date
    kind: str
    host: int | None
    tagged: bool = False


class _Tally(NamedTuple):
    """How many contacts of one kind counted on one day."""

    date: dt.date
    kind: str
    n: int


@frozen
class _Reach:
    """A contact (its key, day and whether tagged) that reached a member, and who of the
    member's party took part or hosted."""

    pk: int
    date: dt.date
    tagged: bool
    via: frozenset[int]


def counted_kinds(plan: Plan, c: Commitment) -> tuple[str, ...]:
    """The kinds a commitment's selector names: its own, or for per-member and leaders
    commitments without any, every kind of direct contact."""
    if c.kinds or c.kind not in (CommitmentKind.PER_MEMBER, CommitmentKind.LEADERS):
        return c.kinds
    return kinds_in(KindCategory.DIRECT, plan)


#: What statuses read, kept for the time of :func:`keeping` (else for one :class:`_Log`).
_KEPT: ContextVar[dict[Any, tuple[Period, Any]] | None] = ContextVar("_KEPT", default=None)


@contextmanager
def keeping() -> Iterator[None]:
    """Within it, every :class:`_Log` keeps what a status read for the next one to
    answer from (a report checks the commitments for its period, every month end, for
    what is due and to explain them; each commitment's contacts are read once). For
    callers that read the data once, as a whole: a write meanwhile is not seen. Within
    another, it keeps to the outer one's."""
    if _KEPT.get() is not None:
        yield
        return
    token = _KEPT.set({})
    try:
        yield
    finally:
        _KEPT.reset(token)


#: The span of what holds on any day (kept once for every span asked).
_ALWAYS = Period(dt.date.min, dt.date.max)


class _Log:
    """Queries over the interaction log for one evaluation."""

    #: Members up to this many are looked up from their side (their party's
    #: participations, through the index); more are found from the contacts' side.
    FEW = 2_000

    def __init__(self, ws: Workspace, session: Session,
                 kept: dict[Any, tuple[Period, Any]] | None = None) -> None:
        self.ws = ws
        self.plan: Plan = ws.plan
        self.s = session
        #: What a status read, by question, with the span it was read for: a question
        #: about a span within it is answered from it (several days checked together,
        #: :func:`~interessent.coverage.commitments.check_each`).
        shared = _KEPT.get()
        self.kept: dict[Any, tuple[Period, Any]] = (
            kept if kept is not None else shared if shared is not None else {})

    def _keep(self, key: Any, span: Period, read: Any) -> tuple[Period, Any] | None:
        """What was kept under ``key`` for a span holding ``span``; else None, after
        keeping what ``read()`` returns under it."""
        hit = self.kept.get(key)
        if hit is not None and hit[0].start <= span.start and span.end <= hit[0].end:
            return hit
        self.kept[key] = (span, read())
        return None

    # --- whom a selector picks -------------------------------------------------------------

    def selection(self, sel: Members, n: int = 0) -> Selection:
        """The SQL form of a commitment's selector: the pks it picks by id, role, tag or
        kind (:func:`~interessent.store.rules.members_sql`), and the members of its target
        groups, registered or by the group's rule."""
        # No plan key is empty, so the registered-members part of the selector's own
        # pseudo-group selects nobody (a NUL key would too, but PostgreSQL text cannot
        # hold NUL).
        own = TargetGroup(key="", name="", rule=attrs.evolve(sel, groups=()))
        parts = [members_sql(own, 100 * n)]
        parts += [members_sql(self.plan.group(g), 100 * n + 1 + j)
                  for j, g in enumerate(sel.groups)]
        params: dict[str, Any] = {}
        expanding: list[str] = []
        for _sql, p, e in parts:
            params.update(p)
            expanding += e
        return " UNION ".join(sql for sql, _, _ in parts), params, expanding

    def select(self, sel: Members) -> dict[int, str]:
        """pk → id of the stakeholders a selector picks (read once for all the statuses
        of a report: whom a selector picks does not depend on the day)."""
        key = ("select", sel)
        hit = self._keep(key, _ALWAYS, lambda: self._select(sel))
        return dict(self.kept[key][1] if hit is None else hit[1])

    def _select(self, sel: Members) -> dict[int, str]:
        sql, params, expanding = self.selection(sel)
        stmt = text(f"SELECT s.pk, s.id FROM stakeholders s WHERE s.pk IN ({sql})").bindparams(
            *(bindparam(n, expanding=True) for n in expanding))
        return dict(_raw_rows(self.s, stmt, params))

    def names(self, ids: Sequence[str]) -> dict[str, str]:
        """id → name of the stakeholders ``ids`` (as the store spells them)."""
        stmt = text("SELECT id, name FROM stakeholders WHERE id IN :ids").bindparams(
            bindparam("ids", expanding=True))
        wanted = sorted(set(ids))
        out: dict[str, str] = {}
        for n in range(0, len(wanted), 5_000):  # SQLite's limit on bound parameters
            out.update(_raw_rows(self.s, stmt, {"ids": wanted[n:n + 5_000]}))
        return out

    # --- what counts for a commitment ------------------------------------------------------

    def _matching(self, c: Commitment, alias: str = "i") -> tuple[str, dict[str, Any],
                                                                   list[str]] | None:
        """The condition that the interaction row ``alias`` matches ``c``'s selector (every
        criterion given must hold; each list matches any of its values), or None when it
        has none."""
        kinds = counted_kinds(self.plan, c)
        if not (kinds or c.participants or c.audience):
            return None
        where, params, expanding = [], {}, []
        if kinds:
            where.append(f"{alias}.kind IN :sel_kinds")
            params["sel_kinds"] = list(kinds)
            expanding.append("sel_kinds")
        if c.participants:
            sql, p, e = self.selection(c.participants, 7)
            where.append(f"{alias}.pk IN (SELECT sp.interaction_pk FROM interaction_participants "
                         f"sp WHERE sp.stakeholder_pk IN ({sql}))")
            params.update(p)
            expanding += e
        if c.audience:
            where.append(f"{alias}.pk IN (SELECT sg.interaction_pk FROM interaction_groups sg "
                         "WHERE sg.group_key IN :sel_audience)")
            params["sel_audience"] = list(c.audience)
            expanding.append("sel_audience")
        return " AND ".join(where), params, expanding

    def _counts(self, c: Commitment | None, alias: str = "i") -> tuple[str, dict[str, Any],
                                                                      list[str]]:
        """The condition that the interaction row ``alias`` counts for ``c`` (any does
        for None): tagged with its id, or matching its selector."""
        if c is None:
            return "1 = 1", {}, []
        tagged = self._tagged(c, alias)
        match = self._matching(c, alias)
        if match is None:
            return tagged, {"c": c.id}, []
        sql, params, expanding = match
        return f"({tagged} OR ({sql}))", {"c": c.id, **params}, expanding

    @staticmethod
    def _tagged(c: Commitment | None, alias: str = "i") -> str:
        """The condition that the interaction row ``alias`` is tagged with ``c`` (bound to
        ``:c``); never, for None."""
        if c is None:
            return "1 = 0"
        return (f"{alias}.pk IN (SELECT ct.interaction_pk FROM interaction_commitments ct "
                "WHERE ct.commitment_id = :c)")

    def counted(self, c: Commitment, span: Period) -> list[_Counted]:
        """The contacts within ``span`` that count for ``c``, by date: those tagged with
        it, found through the tag index, and those its selector matches. (Testing each of
        a year's interactions for a tag instead cost a second per commitment at a
        million interactions.)"""
        key = ("counted", c.id)
        hit = self._keep(key, span, lambda: self._counted(c, span))
        return list(self.kept[key][1]) if hit is None else _dated(hit[1], span)

    def counted_first_each(self, c: Commitment, spans: Sequence[Period], n: int) -> list[
        list[_Counted]
    ]:
        """The first ``n`` of :meth:`counted` (by date, then key) in each of ``spans`` (a
        commitment's windows, in order): what an explanation shows of each window. One
        query numbers each window's contacts in the database (a monthly commitment over a
        year of 60,000 articles costs one scan, not twelve)."""
        if not spans:
            return []
        sql, params, expanding = self._tagged_or_matched(
            c, Period(spans[0].start, spans[-1].end),
            "i.pk AS pk, i.date AS date, i.kind AS kind, i.host_pk AS host_pk", marked=True)
        cases = " ".join(f"WHEN x.date >= :ws{k} AND x.date <= :we{k} THEN {k}"
                         for k in range(len(spans)))
        for k, span in enumerate(spans):
            params[f"ws{k}"], params[f"we{k}"] = span.start, span.end
        params["first_n"] = n
        stmt = text(
            "SELECT pk, date, kind, host_pk, tagged, w FROM ("
            " SELECT g.pk, g.date, g.kind, g.host_pk, g.tagged, g.w, ROW_NUMBER() OVER"
            " (PARTITION BY g.w ORDER BY g.date, g.pk) AS rn FROM ("
            f"  SELECT x.pk, x.date, x.kind, x.host_pk, MAX(x.tagged) AS tagged, CASE {cases}"
            f"  END AS w FROM ({sql}) AS x GROUP BY x.pk, x.date, x.kind, x.host_pk) AS g"
            "  WHERE g.w IS NOT NULL) AS r "
            "WHERE rn <= :first_n ORDER BY w, date, pk"
        ).bindparams(*(bindparam(e, expanding=True) for e in expanding))
        day = _Days()
        out: list[list[_Counted]] = [[] for _ in spans]
        for pk, d, k, h, t, w in _raw_rows(self.s, stmt, params):
            out[int(w)].append(_Counted(pk, day(d), k, h, bool(t)))
        return out

    def _counted(self, c: Commitment, span: Period, limit: int | None = None) -> list[
        _Counted
    ]:
        sql, params, expanding = self._tagged_or_matched(
            c, span, "i.pk AS pk, i.date AS date, i.kind AS kind, i.host_pk AS host_pk",
            marked=True)
        stmt = text(f"SELECT x.pk, x.date, x.kind, x.host_pk, MAX(x.tagged) FROM ({sql}) AS x "
                    "GROUP BY x.pk, x.date, x.kind, x.host_pk ORDER BY x.date, x.pk"
                    + (f" LIMIT {int(limit)}" if limit is not None else "")).bindparams(
            *(bindparam(n, expanding=True) for n in expanding))
        day = _Days()
        return [_Counted(pk, day(d), k, h, bool(t))
                for pk, d, k, h, t in _raw_rows(self.s, stmt, params)]

    def _tagged_or_matched(self, c: Commitment, span: Period, cols: str, *,
                           marked: bool) -> tuple[str, dict[str, Any], list[str]]:
        """The SQL of the contacts within ``span`` tagged with ``c`` or matching its
        criteria, its parameters and its expanding ones. ``marked``: each row says whether
        it was tagged (``tagged`` 1 or 0; UNION ALL, so the caller groups), else UNION
        (a contact both tagged and matched once)."""
        tagged, untagged, union = (", 1 AS tagged", ", 0", "UNION ALL") if marked else (
            "", "", "UNION")
        sql = (f"SELECT {cols}{tagged} FROM interaction_commitments t "
               "JOIN interactions i ON i.pk = t.interaction_pk "
               "WHERE t.commitment_id = :c AND i.date >= :start AND i.date <= :end")
        params: dict[str, Any] = {"c": c.id, "start": span.start, "end": span.end}
        expanding: list[str] = []
        match = self._matching(c)
        if match is not None:
            where, more, expanding = match
            params.update(more)
            sql += (f" {union} SELECT {cols}{untagged} FROM interactions i "
                    f"WHERE i.date >= :start AND i.date <= :end AND ({where})")
        return sql, params, expanding

    def tallied(self, c: Commitment, span: Period) -> list[_Tally]:
        """What :meth:`counted` finds, as a status needs it: how many contacts of each kind
        counted on each day within ``span``, by date. Counted in SQL (explaining needs
        the contacts themselves; a status does not)."""
        key = ("tallied", c.id)
        hit = self._keep(key, span, lambda: self._tallied(c, span))
        return list(self.kept[key][1]) if hit is None else _dated(hit[1], span)

    def _tallied(self, c: Commitment, span: Period) -> list[_Tally]:
        # UNION: a contact both tagged and matched counts once.
        sql, params, expanding = self._tagged_or_matched(
            c, span, "i.pk AS pk, i.date AS date, i.kind AS kind", marked=False)
        stmt = text(f"SELECT x.date, x.kind, COUNT(*) FROM ({sql}) AS x "
                    "GROUP BY x.date, x.kind ORDER BY x.date, x.kind").bindparams(
            *(bindparam(n, expanding=True) for n in expanding))
        return [_Tally(_date(d), k, int(n)) for d, k, n in _raw_rows(self.s, stmt, params)]

    def of_kind(self, kind: str, span: Period) -> list[_Counted]:
        """The contacts of one kind within ``span``, by date (for ratios)."""
        key = ("of_kind", kind)
        hit = self._keep(key, span, lambda: self._of_kind(kind, span))
        return list(self.kept[key][1]) if hit is None else _dated(hit[1], span)

    def _of_kind(self, kind: str, span: Period) -> list[_Counted]:
        stmt = text("SELECT pk, date, kind, host_pk FROM interactions WHERE kind = :k "
                    "AND date >= :start AND date <= :end ORDER BY date, pk")
        rows = _raw_rows(self.s, stmt, {"k": kind, "start": span.start, "end": span.end})
        day = _Days()
        return [_Counted(pk, day(d), k, h) for pk, d, k, h in rows]

    def described(self, pks: Iterable[int]) -> dict[int, tuple[str, str, str | None,
                                                                int | None]]:
        """pk → (id, kind, topic, host pk) of the contacts ``pks``: what an explanation
        shows of them."""
        wanted = sorted(set(pks))
        stmt = text("SELECT pk, id, kind, topic, host_pk FROM interactions "
                    "WHERE pk IN :pks").bindparams(bindparam("pks", expanding=True))
        out = {}
        for n in range(0, len(wanted), 5_000):  # SQLite's limit on bound parameters
            for pk, iid, kind, topic, host in self.s.execute(stmt, {"pks": wanted[n:n + 5_000]}):
                out[pk] = (iid, kind, topic, host)
        return out

    # --- whom the contacts reached, by party -----------------------------------------------

    def _party_rows(self, members: Selection | None, span: Period, c: Commitment | None, *,
                    few: bool, first_only: bool, days: bool = False) -> Any:
        """Rows (member, contact pk, date, tagged, who) of the contacts within ``span``
        that count for ``c`` (any, for None) and in which ``who``, of the member's party
        on the day, took part or hosted; ``members`` selects the members (as pks; None:
        anyone, for the caller to pick from). With ``first_only``: (member, first date);
        with ``days``: (member, date, how many contacts that day), as plain tuples.

        With ``few`` members, each member's party is looked up first (itself, the people
        whose organisation field names it, the sources of acting ties with their spans)
        and then their participations, through the index; with many, the contacts are
        read first and everyone who took part is mapped to the organisations they act
        for that day."""
        picked, params, expanding = members or ("SELECT pk FROM stakeholders", {}, [])
        only = "WHERE h.member IN (SELECT pk FROM picked)" if members else ""
        counts, more, more_expanding = self._counts(c)
        acting, acting_params, acting_expanding = acting_tie_sql("rel")
        params = {**params, **more, **acting_params, "start": span.start, "end": span.end}
        expanding = [*expanding, *more_expanding, *acting_expanding]
        dated = "i.date >= :start AND i.date <= :end"
        cols = (f"i.pk AS pk, i.date AS date, CASE WHEN {self._tagged(c)} THEN 1 ELSE 0 END "
                "AS tagged")
        if few:
            sql = f"""WITH picked AS MATERIALIZED ({picked}),
party AS MATERIALIZED (
    SELECT pk AS member, pk AS who, CAST(NULL AS DATE) AS start, CAST(NULL AS DATE) AS "end"
        FROM picked
    UNION ALL SELECT s.organisation_pk, s.pk, NULL, NULL FROM stakeholders s
        WHERE s.organisation_pk IN (SELECT pk FROM picked) AND s.pk <> s.organisation_pk
    UNION ALL SELECT rel.target_pk, rel.source_pk, rel.start, rel."end" FROM relationships rel
        WHERE rel.target_pk IN (SELECT pk FROM picked) AND {acting}),
took AS (
    SELECT party.member AS member, party.who AS who, party.start AS start,
           party."end" AS "end", p.interaction_pk AS ipk
        FROM party JOIN interaction_participants p ON p.stakeholder_pk = party.who
    UNION ALL SELECT party.member, party.who, party.start, party."end", i.pk
        FROM party CROSS JOIN interactions i
        WHERE i.host_pk = party.who AND i.host_pk IS NOT NULL AND {dated})
SELECT t.member AS member, {cols}, t.who AS who FROM took t
    JOIN interactions i ON i.pk = t.ipk
    WHERE {dated} AND {active_on_sql("t", "i.date")} AND {counts}"""
        else:
            sql = f"""WITH picked AS MATERIALIZED ({picked}),
win AS MATERIALIZED (
    SELECT {cols}, i.host_pk AS host_pk FROM interactions i WHERE {dated} AND {counts}),
took AS MATERIALIZED (
    SELECT p.stakeholder_pk AS who, win.pk AS ipk, win.date AS date FROM win
        JOIN interaction_participants p ON p.interaction_pk = win.pk
    UNION ALL SELECT win.host_pk, win.pk, win.date FROM win WHERE win.host_pk IS NOT NULL),
people AS MATERIALIZED (SELECT DISTINCT who FROM took),
acting AS MATERIALIZED (
    SELECT rel.source_pk AS who, rel.target_pk AS org, rel.start AS start,
           rel."end" AS "end" FROM people JOIN relationships rel ON rel.source_pk = people.who
    WHERE {acting} AND {active_during_sql("rel", ":start", ":end")}),
hit AS (
    SELECT t.who AS member, t.ipk AS ipk, t.date AS date, t.who AS who FROM took t
    UNION ALL SELECT s.organisation_pk, t.ipk, t.date, t.who FROM took t
        JOIN stakeholders s ON s.pk = t.who
        WHERE s.organisation_pk IS NOT NULL AND s.organisation_pk <> s.pk
    UNION ALL SELECT a.org, t.ipk, t.date, t.who FROM acting a JOIN took t ON t.who = a.who
        WHERE {active_on_sql("a", "t.date")})"""
            if first_only:
                sql += f" SELECT h.member, MIN(h.date) FROM hit h {only} GROUP BY h.member"
            else:
                sql += f"""
SELECT h.member AS member, win.pk AS pk, win.date AS date, win.tagged AS tagged,
       h.who AS who FROM hit h JOIN win ON win.pk = h.ipk {only}"""
        if first_only and few:
            sql = f"SELECT x.member, MIN(x.date) FROM ({sql}) AS x GROUP BY x.member"
        if days:
            sql = (f"SELECT x.member, x.date, COUNT(DISTINCT x.pk) FROM ({sql}) AS x "
                   "GROUP BY x.member, x.date")
        stmt = text(sql).bindparams(*(bindparam(n, expanding=True) for n in set(expanding)))
        if days:
            return _raw_rows(self.s, stmt, params)
        return _raw_iter(self.s, stmt, params)

    def _members(self, pks: Iterable[int]) -> Selection | None:
        """Members given by pk as SQL; None for more than :attr:`FEW` (too many to bind
        under SQLite's limit on parameters: the caller picks them from everyone's)."""
        wanted = sorted(set(pks))
        if len(wanted) > self.FEW:
            return None
        return ("SELECT pk FROM stakeholders WHERE pk IN :member_pks",
                {"member_pks": wanted or [-1]}, ["member_pks"])

    def reached(self, members: Mapping[int, str], span: Period, c: Commitment | None, *,
                selector: Members | None = None) -> dict[int, list[_Reach]]:
        """The contacts within ``span`` counting for ``c`` (any, for None) that reached
        each of ``members`` (pk → id), by date: one per contact, however many of the
        party took part. ``selector``, when it picked the members, lets SQL pick them
        again (and look their parties up first, however many) instead of binding every
        pk."""
        if not members:
            return {}
        selection = (self.selection(selector) if selector is not None
                     and len(members) > self.FEW else self._members(members))
        found: dict[tuple[int, int], tuple[dt.date, bool, set[int]]] = {}
        day = _Days()
        for member, pk, d, tagged, who in self._party_rows(
                selection, span, c, few=selection is not None, first_only=False):
            if member not in members:
                continue
            hit = found.get((member, pk))
            if hit is None:
                hit = found[(member, pk)] = (day(d), bool(tagged), set())
            hit[2].add(who)
        out: dict[int, list[_Reach]] = defaultdict(list)
        for (member, pk), (when, tagged, via) in sorted(
                found.items(), key=lambda kv: (kv[1][0], kv[0][1])):
            out[member].append(_Reach(pk, when, tagged, frozenset(via)))
        return out

    def reached_days(self, members: Mapping[int, str], span: Period, c: Commitment, *,
                     selector: Members | None = None) -> dict[int, list[dt.date]]:
        """What :meth:`reached` finds for a status, without who of the party took part:
        each member's days of the contacts that reached them, a day once per contact, by
        date. Counted in SQL (a status needs no more; explaining does)."""
        if not members:
            return {}
        key = ("reached_days", c.id, frozenset(members), selector)
        hit = self._keep(key, span, lambda: self._reached_days(members, span, c, selector))
        if hit is None:
            return dict(self.kept[key][1])
        return {m: kept for m, dates in hit[1].items() if (kept := _dated(dates, span))}

    def keep_days(self, members: Mapping[int, str], span: Period, c: Commitment,
                  selector: Members | None, days: dict[int, list[dt.date]]) -> None:
        """Keep what :meth:`reached_days` would read, found by :meth:`reached` already."""
        key = ("reached_days", c.id, frozenset(members), selector)
        hit = self.kept.get(key)
        if hit is None or not (hit[0].start <= span.start and span.end <= hit[0].end):
            self.kept[key] = (span, days)

    def _reached_days(self, members: Mapping[int, str], span: Period, c: Commitment,
                      selector: Members | None) -> dict[int, list[dt.date]]:
        selection = (self.selection(selector) if selector is not None
                     and len(members) > self.FEW else self._members(members))
        out: dict[int, list[dt.date]] = defaultdict(list)
        day = _Days()
        for member, d, n in self._party_rows(selection, span, c, few=selection is not None,
                                             first_only=False, days=True):
            if member in members:
                out[member] += [day(d)] * int(n)
        for dates in out.values():
            dates.sort()
        return out

    def contacts(self, pks: Iterable[int], span: Period, c: Commitment | None) -> dict[
        int, list[dt.date]
    ]:
        """The days on which each of ``pks`` was reached by a contact counting for ``c``
        (:meth:`reached`); with ``c`` None, by any contact, and only the first day
        (enough to tell whether)."""
        wanted = set(pks)
        if not wanted:
            return {}
        if c is not None:
            return {m: [r.date for r in hits]
                    for m, hits in self.reached(dict.fromkeys(wanted, ""), span, c).items()}
        selection = self._members(wanted)
        day = _Days()
        return {member: [day(first)] for member, first in self._party_rows(
            selection, span, None, few=selection is not None, first_only=True)
            if member in wanted}

    # --- structural commitments ------------------------------------------------------------

    def ties_exist(self, c: Commitment, on: dt.date) -> list[tuple[str, bool]]:
        result = []
        for tie in c.requires:
            found = self.s.execute(
                text(f"""SELECT 1 FROM relationships rel
                        JOIN stakeholders a ON a.pk = rel.source_pk
                        JOIN stakeholders b ON b.pk = rel.target_pk
                        WHERE a.id = :a AND b.id = :b AND rel.kind = :k
                          AND {active_on_sql("rel", ":d")}"""),
                {"a": tie.source, "b": tie.target, "k": tie.kind, "d": on},
            ).first()
            result.append((f"{tie.source} {tie.kind} {tie.target}", found is not None))
        return result


def _dated(rows: Sequence[Any], span: Period) -> list[Any]:
    """Those of ``rows`` (sorted by date: dates, or contacts with a ``date``) within
    ``span``."""
    key: Any = None if not rows or isinstance(rows[0], dt.date) else (lambda r: r.date)
    first = bisect.bisect_left(rows, span.start, key=key)
    return list(rows[first:bisect.bisect_right(rows, span.end, key=key)])


class _Days:
    """Dates from the driver (date objects, or ISO text on SQLite), each text parsed once."""

    def __init__(self) -> None:
        self.seen: dict[Any, dt.date] = {}

    def __call__(self, value: Any) -> dt.date:
        day = self.seen.get(value)
        if day is None:
            day = self.seen[value] = _date(value)
        return day


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _raw_iter(session: Session, stmt: Any, params: Mapping[str, Any]) -> Iterator[
    tuple[Any, ...]
]:
    """The rows of a statement as the driver gives them, one by one (no Row object each):
    an explanation reads every (member, contact, who) of a year."""
    result = session.connection().execute(stmt, dict(params))
    try:
        cursor = getattr(result, "cursor", None)
        if cursor is not None:
            yield from cursor
        else:
            yield from (tuple(r) for r in result)
    finally:
        result.close()


def _raw_rows(session: Session, stmt: Any, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """The rows of a statement as the driver gives them (tuples; no Row object each): for
    the many rows a status counts."""
    result = session.connection().execute(stmt, dict(params))
    try:
        cursor = getattr(result, "cursor", None)
        return list(cursor) if cursor is not None else [tuple(r) for r in result]
    finally:
        result.close()

"""The interaction log as coverage and commitments read it.

:class:`_Log` holds one evaluation's queries on one session: the interactions that count
for a commitment (tagged with it, or of its kinds), the interactions of one kind, the
stakeholders a selector picks, the dates on which stakeholders were reached, and whether
the ties a structural commitment requires exist.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, text

from ..periods import Period
from ..plan import Commitment, Members, Plan, TargetGroup
from ..store.rules import active_on_sql, members_sql

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..workspace import Workspace


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
                text(f"""SELECT 1 FROM relationships rel
                        JOIN stakeholders a ON a.pk = rel.source_pk
                        JOIN stakeholders b ON b.pk = rel.target_pk
                        WHERE a.id = :a AND b.id = :b AND rel.kind = :k
                          AND {active_on_sql("rel", ":d")}"""),
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

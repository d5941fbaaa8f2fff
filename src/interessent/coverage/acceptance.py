"""Acceptance: how many of a target group's members who have a known stance support the
programme.

For each group, on a day: the members (by :func:`~interessent.store.rules.members_sql`,
the group's registered members and those its rule selects) whose stance in force that
day is known (:func:`~interessent.store.rules.stance_as_of_sql`: the newest recorded
with ``since`` on or before the day), and how many of them support the programme.
``acceptance`` is ``supporting / known``, or None when no member's stance is known: an
unknown stance is neither support nor opposition, and a group nobody has asked is not a
group that rejects the programme.

Every group is counted in one query. When no stance is recorded at all (the stances
table is empty, as in every register before stances were kept) that query is not run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from attrs import frozen
from sqlalchemy import bindparam, text

from ..model import Stance
from ..store.rules import members_sql, stance_as_of_sql

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..plan import TargetGroup

__all__ = ["Acceptance", "acceptance_by_group", "acceptance_sql"]


@frozen
class Acceptance:
    """A group's members with a known stance (``known``) and those of them who support the
    programme (``supporting``)."""

    known: int = 0
    supporting: int = 0

    @property
    def share(self) -> float | None:
        """``supporting / known``; None when no member's stance is known."""
        return self.supporting / self.known if self.known else None


def acceptance_sql(groups: Sequence[TargetGroup]) -> tuple[Any, dict[str, Any]]:
    """One statement: per group (``gkey``), its members with a stance in force on ``:day``
    (``known``) and of them those who support the programme (``supporting``), a row a
    group. Returns the statement and its parameters but ``day``."""
    selects, params, expanding = [], {}, []
    for n, group in enumerate(groups):
        sql, p, e = members_sql(group, n)
        # Driven from the stances known (few), each looked up in the group's members
        # (one IN list a group, built once): the members are not joined row by row.
        # (keys and values are bound parameters; ``sql`` is the store's own text)
        select = (f"SELECT CAST(:k{n} AS VARCHAR(100)) AS gkey, COUNT(*) AS known, "  # noqa: S608
                  "SUM(CASE WHEN k.stance = :support THEN 1 ELSE 0 END) AS supporting "
                  f"FROM known k WHERE k.pk IN ({sql})")
        selects.append(select)
        params.update(p)
        params[f"k{n}"] = group.key
        expanding += e
    params["support"] = Stance.SUPPORT.value
    sql = f"""
WITH known AS MATERIALIZED ({stance_as_of_sql(":day")})
{" UNION ALL ".join(selects)}"""
    stmt = text(sql).bindparams(*(bindparam(name, expanding=True) for name in expanding))
    return stmt, params


def acceptance_by_group(session: Session, groups: Sequence[TargetGroup],
                        day: dt.date) -> dict[str, Acceptance]:
    """Each group's :class:`Acceptance` on ``day``, by key (every group of ``groups``)."""
    out = {g.key: Acceptance() for g in groups}
    if not groups or session.execute(text("SELECT 1 FROM stances LIMIT 1")).first() is None:
        return out
    stmt, params = acceptance_sql(groups)
    for row in session.execute(stmt, {**params, "day": day}):
        if row.known:
            out[row.gkey] = Acceptance(int(row.known), int(row.supporting or 0))
    return out

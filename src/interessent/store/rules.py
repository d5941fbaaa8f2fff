"""The SQL forms of the business rules in :mod:`interessent.rules`.

Each function returns SQL text over the store's tables (``stakeholders``,
``stakeholder_roles``, ``stakeholder_groups``, ``stakeholder_tags``, ``relationships``),
with the values as bound parameters, built from the same constants as the Python form.
``tests/test_rules.py`` runs both forms over generated data and compares the results.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    Table,
    TextualSelect,
    and_,
    bindparam,
    or_,
    text,
)

from ..model import Stance
from ..rules import ACTING_TIE_KINDS

if TYPE_CHECKING:
    from ..plan import Plan, TargetGroup

__all__ = [
    "Selection",
    "acting_tie_sql",
    "active_during_sql",
    "active_on_sql",
    "as_query",
    "tie_active_clause",
    "members_sql",
    "party_sql",
    "programme_people_sql",
    "stance_as_of_sql",
]

#: A SELECT of stakeholder pks, its parameters, and which of them expand to lists.
Selection = tuple[str, dict[str, Any], list[str]]


def active_during_sql(alias: str = "rel", first: str = ":start", last: str = ":end") -> str:
    """:func:`interessent.rules.tie_active_during` for the relationship row ``alias``,
    between the SQL expressions ``first`` and ``last`` (bound parameters, usually)."""
    return (f"({alias}.start IS NULL OR {alias}.start <= {last}) "
            f'AND ({alias}."end" IS NULL OR {alias}."end" >= {first})')


def active_on_sql(alias: str = "rel", day: str = ":day") -> str:
    """:func:`interessent.rules.tie_active_on`: active during the one-day span ``day``."""
    return active_during_sql(alias, day, day)


def tie_active_clause(table: Table, first: dt.date, last: dt.date) -> ColumnElement[bool]:
    """The Core form of :func:`active_during_sql` for the relationships table ``table``."""
    return and_(or_(table.c.start.is_(None), table.c.start <= last),
                or_(table.c.end.is_(None), table.c.end >= first))


def as_query(selection: Selection, **values: Any) -> TextualSelect:
    """A selection as a Core statement with one ``pk`` column, its parameters bound (and
    ``values`` for those the selection leaves to the caller, such as ``day``)."""
    sql, params, expanding = selection
    params = {**params, **values}
    binds: list[BindParameter[Any]] = [bindparam(name, value, expanding=name in expanding)
             for name, value in params.items()]
    return text(sql).bindparams(*binds).columns(pk=Integer)


def programme_people_sql(plan: Plan, n: int | str = "") -> Selection:
    """:func:`interessent.rules.is_programme_own`: the pks of the programme's organisation
    and of everyone holding a role the plan marks ``programme = true``."""
    params: dict[str, Any] = {f"own_org{n}": plan.programme.organisation or "",
                              f"own_roles{n}": sorted(plan.programme_roles) or [""]}
    sql = (f"SELECT pk FROM stakeholders WHERE id = :own_org{n} AND id <> '' "
           f"UNION SELECT stakeholder_pk FROM stakeholder_roles WHERE role IN :own_roles{n}")
    return sql, params, [f"own_roles{n}"]


def members_sql(group: TargetGroup, n: int) -> Selection:
    """:func:`interessent.rules.is_member`: the pks of a group's members, registered or
    selected by the group's rule. ``n`` keeps parameter names apart in one statement."""
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


def acting_tie_sql(alias: str = "rel", n: int | str = "", *, literal: bool = False) -> Selection:
    """The tie half of :func:`interessent.rules.acts_for`: the condition that the
    relationship row ``alias`` makes its source act for its target (a works-for, leads or
    chair tie, not to oneself). Whether it holds on a day is :func:`active_on_sql`; the
    other half, the ``organisation`` field, is ``stakeholders.organisation_pk``.
    Returns the condition, its parameters and which of them expand to lists; with
    ``literal`` the kinds (fixed keys, never user data) are written into the text."""
    name = f"party_acting{n}"
    if literal:
        kinds = ", ".join(f"'{k}'" for k in sorted(ACTING_TIE_KINDS))
        return f"{alias}.kind IN ({kinds}) AND {alias}.source_pk <> {alias}.target_pk", {}, []
    return (f"{alias}.kind IN :{name} AND {alias}.source_pk <> {alias}.target_pk",
            {name: sorted(ACTING_TIE_KINDS)}, [name])


def party_sql(n: int | str = "", day: str = ":day") -> Selection:
    """:func:`interessent.rules.party_of`: the pks of the organisation whose id is bound to
    ``:party_org{n}`` and of everyone who acts for it on ``day`` (their organisation field
    names it, or a works-for, leads or chair tie to it is active)."""
    acting, params, expanding = acting_tie_sql("rel", n)
    sql = f"""SELECT pk FROM stakeholders WHERE id = :party_org{n}
UNION SELECT p.pk FROM stakeholders p JOIN stakeholders o ON o.pk = p.organisation_pk
      WHERE o.id = :party_org{n} AND p.pk <> o.pk
UNION SELECT rel.source_pk FROM relationships rel JOIN stakeholders o ON o.pk = rel.target_pk
      WHERE o.id = :party_org{n} AND {acting}
        AND {active_on_sql("rel", day)}"""
    return sql, params, expanding


def stance_as_of_sql(day: str = ":day") -> str:
    """:func:`interessent.stance.in_force`: each stakeholder's stance on ``day`` (columns
    ``pk``, ``stance``): the newest of its stances recorded from that day or earlier
    (``since`` ≤ ``day``), the one recorded last among those of the same day. A
    stakeholder without such a stance has no row; a row that holds no stance interessent
    knows (written by hand) is passed over, as the Python form passes it over. A window
    function, which SQLite (3.25 and later) and PostgreSQL both run; ``stances`` holds one
    row per change of stance, so this reads few rows."""
    known = ", ".join(f"'{s.value}'" for s in Stance)  # fixed words, never user data
    return f"""SELECT ranked.pk AS pk, ranked.stance AS stance FROM (
    SELECT st.stakeholder_pk AS pk, st.stance AS stance,
           ROW_NUMBER() OVER (PARTITION BY st.stakeholder_pk
                              ORDER BY st.since DESC, st.pk DESC) AS newest
    FROM stances st WHERE st.since <= {day} AND st.stance IN ({known})) AS ranked
WHERE ranked.newest = 1"""

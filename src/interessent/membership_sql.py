"""The SQL form of target-group membership.

:func:`interessent.workspace.is_member` tells in Python whether one stakeholder is in a
group; :func:`members_sql` selects the pks of all of a group's members in SQL: registered
in the group, or picked by its rule. Coverage and the leader ranking both use it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .plan import TargetGroup

__all__ = ["members_sql"]


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

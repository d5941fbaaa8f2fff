"""Everyday register work: find, show, add and edit stakeholders; log interactions.

Values typed by a person go through the same checks as an imported row (see
:mod:`interessent.importing`), so a role, group or kind is spelt one way everywhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from attrs import frozen

if TYPE_CHECKING:
    from .model import Interaction, Relationship, Stakeholder
    from .workspace import Workspace

__all__ = ["StakeholderProfile", "find_stakeholders", "stakeholder_profile"]


def find_stakeholders(
    ws: Workspace,
    *,
    group: str | None = None,
    role: str | None = None,
    tag: str | None = None,
    search: str | None = None,
) -> list[Stakeholder]:
    """Stakeholders sorted by id; ``group`` includes members by the group's rule."""
    from .workspace import is_member

    if group is not None:
        target = ws.plan.group(group)
        found = ws.store.stakeholders(role=role, tag=tag, search=search)
        return [s for s in found if is_member(s, target)]
    return ws.store.stakeholders(role=role, tag=tag, search=search)


@frozen
class StakeholderProfile:
    """One stakeholder with their ties and their interactions with the programme."""

    stakeholder: Stakeholder
    organisation_name: str | None
    relationships: tuple[Relationship, ...]
    interactions: tuple[Interaction, ...]
    names: dict[str, str]

    def as_dict(self) -> dict[str, Any]:
        import attrs

        return {
            **attrs.asdict(self.stakeholder, recurse=False),
            "relationships": [attrs.asdict(r) for r in self.relationships],
            "interactions": [attrs.asdict(i) for i in self.interactions],
        }

    def lines(self) -> list[str]:
        s = self.stakeholder
        org = f"{self.organisation_name} ({s.organisation})" if s.organisation else None
        rows: list[tuple[str, Any]] = [
            ("id", s.id), ("name", s.name), ("kind", s.kind.value), ("organisation", org),
            ("email", s.email), ("phone", s.phone), ("address", s.address),
            ("roles", ", ".join(s.roles)), ("groups", ", ".join(s.groups)),
            ("influence", s.influence), ("interest", s.interest),
            ("language", s.language.value), ("legal basis", s.legal_basis),
            ("tags", ", ".join(s.tags)), ("notes", s.notes),
        ]
        if s.opted_out:
            rows.append(("opted out", "yes"))
        if s.restricted:
            rows.append(("restricted", "yes"))
        out = [f"{k:<13} {v}" for k, v in rows if v not in (None, "")]
        out.append(f"\nRelationships ({len(self.relationships)}):")
        for r in self.relationships:
            other = r.target if r.source == s.id else r.source
            arrow = "→" if r.source == s.id else "←"
            arrow = arrow if r.directed else "↔"
            out.append(f"  {arrow} {r.kind:<14} {self.names.get(other, other)} ({other}), "
                       f"strength {r.strength:.2f}")
        out.append(f"\nInteractions ({len(self.interactions)}, newest first):")
        for i in self.interactions[:15]:
            flag = " ★" if i.success else ""
            out.append(f"  {i.date.isoformat()}  {i.kind:<13} {i.topic or ''}{flag}")
        if len(self.interactions) > 15:
            out.append(f"  … and {len(self.interactions) - 15} more")
        return out


def stakeholder_profile(ws: Workspace, id: str) -> StakeholderProfile:
    """Everything the register holds about one stakeholder, for a person to read."""
    store = ws.store
    s = store.stakeholder(id)
    rels = store.relationships(stakeholder=id)
    others = {r.source for r in rels} | {r.target for r in rels}
    if s.organisation:
        others.add(s.organisation)
    names = {o.id: o.name for o in store.stakeholders(ids=sorted(others))}
    interactions = store.interactions(stakeholder=id)
    return StakeholderProfile(
        stakeholder=s,
        organisation_name=names.get(s.organisation) if s.organisation else None,
        relationships=tuple(rels),
        interactions=tuple(reversed(interactions)),
        names=names,
    )

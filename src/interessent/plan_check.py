"""Checking a plan against its workspace: :func:`check_plan`.

The plan loader (:mod:`interessent.plan`) validates the file on its own; this module looks
at what the file names in the register (stakeholders not registered yet) and at what
the plan can count, and reports them as warnings. Checking creates no database.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from attrs import frozen

from .model import BUILTIN_INTERACTION_KINDS
from .plan import Plan

if TYPE_CHECKING:
    from .workspace import Workspace

__all__ = ["PlanReport", "check_plan"]


@frozen
class PlanReport:
    """The outcome of :func:`check_plan`: the valid plan and what deserves a look."""

    plan: Plan
    warnings: tuple[str, ...] = ()

    def summary(self) -> str:
        p = self.plan
        return (
            f"{p.source} is valid: {len(p.groups)} target groups, {len(p.commitments)} "
            f"commitments, {len(p.channels)} channels, {len(p.roles)} roles"
            + (f", {len(self.warnings)} warnings" if self.warnings else "")
        )


def check_plan(ws: Workspace) -> PlanReport:
    """Validate the workspace's plan (raising :class:`PlanError`), then look up the
    stakeholders it names in the store; those not registered yet are warnings."""
    plan = ws.plan
    named: list[tuple[str, str]] = []
    if plan.programme.organisation:
        named.append(("programme.organisation", plan.programme.organisation))
    for i, c in enumerate(plan.commitments):
        named += [(f"commitments[{i}].members.ids", x) for x in c.members.ids]
        named += [(f"commitments[{i}].host.ids", x) for x in c.host.ids]
        for j, tie in enumerate(c.requires):
            named += [(f"commitments[{i}].requires[{j}].source", tie.source),
                      (f"commitments[{i}].requires[{j}].target", tie.target)]
    for i, g in enumerate(plan.groups):
        named += [(f"groups[{i}].rule.ids", x) for x in g.rule.ids]
    named += [("leaders.pinned", x) for x in plan.leaders.pinned]
    named += [("leaders.excluded", x) for x in plan.leaders.excluded]
    warnings = [
        f"interaction_kinds[{i}]: {k.key!r} declares no categories, so it counts as "
        "neither direct contact, a gathering, something written nor a broadcast"
        for i, k in enumerate(plan.interaction_kinds)
        if not k.categories and k.key not in BUILTIN_INTERACTION_KINDS
    ]
    if _has_database(ws):  # checking a plan creates no database
        known = set(ws.store.pk_ids({x for _, x in named}))
        warnings += [f"{path}: no stakeholder {value!r} is registered yet"
                     for path, value in named if value not in known]
    return PlanReport(plan, tuple(warnings))


def _has_database(ws: Workspace) -> bool:
    """Whether the workspace's database is open, on a server, or a SQLite file that exists."""
    from sqlalchemy.engine import make_url

    url = make_url(ws.db_url)
    name = (url.database or "").removeprefix("file:").split("?")[0]
    return (getattr(ws, "_store", None) is not None or url.get_backend_name() != "sqlite"
            or (name not in ("", ":memory:") and Path(name).is_file()))

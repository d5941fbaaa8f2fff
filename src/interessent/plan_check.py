"""Checking a plan against its workspace: :func:`check_plan`.

The plan loader (:mod:`interessent.plan`) validates the file on its own; this module looks
at what the file names in the register (stakeholders not registered yet) and at what
the plan can count, and reports them as warnings. Checking creates no database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
from attrs import frozen

from .i18n import gettext, ngettext
from .model import BUILTIN_INTERACTION_KINDS
from .periods import Period
from .plan import CommitmentKind, Members, Plan, TargetGroup
from .rules import KindCategory, is_member, kind_categories

if TYPE_CHECKING:
    from .model import Stakeholder
    from .workspace import Workspace

__all__ = ["PlanReport", "check_plan"]


@frozen
class PlanReport:
    """The outcome of :func:`check_plan`: the valid plan and what deserves a look."""

    plan: Plan
    warnings: tuple[str, ...] = ()

    def summary(self) -> str:
        p = self.plan
        line = gettext("{source} is valid: {groups} target groups, {commitments} "
                       "commitments, {channels} channels, {roles} roles").format(
            source=p.source, groups=len(p.groups), commitments=len(p.commitments),
            channels=len(p.channels), roles=len(p.roles))
        if self.warnings:
            line += ngettext(", {n} warning", ", {n} warnings", len(self.warnings)).format(
                n=len(self.warnings))
        return line


def check_plan(ws: Workspace) -> PlanReport:
    """Validate the workspace's plan (raising :class:`PlanError`), then look up the
    stakeholders it names in the store; those not registered yet, or registered with
    their id in another case, are warnings, and so are look-alike ids in the store."""
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
        gettext("interaction_kinds[{i}]: {key!r} declares no categories, so it counts as "
                "neither direct contact, a gathering, something written nor a "
                "broadcast").format(i=i, key=k.key)
        for i, k in enumerate(plan.interaction_kinds)
        if not k.categories and k.key not in BUILTIN_INTERACTION_KINDS
    ]
    if _has_database(ws):  # checking a plan creates no database
        known = ws.store.registered_ids({x for _, x in named})
        warnings += [
            gettext("{path}: no stakeholder {value!r} is registered yet").format(
                path=path, value=value) if value not in known else
            gettext("{path}: {value!r} is registered as {registered!r}; the plan names "
                    "stakeholders by their id exactly as registered").format(
                path=path, value=value, registered=known[value])
            for path, value in named if known.get(value) != value
        ]
        warnings += [f"{kind} {', '.join(map(repr, ids))} have ids that differ only in case "
                     "or Unicode form (registered before ids were kept unique in any case); "
                     "each is found only by its exact id; erase the one that is a duplicate"
                     for kind, ids in ws.store.look_alike_ids()]
        warnings += _counting_warnings(plan, ws.store.stakeholders)
    else:
        warnings += _counting_warnings(plan, None)
    return PlanReport(plan, tuple(warnings))


def _has_database(ws: Workspace) -> bool:
    """Whether the workspace's database is open, on a server, or a SQLite file that exists."""
    from sqlalchemy.engine import make_url

    url = make_url(ws.db_url)
    name = (url.database or "").removeprefix("file:").split("?")[0]
    return (getattr(ws, "_store", None) is not None or url.get_backend_name() != "sqlite"
            or (name not in ("", ":memory:") and Path(name).is_file()))


def _counting_warnings(plan: Plan, register: Callable[[], Sequence[Stakeholder]] | None,
                       ) -> Iterator[str]:
    """Commitments that can count nothing from the log (or less than they seem to): an id
    the log cannot name, a phase outside the programme, a selector that picks no
    registered stakeholder, kinds that name nobody. ``register`` gives the stakeholders,
    read only when a selector needs them (None: no database yet, so selectors are not
    checked against the register)."""
    people: Sequence[Stakeholder] | None = None
    programme = Period(plan.programme.start, plan.programme.end or dt.date.max)
    for i, c in enumerate(plan.commitments):
        p, nothing = f"commitments[{i}]", f"so nothing can count for {c.id}"
        if c.counts_contacts and ("|" in c.id or c.id != c.id.strip() or not c.id):
            yield f"{p}.id: {c.id!r} cannot be written in the log's commitments column"
        if c.phase and c.phase in {x.key for x in plan.phases} and not plan.phase(
                c.phase).period.overlaps(programme):
            yield f"{p}.phase: {c.phase!r} lies outside the programme's dates, {nothing}"
        selectors = [(name, sel) for name, sel in (("members", c.members), ("host", c.host),
                                                   ("participants", c.participants)) if sel]
        if c.kind is CommitmentKind.LEADERS:
            selectors.append(("groups", Members(groups=c.groups)))
        for name, sel in selectors:
            if register is None:
                break
            people = register() if people is None else people
            if not any(_selected(sel, s, plan) for s in people or ()):
                yield (f"{p}.{name}: selects no registered stakeholder, " + (
                    f"so only contacts tagged {c.id} count" if name == "participants"
                    else nothing))
        named = c.kind in (CommitmentKind.PER_MEMBER, CommitmentKind.LEADERS) or bool(
            c.participants)
        if named and c.kinds and all(KindCategory.BROADCAST in kind_categories(k, plan)
                                     and KindCategory.DIRECT not in kind_categories(k, plan)
                                     for k in c.kinds):
            yield (f"{p}.kinds: {', '.join(c.kinds)} address an audience and name nobody "
                   "who took part, so only tagged contacts with participants count")
        if c.kinds and (left := [k for k in c.including if k not in c.kinds]):
            yield (f"{p}.including: {', '.join(left)} is not among its kinds, so only "
                   f"contacts tagged {c.id} can supply it")


def _selected(sel: Members, s: Stakeholder, plan: Plan) -> bool:
    """Whether a commitment's selector (``members``, ``host``, ``participants``) picks a
    stakeholder: by id, role, tag or kind, or as a member of one of its target groups
    (registered or by the group's rule: :func:`interessent.rules.is_member`)."""
    own = TargetGroup(key="", name="", rule=attrs.evolve(sel, groups=()))
    return is_member(s, own) or any(is_member(s, plan.group(g)) for g in sel.groups)

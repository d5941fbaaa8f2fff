"""Why an opinion leader ranks where they do, in words a daglig leder can use.

:func:`leader_reasons` reads a ranking (:class:`~interessent.graph.scores.LeaderScore`)
as sentences in the current language (:mod:`interessent.i18n`): how many people of the
group (or of the register) are tied to the leader, how many of them are opinion leaders
too, the influence the register declares, a role the plan weighs, and a place pinned by
the plan. The numbers behind each sentence stay in the score (``leaders --format
json``). The register holds no pronouns, so a sentence names the person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..i18n import gettext, localized, ngettext
from .scores import LeaderScore

if TYPE_CHECKING:
    from ..workspace import Workspace

__all__ = ["leader_reasons"]


def leader_reasons(ws: Workspace, leaders: Sequence[LeaderScore], *,
                   group: str | None = None, as_of: dt.date | None = None) -> dict[str, str]:
    """Stakeholder id → one sentence saying why they rank where they do among ``leaders``
    (a ranking, within ``group`` if given), on the ties active on ``as_of`` (default
    today)."""
    day = as_of or dt.date.today()
    plan = ws.plan
    target = plan.group(group) if group else None
    within = {s.id for s in ws.members(target)} if target else None
    ids = {s.id for s in leaders}
    ties: dict[str, set[str]] = {i: set() for i in ids}
    for r in ws.store.relationships():
        if not r.active_on(day):
            continue
        for one, other in ((r.source, r.target), (r.target, r.source)):
            if one in ties and other != one and (within is None or other in within):
                ties[one].add(other)
    people = {s.id: s for s in ws.store.stakeholders(ids=sorted(ids))}
    weighted = {r.key: r for r in plan.roles if r.weight > 0}
    out: dict[str, str] = {}
    for score in leaders:
        name = score.name
        tied = ties.get(score.id, set())
        others = len(tied & ids)
        if target is not None:
            parts = [ngettext("{n} in {group} is tied to {name}",
                              "{n} in {group} are tied to {name}", len(tied)).format(
                n=len(tied), group=localized(target.name), name=name)]
        else:
            parts = [ngettext("{n} person in the register is tied to {name}",
                              "{n} people in the register are tied to {name}",
                              len(tied)).format(n=len(tied), name=name)]
        if others:
            parts[0] += ngettext(", among them {n} other opinion leader",
                                 ", among them {n} other opinion leaders", others).format(
                n=others)
        person = people.get(score.id)
        if person is not None and person.influence is not None:
            parts.append(gettext("the register sets {name}'s influence to {influence} of 5")
                         .format(name=name, influence=person.influence))
        role = next((weighted[k] for k in (person.roles if person else ()) if k in weighted),
                    None)
        if role is not None:
            parts.append(gettext("the plan weighs the role {role}").format(
                role=localized(role.name).lower()))
        if score.pinned:
            parts.append(gettext("the plan puts {name} first").format(name=name))
        out[score.id] = gettext("ranked no. {rank} because {reasons}").format(
            rank=score.rank, reasons="; ".join(parts))
    return out

"""What to do next: the commitments that need attention, and whom to contact.

:func:`due` lists the commitments overdue, behind or falling due soon, and the members
(opinion leaders first) not reached in the current window of their group's shortest
cadence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import attrs
from attrs import frozen

from ..graph import rank_leaders
from ..periods import Period, Unit
from ..plan import Members, Plan
from .commitments import CommitmentStatus, Status, check_commitments
from .interaction_log import _Log

if TYPE_CHECKING:
    from ..workspace import Workspace

__all__ = ["Contact", "DueItem", "Dues", "due"]


@frozen
class DueItem:
    """A commitment that needs attention, with whom to contact."""

    commitment: CommitmentStatus
    urgency: str  # "overdue", "behind", "due soon", "due"


@frozen
class Contact:
    """A stakeholder to contact next, and why: a member (an opinion leader, if ``leader``)
    of ``group`` not reached in the current ``window`` of the group's shortest cadence."""

    id: str
    name: str
    group: str
    value: float
    reason: str
    leader: bool = False
    window: Unit = Unit.YEAR


@frozen
class Dues:
    """The answer to "what should we do next?" on ``as_of``."""

    as_of: dt.date
    within: int
    items: tuple[DueItem, ...]
    contacts: tuple[Contact, ...]


def due(ws: Workspace, *, as_of: dt.date | None = None, within_days: int = 30,
        contacts: int = 10) -> Dues:
    """Commitments overdue, behind or falling due within ``within_days`` of ``as_of``, and
    the uncovered members and leaders most worth contacting next."""
    as_of = as_of or dt.date.today()
    plan = ws.plan
    year = Period.year(as_of.year)
    statuses = check_commitments(ws, year, as_of=as_of)
    order = {Status.OVERDUE: 0, Status.BEHIND: 1, Status.DUE: 2}
    items = []
    for st in sorted(statuses, key=lambda s: (order.get(s.status, 9), s.due or dt.date.max, s.id)):
        if st.status not in order:
            continue
        urgency = st.status.value
        if st.status is Status.DUE:
            if st.due is None or (st.due - as_of).days > within_days:
                continue
            urgency = "due soon"
        items.append(DueItem(st, urgency))
    return Dues(as_of, within_days, tuple(items), tuple(_next_contacts(ws, plan, as_of,
                                                                       contacts)))


def _next_contacts(ws: Workspace, plan: Plan, as_of: dt.date, limit: int) -> list[Contact]:
    """Members not reached in the current window of their group's shortest cadence, leaders
    first, then by declared influence."""
    scores = {s.id: s.score for s in rank_leaders(ws, as_of=as_of)}
    pinned = set(plan.leaders.pinned)
    best: dict[str, Contact] = {}
    with ws.store.read() as session:
        log = _Log(ws, session)
        for g in plan.groups:
            cadences = [c.cadence for c in plan.commitments if g.key in c.groups and c.cadence]
            unit = min(cadences, key=lambda u: u.months) if cadences else Unit.YEAR
            window = unit.window(as_of)
            members = log.select(Members(groups=(g.key,))) | log.select(g.rule)
            hits = log.contacts(members, Period(window.start, as_of), None)
            top = set(_best_of(scores, members.values(), plan.leaders.top)) | pinned
            for pk, sid in members.items():
                if hits.get(pk):
                    continue
                value = scores.get(sid, 0.0) + (1.0 if sid in top else 0.0)
                reason = (f"opinion leader in {g.key}, not reached this {unit.value}"
                          if sid in top else f"member of {g.key}, not reached this {unit.value}")
                if sid not in best or best[sid].value < value:
                    best[sid] = Contact(sid, "", g.key, value, reason, sid in top, unit)
    names = {s.id: s for s in ws.store.stakeholders(ids=list(best))}
    chosen = [c for c in best.values() if not (names[c.id].opted_out or names[c.id].restricted)]
    chosen.sort(key=lambda c: (-c.value, c.id))
    return [attrs.evolve(c, name=names[c.id].name) for c in chosen[:limit]]


def _best_of(scores: Mapping[str, float], ids: Iterable[str], top: int) -> list[str]:
    """The ``top`` best-scored of ``ids``."""
    return sorted(ids, key=lambda i: (-scores.get(i, 0.0), i))[:top]

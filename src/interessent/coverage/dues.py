"""What to do next: the commitments that need action now, and whom to contact.

:func:`due` lists the commitments whose window open on the day is not met yet: those
already overdue or behind (an earlier window was missed), those whose work must start now
(the window's last day, less the commitment's lead time, has come) and those whose start
falls within the horizon. A commitment whose open window is met already is not listed,
even when an earlier window was missed: it stays "behind" in ``coverage``, but nothing
needs doing now. A structural commitment is listed while a tie it requires is missing.

Whom to contact next follows each person's own cadence: a member of a per-member
commitment, or one of a leaders commitment's leaders, is due a contact when that
commitment's open window lacks them; anyone else in a target group when they were not
reached in the current window of the plan's contact interval (``[due] contact_interval``).
Opinion leaders come first, then the best-ranked.

Open concerns raised by an opinion leader (the same leaders: a group's best-ranked, the
plan's pinned ones, the leaders of a leaders commitment) are listed with them, and every
follow-up task open on the day (created by then, not done by then), soonest due first,
the overdue ones marked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from attrs import frozen
from sqlalchemy import text

from ..followup import Concern, Task, concerns, tasks
from ..i18n import gettext, localized, ngettext, this_unit
from ..periods import Period, Unit
from ..plaindata import plain, rounded
from ..plan import CommitmentKind, Members, Plan
from ..rules import is_programme_own
from .commitments import (
    CommitmentStatus,
    Status,
    WindowResult,
    WindowState,
    _commitment_leaders,
    check_commitments,
)
from .interaction_log import _KEPT, _Log
from .reach import reached_sql

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..workspace import Workspace

__all__ = ["Contact", "DueConcern", "DueItem", "Dues", "due"]


@frozen
class DueItem:
    """A commitment that needs action now.

    ``urgency``: ``overdue`` or ``behind`` (an earlier window was missed and the open one
    is not met), ``start now`` (the open window's last day, less ``lead_time`` days, has
    come), ``due soon`` (that start day falls within the horizon). ``start_by`` is the
    open window's last day less the lead time."""

    commitment: CommitmentStatus
    urgency: str
    start_by: dt.date | None = None
    lead_time: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Plain data: the urgency, the commitment's :meth:`CommitmentStatus.to_dict`,
        ``start_by`` as ISO text and ``lead_time`` in days."""
        return {"urgency": self.urgency, **self.commitment.to_dict(),
                "start_by": plain(self.start_by), "lead_time": self.lead_time}


@frozen
class Contact:
    """A stakeholder to contact next, and why: not reached in the current ``window`` of
    their own cadence (``count`` times), that of ``commitment`` (a per-member or leaders
    commitment they are in) or, with ``commitment`` None, the plan's contact interval.
    ``group`` is the commitment's first group, or the first group they are a member of;
    ``leader`` marks an opinion leader."""

    id: str
    name: str
    group: str
    value: float
    reason: str
    leader: bool = False
    window: Unit = Unit.YEAR
    commitment: str | None = None
    count: int = 1

    def to_dict(self) -> dict[str, Any]:
        """Plain data; ``value`` to four decimals, ``window`` by name (``quarter``)."""
        return {"id": self.id, "name": self.name, "group": self.group,
                "value": rounded(self.value), "reason": self.reason, "leader": self.leader,
                "window": self.window.value, "commitment": self.commitment,
                "count": self.count}


@frozen
class DueConcern:
    """An open concern raised by an opinion leader: ``leaders`` are those of its people
    who are one."""

    concern: Concern
    leaders: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain data: the concern's :meth:`~interessent.Concern.to_dict` and
        ``leaders``."""
        return {**self.concern.to_dict(), "leaders": list(self.leaders)}


@frozen
class Dues:
    """The answer to "what should we do next?" on ``as_of``."""

    as_of: dt.date
    within: int
    items: tuple[DueItem, ...]
    contacts: tuple[Contact, ...]
    concerns: tuple[DueConcern, ...] = ()
    tasks: tuple[Task, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain data (the JSON of ``due``): ``as_of``, ``within_days``, the
        ``commitments`` that need action (:meth:`DueItem.to_dict`), the ``contacts``
        (:meth:`Contact.to_dict`), the open ``concerns`` of opinion leaders
        (:meth:`DueConcern.to_dict`) and the open ``tasks`` (each with ``overdue``)."""
        return {"as_of": plain(self.as_of), "within_days": self.within,
                "commitments": [i.to_dict() for i in self.items],
                "contacts": [c.to_dict() for c in self.contacts],
                "concerns": [c.to_dict() for c in self.concerns],
                "tasks": [{**t.to_dict(), "overdue": t.overdue(self.as_of)}
                          for t in self.tasks]}


_ORDER = {"overdue": 0, "behind": 1, "start now": 2, "due soon": 3}


def due(ws: Workspace, *, as_of: dt.date | None = None, within_days: int = 30,
        contacts: int = 10) -> Dues:
    """The commitments that need action on ``as_of`` (see the module), those whose work
    must start within ``within_days`` included, up to ``contacts`` people to contact
    next, the concerns open on ``as_of`` that an opinion leader raised, and the open
    follow-up tasks open on ``as_of`` (created by then, not done by then; soonest due
    first)."""
    as_of = as_of or dt.date.today()
    plan = ws.plan
    statuses = check_commitments(ws, Period.year(as_of.year), as_of=as_of)
    items = [item for st in statuses
             if (item := _item(plan, st, as_of, within_days)) is not None]
    items.sort(key=lambda i: (_ORDER[i.urgency], i.start_by or dt.date.min,
                              i.commitment.due or dt.date.max, i.commitment.id))
    chosen, leaders = _next_contacts(ws, plan, statuses, as_of, contacts)
    raised = [DueConcern(c, tuple(p for p in c.raised_by if p in leaders))
              for c in concerns(ws)
              if c.raised_on <= as_of and (c.closed_on is None or c.closed_on > as_of)]
    return Dues(as_of, within_days, tuple(items), tuple(chosen),
                tuple(c for c in raised if c.leaders), tuple(tasks(ws, open_on=as_of)))


def _open_window(st: CommitmentStatus, as_of: dt.date) -> WindowResult | None:
    """The window of ``st`` that holds ``as_of``, if any."""
    return next((w for w in st.windows if w.period.start <= as_of <= w.period.end), None)


def _item(plan: Plan, st: CommitmentStatus, as_of: dt.date, within: int) -> DueItem | None:
    """``st`` as a :class:`DueItem`, or None when nothing needs doing for it now."""
    if st.kind is CommitmentKind.STRUCTURAL:
        return DueItem(st, "overdue") if st.status is Status.OVERDUE else None
    window = _open_window(st, as_of)
    if window is None or window.state is not WindowState.OPEN:
        return None  # not active today, or met already
    lead = int(plan.lead_time(plan.commitment(st.id)))
    start_by = window.period.end - dt.timedelta(days=lead)
    if st.status in (Status.OVERDUE, Status.BEHIND):
        return DueItem(st, st.status.value, start_by, lead)
    if lead and start_by <= as_of:
        return DueItem(st, "start now", start_by, lead)
    if (start_by - as_of).days <= within:
        return DueItem(st, "due soon", start_by, lead)
    return None


# --- whom to contact next -----------------------------------------------------------------


@frozen
class _Need:
    """Why someone is due a contact."""

    group: str
    unit: Unit
    reason: str
    leader: bool
    commitment: str | None = None
    count: int = 1


def _next_contacts(ws: Workspace, plan: Plan, statuses: Sequence[CommitmentStatus],
                   as_of: dt.date, limit: int) -> tuple[list[Contact], set[str]]:
    """Each person due a contact by their own cadence, leaders first, then by rank; and
    who the opinion leaders are (the ids a contact is marked ``leader`` for)."""
    # Deferred: see interessent.coverage.reach._leaders_by_group.
    from ..graph.leaders import leader_scores

    scores = leader_scores(ws, as_of=as_of)
    pinned = set(plan.leaders.pinned)
    needs: dict[str, _Need] = {}
    covered: set[str] = set()  # people whose cadence a commitment active today sets
    leading: set[str] = set()  # the leaders of a leaders commitment active today
    with ws.store.read() as session:
        log = _Log(ws, session)
        for st in statuses:
            c = plan.commitment(st.id)
            window = _open_window(st, as_of)
            if c.kind not in (CommitmentKind.PER_MEMBER, CommitmentKind.LEADERS) or (
                    window is None or c.cadence is None):
                continue
            leaders = c.kind is CommitmentKind.LEADERS
            these = (_commitment_leaders(ws, c, as_of) if leaders
                     else log.select(c.members).values())
            covered.update(these)
            if leaders:
                leading.update(these)
            if leaders:
                reason = ngettext("opinion leader in «{title}», not reached {this}",
                                  "opinion leader in «{title}», not reached {count} times "
                                  "{this}", c.count)
            else:
                reason = ngettext("member of «{title}», not reached {this}",
                                  "member of «{title}», not reached {count} times {this}",
                                  c.count)
            reason = reason.format(title=localized(c.title), count=c.count,
                                   this=this_unit(c.cadence.value))
            for sid in window.missing:
                needs.setdefault(sid, _Need(c.groups[0], c.cadence, reason, leaders, c.id,
                                            c.count))
        unit = plan.due.contact_interval
        window_now = unit.window(as_of)
        first_group: dict[int, tuple[str, str]] = {}
        group_names = {g.key: localized(g.name) for g in plan.groups}
        top: set[str] = set(pinned)
        for g in plan.groups:
            members = log.select(Members(groups=(g.key,))) | log.select(g.rule)
            top.update(_best_of(scores, members.values(), plan.leaders.top))
            for pk, sid in members.items():
                if sid not in covered:
                    first_group.setdefault(pk, (sid, g.key))
        reached = _reached(session, Period(window_now.start, as_of))
    for pk, (sid, group) in first_group.items():
        if pk not in reached and sid not in needs:
            said = (gettext("opinion leader in {group}, not reached {this}") if sid in top
                    else gettext("member of {group}, not reached {this}"))
            needs[sid] = _Need(group, unit, said.format(group=group_names.get(group, group),
                                                        this=this_unit(unit.value)), False)
    people = {s.id: s for s in ws.store.stakeholders(ids=list(needs))}
    chosen = []
    for sid, need in needs.items():
        person = people.get(sid)
        if person is None or person.opted_out or person.restricted or (
                sid not in pinned and is_programme_own(sid, person.roles, plan)):
            continue
        leader = need.leader or sid in top
        value = scores.get(sid, 0.0) + (1.0 if leader else 0.0)
        chosen.append(Contact(sid, person.name, need.group, value, need.reason, leader,
                              need.unit, need.commitment, need.count))
    chosen.sort(key=lambda c: (-c.value, c.id))
    return chosen[:limit], top | leading


def _reached(session: Session, span: Period) -> set[int]:
    """Everyone reached by a contact within ``span``, by party: what
    ``_Log.contacts(…, span, None)`` tells of each, for everyone at once, by coverage's
    reach query (:func:`~interessent.coverage.reached_sql`, the same rule; a fraction of the
    time for a year of contacts). Within :func:`~.interaction_log.keeping`, a span asked
    already (kept under ``("reached", start, end)``) is not asked again."""
    kept = _KEPT.get()
    key = ("reached", span.start, span.end)
    if kept is not None and key in kept:  # a report's series asked it already
        return set(kept[key][1])
    stmt = text(f"WITH {reached_sql(session.get_bind().dialect.name)} "  # noqa: S608
                "SELECT pk FROM reached")
    return {int(pk) for pk, in session.execute(stmt, {"start": span.start, "end": span.end})}


def _best_of(scores: Mapping[str, float], ids: Iterable[str], top: int) -> list[str]:
    """The ``top`` best-scored of ``ids``."""
    return sorted(ids, key=lambda i: (-scores.get(i, 0.0), i))[:top]



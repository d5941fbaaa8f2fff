"""Choosing the recipients of a run, and who is skipped and why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..errors import InvalidInput, NotFound
from ..graph import rank_leaders
from ..i18n import gettext
from .text import _header_text, _valid_email

if TYPE_CHECKING:
    from ..model import Stakeholder
    from ..workspace import Workspace
    from .gathering import _Run


def _rank(ws: Workspace, group: str | None, as_of: dt.date) -> list[str]:
    top = ws.plan.leaders.top
    return [score.id for score in rank_leaders(ws, group=group, top=top, as_of=as_of)]


def _choose(run: _Run, groups: Sequence[str], stakeholders: Sequence[str], uncovered: bool,
            leaders: bool) -> list[Stakeholder]:
    """Explicit stakeholders first, then the members of the groups (only their leaders
    with ``leaders``, only those not reached in the current window with ``uncovered``,
    leaders first)."""
    plan = run.plan
    run.load(stakeholders)
    missing = [i for i in stakeholders if i not in run.people]
    if missing:
        raise NotFound(gettext("no stakeholder with id {id}").format(
            id=", ".join(map(repr, missing))))
    chosen = [plan.group(g).key for g in groups]
    if not chosen and not stakeholders:
        if not (uncovered or leaders):
            raise InvalidInput(gettext("choose the recipients: groups, stakeholders, or the "
                                       "uncovered or the leaders of every group"),
                               field="recipients")
        chosen = [g.key for g in plan.groups]
    picked: list[Stakeholder] = [run.people[i] for i in stakeholders]
    if chosen:
        ranked: dict[str, list[str]] = {}
        if leaders or uncovered:
            ranked = {g: _rank(run.ws, g, run.as_of) for g in chosen}
        leader_order: list[str] = list(dict.fromkeys(i for g in chosen for i in ranked.get(g, ())))
        pool: list[Stakeholder]
        if leaders:
            pool = run.load(leader_order)
        else:
            run.load_members(chosen)
            pool = list({s.id: s for g in chosen for s in run.members(g)}.values())
        if uncovered:
            keep = set()
            for g in chosen:
                start, end = run.window(g)
                reached = run.reached(start, end)
                keep |= {s.id for s in pool if g in run.groups_of[s.id] and s.id not in reached}
            pool = [s for s in pool if s.id in keep]
            rank = {sid: n for n, sid in enumerate(leader_order)}
            pool.sort(key=lambda s: (rank.get(s.id, len(rank)), -(s.influence or 3), s.name,
                                     s.id))
        picked += pool
    return list({s.id: s for s in picked}.values())


def _skip_reason(s: Stakeholder, fmt: str, signer: str) -> str | None:
    """Why ``s`` gets no letter, in the current language, or None."""
    if s.opted_out:
        return gettext("opted out of communication from the programme")
    if s.restricted:
        return gettext("processing of their data is restricted (GDPR)")
    if s.id == signer:
        return gettext("is the signer of the letters")
    if fmt == "eml":
        if not s.email:
            return gettext("no e-mail address")
        if not _valid_email(s.email):
            return gettext("invalid e-mail address {address!r}").format(
                address=_header_text(s.email))
    return None

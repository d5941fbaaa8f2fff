"""The data of a run, gathered once with bulk queries: every stakeholder, the last
contact of each, the recent success stories, the commitments' status, the plan; and
the views of them a letter's context is made of."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from attrs import frozen

from ..coverage import CommitmentStatus, Status, check_commitments, reached_sql
from ..periods import Period, Unit
from ..plan import CommitmentKind
from ..rules import is_member
from .record import Record
from .text import _format_date

if TYPE_CHECKING:
    from ..model import Stakeholder
    from ..plan import Plan
    from ..workspace import Workspace

#: How far back a success story is recent enough to tell.
SUCCESS_DAYS = 365


def _address_lines(address: str | None) -> tuple[str, ...]:
    if not address:
        return ()
    return tuple(stripped for part in address.split(",") if (stripped := part.strip()))


def _place(address: str | None, municipality: str) -> str:
    lines = _address_lines(address)
    if lines:
        last = re.sub(r"^\d{4}\s+", "", lines[-1]).strip()
        if last:
            return last
    return re.sub(r"\s+kommune$", "", municipality, flags=re.IGNORECASE)


@frozen
class _Event:
    """An interaction as a letter mentions it (the last contact, a success story)."""

    id: str
    date: dt.date
    kind: str
    channel: str | None
    topic: str | None
    notes: str | None
    success: bool


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


_CONTACTS = """
    SELECT s.id, i.date, i.id, i.kind, i.channel, i.topic, i.notes, i.success
        FROM interaction_participants p
        JOIN interactions i ON i.pk = p.interaction_pk
        JOIN stakeholders s ON s.pk = p.stakeholder_pk
        WHERE i.date <= :end
    UNION ALL
    SELECT h.id, i.date, i.id, i.kind, i.channel, i.topic, i.notes, i.success
        FROM interactions i JOIN stakeholders h ON h.pk = i.host_pk
        WHERE i.date <= :end"""

_STORIES = """SELECT id FROM interactions WHERE success = :yes AND date >= :start
    AND date <= :end ORDER BY date DESC, id DESC"""


class _Run:
    """Everything a drafting run needs, gathered once with bulk queries."""

    def __init__(self, ws: Workspace, as_of: dt.date) -> None:
        from sqlalchemy import text

        self.ws = ws
        self.plan: Plan = ws.plan
        self.as_of = as_of
        store = ws.store
        groups = self.plan.groups
        since = as_of - dt.timedelta(days=SUCCESS_DAYS)
        everyone = store.stakeholders()
        with store.read() as session:
            last: dict[str, tuple[Any, ...]] = {}
            latest: dict[str, tuple[Any, Any]] = {}
            for row in session.execute(text(_CONTACTS), {"end": as_of}).fetchall():
                who = row[0]
                key = (row[1], row[2])  # (date, id): the same type in every row
                best = latest.get(who)
                if best is None or key > best:
                    latest[who] = key
                    last[who] = row
            story_ids = list(session.scalars(
                text(_STORIES), {"yes": True, "start": since, "end": as_of}))
        self.people: dict[str, Stakeholder] = {s.id: s for s in everyone}
        self.groups_of: dict[str, tuple[str, ...]] = {}
        for s in everyone:
            mine = tuple(g.key for g in groups if is_member(s, g))
            self.groups_of[s.id] = mine
        self._last_rows = last
        stories = store.interactions(ids=story_ids) if story_ids else []
        stories.sort(key=lambda i: (i.date, i.id), reverse=True)
        self.stories = [_Event(id=i.id, date=i.date, kind=i.kind, channel=i.channel,
                               topic=i.topic, notes=i.notes, success=True) for i in stories]
        self._story_groups: dict[str, frozenset[str]] = {}
        self._stories_of: dict[str, list[_Event]] = {}
        for story, item in zip(self.stories, stories, strict=True):
            direct = {*item.participants, *([item.host] if item.host else [])}
            near = set(direct)
            touched = set(item.groups)
            for who in direct:
                touched.update(self.groups_of.get(who, ()))
                org = self.people[who].organisation if who in self.people else None
                if org:
                    near.add(org)
            self._story_groups[story.id] = frozenset(touched)
            for who in near:
                self._stories_of.setdefault(who, []).append(story)
        self.roles = {r.key: r for r in self.plan.roles}
        self.group_names = {g.key: g.name for g in groups}
        self.kinds = self.plan.all_interaction_kinds
        self.channels = {c.key: c.name for c in self.plan.channels}
        self.notify_roles = tuple(
            {"role": role, "title": self.roles[role].name if role in self.roles else role,
             "names": tuple(s.name for s in everyone if role in s.roles)}
            for role in self.plan.information.notify
        )
        self._statuses: list[CommitmentStatus] | None = None
        self._cache: dict[Any, Any] = {}

    # --- commitments ----------------------------------------------------------------------

    @property
    def statuses(self) -> list[CommitmentStatus]:
        if self._statuses is None:
            self._statuses = check_commitments(self.ws, Period.year(self.as_of.year),
                                               as_of=self.as_of)
        return self._statuses

    def _next_due(self, st: CommitmentStatus) -> tuple[dt.date, dt.date | None] | None:
        """(date by which it is next due, start of that window) for one commitment: the
        end of its open window when that is still to do, else its next window."""
        c = self.plan.commitment(st.id)
        if c.kind in (CommitmentKind.RATIO, CommitmentKind.STRUCTURAL):
            return None
        if st.status in (Status.DUE, Status.BEHIND, Status.OVERDUE) and st.due is not None:
            return (st.due, None)
        if st.status is Status.OVERDUE:
            return (self.as_of, None)  # missed, and nothing open: act now
        if st.status is Status.NOT_STARTED:
            ahead = [w for w in st.windows if w.period.start > self.as_of]
            return (ahead[0].period.end, ahead[0].period.start) if ahead else None
        if st.status in (Status.MET, Status.BEHIND) and c.cadence is not None:
            current = c.cadence.window(self.as_of)
            nxt = c.cadence.window(current.end + dt.timedelta(days=1))
            end = self.plan.programme.end
            if c.phase:
                phase_end = self.plan.phase(c.phase).end
                end = min(end, phase_end) if end else phase_end
            if end is not None and nxt.start > end:
                return None
            return (nxt.end, nxt.start)
        return None

    def commitments(self, locale: str) -> Record:
        key = ("commitments", locale)
        if key not in self._cache:
            views = {}
            for st in self.statuses:
                c = self.plan.commitment(st.id)
                nxt = self._next_due(st)
                due = nxt[0] if nxt else None
                start = nxt[1] if nxt else None
                responsible = self.roles.get(c.responsible or "")
                views[st.id] = {
                    "id": st.id, "title": st.title, "text": c.text, "status": st.status.value,
                    "groups": tuple(c.groups), "channel": c.channel,
                    "responsible": c.responsible,
                    "responsible_title": responsible.name if responsible else None,
                    "due": due, "due_text": _format_date(due, "long", locale) if due else None,
                    "window_start": start,
                    "window_start_text": _format_date(start, "long", locale) if start else None,
                    "explanation": st.explanation,
                }
            self._cache[key] = Record(views)
        result: Record = self._cache[key]
        return result

    def next_commitment(self, groups: tuple[str, ...], locale: str) -> dict[str, Any] | None:
        key = ("next", groups, locale)
        if key not in self._cache:
            views = self.commitments(locale)
            wanted = set(groups)
            mine = [st for st in self.statuses
                    if set(st.groups) & wanted and views[st.id]["due"] is not None]
            # what is to do in an open window (or overdue) first, then the next windows
            urgent = [views[st.id] for st in mine if st.status.value == "overdue" or (
                st.due is not None and st.status.value in ("due", "behind"))]
            pool = urgent or [views[st.id] for st in mine]
            self._cache[key] = min(pool, key=lambda v: v["due"]) if pool else None
        found: dict[str, Any] | None = self._cache[key]
        return found

    # --- people ---------------------------------------------------------------------------

    def flags(self, kind: str, keys: tuple[str, ...]) -> Record:
        cache_key = (kind, keys)
        if cache_key not in self._cache:
            every = self.group_names if kind == "group" else self.roles
            self._cache[cache_key] = Record({k: k in keys for k in every})
        result: Record = self._cache[cache_key]
        return result

    def _names(self, kind: str, keys: tuple[str, ...]) -> tuple[str, ...]:
        cache_key = (kind, "names", keys)
        names: tuple[str, ...] | None = self._cache.get(cache_key)
        if names is None:
            if kind == "group":
                names = tuple(self.group_names[k] for k in keys)
            else:
                names = tuple(self.roles[k].name if k in self.roles else k for k in keys)
            self._cache[cache_key] = names
        return names

    def recipient(self, s: Stakeholder) -> dict[str, Any]:
        groups = self.groups_of.get(s.id, ())
        org = self.people.get(s.organisation) if s.organisation else None
        parts = s.name.split()
        lines = _address_lines(s.address)
        person = s.is_person
        org_name = org.name if org else None
        return {
            "id": s.id,
            "name": s.name,
            "first_name": parts[0] if person and parts else s.name,
            "last_name": parts[-1] if person and len(parts) > 1 else "",
            "kind": s.kind.value,
            "is_person": person,
            "is_organisation": not person,
            "organisation": org_name,
            "organisation_id": s.organisation,
            "email": s.email,
            "phone": s.phone,
            "address": s.address,
            "address_lines": lines,
            "address_block": (s.name, org_name, *lines) if org_name and person
            else (s.name, *lines),
            "roles": self._names("role", s.roles),
            "role_keys": s.roles,
            "groups": self._names("group", groups),
            "group_keys": groups,
            "in_group": self.flags("group", groups),
            "has_role": self.flags("role", s.roles),
            "language": s.language.value,
            "influence": s.influence,
            "interest": s.interest,
            "tags": s.tags,
        }

    def last_interaction(self, sid: str, locale: str) -> dict[str, Any] | None:
        """The recipient's last contact with the programme (taking part or hosting)."""
        row = self._last_rows.get(sid)
        if row is None:
            return None
        key = ("event", row[2], locale)
        view: dict[str, Any] | None = self._cache.get(key)
        if view is None:
            item = _Event(id=row[2], date=_day(row[1]), kind=row[3], channel=row[4],
                          topic=row[5], notes=row[6], success=bool(row[7]))
            view = self.event_view(item, locale)
        return view

    def event_view(self, item: _Event, locale: str) -> dict[str, Any]:
        key = ("event", item.id, locale)
        view: dict[str, Any] | None = self._cache.get(key)
        if view is None:
            view = self._cache[key] = {
                "id": item.id, "date": item.date,
                "date_text": _format_date(item.date, "long", locale),
                "kind": item.kind, "kind_name": self.kinds.get(item.kind, item.kind),
                "channel": item.channel,
                "channel_name": self.channels.get(item.channel or "", item.channel),
                "topic": item.topic, "title": item.topic, "notes": item.notes,
                "success": item.success,
            }
        return view

    def success_stories(self, s: Stakeholder, locale: str) -> tuple[dict[str, Any], ...]:
        """The recent success stories that share a target group with ``s`` or involve
        ``s`` or their organisation, newest first."""
        groups = self.groups_of.get(s.id, ())
        key = ("stories", groups, locale)
        by_group: tuple[dict[str, Any], ...] | None = self._cache.get(key)
        if by_group is None:
            wanted = set(groups)
            by_group = self._cache[key] = tuple(
                self.event_view(st, locale) for st in self.stories
                if self._story_groups[st.id] & wanted)
        if not self._stories_of:
            return by_group
        extra = [*self._stories_of.get(s.id, ()),
                 *(self._stories_of.get(s.organisation, ()) if s.organisation else ())]
        if not extra:
            return by_group
        seen = {v["id"] for v in by_group}
        views = [*by_group, *(self.event_view(st, locale) for st in extra
                              if st.id not in seen)]
        views = list({v["id"]: v for v in views}.values())
        views.sort(key=lambda v: (v["date"], v["id"]), reverse=True)
        return tuple(views)

    def programme(self, locale: str) -> dict[str, Any]:
        key = ("programme", locale)
        if key not in self._cache:
            p = self.plan.programme
            org = self.people.get(p.organisation) if p.organisation else None
            self._cache[key] = {
                "name": p.name, "municipality": p.municipality, "vision": p.vision,
                "goals": p.goals, "website": p.website, "email": p.email or (
                    org.email if org else None),
                "organisation": org.name if org else p.name,
                "organisation_id": p.organisation,
                "address": org.address if org else None,
                "address_lines": _address_lines(org.address if org else None),
                "phone": org.phone if org else None,
                "place": _place(org.address if org else None, p.municipality),
                "letterhead": tuple(line for line in (
                    org.name if org else p.name, *_address_lines(org.address if org else None),
                    " · ".join(x for x in (org.phone if org else None, p.email, p.website) if x),
                ) if line),
                "start": p.start, "end": p.end,
                "start_text": _format_date(p.start, "long", locale),
                "end_text": _format_date(p.end, "long", locale) if p.end else None,
            }
        view: dict[str, Any] = self._cache[key]
        return view

    # --- choosing recipients --------------------------------------------------------------

    def members(self, group: str) -> list[Stakeholder]:
        return [s for sid, s in sorted(self.people.items()) if group in self.groups_of[sid]]

    def reached(self, start: dt.date, end: dt.date) -> set[str]:
        """Stakeholders reached directly between ``start`` and ``end``: participants,
        hosts, and the organisations of participants."""
        from sqlalchemy import text

        with self.ws.store.read() as session:
            dialect = session.get_bind().dialect.name
            query = text(f"WITH {reached_sql(dialect)} SELECT s.id FROM reached "  # noqa: S608 - fixed SQL
                         "JOIN stakeholders s ON s.pk = reached.pk")
            return set(session.scalars(query, {"start": start, "end": end}))

    def window(self, group: str) -> tuple[dt.date, dt.date]:
        """The current window of the group's shortest commitment cadence (a year if none)."""
        cadences = [c.cadence for c in self.plan.commitments if group in c.groups and c.cadence]
        unit = min(cadences, key=lambda u: u.months) if cadences else Unit.YEAR
        window = unit.window(self.as_of)
        return window.start, self.as_of

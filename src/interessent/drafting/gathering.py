"""The data of a run, gathered with bulk queries: the plan, the commitments' status, the
recent success stories; the recipients once chosen, with their organisations and the last
contact of each; and the views of them a letter's context is made of. Nothing is read
about stakeholders the run does not write to."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from attrs import frozen
from sqlalchemy import bindparam

from ..coverage import CommitmentStatus, Status, check_commitments, reached_sql
from ..i18n import localized
from ..periods import Period, Unit
from ..plan import CommitmentKind
from ..rules import is_member
from ..store import chunks
from ..store.rules import as_query, members_sql
from .record import Record
from .text import _first_name, _format_date, _language_of_locale

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


def _plain(session: Any, query: Any, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The rows of a query as the driver gives them (hundreds of thousands: no Row
    objects)."""
    result = session.connection().execute(query, params)
    try:
        cursor = getattr(result, "cursor", None)
        return list(cursor) if cursor is not None else [tuple(r) for r in result]
    finally:
        result.close()


@frozen
class _Stories:
    """The recent success stories, newest first; the target groups each touched; the
    stories near each stakeholder (taking part, hosting, or their organisation)."""

    stories: list[_Event]
    groups: dict[str, frozenset[str]]
    of: dict[str, list[_Event]]
    published: dict[str, tuple[str, ...]]
    """Each published story (an article telling it is logged) → the ids of the outlets
    that ran it, sorted (empty when its articles name no outlet)."""


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


#: The last contact of some stakeholders (``:pks``) up to ``:end``: every interaction
#: they took part in or hosted, as (stakeholder pk, date, interaction id, interaction pk).
_CONTACTS = """
    SELECT p.stakeholder_pk, i.date, i.id, i.pk
        FROM interaction_participants p JOIN interactions i ON i.pk = p.interaction_pk
        WHERE p.stakeholder_pk IN :pks AND i.date <= :end"""
#: Hosts are few and have no index of their own: one pass over the hosted interactions.
_HOSTED = """SELECT host_pk, date, id, pk FROM interactions
    WHERE host_pk IS NOT NULL AND date <= :end"""
_EVENTS = """SELECT pk, id, date, kind, channel, topic, notes, success FROM interactions
    WHERE pk IN :pks"""

_STORIES = """SELECT id, date, kind, channel, topic, notes FROM interactions
    WHERE success = :yes AND date >= :start AND date <= :end"""
#: Who each recent success story touched: its participants and host, with their
#: organisations' ids.
_STORY_PEOPLE = """
    SELECT i.id, s.pk, s.id, o.id FROM interactions i
        JOIN interaction_participants p ON p.interaction_pk = i.pk
        JOIN stakeholders s ON s.pk = p.stakeholder_pk
        LEFT JOIN stakeholders o ON o.pk = s.organisation_pk
        WHERE i.success = :yes AND i.date >= :start AND i.date <= :end
    UNION ALL
    SELECT i.id, h.pk, h.id, o.id FROM interactions i
        JOIN stakeholders h ON h.pk = i.host_pk
        LEFT JOIN stakeholders o ON o.pk = h.organisation_pk
        WHERE i.success = :yes AND i.date >= :start AND i.date <= :end"""
_STORY_GROUPS = """SELECT i.id, g.group_key FROM interactions i
    JOIN interaction_groups g ON g.interaction_pk = i.pk
    WHERE i.success = :yes AND i.date >= :start AND i.date <= :end"""
#: The articles telling each recent success story, by then, with their outlets' ids.
_STORY_ARTICLES = """SELECT i.id, o.id FROM interactions a
    JOIN interactions i ON i.pk = a.story_pk
    LEFT JOIN stakeholders o ON o.pk = a.outlet_pk
    WHERE a.date <= :end AND i.success = :yes AND i.date >= :start AND i.date <= :end"""


class _Run:
    """What a drafting run needs, gathered with bulk queries: the plan, the commitments'
    status, the recent success stories and whom they touched; and the people it writes to,
    loaded once they are chosen (:meth:`members`, :meth:`load`) with what their letters
    need: their organisations and their last contact (:meth:`prepare`)."""

    def __init__(self, ws: Workspace, as_of: dt.date) -> None:
        self.ws = ws
        self.plan: Plan = ws.plan
        self.as_of = as_of
        #: The stakeholders loaded so far: the recipients (and the programme's organisation).
        self.people: dict[str, Stakeholder] = {}
        #: The target groups of each loaded stakeholder (registered or by rule).
        self.groups_of: dict[str, tuple[str, ...]] = {}
        self._last_rows: dict[str, tuple[Any, ...]] = {}
        self._looked_up: set[str] = set()
        self._expected: list[Stakeholder] = []
        self._member_groups: set[str] = set()
        self._org_names: dict[str, str] = {}
        self._stories: _Stories | None = None
        self.roles = {r.key: r for r in self.plan.roles}
        self.group_names = {g.key: g.name for g in self.plan.groups}
        self.kinds = self.plan.all_interaction_kinds
        self.channels = {c.key: c.name for c in self.plan.channels}
        self.notify_roles: tuple[dict[str, Any], ...] = tuple(
            {"role": role, "title": self.roles[role].name if role in self.roles else role,
             "names": tuple(s.name for s in ws.store.stakeholders(role=role))}
            for role in self.plan.information.notify
        )
        self._notify_in: dict[str, tuple[dict[str, Any], ...]] = {}
        if self.plan.programme.organisation:
            self.load([self.plan.programme.organisation])
        self._statuses: list[CommitmentStatus] | None = None
        self._cache: dict[Any, Any] = {}

    def notify_roles_in(self, language: str) -> tuple[dict[str, Any], ...]:
        """:attr:`notify_roles` with the roles' names in ``language``."""
        found = self._notify_in.get(language)
        if found is None:
            found = self._notify_in[language] = tuple(
                {**view, "title": localized(view["title"], language)}
                for view in self.notify_roles)
        return found

    @property
    def stories(self) -> list[_Event]:
        """The recent success stories, newest first (gathered on first use)."""
        return self._story_index().stories

    def _story_index(self) -> _Stories:
        if self._stories is None:
            self._stories = self._gather_stories()
        return self._stories

    def _gather_stories(self) -> _Stories:
        """The recent success stories, newest first, with the groups each touched (its
        audience, and the groups of whoever took part or hosted) and the people near it
        (those, and their organisations)."""
        from sqlalchemy import text

        since = self.as_of - dt.timedelta(days=SUCCESS_DAYS)
        span = {"yes": True, "start": since, "end": self.as_of}
        touched: dict[str, set[str]] = {}
        near: dict[str, set[str]] = {}
        with self.ws.store.read() as session:
            rows = session.execute(text(_STORIES), span).all()
            found = sorted(((_day(d), i, k, c, t, n) for i, d, k, c, t, n in rows),
                           key=lambda r: (r[0], r[1]), reverse=True)
            pks: dict[int, str] = {}
            direct: dict[str, set[int]] = {}
            for story, pk, who, org in session.execute(text(_STORY_PEOPLE), span):
                pks[pk] = who
                direct.setdefault(story, set()).add(pk)
                near.setdefault(story, set()).update((who, org) if org else (who,))
            for story, key in session.execute(text(_STORY_GROUPS), span):
                touched.setdefault(story, set()).add(key)
            ran: dict[str, set[str]] = {}
            for story, outlet in session.execute(text(_STORY_ARTICLES), span):
                ran.setdefault(story, set()).update((outlet,) if outlet else ())
            groups_of = self._groups_of_pks(session, list(pks))
        for story, people in direct.items():
            mine = touched.setdefault(story, set())
            for pk in people:
                mine.update(groups_of.get(pk, ()))
        stories = [_Event(id=i, date=d, kind=k, channel=c, topic=t, notes=n, success=True)
                   for d, i, k, c, t, n in found]
        of: dict[str, list[_Event]] = {}
        for st in stories:
            for who in near.get(st.id, ()):
                of.setdefault(who, []).append(st)
        return _Stories(stories, {st.id: frozenset(touched.get(st.id, ())) for st in stories},
                        of, {story: tuple(sorted(outlets)) for story, outlets in ran.items()})

    def _groups_of_pks(self, session: Any, pks: list[int]) -> dict[int, set[str]]:
        """The target groups (registered or by rule) of the stakeholders with ``pks``."""
        from sqlalchemy import text

        found: dict[int, set[str]] = {}
        if not pks:
            return found
        wanted = set(pks)
        for n, group in enumerate(self.plan.groups):
            sql, params, expanding = members_sql(group, n)
            query = text(sql).bindparams(*(bindparam(e, expanding=True) for e in expanding))
            for (pk,) in session.execute(query, params):
                if pk in wanted:
                    found.setdefault(pk, set()).add(group.key)
        return found

    # --- loading the people written to ----------------------------------------------------

    def load(self, ids: Iterable[str]) -> list[Stakeholder]:
        """The stakeholders with ``ids`` that exist (loaded once, with their
        organisations' names), in the order asked."""
        wanted = list(dict.fromkeys(ids))
        missing = [i for i in wanted if i not in self.people]
        for chunk in chunks(missing, 5_000):
            self._add(self.ws.store.stakeholders(ids=chunk))
        return [self.people[i] for i in wanted if i in self.people]

    def _add(self, found: Iterable[Stakeholder]) -> None:
        groups = self.plan.groups
        new = [s for s in found if s.id not in self.people]
        for s in new:
            self.people[s.id] = s
            self.groups_of[s.id] = tuple(g.key for g in groups if is_member(s, g))
        # Of their organisations a letter shows the name only.
        orgs = sorted({s.organisation for s in new if s.organisation} - self._org_names.keys())
        if orgs:
            from sqlalchemy import text

            query = text("SELECT id, name FROM stakeholders WHERE id IN :ids").bindparams(
                bindparam("ids", expanding=True))
            with self.ws.store.read() as session:
                for chunk in chunks(orgs, 500):
                    for id_, name in session.execute(query, {"ids": list(chunk)}):
                        self._org_names[id_] = name

    def load_members(self, groups: Iterable[str]) -> None:
        """Load the members of these target groups (registered or by rule), in one read."""
        wanted = [self.plan.group(g) for g in dict.fromkeys(groups)
                  if g not in self._member_groups]
        if not wanted:
            return
        selections = [members_sql(g, n) for n, g in enumerate(wanted)]
        union = (" UNION ".join(sql for sql, _, _ in selections),
                 {k: v for _, params, _ in selections for k, v in params.items()},
                 [e for _, _, expanding in selections for e in expanding])
        self._add(self.ws.store.stakeholders(within=as_query(union)))
        self._member_groups.update(g.key for g in wanted)

    def members(self, group: str) -> list[Stakeholder]:
        """The members of a target group (registered or by its rule), by id."""
        key = self.plan.group(group).key
        self.load_members([key])
        return sorted((s for s in self.people.values() if key in self.groups_of[s.id]),
                      key=lambda s: s.id)

    def expect(self, recipients: Iterable[Stakeholder]) -> None:
        """The run will write to ``recipients``: the first letter that asks for a last
        contact has every one of them looked up at once (:meth:`prepare`)."""
        self._expected.extend(recipients)

    def prepare(self, recipients: Iterable[Stakeholder]) -> None:
        """Look up the last contact of each of ``recipients`` (once, in bulk)."""
        from sqlalchemy import text

        ids = [s.id for s in recipients if s.id not in self._looked_up]
        if not ids:
            return
        store = self.ws.store
        last: dict[str, tuple[Any, ...]] = {}
        with store.read() as session:
            pk_of = store.pk_map(session, ids)
            who = {pk: sid for sid, pk in pk_of.items()}
            # (date, id): the same types in every row, so the newest is the largest
            contacts = text(_CONTACTS).bindparams(bindparam("pks", expanding=True))
            rows: list[tuple[Any, ...]] = []
            for chunk in chunks(sorted(who), 500):
                rows += _plain(session, contacts, {"pks": list(chunk), "end": self.as_of})
            rows += (row for row in _plain(session, text(_HOSTED), {"end": self.as_of})
                     if row[0] in who)
            for pk, day, iid, ipk in rows:
                sid = who[pk]
                best = last.get(sid)
                if best is None or (day, iid) > best[:2]:
                    last[sid] = (day, iid, ipk)
            events = text(_EVENTS).bindparams(bindparam("pks", expanding=True))
            details: dict[int, tuple[Any, ...]] = {}
            for chunk in chunks(sorted({v[2] for v in last.values()}), 500):
                for row in session.execute(events, {"pks": list(chunk)}):
                    details[row[0]] = tuple(row)
        for sid, (_, _, ipk) in last.items():
            _, iid, day, kind, channel, topic, notes, success = details[ipk]
            self._last_rows[sid] = (sid, day, iid, kind, channel, topic, notes, success)
        self._looked_up.update(ids)

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
            language = _language_of_locale(locale)
            views = {}
            for st in self.statuses:
                c = self.plan.commitment(st.id)
                nxt = self._next_due(st)
                due = nxt[0] if nxt else None
                start = nxt[1] if nxt else None
                responsible = self.roles.get(c.responsible or "")
                views[st.id] = {
                    "id": st.id, "title": localized(c.title, language), "text": c.text,
                    "status": st.status.value,
                    "groups": tuple(c.groups), "channel": c.channel,
                    "responsible": c.responsible,
                    "responsible_title": localized(responsible.name, language)
                    if responsible else None,
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

    def _names(self, kind: str, keys: tuple[str, ...], language: str) -> tuple[str, ...]:
        """The names of these groups or roles in ``language``."""
        cache_key = (kind, "names", keys, language)
        names: tuple[str, ...] | None = self._cache.get(cache_key)
        if names is None:
            if kind == "group":
                names = tuple(localized(self.group_names[k], language) for k in keys)
            else:
                names = tuple(localized(self.roles[k].name, language) if k in self.roles
                              else k for k in keys)
            self._cache[cache_key] = names
        return names

    def recipient(self, s: Stakeholder, language: str = "nb") -> dict[str, Any]:
        """The recipient as a letter in ``language`` sees them (their roles' and groups'
        names in it)."""
        groups = self.groups_of.get(s.id, ())
        parts = s.name.split()
        lines = _address_lines(s.address)
        person = s.is_person
        org_name = self._org_names.get(s.organisation) if s.organisation else None
        return {
            "id": s.id,
            "name": s.name,
            "first_name": _first_name(s.name, s.first_name) if person else s.name,
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
            "roles": self._names("role", s.roles, language),
            "role_keys": s.roles,
            "groups": self._names("group", groups, language),
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
        if sid not in self._looked_up:
            self.prepare([*self._expected, *self.load([sid])])
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
            # whether an article told it: known of the recent success stories
            ran = self._story_index().published.get(item.id) if item.success else None
            view = self._cache[key] = {
                "id": item.id, "date": item.date,
                "date_text": _format_date(item.date, "long", locale),
                "kind": item.kind, "kind_name": self.kinds.get(item.kind, item.kind),
                "channel": item.channel,
                "channel_name": localized(self.channels.get(item.channel or "", item.channel)
                                          or "", _language_of_locale(locale)) or None,
                "topic": item.topic, "title": item.topic, "notes": item.notes,
                "success": item.success,
                "published": ran is not None,
                "published_by": ran or (),
            }
        return view

    def stories_to_pitch(self, s: Stakeholder, locale: str) -> tuple[dict[str, Any], ...]:
        """The recent success stories, newest first, but those the recipient's outlet has
        run: the outlet is the recipient organisation itself, or the recipient person's
        organisation (a person without one has every story)."""
        outlet = s.organisation if s.is_person else s.id
        key = ("pitch", outlet, locale)
        found: tuple[dict[str, Any], ...] | None = self._cache.get(key)
        if found is None:
            ran = self._story_index().published
            found = self._cache[key] = tuple(
                self.event_view(st, locale) for st in self.stories
                if outlet is None or outlet not in ran.get(st.id, ()))
        return found

    def success_stories(self, s: Stakeholder, locale: str) -> tuple[dict[str, Any], ...]:
        """The recent success stories that share a target group with ``s`` or involve
        ``s`` or their organisation, newest first."""
        groups = self.groups_of.get(s.id, ())
        key = ("stories", groups, locale)
        found: tuple[tuple[dict[str, Any], ...], list[tuple[Any, str]], set[str]] | None = (
            self._cache.get(key))
        if found is None:
            wanted = set(groups)
            index = self._story_index()
            shared = tuple(self.event_view(st, locale) for st in index.stories
                           if index.groups[st.id] & wanted)
            # newest first: the keys in ascending order locate a story among them
            found = self._cache[key] = (shared, [(v["date"], v["id"]) for v in reversed(shared)],
                                        {v["id"] for v in shared})
        by_group, ascending, ids = found
        stories_of = self._story_index().of
        extra = [*stories_of.get(s.id, ()),
                 *(stories_of.get(s.organisation, ()) if s.organisation else ())]
        new = {st.id: st for st in extra if st.id not in ids}
        if not new:
            return by_group
        # Each story near them goes where it belongs by (date, id), newest first: inserted
        # into a copy of the group's stories, not sorted again for every letter. Oldest
        # first, so that each goes in before those that come after it.
        merged = list(by_group)
        for st in sorted(new.values(), key=lambda st: (st.date, st.id)):
            merged.insert(len(ascending) - bisect.bisect_right(ascending, (st.date, st.id)),
                          self.event_view(st, locale))
        return tuple(merged)

    def programme(self, locale: str) -> dict[str, Any]:
        key = ("programme", locale)
        if key not in self._cache:
            p = self.plan.programme
            language = _language_of_locale(locale)
            name = localized(p.name, language)
            org = self.people.get(p.organisation) if p.organisation else None
            self._cache[key] = {
                "name": name, "municipality": p.municipality,
                "vision": localized(p.vision, language),
                "goals": tuple(localized(goal, language) for goal in p.goals),
                "website": p.website, "email": p.email or (org.email if org else None),
                "organisation": org.name if org else name,
                "organisation_id": p.organisation,
                "address": org.address if org else None,
                "address_lines": _address_lines(org.address if org else None),
                "phone": org.phone if org else None,
                "place": _place(org.address if org else None, p.municipality),
                "letterhead": tuple(line for line in (
                    org.name if org else name, *_address_lines(org.address if org else None),
                    " · ".join(x for x in (org.phone if org else None, p.email, p.website) if x),
                ) if line),
                "start": p.start, "end": p.end,
                "start_text": _format_date(p.start, "long", locale),
                "end_text": _format_date(p.end, "long", locale) if p.end else None,
            }
        view: dict[str, Any] = self._cache[key]
        return view

    # --- choosing recipients --------------------------------------------------------------

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

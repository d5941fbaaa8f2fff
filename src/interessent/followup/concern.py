"""Concerns (innspill): what stakeholders raise, who raised it, at which contact, and the
answer it got.

:func:`add_concern` records one, linked to the people who raised it (registered
stakeholders, found in any case or Unicode form) and, if given, the interaction where it
was raised; :func:`concerns` lists them; :func:`close_concern` records the answer. A
concern belongs to the target group it was given, else to every target group its people
are members of (the one membership rule, :func:`interessent.rules.is_member`).

Ids (``C<year>-<nnnn>``, by the year it was raised) are chosen inside the transaction that
writes the concern, so two people adding at once never get the same id. Titles are one
line, answers may have several; neither may hold control characters
(:mod:`interessent.bounds`). Each write leaves an audit entry with counts, never a name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from attrs import field, frozen
from sqlalchemy import Table, insert, select, update

from ..bounds import check_text, cut
from ..errors import InvalidInput, NotFound
from ..i18n import format_number, gettext, ngettext
from ..periods import check_date, parse_date
from ..plaindata import plain
from ..rules import is_member, party_of
from ..store import CONCERN_PEOPLE, CONCERNS, INT, ST, resolve_ids
from ..store import queries as store_queries

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..model import Stakeholder
    from ..plan import Plan
    from ..workspace import Workspace

__all__ = ["Concern", "add_concern", "close_concern", "concerns"]

#: The longest title of a concern or a task (one line).
MAX_TITLE = 1_000
#: The longest answer to a concern (it may have several lines).
MAX_ANSWER = 20_000


@frozen
class Concern:
    """A concern a stakeholder raised. ``group`` is the target group it was given;
    ``groups`` the groups it belongs to: that one, else every group its people are
    members of. Open until it is answered (``closed_on``). ``raised_by_names`` are the
    names of ``raised_by``, for people to read (not in :meth:`to_dict`, which keeps
    ids)."""

    id: str
    title: str
    raised_on: dt.date
    raised_by: tuple[str, ...] = ()
    interaction: str | None = None
    group: str | None = None
    groups: tuple[str, ...] = ()
    answer: str | None = None
    closed_on: dt.date | None = None
    raised_by_names: tuple[str, ...] = field(default=(), eq=False)

    @property
    def is_open(self) -> bool:
        """Whether it still waits for an answer."""
        return self.closed_on is None

    def to_dict(self) -> dict[str, Any]:
        """Plain data (the JSON of ``concern list``): dates as ISO text, ``open`` true
        while it waits for an answer."""
        return {"id": self.id, "title": self.title, "raised_on": plain(self.raised_on),
                "raised_by": list(self.raised_by), "interaction": self.interaction,
                "group": self.group, "groups": list(self.groups), "answer": self.answer,
                "closed_on": plain(self.closed_on), "open": self.is_open}


# --- shared with tasks: texts, days, ids ------------------------------------------------


def _text(value: object, field: str, limit: int, *, lines: bool = False) -> str:
    """``value`` as text to store: not empty, at most ``limit`` characters, no control
    characters (with ``lines``, tab and line feed allowed)."""
    if not isinstance(value, str):
        raise InvalidInput(f"{field}: expected text, not {type(value).__name__} "
                           f"{repr(value)[:40]}", field=field)
    text = value.strip()
    if not text:
        raise InvalidInput(gettext("{field}: empty").format(field=field), field=field)
    if len(text) > limit:
        raise InvalidInput(gettext("{field}: at most {limit} characters, not {count}").format(
            field=field, limit=format_number(limit), count=format_number(len(text))), field=field)
    try:
        return check_text(text, field, lines=lines)
    except InvalidInput as exc:
        raise InvalidInput(str(exc), field=field) from None


def _day(value: str | dt.date | None, field: str, default: dt.date | None = None) -> dt.date:
    """A day given as a date or ISO text; ``default`` (else today) when None."""
    if value is None:
        return default or dt.date.today()
    if isinstance(value, dt.date):
        return check_date(value, field=field)
    if not isinstance(value, str):
        raise InvalidInput(f"{field}: expected a date, not {type(value).__name__}",
                           field=field)
    return parse_date(value, field=field)


def _next_id(s: Session, table: Table, letter: str, year: int) -> str:
    """The next ``<letter><year>-<nnnn>`` of ``table``, read in the write transaction that
    will use it (the caller took its turn at the table)."""
    prefix = f"{letter}{year}-"
    taken = s.scalars(select(table.c.id).where(table.c.id.like(f"{prefix}%"))).all()
    n = len(prefix)
    numbers = [int(i[n:]) for i in taken if i[n:].isascii() and i[n:].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def _row_by_id(s: Session, table: Table, id: object, what: str) -> Any:
    """The row of ``table`` with id ``id``, in any letter case; else NotFound."""
    if not isinstance(id, str) or not id.strip():
        raise InvalidInput(f"{what}: expected an id, not {repr(id)[:40]}", field="id")
    given = id.strip()
    row = s.execute(select(table).where(table.c.id.in_(
        sorted({given, given.upper(), given.lower()})))).mappings().first()
    if row is None:
        raise NotFound(gettext("no {what} with id {id!r}").format(what=what, id=cut(given)))
    return row


def _stakeholder_pks(s: Session, ids: Iterable[str]) -> dict[str, tuple[int, str]]:
    """Each id → (pk, the id as registered); the first unknown one is NotFound."""
    wanted = list(ids)
    found = resolve_ids(s, ST, wanted)
    for given in wanted:
        if given not in found:
            raise NotFound(gettext("no stakeholder with id {id!r}").format(id=cut(given)))
    return found


def _ids_of(value: object, field: str) -> list[str]:
    """One id or several, as a list of text."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, Iterable):
        raise InvalidInput(f"{field}: expected ids, not {type(value).__name__}", field=field)
    result = []
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise InvalidInput(f"{field}: expected an id, not {repr(item)[:40]}", field=field)
        result.append(item.strip())
    return list(dict.fromkeys(result))


# --- concerns ----------------------------------------------------------------------------


def add_concern(
    ws: Workspace,
    *,
    title: str,
    raised_by: str | Iterable[str],
    interaction: str | None = None,
    group: str | None = None,
    on: str | dt.date | None = None,
) -> Concern:
    """Record a concern ``title`` raised by ``raised_by`` (one or more registered
    stakeholders) on ``on`` (by default the day of ``interaction``, else today), at the
    contact ``interaction`` if given, for target group ``group`` if given. Unknown ids,
    groups and interactions are refused and nothing is written."""
    text = _text(title, "title", MAX_TITLE)
    people = _ids_of(raised_by, "raised_by")
    if not people:
        raise InvalidInput(gettext("say who raised it: at least one stakeholder"),
                           field="raised_by")
    if group is not None:
        group = _group_key(ws.plan, group)
    if interaction is not None and (not isinstance(interaction, str) or not interaction.strip()):
        raise InvalidInput(f"interaction: expected an id, not {repr(interaction)[:40]}",
                           field="interaction")
    given_day = None if on is None else _day(on, "on")
    store = ws.store
    with store.write() as s:
        store.take_turn(s, "concerns")
        found = _stakeholder_pks(s, people)
        ipk = None
        day = given_day
        if interaction is not None:
            hit = resolve_ids(s, INT, [interaction.strip()]).get(interaction.strip())
            if hit is None:
                raise NotFound(gettext("no interaction with id {id!r}").format(
                    id=cut(interaction.strip())))
            ipk = hit[0]
            day = _check_contact(s, hit[1], [i for _pk, i in found.values()], day)
        day = day or dt.date.today()
        new_id = _next_id(s, CONCERNS, "C", day.year)
        s.execute(insert(CONCERNS).values(
            id=new_id, title=text, raised_on=day, interaction_pk=ipk, group_key=group))
        pk = s.scalar(select(CONCERNS.c.pk).where(CONCERNS.c.id == new_id))
        pks = sorted({p for p, _ in found.values()})
        s.execute(insert(CONCERN_PEOPLE), [{"concern_pk": pk, "stakeholder_pk": p}
                                           for p in pks])
        store.audit(s, "add", "concern", new_id, {"raised_by": len(pks)})
    return _one(ws, new_id)


def _check_contact(s: Session, interaction: str, people: Sequence[str],
                   day: dt.date | None) -> dt.date:
    """The day a concern raised at ``interaction`` by ``people`` is raised on (``day``,
    else the contact's): each of them must have been a party to the contact — a
    participant, its host, or of the party of one of them (an organisation and those who
    act for it, :func:`interessent.rules.party_of`) — and ``day`` not before it."""
    [contact] = store_queries.interactions(s, ids=[interaction])
    if day is not None and day < contact.date:
        raise InvalidInput(gettext("interaction {id} was on {contact}; a concern raised "
                                   "there cannot be raised before, on {day}").format(
            id=contact.id, contact=contact.date.isoformat(), day=day.isoformat()), field="on")
    present = {*contact.participants, *([contact.host] if contact.host else [])}
    everyone = store_queries.stakeholders(s)
    ties = store_queries.relationships(s)
    parties = set(present)
    for org in {*present, *people}:
        party = party_of(org, everyone, ties, contact.date)
        if party & present:
            parties |= party
    absent = [p for p in people if p not in parties]
    if absent:
        named = {p.id: p.name for p in everyone}
        raise InvalidInput(ngettext(
            "{people} did not take part in interaction {id} (not a participant, not its "
            "host, not acting for one): is it the right contact?",
            "{people} did not take part in interaction {id} (not participants, not its "
            "host, not acting for one): is it the right contact?", len(absent)).format(
            people=", ".join(f"{named.get(p, p)} ({p})" for p in absent), id=contact.id),
            field="interaction")
    return day or contact.date


def close_concern(ws: Workspace, id: str, *, answer: str,
                  on: str | dt.date | None = None) -> Concern:
    """Answer concern ``id`` (in any letter case) with ``answer``, on ``on`` (today by
    default): it is closed from then on. A concern closed already is refused."""
    text = _text(answer, "answer", MAX_ANSWER, lines=True)
    day = _day(on, "on")
    store = ws.store
    with store.write() as s:
        store.take_turn(s, "concerns")
        row = _row_by_id(s, CONCERNS, id, gettext("concern"))
        if row["closed_on"] is not None:
            raise InvalidInput(gettext("concern {id} was closed already, on {day}").format(
                id=row["id"], day=row["closed_on"].isoformat()), field="id")
        if day < row["raised_on"]:
            raise InvalidInput(gettext("concern {id} was raised on {raised}; it cannot be "
                                       "closed before, on {day}").format(
                id=row["id"], raised=row["raised_on"].isoformat(), day=day.isoformat()),
                field="on")
        s.execute(update(CONCERNS).where(CONCERNS.c.pk == row["pk"]).values(
            answer=text, closed_on=day))
        store.audit(s, "close", "concern", row["id"])
    return _one(ws, row["id"])


def concerns(ws: Workspace, *, open_only: bool = False, group: str | None = None,
             stakeholder: str | None = None) -> list[Concern]:
    """The concerns, oldest first: only those still open (``open_only``), those that
    belong to target group ``group``, those ``stakeholder`` raised."""
    plan = ws.plan
    key = None if group is None else _group_key(plan, group)
    with ws.store.read() as s:
        who = None
        if stakeholder is not None:
            [(who, _id)] = _stakeholder_pks(s, _ids_of(stakeholder, "stakeholder")[:1]
                                            ).values()
        found = _read(ws, s, open_only=open_only, stakeholder_pk=who)
    return [c for c in found if key is None or key in c.groups]


def _one(ws: Workspace, id: str) -> Concern:
    with ws.store.read() as s:
        return _read(ws, s, ids=[id])[0]


def _read(ws: Workspace, s: Session, *, open_only: bool = False,
          stakeholder_pk: int | None = None, ids: Sequence[str] | None = None
          ) -> list[Concern]:
    query = (select(CONCERNS.c.pk, CONCERNS.c.id, CONCERNS.c.title, CONCERNS.c.raised_on,
                    CONCERNS.c.group_key, CONCERNS.c.answer, CONCERNS.c.closed_on,
                    INT.c.id.label("interaction"))
             .outerjoin(INT, INT.c.pk == CONCERNS.c.interaction_pk)
             .order_by(CONCERNS.c.raised_on, CONCERNS.c.id))
    if open_only:
        query = query.where(CONCERNS.c.closed_on.is_(None))
    if ids is not None:
        query = query.where(CONCERNS.c.id.in_(list(ids)))
    if stakeholder_pk is not None:
        query = query.where(CONCERNS.c.pk.in_(
            select(CONCERN_PEOPLE.c.concern_pk)
            .where(CONCERN_PEOPLE.c.stakeholder_pk == stakeholder_pk)))
    rows = list(s.execute(query).mappings())
    people: dict[int, list[str]] = {}
    names: dict[int, list[str]] = {}
    for cpk, sid, name in s.execute(
            select(CONCERN_PEOPLE.c.concern_pk, ST.c.id, ST.c.name)
            .join(ST, ST.c.pk == CONCERN_PEOPLE.c.stakeholder_pk).order_by(ST.c.id)):
        people.setdefault(cpk, []).append(sid)
        names.setdefault(cpk, []).append(name or sid)
    known = {p.id: p for p in ws.store.stakeholders(
        ids=sorted({i for r in rows for i in people.get(r["pk"], [])}))}
    plan = ws.plan
    return [Concern(
        id=r["id"], title=r["title"], raised_on=r["raised_on"],
        raised_by=tuple(people.get(r["pk"], [])), interaction=r["interaction"],
        group=r["group_key"],
        groups=_groups(plan, r["group_key"],
                       [known[i] for i in people.get(r["pk"], []) if i in known]),
        answer=r["answer"], closed_on=r["closed_on"],
        raised_by_names=tuple(names.get(r["pk"], []))) for r in rows]


def _groups(plan: Plan, given: str | None, people: Sequence[Stakeholder]) -> tuple[str, ...]:
    """The target groups a concern belongs to: the one it was given, else those its
    people are members of, in the plan's order."""
    if given is not None:
        return (given,)
    return tuple(g.key for g in plan.groups if any(is_member(p, g) for p in people))


def _group_key(plan: Plan, group: object) -> str:
    if not isinstance(group, str):
        raise InvalidInput(f"group: expected a target group's key, not {repr(group)[:40]}",
                           field="group")
    given = group.strip()
    for g in plan.groups:
        if g.key.casefold() == given.casefold():
            return g.key
    return plan.group(given).key  # NotFound naming the plan's groups


"""Follow-up tasks: what must be done, by whom, by when, and for whom.

:func:`add_task` records one, owned by a role of the plan or by a registered stakeholder
(decided by looking the owner up: a role first, then a stakeholder; anything else is
refused), due on a day, optionally about a stakeholder and a commitment of the plan.
:func:`tasks` lists them (the open ones by default, soonest due first);
:func:`complete_task` marks one done.

``notify --record`` creates a task per person on the notify list (see
:func:`interessent.notify`): such a task carries its ``event``, and marking it done logs
the contact the notice stands for — a letter to the person, on the notify letter's
subject, on the day the task is done — so the person counts as informed from then on.

Ids (``T<year>-<nnnn>``, by the year the task is due) are chosen inside the transaction
that writes the task, so two people adding at once never get the same id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from attrs import field, frozen
from sqlalchemy import insert, select, update
from sqlalchemy.orm import aliased

from ..bounds import cut
from ..errors import InvalidInput, NotFound
from ..i18n import gettext, localized
from ..model import Interaction
from ..plaindata import plain
from ..plan import ChannelKind
from ..store import INT, ROLES, ST, TASKS, resolve_ids
from .concern import (
    MAX_TITLE,
    _day,
    _ids_of,
    _next_id,
    _row_by_id,
    _stakeholder_pks,
    _text,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..plan import Plan
    from ..store import Store
    from ..workspace import Workspace

__all__ = ["Task", "add_task", "complete_task", "tasks"]

#: The interaction kind a done notify task logs (what ``--record`` logged for a letter).
NOTICE_KIND = "letter"


@frozen
class Task:
    """A follow-up task. ``owner_role`` (a role key of the plan) or ``owner`` (a
    stakeholder id) owns it; ``stakeholder`` is whom it is about; ``event`` is set on the
    tasks ``notify --record`` creates; ``interaction`` is the contact logged when such a
    task was done. ``created_on`` is the day it was recorded (UTC); ``owner_name`` and
    ``stakeholder_name`` are the people's names, for people to read (not in
    :meth:`to_dict`, which keeps ids)."""

    id: str
    title: str
    due: dt.date
    owner_role: str | None = None
    owner: str | None = None
    stakeholder: str | None = None
    commitment: str | None = None
    event: str | None = None
    done_on: dt.date | None = None
    interaction: str | None = None
    created_on: dt.date | None = None
    owner_name: str | None = field(default=None, eq=False)
    stakeholder_name: str | None = field(default=None, eq=False)

    @property
    def is_open(self) -> bool:
        """Whether it is still to be done."""
        return self.done_on is None

    def open_on(self, day: dt.date) -> bool:
        """Whether it was open on ``day``: created on or before it, not done by then."""
        return ((self.created_on is None or self.created_on <= day)
                and (self.done_on is None or self.done_on > day))

    def owner_in_words(self, plan: Plan) -> str:
        """The owner as people read it: the role's name in the current language, or the
        person's name (else their id; «–» when the owner was erased)."""
        if self.owner_role:
            try:
                return localized(plan.role(self.owner_role).name)
            except NotFound:
                return self.owner_role
        return self.owner_name or self.owner or "–"

    def overdue(self, as_of: dt.date) -> bool:
        """Whether it is open and its due day is before ``as_of``."""
        return self.is_open and self.due < as_of

    def to_dict(self) -> dict[str, Any]:
        """Plain data (the JSON of ``task list``): ``owner`` is the role key or the
        stakeholder id, ``owner_kind`` says which (``role``, ``stakeholder``; null when
        the owner was erased); dates as ISO text; ``open`` while not done."""
        owner = self.owner_role or self.owner
        kind = "role" if self.owner_role else "stakeholder" if self.owner else None
        return {"id": self.id, "title": self.title, "due": plain(self.due), "owner": owner,
                "owner_kind": kind, "stakeholder": self.stakeholder,
                "commitment": self.commitment, "event": self.event,
                "done_on": plain(self.done_on), "interaction": self.interaction,
                "open": self.is_open}


def _role_key(plan: Plan, text: str) -> str | None:
    """The plan's role ``text`` names (its key, an alias or its name, in any letter case)."""
    wanted = text.strip().casefold()
    for role in plan.roles:
        names = {role.key, *role.aliases, str(role.name),
                 *getattr(role.name, "translations", {}).values()}
        if wanted in {n.casefold() for n in names}:
            return role.key
    return None


def _owner(ws: Workspace, s: Session, owner: object) -> tuple[str | None, int | None]:
    """(role key, None) or (None, stakeholder pk) for ``owner``; neither is refused."""
    if not isinstance(owner, str) or not owner.strip():
        raise InvalidInput(f"owner: expected a role or a stakeholder id, not "
                           f"{repr(owner)[:40]}", field="owner")
    role = _role_key(ws.plan, owner)
    if role is not None:
        return role, None
    found = resolve_ids(s, ST, [owner.strip()]).get(owner.strip())
    if found is None:
        raise NotFound(gettext("owner {owner!r} is neither a role of the plan nor a "
                               "registered stakeholder").format(owner=cut(owner.strip())))
    return None, found[0]


def add_task(
    ws: Workspace,
    *,
    title: str,
    owner: str,
    due: str | dt.date,
    stakeholder: str | None = None,
    commitment: str | None = None,
) -> Task:
    """Record a task ``title`` for ``owner`` (a role of the plan, by key, alias or name;
    else a registered stakeholder's id), due on ``due``, about ``stakeholder`` and
    ``commitment`` if given. Unknown owners, stakeholders and commitments are refused and
    nothing is written."""
    text = _text(title, "title", MAX_TITLE)
    if due is None:
        raise InvalidInput(gettext("due: say by which day"), field="due")
    day = _day(due, "due")
    if commitment is not None:
        if not isinstance(commitment, str):
            raise InvalidInput(f"commitment: expected an id, not {repr(commitment)[:40]}",
                               field="commitment")
        commitment = ws.plan.commitment(commitment.strip()).id
    store = ws.store
    with store.write() as s:
        store.take_turn(s, "tasks")
        role, owner_pk = _owner(ws, s, owner)
        about = None
        if stakeholder is not None:
            [(about, _id)] = _stakeholder_pks(s, _ids_of(stakeholder, "stakeholder")[:1]
                                              ).values()
        new_id = _insert(store, s, title=text, owner_role=role, owner_pk=owner_pk, due=day,
                         stakeholder_pk=about, commitment=commitment)
    return _one(ws, new_id)


def _insert(store: Store, s: Session, *, title: str, owner_role: str | None,
            owner_pk: int | None, due: dt.date, stakeholder_pk: int | None,
            commitment: str | None, event: str | None = None) -> str:
    """Insert one task in the caller's write transaction (which took its turn at
    ``tasks``) with the next id of its due year; its id."""
    new_id = _next_id(s, TASKS, "T", due.year)
    s.execute(insert(TASKS).values(
        id=new_id, title=title, owner_role=owner_role, owner_pk=owner_pk, due=due,
        stakeholder_pk=stakeholder_pk, commitment_id=commitment, event=event))
    store.audit(s, "add", "task", new_id, {"notice": 1} if event else None)
    return new_id


def _notice_tasks(store: Store, s: Session, *, owner_role: str, due: dt.date, event: str,
                  letters: Sequence[tuple[int, str, str | None]]
                  ) -> tuple[list[str], list[str]]:
    """In the caller's write transaction (which took its turn at ``tasks``), a task to
    inform each (stakeholder pk, title, commitment) of ``letters`` of ``event``, except
    those who have a task for the same event still open: (ids created, ids open
    already)."""
    pks = [pk for pk, _t, _c in letters]
    already: dict[int, str] = {
        int(r.stakeholder_pk): str(r.id) for r in s.execute(
            select(TASKS.c.stakeholder_pk, TASKS.c.id)
            .where(TASKS.c.event == event, TASKS.c.done_on.is_(None),
                   TASKS.c.stakeholder_pk.in_(pks))
            .order_by(TASKS.c.id.desc()))}
    made = [_insert(store, s, title=title, owner_role=owner_role, owner_pk=None, due=due,
                    stakeholder_pk=pk, commitment=commitment, event=event)
            for pk, title, commitment in letters if pk not in already]
    return made, sorted(already[pk] for pk in dict.fromkeys(pks) if pk in already)


def record_notice_tasks(ws: Workspace, *, owner_role: str, due: dt.date, event: str,
                        letters: Sequence[tuple[str, str, str | None]]
                        ) -> tuple[list[str], list[str]]:
    """A task to inform each (stakeholder id, title, commitment) of ``letters`` of
    ``event`` (what :func:`interessent.notify` records when no letters are written),
    none for those whose task for that event is still open: (ids created, ids open
    already)."""
    store = ws.store
    with store.write() as s:
        store.take_turn(s, "tasks")
        pks = store.pk_map(s, [i for i, _t, _c in letters])
        return _notice_tasks(store, s, owner_role=owner_role, due=due, event=event,
                             letters=[(pks[i], t, c) for i, t, c in letters])


def complete_task(ws: Workspace, id: str, *, on: str | dt.date | None = None) -> Task:
    """Mark task ``id`` (in any letter case) done on ``on`` (today by default). A task
    ``notify --record`` created logs, in the same step, the contact it stands for: a
    letter to its person on its title, on that day. A task done already is refused."""
    day = _day(on, "on")
    store = ws.store
    with store.write() as s:
        store.take_turn(s, "tasks")
        row = _row_by_id(s, TASKS, id, gettext("task"))
        if row["done_on"] is not None:
            raise InvalidInput(gettext("task {id} was done already, on {day}").format(
                id=row["id"], day=row["done_on"].isoformat()), field="id")
        _check_done_day(row, day)
        ipk = None
        if row["event"] is not None and row["stakeholder_pk"] is not None:
            ipk = _log_notice(ws, s, row, day)
        s.execute(update(TASKS).where(TASKS.c.pk == row["pk"]).values(
            done_on=day, interaction_pk=ipk))
        store.audit(s, "done", "task", row["id"], {"interactions": int(ipk is not None)})
    return _one(ws, row["id"])


def _check_done_day(row: Any, day: dt.date) -> None:
    """Refuse a day before the task was created (for a notify task, before its notice)
    or after today."""
    today = dt.date.today()
    if day > today:
        raise InvalidInput(gettext("task {id} cannot be done on {day}, a day still to come "
                                   "(today is {today})").format(
            id=row["id"], day=day.isoformat(), today=today.isoformat()), field="on")
    created = row["created_at"].date() if row["created_at"] is not None else None
    if created is not None and day < created:
        raise InvalidInput(gettext("task {id} was created on {created}; it cannot be done "
                                   "before, on {day}").format(
            id=row["id"], created=created.isoformat(), day=day.isoformat()), field="on")
    if row["event"] is not None and day < row["due"]:
        raise InvalidInput(gettext("task {id} stands for a notice of {notice}; its contact "
                                   "cannot be logged before, on {day}").format(
            id=row["id"], notice=row["due"].isoformat(), day=day.isoformat()), field="on")


def _log_notice(ws: Workspace, s: Session, row: Any, day: dt.date) -> int:
    """Log the contact a notify task stands for, in the caller's transaction; its pk."""
    plan = ws.plan
    person = str(s.scalar(select(ST.c.id).where(ST.c.pk == row["stakeholder_pk"])))
    direct = sorted((c for c in plan.channels if c.kind is ChannelKind.DIRECT),
                    key=lambda c: c.priority)
    store = ws.store
    new_id = store.next_interaction_id(day, s)  # this transaction's to use
    logged = Interaction(
        id=new_id, date=day, kind=NOTICE_KIND, channel=direct[0].key if direct else None,
        participants=(person,), topic=row["title"],
        commitments=(row["commitment_id"],) if row["commitment_id"] else ())
    store._save_interactions(s, [logged])
    pk = s.scalar(select(INT.c.pk).where(INT.c.id == new_id))
    assert pk is not None
    return int(pk)


def tasks(ws: Workspace, *, owner: str | None = None, open_only: bool = True,
          open_on: dt.date | None = None) -> list[Task]:
    """The tasks, soonest due first: the open ones (all with ``open_only=False``; with
    ``open_on``, those open on that day: created on or before it and not done by then),
    those of ``owner`` — a role, or a stakeholder (looked up as :func:`add_task` does):
    the tasks they own and those of the roles they hold."""
    day = None if open_on is None else _day(open_on, "open_on")
    with ws.store.read() as s:
        role = pk = None
        roles: list[str] = []
        if owner is not None:
            role, pk = _owner(ws, s, owner)
            if pk is not None:
                roles = list(s.scalars(select(ROLES.c.role).where(ROLES.c.stakeholder_pk == pk)))
        found = _read(s, open_only=open_only and day is None, owner_role=role, owner_pk=pk,
                      owner_roles=roles)
    return [t for t in found if day is None or t.open_on(day)]


def _one(ws: Workspace, id: str) -> Task:
    with ws.store.read() as s:
        return _read(s, open_only=False, ids=[id])[0]


def _read(s: Session, *, open_only: bool, owner_role: str | None = None,
          owner_pk: int | None = None, ids: Sequence[str] | None = None,
          stakeholder_pk: int | None = None, owner_roles: Sequence[str] = ()) -> list[Task]:
    own = aliased(ST)
    about = aliased(ST)
    query = (select(TASKS.c.id, TASKS.c.title, TASKS.c.due, TASKS.c.owner_role,
                    own.c.id.label("owner"), about.c.id.label("stakeholder"),
                    own.c.name.label("owner_name"), about.c.name.label("stakeholder_name"),
                    TASKS.c.commitment_id, TASKS.c.event, TASKS.c.done_on,
                    TASKS.c.created_at, INT.c.id.label("interaction"))
             .outerjoin(own, own.c.pk == TASKS.c.owner_pk)
             .outerjoin(about, about.c.pk == TASKS.c.stakeholder_pk)
             .outerjoin(INT, INT.c.pk == TASKS.c.interaction_pk)
             .order_by(TASKS.c.due, TASKS.c.id))
    if open_only:
        query = query.where(TASKS.c.done_on.is_(None))
    if owner_role is not None:
        query = query.where(TASKS.c.owner_role == owner_role)
    if owner_pk is not None:
        query = query.where((TASKS.c.owner_pk == owner_pk)
                            | TASKS.c.owner_role.in_(list(owner_roles)))
    if stakeholder_pk is not None:
        query = query.where((TASKS.c.owner_pk == stakeholder_pk)
                            | (TASKS.c.stakeholder_pk == stakeholder_pk))
    if ids is not None:
        query = query.where(TASKS.c.id.in_(list(ids)))
    return [Task(id=r["id"], title=r["title"], due=r["due"], owner_role=r["owner_role"],
                 owner=r["owner"], stakeholder=r["stakeholder"],
                 commitment=r["commitment_id"], event=r["event"], done_on=r["done_on"],
                 interaction=r["interaction"],
                 created_on=r["created_at"].date() if r["created_at"] else None,
                 owner_name=r["owner_name"], stakeholder_name=r["stakeholder_name"])
            for r in s.execute(query).mappings()]

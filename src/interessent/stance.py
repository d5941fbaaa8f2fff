"""Stance (holdning): where each stakeholder stands on the programme's goals, with its
history.

A stance is ``support``, ``neutral`` or ``oppose`` (:class:`~interessent.model.Stance`),
from a day on (``since``). It is history, never overwritten: every change of stance adds
a record (:func:`set_stance`), and the stance **in force** on a day is the newest one
recorded from that day or earlier (:func:`in_force`, its SQL form
:func:`interessent.store.rules.stance_as_of_sql`); of two recorded for the same day, the
one recorded last. Recording the stance that is already in force on that day adds
nothing: it would change no day's answer, and running the same command twice writes once.
A stakeholder nobody has recorded a stance for has none (``None``): "not known" is not
"neutral".

Coverage counts the stances in force on its as-of day as each target group's
``acceptance`` (:mod:`interessent.coverage.acceptance`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from attrs import frozen
from sqlalchemy import insert, select

from .bounds import check_text, cut, shown
from .errors import InvalidInput, NotFound
from .i18n import gettext
from .model import Stance
from .periods import check_date, parse_date
from .plaindata import plain
from .store import ST, STANCES, current_actor, resolve_ids, utc_now

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .workspace import Workspace

__all__ = ["STANCE_MARKS", "Stance", "StanceRecord", "check_since", "in_force",
           "parse_stance", "set_stance", "stance_history", "stance_on"]

#: How a stance typed by a person is read, besides the values themselves (the Norwegian
#: words too); the words shown to people are :data:`interessent.i18n.STANCE_WORDS`.
_STANCE_WORDS: dict[str, Stance] = {
    **dict.fromkeys(("support", "supports", "for", "støtter", "støttar"), Stance.SUPPORT),
    **dict.fromkeys(("neutral", "nøytral"), Stance.NEUTRAL),
    **dict.fromkeys(("oppose", "opposes", "against", "mot", "imot"), Stance.OPPOSE),
}

#: A stance as a mark that needs no colour to be read (the dashboard's map, print).
STANCE_MARKS: dict[Stance, str] = {Stance.SUPPORT: "+", Stance.NEUTRAL: "=",
                                   Stance.OPPOSE: "\u2212"}


def parse_stance(value: object) -> Stance:
    """A :class:`~interessent.model.Stance` from itself or its text (``support``,
    ``neutral``, ``oppose``, in any case; the Norwegian ``støtter``, ``nøytral``, ``mot``
    too). Anything else is :class:`~interessent.errors.InvalidInput` naming ``stance``."""
    if isinstance(value, Stance):
        return value
    found = _STANCE_WORDS.get(value.strip().casefold()) if isinstance(value, str) else None
    if found is None:
        raise InvalidInput(gettext("stance: unknown stance {value} (expected one of "
                                   "{known})").format(
            value=shown(value), known=", ".join(s.value for s in Stance)), field="stance")
    return found


@frozen
class StanceRecord:
    """One recorded stance of a stakeholder: ``stance`` from ``since`` on, recorded at
    ``recorded_at`` (UTC) by ``recorded_by`` (the store's actor)."""

    stakeholder: str
    stance: Stance
    since: dt.date
    recorded_at: dt.datetime | None = None
    recorded_by: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain data: ``stakeholder``, ``stance`` (``support``, ``neutral`` or
        ``oppose``), ``since`` (ISO date), ``recorded_at`` (ISO time), ``recorded_by``."""
        return {"stakeholder": self.stakeholder, "stance": self.stance.value,
                "since": plain(self.since), "recorded_at": plain(self.recorded_at),
                "recorded_by": self.recorded_by}


def in_force(history: Iterable[StanceRecord], day: dt.date) -> StanceRecord | None:
    """The stance in force on ``day`` of a ``history`` in the order it was recorded: the
    one with the latest ``since`` not after ``day``, the last recorded of those of the same
    day; None when none is that old."""
    found: StanceRecord | None = None
    for record in history:
        if record.since <= day and (found is None or record.since >= found.since):
            found = record
    return found


def check_since(value: str | dt.date | None) -> dt.date:
    """The day a stance is recorded from: ``value`` (a date or ISO text, checked as every
    date entered), or today."""
    return _day(value, "since")


def _day(value: str | dt.date | None, field: str) -> dt.date:
    if value is None:
        return dt.date.today()
    if isinstance(value, dt.date):
        return check_date(value, field=field)
    if not isinstance(value, str):
        raise InvalidInput(gettext("{field}: expected a date, not {type} {value}").format(
            field=field, type=type(value).__name__, value=shown(value)), field=field)
    return parse_date(value, field=field)


def _stakeholder(s: Session, id: object, writing: bool = False) -> tuple[int, str]:
    """The pk and registered id of stakeholder ``id`` (in any case or Unicode form);
    NotFound for an unknown id; when ``writing``, InvalidInput for an erased record."""
    if not isinstance(id, str):
        raise InvalidInput(gettext("id: expected text, not {type} {value}").format(
            type=type(id).__name__, value=shown(id)), field="id")
    check_text(id, "id")  # no id holds a control character (and PostgreSQL takes no NUL)
    found = resolve_ids(s, ST, [id]).get(id)
    if found is None:
        raise NotFound(gettext("no stakeholder with id {id!r}").format(id=cut(id)))
    pk, registered = found
    if writing and s.scalar(select(ST.c.erased_at).where(ST.c.pk == pk)) is not None:
        raise InvalidInput(gettext("{id} was erased; cannot record a stance").format(
            id=registered))
    return pk, registered


def _history(s: Session, pk: int, id: str) -> list[StanceRecord]:
    rows = s.execute(select(STANCES.c.stance, STANCES.c.since, STANCES.c.recorded_at,
                            STANCES.c.recorded_by)
                     .where(STANCES.c.stakeholder_pk == pk)
                     .order_by(STANCES.c.since, STANCES.c.pk))
    out = []
    for stance, since, at, by in rows:
        try:
            value = Stance(stance)
        except ValueError:  # written by hand into the database: not a stance we know
            continue
        day = since if isinstance(since, dt.date) else dt.date.fromisoformat(str(since)[:10])
        out.append(StanceRecord(id, value, day, at, by))
    return out


def set_stance(ws: Workspace, id: str, *, stance: Stance | str,
               since: str | dt.date | None = None) -> StanceRecord:
    """Record that stakeholder ``id`` (in any case) holds ``stance`` from ``since``
    (default today; a date or ISO text) on, and return the stance in force on that day.

    Every change is kept: the stances recorded before stay in the history
    (:func:`stance_history`). Recording the stance already in force on ``since`` adds
    nothing (the record in force is returned, its ``since`` the earlier day). The record
    names who recorded it (the store's actor) and when; the audit log notes that a stance
    was recorded, not which."""
    value = parse_stance(stance)
    day = check_since(since)
    store = ws.store
    with store.read() as s:  # nothing is written for a stance already in force
        pk, registered = _stakeholder(s, id, writing=True)
        current = in_force(_history(s, pk, registered), day)
    if current is not None and current.stance is value:
        return current
    with store.write() as s:
        pk, registered = _stakeholder(s, id, writing=True)
        current = in_force(_history(s, pk, registered), day)
        if current is not None and current.stance is value:  # recorded meanwhile
            return current
        s.execute(insert(STANCES).values(stakeholder_pk=pk, stance=value.value, since=day,
                                         recorded_at=utc_now(), recorded_by=current_actor(s)))
        store.audit(s, "stance", "stakeholder", pk)
        recorded = in_force(_history(s, pk, registered), day)
    assert recorded is not None
    return recorded


def stance_history(ws: Workspace, id: str) -> list[StanceRecord]:
    """Stakeholder ``id``'s stances as recorded, oldest ``since`` first (those of one day
    in the order recorded); empty when none is known."""
    with ws.store.read() as s:
        pk, registered = _stakeholder(s, id)
        return _history(s, pk, registered)


def stance_on(ws: Workspace, id: str, day: str | dt.date | None = None) -> StanceRecord | None:
    """Stakeholder ``id``'s stance in force on ``day`` (default today: the current
    stance), or None when none was recorded from that day or earlier."""
    when = _day(day, "day")
    return in_force(stance_history(ws, id), when)

"""A stakeholder's record as the privacy operations read it: found by id (or
:class:`~interessent.errors.NotFound`), refused once erased, and dates from rows and from
what a user typed."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ..errors import InvalidInput, NotFound
from ..i18n import gettext
from ..periods import check_date, parse_date
from ..store import ST, resolve_ids

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _day(value: str | dt.date | None, default: dt.date | None = None,
         field: str | None = None) -> dt.date | None:
    """The day a user gave (checked like every date entered; errors name ``field``), or
    ``default``."""
    if value is None or value == "":
        return default
    if isinstance(value, dt.date):
        return check_date(value, field=field)
    return parse_date(value, field=field)


def _person_row(s: Session, id: str) -> Any:
    """The stakeholder row with id ``id`` (NotFound if there is none)."""
    from sqlalchemy import select

    found = resolve_ids(s, ST, [id]).get(id)  # the id in any case or Unicode form
    row = None if found is None else s.execute(
        select(ST).where(ST.c.pk == found[0])).mappings().first()
    if row is None:
        raise NotFound(gettext("no stakeholder with id {id!r}").format(id=id))
    return row


def _not_erased(row: Any, doing: str) -> None:
    if row["erased_at"] is not None:
        raise InvalidInput(gettext("{id} was erased on {day}; cannot {doing}").format(
            id=row["id"], day=_date(row["erased_at"]).isoformat(), doing=doing))

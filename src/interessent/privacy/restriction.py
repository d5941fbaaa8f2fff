"""Restriction of processing (GDPR art. 18) and opting out of letters: the flags on a
record that drafting, exports and retention respect."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..i18n import gettext
from ..store import ST, _now
from .records import _not_erased, _person_row

if TYPE_CHECKING:
    from ..workspace import Workspace


def _set_flag(ws: Workspace, id: str, column: str, value: bool, action: str) -> bool:
    from sqlalchemy import update

    store = ws.store
    with store.write() as s:
        row = _person_row(s, id)
        if row["erased_at"] is not None and not value:
            _not_erased(row, gettext("opt them in") if action == "opt_in"
                        else gettext("lift the restriction"))
        if bool(row[column]) == value:
            return False
        s.execute(update(ST).where(ST.c.pk == row["pk"])
                  .values({column: value, "updated_at": _now()}))
        store.audit(s, action, "stakeholder", row["pk"])
    return True


def opt_out(ws: Workspace, id: str) -> bool:
    """Stakeholder ``id`` wants no more letters from the programme; drafting skips them.
    Returns whether that changed anything."""
    return _set_flag(ws, id, "opted_out", True, "opt_out")


def opt_in(ws: Workspace, id: str) -> bool:
    """Undo :func:`opt_out`; returns whether that changed anything."""
    return _set_flag(ws, id, "opted_out", False, "opt_in")


def restrict(ws: Workspace, id: str) -> bool:
    """Restrict processing of stakeholder ``id``'s data (GDPR art. 18), for a record that
    must be kept (archive duty) but not used: drafting skips it, register exports leave it
    out, retention keeps it. Returns whether that changed anything."""
    return _set_flag(ws, id, "restricted", True, "restrict")


def unrestrict(ws: Workspace, id: str) -> bool:
    """Lift a restriction (not of an erased record); returns whether that changed anything."""
    return _set_flag(ws, id, "restricted", False, "unrestrict")


def restricted_ids(ws: Workspace) -> set[str]:
    """The ids of stakeholders whose processing is restricted (erased people included)."""
    from sqlalchemy import select

    with ws.store.read() as s:
        return set(s.scalars(select(ST.c.id).where(ST.c.restricted.is_(True))))

"""Notices of a significant event: whom the plan says to tell, in its order, and a
notice drafted to each of them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from ..bounds import cut
from ..errors import InvalidInput
from ..followup.task import record_notice_tasks
from ..policy import notification_list
from .library import LetterFormat
from .output import DRAFTS_DIR
from .results import Notice
from .run import draft

if TYPE_CHECKING:
    from ..workspace import Workspace

__all__ = ["notify"]


def notify(
    ws: Workspace,
    event: str,
    *,
    out: Path | None = None,
    template: str = "hendelse",
    fmt: LetterFormat = "md",
    signer: str | None = None,
    topic: str | None = None,
    cleared_by: str | None = None,
    record: bool = False,
    as_of: dt.date | None = None,
    write: bool = True,
) -> Notice:
    """Whom to notify of a significant event, in the plan's order; with ``write`` a notice
    to each of them from ``template`` (the signer excepted, listed as skipped).

    With ``record``, each person written to gets a follow-up task to inform them (due
    on the day of the notice, owned by the signer's role: the role the plan's
    information responsibility makes speak on the topic). Marking a task done
    (:func:`interessent.complete_task`) logs the contact — a letter to the person on the
    notice's subject, dated the day it is done — so they count as informed from then on,
    not from the day the notice was drafted.

    ``record`` creates the tasks without ``write`` too (no letters written: the notices
    are rendered only, to know whom and on what subject). A person whose task for the
    same event is still open gets no second one: the run's ``tasks_open`` (and the
    notice's) name those tasks."""
    if not event.strip():
        raise InvalidInput("describe the event, e.g. interessent notify \"Brann hos …\"")
    notifiees = tuple(notification_list(ws))
    ids = list(dict.fromkeys(p.id for n in notifiees for p in n.people))
    run = None
    made: tuple[str, ...] = ()
    still_open: tuple[str, ...] = ()
    if write or record:
        if not ids:
            raise InvalidInput("nobody to notify: no stakeholder holds the roles in the "
                               "plan's information.notify")
        day = as_of or dt.date.today()
        folder = out if out is not None else (
            ws.root / DRAFTS_DIR / f"{template}-{day.isoformat()}")
        drafted = draft(ws, template, stakeholders=ids, fmt=fmt, out=folder, signer=signer,
                        topic=topic, cleared_by=cleared_by, record=record and write,
                        as_of=day, event=event.strip(), record_as="tasks", write=write)
        if write:
            run = drafted
            made, still_open = drafted.tasks, drafted.tasks_open
        else:  # tasks without letters: whom the notices would go to, on their subject
            created, already = record_notice_tasks(
                ws, owner_role=drafted.signature.role, due=day,
                event=event.strip()[:100],
                letters=[(x.recipient, cut(x.subject or event.strip(), 1000),
                          x.commitments[0] if x.commitments else None)
                         for x in drafted.letters])
            made, still_open = tuple(created), tuple(already)
    return Notice(event=event.strip(), notifiees=notifiees, run=run, tasks=made,
                  tasks_open=still_open)

"""The audit log: who changed what, when. Never personal data.

Who: the actor the store was opened with (:class:`~interessent.store.Store`'s ``actor``,
which every write session carries), else the operating-system user
(:func:`current_actor`). Nothing here reads the environment: the command line maps
``INTERESSENT_USER`` to the actor. Wherever an actor is given, :func:`check_actor` checks
it: one line of text of at most :data:`MAX_ACTOR_CHARS` characters.

Every write transaction leaves at least one entry. A path that records its own
(:func:`record_entry`, through :meth:`interessent.store.Store.audit`) says what it did;
the saves note what they wrote (:func:`note_write`), and a write that recorded nothing of
its own gets a plain ``write`` entry from those notes (:func:`record_unlabelled`).
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from ..bounds import check_text, shown
from ..errors import InvalidInput
from .queries import resolve_ids
from .schema import AUDIT, ST, utc_now

__all__ = [
    "ACTOR_KEY",
    "MAX_ACTOR_CHARS",
    "check_actor",
    "current_actor",
    "note_write",
    "record_entry",
    "record_unlabelled",
]

#: Where a write session carries the store's actor (``session.info``).
ACTOR_KEY = "interessent_actor"

#: The longest actor the audit log holds.
MAX_ACTOR_CHARS = 200


def check_actor(actor: object) -> str | None:
    """``actor`` if the audit log may hold it (None: the operating-system user), else
    :class:`~interessent.errors.InvalidInput` naming the actor: it must be text of one line
    without control characters, at most :data:`MAX_ACTOR_CHARS` characters long. An
    entry of the log is read as one line, so a line feed in an actor would forge one."""
    if actor is None:
        return None
    if not isinstance(actor, str):
        raise InvalidInput(f"actor: expected text, not {type(actor).__name__} {shown(actor)}")
    if len(actor) > MAX_ACTOR_CHARS:
        raise InvalidInput(f"actor: at most {MAX_ACTOR_CHARS} characters, not {len(actor):,}")
    return check_text(actor, "actor")


def current_actor(s: Session | None = None) -> str:
    """Who is working in session ``s``: the actor its store was opened with, else the
    operating-system user (at most 200 characters)."""
    named = str(s.info.get(ACTOR_KEY) or "").strip() if s is not None else ""
    if named:
        return named[:200]
    try:
        return getpass.getuser()[:200]
    except Exception:  # no user name in this environment (a bare container)
        return "unknown"


def record_entry(
    s: Session,
    action: str,
    subject_kind: str,
    subject: str | int | None = None,
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Record one audit entry in the caller's transaction; see
    :meth:`interessent.store.Store.audit` for what ``subject`` and ``detail`` may hold."""
    subject_pk: int | None = None
    ref: str | None = None
    if subject_kind == "stakeholder" and subject is not None:
        subject_pk = (subject if isinstance(subject, int)
                      else resolve_ids(s, ST, [subject]).get(subject, (None, ""))[0])
    elif subject is not None:
        ref = str(subject)[:200]
    s.execute(insert(AUDIT).values(
        at=utc_now(), actor=current_actor(s), action=action, subject_kind=subject_kind,
        subject_pk=subject_pk, subject_ref=ref,
        detail=json.dumps(dict(detail), ensure_ascii=False, sort_keys=True, default=str)
        if detail else None,
    ))
    s.info["interessent_audited"] = True


def note_write(s: Session, table: str, added: int, updated: int) -> None:
    """Remember what a save wrote, for the audit entry of a write that names none."""
    changes = s.info.setdefault("interessent_changes", {})
    done = changes.setdefault(table, {"added": 0, "updated": 0})
    done["added"] += added
    done["updated"] += updated


def record_unlabelled(s: Session) -> None:
    """Every write leaves an audit entry: a write path that recorded none of its own
    (drafting's ``--record``, the Store's own helpers) gets a plain ``write`` entry."""
    changes = s.info.get("interessent_changes")
    if changes and not s.info.get("interessent_audited"):
        record_entry(s, "write", "+".join(sorted(changes)), detail=changes)

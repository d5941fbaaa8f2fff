"""The audit log every write path fills: who changed what, when (:func:`audit_log`), and
the one entry an import leaves (:func:`audit_import`). People appear in it only as their
integer key, never by name or name-derived id."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from ..plaindata import plain
from ..store import AUDIT, ST, Store, _chunks
from .records import _person_row

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..workspace import Workspace


@frozen
class AuditEntry:
    """One entry of the audit log. ``subject`` is a stakeholder's current id (an erased
    person's is ``slettet-<pk>``), or a reference such as an interaction id or a file."""

    at: dt.datetime
    actor: str
    action: str
    subject_kind: str
    subject: str | None
    detail: dict[str, Any] = field(factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (the JSON of ``privacy audit``): ``at`` as ISO text to the second."""
        return {"at": plain(self.at.replace(microsecond=0)), "actor": self.actor,
                "action": self.action, "subject_kind": self.subject_kind,
                "subject": self.subject, "detail": plain(self.detail)}


def audit_import(
    store: Store,
    s: Session,
    kind: str,
    *,
    source: str,
    action: str,
    subject: str | None,
    rows: int,
    added: int,
    updated: int,
    columns: Sequence[str],
) -> None:
    """The audit entry of an import (one per file or typed-in row, not one per row).

    A file is referred to by its name; a typed-in stakeholder (``subject``) by its key,
    an interaction by its id."""
    detail: dict[str, Any] = {"rows": rows, "added": added, "updated": updated}
    if subject is None:
        store.audit(s, action, kind, source, detail)
        return
    detail["columns"] = sorted(c for c in columns if c != "id")
    one = {"stakeholders": "stakeholder", "interactions": "interaction"}.get(kind, kind)
    store.audit(s, action, one, subject, detail)


def audit_tie(
    store: Store,
    s: Session,
    *,
    action: str,
    tie: tuple[str, str, str],
    detail: Mapping[str, Any] | None = None,
) -> None:
    """The audit entry of one relationship typed in, edited or removed: about its source
    stakeholder, with the target by its integer key and the relationship's kind (ids are
    made from names: never in the log)."""
    source, target, kind = tie
    pks = store.pk_map(s, [source, target])
    store.audit(s, action, "stakeholder", pks.get(source),
                {"relationship": kind, "target_pk": pks.get(target), **(detail or {})})


def audit_log(
    ws: Workspace,
    *,
    subject: str | None = None,
    action: str | None = None,
    limit: int | None = None,
) -> list[AuditEntry]:
    """The audit log, oldest first; only entries about stakeholder ``subject`` (by id) or
    of one ``action``, and only the newest ``limit``, when given."""
    from sqlalchemy import select

    query = select(AUDIT).order_by(AUDIT.c.at.desc(), AUDIT.c.pk.desc())
    with ws.store.read() as s:
        if subject is not None:
            pk = _person_row(s, subject)["pk"]
            query = query.where((AUDIT.c.subject_kind == "stakeholder")
                                & (AUDIT.c.subject_pk == pk))
        if action is not None:
            query = query.where(AUDIT.c.action == action)
        if limit is not None:
            query = query.limit(limit)
        rows = list(s.execute(query).mappings())
        pks = {r["subject_pk"] for r in rows if r["subject_pk"] is not None}
        ids: dict[int, str] = {}
        for chunk in _chunks(sorted(pks), 400):
            ids.update((k, v) for k, v in s.execute(
                select(ST.c.pk, ST.c.id).where(ST.c.pk.in_(chunk))))
    return [_entry(r, ids) for r in reversed(rows)]


def _entry(r: Any, ids: Mapping[int, str]) -> AuditEntry:
    pk = r["subject_pk"]
    subject = ids.get(pk, f"#{pk}") if pk is not None else r["subject_ref"]
    detail = json.loads(r["detail"]) if r["detail"] else {}
    return AuditEntry(at=r["at"], actor=r["actor"], action=r["action"],
                      subject_kind=r["subject_kind"], subject=subject, detail=detail)

"""A request for access (GDPR art. 15) or portability (art. 20): :func:`export_person`,
everything held about one person as JSON-ready values, without other people's personal
data."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..rules import KindCategory, kinds_in
from ..store import (
    AUDIT,
    CLEARANCES,
    CONCERN_PEOPLE,
    CONCERNS,
    INT,
    ST,
    STANCES,
    TASKS,
    _now,
)
from .consent import LEGAL_BASES, _consent_from_row, _consent_rows
from .mentions import _identifiers, _People
from .records import _person_row

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..workspace import Workspace

#: What replaces another person's name in a person's export.
OTHER_PERSON = "[annen person]"

def export_person(ws: Workspace, id: str, *,
                  deliver: Callable[[dict[str, Any]], object] | None = None) -> dict[str, Any]:
    """Everything the register holds about one person, for a request for access (GDPR
    art. 15) or portability (art. 20): the record, legal bases, relationships,
    interactions, letters, the concerns they raised, the tasks about them or owned by
    them, the clearances they gave or signed, their stance history and the audit entries,
    as JSON-ready values.

    Other people's personal data does not leak through: the other end of a relationship
    is named only when it is an organisation; an interaction shows the number of other
    participants, not who they were; notes are included only for interactions the person
    was the sole participant of, and other registered people's names, ids, e-mails,
    phones and addresses are replaced by ``[annen person]`` in every text shown (notes,
    topics, consent sources). The export is an audit entry.

    ``deliver`` (writing the file, say) gets the export before its audit entry is
    committed: if it fails, no entry is left and the error passes on.
    """
    with ws.store.write() as s:
        data = _export(ws, id, s)
        if deliver is not None:
            deliver(data)
    return data


def _export(ws: Workspace, id: str, s: Session) -> dict[str, Any]:
    from sqlalchemy import select

    store = ws.store
    plan = ws.plan
    row = _person_row(s, id)
    pk = row["pk"]
    store.audit(s, "export", "stakeholder", pk)
    consent_rows = _consent_rows(s, pk)
    audit_rows = list(s.execute(
        select(AUDIT).where((AUDIT.c.subject_kind == "stakeholder")
                            & (AUDIT.c.subject_pk == pk))
        .order_by(AUDIT.c.at, AUDIT.c.pk)).mappings())
    others = list(s.execute(
        select(ST.c.pk, ST.c.id, ST.c.name, ST.c.email, ST.c.address, ST.c.phone)
        .where((ST.c.kind == "person") & (ST.c.pk != pk))).mappings())
    me = store.stakeholder(row["id"])
    redact = _People((r["pk"], *_identifiers(r)) for r in others)

    def clean(text: str | None) -> str | None:
        return redact.replace(text, OTHER_PERSON)[0] if text and redact else text

    rels = store.relationships(stakeholder=me.id)
    ends = {r.target if r.source == me.id else r.source for r in rels}
    interactions = store.interactions(stakeholder=me.id)
    ends |= {i.host for i in interactions if i.host}
    if me.organisation:
        ends.add(me.organisation)
    known = {o.id: o for o in store.stakeholders(ids=sorted(ends))}

    def party(other: str | None) -> dict[str, Any] | None:
        if other is None:
            return None
        if other == me.id:
            return {"kind": "person", "description": "the person"}
        found = known.get(other)
        if found is not None and not found.is_person:
            return {"kind": "organisation", "id": found.id, "name": found.name}
        return {"kind": "person", "description": "another person"}

    groups = {g.key: g.name for g in plan.groups}
    record = {
        "id": me.id, "name": me.name, "first_name": me.first_name, "kind": me.kind.value,
        "email": me.email,
        "phone": me.phone, "address": me.address, "organisation": party(me.organisation),
        "roles": list(me.roles),
        "groups": [{"key": g, "name": groups.get(g, g)} for g in me.groups],
        "influence": me.influence, "interest": me.interest, "language": me.language.value,
        "legal_basis": me.legal_basis, "tags": list(me.tags), "notes": clean(me.notes),
        "opted_out": me.opted_out, "restricted": me.restricted,
        "erased_at": _iso(row["erased_at"]), "created_at": _iso(row["created_at"]),
        "updated_at": _iso(row["updated_at"]),
    }
    today = dt.date.today()
    consent_list = []
    for n, r in enumerate(consent_rows):
        c = _consent_from_row(r)
        consent_list.append({
            "basis": c.basis, "article": LEGAL_BASES.get(c.basis), "source": clean(c.source),
            "given": _iso(c.given), "expires": _iso(c.expires), "withdrawn": _iso(c.withdrawn),
            "recorded_at": _iso(c.recorded_at), "current": n == 0,
            "valid_today": c.valid_on(today),
        })
    relationships = []
    for r in rels:
        outgoing = r.source == me.id
        relationships.append({
            "kind": r.kind,
            "direction": "mutual" if not r.directed else "from" if outgoing else "to",
            "other": party(r.target if outgoing else r.source),
            "strength": r.strength, "start": _iso(r.start), "end": _iso(r.end),
        })
    contacts: list[dict[str, Any]] = []
    letters: list[dict[str, Any]] = []
    # kinds that sent the person something written (letters, e-mails, reports, and the
    # plan's own kinds in the written category)
    letter_kinds = set(kinds_in(KindCategory.WRITTEN, plan))
    for i in interactions:
        shared = len([p for p in i.participants if p != me.id])
        item: dict[str, Any] = {
            "id": i.id, "date": i.date.isoformat(), "kind": i.kind, "channel": i.channel,
            "topic": clean(i.topic), "commitments": list(i.commitments),
            "audience_groups": list(i.groups),
            "took_part": me.id in i.participants, "host": party(i.host),
            "other_participants": shared, "success_story": i.success,
        }
        if i.notes and shared == 0:
            item["notes"] = clean(i.notes)
        elif i.notes:
            item["notes"] = None
            item["notes_withheld"] = ("the notes of an interaction with other participants "
                                      "are about them too")
        (letters if i.kind in letter_kinds and me.id in i.participants
         else contacts).append(item)
    return {
        "exported_at": _now().replace(microsecond=0).isoformat() + "Z",
        "controller": {"programme": plan.programme.name,
                       "municipality": plan.programme.municipality,
                       "email": plan.programme.email},
        "retention_months": plan.programme.retention_months,
        "stakeholder": record,
        "consents": consent_list,
        "relationships": relationships,
        "interactions": contacts,
        "letters": letters,
        **_captured(s, pk, clean),
        "audit": [{"at": _iso(r["at"]), "action": r["action"],
                   "detail": json.loads(r["detail"]) if r["detail"] else {}}
                  for r in audit_rows],
    }


def _captured(s: Session, pk: int, clean: Callable[[str | None], str | None]
              ) -> dict[str, Any]:
    """The concerns, tasks, clearances and stances that are about person ``pk``; other
    people in them are counted or called ``another person``, never named."""
    from sqlalchemy import func, select

    raised = select(CONCERN_PEOPLE.c.concern_pk).where(CONCERN_PEOPLE.c.stakeholder_pk == pk)
    others = (select(func.count()).where((CONCERN_PEOPLE.c.concern_pk == CONCERNS.c.pk)
                                         & (CONCERN_PEOPLE.c.stakeholder_pk != pk))
              .scalar_subquery())
    concerns = [{
        "id": r["id"], "title": clean(r["title"]), "raised_on": _iso(r["raised_on"]),
        "interaction": r["interaction"], "group": r["group_key"],
        "other_people": r["others"], "answer": clean(r["answer"]),
        "closed_on": _iso(r["closed_on"]),
    } for r in s.execute(
        select(CONCERNS, INT.c.id.label("interaction"), others.label("others"))
        .outerjoin(INT, INT.c.pk == CONCERNS.c.interaction_pk)
        .where(CONCERNS.c.pk.in_(raised)).order_by(CONCERNS.c.raised_on, CONCERNS.c.id)
    ).mappings()]

    def whose(other: int | None) -> str | None:
        """``self`` (the person asking), ``other`` (another person, not named) or None:
        values, not words, as JSON keeps its values English and stable."""
        return None if other is None else "self" if other == pk else "other"

    tasks = [{
        "id": r["id"], "title": clean(r["title"]), "due": _iso(r["due"]),
        "owner": r["owner_role"] or whose(r["owner_pk"]), "about": whose(r["stakeholder_pk"]),
        "commitment": r["commitment_id"], "event": clean(r["event"]),
        "done_on": _iso(r["done_on"]), "interaction": r["interaction"],
    } for r in s.execute(
        select(TASKS, INT.c.id.label("interaction"))
        .outerjoin(INT, INT.c.pk == TASKS.c.interaction_pk)
        .where((TASKS.c.owner_pk == pk) | (TASKS.c.stakeholder_pk == pk))
        .order_by(TASKS.c.due, TASKS.c.id)).mappings()]
    clearances = [{
        "at": _iso(r["at"]), "template": r["template"], "topic": r["topic"],
        "signer_role": r["signer_role"], "signed": r["signer_pk"] == pk,
        "cleared_by_role": r["cleared_by_role"], "cleared": r["cleared_by_pk"] == pk,
    } for r in s.execute(
        select(CLEARANCES).where((CLEARANCES.c.signer_pk == pk)
                                 | (CLEARANCES.c.cleared_by_pk == pk))
        .order_by(CLEARANCES.c.at, CLEARANCES.c.pk)).mappings()]
    stances = [{
        "stance": r["stance"], "since": _iso(r["since"]), "recorded_at": _iso(r["recorded_at"]),
    } for r in s.execute(
        select(STANCES).where(STANCES.c.stakeholder_pk == pk)
        .order_by(STANCES.c.since, STANCES.c.recorded_at, STANCES.c.pk)).mappings()]
    return {"concerns": concerns, "tasks": tasks, "clearances": clearances,
            "stances": stances}


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)

"""Bulk writes: upserts of stakeholders, relationships and interactions, many rows at once.

Imports write thousands of rows, so these use Core statements, never one ORM object a
row, and on SQLite :func:`insert_many` hands the rows straight to the driver's
``executemany``. Every function writes in the caller's transaction and notes what it
wrote for the audit log (:func:`interessent.store.audit.note_write`).

Ids and names are stored in Unicode NFC, and every new stakeholder and interaction gets
its ``id_key`` (:func:`interessent.rules.id_key`). A record is the same record when its id
is the same but for case or Unicode form: it is updated and keeps the id it has.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from ..errors import InvalidInput, NotFound
from ..i18n import gettext
from ..model import Interaction, Kind, Language, Relationship, Stakeholder
from ..rules import id_key, nfc
from .audit import note_write
from .queries import chunks, id_map, interactions, relationships, resolve_ids
from .schema import (
    ICOMM,
    IGROUPS,
    IMESSAGES,
    INT,
    PART,
    REL,
    ST,
    STAKEHOLDER_LISTS,
    STAKEHOLDER_SCALARS,
    utc_now,
)

__all__ = ["delete_interaction", "delete_relationship", "insert_many", "save_interactions",
           "save_relationships", "save_stakeholders"]


def save_stakeholders(
    s: Session,
    records: Sequence[Mapping[str, Any]] | Sequence[Stakeholder],
    *,
    columns: Iterable[str] | None = None,
) -> tuple[int, int]:
    """Upsert stakeholders by id; returns (added, updated). See
    :meth:`interessent.store.Store.save_stakeholders`."""
    rows = [_normalised(_stakeholder_to_dict(r) if isinstance(r, Stakeholder) else r)
            for r in records]
    cols = set(columns) if columns is not None else set(STAKEHOLDER_SCALARS) | set(
        STAKEHOLDER_LISTS)
    with_org = "organisation" in cols
    scalars = [c for c in STAKEHOLDER_SCALARS if c in cols and c != "organisation"]
    conn = s.connection()
    existing = id_map(s, ST, [r["id"] for r in rows])
    new = [r for r in rows if r["id"] not in existing]
    old = [r for r in rows if r["id"] in existing]
    _distinct_keys("stakeholder", [r["id"] for r in new])
    batch_ids = {r["id"] for r in new}
    batch_keys = {id_key(r["id"]) for r in new}
    org_ids = {r["organisation"] for r in rows if with_org and r.get("organisation")}
    org_keys = {id_key(o) for o in org_ids}
    # organisations by key, so that any spelling of an organisation's id finds it
    org_pks = {id_key(k): v for k, v in id_map(s, ST, org_ids).items()} if org_ids else {}
    named = set(org_pks) | batch_keys
    unknown = sorted(o for o in org_ids if id_key(o) not in named)
    if unknown:
        raise NotFound(gettext("unknown organisation {ids}").format(
            ids=", ".join(map(repr, unknown))))
    now = _db_time(conn, utc_now())
    names = ["id", "id_key", "name", "first_name", "kind", "email", "phone", "address",
             "organisation_pk", "influence", "interest", "language", "legal_basis", "notes",
             "opted_out", "restricted", "created_at", "updated_at"]
    # Organisations new in this batch get their pk before the people who name them.
    pending = new
    while pending:
        ready = [r for r in pending if not (with_org and r.get("organisation"))
                 or id_key(r["organisation"]) in org_pks]
        late: list[Mapping[str, Any]] = []
        if not ready:  # organisations that name each other: link them afterwards
            ready, late = pending, pending
        insert_many(conn, ST, names, [
            (r["id"], id_key(r["id"]), r["name"], r.get("first_name"),
             str(r.get("kind") or Kind.PERSON),
             r.get("email"), r.get("phone"), r.get("address"),
             org_pks.get(id_key(r["organisation"]))
             if with_org and r.get("organisation") else None,
             r.get("influence"), r.get("interest"), str(r.get("language") or Language.NB),
             r.get("legal_basis"), r.get("notes"), bool(r.get("opted_out", False)),
             bool(r.get("restricted", False)), now, now)
            for r in ready
        ])
        added = id_map(s, ST, [r["id"] for r in ready])
        existing.update(added)
        org_pks.update((key, v) for k, v in added.items() if (key := id_key(k)) in org_keys)
        old += late
        done = {r["id"] for r in ready}
        pending = [r for r in pending if r["id"] not in done]
    if old:
        values: dict[str, Any] = {c: bindparam(f"v_{c}") for c in scalars}
        if with_org:
            values["organisation_pk"] = bindparam("v_organisation_pk")
        values["updated_at"] = bindparam("v_updated_at")
        conn.execute(
            update(ST).where(ST.c.pk == bindparam("b_pk")).values(values),
            [
                {"b_pk": existing[r["id"]], "v_updated_at": utc_now(),
                 **{f"v_{c}": _scalar(c, r.get(c)) for c in scalars},
                 **({"v_organisation_pk": org_pks.get(id_key(r.get("organisation") or ""))
                     if r.get("organisation") else None} if with_org else {})}
                for r in old
            ],
        )
    old_pks = [existing[r["id"]] for r in old]
    for name, (table, column) in STAKEHOLDER_LISTS.items():
        if name not in cols:
            continue
        for chunk in chunks(old_pks, 500):
            s.execute(delete(table).where(table.c.stakeholder_pk.in_(chunk)))
        insert_many(conn, table, ["stakeholder_pk", column], [
            (existing[r["id"]], value)
            for r in rows
            for value in dict.fromkeys(r.get(name) or ())
        ])
    result = len(new), len(old) - sum(1 for r in old if r["id"] in batch_ids)
    note_write(s, "stakeholders", *result)
    return result


def save_relationships(s: Session, rels: Sequence[Relationship]) -> tuple[int, int]:
    """Upsert relationships by (source, target, kind); returns (added, updated)."""
    ends = {r.source for r in rels} | {r.target for r in rels}
    pks = id_map(s, ST, ends)
    missing = sorted(ends - set(pks))
    if missing:
        raise NotFound(gettext("unknown stakeholder {ids}").format(
            ids=", ".join(map(repr, missing))))
    existing = {
        (a, b, k): pk
        for pk, a, b, k in s.execute(select(REL.c.pk, REL.c.source_pk, REL.c.target_pk,
                                            REL.c.kind))
    }
    new, old = [], []
    for r in rels:
        row = {"source_pk": pks[r.source], "target_pk": pks[r.target], "kind": r.kind,
               "strength": r.strength, "directed": r.directed, "start": r.start,
               "end": r.end}
        pk = existing.get((row["source_pk"], row["target_pk"], r.kind))
        if pk is None:
            new.append(row)
        else:
            old.append({**{f"v_{k}": v for k, v in row.items()}, "b_pk": pk})
    conn = s.connection()
    if new:
        insert_many(conn, REL, list(new[0]), [
            tuple(_db_value(conn, v) for v in row.values()) for row in new])
    if old:
        cols = ("strength", "directed", "start", "end")
        s.connection().execute(
            update(REL).where(REL.c.pk == bindparam("b_pk"))
            .values({c: bindparam(f"v_{c}") for c in cols}),
            old,
        )
    note_write(s, "relationships", len(new), len(old))
    return len(new), len(old)


def save_interactions(s: Session, items: Sequence[Interaction],
                      source_keys: Sequence[str | None] | None = None) -> tuple[int, int]:
    """Upsert interactions by id; returns (added, updated). ``source_keys``, one per item
    (``import calendar``, ``import mail``), are stored in ``interactions.source_key``; an
    interaction replaced whole without one keeps the key it had, so an imported meeting
    edited by hand is not imported again."""
    people = ({p for i in items for p in i.participants} | {i.host for i in items if i.host}
              | {i.outlet for i in items if i.outlet})
    pks = id_map(s, ST, people)
    missing = sorted(people - set(pks))
    if missing:
        raise NotFound(gettext("unknown stakeholder {ids}").format(
            ids=", ".join(map(repr, missing))))
    found = resolve_ids(s, INT, [i.id for i in items])
    # an interaction replaced whole keeps the id it was registered with
    ids = [found[i.id][1] if i.id in found else nfc(i.id) for i in items]
    _distinct_keys("interaction", ids)
    old_pks = [pk for pk, _ in found.values()]
    retold = _articles_telling(s, {pk: id_ for pk, id_ in found.values()})
    kept_keys: dict[int, str] = {}
    for chunk in chunks(old_pks, 500):
        kept_keys.update((pk, key) for pk, key in s.execute(select(INT.c.pk, INT.c.source_key)
                         .where(INT.c.pk.in_(chunk) & INT.c.source_key.is_not(None))))
    keys = [source_keys[n] if source_keys is not None and source_keys[n] is not None
            else kept_keys.get(found[i.id][0]) if i.id in found else None
            for n, i in enumerate(items)]
    for chunk in chunks(old_pks, 500):
        for table in (PART, IGROUPS, ICOMM, IMESSAGES):
            s.execute(delete(table).where(table.c.interaction_pk.in_(chunk)))
        s.execute(delete(INT).where(INT.c.pk.in_(chunk)))
    conn = s.connection()
    insert_many(conn, INT, ["id", "id_key", "date", "kind", "channel", "topic", "host_pk",
                            "success", "notes", "sentiment", "outlet_pk", "tone",
                            "source_key"], [
        (id_, id_key(id_), _db_value(conn, i.date), i.kind, i.channel, i.topic,
         pks[i.host] if i.host else None, i.success, i.notes,
         i.sentiment.value if i.sentiment else None, pks[i.outlet] if i.outlet else None,
         i.tone.value if i.tone else None, key)
        for id_, i, key in zip(ids, items, keys, strict=True)
    ])
    ipks = id_map(s, INT, ids)
    _link_stories(s, [(ipks[id_], i.story) for id_, i in zip(ids, items, strict=True)
                      if i.story] + retold)
    insert_many(conn, IMESSAGES, ["interaction_pk", "message_key"],
                [(ipks[id_], m) for id_, i in zip(ids, items, strict=True) for m in i.messages])
    insert_many(conn, PART, ["interaction_pk", "stakeholder_pk"],
                [(ipks[id_], pks[p]) for id_, i in zip(ids, items, strict=True)
                 for p in i.participants])
    insert_many(conn, IGROUPS, ["interaction_pk", "group_key"],
                [(ipks[id_], g) for id_, i in zip(ids, items, strict=True) for g in i.groups])
    insert_many(conn, ICOMM, ["interaction_pk", "commitment_id"],
                [(ipks[id_], c) for id_, i in zip(ids, items, strict=True)
                 for c in i.commitments])
    existing = found
    note_write(s, "interactions", len(items) - len(existing), len(existing))
    return len(items) - len(existing), len(existing)


def _articles_telling(s: Session, replaced: Mapping[int, str]) -> list[tuple[int, str]]:
    """The articles not among those replaced that tell a story about to be replaced, as
    (article pk, story id): a story written again gets a new pk, and its articles must
    follow it there rather than lose it (the database would set their link to NULL)."""
    told: list[tuple[int, str]] = []
    for chunk in chunks(list(replaced), 500):
        told += [(pk, replaced[story]) for pk, story in s.execute(
            select(INT.c.pk, INT.c.story_pk).where(INT.c.story_pk.in_(chunk)))
            if pk not in replaced]
    return told


def _link_stories(s: Session, links: Sequence[tuple[int, str]]) -> None:
    """Point each article (by pk) at the story it tells (by id, stored or just written)."""
    if not links:
        return
    stories = id_map(s, INT, {story for _, story in links})
    missing = sorted({story for _, story in links} - set(stories))
    if missing:
        raise NotFound(gettext("no interaction with id {id!r}").format(id=missing[0]))
    s.connection().execute(
        update(INT).where(INT.c.pk == bindparam("b_pk")).values(story_pk=bindparam("b_story")),
        [{"b_pk": pk, "b_story": stories[story]} for pk, story in links])


def delete_relationship(s: Session, source: str, target: str,
                        kind: str) -> Relationship | None:
    """Delete the ``kind`` tie from ``source`` to ``target`` (ids in any case or Unicode
    form; a mutual tie from either end); the tie deleted, or None when there was none."""
    ends = (id_key(source), id_key(target))
    ties = [r for r in relationships(s, stakeholder=source) if r.kind == kind]
    found = next((r for r in ties if (id_key(r.source), id_key(r.target)) == ends), None)
    if found is None:
        found = next((r for r in ties if not r.directed
                      and (id_key(r.target), id_key(r.source)) == ends), None)
    if found is None:
        return None
    pks = id_map(s, ST, [found.source, found.target])
    s.execute(delete(REL).where((REL.c.source_pk == pks[found.source])
                                & (REL.c.target_pk == pks[found.target]) & (REL.c.kind == kind)))
    note_write(s, "relationships", 0, 1)
    return found


def delete_interaction(s: Session, id: str) -> Interaction | None:
    """Delete one interaction (its id in any case or Unicode form) and what belongs to it
    alone: its participants, audience groups and commitments (deleted here, not left to
    the database's cascade); the interaction deleted, or None when there was none."""
    found = resolve_ids(s, INT, [id]).get(id)
    if found is None:
        return None
    before = interactions(s, ids=[found[1]])
    for table in (PART, IGROUPS, ICOMM, IMESSAGES):
        s.execute(delete(table).where(table.c.interaction_pk == found[0]))
    s.execute(delete(INT).where(INT.c.pk == found[0]))
    note_write(s, "interactions", 0, 1)
    return before[0] if before else None


def insert_many(conn: Any, table: Any, columns: Sequence[str],
                rows: Sequence[Sequence[Any]]) -> None:
    """INSERT many rows. On SQLite straight through the driver's executemany (values
    already in storage form, see :func:`_db_value`); elsewhere through SQLAlchemy."""
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
        return
    quote = conn.dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join('?' for _ in columns)})")
    conn.exec_driver_sql(sql, list(rows))


def _db_time(conn: Any, value: dt.datetime) -> Any:
    """A timestamp as the dialect stores it (SQLAlchemy's SQLite text form)."""
    if conn.dialect.name == "sqlite":
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def _db_value(conn: Any, value: Any) -> Any:
    """A date as the dialect stores it; other values unchanged."""
    if conn.dialect.name == "sqlite" and isinstance(value, dt.date):
        return value.isoformat()
    return value


def _distinct_keys(what: str, ids: Sequence[str]) -> None:
    """The ids one batch inserts must differ by more than case or Unicode form."""
    seen: dict[str, str] = {}
    for id_ in ids:
        key = id_key(id_)
        if key not in seen:
            seen[key] = id_
            continue
        other = seen[key]
        if other == id_:
            raise InvalidInput(f"the {what} id {id_!r} is given twice")
        raise InvalidInput(f"the {what} ids {other!r} and {id_!r} differ only in case or "
                           "Unicode form; they would name one record")


def _normalised(record: Mapping[str, Any]) -> Mapping[str, Any]:
    """A stakeholder record with its id, name and organisation in NFC."""
    changed = {k: nfc(v) for k in ("id", "name", "organisation")
               if isinstance(v := record.get(k), str) and nfc(v) != v}
    return {**record, **changed} if changed else record


def _scalar(column: str, value: Any) -> Any:
    if column in ("kind", "language") and value is not None:
        return str(value)
    return value


def _stakeholder_to_dict(s: Stakeholder) -> dict[str, Any]:
    return {
        "id": s.id, "name": s.name, "first_name": s.first_name, "kind": s.kind.value,
        "email": s.email, "phone": s.phone,
        "address": s.address, "organisation": s.organisation, "roles": list(s.roles),
        "groups": list(s.groups), "influence": s.influence, "interest": s.interest,
        "language": s.language.value, "legal_basis": s.legal_basis, "tags": list(s.tags),
        "notes": s.notes, "opted_out": s.opted_out, "restricted": s.restricted,
    }

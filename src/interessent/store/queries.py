"""Reads that return domain values: rows become :mod:`interessent.model` values here.

Each function reads in the caller's session; :class:`interessent.store.Store` opens one
snapshot for it. Long id lists are read in IN lists of 500 (:func:`chunks`), and a read
of a large share of a table is one pass over it instead.

An id given to any of them finds its record as :func:`resolve_ids` does: by its exact
spelling, else by its key (:func:`interessent.rules.id_key`), so ``Kari-Nordmann`` or a
decomposed ``åse`` finds ``kari-nordmann`` or ``åse``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..model import Interaction, Kind, Language, Relationship, Stakeholder
from ..rules import id_key, nfc
from .schema import (
    GROUPS,
    ICOMM,
    IGROUPS,
    IMESSAGES,
    INT,
    PART,
    REL,
    ROLES,
    ST,
    STAKEHOLDER_LISTS,
    TAGS,
)

__all__ = [
    "chunks",
    "id_map",
    "interaction_numbers",
    "interactions",
    "last_interaction_number",
    "relationships",
    "resolve_ids",
    "stakeholders",
]

_BIG = 5_000


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    """``items`` in slices of at most ``size``: how long IN lists are cut."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


def resolve_ids(s: Session, table: Any, ids: Iterable[str]) -> dict[str, tuple[int, str]]:
    """Each of ``ids`` that names a record of ``table`` (stakeholders or interactions) →
    (pk, the id as stored). A record is found by its exact id (as given or in NFC), else
    by its key: the one record whose id equals it but for case and Unicode form."""
    wanted = set(ids)
    if not wanted:
        return {}
    query = select(table.c.pk, table.c.id, table.c.id_key)
    if len(wanted) > _BIG:
        rows: list[Any] = list(s.execute(query))
    else:
        rows = []
        for chunk in chunks(sorted(wanted), 500):
            spellings = sorted({*chunk, *map(nfc, chunk)})
            keys = sorted(set(map(id_key, chunk)))
            rows.extend(s.execute(query.where(table.c.id.in_(spellings)
                                              | table.c.id_key.in_(keys))))
    exact = {id_: (pk, id_) for pk, id_, _key in rows}
    by_key = {key: (pk, id_) for pk, id_, key in rows if key is not None}
    result: dict[str, tuple[int, str]] = {}
    for given in wanted:
        found = exact.get(given) or exact.get(nfc(given)) or by_key.get(id_key(given))
        if found is not None:
            result[given] = found
    return result


def id_map(s: Session, table: Any, ids: Iterable[str] | None) -> dict[str, int]:
    """Text id → pk for ``ids`` (all rows, by their stored id, when None). A given id is
    found as :func:`resolve_ids` finds it and keeps the spelling it was given in."""
    if ids is None:
        return {k: v for k, v in s.execute(select(table.c.id, table.c.pk))}
    return {given: pk for given, (pk, _id) in resolve_ids(s, table, ids).items()}


def interaction_numbers(year: int, ids: Iterable[str]) -> list[int]:
    """The numbers of those ``ids`` that are ``K<year>-`` and digits, in any case."""
    prefix = f"K{year}-"
    start, n = prefix.casefold(), len(prefix)
    return [int(i[n:]) for i in ids
            if i.casefold().startswith(start) and i[n:].isascii() and i[n:].isdigit()]


def last_interaction_number(s: Session, year: int) -> int:
    """The highest ``nnnn`` of the stored ids ``K<year>-nnnn`` (in any case), or 0: the
    next interaction logged without an id that year gets one more."""
    prefix = f"K{year}-"
    stored = s.scalars(select(INT.c.id).where(
        INT.c.id_key.like(f"{id_key(prefix)}%") | INT.c.id.like(f"{prefix}%"))).all()
    return max(interaction_numbers(year, stored), default=0)


def _pks_where(column: Any, pks: Sequence[int]) -> Any:
    """``column IN pks``; for very many, ``column >= min`` and the rows are filtered
    again by :func:`_only`, as an IN list that long is refused by SQLite."""
    if len(pks) > _BIG:
        return column >= min(pks)
    return column.in_(list(pks))


def _only(rows: Sequence[Any], pks: Sequence[int] | None) -> Sequence[Any]:
    if pks is None or len(pks) <= _BIG:
        return rows
    wanted = set(pks)
    return [r for r in rows if r["pk"] in wanted]


def stakeholders(
    s: Session,
    *,
    ids: Sequence[str] | None = None,
    group: str | None = None,
    role: str | None = None,
    tag: str | None = None,
    search: str | None = None,
    within: Any = None,
) -> list[Stakeholder]:
    """Stakeholders, sorted by id, optionally filtered (see
    :meth:`interessent.store.Store.stakeholders`); ``within`` is a SELECT of the pks to
    keep (a target group's members, say)."""
    org = ST.alias("org")
    query = (
        select(ST, org.c.id.label("org_id"))
        .outerjoin(org, org.c.pk == ST.c.organisation_pk)
        .order_by(ST.c.id)
    )
    chosen: list[int] | None = None
    if ids is not None:
        chosen = [pk for pk, _ in resolve_ids(s, ST, ids).values()]
        if not chosen:
            return []
        query = query.where(_pks_where(ST.c.pk, chosen))
    if group is not None:
        query = query.where(
            ST.c.pk.in_(select(GROUPS.c.stakeholder_pk).where(GROUPS.c.group_key == group))
        )
    if role is not None:
        query = query.where(
            ST.c.pk.in_(select(ROLES.c.stakeholder_pk).where(ROLES.c.role == role))
        )
    if tag is not None:
        query = query.where(ST.c.pk.in_(select(TAGS.c.stakeholder_pk).where(TAGS.c.tag == tag)))
    if within is not None:
        query = query.where(ST.c.pk.in_(within))
    if search:
        search = nfc(search)
        # %, _ and \ are searched for as text; an explicit escape character, because
        # PostgreSQL's LIKE escapes with \ by default and SQLite's with nothing
        plain = search.lower().replace("\\", "\\\\").replace("%", "\\%").replace(
            "_", "\\_")
        pattern = f"%{plain}%"
        query = query.where(
            func.lower(ST.c.name).like(pattern, escape="\\")
            | func.lower(ST.c.id).like(pattern, escape="\\")
        )
    rows = _only(s.execute(query).mappings().all(), chosen)
    pks = [r["pk"] for r in rows]
    lists = _stakeholder_lists(s, pks if ids is not None or len(pks) < 500 else None,
                               within if ids is None else None)
    return [_stakeholder_from_row(r, lists) for r in rows]


def _stakeholder_lists(s: Session, pks: Sequence[int] | None,
                       within: Any = None) -> dict[str, dict[int, list[str]]]:
    """Roles, groups and tags by stakeholder pk: of ``pks`` (IN lists), else of those
    ``within`` selects, else of everyone (one pass)."""
    result: dict[str, dict[int, list[str]]] = {}
    for name, (table, column) in STAKEHOLDER_LISTS.items():
        per: dict[int, list[str]] = {}
        query = select(table.c.stakeholder_pk, table.c[column]).order_by(
            table.c.stakeholder_pk, table.c[column]
        )
        if pks is None and within is not None:
            query = query.where(table.c.stakeholder_pk.in_(within))
        if pks is None:
            rows: Iterable[Any] = s.execute(query)
        else:
            rows = []
            for chunk in chunks(list(pks), 500):
                rows.extend(s.execute(query.where(table.c.stakeholder_pk.in_(chunk))))
        for pk, value in rows:
            per.setdefault(pk, []).append(value)
        result[name] = per
    return result


def _stakeholder_from_row(r: Any, lists: dict[str, dict[int, list[str]]]) -> Stakeholder:
    pk = r["pk"]
    return Stakeholder(
        id=r["id"], name=r["name"], kind=Kind(r["kind"]), email=r["email"], phone=r["phone"],
        address=r["address"], organisation=r["org_id"],
        roles=tuple(lists["roles"].get(pk, ())), groups=tuple(lists["groups"].get(pk, ())),
        influence=r["influence"], interest=r["interest"], language=Language(r["language"]),
        legal_basis=r["legal_basis"], tags=tuple(lists["tags"].get(pk, ())), notes=r["notes"],
        opted_out=bool(r["opted_out"]), restricted=bool(r["restricted"]),
        first_name=r["first_name"],
    )


def relationships(s: Session, *, stakeholder: str | None = None) -> list[Relationship]:
    """All relationships (or those touching one stakeholder), sorted."""
    src, dst = ST.alias("src"), ST.alias("dst")
    query = (
        select(REL, src.c.id.label("source"), dst.c.id.label("target"))
        .join(src, src.c.pk == REL.c.source_pk)
        .join(dst, dst.c.pk == REL.c.target_pk)
        .order_by(src.c.id, dst.c.id, REL.c.kind)
    )
    if stakeholder is not None:
        found = resolve_ids(s, ST, [stakeholder]).get(stakeholder)
        if found is None:
            return []
        query = query.where((REL.c.source_pk == found[0]) | (REL.c.target_pk == found[0]))
    rows = s.execute(query).mappings().all()
    return [
        Relationship(
            source=r["source"], target=r["target"], kind=r["kind"], strength=r["strength"],
            directed=bool(r["directed"]), start=r["start"], end=r["end"],
        )
        for r in rows
    ]


def interactions(
    s: Session,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    stakeholder: str | None = None,
    ids: Sequence[str] | None = None,
    outlet: str | None = None,
) -> list[Interaction]:
    """Interactions, oldest first, optionally in a date range or with one participant;
    with ``outlet``, only what that media outlet published."""
    host, media, story = ST.alias("host"), ST.alias("outlet"), INT.alias("story")
    query = (
        select(INT, host.c.id.label("host_id"), media.c.id.label("outlet_id"),
               story.c.id.label("story_id"))
        .outerjoin(host, host.c.pk == INT.c.host_pk)
        .outerjoin(media, media.c.pk == INT.c.outlet_pk)
        .outerjoin(story, story.c.pk == INT.c.story_pk)
        .order_by(INT.c.date, INT.c.id)
    )
    if start is not None:
        query = query.where(INT.c.date >= start)
    if end is not None:
        query = query.where(INT.c.date <= end)
    chosen: list[int] | None = None
    if ids is not None:
        chosen = [pk for pk, _ in resolve_ids(s, INT, ids).values()]
        if not chosen:
            return []
        query = query.where(_pks_where(INT.c.pk, chosen))
    if stakeholder is not None:
        found = resolve_ids(s, ST, [stakeholder]).get(stakeholder)
        if found is None:
            return []
        who = found[0]
        query = query.where(
            INT.c.pk.in_(select(PART.c.interaction_pk).where(PART.c.stakeholder_pk == who))
            | (INT.c.host_pk == who)
        )
    if outlet is not None:
        ran = resolve_ids(s, ST, [outlet]).get(outlet)
        if ran is None:
            return []
        query = query.where(INT.c.outlet_pk == ran[0])
    rows = _only(s.execute(query).mappings().all(), chosen)
    pks = [r["pk"] for r in rows]
    parts = _grouped(s, PART.join(ST, ST.c.pk == PART.c.stakeholder_pk),
                     PART.c.interaction_pk, ST.c.id, pks)
    groups = _grouped(s, IGROUPS, IGROUPS.c.interaction_pk, IGROUPS.c.group_key, pks)
    comms = _grouped(s, ICOMM, ICOMM.c.interaction_pk, ICOMM.c.commitment_id, pks)
    messages = _grouped(s, IMESSAGES, IMESSAGES.c.interaction_pk, IMESSAGES.c.message_key, pks)
    return [
        Interaction(
            id=r["id"], date=r["date"], kind=r["kind"], channel=r["channel"],
            participants=tuple(parts.get(r["pk"], ())), groups=tuple(groups.get(r["pk"], ())),
            topic=r["topic"], commitments=tuple(comms.get(r["pk"], ())), host=r["host_id"],
            success=bool(r["success"]), notes=r["notes"], sentiment=r["sentiment"],
            outlet=r["outlet_id"], tone=r["tone"], story=r["story_id"],
            messages=tuple(messages.get(r["pk"], ())),
        )
        for r in rows
    ]


def _grouped(s: Session, table: Any, key: Any, value: Any, pks: Sequence[int]) -> dict[
    int, list[str]
]:
    result: dict[int, list[str]] = {}
    if not pks:
        return result
    query = select(key, value).select_from(table).order_by(key, value)
    if len(pks) <= 500:
        rows: Iterable[Any] = s.execute(query.where(key.in_(list(pks))))
    else:  # reading a large share: one pass over the table beats many IN lists
        wanted = set(pks)
        rows = (r for r in s.execute(query) if r[0] in wanted)
    for k, v in rows:
        result.setdefault(k, []).append(v)
    return result

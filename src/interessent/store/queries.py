"""Reads that return domain values: rows become :mod:`interessent.model` values here.

Each function reads in the caller's session; :class:`interessent.store.Store` opens one
snapshot for it. Long id lists are read in IN lists of 500 (:func:`chunks`), and a read
of a large share of a table is one pass over it instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..model import Interaction, Kind, Language, Relationship, Stakeholder
from .schema import GROUPS, ICOMM, IGROUPS, INT, PART, REL, ROLES, ST, STAKEHOLDER_LISTS, TAGS

__all__ = ["chunks", "id_map", "interactions", "relationships", "stakeholders"]

_BIG = 5_000


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    """``items`` in slices of at most ``size``: how long IN lists are cut."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


def id_map(s: Session, table: Any, ids: Iterable[str] | None) -> dict[str, int]:
    """Text id → pk for ``ids`` (all rows when None): IN lists for a few, one read for many."""
    query = select(table.c.id, table.c.pk)
    if ids is None:
        return {k: v for k, v in s.execute(query)}
    wanted = set(ids)
    if len(wanted) > _BIG:
        return {k: v for k, v in s.execute(query) if k in wanted}
    result: dict[str, int] = {}
    for chunk in chunks(list(wanted), 500):
        result.update((k, v) for k, v in s.execute(query.where(table.c.id.in_(chunk))))
    return result


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
    if ids is not None:
        query = query.where(ST.c.id.in_(list(ids)))
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
        # %, _ and \ are searched for as text; an explicit escape character, because
        # PostgreSQL's LIKE escapes with \ by default and SQLite's with nothing
        plain = search.lower().replace("\\", "\\\\").replace("%", "\\%").replace(
            "_", "\\_")
        pattern = f"%{plain}%"
        query = query.where(
            func.lower(ST.c.name).like(pattern, escape="\\")
            | func.lower(ST.c.id).like(pattern, escape="\\")
        )
    rows = s.execute(query).mappings().all()
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
        query = query.where((src.c.id == stakeholder) | (dst.c.id == stakeholder))
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
) -> list[Interaction]:
    """Interactions, oldest first, optionally in a date range or with one participant."""
    host = ST.alias("host")
    query = (
        select(INT, host.c.id.label("host_id"))
        .outerjoin(host, host.c.pk == INT.c.host_pk)
        .order_by(INT.c.date, INT.c.id)
    )
    if start is not None:
        query = query.where(INT.c.date >= start)
    if end is not None:
        query = query.where(INT.c.date <= end)
    if ids is not None:
        query = query.where(INT.c.id.in_(list(ids)))
    if stakeholder is not None:
        who = select(ST.c.pk).where(ST.c.id == stakeholder).scalar_subquery()
        query = query.where(
            INT.c.pk.in_(select(PART.c.interaction_pk).where(PART.c.stakeholder_pk == who))
            | (INT.c.host_pk == who)
        )
    rows = s.execute(query).mappings().all()
    pks = [r["pk"] for r in rows]
    parts = _grouped(s, PART.join(ST, ST.c.pk == PART.c.stakeholder_pk),
                     PART.c.interaction_pk, ST.c.id, pks)
    groups = _grouped(s, IGROUPS, IGROUPS.c.interaction_pk, IGROUPS.c.group_key, pks)
    comms = _grouped(s, ICOMM, ICOMM.c.interaction_pk, ICOMM.c.commitment_id, pks)
    return [
        Interaction(
            id=r["id"], date=r["date"], kind=r["kind"], channel=r["channel"],
            participants=tuple(parts.get(r["pk"], ())), groups=tuple(groups.get(r["pk"], ())),
            topic=r["topic"], commitments=tuple(comms.get(r["pk"], ())), host=r["host_id"],
            success=bool(r["success"]), notes=r["notes"],
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

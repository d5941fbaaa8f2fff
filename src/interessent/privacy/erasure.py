"""Erasure (GDPR art. 17): :func:`erase` anonymises a person in one transaction, keeps
the counts, scrubs their name from every free text, and rebuilds the SQLite file
(:func:`compact`) so no copy survives."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs
from attrs import frozen

from ..errors import InvalidInput
from ..rules import id_key
from ..store import AUDIT, CONSENTS, INT, PART, REL, ROLES, ST, TAGS, Store, _chunks, _now
from .mentions import _identifiers, _People
from .records import _not_erased, _person_row

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..workspace import Workspace

#: What an erased person's record is called: ``Slettet person #123``.
ERASED_NAME = "Slettet person #{pk}"
_ERASED_ID = "slettet-{pk}"
#: What replaces an erased person's name, id, e-mail, phone or address in free text.
SCRUBBED = "[slettet]"


@frozen
class Erasure:
    """What :func:`erase` did to one person (counts only: the person is gone)."""

    pk: int
    id: str
    """The record's new, non-personal id (``slettet-<pk>``)."""
    relationships_removed: int
    participations_kept: int
    notes_cleared: int
    texts_scrubbed: int
    consents_kept: int
    compacted: bool = False
    """Whether the SQLite file was rebuilt so no copy is left (see :meth:`Store.compact`)."""


def erase(ws: Workspace, id: str, *, compact: bool = True) -> Erasure:
    """Erase person ``id``'s personal data (GDPR art. 17), in one transaction.

    The record stays, anonymised, so that counts (participation in interactions, group
    membership, coverage) still add up: its name becomes ``Slettet person #<pk>``, its id
    ``slettet-<pk>`` (ids are made from names), contact data, notes, legal basis, roles,
    tags and organisation are cleared, and it is restricted and opted out. Its
    relationships are removed; its consent rows keep their basis and dates only. Notes of
    interactions it was the only participant of are cleared; its name, id, e-mail, phone
    and address are replaced by ``[slettet]`` in every other free text (interaction
    topics and notes, other stakeholders' notes, the audit log). One audit entry records
    the counts. Then (``compact``) the SQLite file is rebuilt, so no copy survives in free
    pages or the write-ahead log. A record that must be kept is :func:`restrict`-ed instead.
    """
    store = ws.store
    with store.write() as s:
        store.take_turn(s, "stakeholders")  # no edit writes to them while they are erased
        row = _person_row(s, id)
        _check_erasable(row)
        store.secure_delete(s)
        [done] = _erase_rows(store, s, [row], "erase")
    compacted = store.compact() if compact else False
    return _with_compacted(done, compacted)


def _with_compacted(e: Erasure, compacted: bool) -> Erasure:
    return attrs.evolve(e, compacted=compacted)


def _check_erasable(row: Any) -> None:
    if row["kind"] != "person":
        raise InvalidInput(f"{row['id']} is an organisation, not a person; its data is not "
                           "personal data (edit it, or erase its contact people)")
    _not_erased(row, "erase it again")


def _erase_rows(store: Store, s: Session, rows: Sequence[Any], action: str) -> list[Erasure]:
    """Anonymise the given stakeholder rows (persons, not erased) and scrub every free text
    of them; one audit entry each."""
    from sqlalchemy import delete, func, select, update

    if not rows:
        return []
    store.take_turn(s, "stakeholders")  # no edit writes to them while they are erased
    people = _People((r["pk"], *_identifiers(r)) for r in rows)
    pks = [r["pk"] for r in rows]
    now = _now()
    stats: dict[int, dict[str, int]] = {
        pk: {"relationships_removed": 0, "participations_kept": 0, "notes_cleared": 0,
             "texts_scrubbed": 0, "consents_kept": 0} for pk in pks}

    for chunk in _chunks(pks, 400):
        for a, b in s.execute(select(REL.c.source_pk, REL.c.target_pk).where(
                REL.c.source_pk.in_(chunk) | REL.c.target_pk.in_(chunk))):
            for end in {a, b} & set(chunk):
                stats[end]["relationships_removed"] += 1
        s.execute(delete(REL).where(REL.c.source_pk.in_(chunk) | REL.c.target_pk.in_(chunk)))
        for table in (ROLES, TAGS):
            s.execute(delete(table).where(table.c.stakeholder_pk.in_(chunk)))
        for pk, n in s.execute(select(PART.c.stakeholder_pk, func.count())
                               .where(PART.c.stakeholder_pk.in_(chunk))
                               .group_by(PART.c.stakeholder_pk)):
            stats[pk]["participations_kept"] = n
        for pk, n in s.execute(select(CONSENTS.c.stakeholder_pk, func.count())
                               .where(CONSENTS.c.stakeholder_pk.in_(chunk))
                               .group_by(CONSENTS.c.stakeholder_pk)):
            stats[pk]["consents_kept"] = n
        s.execute(update(CONSENTS).where(CONSENTS.c.stakeholder_pk.in_(chunk))
                  .values(source=None))
        # Notes of interactions they were the only participant of are about them alone.
        alone = (select(PART.c.interaction_pk).group_by(PART.c.interaction_pk)
                 .having(func.count() == 1))
        sole = list(s.execute(
            select(PART.c.interaction_pk, PART.c.stakeholder_pk)
            .join(INT, INT.c.pk == PART.c.interaction_pk)
            .where(PART.c.stakeholder_pk.in_(chunk) & PART.c.interaction_pk.in_(alone)
                   & INT.c.notes.is_not(None))))
        for _ipk, pk in sole:
            stats[pk]["notes_cleared"] += 1
        for part in _chunks([ipk for ipk, _ in sole], 400):
            s.execute(update(INT).where(INT.c.pk.in_(part)).values(notes=None))

    for r in rows:
        pk = r["pk"]
        new_id = _ERASED_ID.format(pk=pk)
        taken = s.scalar(select(ST.c.pk).where(
            ((ST.c.id == new_id) | (ST.c.id_key == id_key(new_id))) & (ST.c.pk != pk)))
        if taken is not None:
            new_id = f"{new_id}-{taken}"
        s.execute(update(ST).where(ST.c.pk == pk).values(
            id=new_id, name=ERASED_NAME.format(pk=pk), email=None, phone=None, address=None,
            organisation_pk=None, legal_basis=None, notes=None, opted_out=True,
            restricted=True, erased_at=now, updated_at=now, id_key=id_key(new_id)))

    # Their name, id, e-mail, phone and address in every other free text.
    texts = [(INT, ("topic", "notes")), (ST, ("notes",)), (AUDIT, ("subject_ref", "detail"))]
    for table, columns in texts:
        for column in columns:
            col = table.c[column]
            changed: list[tuple[int, str]] = []
            for tpk, value in s.execute(select(table.c.pk, col).where(col.is_not(None))):
                new, whose = people.replace(value, SCRUBBED)
                if whose:
                    changed.append((tpk, new))
                    for pk in whose:
                        stats[pk]["texts_scrubbed"] += 1
            for tpk, new in changed:
                s.execute(update(table).where(table.c.pk == tpk).values({column: new}))

    result = []
    for r in rows:
        pk = r["pk"]
        store.audit(s, action, "stakeholder", pk, stats[pk])
        n = stats[pk]
        result.append(Erasure(
            pk=pk, id=s.scalar(select(ST.c.id).where(ST.c.pk == pk)) or "",
            relationships_removed=n["relationships_removed"],
            participations_kept=n["participations_kept"], notes_cleared=n["notes_cleared"],
            texts_scrubbed=n["texts_scrubbed"], consents_kept=n["consents_kept"]))
    return result


def compact(ws: Workspace) -> bool:
    """Rebuild the workspace's SQLite file so nothing deleted or overwritten survives in it
    (what :func:`erase` does after each erasure); returns whether it completed (False on
    PostgreSQL, see docs/privacy.md, or while another process still reads the file)."""
    return ws.store.compact()


def is_erased(ws: Workspace, id: str) -> bool:
    """Whether stakeholder ``id`` is an erased person's anonymised record."""
    with ws.store.read() as s:
        return _person_row(s, id)["erased_at"] is not None

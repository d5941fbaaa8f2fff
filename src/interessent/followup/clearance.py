"""Clearances: a letter signed by someone who must confer first (board members, staff)
was cleared by a role the plan names (``draft --cleared-by``). Each drafting run that
writes such letters records who gave the clearance — the role, and the person holding it
when the register has exactly one — who signed, on which template and topic, and when
(:func:`clearances` lists them). A dry run or a preview records nothing: nothing was
sent out under the clearance.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from attrs import frozen
from sqlalchemy import insert, select
from sqlalchemy.orm import aliased

from ..store import CLEARANCES, ROLES, ST, current_actor, resolve_ids, utc_now
from .concern import _stakeholder_pks

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..policy import Signature
    from ..store import Store
    from ..workspace import Workspace

__all__ = ["Clearance", "clearances"]


@frozen
class Clearance:
    """A clearance given for the letters of one drafting run: ``cleared_by_role`` (and
    ``cleared_by``, the person holding it, when the register has one) cleared letters on
    ``template`` and ``topic`` signed by ``signer_role`` (``signer``), at ``at`` (UTC);
    ``recorded_by`` is who drafted them."""

    at: dt.datetime
    template: str
    topic: str | None
    signer_role: str
    cleared_by_role: str
    signer: str | None = None
    cleared_by: str | None = None
    recorded_by: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain data: ``at`` as ISO text in UTC, with its zone (``+00:00``), roles as the
        plan's keys, people as ids (null when not known, or erased)."""
        return {"at": self.at.replace(microsecond=0, tzinfo=dt.UTC).isoformat(),
                "template": self.template,
                "topic": self.topic, "signer_role": self.signer_role, "signer": self.signer,
                "cleared_by_role": self.cleared_by_role, "cleared_by": self.cleared_by,
                "recorded_by": self.recorded_by}


def clearances(ws: Workspace, *, stakeholder: str | None = None) -> list[Clearance]:
    """Every clearance recorded, oldest first; with ``stakeholder``, those they gave or
    signed under."""
    signer = aliased(ST)
    giver = aliased(ST)
    query = (select(CLEARANCES, signer.c.id.label("signer"), giver.c.id.label("giver"))
             .outerjoin(signer, signer.c.pk == CLEARANCES.c.signer_pk)
             .outerjoin(giver, giver.c.pk == CLEARANCES.c.cleared_by_pk)
             .order_by(CLEARANCES.c.at, CLEARANCES.c.pk))
    with ws.store.read() as s:
        if stakeholder is not None:
            [(pk, _id)] = _stakeholder_pks(s, [stakeholder]).values()
            query = query.where((CLEARANCES.c.signer_pk == pk)
                                | (CLEARANCES.c.cleared_by_pk == pk))
        return [Clearance(at=r["at"], template=r["template"], topic=r["topic"],
                          signer_role=r["signer_role"], cleared_by_role=r["cleared_by_role"],
                          signer=r["signer"], cleared_by=r["giver"],
                          recorded_by=r["recorded_by"])
                for r in s.execute(query).mappings()]


def _record(store: Store, s: Session, signature: Signature, *, template: str,
            letters: int) -> Clearance | None:
    """Record the clearance ``signature`` carries, in the caller's write transaction (the
    one that writes or logs the letters); nothing when it carries none."""
    if signature.cleared_by is None:
        return None
    holders = list(s.scalars(
        select(ST.c.pk).join(ROLES, ROLES.c.stakeholder_pk == ST.c.pk)
        .where((ROLES.c.role == signature.cleared_by) & ST.c.erased_at.is_(None))))
    found = resolve_ids(s, ST, [signature.stakeholder]).get(signature.stakeholder)
    giver = holders[0] if len(holders) == 1 else None
    done = Clearance(
        at=utc_now(), template=template, topic=signature.topic, signer_role=signature.role,
        cleared_by_role=signature.cleared_by, signer=found[1] if found else None,
        cleared_by=s.scalar(select(ST.c.id).where(ST.c.pk == giver)) if giver else None,
        recorded_by=current_actor(s))
    s.execute(insert(CLEARANCES).values(
        at=done.at, template=template, topic=signature.topic, signer_role=signature.role,
        signer_pk=found[0] if found else None, cleared_by_role=signature.cleared_by,
        cleared_by_pk=giver, recorded_by=done.recorded_by))
    store.audit(s, "clearance", "letters", template, {"letters": letters})
    return done

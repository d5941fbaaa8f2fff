"""Why a commitment stands as it does: every window with the contacts counted in it.

:func:`explain_commitment` (and :func:`explain_commitments` for several) checks a
commitment as :func:`~interessent.coverage.check_commitments` does and keeps what each
window counted: the contacts (with why each counts: tagged with the commitment, or
matched by its selector), and for per-member and leaders commitments each member with
the contacts that reached them and who of the member's party took part. A ratio's
window lists the contacts of its kind and their hosts; a structural commitment, its
required ties. :meth:`CommitmentExplanation.to_dict` gives plain data with stable
English keys (the JSON of ``coverage --explain``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from attrs import frozen
from sqlalchemy import bindparam, text

from ..i18n import gettext, kind_word, localized
from ..periods import Period
from ..plan import Commitment, CommitmentKind, Plan
from .commitments import CommitmentStatus, WindowResult, _check, _Checked
from .interaction_log import _Log, counted_kinds

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..workspace import Workspace

__all__ = ["CommitmentExplanation", "CountedContact", "MemberContacts", "WindowExplanation",
           "explain_commitment", "explain_commitments"]


@frozen
class CountedContact:
    """A contact from the log, and why it is listed.

    ``reason``: ``tagged`` (logged with the commitment's id), ``selector`` (it matches the
    commitment's selector), ``hosted`` or ``not hosted`` (for a ratio: whether its host is
    one the plan accepts). ``via``: for a per-member contact, who of the member's party
    took part or hosted; ``host``: the contact's host, if any."""

    id: str
    date: dt.date
    kind: str
    topic: str | None
    reason: str
    via: tuple[str, ...] = ()
    host: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "date": self.date.isoformat(), "kind": self.kind,
                "topic": self.topic, "reason": self.reason, "via": list(self.via),
                "host": self.host}


@frozen
class MemberContacts:
    """One member of a per-member (or leaders) commitment in one window: the contacts
    that reached their party, and how many the window needs."""

    id: str
    needed: int
    contacts: tuple[CountedContact, ...]

    @property
    def reached(self) -> int:
        return len(self.contacts)

    @property
    def met(self) -> bool:
        return self.reached >= self.needed

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "reached": self.reached, "needed": self.needed,
                "met": self.met, "contacts": [c.to_dict() for c in self.contacts]}


@frozen
class WindowExplanation:
    """One window: its result and the contacts counted in it."""

    result: WindowResult
    contacts: tuple[CountedContact, ...] = ()
    members: tuple[MemberContacts, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        r = self.result
        out: dict[str, Any] = {
            "window": str(r.period), "start": r.period.start.isoformat(),
            "end": r.period.end.isoformat(), "state": r.state.value, "expected": r.expected,
            "actual": r.actual, "logged": r.logged, "missing": list(r.missing),
            "contacts": [c.to_dict() for c in self.contacts]}
        if self.members:
            out["members"] = [m.to_dict() for m in self.members]
        return out


@frozen
class CommitmentExplanation:
    """A commitment's status and why: ``counts`` says in words what counts for it,
    ``windows`` what each window counted, ``ties`` (structural) each required tie and
    whether it exists."""

    status: CommitmentStatus
    counts: str
    windows: tuple[WindowExplanation, ...] = ()
    ties: tuple[tuple[str, bool], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        s = self.status
        return {
            "id": s.id, "title": s.title, "kind": s.kind.value, "status": s.status.value,
            "expected": s.expected, "actual": s.actual, "logged": s.logged,
            "due": s.due.isoformat() if s.due else None, "missing": list(s.missing),
            "responsible": s.responsible, "explanation": s.explanation,
            "counts": self.counts, "windows": [w.to_dict() for w in self.windows],
            "ties": [{"tie": tie, "exists": ok} for tie, ok in self.ties],
        }


def explain_commitments(ws: Workspace, period: Period, *, as_of: dt.date | None = None,
                        ids: Sequence[str] | None = None) -> list[CommitmentExplanation]:
    """Every commitment (or those named) with what each of its windows that ``period``
    shows counted, on ``as_of``."""
    checked = _check(ws, period, as_of, ids)
    contacts = {x.pk for c in checked for w in c.details for x in w.contacts} | {
        r.pk for c in checked for w in c.details for _, hits in w.members for r in hits}
    with ws.store.read() as session:
        log = _Log(ws, session)
        described = log.described(contacts)
        people = {pk for c in checked for w in c.details for _, hits in w.members
                  for r in hits for pk in r.via}
        people |= {host for _iid, _kind, _topic, host in described.values() if host}
        names = _ids(session, people)
    return [_explain(ws.plan, c, described, names) for c in checked]


def explain_commitment(ws: Workspace, id: str, period: Period, *,
                       as_of: dt.date | None = None) -> CommitmentExplanation:
    """One commitment's status, and the contacts counted in each window (for per-member
    commitments: each member with the contacts that reached them, by party)."""
    [explained] = explain_commitments(ws, period, as_of=as_of, ids=[id])
    return explained


def counting_rule(plan: Plan, c: Commitment) -> str:
    """What counts for a commitment, in words."""
    if c.kind is CommitmentKind.STRUCTURAL:
        return gettext("the relationships it requires, on the day")
    named = plan.all_interaction_kinds
    if c.kind is CommitmentKind.RATIO:
        return gettext("every {kind}, hosted by one the plan accepts or not").format(
            kind=kind_word(c.of or "", named))
    criteria = []
    kinds = counted_kinds(plan, c)
    if kinds:
        words = ", ".join(kind_word(k, named) for k in kinds)
        criteria.append(gettext("of kind {kinds}").format(kinds=words) if c.kinds else
                        gettext("of kind {kinds} (direct contact, the default)").format(
                            kinds=words))
    if c.participants:
        criteria.append(gettext("with a participant its participants selector picks"))
    if c.audience:
        groups = {g.key: localized(g.name) for g in plan.groups}
        criteria.append(gettext("addressed to {groups}").format(
            groups=", ".join(groups.get(k, k) for k in c.audience)))
    rule = gettext("contacts tagged {id}").format(id=c.id)
    if criteria:
        rule += gettext(", and contacts {criteria}").format(
            criteria=gettext(" and ").join(criteria))
    if c.kind in (CommitmentKind.PER_MEMBER, CommitmentKind.LEADERS):
        rule += gettext("; a member is reached when they, or anyone acting for them that "
                        "day, took part or hosted (one contact with a party counts once)")
    return rule


def _ids(session: Session, pks: set[int]) -> dict[int, str]:
    stmt = text("SELECT pk, id FROM stakeholders WHERE pk IN :pks").bindparams(
        bindparam("pks", expanding=True))
    wanted = sorted(pks)
    out: dict[int, str] = {}
    for n in range(0, len(wanted), 5_000):  # SQLite's limit on bound parameters
        out.update((pk, sid) for pk, sid in session.execute(stmt, {"pks": wanted[n:n + 5_000]}))
    return out


def _explain(plan: Plan, checked: _Checked,
             described: Mapping[int, tuple[str, str, str | None, int | None]],
             names: Mapping[int, str]) -> CommitmentExplanation:
    status = checked.status
    c = plan.commitment(status.id)

    def contact(pk: int, day: dt.date, reason: str,
                via: frozenset[int] = frozenset()) -> CountedContact:
        iid, kind, topic, host = described[pk]
        # most contacts reach a member through one of its party, or list none
        who = (() if not via else (names.get(next(iter(via)), "?"),) if len(via) == 1
               else tuple(sorted(names.get(x, "?") for x in via)))
        return CountedContact(iid, day, kind, topic, reason, who,
                              names.get(host) if host is not None else None)

    windows = []
    for result, detail in zip(status.windows, checked.details, strict=True):
        if c.kind is CommitmentKind.RATIO:
            listed = tuple(contact(x.pk, x.date,
                                   "hosted" if x.host in checked.hosts else "not hosted")
                           for x in detail.contacts)
        else:
            listed = tuple(contact(x.pk, x.date, "tagged" if x.tagged else "selector")
                           for x in detail.contacts)
        members = tuple(
            MemberContacts(member, c.count, tuple(
                contact(r.pk, r.date, "tagged" if r.tagged else "selector", r.via)
                for r in hits))
            for member, hits in detail.members)
        if members:  # the window's contacts: every contact that reached a member, once
            once: dict[str, CountedContact] = {}
            for m in members:
                for x in m.contacts:
                    if x.id not in once:  # the contact itself, without who took part
                        once[x.id] = x if not x.via else CountedContact(
                            x.id, x.date, x.kind, x.topic, x.reason, (), x.host)
            listed = tuple(sorted(once.values(), key=lambda x: (x.date, x.id)))
        windows.append(WindowExplanation(result, listed, members))
    return CommitmentExplanation(status, counting_rule(plan, c), tuple(windows),
                                 checked.ties)

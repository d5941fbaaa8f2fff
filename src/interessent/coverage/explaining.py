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

import attrs
from attrs import frozen
from sqlalchemy import bindparam, text

from ..i18n import gettext, kind_word, localized
from ..periods import Period
from ..plan import Commitment, CommitmentKind, Plan
from .commitments import CommitmentStatus, WindowResult, _check, _Checked, _Window
from .interaction_log import _Log, counted_kinds

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..workspace import Workspace

__all__ = ["CommitmentExplanation", "CountedContact", "MemberContacts", "Shown",
           "WindowExplanation", "explain_commitment", "explain_commitments"]


@frozen
class Shown:
    """How much of each list an explanation builds, for a page that shows only so much:
    a window's first ``contacts`` contacts, its first ``members`` members and each
    member's first ``per_member`` contacts, in the order of the whole list (what
    :func:`explain_commitments` gives without it). The counts stay exact:
    :attr:`WindowExplanation.contact_count`, :attr:`WindowExplanation.member_count` and
    :attr:`MemberContacts.reached` count every one. Only the first ``members`` members'
    contacts are read: a members' window lists its members, not also its contacts each
    once (:attr:`WindowExplanation.contacts_gathered`)."""

    contacts: int = 200
    members: int = 200
    per_member: int = 20


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
    total: int | None = None
    """How many contacts reached the member, when ``contacts`` lists only the first
    (:class:`Shown`); None: it lists them all."""

    @property
    def reached(self) -> int:
        """How many contacts reached the member (listed or not)."""
        return len(self.contacts) if self.total is None else self.total

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
    contacts_total: int | None = None
    """How many contacts the window counted, when ``contacts`` lists only the first
    (:class:`Shown`); None: it lists them all, or (a members' window under
    :class:`Shown`) they were not gathered (:attr:`contact_count`)."""
    members_total: int | None = None
    """How many members the window has, when ``members`` lists only the first."""

    contacts_gathered: bool = True
    """False for a members' window under :class:`Shown`: it lists its members with their
    contacts, not the window's contacts each once (``contacts`` is empty)."""

    @property
    def contact_count(self) -> int | None:
        """How many contacts the window counted (listed or not); None where they were
        not gathered (``contacts_gathered``)."""
        if not self.contacts_gathered:
            return None
        return len(self.contacts) if self.contacts_total is None else self.contacts_total

    @property
    def member_count(self) -> int:
        """How many members the window has (listed or not)."""
        return len(self.members) if self.members_total is None else self.members_total

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
                        ids: Sequence[str] | None = None,
                        shown: Shown | None = None) -> list[CommitmentExplanation]:
    """Every commitment (or those named) with what each of its windows that ``period``
    shows counted, on ``as_of``. With ``shown``, each list holds only its first entries
    (the dashboard's), the counts every one."""
    checked = _check(ws, period, as_of, ids,
                     members_shown=shown.members if shown is not None else None,
                     contacts_shown=shown.contacts if shown is not None else None)
    with ws.store.read() as session:
        log = _Log(ws, session)
        if shown is not None:
            checked = [_cut(c, shown) for c in checked]
        contacts = {x.pk for c in checked for w in c.details for x in w.contacts} | {
            r.pk for c in checked for w in c.details for _, hits in w.members for r in hits}
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


@frozen
class _Cut(_Checked):
    """A commitment checked, its windows' lists cut to what :class:`Shown` keeps, with
    the counts of the whole lists: per window, how many contacts (None: a members'
    window, whose contacts each once are not gathered) and members, and how many
    contacts reached each member kept."""

    counts: tuple[tuple[int | None, int, tuple[int, ...]], ...] = ()


def _cut(checked: _Checked, shown: Shown) -> _Cut:
    """``checked`` (read with ``members_shown`` and ``contacts_shown``) with only the
    contacts and members ``shown`` keeps: the first of the whole lists, which come in the
    order an explanation lists them."""
    details: list[_Window] = []
    counts: list[tuple[int | None, int, tuple[int, ...]]] = []
    for w in checked.details:
        if w.tally is not None:  # the members' contacts read for the first members only
            n_members, reached = w.tally
            counts.append((None, n_members, reached[:shown.members]))
        else:
            counts.append((w.counted if w.counted is not None else len(w.contacts),
                           len(w.members),
                           tuple(len(hits) for _, hits in w.members[:shown.members])))
        details.append(attrs.evolve(
            w, contacts=w.contacts[:shown.contacts],
            members=tuple((m, hits[:shown.per_member])
                          for m, hits in w.members[:shown.members])))
    return _Cut(checked.status, tuple(details), checked.ties, checked.hosts, tuple(counts))


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

    windows: list[WindowExplanation] = []
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
        if isinstance(checked, _Cut):  # the first of each list, and how many in all
            n_contacts, n_members, reached = checked.counts[len(windows)]
            members = tuple(attrs.evolve(m, total=n)
                            for m, n in zip(members, reached, strict=True))
            windows.append(WindowExplanation(result, listed, members, n_contacts, n_members,
                                             n_contacts is not None))
            continue
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

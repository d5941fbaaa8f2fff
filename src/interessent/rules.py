"""The programme's business rules, each written once.

Every other module asks these functions; none writes its own copy. Where a query needs a
rule, its SQL form sits beside the store's queries (:mod:`interessent.store.rules`) and is
built from the same constants here; ``tests/test_rules.py`` runs both forms over generated
data and compares them.

- a tie is active on a day, or during a span: :func:`tie_active_on`,
  :func:`tie_active_during` (SQL: ``active_on_sql``, ``active_during_sql``);
- the programme's own people: :func:`is_programme_own` (``programme_people_sql``);
- membership of a target group: :func:`is_member` (``members_sql``);
- the categories of interaction kinds: :func:`kind_categories`; :func:`kinds_in` gives
  the keys of one category, which is what SQL needs;
- the people who act for an organisation, its party: :func:`acts_for`, :func:`party_of`
  (``party_sql``);
- when two ids name the same record: equal after Unicode NFC normalisation and case
  folding, :func:`id_key` (SQL: the unique ``id_key`` column the store keeps beside each
  stakeholder's and interaction's ``id``); text is kept in NFC, :func:`nfc`.

This module imports no other part of interessent at run time, so every layer, the domain
model included, may use it.
"""

from __future__ import annotations

import datetime as dt
import enum
import unicodedata
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .model import Relationship, Stakeholder
    from .plan import Plan, TargetGroup

__all__ = [
    "ACTING_TIE_KINDS",
    "BUILTIN_KIND_CATEGORIES",
    "KindCategory",
    "Span",
    "acts_for",
    "id_key",
    "is_member",
    "is_programme_own",
    "kind_categories",
    "kinds_in",
    "nfc",
    "party_of",
    "tie_active_during",
    "tie_active_on",
]


# --- ids -----------------------------------------------------------------------------------


def nfc(text: str) -> str:
    """``text`` in Unicode normalisation form C, the one form interessent stores: «å» typed
    as one character or as «a» and a combining ring is the same «å»."""
    return unicodedata.normalize("NFC", text)


def id_key(id: str) -> str:
    """What makes an id unique: its canonical caseless form (Unicode's canonical caseless
    match: NFD, case folded, then NFC). ``Kari-Nordmann``, ``kari-nordmann`` and an
    ``åse`` written with a combining ring all have one key each with their look-alikes, so
    they name one record; the record keeps the spelling it was registered with."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", id).casefold())


# --- ties in time ---------------------------------------------------------------------------


class Span(Protocol):
    """Anything with an optional first and last day (a relationship, a period of office)."""

    @property
    def start(self) -> dt.date | None: ...

    @property
    def end(self) -> dt.date | None: ...


def tie_active_during(tie: Span, first: dt.date, last: dt.date) -> bool:
    """Whether a tie is active at some time from ``first`` to ``last`` (both included).

    A tie with no start has always been; one with no end still is. It is active during a
    span when it started on or before the span's last day and did not end before the
    span's first day: overlapping the span by one day is enough."""
    return (tie.start is None or tie.start <= last) and (tie.end is None or tie.end >= first)


def tie_active_on(tie: Span, day: dt.date) -> bool:
    """Whether a tie is active on ``day``: active during the one-day span of that day."""
    return tie_active_during(tie, day, day)


# --- the programme's own people -------------------------------------------------------------


def is_programme_own(stakeholder_id: str, roles: Iterable[str], plan: Plan) -> bool:
    """Whether a stakeholder is the programme itself: its organisation
    (``programme.organisation``) or one of its own people, holding a role the plan marks
    ``programme = true`` (the board, the staff)."""
    organisation = plan.programme.organisation
    if organisation and stakeholder_id == organisation:
        return True
    return not plan.programme_roles.isdisjoint(roles)


# --- target groups --------------------------------------------------------------------------


def is_member(stakeholder: Stakeholder, group: TargetGroup) -> bool:
    """Whether a stakeholder belongs to a target group: registered with it, or selected by
    the group's rule (any of its ids, roles, tags, groups or kinds)."""
    if group.key in stakeholder.groups:
        return True
    rule = group.rule
    return bool(
        stakeholder.id in rule.ids
        or set(stakeholder.roles) & set(rule.roles)
        or set(stakeholder.tags) & set(rule.tags)
        or set(stakeholder.groups) & set(rule.groups)
        or stakeholder.kind.value in rule.kinds
    )


# --- kinds of interaction -------------------------------------------------------------------


class KindCategory(enum.StrEnum):
    """What an interaction kind is, for counting. A kind may be several.

    - ``direct``: a named person was contacted (a meeting, a call, a letter to them);
    - ``gathering``: people met together, so those who took part are tied by it;
    - ``written``: something written was sent (letters, e-mails, reports);
    - ``broadcast``: addressed to an audience (an article, a post, the website).
    """

    DIRECT = "direct"
    GATHERING = "gathering"
    WRITTEN = "written"
    BROADCAST = "broadcast"


_D, _G, _W, _B = KindCategory.DIRECT, KindCategory.GATHERING, KindCategory.WRITTEN, \
    KindCategory.BROADCAST

#: The categories of the built-in interaction kinds. A call is direct contact but not a
#: gathering: the people on a call do not meet each other. A mailing (one message to many,
#: ``import mail``) is written but no direct contact.
BUILTIN_KIND_CATEGORIES: Mapping[str, frozenset[KindCategory]] = {
    "meeting": frozenset({_D, _G}),
    "board_meeting": frozenset({_D, _G}),
    "event": frozenset({_D, _G}),
    "visit": frozenset({_D, _G}),
    "presentation": frozenset({_D, _G}),
    "call": frozenset({_D}),
    "letter": frozenset({_D, _W}),
    "email": frozenset({_D, _W}),
    "report": frozenset({_D, _W}),
    "mailing": frozenset({_W}),
    "annual_report": frozenset({_D, _W}),
    "article": frozenset({_B}),
    "post": frozenset({_B}),
    "web": frozenset({_B}),
}


def kind_categories(kind: str, plan: Plan | None = None) -> frozenset[KindCategory]:
    """The categories of an interaction kind: those the plan declares for it
    (``[[interaction_kinds]] categories``), else the built-in ones' from
    :data:`BUILTIN_KIND_CATEGORIES`; a kind the plan adds has none until it declares them.
    Every caller that has a plan passes it, so a plan's own ``folkemote`` counts as the
    meeting it is."""
    if plan is not None:
        for own in plan.interaction_kinds:
            if own.key == kind and own.categories:
                return frozenset(own.categories)
    return BUILTIN_KIND_CATEGORIES.get(kind, frozenset())


def kinds_in(category: KindCategory, plan: Plan | None = None) -> tuple[str, ...]:
    """The interaction kinds of one category, sorted: the form SQL needs (``kind IN …``).
    Without a plan, the built-in kinds only."""
    known = set(BUILTIN_KIND_CATEGORIES)
    if plan is not None:
        known.update(k.key for k in plan.interaction_kinds)
    return tuple(sorted(k for k in known if category in kind_categories(k, plan)))


# --- parties: an organisation and the people who act for it -------------------------------

#: Ties whose source acts for their target: works for it, leads it, chairs its board. A
#: board seat or an observer seat does not (the observer acts for the body that sent them).
ACTING_TIE_KINDS: frozenset[str] = frozenset({"works_for", "leads", "board_chair"})


def acts_for(person: Stakeholder, organisation: str,
             ties: Iterable[Relationship], day: dt.date) -> bool:
    """Whether ``person`` acts for the organisation with id ``organisation`` on ``day``:
    their ``organisation`` field names it, or a works-for, leads or chair tie from them to
    it is active that day. ``ties`` may hold any relationships; the others are ignored."""
    if person.id == organisation:
        return False
    if person.organisation == organisation:
        return True
    return any(t.source == person.id and t.target == organisation
               and t.kind in ACTING_TIE_KINDS and tie_active_on(t, day) for t in ties)


def party_of(organisation: str, people: Iterable[Stakeholder],
             ties: Iterable[Relationship], day: dt.date) -> frozenset[str]:
    """The ids of an organisation's party on ``day``: the organisation and everyone who
    acts for it (:func:`acts_for`). One contact with a party counts once."""
    ties = list(ties)
    return frozenset({organisation} | {p.id for p in people
                                       if acts_for(p, organisation, ties, day)})

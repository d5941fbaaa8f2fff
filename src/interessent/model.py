"""The domain: stakeholders, relationships, interactions, target groups, commitments.

These are plain attrs values, separate from the database rows in :mod:`interessent.store`
(conversion happens at that boundary). Ids are stable text ids, as users see them.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from typing import Any, TypeVar

import attrs
from attrs import field, frozen

from .errors import InvalidInput
from .i18n import gettext
from .plaindata import plain
from .rules import tie_active_on

__all__ = [
    "BUILTIN_INTERACTION_KINDS",
    "BUILTIN_RELATIONSHIP_KINDS",
    "Interaction",
    "Kind",
    "Language",
    "Relationship",
    "RelationshipKind",
    "RoleAssignment",
    "Sentiment",
    "Stakeholder",
    "Stance",
]

E = TypeVar("E", bound=enum.Enum)


class Kind(enum.StrEnum):
    """Whether a stakeholder is a person or an organisation."""

    PERSON = "person"
    ORGANISATION = "organisation"


class Language(enum.StrEnum):
    """The written language a stakeholder prefers: bokmål, nynorsk or English."""

    NB = "nb"
    NN = "nn"
    EN = "en"


class Stance(enum.StrEnum):
    """Where a stakeholder stands on the programme's goals (see :mod:`interessent.stance`)."""

    SUPPORT = "support"
    NEUTRAL = "neutral"
    OPPOSE = "oppose"


class Sentiment(enum.StrEnum):
    """How a contact went, or an article's tone towards the programme."""

    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


def _tuple_of_str(value: Iterable[str] | None) -> tuple[str, ...]:
    """Keys held as a set (roles, groups, tags): sorted, without duplicates or blanks."""
    if value is None:
        return ()
    if isinstance(value, str):
        raise InvalidInput(f"expected a sequence of strings, not the single string {value!r}")
    try:
        items = list(value)
    except TypeError:
        raise InvalidInput(f"expected a sequence of strings, not {value!r}") from None
    wrong = [v for v in items if not isinstance(v, str)]
    if wrong:
        raise InvalidInput(f"expected a sequence of strings, not one holding {wrong[0]!r}")
    return tuple(sorted({v for v in items if v}))


def _member(cls: type[E], value: object) -> E:
    """``value`` as a member of ``cls``; one it does not know is invalid input."""
    try:
        return cls(value)
    except ValueError:
        expected = ", ".join(str(m.value) for m in cls)
        name = cls.__name__.lower()
        raise InvalidInput(f"unknown {name} {value!r} (expected one of {expected})",
                           field=name) from None


def _kind(value: object) -> Kind:
    return _member(Kind, value)


def _language(value: object) -> Language:
    return _member(Language, value)


def _sentiment(value: object) -> Sentiment | None:
    """A :class:`Sentiment` from itself or its value; None (or empty text) is "not said"."""
    if value is None or value == "":
        return None
    return _member(Sentiment, value)


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InvalidInput(gettext("expected a number, not {value!r}").format(value=value))
    try:
        return float(value)
    except ValueError:
        raise InvalidInput(gettext("expected a number, not {value!r}").format(
            value=value)) from None


def _score(_inst: Any, attribute: attrs.Attribute[int | None], value: int | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise InvalidInput(f"{attribute.name} must be a whole number between 1 and 5, "
                           f"not {value!r}", field=attribute.name)


def _unit(_inst: Any, attribute: attrs.Attribute[float], value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise InvalidInput(f"{attribute.name} must be between 0 and 1, not {value}",
                           field=attribute.name)


def _non_empty(_inst: Any, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str):
        raise InvalidInput(f"{attribute.name} must be text, not {value!r}", field=attribute.name)
    if not value.strip():
        raise InvalidInput(f"{attribute.name} must not be empty", field=attribute.name)


def _date(_inst: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, dt.date):
        raise InvalidInput(f"{attribute.name} must be a date, not {value!r}",
                           field=attribute.name)


@frozen
class Stakeholder:
    """A person or an organisation the programme communicates with.

    ``organisation`` is the id of the organisation a person belongs to. ``roles`` and
    ``groups`` are keys defined by the plan. ``influence`` and ``interest`` are the
    declared 1–5 scores of a power/interest grid.
    """

    id: str = field(validator=_non_empty)
    name: str = field(validator=_non_empty)
    kind: Kind = field(default=Kind.PERSON, converter=_kind)
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    organisation: str | None = None
    roles: tuple[str, ...] = field(default=(), converter=_tuple_of_str)
    groups: tuple[str, ...] = field(default=(), converter=_tuple_of_str)
    influence: int | None = field(default=None, validator=_score)
    interest: int | None = field(default=None, validator=_score)
    language: Language = field(default=Language.NB, converter=_language)
    legal_basis: str | None = None
    tags: tuple[str, ...] = field(default=(), converter=_tuple_of_str)
    notes: str | None = None
    opted_out: bool = False
    restricted: bool = False
    first_name: str | None = None
    """What letters call a person («Per Olav»); without it, every name but the last."""

    @property
    def is_person(self) -> bool:
        return self.kind is Kind.PERSON

    def to_dict(self) -> dict[str, Any]:
        """Plain data (the JSON of ``stakeholder list``): every field, enums by value."""
        return dict(plain(attrs.asdict(self, recurse=False)))


@frozen
class RelationshipKind:
    """A kind of tie. ``directed`` kinds read "source → target" (Kari works_for Osen Sjømat)."""

    key: str = field(validator=_non_empty)
    name: str
    directed: bool = True
    description: str = ""


BUILTIN_RELATIONSHIP_KINDS: tuple[RelationshipKind, ...] = (
    RelationshipKind("works_for", "arbeider for", True, "a person employed by an organisation"),
    RelationshipKind("board_member", "styremedlem i", True, "sits on the board of"),
    RelationshipKind("board_chair", "styreleder i", True, "chairs the board of"),
    RelationshipKind("observer", "observatør i", True, "holds an observer seat on a board"),
    RelationshipKind("member_of", "medlem av", True, "a member of an association or body"),
    RelationshipKind("owner_of", "eier av", True, "owns (part of) a company"),
    RelationshipKind("leads", "leder", True, "leads an organisation or a team"),
    RelationshipKind("knows", "kjenner", False, "knows personally"),
    RelationshipKind("family", "familie", False, "family"),
    RelationshipKind("media_contact", "mediekontakt", False, "a journalist's contact"),
    RelationshipKind("partner", "samarbeidspartner", False, "organisations working together"),
    RelationshipKind("advises", "rådgir", True, "advises or mentors"),
    RelationshipKind("funds", "finansierer", True, "funds"),
)

#: Interaction kinds every plan knows; a plan may add its own.
BUILTIN_INTERACTION_KINDS: dict[str, str] = {
    "meeting": "møte",
    "letter": "brev",
    "email": "e-post",
    "call": "telefon",
    "article": "nyhetssak i media",
    "post": "innlegg i sosiale medier",
    "web": "sak på hjemmesiden",
    "board_meeting": "styremøte",
    "report": "rapport",
    "annual_report": "årsrapport",
    "event": "arrangement",
    "visit": "bedriftsbesøk",
    "presentation": "presentasjon",
    "mailing": "e-postutsending",
}


@frozen
class Relationship:
    """A typed tie between two stakeholders, by id. Strength is 0–1."""

    source: str = field(validator=_non_empty)
    target: str = field(validator=_non_empty)
    kind: str = field(validator=_non_empty)
    strength: float = field(default=1.0, converter=_number, validator=_unit)
    directed: bool = True
    start: dt.date | None = field(default=None, validator=_date)
    end: dt.date | None = field(default=None, validator=_date)

    def __attrs_post_init__(self) -> None:
        if self.source == self.target:
            raise InvalidInput("a stakeholder cannot be related to itself", field="target")
        if self.start and self.end and self.end < self.start:
            raise InvalidInput("end comes before start", field="end")

    @property
    def key(self) -> tuple[str, str, str]:
        """What identifies a relationship: the same two ends and kind are the same tie."""
        return (self.source, self.target, self.kind)

    def active_on(self, day: dt.date) -> bool:
        """Whether the tie is active on ``day`` (:func:`interessent.rules.tie_active_on`)."""
        return tie_active_on(self, day)

    def to_dict(self) -> dict[str, Any]:
        """Plain data: every field, dates as ISO text."""
        return dict(plain(attrs.asdict(self, recurse=False)))


@frozen
class Interaction:
    """Something that happened: a meeting, a letter, an article, a board meeting …

    ``participants`` are stakeholders reached in person; ``groups`` are audiences reached
    as a whole (a newspaper article reaches ``befolkningen``, not named people). ``host``
    is the stakeholder that hosted it (a board meeting held at a local company).
    ``commitments`` are the ids of the plan's commitments it fulfils.

    ``sentiment`` is how the contact went, as the one who logged it saw it. For what the
    media published (an article, a post …): ``outlet`` is the stakeholder id of the
    outlet that ran it, ``tone`` its tone towards the programme, ``story`` the id of the
    success story it tells (that story is then *published*) and ``messages`` the keys of
    the plan's key messages it carried.
    """

    id: str = field(validator=_non_empty)
    date: dt.date = field(validator=_date)
    kind: str = field(validator=_non_empty)
    channel: str | None = None
    participants: tuple[str, ...] = field(default=(), converter=_tuple_of_str)
    groups: tuple[str, ...] = field(default=(), converter=_tuple_of_str)
    topic: str | None = None
    commitments: tuple[str, ...] = field(default=(), converter=_tuple_of_str)
    host: str | None = None
    success: bool = False
    notes: str | None = None
    sentiment: Sentiment | None = field(default=None, converter=_sentiment)
    outlet: str | None = None
    tone: Sentiment | None = field(default=None, converter=_sentiment)
    story: str | None = None
    messages: tuple[str, ...] = field(default=(), converter=_tuple_of_str)

    def to_dict(self) -> dict[str, Any]:
        """Plain data: every field, the date as ISO text, sentiment and tone by value."""
        return dict(plain(attrs.asdict(self, recurse=False)))


@frozen
class RoleAssignment:
    """A role (styreleder, daglig_leder, ordfører …) held by a stakeholder."""

    stakeholder: str = field(validator=_non_empty)
    role: str = field(validator=_non_empty)


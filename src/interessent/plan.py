"""The plan file (``interessent.toml``): the written strategy in a form a program can check.

A plan has a programme (name, municipality, dates, vision, goals), phases, target groups,
channels, roles, commitments and the information-responsibility rules. It is loaded with
:func:`load_plan` (or :func:`parse_plan`), structured by cattrs into the frozen attrs
classes below, then validated as a whole. Every problem is reported with its key path
(``commitments[3].cadence``) and, where it can be found, its line in the TOML file;
unknown keys are errors, never silently ignored.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import enum
import re
import stat
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs
from attrs import field, frozen

from .bounds import nested_deeper, numbers_out_of_range
from .errors import NotFound, PlanError, PlanProblem
from .files import path_error
from .i18n import N_, gettext
from .model import BUILTIN_INTERACTION_KINDS, BUILTIN_RELATIONSHIP_KINDS, RelationshipKind
from .periods import Days, Period, Unit, parse_days
from .plan_data import (
    PlanText,
    cattrs_problems,
    converter,
    plain_data,
    plan_language,
    plan_text,
    plan_texts,
    type_problems,
)
from .rules import KindCategory, nfc
from .tomllines import key_lines, line_of

__all__ = [
    "CaptureSettings",
    "Channel",
    "ChannelKind",
    "Commitment",
    "CommitmentKind",
    "CoverageWeights",
    "DueSettings",
    "Information",
    "InteractionKind",
    "KeyMessage",
    "LeaderSettings",
    "Members",
    "Phase",
    "Plan",
    "Programme",
    "ReportSettings",
    "RequiredTie",
    "Role",
    "SpeakingRule",
    "TargetGroup",
    "Topic",
    "load_plan",
    "parse_plan",
]

T = TypeVar("T")


def _strs(value: Iterable[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


@frozen
class Programme:
    """The programme the plan is for."""

    name: PlanText = field(converter=plan_text)
    municipality: str
    start: dt.date
    end: dt.date | None = None
    organisation: str | None = None
    """Stakeholder id of the programme's own organisation (its board, its company)."""
    vision: PlanText = field(default=PlanText(""), converter=plan_text)
    goals: tuple[PlanText, ...] = field(default=(), converter=plan_texts)
    language: str = "nb"
    website: str | None = None
    email: str | None = None
    retention_months: int | None = None
    """How long personal data of stakeholders no longer active is kept (GDPR)."""


@frozen
class Phase:
    """A named stretch of the programme, such as the start-up year (oppstartsåret)."""

    key: str
    name: PlanText = field(converter=plan_text)
    start: dt.date
    end: dt.date

    @property
    def period(self) -> Period:
        return Period(self.start, self.end)


@frozen
class Members:
    """Who a rule selects: stakeholders with any of these ids, roles, tags or kinds, or in
    any of these groups. An empty selector selects nobody."""

    ids: tuple[str, ...] = field(default=(), converter=_strs)
    roles: tuple[str, ...] = field(default=(), converter=_strs)
    tags: tuple[str, ...] = field(default=(), converter=_strs)
    groups: tuple[str, ...] = field(default=(), converter=_strs)
    kinds: tuple[str, ...] = field(default=(), converter=_strs)

    def __bool__(self) -> bool:
        return bool(self.ids or self.roles or self.tags or self.groups or self.kinds)


@frozen
class TargetGroup:
    """An audience of the plan. Members are those registered with the group, plus those
    its ``rule`` selects (by role, tag or kind)."""

    key: str
    name: PlanText = field(converter=plan_text)
    number: int | None = None
    description: str = ""
    rule: Members = Members()
    channels: tuple[str, ...] = field(default=(), converter=_strs)


class ChannelKind(enum.StrEnum):
    """What kind of channel: direct contact reaches people; the rest broadcast to groups."""

    DIRECT = "direct"
    WEBSITE = "website"
    SOCIAL = "social"
    MEDIA = "media"
    REPORT = "report"

    @property
    def broadcast(self) -> bool:
        return self is not ChannelKind.DIRECT


@frozen
class Channel:
    """An information channel of the strategy."""

    key: str
    name: PlanText = field(converter=plan_text)
    kind: ChannelKind = ChannelKind.DIRECT
    priority: int = 1
    description: str = ""


@frozen
class Role:
    """A role a stakeholder can hold. ``programme`` marks the programme's own people
    (board, staff); ``weight`` feeds the opinion-leader ranking."""

    key: str
    name: PlanText = field(converter=plan_text)
    programme: bool = False
    weight: float = 0.0
    aliases: tuple[str, ...] = field(default=(), converter=_strs)


@frozen
class InteractionKind:
    """An interaction kind the plan adds, with its ``categories`` (:class:`KindCategory`);
    or, keyed by a built-in kind, more ``aliases`` (and a name or categories) for it."""

    key: str
    name: str = ""
    aliases: tuple[str, ...] = field(default=(), converter=_strs)
    categories: tuple[KindCategory, ...] = ()


@frozen
class Topic:
    """A kind of matter the programme may speak on (or, ``forbidden``, may not)."""

    key: str
    name: PlanText = field(converter=plan_text)
    description: str = ""
    forbidden: bool = False


@frozen
class KeyMessage:
    """A key message (budskap) the programme wants the media to carry («Osen er en
    gründerkommune»). Articles logged name the keys of the messages they carried."""

    key: str
    text: PlanText = field(converter=plan_text)
    description: str = ""


#: In a speaking rule's ``roles``: every programme role that no rule of the plan names.
OTHER_PROGRAMME_ROLES = "*"


@frozen
class SpeakingRule:
    """Who may speak (sign) on a topic. ``roles`` are programme roles, or ``"*"`` for
    every programme role no rule names. ``cleared_by``: roles one of which must have
    cleared it first; empty means the role speaks on its own authority."""

    topic: str
    roles: tuple[str, ...] = field(converter=_strs)
    cleared_by: tuple[str, ...] = field(default=(), converter=_strs)
    description: PlanText = field(default=PlanText(""), converter=plan_text)


@frozen
class Information:
    """Information responsibility (informasjonsansvar)."""

    rules: tuple[SpeakingRule, ...] = ()
    notify: tuple[str, ...] = field(default=(), converter=_strs)
    """Roles notified of significant events, in order."""


class CommitmentKind(enum.StrEnum):
    """How a commitment is checked.

    - ``cadence``: at least ``count`` interactions per ``cadence`` window;
    - ``ratio``: at least ``ratio`` of the interactions of kind ``of`` are hosted by a
      stakeholder in ``host``;
    - ``per_member``: each stakeholder selected by ``members`` reached ``count`` times per
      window;
    - ``leaders``: each of the ``top`` opinion leaders of the groups informed per window;
    - ``structural``: the relationships in ``requires`` exist.
    """

    CADENCE = "cadence"
    RATIO = "ratio"
    PER_MEMBER = "per_member"
    LEADERS = "leaders"
    STRUCTURAL = "structural"


@frozen
class RequiredTie:
    """A relationship a structural commitment requires."""

    source: str
    kind: str
    target: str


@frozen
class Commitment:
    """A promise of the plan (tiltak)."""

    id: str
    title: PlanText = field(converter=plan_text)
    groups: tuple[str, ...] = field(converter=_strs)
    kind: CommitmentKind = CommitmentKind.CADENCE
    text: str = ""
    count: int = 1
    cadence: Unit | None = None
    phase: str | None = None
    channel: str | None = None
    responsible: str | None = None
    kinds: tuple[str, ...] = field(default=(), converter=_strs)
    """Selector: contacts of any of these interaction kinds count, untagged too (for
    per_member and leaders commitments: the direct kinds unless given)."""
    participants: Members = Members()
    """Selector: contacts in which anyone this selects took part count, untagged too."""
    audience: tuple[str, ...] = field(default=(), converter=_strs)
    """Selector: contacts addressed to any of these target groups count, untagged too."""
    including: tuple[str, ...] = field(default=(), converter=_strs)
    """Interaction kinds each window must include (the annual report among status reports)."""
    ratio: float | None = None
    of: str | None = None
    host: Members = Members()
    members: Members = Members()
    top: int | None = None
    requires: tuple[RequiredTie, ...] = ()
    lead_time: Days | None = None
    """Days before a window's last day the work must start (default ``[due] lead_time``)."""

    @property
    def selector(self) -> bool:
        """Whether the plan gives a selector (``kinds``, ``participants``, ``audience``):
        contacts that match every criterion it gives count, tagged or not."""
        return bool(self.kinds or self.participants or self.audience)

    @property
    def counts_contacts(self) -> bool:
        """Whether contacts from the log count for it (not for ratio and structural
        commitments, which look at hosts and ties)."""
        return self.kind in (CommitmentKind.CADENCE, CommitmentKind.PER_MEMBER,
                             CommitmentKind.LEADERS)


@frozen
class CoverageWeights:
    """Weights of the coverage score's parts; they are normalised to sum to one."""

    direct: float = 0.35
    network: float = 0.15
    leaders: float = 0.20
    commitments: float = 0.30
    acceptance: float = 0.0
    """The share of members with a known stance who support the programme; 0 by default,
    so a plan that does not weigh it scores as before."""


@frozen
class LeaderSettings:
    """Opinion-leader ranking: component weights, hand-pinned and excluded stakeholders."""

    top: int = 10
    pagerank: float = 0.35
    betweenness: float = 0.25
    influence: float = 0.25
    role: float = 0.15
    pinned: tuple[str, ...] = field(default=(), converter=_strs)
    excluded: tuple[str, ...] = field(default=(), converter=_strs)


@frozen
class DueSettings:
    """``due``'s defaults: days before a window's last day that work must start, and how
    often to contact someone no per-member or leaders commitment covers."""

    lead_time: Days = field(default=Days(0), converter=parse_days)
    contact_interval: Unit = Unit.YEAR


@frozen
class ReportSettings:
    """What the status report says that only the programme knows: whom it goes to
    (``recipients``, shown under its title) and which role fills in the finance figures
    (``finance_role``, a role key; its title is shown, or no one is named)."""

    recipients: PlanText = field(default=PlanText(""), converter=plan_text)
    finance_role: str | None = None


@frozen
class CaptureSettings:
    """How contacts taken from calendars and mail are logged (``import calendar``,
    ``import mail``): the interaction kind of a calendar event, of an e-mail, and of a
    mass mailing, a message to more registered people than ``mass_mail_threshold``."""

    calendar_kind: str = "meeting"
    mail_kind: str = "email"
    mailing_kind: str = "mailing"
    mass_mail_threshold: int = 20


@frozen
class Plan:
    """A whole plan. Look things up with :meth:`group`, :meth:`commitment` …

    A plan built in code (``Plan(...)``, ``attrs.evolve(plan, ...)``) is checked as a plan
    file is: a :class:`~interessent.errors.PlanError` lists every problem, such as a
    commitment naming a target group the plan lacks."""

    programme: Programme
    groups: tuple[TargetGroup, ...] = ()
    channels: tuple[Channel, ...] = ()
    roles: tuple[Role, ...] = ()
    commitments: tuple[Commitment, ...] = ()
    phases: tuple[Phase, ...] = ()
    topics: tuple[Topic, ...] = ()
    information: Information = Information()
    interaction_kinds: tuple[InteractionKind, ...] = ()
    relationship_kinds: tuple[RelationshipKind, ...] = ()
    coverage: CoverageWeights = CoverageWeights()
    leaders: LeaderSettings = LeaderSettings()
    due: DueSettings = DueSettings()
    report: ReportSettings = ReportSettings()
    messages: tuple[KeyMessage, ...] = ()
    capture: CaptureSettings = CaptureSettings()
    source: str = field(default="<plan>", eq=False)

    def __attrs_post_init__(self) -> None:
        # A plan built in code is checked as a file is: a PlanError lists its problems.
        if not _loading.get():
            _check_built(self)

    def group(self, key: str) -> TargetGroup:
        return _find(self.groups, "key", key, "target group")

    def commitment(self, id: str) -> Commitment:
        """The commitment with id ``id``, in any letter case (the plan's spelling wins)."""
        wanted = id.strip().casefold() if isinstance(id, str) else id
        same = [c for c in self.commitments if c.id.casefold() == wanted]
        exact = [c for c in same if c.id == id]
        if exact or len(same) == 1:
            return (exact or same)[0]
        return _find(self.commitments, "id", id, "commitment")

    def role(self, key: str) -> Role:
        return _find(self.roles, "key", key, "role")

    def phase(self, key: str) -> Phase:
        return _find(self.phases, "key", key, "phase")

    def channel(self, key: str) -> Channel:
        return _find(self.channels, "key", key, "channel")

    def message(self, key: str) -> KeyMessage:
        return _find(self.messages, "key", key, "key message")

    @property
    def all_relationship_kinds(self) -> dict[str, RelationshipKind]:
        """Built-in relationship kinds plus the plan's own (which may redefine one)."""
        kinds = {k.key: k for k in BUILTIN_RELATIONSHIP_KINDS}
        kinds.update((k.key, k) for k in self.relationship_kinds)
        return kinds

    @property
    def all_interaction_kinds(self) -> dict[str, str]:
        """Interaction kind key → Norwegian name, built-in plus the plan's own (an entry
        for a built-in kind without a name keeps the built-in name)."""
        kinds = dict(BUILTIN_INTERACTION_KINDS)
        kinds.update((k.key, k.name) for k in self.interaction_kinds if k.name)
        return kinds

    def lead_time(self, commitment: Commitment) -> Days:
        """The days before a window's last day that ``commitment``'s work must start."""
        if commitment.lead_time is not None:
            return commitment.lead_time
        return self.due.lead_time

    @property
    def programme_roles(self) -> frozenset[str]:
        return frozenset(r.key for r in self.roles if r.programme)


def _find(items: Sequence[T], attr: str, key: str, what: str) -> T:
    for item in items:
        if getattr(item, attr) == key:
            return item
    known = ", ".join(str(getattr(i, attr)) for i in items) or gettext("none")
    raise NotFound(gettext(_NOT_IN_PLAN[what]).format(key=key, known=known))


#: What a lookup in the plan says when it finds nothing, by what it looked for.
_NOT_IN_PLAN = {
    "target group": N_("no target group {key!r} in the plan (known: {known})"),
    "commitment": N_("no commitment {key!r} in the plan (known: {known})"),
    "role": N_("no role {key!r} in the plan (known: {known})"),
    "phase": N_("no phase {key!r} in the plan (known: {known})"),
    "channel": N_("no channel {key!r} in the plan (known: {known})"),
    "key message": N_("no key message {key!r} in the plan (known: {known})"),
}


# --- loading ------------------------------------------------------------------------------


#: A plan nests a few levels (``commitments[3].requires[0].source``); deeper is refused.
MAX_DEPTH = 16
#: Plan files above this size are refused before they are read.
MAX_PLAN_BYTES = 10 * 2**20


def parse_plan(text: str, *, source: str = "<plan>") -> Plan:
    """A validated :class:`Plan` from TOML text; :class:`PlanError` lists every problem.
    A leading byte-order mark (Notepad writes one) is ignored, and the text is read in
    Unicode NFC, as every id and name interessent stores."""
    text = nfc(text.removeprefix("\ufeff"))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else None
        raise PlanError(source, [PlanProblem("(toml)", f"not valid TOML: {exc}", line)]) from None
    except RecursionError:
        raise PlanError(source, [PlanProblem(
            "(toml)", f"arrays or tables are nested too deeply (at most {MAX_DEPTH} levels)")]
        ) from None
    except ValueError as exc:  # a number of thousands of digits
        reason = str(exc).split(";")[0]
        raise PlanError(source, [PlanProblem("(toml)", f"not valid TOML: {reason}")]) from None
    deep = nested_deeper(data, MAX_DEPTH)
    if deep is not None:
        raise PlanError(source, [PlanProblem(deep, f"nested more than {MAX_DEPTH} levels deep")])
    return structure_plan(data, source=source, text=text)


def structure_plan(data: Mapping[str, Any], *, source: str = "<plan>", text: str = "") -> Plan:
    """A validated :class:`Plan` from already-parsed data (a mapping as a TOML file holds
    it); :class:`PlanError` lists every problem."""
    if not isinstance(data, Mapping):
        raise PlanError(source, [PlanProblem("(plan)", "expected a table of keys (a mapping), "
                                             f"not {type(data).__name__}")])
    extra = [PlanProblem("source", "unknown key")] if "source" in data else []
    loading = _loading.set(True)  # checked here, with the TOML lines of its problems
    programme = data.get("programme")
    shown = programme.get("language") if isinstance(programme, Mapping) else None
    # texts given per language are shown in the plan's language where none is asked for
    language = plan_language.set(shown if shown in ("nb", "nn", "en") else "nb")
    try:
        try:
            plan: Plan = converter().structure(
                {k: v for k, v in data.items() if k != "source"}, Plan)
        except Exception as exc:  # cattrs raises ExceptionGroups of anything a hook raised
            raise PlanError(source, extra + _located(text, cattrs_problems(exc))) from None
        plan = attrs.evolve(plan, source=source)
    finally:
        _loading.reset(loading)
        plan_language.reset(language)
    problems = extra + _located(text, _validate(plan))
    if problems:
        raise PlanError(source, problems)
    return plan


#: Set while :func:`structure_plan` builds a plan, which it checks itself.
_loading: contextvars.ContextVar[bool] = contextvars.ContextVar("_loading", default=False)


def _check_built(plan: Plan) -> None:
    """Check a plan built in code (``Plan(...)``, ``attrs.evolve``) as a file is checked:
    its values as the types of a plan require, then every cross-reference."""
    checked = structure_plan(plain_data(plan, leave_out=("source",)), source=plan.source)
    # The check ran on a copy, where text passes as a date as it does in a file; the plan
    # itself would keep the text.
    problems = [PlanProblem(path, message) for path, message in type_problems(plan, checked)]
    if problems:
        raise PlanError(plan.source, problems)


def _located(text: str, found: Iterable[tuple[str, str]]) -> list[PlanProblem]:
    """Each (key path, message) with its line in ``text``; the text is read only when
    there is a problem to place."""
    problems = list(found)
    lines = key_lines(text) if problems else {}
    return [PlanProblem(path, message, line_of(lines, path)) for path, message in problems]


def load_plan(path: Path) -> Plan:
    """Load and validate the plan file at ``path``: a regular file (never a device, a
    pipe or a folder) of UTF-8 text, with or without a byte-order mark. A file the system
    will not read is a :class:`~interessent.errors.PathError` naming it."""
    try:
        info = path.stat()
    except FileNotFoundError:
        problem = PlanProblem("(file)", "the plan file does not exist")
        raise PlanError(str(path), [problem]) from None
    except OSError as exc:  # the file is there but the system will not read it: one line
        raise path_error(path, exc) from None
    if not stat.S_ISREG(info.st_mode):
        problem = PlanProblem("(file)", "not a regular file (a folder, a device or a pipe)")
        raise PlanError(str(path), [problem])
    if info.st_size > MAX_PLAN_BYTES:
        problem = PlanProblem("(file)", f"{info.st_size / 2**20:.0f} MB; plan files above "
                                        f"{MAX_PLAN_BYTES // 2**20} MB are refused")
        raise PlanError(str(path), [problem])
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise PlanError(str(path), [PlanProblem("(file)", f"not UTF-8 text: {exc}")]) from None
    except OSError as exc:
        raise path_error(path, exc) from None
    return parse_plan(text, source=str(path))


# --- semantic validation ------------------------------------------------------------------


_KEY = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")

#: The range of each number a plan may hold, by class and field; None: a rule of its own
#: checks it. A number not named here (a field added later) lies within ±
#: :data:`_ANY_NUMBER`. Nothing a plan counts, weighs or waits for is bigger: 100 years of
#: retention, a million contacts a window.
_NUMBER_BOUNDS: dict[tuple[str, str], tuple[float, float] | None] = {
    ("Programme", "retention_months"): (1, 1200),
    ("TargetGroup", "number"): (0, 1_000_000_000),
    ("Channel", "priority"): (0, 1000),
    ("Role", "weight"): (0, 1000),
    ("Commitment", "count"): (1, 1_000_000),
    ("Commitment", "ratio"): None,
    ("Commitment", "top"): (1, 100_000),
    **{("CoverageWeights", name): (0, 1000)
       for name in ("direct", "network", "leaders", "commitments", "acceptance")},
    ("LeaderSettings", "top"): (1, 100_000),
    ("CaptureSettings", "mass_mail_threshold"): (1, 1_000_000),
    **{("LeaderSettings", name): (0, 1000)
       for name in ("pagerank", "betweenness", "influence", "role")},
}
_ANY_NUMBER = 1_000_000_000


def _validate(plan: Plan) -> Iterator[tuple[str, str]]:
    """Every cross-reference and rule the types alone cannot check."""
    yield from numbers_out_of_range(plan, _NUMBER_BOUNDS, _ANY_NUMBER)
    yield from _unique(plan.groups, "groups", "key")
    yield from _unique(plan.roles, "roles", "key")
    yield from _unique(plan.channels, "channels", "key")
    yield from _unique(plan.phases, "phases", "key")
    yield from _unique(plan.topics, "topics", "key")
    yield from _unique(plan.commitments, "commitments", "id")
    yield from _unique(plan.interaction_kinds, "interaction_kinds", "key")
    yield from _unique(plan.relationship_kinds, "relationship_kinds", "key")
    yield from _unique(plan.messages, "messages", "key")

    groups = {g.key for g in plan.groups}
    roles = {r.key for r in plan.roles}
    channels = {c.key for c in plan.channels}
    phases = {p.key for p in plan.phases}
    topics = {t.key for t in plan.topics}
    ikinds = set(plan.all_interaction_kinds)
    rkinds = set(plan.all_relationship_kinds)

    for path, items, attr in (
        ("groups", plan.groups, "key"),
        ("roles", plan.roles, "key"),
        ("channels", plan.channels, "key"),
        ("phases", plan.phases, "key"),
        ("topics", plan.topics, "key"),
        ("interaction_kinds", plan.interaction_kinds, "key"),
        ("relationship_kinds", plan.relationship_kinds, "key"),
        ("messages", plan.messages, "key"),
    ):
        for i, item in enumerate(items):
            value = getattr(item, attr)
            if not _KEY.match(value):
                yield (
                    f"{path}[{i}].{attr}",
                    f"{value!r} is not a key (lower-case letters, digits, '_' or '-')",
                )

    prog = plan.programme
    if prog.end and prog.end < prog.start:
        yield ("programme.end", f"ends ({prog.end}) before the programme starts ({prog.start})")
    if prog.language not in ("nb", "nn", "en"):
        yield ("programme.language", f"unknown language {prog.language!r} (nb, nn or en)")

    for i, phase in enumerate(plan.phases):
        if phase.end < phase.start:
            yield (f"phases[{i}].end", f"ends ({phase.end}) before it starts ({phase.start})")

    for i, group in enumerate(plan.groups):
        yield from _refs(group.channels, channels, f"groups[{i}].channels", "channel")
        yield from _members(group.rule, f"groups[{i}].rule", groups, roles)
        if group.key in group.rule.groups:
            yield (f"groups[{i}].rule.groups", "a group cannot be defined by itself")

    for i, c in enumerate(plan.commitments):
        yield from _commitment(c, f"commitments[{i}]", plan, groups, roles, channels, phases,
                               ikinds, rkinds)

    for i, kind in enumerate(plan.interaction_kinds):
        if kind.key not in BUILTIN_INTERACTION_KINDS and not kind.name:
            yield (f"interaction_kinds[{i}].name", f"a new interaction kind ({kind.key!r}) "
                   "needs a name")

    info = plan.information
    own = plan.programme_roles
    for i, rule in enumerate(info.rules):
        p = f"information.rules[{i}]"
        if rule.topic != "*" and rule.topic not in topics:
            yield (f"{p}.topic", _unknown("topic", rule.topic, topics))
        if not rule.roles:
            yield (f"{p}.roles", "name at least one role")
        for j, key in enumerate(rule.roles):
            if key == OTHER_PROGRAMME_ROLES:
                continue
            if key not in roles:
                yield (f"{p}.roles[{j}]", _unknown("role", key, roles))
            elif key not in own:
                yield (f"{p}.roles[{j}]", f"{key!r} is not one of the programme's own roles "
                       "(programme = true): the information rules bind only the "
                       "programme's own people")
        yield from _refs(rule.cleared_by, roles, f"{p}.cleared_by", "role")
    yield from _refs(info.notify, roles, "information.notify", "role")

    if plan.report.finance_role is not None and plan.report.finance_role not in roles:
        yield ("report.finance_role", _unknown("role", plan.report.finance_role, roles))

    for name in ("calendar_kind", "mail_kind", "mailing_kind"):
        key = getattr(plan.capture, name)
        if key not in ikinds:
            yield (f"capture.{name}", _unknown("interaction kind", key, ikinds))

    if sum(attrs.astuple(plan.coverage)) <= 0:
        yield ("coverage", "at least one weight must be positive")
    lead = plan.leaders
    both = set(lead.pinned) & set(lead.excluded)
    if both:
        yield ("leaders.excluded", f"pinned and excluded at once: {', '.join(sorted(both))}")


def _commitment(
    c: Commitment,
    p: str,
    plan: Plan,
    groups: set[str],
    roles: set[str],
    channels: set[str],
    phases: set[str],
    ikinds: set[str],
    rkinds: set[str],
) -> Iterator[tuple[str, str]]:
    if not c.groups:
        yield (f"{p}.groups", "name at least one target group")
    yield from _refs(c.groups, groups, f"{p}.groups", "target group")
    if c.phase is not None and c.phase not in phases:
        yield (f"{p}.phase", _unknown("phase", c.phase, phases))
    if c.channel is not None and c.channel not in channels:
        yield (f"{p}.channel", _unknown("channel", c.channel, channels))
    if c.responsible is not None and c.responsible not in roles:
        yield (f"{p}.responsible", _unknown("role", c.responsible, roles))
    yield from _refs(c.kinds, ikinds, f"{p}.kinds", "interaction kind")
    yield from _refs(c.including, ikinds, f"{p}.including", "interaction kind")
    yield from _refs(c.audience, groups, f"{p}.audience", "target group")
    yield from _members(c.participants, f"{p}.participants", groups, roles)
    if not c.counts_contacts:
        for name in ("kinds", "participants", "audience", "including"):
            if getattr(c, name):
                yield (f"{p}.{name}", f"a {c.kind} commitment counts no contacts, so it has "
                       f"no {name}")

    kind = c.kind
    needs_cadence = kind in (CommitmentKind.CADENCE, CommitmentKind.PER_MEMBER,
                             CommitmentKind.LEADERS)
    if needs_cadence and c.cadence is None:
        yield (f"{p}.cadence", f"a {kind} commitment needs a cadence (month, quarter, …)")
    if kind is CommitmentKind.RATIO:
        if c.ratio is None:
            yield (f"{p}.ratio", "a ratio commitment needs a ratio (0.5 for half)")
        elif not 0 < c.ratio <= 1:
            yield (f"{p}.ratio", f"must be above 0 and at most 1, not {c.ratio}")
        if c.of is None:
            yield (f"{p}.of", "a ratio commitment names the interaction kind it counts")
        elif c.of not in ikinds:
            yield (f"{p}.of", _unknown("interaction kind", c.of, ikinds))
        if not c.host:
            yield (f"{p}.host", "a ratio commitment says which hosts count (host.groups …)")
    if kind is CommitmentKind.PER_MEMBER and not c.members:
        yield (f"{p}.members", "a per_member commitment says whom it applies to")
    if kind is CommitmentKind.STRUCTURAL:
        if not c.requires:
            yield (f"{p}.requires", "a structural commitment lists the relationships it needs")
        for j, tie in enumerate(c.requires):
            if tie.kind not in rkinds:
                yield (f"{p}.requires[{j}].kind", _unknown("relationship kind", tie.kind, rkinds))
    elif c.requires:
        yield (f"{p}.requires", f"only structural commitments have requires, not {kind}")
    if kind is not CommitmentKind.RATIO:
        for name in ("ratio", "of"):
            if getattr(c, name) is not None:
                yield (f"{p}.{name}", f"only ratio commitments have {name}, not {kind}")
    yield from _members(c.host, f"{p}.host", groups, roles)
    yield from _members(c.members, f"{p}.members", groups, roles)


def _members(sel: Members, p: str, groups: set[str], roles: set[str]) -> Iterator[tuple[str, str]]:
    yield from _refs(sel.groups, groups, f"{p}.groups", "target group")
    yield from _refs(sel.roles, roles, f"{p}.roles", "role")
    for j, kind in enumerate(sel.kinds):
        if kind not in ("person", "organisation"):
            yield (f"{p}.kinds[{j}]", f"unknown kind {kind!r} (person or organisation)")


def _refs(values: Sequence[str], known: set[str], path: str, what: str) -> Iterator[
    tuple[str, str]
]:
    for j, value in enumerate(values):
        if value not in known:
            yield (f"{path}[{j}]", _unknown(what, value, known))


def _unknown(what: str, value: str, known: Iterable[str]) -> str:
    names = sorted(known)
    hint = ", ".join(names) if len(names) <= 12 else ", ".join(names[:12]) + ", …"
    return f"unknown {what} {value!r} (known: {hint or 'none'})"


def _unique(items: Sequence[Any], path: str, attr: str) -> Iterator[tuple[str, str]]:
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        value = getattr(item, attr)
        if value in seen:
            yield (f"{path}[{i}].{attr}", f"{value!r} is already used by {path}[{seen[value]}]")
        else:
            seen[value] = i

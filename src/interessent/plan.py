"""The plan file (``interessent.toml``): the written strategy in a form a program can check.

A plan has a programme (name, municipality, dates, vision, goals), phases, target groups,
channels, roles, commitments and the information-responsibility rules. It is loaded with
:func:`load_plan` (or :func:`parse_plan`), structured by cattrs into the frozen attrs
classes below, then validated as a whole. Every problem is reported with its key path
(``commitments[3].cadence``) and, where it can be found, its line in the TOML file;
unknown keys are errors, never silently ignored.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
from attrs import field, frozen

from .errors import NotFound, PlanError, PlanProblem
from .model import BUILTIN_INTERACTION_KINDS, BUILTIN_RELATIONSHIP_KINDS, RelationshipKind
from .periods import Period, Unit
from .rules import nfc
from .tomllines import key_lines, line_of

if TYPE_CHECKING:
    from .workspace import Workspace

__all__ = [
    "Channel",
    "ChannelKind",
    "Commitment",
    "CommitmentKind",
    "CoverageWeights",
    "Information",
    "InteractionKind",
    "LeaderSettings",
    "Members",
    "Phase",
    "Plan",
    "PlanReport",
    "Programme",
    "RequiredTie",
    "Role",
    "SpeakingRule",
    "TargetGroup",
    "Topic",
    "check_plan",
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

    name: str
    municipality: str
    start: dt.date
    end: dt.date | None = None
    organisation: str | None = None
    """Stakeholder id of the programme's own organisation (its board, its company)."""
    vision: str = ""
    goals: tuple[str, ...] = field(default=(), converter=_strs)
    language: str = "nb"
    website: str | None = None
    email: str | None = None
    retention_months: int | None = None
    """How long personal data of stakeholders no longer active is kept (GDPR)."""


@frozen
class Phase:
    """A named stretch of the programme, such as the start-up year (oppstartsåret)."""

    key: str
    name: str
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
    name: str
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
    name: str
    kind: ChannelKind = ChannelKind.DIRECT
    priority: int = 1
    description: str = ""


@frozen
class Role:
    """A role a stakeholder can hold. ``programme`` marks the programme's own people
    (board, staff); ``weight`` feeds the opinion-leader ranking."""

    key: str
    name: str
    programme: bool = False
    weight: float = 0.0
    aliases: tuple[str, ...] = field(default=(), converter=_strs)


@frozen
class InteractionKind:
    """An interaction kind the plan adds to the built-in ones."""

    key: str
    name: str
    aliases: tuple[str, ...] = field(default=(), converter=_strs)


@frozen
class Topic:
    """A kind of matter the programme may speak on (or, ``forbidden``, may not)."""

    key: str
    name: str
    description: str = ""
    forbidden: bool = False


@frozen
class SpeakingRule:
    """Who may speak (sign) on a topic. ``cleared_by``: roles one of which must have
    cleared it first; empty means the role speaks on its own authority."""

    topic: str
    roles: tuple[str, ...] = field(converter=_strs)
    cleared_by: tuple[str, ...] = field(default=(), converter=_strs)
    description: str = ""


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
    title: str
    groups: tuple[str, ...] = field(converter=_strs)
    kind: CommitmentKind = CommitmentKind.CADENCE
    text: str = ""
    count: int = 1
    cadence: Unit | None = None
    phase: str | None = None
    channel: str | None = None
    responsible: str | None = None
    kinds: tuple[str, ...] = field(default=(), converter=_strs)
    """Interaction kinds that count even when not tagged with this commitment."""
    including: tuple[str, ...] = field(default=(), converter=_strs)
    """Interaction kinds each window must include (the annual report among status reports)."""
    ratio: float | None = None
    of: str | None = None
    host: Members = Members()
    members: Members = Members()
    top: int | None = None
    requires: tuple[RequiredTie, ...] = ()


@frozen
class CoverageWeights:
    """Weights of the coverage score's parts; they are normalised to sum to one."""

    direct: float = 0.35
    network: float = 0.15
    leaders: float = 0.20
    commitments: float = 0.30


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
class Plan:
    """A whole plan. Look things up with :meth:`group`, :meth:`commitment` …"""

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
    source: str = field(default="<plan>", eq=False)

    def group(self, key: str) -> TargetGroup:
        return _find(self.groups, "key", key, "target group")

    def commitment(self, id: str) -> Commitment:
        return _find(self.commitments, "id", id, "commitment")

    def role(self, key: str) -> Role:
        return _find(self.roles, "key", key, "role")

    def phase(self, key: str) -> Phase:
        return _find(self.phases, "key", key, "phase")

    def channel(self, key: str) -> Channel:
        return _find(self.channels, "key", key, "channel")

    @property
    def all_relationship_kinds(self) -> dict[str, RelationshipKind]:
        """Built-in relationship kinds plus the plan's own (which may redefine one)."""
        kinds = {k.key: k for k in BUILTIN_RELATIONSHIP_KINDS}
        kinds.update((k.key, k) for k in self.relationship_kinds)
        return kinds

    @property
    def all_interaction_kinds(self) -> dict[str, str]:
        """Interaction kind key → Norwegian name, built-in plus the plan's own."""
        kinds = dict(BUILTIN_INTERACTION_KINDS)
        kinds.update((k.key, k.name) for k in self.interaction_kinds)
        return kinds

    @property
    def programme_roles(self) -> frozenset[str]:
        return frozenset(r.key for r in self.roles if r.programme)


def _find(items: Sequence[T], attr: str, key: str, what: str) -> T:
    for item in items:
        if getattr(item, attr) == key:
            return item
    known = ", ".join(str(getattr(i, attr)) for i in items) or "none"
    raise NotFound(f"no {what} {key!r} in the plan (known: {known})")


# --- loading ------------------------------------------------------------------------------


def _converter() -> Any:
    import cattrs

    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)

    def date_hook(value: Any, _: Any) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            return dt.date.fromisoformat(value)
        raise ValueError(f"expected a date (YYYY-MM-DD), not {value!r}")

    def unit_hook(value: Any, _: Any) -> Unit:
        if not isinstance(value, str):
            raise ValueError(f"expected a period name, not {value!r}")
        return Unit.parse(value)

    def str_hook(value: Any, _: Any) -> str:
        if not isinstance(value, str):
            raise ValueError(f"expected text, not {type(value).__name__} {value!r}")
        return value

    def strs_hook(value: Any, _: Any) -> tuple[str, ...]:
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"expected a list of text, not {value!r}")
        return tuple(value)

    def float_hook(value: Any, _: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"expected a number, not {value!r}")
        return float(value)

    def int_hook(value: Any, _: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected a whole number, not {value!r}")
        return value

    def bool_hook(value: Any, _: Any) -> bool:
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, not {value!r}")
        return value

    def enum_hook(value: Any, cls: type[enum.StrEnum]) -> enum.StrEnum:
        try:
            return cls(value)
        except ValueError:
            expected = ", ".join(m.value for m in cls)
            raise ValueError(f"unknown value {value!r} (expected one of {expected})") from None

    conv.register_structure_hook(dt.date, date_hook)
    conv.register_structure_hook(Unit, unit_hook)
    conv.register_structure_hook(str, str_hook)
    conv.register_structure_hook_func(lambda t: t == tuple[str, ...], strs_hook)
    conv.register_structure_hook(float, float_hook)
    conv.register_structure_hook(int, int_hook)
    conv.register_structure_hook(bool, bool_hook)
    conv.register_structure_hook(ChannelKind, enum_hook)
    conv.register_structure_hook(CommitmentKind, enum_hook)
    return conv


def _cattrs_problems(exc: BaseException, path: str) -> Iterator[tuple[str, str]]:
    """Walk a cattrs validation error into (key path, message) pairs."""
    from cattrs.errors import (
        ClassValidationError,
        ForbiddenExtraKeysError,
        IterableValidationError,
    )

    if isinstance(exc, IterableValidationError):
        with_notes, without = exc.group_exceptions()
        for sub, inote in with_notes:
            yield from _cattrs_problems(sub, f"{path}[{inote.index}]")
        for sub in without:
            yield from _cattrs_problems(sub, path)
    elif isinstance(exc, ClassValidationError):
        with_cnotes, without = exc.group_exceptions()
        for sub, cnote in with_cnotes:
            yield from _cattrs_problems(sub, f"{path}.{cnote.name}" if path else cnote.name)
        for sub in without:
            yield from _cattrs_problems(sub, path)
    elif isinstance(exc, ForbiddenExtraKeysError):
        for key in sorted(exc.extra_fields):
            yield (f"{path}.{key}" if path else key, "unknown key")
    elif isinstance(exc, KeyError):
        key = str(exc.args[0])
        if not (path == key or path.endswith(f".{key}")):
            path = f"{path}.{key}" if path else key
        yield (path, "required key is missing")
    elif isinstance(exc, TypeError) and "missing" in str(exc) and "argument" in str(exc):
        names = re.findall(r"'(\w+)'", str(exc))
        for name in names or ["?"]:
            yield (f"{path}.{name}" if path else name, "required key is missing")
    else:
        yield (path or "(plan)", str(exc))


def parse_plan(text: str, source: str = "<plan>") -> Plan:
    """A validated :class:`Plan` from TOML text; :class:`PlanError` lists every problem.
    The text is read in Unicode NFC, as every id and name interessent stores."""
    text = nfc(text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else None
        raise PlanError(source, [PlanProblem("(toml)", f"not valid TOML: {exc}", line)]) from None
    return structure_plan(data, source=source, text=text)


def structure_plan(data: Mapping[str, Any], *, source: str = "<plan>", text: str = "") -> Plan:
    """A validated :class:`Plan` from already-parsed data."""
    conv = _converter()
    try:
        plan: Plan = conv.structure(dict(data), Plan)
    except Exception as exc:  # cattrs raises ExceptionGroups of anything a hook raised
        raise PlanError(source, _located(text, _cattrs_problems(exc, ""))) from None
    plan = attrs.evolve(plan, source=source)
    problems = _located(text, _validate(plan))
    if problems:
        raise PlanError(source, problems)
    return plan


def _located(text: str, found: Iterable[tuple[str, str]]) -> list[PlanProblem]:
    """Each (key path, message) with its line in ``text``; the text is read only when
    there is a problem to place."""
    problems = list(found)
    lines = key_lines(text) if problems else {}
    return [PlanProblem(path, message, line_of(lines, path)) for path, message in problems]


def load_plan(path: Path) -> Plan:
    """Load and validate the plan file at ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problem = PlanProblem("(file)", "the plan file does not exist")
        raise PlanError(str(path), [problem]) from None
    except UnicodeDecodeError as exc:
        raise PlanError(str(path), [PlanProblem("(file)", f"not UTF-8 text: {exc}")]) from None
    return parse_plan(text, source=str(path))


# --- semantic validation ------------------------------------------------------------------


_KEY = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")


def _validate(plan: Plan) -> Iterator[tuple[str, str]]:
    """Every cross-reference and rule the types alone cannot check."""
    yield from _unique(plan.groups, "groups", "key")
    yield from _unique(plan.roles, "roles", "key")
    yield from _unique(plan.channels, "channels", "key")
    yield from _unique(plan.phases, "phases", "key")
    yield from _unique(plan.topics, "topics", "key")
    yield from _unique(plan.commitments, "commitments", "id")
    yield from _unique(plan.interaction_kinds, "interaction_kinds", "key")
    yield from _unique(plan.relationship_kinds, "relationship_kinds", "key")

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
    if prog.retention_months is not None and prog.retention_months < 1:
        yield ("programme.retention_months", "must be at least 1")
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

    for i, role in enumerate(plan.roles):
        if role.weight < 0:
            yield (f"roles[{i}].weight", "must not be negative")

    for i, c in enumerate(plan.commitments):
        yield from _commitment(c, f"commitments[{i}]", plan, groups, roles, channels, phases,
                               ikinds, rkinds)

    info = plan.information
    for i, rule in enumerate(info.rules):
        p = f"information.rules[{i}]"
        if rule.topic != "*" and rule.topic not in topics:
            yield (f"{p}.topic", _unknown("topic", rule.topic, topics))
        if not rule.roles:
            yield (f"{p}.roles", "name at least one role")
        yield from _refs(rule.roles, roles, f"{p}.roles", "role")
        yield from _refs(rule.cleared_by, roles, f"{p}.cleared_by", "role")
    yield from _refs(info.notify, roles, "information.notify", "role")

    weights = attrs.astuple(plan.coverage)
    for name, value in zip(attrs.fields_dict(CoverageWeights), weights, strict=True):
        if value < 0:
            yield (f"coverage.{name}", "must not be negative")
    if sum(weights) <= 0:
        yield ("coverage", "at least one weight must be positive")
    lead = plan.leaders
    for name in ("pagerank", "betweenness", "influence", "role"):
        if getattr(lead, name) < 0:
            yield (f"leaders.{name}", "must not be negative")
    if lead.top < 1:
        yield ("leaders.top", "must be at least 1")
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
    if c.count < 1:
        yield (f"{p}.count", "must be at least 1")

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
    if kind is CommitmentKind.LEADERS and c.top is not None and c.top < 1:
        yield (f"{p}.top", "must be at least 1")
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


# --- checking a plan against its workspace ------------------------------------------------


@frozen
class PlanReport:
    """The outcome of :func:`check_plan`: the valid plan and what deserves a look."""

    plan: Plan
    warnings: tuple[str, ...] = ()

    def summary(self) -> str:
        p = self.plan
        return (
            f"{p.source} is valid: {len(p.groups)} target groups, {len(p.commitments)} "
            f"commitments, {len(p.channels)} channels, {len(p.roles)} roles"
            + (f", {len(self.warnings)} warnings" if self.warnings else "")
        )


def check_plan(ws: Workspace) -> PlanReport:
    """Validate the workspace's plan (raising :class:`PlanError`), then look up the
    stakeholders it names in the store; those not registered yet, or registered with
    their id in another case, are warnings, and so are look-alike ids in the store."""
    plan = ws.plan
    named: list[tuple[str, str]] = []
    if plan.programme.organisation:
        named.append(("programme.organisation", plan.programme.organisation))
    for i, c in enumerate(plan.commitments):
        named += [(f"commitments[{i}].members.ids", x) for x in c.members.ids]
        named += [(f"commitments[{i}].host.ids", x) for x in c.host.ids]
        for j, tie in enumerate(c.requires):
            named += [(f"commitments[{i}].requires[{j}].source", tie.source),
                      (f"commitments[{i}].requires[{j}].target", tie.target)]
    for i, g in enumerate(plan.groups):
        named += [(f"groups[{i}].rule.ids", x) for x in g.rule.ids]
    named += [("leaders.pinned", x) for x in plan.leaders.pinned]
    named += [("leaders.excluded", x) for x in plan.leaders.excluded]
    known = ws.store.registered_ids({x for _, x in named})
    warnings = [
        f"{path}: no stakeholder {value!r} is registered yet" if value not in known else
        f"{path}: {value!r} is registered as {known[value]!r}; the plan names stakeholders "
        "by their id exactly as registered"
        for path, value in named if known.get(value) != value
    ]
    warnings += [f"{kind} {', '.join(map(repr, ids))} have ids that differ only in case or "
                 "Unicode form (registered before ids were kept unique in any case); each "
                 "is found only by its exact id; erase the one that is a duplicate"
                 for kind, ids in ws.store.look_alike_ids()]
    return PlanReport(plan, tuple(warnings))

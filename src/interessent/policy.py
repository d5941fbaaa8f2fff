"""Information responsibility (informasjonsansvar): who may sign on which matter, and whom
to notify of a significant event.

The plan's ``[information]`` table holds the rules. In Osen: the daglig leder speaks on
ongoing, daily matters; the styreleder on overarching, important ones; other board
members and staff only after conferring with the styreleder or the daglig leder; the
programme does not speak on political matters at all; significant events are notified
to the styreleder, the daglig leder, the ordfører and the rådmann, in that order.

:func:`resolve_signer` applies the rules to one letter (or one drafting run) and returns
the :class:`Signature` that is printed under the letter and recorded with it;
:func:`notification_list` answers "whom do we tell, and how do we reach them?".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from attrs import frozen

from .errors import InvalidInput, NotFound, PolicyError, PolicyRule
from .i18n import every_text, gettext, localized
from .plan import OTHER_PROGRAMME_ROLES, SpeakingRule
from .store import Store
from .workspace import Workspace

if TYPE_CHECKING:
    from .model import Stakeholder
    from .plan import Plan, Role, Topic

__all__ = [
    "Contact",
    "Notifiee",
    "PolicyError",
    "Signature",
    "notification_list",
    "resolve_signer",
]


@frozen
class Signature:
    """Who signs a letter, on which topic, and under which rule of the plan.

    ``role`` and ``cleared_by`` are role keys; ``title`` and ``cleared_by_title`` their
    names. ``rule`` is the rule's description in the plan (or one made from it).
    ``title``, ``cleared_by_title``, ``topic_name`` and ``rule`` are the plan's texts,
    given per language where the plan does: read them with
    :func:`~interessent.i18n.localized` in the language shown.
    """

    role: str
    title: str
    stakeholder: str
    name: str
    email: str | None
    phone: str | None
    organisation: str | None
    topic: str
    topic_name: str
    rule: str
    cleared_by: str | None = None
    cleared_by_title: str | None = None

    @property
    def note(self) -> str:
        """The line recorded with each letter: who signed and under which rule."""
        text = f"Signert av {self.name} ({self.title}) etter regelen: {self.rule}"
        if self.cleared_by_title:
            text += ("" if text.endswith((".", "!", "?")) else ".")
            text += f" Avklart med {self.cleared_by_title.lower()}."
        return text


@frozen
class Contact:
    """How to reach one person: the contact details of the register."""

    id: str
    name: str
    email: str | None
    phone: str | None
    address: str | None
    organisation: str | None


@frozen
class Notifiee:
    """One role to notify of a significant event, with whoever holds it. ``title`` is the
    role's name as the plan gives it: read it with :func:`~interessent.i18n.localized`."""

    order: int
    role: str
    title: str
    people: tuple[Contact, ...]
    withheld: int = 0
    """Holders left out because processing of their data is restricted (GDPR art. 18)."""


# --- looking people up --------------------------------------------------------------------


class _Directory:
    """Stakeholders by role and id, from a workspace, a store or a list already loaded."""

    def __init__(self, source: Workspace | Store | Iterable[Stakeholder]) -> None:
        self._store: Store | None = None
        self._people: dict[str, Stakeholder] | None = None
        if isinstance(source, Workspace):
            self._store = source.store
        elif isinstance(source, Store):
            self._store = source
        else:
            self._people = {s.id: s for s in source}

    def by_role(self, role: str) -> list[Stakeholder]:
        if self._people is not None:
            return [s for s in self._people.values() if role in s.roles]
        assert self._store is not None
        return self._store.stakeholders(role=role)

    def by_ids(self, ids: Sequence[str]) -> dict[str, Stakeholder]:
        if self._people is not None:
            return {i: self._people[i] for i in ids if i in self._people}
        assert self._store is not None
        return {s.id: s for s in self._store.stakeholders(ids=list(ids))}


def _norm(text: str) -> str:
    return " ".join(text.strip().lower().replace("_", " ").replace("-", " ").split())


def _role(plan: Plan, text: str) -> Role | None:
    """A role by key, name or alias, case-insensitively."""
    wanted = _norm(text)
    for role in plan.roles:
        if wanted in {_norm(role.key), *(_norm(n) for n in every_text(role.name)),
                      *(_norm(a) for a in role.aliases)}:
            return role
    return None


def _topic(plan: Plan, text: str) -> Topic:
    wanted = _norm(text)
    for topic in plan.topics:
        if wanted in (_norm(topic.key), *(_norm(n) for n in every_text(topic.name))):
            return topic
    known = ", ".join(t.key for t in plan.topics) or gettext("none")
    raise InvalidInput(gettext("unknown topic {text!r} (the plan's topics: {known})").format(
        text=text, known=known))


def _asked(plan: Plan, signer: str | None) -> str | None:
    """The signer as asked: a role's key, else the text given (a stakeholder's id)."""
    if signer is None:
        return None
    role = _role(plan, signer)
    return role.key if role else signer


def _name(plan: Plan, key: str) -> str:
    """The role's name as the plan gives it (per language, if so), else the key."""
    role = _role(plan, key)
    return role.name if role else key


def _title(plan: Plan, key: str) -> str:
    """The role's name in the current language."""
    return localized(_name(plan, key))


def _rule_text(plan: Plan, rule: SpeakingRule, topic: Topic, role_key: str) -> str:
    if rule.description:
        return rule.description
    # a rule the plan does not hold is a spokesperson's on the other's kind of matter
    named = rule.roles if rule in plan.information.rules else (role_key,)
    either = gettext(" or ")
    who = either.join(_title(plan, r if r != OTHER_PROGRAMME_ROLES else role_key)
                      for r in dict.fromkeys(named))
    if rule.cleared_by:
        text = gettext("{who} speaks on {topic} after conferring with {whom} (information "
                       "responsibility)").format(
            who=who, topic=localized(topic.name).lower(), whom=either.join(
                _title(plan, r).lower() for r in rule.cleared_by if r != role_key))
    else:
        text = gettext("{who} speaks on {topic} (information responsibility)").format(
            who=who, topic=localized(topic.name).lower())
    return text[0].upper() + text[1:]


def _who_may(plan: Plan, rules: Sequence[SpeakingRule]) -> str:
    parts = []
    for rule in rules:
        roles = ", ".join(gettext("every other programme role") if r == OTHER_PROGRAMME_ROLES
                          else r for r in rule.roles)
        if rule.cleared_by:
            parts.append(gettext("{roles} (cleared by {whom})").format(
                roles=roles, whom=gettext(" or ").join(rule.cleared_by)))
        else:
            parts.append(gettext("{roles} (on their own authority)").format(roles=roles))
    return "; ".join(parts)


# --- the rules for a topic ----------------------------------------------------------------


def _rules_for(plan: Plan, matter: Topic) -> list[SpeakingRule]:
    """The rules under which someone may speak on ``matter``, in the order they are tried:
    those on one's own authority (the topic's own before the ``*`` rules), then those that
    need clearance: the topic's own, then the two spokespersons' (each may speak on the
    other's kind of matter after conferring with the other), then the ``*`` rules."""
    rules = plan.information.rules
    own = [r for r in rules if r.topic == matter.key]
    every = [r for r in rules if r.topic == "*"]
    first = [r for r in own + every if not r.cleared_by]
    # A spokesperson is a role that speaks on some other topic on its own authority.
    speakers = [r for r in first if r.topic == matter.key]
    here = {k for r in first for k in r.roles}
    others = [k for r in rules if r.topic not in ("*", matter.key) and not r.cleared_by
              for k in r.roles if k not in here and k != OTHER_PROGRAMME_ROLES]
    crossing = []
    if speakers and others:
        crossing.append(SpeakingRule(
            topic=matter.key, roles=tuple(dict.fromkeys(others)),
            cleared_by=tuple(dict.fromkeys(k for r in speakers for k in r.roles
                                           if k != OTHER_PROGRAMME_ROLES))))
    return (first + [r for r in own if r.cleared_by] + crossing
            + [r for r in every if r.cleared_by])


def _covers(plan: Plan, rule: SpeakingRule, role_key: str) -> bool:
    """Whether ``rule`` lets the role ``role_key`` speak: it names the role, or it says
    ``*`` and the role is one of the programme's own that no rule of the plan names."""
    if role_key in rule.roles:
        return True
    if OTHER_PROGRAMME_ROLES not in rule.roles or role_key not in plan.programme_roles:
        return False
    return all(role_key not in r.roles for r in plan.information.rules)


def _clears(rule: SpeakingRule, role_key: str, cleared: Role | None) -> bool:
    """Whether speaking under ``rule`` as ``role_key`` is cleared: it needs no clearance,
    or one of the roles it names, other than the speaker's own, cleared it."""
    if not rule.cleared_by:
        return True
    return cleared is not None and cleared.key in rule.cleared_by and cleared.key != role_key


def _not_cleared(plan: Plan, rule: SpeakingRule, role_key: str, matter: Topic,
                 cleared: Role | None, signer: str) -> PolicyError:
    """Why speaking under ``rule`` as ``role_key`` is not cleared (``signer`` is the
    stakeholder or role that would sign)."""
    others = [r for r in rule.cleared_by if r != role_key]
    options = gettext(" or ").join(others)
    who = _title(plan, role_key)
    rule_name: PolicyRule
    if cleared is None:
        rule_name = "needs clearance"
        message = gettext("{who} may speak on {topic} only after conferring with "
                          "{whom}").format(
            who=who, topic=localized(matter.name).lower(),
            whom=gettext(" or ").join(_title(plan, r).lower() for r in others))
    elif cleared.key == role_key:
        rule_name = "clears own statement"
        message = gettext("cleared by {cleared}: nobody clears their own statement; {who} "
                          "must confer with {options}").format(
            cleared=localized(cleared.name).lower(), who=who, options=options)
    else:
        rule_name = "not a clearing role"
        message = gettext("{who} must confer with {options}, not {cleared}").format(
            who=who, options=options, cleared=localized(cleared.name).lower())
    return PolicyError(message, rule=rule_name, topic=matter.key, signer=signer,
                       cleared_by=others)


# --- the signer ---------------------------------------------------------------------------


def resolve_signer(
    plan: Plan,
    source: Workspace | Store | Iterable[Stakeholder],
    *,
    topic: str,
    signer_role: str | None = None,
    cleared_by: str | None = None,
) -> Signature:
    """Who signs a letter on ``topic``, by the plan's information responsibility.

    ``signer_role`` is a role key (or its name or alias), or the id of a stakeholder who
    holds a role the rules allow; by default the role that speaks on the topic on its own
    authority. A role whose rule requires clearance needs ``cleared_by``, one of the roles
    the rule names other than its own. A rule's ``*`` covers every programme role no rule
    names (a prosjektleder); a spokesperson may speak on the other spokesperson's kind of
    matter after conferring with them. The rules bind the programme's own people only: a
    signer who is not one of them (the ordfører) is refused, and so is a topic the plan
    forbids (political matters), for everyone, quoting the plan (:class:`PolicyError`).
    """
    matter = _topic(plan, topic)
    asked = _asked(plan, signer_role)
    if matter.forbidden:
        quote = f": «{matter.description}»" if matter.description else ""
        raise PolicyError(
            gettext("refused: the plan forbids the programme to speak on {topic} (topic "
                    "{key!r}){quote} No letter was drafted.").format(
                topic=localized(matter.name).lower(), key=matter.key, quote=quote),
            rule="forbidden topic", topic=matter.key, signer=asked)
    rules = _rules_for(plan, matter)
    if not rules:
        raise PolicyError(
            gettext("the plan names nobody who may speak on {topic} (topic {key!r}); add an "
                    "[[information.rules]] entry for it").format(
                topic=localized(matter.name).lower(), key=matter.key),
            rule="nobody may speak", topic=matter.key, signer=asked)
    cleared: Role | None = None
    if cleared_by is not None:
        cleared = _role(plan, cleared_by)
        if cleared is None:
            known = ", ".join(r.key for r in plan.roles) or gettext("none")
            raise InvalidInput(gettext(
                "the clearing role {role!r} is not a role of the plan ({known})").format(
                role=cleared_by, known=known), field="cleared_by")
    directory = _Directory(source)
    person: Stakeholder | None = None
    if signer_role is None:
        own = next((r for r in rules if not r.cleared_by
                    and any(k != OTHER_PROGRAMME_ROLES for k in r.roles)), None)
        if own is None:
            raise PolicyError(
                gettext("no role speaks on {topic} on its own authority; name the signer and "
                        "who cleared it: {may}").format(
                    topic=localized(matter.name).lower(), may=_who_may(plan, rules)),
                rule="no own authority", topic=matter.key)
        rule = own
        role_key = next(k for k in own.roles if k != OTHER_PROGRAMME_ROLES)
    else:
        role = _role(plan, signer_role)
        if role is None:
            found = directory.by_ids([signer_role])
            if not found:
                known = ", ".join(r.key for r in plan.roles) or gettext("none")
                raise InvalidInput(gettext(
                    "the signer {signer!r} is neither a role of the plan ({known}) nor a "
                    "registered stakeholder").format(signer=signer_role, known=known),
                    field="signer")
            person = found[signer_role]
            if person.restricted:
                raise PolicyError(gettext(
                    "{signer}: processing of their data is restricted (GDPR art. 18), so "
                    "their name may not sign a letter; name another signer").format(
                    signer=signer_role), rule="restricted", topic=matter.key,
                    signer=person.id)
            keys = [k for k in person.roles if k in plan.programme_roles]
            if not keys:
                raise PolicyError(
                    gettext("{name} ({id}) holds no role of the programme's own, and the "
                            "programme's letters are signed by its own people under its "
                            "information responsibility (which binds nobody else)").format(
                        name=person.name, id=person.id),
                    rule="not the programme's own", topic=matter.key, signer=person.id)
        elif role.key not in plan.programme_roles:
            raise PolicyError(
                gettext("{role} is not one of the programme's own roles: the programme's "
                        "letters are signed by its own people under its information "
                        "responsibility (which binds nobody else)").format(
                    role=localized(role.name)),
                rule="not the programme's own", topic=matter.key, signer=role.key)
        else:
            keys = [role.key]
        allowed = [(r, k) for r in rules for k in keys if _covers(plan, r, k)]
        if not allowed:
            words = dict(topic=localized(matter.name).lower(), key=matter.key,
                         may=_who_may(plan, rules))
            message = gettext(
                "{name} ({id}) holds no role that may sign on {topic} (topic {key!r}) under "
                "the plan's information responsibility; may: {may}").format(
                name=person.name, id=person.id, **words) if person else gettext(
                "{role} may not sign on {topic} (topic {key!r}) under the plan's information "
                "responsibility; may: {may}").format(role=_title(plan, keys[0]), **words)
            raise PolicyError(
                message,
                rule="may not sign", topic=matter.key, signer=person.id if person else keys[0])
        rule, role_key = next(((r, k) for r, k in allowed if _clears(r, k, cleared)),
                              allowed[0])
    if not _clears(rule, role_key, cleared):
        raise _not_cleared(plan, rule, role_key, matter, cleared,
                           person.id if person else role_key)
    if person is None:
        person = _holder(plan, directory, role_key, matter)
    org_id = plan.programme.organisation or person.organisation
    orgs = directory.by_ids([org_id]) if org_id else {}
    return Signature(
        role=role_key,
        title=_name(plan, role_key),
        stakeholder=person.id,
        name=person.name,
        email=person.email,
        phone=person.phone,
        organisation=orgs[org_id].name if org_id in orgs else None,
        topic=matter.key,
        topic_name=matter.name,
        rule=_rule_text(plan, rule, matter, role_key),
        cleared_by=cleared.key if cleared and rule.cleared_by else None,
        cleared_by_title=cleared.name if cleared and rule.cleared_by else None,
    )


def _holder(plan: Plan, directory: _Directory, role_key: str, matter: Topic) -> Stakeholder:
    """The one person who holds ``role_key`` for the programme (never one whose
    processing is restricted: their name may not go in a letter)."""
    holders = directory.by_role(role_key)
    if holders and all(s.restricted for s in holders):
        raise PolicyError(_restricted_signer(plan, role_key), rule="restricted",
                          topic=matter.key, signer=role_key)
    holders = [s for s in holders if not s.restricted]
    if len(holders) > 1 and plan.programme.organisation:
        own = [s for s in holders if s.organisation == plan.programme.organisation]
        holders = own or holders
    if not holders:
        raise NotFound(gettext(
            "nobody in the register holds the role {role!r}; register the person who does "
            "(with that role), or name another signer").format(role=role_key))
    if len(holders) > 1:
        names = ", ".join(f"{s.name} ({s.id})" for s in holders)
        raise InvalidInput(gettext(
            "several stakeholders hold the role {role!r}: {names}; name the person who "
            "signs").format(role=role_key, names=names), field="signer")
    return holders[0]


def _restricted_signer(plan: Plan, role_key: str) -> str:
    return gettext("{role} is held only by people whose data is restricted (GDPR art. 18), "
                   "so their name may not sign a letter; name another signer").format(
        role=_title(plan, role_key))


# --- significant events -------------------------------------------------------------------


def notification_list(ws: Workspace) -> list[Notifiee]:
    """Whom to notify of a significant event, in the plan's order, with contact details.

    A role nobody holds is listed with no people, so the gap shows. Holders whose
    processing is restricted (GDPR art. 18) are left out and counted in ``withheld``.
    """
    plan = ws.plan
    directory = _Directory(ws)
    held = {role: directory.by_role(role) for role in plan.information.notify}
    orgs = directory.by_ids(sorted({s.organisation for people in held.values()
                                    for s in people if s.organisation}))
    result = []
    for n, role in enumerate(plan.information.notify, start=1):
        people = tuple(
            Contact(
                id=s.id, name=s.name, email=s.email, phone=s.phone, address=s.address,
                organisation=orgs[s.organisation].name if s.organisation in orgs else None,
            )
            for s in held[role] if not s.restricted
        )
        result.append(Notifiee(order=n, role=role, title=_name(plan, role), people=people,
                               withheld=sum(1 for s in held[role] if s.restricted)))
    return result

"""Everyday register work: find, show, add and edit stakeholders; add, edit and remove
relationships; log, edit and remove interactions.

Values typed by a person, or given as Python values (ints, floats such as ``4.0``, dates,
enums, lists), go through the same checks as an imported row (see
:mod:`interessent.importing`), so a role, group or kind is spelt one way everywhere and a
bad value is one :class:`~interessent.errors.InvalidInput` naming its field.
Adding and logging choose and check the new record's id inside the transaction that
writes it, so two people adding or logging at once never get the same id, and an add or
a log never replaces a record: only an edit changes one. An id finds its record in any
case or Unicode form, and names and ids are stored in NFC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal

from attrs import frozen

from .bounds import cut
from .errors import ImportRejected, InvalidInput, NotFound, RowProblem
from .i18n import N_, Np_, gettext, kind_word, localized, pgettext, relationship_word, stance_word
from .importing import ImportResult, import_rows, slugify
from .periods import check_date, parse_date
from .privacy import audit_tie
from .rules import is_member
from .stance import (
    StanceRecord,
    check_since,
    in_force,
    parse_stance,
    set_stance,
    stance_history,
)

if TYPE_CHECKING:
    from .i18n import Localized
    from .model import (
        Interaction,
        Kind,
        Language,
        Relationship,
        Sentiment,
        Stakeholder,
        Stance,
    )
    from .workspace import Workspace

__all__ = [
    "StakeholderProfile",
    "add_relationship",
    "add_stakeholder",
    "edit_interaction",
    "edit_relationship",
    "edit_stakeholder",
    "find_stakeholders",
    "log_interaction",
    "remove_interaction",
    "remove_relationship",
    "stakeholder_profile",
]

#: Fields a person may give for a stakeholder, as the import columns they become.
STAKEHOLDER_FIELDS = ("first_name", "kind", "email", "phone", "address", "organisation",
                      "roles", "groups", "influence", "interest", "language", "legal_basis",
                      "tags", "notes")

#: A sentiment or tone in words (``Sentiment`` keeps the English value in JSON and CSV).
SENTIMENT_WORDS = {"positive": N_("positive"), "neutral": N_("neutral"),
                   "negative": N_("negative")}

#: A stakeholder's kind in words (``Kind`` keeps the English value in JSON and CSV).
KIND_WORDS = (Np_("stakeholder", "person"), Np_("stakeholder", "organisation"))


def find_stakeholders(
    ws: Workspace,
    *,
    group: str | None = None,
    role: str | None = None,
    tag: str | None = None,
    search: str | None = None,
) -> list[Stakeholder]:
    """Stakeholders sorted by id; ``group`` includes members by the group's rule."""
    _texts("", group=group, role=role, tag=tag, search=search)
    if group is not None:
        target = ws.plan.group(group)
        found = ws.store.stakeholders(role=role, tag=tag, search=search)
        return [s for s in found if is_member(s, target)]
    return ws.store.stakeholders(role=role, tag=tag, search=search)


@frozen
class StakeholderProfile:
    """One stakeholder with their ties and their interactions with the programme."""

    stakeholder: Stakeholder
    organisation_name: str | None
    relationships: tuple[Relationship, ...]
    interactions: tuple[Interaction, ...]
    names: dict[str, str]
    #: The plan's names of roles, groups, interaction and relationship kinds, by key,
    #: for the lines people read (a key the plan does not name is shown as it is).
    role_names: Mapping[str, Localized] = {}
    group_names: Mapping[str, Localized] = {}
    interaction_kinds: Mapping[str, Localized] = {}
    relationship_kinds: Mapping[str, Localized] = {}
    stances: tuple[StanceRecord, ...] = ()
    """The stakeholder's stances as recorded, oldest first (:func:`stance_history`)."""
    today: dt.date | None = None
    """The day the profile was read: the stance in force on it is the current one."""
    #: What the stakeholder, a media outlet, published (articles naming it as outlet),
    #: newest first.
    published: tuple[Interaction, ...] = ()

    @property
    def stance(self) -> StanceRecord | None:
        """The stance in force on the day the profile was read, if one is known."""
        return in_force(self.stances, self.today or dt.date.today())

    def to_dict(self) -> dict[str, Any]:
        """Plain data (the JSON of ``stakeholder show``): the stakeholder's fields, their
        ``relationships`` and ``interactions``, the current ``stance`` (``support``,
        ``neutral``, ``oppose`` or null) and its history ``stances`` (oldest first), for an
        outlet what it ``published``, dates as ISO text."""
        current = self.stance
        return {
            **self.stakeholder.to_dict(),
            "relationships": [r.to_dict() for r in self.relationships],
            "interactions": [i.to_dict() for i in self.interactions],
            "stance": None if current is None else current.stance.value,
            "stances": [r.to_dict() for r in self.stances],
            "published": [i.to_dict() for i in self.published],
        }

    def as_dict(self) -> dict[str, Any]:
        """Deprecated: :meth:`to_dict`."""
        return self.to_dict()

    def lines(self) -> list[str]:
        """The profile as lines for people, in the current language (data as it is)."""
        s = self.stakeholder
        org = f"{self.organisation_name} ({s.organisation})" if s.organisation else None
        yes = gettext("yes")
        rows: list[tuple[str, Any]] = [
            (N_("id"), s.id), (N_("name"), s.name), (N_("first name"), s.first_name),
            (N_("kind"), pgettext("stakeholder", s.kind.value)), (N_("organisation"), org),
            (N_("email"), s.email), (N_("phone"), s.phone), (N_("address"), s.address),
            (N_("roles"), ", ".join(localized(self.role_names.get(k, k)) for k in s.roles)),
            (N_("groups"), ", ".join(localized(self.group_names.get(k, k)) for k in s.groups)),
            (N_("influence"), s.influence), (N_("interest"), s.interest),
            (N_("language"), s.language.value), (N_("legal basis"), s.legal_basis),
            (N_("tags"), ", ".join(s.tags)), (N_("notes"), s.notes),
        ]
        if s.opted_out:
            rows.append((N_("opted out"), yes))
        if s.restricted:
            rows.append((N_("restricted"), yes))
        current = self.stance
        if current is not None:
            rows.append((N_("stance"), gettext("{stance} since {day}").format(
                stance=stance_word(current.stance), day=current.since.isoformat())))
        out = [f"{gettext(k):<13} {v}" for k, v in rows if v not in (None, "")]
        if self.stances:
            out.append("\n" + gettext("Stance history ({count}, oldest first):").format(
                count=len(self.stances)))
            for record in self.stances:
                by = gettext(" (recorded by {who})").format(who=record.recorded_by) \
                    if record.recorded_by else ""
                out.append(f"  {record.since.isoformat()}  {stance_word(record.stance)}{by}")
        out.append("\n" + gettext("Relationships ({count}):").format(
            count=len(self.relationships)))
        for r in self.relationships:
            other = r.target if r.source == s.id else r.source
            arrow = "→" if r.source == s.id else "←"
            arrow = arrow if r.directed else "↔"
            kind = relationship_word(r.kind, self.relationship_kinds)
            out.append(f"  {arrow} {kind:<14} {self.names.get(other, other)} ({other}), "
                       + gettext("strength {strength:.2f}").format(strength=r.strength))
        out.append("\n" + gettext("Interactions ({count}, newest first):").format(
            count=len(self.interactions)))
        for i in self.interactions[:15]:
            out.append(self._contact_line(i))
        if len(self.interactions) > 15:
            out.append(gettext("  … and {count} more").format(
                count=len(self.interactions) - 15))
        if self.published:
            out.append("\n" + gettext("Published ({count}, newest first):").format(
                count=len(self.published)))
            out.extend(self._contact_line(i) for i in self.published[:15])
            if len(self.published) > 15:
                out.append(gettext("  … and {count} more").format(
                    count=len(self.published) - 15))
        return out

    def _contact_line(self, i: Interaction) -> str:
        """One contact: its day, kind and topic, a star for a success story, how it went
        and, for an article, its outlet and tone."""
        flag = " ★" if i.success else ""
        kind = kind_word(i.kind, self.interaction_kinds)
        said = []
        if i.sentiment is not None:
            said.append(gettext(SENTIMENT_WORDS[i.sentiment.value]))
        if i.outlet is not None and i.outlet != self.stakeholder.id:
            said.append(f"{self.names.get(i.outlet, i.outlet)} ({i.outlet})")
        if i.tone is not None:
            said.append(gettext("tone: {tone}").format(
                tone=gettext(SENTIMENT_WORDS[i.tone.value])))
        more = f"  [{'; '.join(said)}]" if said else ""
        return f"  {i.date.isoformat()}  {kind:<13} {i.topic or ''}{flag}{more}"


def stakeholder_profile(ws: Workspace, id: str) -> StakeholderProfile:
    """Everything the register holds about one stakeholder, for a person to read."""
    _ids(id=id)
    store = ws.store
    s = store.stakeholder(id)  # in any case; s.id is the id as registered
    rels = store.relationships(stakeholder=s.id)
    others = {r.source for r in rels} | {r.target for r in rels}
    if s.organisation:
        others.add(s.organisation)
    names = {o.id: o.name for o in store.stakeholders(ids=sorted(others))}
    interactions = store.interactions(stakeholder=s.id)
    published = store.interactions(outlet=s.id)
    outlets = {i.outlet for i in (*interactions, *published) if i.outlet} - set(names)
    if outlets:
        names |= {o.id: o.name for o in store.stakeholders(ids=sorted(outlets))}
    return StakeholderProfile(
        stakeholder=s,
        organisation_name=names.get(s.organisation) if s.organisation else None,
        relationships=tuple(rels),
        interactions=tuple(reversed(interactions)),
        names=names,
        role_names={r.key: r.name for r in ws.plan.roles},
        group_names={g.key: g.name for g in ws.plan.groups},
        interaction_kinds=dict(ws.plan.all_interaction_kinds),
        relationship_kinds={k: v.name for k, v in ws.plan.all_relationship_kinds.items()},
        stances=tuple(stance_history(ws, s.id)),
        today=dt.date.today(),
        published=tuple(reversed(published)),
    )


def _given(**values: Any) -> dict[str, Any]:
    """The fields given (not None), each as a cell value: lists and other iterables as
    lists, one text as it is (several values in it separated by ``|``)."""
    return {k: v if isinstance(v, str) or not isinstance(v, Iterable) else list(v)
            for k, v in values.items() if v is not None}


def _problem(column: str | None, message: str) -> RowProblem:
    """A problem of a record typed in: row 2 of a table of one, as the importer counts."""
    return RowProblem(2, f"{column}: {message}" if column else message, column=column)


def _texts(what: str, lists: Mapping[str, Any] | None = None, **values: Any) -> None:
    """Refuse a value that is not text where text is due (an id, a name, a note; None is
    "not given"), and a list in ``lists`` with anything but text in it, None too: the
    importer would store a date as its ISO text and drop a None from a list unsaid."""
    found = [(f, v, "text") for f, v in values.items() if v is not None]
    for field, items in (lists or {}).items():
        if items is not None and not isinstance(items, str):
            found += ([(field, v, "a list of text") for v in items]
                      if isinstance(items, Iterable) else [(field, items, "a list of text")])
    for field, value, due in found:
        if not isinstance(value, str):
            message = f"{field}: expected {due}, not {type(value).__name__} {repr(value)[:40]}"
            raise InvalidInput(f"{what}: {message}" if what else message, field=field,
                               problems=[_problem(field, message)])


def _sentiments(**values: Any) -> None:
    """Refuse a sentiment or tone that is neither a :class:`~interessent.model.Sentiment`
    nor text (None is "not given"); its text is checked as an imported cell's."""
    for field, value in values.items():
        if value is not None and not isinstance(value, str):
            message = (f"{field}: expected positive, neutral or negative, not "
                       f"{type(value).__name__} {repr(value)[:40]}")
            raise InvalidInput(message, field=field, problems=[_problem(field, message)])


def _ids(**values: Any) -> None:
    """Refuse an id (or a kind's key) that is not text, None too, before it is looked up."""
    for field, value in values.items():
        if not isinstance(value, str):
            raise InvalidInput(f"{field}: expected text, not {type(value).__name__} "
                               f"{repr(value)[:40]}", field=field)


def _one_row(ws: Workspace, kind: str, row: Mapping[str, Any], what: str, action: str,
             *, mode: Literal["import", "new", "edit"] = "import",
             subject: str | None = None) -> ImportResult:
    """Import one typed-in row; a bad value is one clear error without row numbers."""
    try:
        return import_rows(ws, kind, [row], source=what, action=action,
                           subject=row["id"] if subject is None else subject, mode=mode)
    except ImportRejected as exc:
        reasons = "; ".join(p.message for p in exc.problems)
        raise InvalidInput(f"{what}: {reasons}", problems=exc.problems) from None


def _check_fields(fields: Iterable[str], known: Iterable[str], what: str) -> list[str]:
    names, allowed = [fields] if isinstance(fields, str) else list(fields), tuple(known)
    unknown = sorted(set(names) - set(allowed))
    if unknown:
        raise InvalidInput(f"unknown {what} field {', '.join(unknown)} "
                           f"(known: {', '.join(allowed)})", field="clear",
                           problems=[_problem(f, f"unknown {what} field") for f in unknown])
    return names


def _changes(what: str, given: Mapping[str, Any], cleared: list[str]) -> None:
    both = sorted(set(cleared) & set(given))
    if both:
        raise InvalidInput(f"{what}: both set and cleared: {', '.join(both)}", field="clear",
                           problems=[_problem(f, "both set and cleared") for f in both])
    if not given and not cleared:
        raise InvalidInput(f"{what}: nothing to change: give a field to set or to clear",
                           field="clear", problems=[_problem(None, "nothing to change")])


def add_stakeholder(
    ws: Workspace, *, name: str, id: str | None = None, kind: Kind | str | None = None,
    email: str | None = None, phone: str | None = None, address: str | None = None,
    organisation: str | None = None, roles: Iterable[str] | None = None,
    groups: Iterable[str] | None = None, influence: int | None = None,
    interest: int | None = None, language: Language | str | None = None,
    legal_basis: str | None = None, tags: Iterable[str] | None = None,
    notes: str | None = None, first_name: str | None = None,
) -> Stakeholder:
    """Register a new stakeholder. Without an ``id`` one is made from the name
    (``Kari Ørsjødal`` → ``kari-orsjodal``, or ``kari-orsjodal-2`` if that is taken, even
    by someone of the same name). An ``id`` that exists, in any case, is refused: adding
    never changes a record. Values are checked as an imported row's are: roles and
    groups must be the plan's, ``influence`` and ``interest`` whole numbers from 1 to 5
    (``4.0`` is 4, ``4.5`` is refused); ``organisation`` is an id or a name."""
    label = id if isinstance(id, str) and id else slugify(name) if isinstance(name, str) else ""
    _texts(f"stakeholder {cut(label)}", {"roles": roles, "groups": groups, "tags": tags},
           name=name, id=id, kind=kind, email=email, phone=phone, address=address,
           organisation=organisation, language=language, legal_basis=legal_basis, notes=notes,
           first_name=first_name)
    fields = _given(kind=kind, email=email, phone=phone, address=address,
                    organisation=organisation, roles=roles, groups=groups,
                    influence=influence, interest=interest, language=language,
                    legal_basis=legal_basis, tags=tags, notes=notes, first_name=first_name)
    row = {"id": id or "", "name": name, **fields}
    done = _one_row(ws, "stakeholders", row, f"stakeholder {cut(label)}", "add", mode="new")
    return ws.store.stakeholder(done.ids[0])


def edit_stakeholder(
    ws: Workspace, id: str, *, name: str | None = None, kind: Kind | str | None = None,
    email: str | None = None, phone: str | None = None, address: str | None = None,
    organisation: str | None = None, roles: Iterable[str] | None = None,
    groups: Iterable[str] | None = None, influence: int | None = None,
    interest: int | None = None, language: Language | str | None = None,
    legal_basis: str | None = None, tags: Iterable[str] | None = None,
    notes: str | None = None, clear: Iterable[str] = (), first_name: str | None = None,
    stance: Stance | str | None = None, stance_since: str | dt.date | None = None,
) -> Stakeholder:
    """Change the given fields of a stakeholder; ``clear`` names fields to empty. Lists
    (roles, groups, tags) given are replaced whole. Fields not named (None) keep their
    values. Values are checked as in :func:`add_stakeholder`.

    ``stance`` (from ``stance_since``, default today) is recorded as
    :func:`~interessent.stance.set_stance` does, after the fields are changed: a stance is
    history, never a field to overwrite or clear. Both are checked before anything is
    written."""
    if stance is None and stance_since is not None:
        raise InvalidInput(gettext("stance since: say which stance it is since"),
                           field="stance", problems=[_problem("stance", "not given")])
    if stance is not None:
        parse_stance(stance)
        check_since(stance_since)
    fields = _given(kind=kind, email=email, phone=phone, address=address,
                    organisation=organisation, roles=roles, groups=groups,
                    influence=influence, interest=interest, language=language,
                    legal_basis=legal_basis, tags=tags, notes=notes, first_name=first_name)
    cleared = _check_fields(clear, STAKEHOLDER_FIELDS, "stakeholder")
    _ids(id=id)
    _texts(f"stakeholder {cut(id)}", {"roles": roles, "groups": groups, "tags": tags},
           name=name, kind=kind, email=email, phone=phone, address=address,
           organisation=organisation, language=language, legal_basis=legal_basis, notes=notes,
           first_name=first_name)
    current = ws.store.stakeholder(id)  # NotFound for an unknown id; found in any case
    what = f"stakeholder {cut(current.id)}"
    if stance is None or fields or cleared or name is not None:
        _changes(what, {**fields, **({} if name is None else {"name": name})}, cleared)
        if isinstance(name, str) and not name.strip():
            raise InvalidInput(f"{what}: name: empty; every stakeholder needs a name",
                               field="name", problems=[_problem("name", "empty")])
        # no name keeps the name stored when the edit is written, not the one read here
        row = {"id": current.id, "name": name or "", **fields, **dict.fromkeys(cleared, "")}
        _one_row(ws, "stakeholders", row, what, "edit", mode="edit")
    if stance is not None:
        set_stance(ws, current.id, stance=stance, since=stance_since)
    return ws.store.stakeholder(current.id)


# --- relationships ------------------------------------------------------------------------

#: Fields of a relationship that an edit may set or clear (a cleared strength is 1, a
#: cleared direction the kind's).
RELATIONSHIP_FIELDS = ("strength", "directed", "start", "end")


def _tie(ws: Workspace, done: ImportResult) -> Relationship:
    source, target, kind = done.ties[0]
    return next(r for r in ws.store.relationships(stakeholder=source)
                if r.key == (source, target, kind))


def add_relationship(
    ws: Workspace, *, source: str, target: str, kind: str,
    strength: float | str | None = None,
    directed: bool | None = None, start: str | dt.date | None = None,
    end: str | dt.date | None = None,
) -> Relationship:
    """Register a tie: ``source`` and ``target`` are stakeholders (by id in any case, or a
    unique name), ``kind`` one of the plan's relationship kinds (key or name). Strength
    is from 0 to 1 (1 when not given; a number or its text, ``"0,5"`` too), ``directed``
    the kind's unless given, ``start`` and ``end`` dates or ISO text. A tie of that kind
    between the two that exists is refused: adding never changes one. Checked as an
    imported row."""
    row = {"source": source, "target": target, "kind": kind,
           **_given(strength=strength, directed=directed, start=start, end=end)}
    done = _one_row(ws, "relationships", row, f"relationship {cut(kind)}", "add relationship",
                    mode="new", subject="")
    return _tie(ws, done)


def edit_relationship(
    ws: Workspace, *, source: str, target: str, kind: str,
    strength: float | str | None = None,
    directed: bool | None = None, start: str | dt.date | None = None,
    end: str | dt.date | None = None, clear: Iterable[str] = (),
) -> Relationship:
    """Change the given fields of the ``kind`` tie from ``source`` to ``target``;
    ``clear`` names fields to empty (strength back to 1, direction to the kind's, no start
    or end). Fields not named keep their values; a tie that does not exist is refused."""
    fields = _given(strength=strength, directed=directed, start=start, end=end)
    cleared = _check_fields(clear, RELATIONSHIP_FIELDS, "relationship")
    what = f"relationship {cut(kind)}"
    _changes(what, fields, cleared)
    row = {"source": source, "target": target, "kind": kind, **fields,
           **dict.fromkeys(cleared, "")}
    done = _one_row(ws, "relationships", row, what, "edit relationship", mode="edit",
                    subject="")
    return _tie(ws, done)


def remove_relationship(ws: Workspace, *, source: str, target: str, kind: str) -> Relationship:
    """Remove the ``kind`` tie from ``source`` to ``target`` (ids in any case; ``kind``
    the key, or the plan's name for it) and return it. No such tie is
    :class:`~interessent.errors.NotFound`; nothing else changes."""
    _ids(source=source, target=target, kind=kind)
    store = ws.store
    known = ws.plan.all_relationship_kinds
    key = next((k.key for k in known.values()
                if kind.strip().casefold() in (k.key.casefold(), k.name.casefold())),
               kind.strip())
    known_ids = store.registered_ids([source, target])  # in any case or Unicode form
    missing = [who for who in (source, target) if who not in known_ids]
    if missing:
        raise NotFound(gettext("no stakeholder with id {id!r}").format(id=missing[0]))
    with store.write() as s:
        store.take_turn(s, "relationships")
        removed = store._remove_relationship(s, source, target, key)
        if removed is None:
            raise NotFound(gettext("no {kind} relationship {source} → {target}").format(
                kind=key, source=source, target=target))
        audit_tie(store, s, action="remove relationship", tie=removed.key)
    return removed


# --- interactions -------------------------------------------------------------------------

#: Fields of an interaction that an edit may set; all but date and kind may be cleared.
INTERACTION_FIELDS = ("date", "kind", "channel", "participants", "groups", "topic",
                      "commitments", "host", "success", "notes", "sentiment", "outlet", "tone",
                      "story", "messages")


def log_interaction(
    ws: Workspace,
    *,
    kind: str,
    date: str | dt.date | None = None,
    id: str | None = None,
    participants: Iterable[str] = (),
    groups: Iterable[str] = (),
    channel: str | None = None,
    topic: str | None = None,
    commitments: Iterable[str] = (),
    host: str | None = None,
    success: bool = False,
    notes: str | None = None,
    sentiment: Sentiment | str | None = None,
    outlet: str | None = None,
    tone: Sentiment | str | None = None,
    story: str | None = None,
    messages: Iterable[str] = (),
) -> Interaction:
    """Record one interaction, checked as an imported row is (kinds, channels, groups and
    commitments must be the plan's; participants and host registered stakeholders).
    Without an ``id`` it gets the next ``K<year>-<nnnn>``, chosen in the transaction that
    writes it; an ``id`` that exists, in any case, is refused.

    ``sentiment`` (how it went) is positive, neutral or negative, for any kind. What the
    media published (a broadcast kind: article, post, web …) may name its ``outlet`` (a
    registered stakeholder), its ``tone`` (as sentiment), the success ``story`` it tells
    (an interaction whose ``success`` is set; the story is then published) and the
    ``messages`` it carried (keys of the plan's key messages); another kind with any of
    those is refused."""
    _texts("interaction", {"participants": participants, "groups": groups,
                           "commitments": commitments, "messages": messages},
           id=id, kind=kind, channel=channel, topic=topic, host=host, notes=notes,
           outlet=outlet, story=story, date=date if not isinstance(date, dt.date) else None)
    _sentiments(sentiment=sentiment, tone=tone)
    try:
        day = (check_date(date, field="date") if isinstance(date, dt.date)
               else parse_date(date, field="date") if date else dt.date.today())
    except InvalidInput as exc:
        problem = RowProblem(2, str(exc), column="date")  # the message names the date
        raise InvalidInput(str(exc), field="date", problems=[problem]) from None
    people = _given(p=participants).get("p", [])
    audience = _given(g=groups).get("g", [])
    if not people and not audience:
        raise InvalidInput(gettext("say whom it reached: a stakeholder (participants) or an "
                                   "audience (groups)"), field="participants",
                           problems=[_problem("participants", "nobody reached")])
    row = {"id": id or "", "date": day, "kind": kind, "channel": channel,
           "participants": people, "groups": audience, "topic": topic,
           "commitments": _given(c=commitments).get("c", []), "host": host,
           "success": success, "notes": notes, "sentiment": sentiment, "outlet": outlet,
           "tone": tone, "story": story, "messages": _given(m=messages).get("m", [])}
    done = _one_row(ws, "interactions", row, f"interaction {cut(id)}" if id else "interaction",
                    "log", mode="new")
    return _interaction(ws, done.ids[0])


def _interaction(ws: Workspace, id: str) -> Interaction:
    found = ws.store.interactions(ids=[id])
    if not found:  # pragma: no cover - written in the transaction before
        raise NotFound(f"interaction {id} was not recorded")
    return found[0]


def edit_interaction(
    ws: Workspace, id: str, *, date: str | dt.date | None = None, kind: str | None = None,
    channel: str | None = None, participants: Iterable[str] | None = None,
    groups: Iterable[str] | None = None, topic: str | None = None,
    commitments: Iterable[str] | None = None, host: str | None = None,
    success: bool | None = None, notes: str | None = None, clear: Iterable[str] = (),
    sentiment: Sentiment | str | None = None, outlet: str | None = None,
    tone: Sentiment | str | None = None, story: str | None = None,
    messages: Iterable[str] | None = None,
) -> Interaction:
    """Change the given fields of interaction ``id`` (in any case); ``clear`` names fields
    to empty (not ``date`` or ``kind``). Lists given replace the whole list; fields not
    named keep their values. Checked as :func:`log_interaction` is, and it must still
    reach someone: a participant or an audience group."""
    fields = _given(date=date, kind=kind, channel=channel, participants=participants,
                    groups=groups, topic=topic, commitments=commitments, host=host,
                    success=success, notes=notes, sentiment=sentiment, outlet=outlet,
                    tone=tone, story=story, messages=messages)
    cleared = _check_fields(clear, INTERACTION_FIELDS[2:], "interaction (to clear)")
    _ids(id=id)
    _texts(f"interaction {cut(id)}", {"participants": participants, "groups": groups,
                                 "commitments": commitments, "messages": messages},
           kind=kind, channel=channel, topic=topic, host=host, notes=notes, outlet=outlet,
           story=story, date=date if not isinstance(date, dt.date) else None)
    _sentiments(sentiment=sentiment, tone=tone)
    stored = ws.store.registered_ids([id], "interactions").get(id)
    if stored is None:
        raise NotFound(gettext("no interaction with id {id!r}").format(id=id))
    what = f"interaction {cut(stored)}"
    _changes(what, fields, cleared)
    row = {"id": stored, "date": "", "kind": "", **fields, **dict.fromkeys(cleared, "")}
    _one_row(ws, "interactions", row, what, "edit", mode="edit")
    return _interaction(ws, stored)


def remove_interaction(ws: Workspace, id: str) -> Interaction:
    """Remove interaction ``id`` (in any case) with its participants, audience groups and
    commitments, and return it as it was. An unknown id is
    :class:`~interessent.errors.NotFound`; nothing else changes."""
    _ids(id=id)
    store = ws.store
    with store.write() as s:
        store.take_turn(s, "interactions")
        removed = store._remove_interaction(s, id)
        if removed is None:
            raise NotFound(gettext("no interaction with id {id!r}").format(id=id))
        store.audit(s, "remove", "interaction", removed.id,
                    {"participants": len(removed.participants), "groups": len(removed.groups),
                     "commitments": len(removed.commitments)})
    return removed

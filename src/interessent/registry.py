"""Everyday register work: find, show, add and edit stakeholders; log interactions.

Values typed by a person go through the same checks as an imported row (see
:mod:`interessent.importing`), so a role, group or kind is spelt one way everywhere.
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

from .errors import ImportRejected, InvalidInput, NotFound, RowProblem
from .importing import ImportResult, import_rows, slugify
from .periods import check_date, parse_date
from .rules import is_member

if TYPE_CHECKING:
    from .model import Interaction, Relationship, Stakeholder
    from .workspace import Workspace

__all__ = [
    "StakeholderProfile",
    "add_stakeholder",
    "edit_stakeholder",
    "find_stakeholders",
    "log_interaction",
    "stakeholder_profile",
]

#: Fields a person may give for a stakeholder, as the import columns they become.
STAKEHOLDER_FIELDS = ("kind", "email", "phone", "address", "organisation", "roles", "groups",
                      "influence", "interest", "language", "legal_basis", "tags", "notes")


def find_stakeholders(
    ws: Workspace,
    *,
    group: str | None = None,
    role: str | None = None,
    tag: str | None = None,
    search: str | None = None,
) -> list[Stakeholder]:
    """Stakeholders sorted by id; ``group`` includes members by the group's rule."""
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

    def as_dict(self) -> dict[str, Any]:
        import attrs

        return {
            **attrs.asdict(self.stakeholder, recurse=False),
            "relationships": [attrs.asdict(r) for r in self.relationships],
            "interactions": [attrs.asdict(i) for i in self.interactions],
        }

    def lines(self) -> list[str]:
        s = self.stakeholder
        org = f"{self.organisation_name} ({s.organisation})" if s.organisation else None
        rows: list[tuple[str, Any]] = [
            ("id", s.id), ("name", s.name), ("kind", s.kind.value), ("organisation", org),
            ("email", s.email), ("phone", s.phone), ("address", s.address),
            ("roles", ", ".join(s.roles)), ("groups", ", ".join(s.groups)),
            ("influence", s.influence), ("interest", s.interest),
            ("language", s.language.value), ("legal basis", s.legal_basis),
            ("tags", ", ".join(s.tags)), ("notes", s.notes),
        ]
        if s.opted_out:
            rows.append(("opted out", "yes"))
        if s.restricted:
            rows.append(("restricted", "yes"))
        out = [f"{k:<13} {v}" for k, v in rows if v not in (None, "")]
        out.append(f"\nRelationships ({len(self.relationships)}):")
        for r in self.relationships:
            other = r.target if r.source == s.id else r.source
            arrow = "→" if r.source == s.id else "←"
            arrow = arrow if r.directed else "↔"
            out.append(f"  {arrow} {r.kind:<14} {self.names.get(other, other)} ({other}), "
                       f"strength {r.strength:.2f}")
        out.append(f"\nInteractions ({len(self.interactions)}, newest first):")
        for i in self.interactions[:15]:
            flag = " ★" if i.success else ""
            out.append(f"  {i.date.isoformat()}  {i.kind:<13} {i.topic or ''}{flag}")
        if len(self.interactions) > 15:
            out.append(f"  … and {len(self.interactions) - 15} more")
        return out


def stakeholder_profile(ws: Workspace, id: str) -> StakeholderProfile:
    """Everything the register holds about one stakeholder, for a person to read."""
    store = ws.store
    s = store.stakeholder(id)  # in any case; s.id is the id as registered
    rels = store.relationships(stakeholder=s.id)
    others = {r.source for r in rels} | {r.target for r in rels}
    if s.organisation:
        others.add(s.organisation)
    names = {o.id: o.name for o in store.stakeholders(ids=sorted(others))}
    interactions = store.interactions(stakeholder=s.id)
    return StakeholderProfile(
        stakeholder=s,
        organisation_name=names.get(s.organisation) if s.organisation else None,
        relationships=tuple(rels),
        interactions=tuple(reversed(interactions)),
        names=names,
    )


def _problem(column: str | None, message: str) -> RowProblem:
    """A problem of a record typed in: row 2 of a table of one, as the importer counts."""
    return RowProblem(2, f"{column}: {message}" if column else message, column=column)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, list | tuple | set | frozenset):
        return "|".join(str(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _one_row(ws: Workspace, kind: str, row: Mapping[str, str], what: str, action: str,
             *, mode: Literal["import", "new", "edit"] = "import") -> ImportResult:
    """Import one typed-in row; a bad value is one clear error without row numbers."""
    try:
        return import_rows(ws, kind, [row], source=what, action=action, subject=row["id"],
                           mode=mode)
    except ImportRejected as exc:
        reasons = "; ".join(p.message for p in exc.problems)
        raise InvalidInput(f"{what}: {reasons}", problems=exc.problems) from None


def _check_fields(fields: Mapping[str, Any]) -> None:
    unknown = sorted(set(fields) - set(STAKEHOLDER_FIELDS))
    if unknown:
        raise InvalidInput(f"unknown stakeholder field {', '.join(unknown)} "
                           f"(known: {', '.join(STAKEHOLDER_FIELDS)})",
                           problems=[_problem(f, "unknown stakeholder field") for f in unknown])


def add_stakeholder(ws: Workspace, *, name: str, id: str | None = None,
                    **fields: Any) -> Stakeholder:
    """Register a new stakeholder. Without an ``id`` one is made from the name
    (``Kari Ørsjødal`` → ``kari-orsjodal``, or ``kari-orsjodal-2`` if that is taken, even
    by someone of the same name). An ``id`` that exists, in any case, is refused: adding
    never changes a record. Values are checked as an imported row's are: roles and
    groups must be the plan's."""
    _check_fields(fields)
    row = {"id": id or "", "name": name, **{k: _cell(v) for k, v in fields.items()}}
    done = _one_row(ws, "stakeholders", row, f"stakeholder {id or slugify(name)}", "add",
                    mode="new")
    return ws.store.stakeholder(done.ids[0])


def edit_stakeholder(ws: Workspace, id: str, *, name: str | None = None,
                     clear: Iterable[str] = (), **fields: Any) -> Stakeholder:
    """Change the given fields of a stakeholder; ``clear`` names fields to empty. Lists
    (roles, groups, tags) given are replaced whole. Fields not named keep their values."""
    _check_fields(fields)
    cleared = list(clear)
    _check_fields(dict.fromkeys(cleared))
    current = ws.store.stakeholder(id)  # NotFound for an unknown id; found in any case
    both = sorted(set(cleared) & set(fields))
    if both:
        raise InvalidInput(f"both set and cleared: {', '.join(both)}",
                           problems=[_problem(f, "both set and cleared") for f in both])
    if not fields and not cleared and name is None:
        raise InvalidInput("nothing to change: give a field to set or to clear", field="clear",
                           problems=[_problem(None, "nothing to change")])
    if name is not None and not name.strip():
        raise InvalidInput(f"stakeholder {current.id}: name: empty; every stakeholder needs "
                           "a name", problems=[_problem("name", "empty")])
    # no name keeps the name stored when the edit is written, not the one read here
    row = {"id": current.id, "name": name or "",
           **{k: _cell(v) for k, v in fields.items()}, **dict.fromkeys(cleared, "")}
    _one_row(ws, "stakeholders", row, f"stakeholder {current.id}", "edit", mode="edit")
    return ws.store.stakeholder(current.id)


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
) -> Interaction:
    """Record one interaction, checked as an imported row is (kinds, channels, groups and
    commitments must be the plan's; participants and host registered stakeholders).
    Without an ``id`` it gets the next ``K<year>-<nnnn>``, chosen in the transaction that
    writes it; an ``id`` that exists, in any case, is refused."""
    try:
        day = (check_date(date, field="date") if isinstance(date, dt.date)
               else parse_date(date, field="date") if date else dt.date.today())
    except InvalidInput as exc:
        problem = RowProblem(2, str(exc), column="date")  # the message names the date
        raise InvalidInput(str(exc), field="date", problems=[problem]) from None
    people = list(participants)
    audience = list(groups)
    if not people and not audience:
        raise InvalidInput("say whom it reached: a stakeholder (participants) or an audience "
                           "(groups)", field="participants",
                           problems=[_problem("participants", "nobody reached")])
    row = {"id": id or "", "date": day.isoformat(), "kind": kind, "channel": channel or "",
           "participants": _cell(people), "groups": _cell(audience), "topic": topic or "",
           "commitments": _cell(list(commitments)), "host": host or "",
           "success": _cell(success), "notes": notes or ""}
    done = _one_row(ws, "interactions", row, f"interaction {id}" if id else "interaction",
                    "log", mode="new")
    found = ws.store.interactions(ids=list(done.ids))
    if not found:  # pragma: no cover - the import above wrote it
        raise NotFound(f"interaction {done.ids[0]} was not recorded")
    return found[0]

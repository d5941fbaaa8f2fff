"""Export stakeholders, relationships and interactions as CSV or JSON; and concerns,
tasks and clearances (:data:`FOLLOW_UP`), which are not imported back.

CSV files are what :mod:`interessent.importing` reads back, losslessly: English headers
in the column order of SPEC §4, comma-separated, UTF-8 with a byte-order mark (so Excel
opens æ, ø and å right), ``|`` between the values of a multi-valued cell, booleans
``true``/``false``, ISO dates, numbers as Python writes them. Exporting, importing into
an empty workspace with the same plan and exporting again gives the same bytes.

Formula injection
-----------------
A spreadsheet treats a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula, and a formula can run commands or leak data when a
colleague opens the file (CSV injection). So :func:`neutralise` puts an apostrophe in
front of such a cell, as OWASP advises: the spreadsheet then takes the cell as text
instead of a formula. :mod:`interessent.importing` removes exactly that apostrophe again,
so nothing is lost in a round trip.

A Norwegian phone number ``+47 912 34 567`` is such a cell. It is exported as
``'+47 912 34 567``; a spreadsheet shows it as text (Excel hides the apostrophe of a
cell typed that way; some programs show it), never as the sum ``+47 + …``, and importing
the file gives back ``+47 912 34 567`` unchanged. A cell that already begins with
apostrophes before such a character gets one more, so the rule can always be undone:
``'=x`` is exported as ``''=x`` and imported as ``'=x``.

JSON (a list of objects with the same keys; lists as arrays, ``null`` for no value) is
for programs, not spreadsheets, and is written as it is, unneutralised. Stakeholders in
JSON also carry ``opted_out`` and ``restricted``.

Restricted records
------------------
A stakeholder whose processing is restricted (GDPR art. 18, see
:func:`interessent.privacy.restrict`; erased people are restricted too) is left out of the
stakeholder export, and relationships touching one are left out of the relationship
export, and left out of the participants and host of exported interactions: an export
is processing, which a restriction forbids. Importing such a file back adds and updates,
never deletes, so the restricted records stay in the store untouched, and an interaction
it replaces keeps its restricted participants and host (see docs/privacy.md).

Write to a text stream opened with ``newline=""`` and ``encoding="utf-8"``; the CSV
starts with the byte-order mark character and ends lines with CRLF, as Excel expects.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal, TextIO

from .errors import InvalidInput
from .followup import clearances, concerns, tasks
from .importing import COLUMNS, FORMULA_TRIGGERS, Kind, parse_kind
from .privacy import restricted_ids

if TYPE_CHECKING:
    from .workspace import Workspace

__all__ = ["FOLLOW_UP", "FORMATS", "ExportFormat", "export", "export_records", "neutralise",
           "records"]

#: An export's format: CSV (the import format) or JSON.
ExportFormat = Literal["csv", "json"]
Format = ExportFormat  # its first name, kept for those who import it
FORMATS: tuple[ExportFormat, ...] = ("csv", "json")


#: What else exports, with its columns: concerns, tasks (open and done) and clearances,
#: by stable English keys. A restricted stakeholder is left out of them as above: not
#: among a concern's people, not a task's owner or person, not a clearance's giver.
FOLLOW_UP: dict[str, tuple[str, ...]] = {
    "concerns": ("id", "title", "raised_on", "raised_by", "interaction", "group", "groups",
                 "answer", "closed_on"),
    "tasks": ("id", "title", "due", "owner", "owner_kind", "stakeholder", "commitment",
              "event", "done_on", "interaction"),
    "clearances": ("at", "template", "topic", "signer_role", "signer", "cleared_by_role",
                   "cleared_by", "recorded_by"),
}


def neutralise(cell: str) -> str:
    """Make a CSV cell safe to open in a spreadsheet: a cell that would start a formula
    gets a leading apostrophe.

    >>> neutralise("+47 912 34 567")
    "'+47 912 34 567"
    >>> neutralise("Osen Sjømat AS")
    'Osen Sjømat AS'
    """
    if cell.lstrip("'")[:1] in FORMULA_TRIGGERS:
        return "'" + cell
    return cell


def export(ws: Workspace, kind: str, out: TextIO, *, fmt: ExportFormat = "csv") -> int:
    """Write all stakeholders, relationships, interactions, concerns, tasks or
    clearances to ``out`` as ``csv`` or ``json``; returns how many were written."""
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r} (expected csv or json)")
    if isinstance(kind, str) and kind.strip().lower() in FOLLOW_UP:
        found = _captured(ws, kind.strip().lower())
        if fmt == "csv":
            _write_csv(out, FOLLOW_UP[kind.strip().lower()], found)
        else:
            json.dump(found, out, ensure_ascii=False, indent=2)
            out.write("\n")
        return len(found)
    which = parse_kind(kind)
    if fmt == "csv":
        rows = records(ws, which)
        _write_csv(out, COLUMNS[which], rows)
        return len(rows)
    data = export_records(ws, which)
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")
    return len(data)


def export_records(ws: Workspace, kind: str) -> list[dict[str, Any]]:
    """Every stakeholder, relationship or interaction as plain data, in memory: what
    :func:`export` writes as JSON (stakeholders with ``opted_out`` and ``restricted``;
    restricted people left out, see above)."""
    return [{k: _json_value(v) for k, v in r.items()}
            for r in records(ws, kind, extra=True)]


def records(ws: Workspace, kind: str, *, extra: bool = False) -> list[dict[str, Any]]:
    """Every stakeholder, relationship or interaction as a dict keyed by the columns of
    SPEC §4 (with ``extra``, stakeholders also carry ``opted_out`` and ``restricted``).
    Restricted stakeholders and their relationships are left out (see above)."""
    which: Kind = parse_kind(kind)
    store = ws.store
    if which == "stakeholders":
        return [
            {
                "id": s.id, "name": s.name, "first_name": s.first_name, "kind": s.kind,
                "email": s.email,
                "phone": s.phone, "address": s.address, "organisation": s.organisation,
                "roles": s.roles, "groups": s.groups, "influence": s.influence,
                "interest": s.interest, "language": s.language,
                "legal_basis": s.legal_basis, "tags": s.tags, "notes": s.notes,
                **({"opted_out": s.opted_out, "restricted": s.restricted} if extra else {}),
            }
            for s in store.stakeholders()
            if not s.restricted
        ]
    if which == "relationships":
        hidden = restricted_ids(ws)
        return [
            {"source": r.source, "target": r.target, "kind": r.kind, "strength": r.strength,
             "directed": r.directed, "start": r.start, "end": r.end}
            for r in store.relationships()
            if r.source not in hidden and r.target not in hidden
        ]
    hidden = restricted_ids(ws)
    return [
        {"id": i.id, "date": i.date, "kind": i.kind, "channel": i.channel,
         "participants": tuple(p for p in i.participants if p not in hidden),
         "groups": i.groups, "topic": i.topic, "commitments": i.commitments,
         "host": None if i.host in hidden else i.host, "success": i.success,
         "notes": i.notes, "sentiment": i.sentiment,
         "outlet": None if i.outlet in hidden else i.outlet, "tone": i.tone,
         "story": i.story, "messages": i.messages}
        for i in store.interactions()
    ]


def _captured(ws: Workspace, kind: str) -> list[dict[str, Any]]:
    """Every concern, task or clearance as plain data, restricted people left out."""
    hidden = restricted_ids(ws)
    if kind == "concerns":
        return [{k: v for k, v in c.to_dict().items() if k in FOLLOW_UP["concerns"]}
                | {"raised_by": [p for p in c.raised_by if p not in hidden]}
                for c in concerns(ws)]
    if kind == "tasks":
        rows = []
        for t in tasks(ws, open_only=False):
            row = {k: v for k, v in t.to_dict().items() if k in FOLLOW_UP["tasks"]}
            if t.owner in hidden:
                row |= {"owner": None, "owner_kind": None}
            if t.stakeholder in hidden:
                row["stakeholder"] = None
            rows.append(row)
        return rows
    return [c.to_dict() | {"signer": None if c.signer in hidden else c.signer,
                           "cleared_by": None if c.cleared_by in hidden else c.cleared_by}
            for c in clearances(ws)]


def _write_csv(out: TextIO, columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> None:
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([neutralise(_csv_text(r[c])) for c in columns] for r in rows)


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, tuple | list):
        return "|".join(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value

"""One import, all or nothing: :func:`import_file`, :func:`import_rows` and what they
return, :class:`ImportResult`.

The header is matched, every row checked, and only then, in the same transaction, the
rows written and the import audited; a dry run checks in a read transaction and writes
nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from .._bulk import collector_paused
from ..errors import ImportRejected, InvalidInput, RowProblem
from ..i18n import gettext, ngettext
from ..privacy import audit_import, audit_tie
from ..store import INT
from .columns import Kind, parse_kind
from .job import Mode, Progress, _Checked, _Job
from .tables import Table, _columns, read_table
from .values import _Bad, cell_text

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..workspace import Workspace


@attrs.frozen
class ImportResult:
    """What an import did (or, ``dry_run``, would do)."""

    kind: str
    source: str
    rows: int
    added: int
    updated: int
    created_organisations: tuple[str, ...]
    encoding: str
    delimiter: str | None
    dry_run: bool
    ids: tuple[str, ...] = attrs.field(default=(), repr=False, eq=False)
    """The id of each stakeholder or interaction row, as stored (made from a name or
    numbered when the row had none); empty for relationships."""
    ties: tuple[tuple[str, str, str], ...] = attrs.field(default=(), repr=False, eq=False)
    """The (source, target, kind) of each relationship row, by the ids as stored."""
    left_out: tuple[int, ...] = attrs.field(default=(), repr=False, eq=False)
    """With ``source_keys``: the index of each row left out because its key was stored."""

    def to_dict(self) -> dict[str, Any]:
        """Plain data (the JSON of ``import --json``)."""
        return {"kind": self.kind, "source": self.source, "rows": self.rows,
                "added": self.added, "updated": self.updated,
                "created_organisations": list(self.created_organisations),
                "encoding": self.encoding, "delimiter": self.delimiter,
                "dry_run": self.dry_run, "ids": list(self.ids)}

    def summary(self) -> str:
        """One line for people: counts, what was created, how the file was read."""
        line = ngettext("{source}: {rows} row ({added} added, {updated} updated)",
                        "{source}: {rows} rows ({added} added, {updated} updated)",
                        self.rows).format(source=self.source, rows=self.rows,
                                          added=self.added, updated=self.updated)
        if self.created_organisations:
            n = len(self.created_organisations)
            line += ngettext(", {n} organisation created", ", {n} organisations created",
                             n).format(n=n)
        if self.encoding == "xlsx":
            line += gettext("; read from Excel")
        else:
            label = {"utf-8": "UTF-8", "utf-8-sig": gettext("UTF-8 with BOM"),
                     "cp1252": "Windows-1252 (cp1252)"}.get(self.encoding, self.encoding)
            sep = gettext("tab") if self.delimiter == "\t" else repr(self.delimiter)
            line += gettext("; read as {encoding}, {separator}-separated").format(
                encoding=label, separator=sep)
        if self.dry_run:
            line += gettext(" — dry run, nothing written")
        return line


#: The columns that name a relationship rather than describe it.
_TIE_KEY = frozenset(("source", "target", "kind"))


def import_file(
    ws: Workspace,
    kind: str,
    path: Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a CSV or XLSX file of ``kind`` into the workspace's store, all or nothing.

    ``progress(done, total)`` is called as the work advances: after each column is
    checked and when the rows are written. Each row counts twice in ``total``, once
    checked and once written, so ``done`` grows to ``total``.
    Raises :class:`~interessent.errors.ImportRejected` (nothing written) when a row is
    bad, :class:`~interessent.errors.InvalidInput` when the file cannot be read.
    """
    which = parse_kind(kind)
    path = Path(path)
    with collector_paused():
        return _import(ws, which, path, encoding, delimiter, dry_run, progress)


def _import(
    ws: Workspace,
    which: Kind,
    path: Path,
    encoding: str | None,
    delimiter: str | None,
    dry_run: bool,
    progress: Progress | None,
) -> ImportResult:
    source = path.name or str(path)
    table = read_table(path, encoding=encoding, delimiter=delimiter, kind=which)
    return _import_table(ws, which, table, source, dry_run, progress)


def import_rows(
    ws: Workspace,
    kind: str,
    rows: Sequence[Mapping[str, Any]],
    *,
    source: str = "(input)",
    dry_run: bool = False,
    action: str = "import",
    subject: str | None = None,
    mode: Mode = "import",
    source_keys: Sequence[str] | None = None,
) -> ImportResult:
    """Import rows given as mappings of column → value, with exactly the checks and the
    duplicate policy of a file (the columns are those of the first row). A value is the
    text of a cell or a Python value: an int or a whole float (``4.0``) for a number, a
    date, an enum, a bool, a list for a column of several values
    (:func:`.values.cell_text`); ``4.5`` where a whole number is due, an unknown group, a
    date outside the accepted range are refused as in a file.

    ``action`` and ``subject`` (the id of the one stakeholder or interaction the rows are
    about) label the audit entry, as :mod:`interessent.registry` does for add, edit, log;
    ``subject=""`` names the one row's id as it is chosen. ``mode="new"``: the rows must
    be new records: an id that exists (in any case) is a problem, never an update, and an
    id made from a name is one no stored stakeholder has. ``mode="edit"``: the rows change
    stakeholders that exist when the rows are written, and an empty name keeps theirs.

    ``source_keys`` (interactions, one per row: a hashed outside key such as a calendar
    occurrence's or a message's) makes the import idempotent: inside the writing
    transaction, a row whose key is stored already is left out (``rows - added`` of the
    result), and each row written stores its key in ``interactions.source_key``."""
    which = parse_kind(kind)
    if source_keys is not None and (which != "interactions" or len(source_keys) != len(rows)):
        raise InvalidInput("source_keys: one key per row, and only for interactions",
                           field="source_keys")
    headers = [str(h) for h in rows[0]] if rows else []
    texts, problems = _texts(rows, headers)
    table = Table(headers=headers, rows=texts, row_numbers=list(range(2, len(rows) + 2)),
                  encoding="utf-8", delimiter=None)
    return _import_table(ws, which, table, source, dry_run, None, action, subject, mode,
                         problems, source_keys)


def _texts(rows: Sequence[Mapping[str, Any]],
           headers: list[str]) -> tuple[list[list[str]], list[RowProblem]]:
    """Each row's cells as a file would hold them (:func:`.values.cell_text`), and the
    problems of the values no cell could hold (each such cell is left empty)."""
    problems: list[RowProblem] = []
    texts: list[list[str]] = []
    for number, row in enumerate(rows, start=2):
        cells: list[str] = []
        for header in headers:
            try:
                cells.append(cell_text(row.get(header), header))
            except _Bad as exc:
                problems.append(RowProblem(number, f"{header}: {exc}"))
                cells.append("")
        texts.append(cells)
    return texts, problems


def _import_table(
    ws: Workspace,
    which: Kind,
    table: Table,
    source: str,
    dry_run: bool,
    progress: Progress | None,
    action: str = "import",
    subject: str | None = None,
    mode: Mode = "import",
    problems: Sequence[RowProblem] = (),
    source_keys: Sequence[str] | None = None,
) -> ImportResult:
    cols, labels = _columns(table, which, source)
    given = len(table)
    left_out: tuple[int, ...] = ()
    plan = ws.plan
    store = ws.store
    job = _Job(table=table, cols=cols, labels=labels, plan=plan, store=store, source=source,
               progress=progress, total=2 * len(table), mode=mode, problems=list(problems))
    check: dict[Kind, Callable[[Session], _Checked]] = {
        "stakeholders": job.stakeholders,
        "relationships": job.relationships,
        "interactions": job.interactions,
    }
    opened = store.read() if dry_run else store.write()
    with opened as s:
        if not dry_run:  # ids are chosen and checked below: no other writer of them now
            store.take_turn(s, which)
        if source_keys is not None:  # read after take_turn: no other writer adds keys now
            job.table, job.source_keys, left_out = _new_rows(s, table, source_keys)
            job.total = 2 * len(job.table)
        checked = (check[which](s) if len(job.table) or source_keys is None
                   else _Checked(0, 0, lambda s: None))
        if job.problems:
            raise ImportRejected(source, sorted(job.problems, key=lambda p: p.row))
        if not dry_run and len(job.table):
            if subject == "" and checked.ids:
                subject = checked.ids[0]
            checked.write(s)
            if which == "relationships" and subject is not None and len(checked.ties) == 1:
                audit_tie(store, s, action=action, tie=checked.ties[0],
                          detail={"columns": sorted(c for c in cols if c not in _TIE_KEY)})
            else:
                audit_import(store, s, which, source=source, action=action, subject=subject,
                             rows=len(table), added=checked.added, updated=checked.updated,
                             columns=list(cols))
    job.tick(job.total)
    return ImportResult(
        kind=which, source=source, rows=given, added=checked.added,
        updated=checked.updated, created_organisations=checked.created,
        encoding=table.encoding, delimiter=table.delimiter, dry_run=dry_run, ids=checked.ids,
        ties=checked.ties, left_out=left_out,
    )


def _new_rows(s: Session, table: Table, source_keys: Sequence[str],
              ) -> tuple[Table, list[str | None], tuple[int, ...]]:
    """The rows of ``table`` whose source key is not stored yet, their keys, and the
    index of each row left out."""
    from sqlalchemy import select

    stored: set[str] = set()
    unique = sorted(set(source_keys))
    for start in range(0, len(unique), 500):
        stored.update(s.execute(select(INT.c.source_key).where(
            INT.c.source_key.in_(unique[start:start + 500]))).scalars())
    keep = [n for n, key in enumerate(source_keys) if key not in stored]
    if len(keep) == len(source_keys):
        return table, list(source_keys), ()
    return (attrs.evolve(table, rows=[table.rows[n] for n in keep],
                         row_numbers=[table.row_numbers[n] for n in keep]),
            [source_keys[n] for n in keep],
            tuple(n for n, key in enumerate(source_keys) if key in stored))

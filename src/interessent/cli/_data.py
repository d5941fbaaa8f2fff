"""import and export."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

import click

from ._context import Context, pass_context

KINDS = ("stakeholders", "relationships", "interactions")
_PROGRESS_FROM = 500


@click.command("import")
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--encoding", help="Read the file in this encoding (default: detect UTF-8/cp1252).")
@click.option("--delimiter", help="Column separator: ',', ';', tab (default: detect).")
@click.option("--dry-run", is_flag=True, help="Check the whole file, write nothing.")
@pass_context
def import_(
    context: Context, kind: str, file: Path, encoding: str | None, delimiter: str | None,
    dry_run: bool,
) -> None:
    """Import stakeholders, relationships or interactions from a CSV or XLSX FILE.

    Rows are matched by id (stakeholders, interactions) or by source, target and kind
    (relationships): new ones are added, existing ones updated. A file with any bad row
    is rejected whole, every bad row named, and nothing is written.
    """
    from ..importing import import_file

    ws = context.workspace
    bar: list[object] = []

    def progress(done: int, total: int) -> None:
        if total < _PROGRESS_FROM:
            return
        if not bar:
            bar.append(click.progressbar(length=total, label=f"{kind}", file=sys.stderr))
            bar[0].__enter__()  # type: ignore[attr-defined]
        pb = bar[0]
        pb.update(done - pb.pos)  # type: ignore[attr-defined]

    try:
        result = import_file(ws, kind, file, encoding=encoding, delimiter=delimiter,
                             dry_run=dry_run, progress=progress)
    finally:
        if bar:
            bar[0].__exit__(None, None, None)  # type: ignore[attr-defined]
    click.echo(result.summary())


@click.command("export")
@click.argument("kind", type=click.Choice(KINDS))
@click.option("--format", "fmt", type=click.Choice(("csv", "json")), default="csv",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write to this file instead of standard output.")
@pass_context
def export_(context: Context, kind: str, fmt: str, out: Path | None) -> None:
    """Export stakeholders, relationships or interactions as CSV or JSON.

    The CSV is the import format (and safe to open in Excel): export, edit, import back.
    """
    from ..exporting import export

    ws = context.workspace
    if out is None:
        export(ws, kind, fmt, sys.stdout)  # type: ignore[arg-type]
        return
    from ..files import write_atomically

    def write(stream: TextIO) -> int:
        return export(ws, kind, fmt, stream)  # type: ignore[arg-type]

    count = write_atomically(out, write)
    click.echo(f"Wrote {count} {kind} to {out}", err=True)


COMMANDS = [import_, export_]

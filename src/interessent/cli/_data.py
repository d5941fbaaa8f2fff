"""import and export."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, cast

import click

import interessent

from ..i18n import N_, gettext
from ._context import Context, pass_context
from ._options import as_of_day, as_of_option
from ._output import ProgressBar, echo

if TYPE_CHECKING:
    from ..exporting import ExportFormat
    from ..graph import GraphFormat

KINDS = ("stakeholders", "relationships", "interactions")
#: What ``import`` reads besides tables: contacts from a calendar or from mail.
CAPTURED = ("calendar", "mail")
#: Files with more rows than this show a progress bar (on a terminal).
PROGRESS_ROWS = 500
#: What ``export --out`` says it wrote, per kind.
_WROTE = {"stakeholders": N_("Wrote {count} stakeholders to {out}"),
          "relationships": N_("Wrote {count} relationships to {out}"),
          "interactions": N_("Wrote {count} interactions to {out}"),
          "concerns": N_("Wrote {count} concerns to {out}"),
          "tasks": N_("Wrote {count} tasks to {out}"),
          "clearances": N_("Wrote {count} clearances to {out}")}
#: What ``export`` writes besides the tables ``import`` reads back.
FOLLOW_UP = ("concerns", "tasks", "clearances")


@click.command("import", help=N_(
    "Import stakeholders, relationships or interactions from a CSV or XLSX FILE, or log\n"
    "the contacts of a calendar (an .ics FILE) or of mail (an .eml or .mbox FILE, or a\n"
    "folder of them).\n\n"
    "Rows are matched by id (stakeholders, interactions) or by source, target and kind\n"
    "(relationships): new ones are added, existing ones updated. A file with any bad row\n"
    "is rejected whole, every bad row named, and nothing is written.\n\n"
    "A calendar logs one interaction per occurrence up to --as-of, mail one per message,\n"
    "with the registered people outside the programme; importing again adds nothing."))
@click.argument("kind", type=click.Choice((*KINDS, *CAPTURED)))
@click.argument("file", type=click.Path(path_type=Path), metavar="FILE")  # folders: the library
@click.option("--encoding",
              help=N_("Read the file in this encoding (default: detect UTF-8/cp1252)."))
@click.option("--delimiter", help=N_("Column separator: ',', ';', tab (default: detect)."))
@as_of_option(N_("Calendar: expand recurring events up to this day (default today)."))
@click.option("--bodies", is_flag=True,
              help=N_("Mail: store each message's plain-text body in the notes (default: "
                      "only the subject)."))
@click.option("--dry-run", is_flag=True, help=N_("Check the whole file, write nothing."))
@click.option("--json", "as_json", is_flag=True,
              help=N_("Print the result as JSON (counts, how the file was read, the ids)."))
@pass_context
def import_(
    context: Context, kind: str, file: Path, encoding: str | None, delimiter: str | None,
    as_of: str | None, bodies: bool, dry_run: bool, as_json: bool,
) -> None:
    ws = context.workspace
    _options_fit(kind, encoding=encoding, delimiter=delimiter, as_of=as_of, bodies=bodies)
    if kind in CAPTURED:
        captured = (interessent.import_calendar(ws, file, as_of=as_of_day(as_of),
                                                dry_run=dry_run) if kind == "calendar"
                    else interessent.import_mail(ws, file, dry_run=dry_run, bodies=bodies))
        if as_json:
            click.echo(json.dumps(captured.to_dict(), ensure_ascii=False, indent=2))
            return
        echo(captured.summary())
        return
    # The importer counts each row twice (checked, then written).
    label = (gettext("Checking {file}") if dry_run else gettext("Importing {file}")).format(
        file=file.name)
    with ProgressBar(label, more_than=2 * PROGRESS_ROWS) as progress:
        result = interessent.import_file(ws, kind, file, encoding=encoding,
                                         delimiter=delimiter, dry_run=dry_run,
                                         progress=progress)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    echo(result.summary())


def _options_fit(kind: str, **given: object) -> None:
    """Refuse an option the kind of import has no use for."""
    used = {"calendar": ("as_of",), "mail": ("bodies",)}.get(kind, ("encoding", "delimiter"))
    wrong = [name for name, value in given.items() if value and name not in used]
    if wrong:
        option = "--" + wrong[0].replace("_", "-")
        raise click.UsageError(gettext("{option} does not apply to import {kind}").format(
            option=option, kind=kind))


@click.command("export", help=N_(
    "Export stakeholders, relationships, interactions, concerns, tasks, clearances (CSV,\n"
    "JSON) or the graph (GraphML, GEXF for Gephi).\n\n"
    "The CSV is the import format (and safe to open in Excel): export, edit, import back."))
@click.argument("kind", type=click.Choice((*KINDS, *FOLLOW_UP, "graph")))
@click.option("--format", "fmt", type=click.Choice(("csv", "json", "graphml", "gexf")),
              help=N_("csv or json for the register (default csv); graphml or gexf for the "
              "graph (default graphml)."))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help=N_("Write to this file instead of standard output."))
@as_of_option(N_("For the graph: ties active that day."))
@pass_context
def export_(context: Context, kind: str, fmt: str | None, out: Path | None,
            as_of: str | None) -> None:
    from ..files import write_atomically

    ws = context.workspace
    if kind == "graph":
        if fmt not in (None, "graphml", "gexf"):
            raise click.UsageError(gettext("the graph exports as graphml or gexf"))
        day = as_of_day(as_of)
        graph_format: GraphFormat = "gexf" if fmt == "gexf" else "graphml"
        if out is None:
            interessent.write_graph(ws, sys.stdout.buffer, fmt=graph_format, as_of=day)
            return
        buffer = io.BytesIO()
        nodes = interessent.write_graph(ws, buffer, fmt=graph_format, as_of=day)
        write_atomically(out, lambda stream: stream.write(buffer.getvalue().decode("utf-8")))
        click.echo(gettext(_WROTE["stakeholders"]).format(count=nodes, out=out), err=True)
        return
    if fmt not in (None, "csv", "json"):
        raise click.UsageError(gettext("{kind} export as csv or json").format(kind=kind))
    chosen = cast("ExportFormat", fmt or "csv")
    if out is None:
        interessent.export(ws, kind, sys.stdout, fmt=chosen)
        return

    def write(stream: TextIO) -> int:
        return interessent.export(ws, kind, stream, fmt=chosen)

    count = write_atomically(out, write)
    click.echo(gettext(_WROTE[kind]).format(count=count, out=out), err=True)


COMMANDS = [import_, export_]

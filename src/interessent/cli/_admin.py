"""backup."""

from __future__ import annotations

from pathlib import Path

import click

import interessent

from ..i18n import N_, gettext
from ._context import Context, pass_context


@click.command(help=N_(
    "Copy the workspace's SQLite database to FILE while others keep working.\n\n"
    "The copy is one consistent snapshot (SQLite's online backup API), checked with an\n"
    "integrity check before it gets its name, so FILE is a whole, sound database or not\n"
    "there. On PostgreSQL this exits 1 and shows the pg_dump command to use instead."))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help=N_("Replace FILE if it exists."))
@pass_context
def backup(context: Context, file: Path, force: bool) -> None:
    copy = interessent.backup(context.workspace, file, force=force)
    click.echo(gettext(
        "Backed up to {path}: {stakeholders} stakeholders, {relationships} relationships, "
        "{interactions} interactions; integrity check ok.").format(
        path=copy.path, stakeholders=copy.stakeholders, relationships=copy.relationships,
        interactions=copy.interactions))


COMMANDS = [backup]

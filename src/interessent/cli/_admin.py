"""backup."""

from __future__ import annotations

from pathlib import Path

import click

import interessent

from ._context import Context, pass_context


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@pass_context
def backup(context: Context, file: Path, force: bool) -> None:
    """Copy the workspace's SQLite database to FILE while others keep working.

    The copy is one consistent snapshot (SQLite's online backup API), checked with an
    integrity check before it gets its name, so FILE is a whole, sound database or not
    there. On PostgreSQL this exits 1 and shows the pg_dump command to use instead.
    """
    copy = interessent.backup(context.workspace, file, force=force)
    click.echo(
        f"Backed up to {copy.path}: {copy.stakeholders} stakeholders, "
        f"{copy.relationships} relationships, {copy.interactions} interactions; "
        "integrity check ok."
    )


COMMANDS = [backup]

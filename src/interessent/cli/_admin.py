"""backup."""

from __future__ import annotations

from pathlib import Path

import click

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
    from ..store import Store

    path = context.workspace.store.backup(file, force=force)
    with Store.for_path(path, upgrade=False) as copy:
        counts = copy.counts()
    click.echo(
        f"Backed up to {path}: {counts['stakeholders']} stakeholders, "
        f"{counts['relationships']} relationships, {counts['interactions']} interactions; "
        "integrity check ok."
    )


COMMANDS = [backup]

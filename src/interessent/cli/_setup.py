"""init and plan check."""

from __future__ import annotations

from pathlib import Path

import click

import interessent

from ._context import Context, pass_context


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--example", metavar="NAME", help="Start from a bundled example (osen).")
@click.option(
    "--from", "source", type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Start from any folder laid out like an example.",
)
@pass_context
def init(context: Context, directory: Path, example: str | None, source: Path | None) -> None:
    """Make a workspace in DIRECTORY.

    Without options: an empty workspace with a minimal valid plan to edit. With
    --example osen: the full Osen workspace, its stakeholders, relationships and a
    year of interactions loaded.
    """
    ws = interessent.init_workspace(
        directory, example=example, source=source, db=context.db,
        progress=lambda line: click.echo(f"  {line}", err=True),
        actor=context.actor, busy_timeout_ms=context.busy_timeout_ms,
    )
    counts = ws.store.counts()
    ws.close()
    click.echo(
        f"Made workspace {ws.root}: {counts['stakeholders']} stakeholders, "
        f"{counts['relationships']} relationships, {counts['interactions']} interactions."
    )


@click.group()
def plan() -> None:
    """Check and inspect the plan (interessent.toml)."""


@plan.command("check")
@pass_context
def plan_check(context: Context) -> None:
    """Validate the plan; every problem is named with its key path and line."""
    report = interessent.check_plan(context.workspace)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(report.summary())


COMMANDS = [init, plan]

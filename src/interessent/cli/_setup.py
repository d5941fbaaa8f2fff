"""init and plan check."""

from __future__ import annotations

from pathlib import Path

import click

import interessent

from ..i18n import N_, gettext
from ._context import Context, pass_context


@click.command(help=N_(
    "Make a workspace in DIRECTORY.\n\n"
    "Without options: an empty workspace with a minimal valid plan to edit. With\n"
    "--example osen: the full Osen workspace, its stakeholders, relationships and a\n"
    "year of interactions loaded."))
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--example", metavar="NAME", help=N_("Start from a bundled example (osen)."))
@click.option(
    "--from", "source", type=click.Path(file_okay=False, exists=True, path_type=Path),
    help=N_("Start from any folder laid out like an example."),
)
@pass_context
def init(context: Context, directory: Path, example: str | None, source: Path | None) -> None:
    ws = interessent.init_workspace(
        directory, example=example, source=source, db=context.db,
        progress=lambda line: click.echo(f"  {line}", err=True),
        actor=context.actor, busy_timeout_ms=context.busy_timeout_ms,
    )
    counts = ws.store.counts()
    ws.close()
    click.echo(gettext(
        "Made workspace {root}: {stakeholders} stakeholders, {relationships} relationships, "
        "{interactions} interactions.").format(root=ws.root, **counts))


@click.group(help=N_("Check and inspect the plan (interessent.toml)."))
def plan() -> None:
    pass


@plan.command("check", help=N_(
    "Validate the plan; every problem is named with its key path and line."))
@pass_context
def plan_check(context: Context) -> None:
    report = interessent.check_plan(context.workspace)
    for warning in report.warnings:
        click.echo(gettext("warning: {warning}").format(warning=warning), err=True)
    click.echo(report.summary())


COMMANDS = [init, plan]

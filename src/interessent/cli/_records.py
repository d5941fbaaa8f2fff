"""relationship add|edit|remove and interaction edit|remove: ties registered and logged
interactions, corrected or taken back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

import interessent

from ._context import Context, pass_context
from ._output import echo

if TYPE_CHECKING:
    from ..model import Interaction, Relationship


def _tie(r: Relationship) -> str:
    arrow = "→" if r.directed else "↔"
    when = "" if r.start is None and r.end is None else (
        f", {r.start.isoformat() if r.start else '…'} to {r.end.isoformat() if r.end else '…'}")
    return f"{r.source} {arrow} {r.target} ({r.kind}, strength {r.strength:.2f}{when})"


def _given(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v not in (None, ())}


@click.group()
def relationship() -> None:
    """Add, correct and remove ties between stakeholders."""


def _tie_options(f: Any) -> Any:
    options = [
        click.option("--strength", metavar="0..1",
                     help="How strong the tie is, from 0 to 1 (default 1)."),
        click.option("--directed/--undirected", "directed", default=None,
                     help="Read source → target, or both ways (default: as the kind)."),
        click.option("--start", metavar="DATE", help="The first day of the tie (YYYY-MM-DD)."),
        click.option("--end", metavar="DATE", help="The last day of the tie (YYYY-MM-DD)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


@relationship.command("add")
@click.argument("source")
@click.argument("target")
@click.argument("kind")
@_tie_options
@pass_context
def relationship_add(context: Context, /, source: str, target: str, kind: str,
                     **fields: Any) -> None:
    """Register a tie of KIND from SOURCE to TARGET (ids, or unique names).

    \b
    interessent relationship add bodil-haugen osen-sjomat knows --start 2021-08-01
    """
    added = interessent.add_relationship(context.workspace, source=source, target=target,
                                         kind=kind, **_given(fields))
    echo(f"Added {_tie(added)}")


@relationship.command("edit")
@click.argument("source")
@click.argument("target")
@click.argument("kind")
@_tie_options
@click.option("--clear", "clear", multiple=True, metavar="FIELD",
              help="Empty this field (repeatable): strength, directed, start or end.")
@pass_context
def relationship_edit(context: Context, /, source: str, target: str, kind: str,
                      clear: tuple[str, ...], **fields: Any) -> None:
    """Change the tie of KIND from SOURCE to TARGET; fields not given keep their values."""
    changed = interessent.edit_relationship(context.workspace, source=source, target=target,
                                            kind=kind, clear=clear, **_given(fields))
    echo(f"Updated {_tie(changed)}")


@relationship.command("remove")
@click.argument("source")
@click.argument("target")
@click.argument("kind")
@pass_context
def relationship_remove(context: Context, source: str, target: str, kind: str) -> None:
    """Remove the tie of KIND from SOURCE to TARGET (ids)."""
    removed = interessent.remove_relationship(context.workspace, source=source, target=target,
                                              kind=kind)
    echo(f"Removed {_tie(removed)}")


@click.group()
def interaction() -> None:
    """Correct or remove a logged interaction (log one with `interessent log`)."""


def _logged(i: Interaction) -> str:
    reached = len(i.participants)
    return (f"{i.id}: {i.kind} on {i.date.isoformat()}, {reached} participant"
            f"{'s' if reached != 1 else ''}"
            + (f", groups {', '.join(i.groups)}" if i.groups else ""))


@interaction.command("edit")
@click.argument("id")
@click.option("--date", metavar="DATE", help="When (YYYY-MM-DD).")
@click.option("--kind", help="The interaction kind (meeting, letter …).")
@click.option("--with", "participants", multiple=True, metavar="ID",
              help="A participant (repeatable; replaces the participants).")
@click.option("--group", "groups", multiple=True,
              help="An audience group (repeatable; replaces the groups).")
@click.option("--channel", help="The plan's channel key.")
@click.option("--topic")
@click.option("--commitment", "commitments", multiple=True, metavar="ID",
              help="A commitment it fulfils (repeatable; replaces the commitments).")
@click.option("--host", help="The stakeholder that hosted it.")
@click.option("--success/--no-success", "success", default=None,
              help="Whether it is a success story.")
@click.option("--notes")
@click.option("--clear", "clear", multiple=True, metavar="FIELD",
              help="Empty this field (repeatable), e.g. --clear topic.")
@pass_context
def interaction_edit(context: Context, /, id: str, clear: tuple[str, ...],
                     **fields: Any) -> None:
    """Change fields of interaction ID; fields not given keep their values."""
    changed = interessent.edit_interaction(context.workspace, id, clear=clear, **_given(fields))
    echo(f"Updated {_logged(changed)}")


@interaction.command("remove")
@click.argument("id")
@pass_context
def interaction_remove(context: Context, id: str) -> None:
    """Remove interaction ID with its participants, groups and commitments."""
    removed = interessent.remove_interaction(context.workspace, id)
    echo(f"Removed {_logged(removed)}")


COMMANDS = [relationship, interaction]

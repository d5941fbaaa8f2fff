"""relationship add|edit|remove and interaction edit|remove: ties registered and logged
interactions, corrected or taken back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

import interessent

from ..i18n import N_, gettext, kind_word, localized, ngettext
from ._context import Context, pass_context
from ._options import media_options, sentiment_option
from ._output import echo

if TYPE_CHECKING:
    from ..model import Interaction, Relationship


def _tie(r: Relationship) -> str:
    arrow = "→" if r.directed else "↔"
    if r.start is None and r.end is None:
        return gettext("{source} {arrow} {target} ({kind}, strength {strength:.2f})").format(
            source=r.source, arrow=arrow, target=r.target, kind=r.kind, strength=r.strength)
    return gettext(
        "{source} {arrow} {target} ({kind}, strength {strength:.2f}, {start} to {end})").format(
        source=r.source, arrow=arrow, target=r.target, kind=r.kind, strength=r.strength,
        start=r.start.isoformat() if r.start else "…", end=r.end.isoformat() if r.end else "…")


def _given(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v not in (None, ())}


@click.group(help=N_("Add, correct and remove ties between stakeholders."))
def relationship() -> None:
    pass


def _tie_options(f: Any) -> Any:
    options = [
        click.option("--strength", metavar="0..1",
                     help=N_("How strong the tie is, from 0 to 1 (default 1).")),
        click.option("--directed/--undirected", "directed", default=None,
                     help=N_("Read source → target, or both ways (default: as the kind).")),
        click.option("--start", metavar="DATE", help=N_("The first day of the tie (YYYY-MM-DD).")),
        click.option("--end", metavar="DATE", help=N_("The last day of the tie (YYYY-MM-DD).")),
    ]
    for option in reversed(options):
        f = option(f)
    return f


@relationship.command("add", help=N_(
    "Register a tie of KIND from SOURCE to TARGET (ids, or unique names).\n\n"
    "\b\n"
    "interessent relationship add bodil-haugen osen-sjomat knows --start 2021-08-01"))
@click.argument("source")
@click.argument("target")
@click.argument("kind")
@_tie_options
@pass_context
def relationship_add(context: Context, /, source: str, target: str, kind: str,
                     **fields: Any) -> None:
    added = interessent.add_relationship(context.workspace, source=source, target=target,
                                         kind=kind, **_given(fields))
    echo(gettext("Added {what}").format(what=_tie(added)))


@relationship.command("edit", help=N_(
    "Change the tie of KIND from SOURCE to TARGET; fields not given keep their values."))
@click.argument("source")
@click.argument("target")
@click.argument("kind")
@_tie_options
@click.option("--clear", "clear", multiple=True, metavar="FIELD",
              help=N_("Empty this field (repeatable): strength, directed, start or end."))
@pass_context
def relationship_edit(context: Context, /, source: str, target: str, kind: str,
                      clear: tuple[str, ...], **fields: Any) -> None:
    changed = interessent.edit_relationship(context.workspace, source=source, target=target,
                                            kind=kind, clear=clear, **_given(fields))
    echo(gettext("Updated {what}").format(what=_tie(changed)))


@relationship.command("remove", help=N_("Remove the tie of KIND from SOURCE to TARGET (ids)."))
@click.argument("source")
@click.argument("target")
@click.argument("kind")
@pass_context
def relationship_remove(context: Context, source: str, target: str, kind: str) -> None:
    removed = interessent.remove_relationship(context.workspace, source=source, target=target,
                                              kind=kind)
    echo(gettext("Removed {what}").format(what=_tie(removed)))


@click.group(help=N_(
    "Correct or remove a logged interaction (log one with `interessent log`)."))
def interaction() -> None:
    pass


def _logged(context: Context, i: Interaction) -> str:
    """The interaction in a line people read: its kind in words, its groups by name."""
    plan = context.workspace.plan
    reached = len(i.participants)
    said = ngettext("{id}: {kind} on {day}, {count} participant",
                    "{id}: {kind} on {day}, {count} participants", reached).format(
        id=i.id, kind=kind_word(i.kind, plan.all_interaction_kinds), day=i.date.isoformat(),
        count=reached)
    if i.groups:
        named = {g.key: localized(g.name) for g in plan.groups}
        said += gettext(", groups {groups}").format(
            groups=", ".join(named.get(k, k) for k in i.groups))
    return said


@interaction.command("edit", help=N_(
    "Change fields of interaction ID; fields not given keep their values."))
@click.argument("id")
@click.option("--date", metavar="DATE", help=N_("When (YYYY-MM-DD)."))
@click.option("--kind", help=N_("The interaction kind (meeting, letter …)."))
@click.option("--with", "participants", multiple=True, metavar="ID",
              help=N_("A participant (repeatable; replaces the participants)."))
@click.option("--group", "groups", multiple=True,
              help=N_("An audience group (repeatable; replaces the groups)."))
@click.option("--channel", help=N_("The plan's channel key."))
@click.option("--topic", help=N_("What it was about."))
@click.option("--commitment", "commitments", multiple=True, metavar="ID",
              help=N_("A commitment it fulfils (repeatable; replaces the commitments)."))
@click.option("--host", help=N_("The stakeholder that hosted it."))
@click.option("--success/--no-success", "success", default=None,
              help=N_("Whether it is a success story."))
@click.option("--notes", help=N_("Notes for the programme's own use."))
@sentiment_option
@media_options(replaces=True)
@click.option("--clear", "clear", multiple=True, metavar="FIELD",
              help=N_("Empty this field (repeatable), e.g. --clear topic."))
@pass_context
def interaction_edit(context: Context, /, id: str, clear: tuple[str, ...],
                     **fields: Any) -> None:
    changed = interessent.edit_interaction(context.workspace, id, clear=clear, **_given(fields))
    echo(gettext("Updated {what}").format(what=_logged(context, changed)))


@interaction.command("remove", help=N_(
    "Remove interaction ID with its participants, groups and commitments."))
@click.argument("id")
@pass_context
def interaction_remove(context: Context, id: str) -> None:
    removed = interessent.remove_interaction(context.workspace, id)
    echo(gettext("Removed {what}").format(what=_logged(context, removed)))


COMMANDS = [relationship, interaction]

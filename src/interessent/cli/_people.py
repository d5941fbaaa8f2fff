"""stakeholder add|list|show|edit and log."""

from __future__ import annotations

from typing import Any

import click

import interessent

from ..i18n import N_, gettext, kind_word, localized, pgettext, stance_word
from ._context import Context, pass_context
from ._language import headers
from ._options import Count, format_option, media_options, sentiment_option
from ._output import echo, emit

_LIST_COLUMNS = ["id", "name", "kind", "organisation", "roles", "groups", "influence",
                 "interest", "language"]


@click.group(help=N_("Register, list, show and edit stakeholders."))
def stakeholder() -> None:
    pass


@stakeholder.command("list", help=N_(
    "List stakeholders (members of a group include those its rule selects)."))
@click.option("--group", "-g", help=N_("Only members of this target group (key)."))
@click.option("--role", help=N_("Only holders of this role (key)."))
@click.option("--tag", help=N_("Only those with this tag."))
@click.option("--search", "-s", help=N_("Only those whose name or id contains this text."))
@format_option
@pass_context
def stakeholder_list(
    context: Context, group: str | None, role: str | None, tag: str | None,
    search: str | None, fmt: str,
) -> None:
    found = interessent.find_stakeholders(context.workspace, group=group, role=role, tag=tag,
                                          search=search)
    rows = [s.to_dict() for s in found]
    if fmt == "table":  # words and names for people; JSON and CSV keep the keys and ids
        # (--group and --role take keys: the plan's, which `coverage` lists for groups)
        plan = context.workspace.plan
        roles = {r.key: localized(r.name) for r in plan.roles}
        groups = {g.key: localized(g.name) for g in plan.groups}
        names = {s.id: s.name for s in found}
        missing = sorted({s.organisation for s in found if s.organisation} - set(names))
        if missing:
            names |= {s.id: s.name for s in context.workspace.store.stakeholders(ids=missing)}
        rows = [{**r, "kind": pgettext("stakeholder", r["kind"]),
                 "organisation": names.get(r["organisation"], r["organisation"])
                 if r["organisation"] else r["organisation"],
                 "roles": [roles.get(k, k) for k in r["roles"]],
                 "groups": [groups.get(k, k) for k in r["groups"]]} for r in rows]
    emit(rows, _LIST_COLUMNS, fmt, headers=headers(_LIST_COLUMNS),
         empty=N_("no stakeholders match"))


@stakeholder.command("show", help=N_(
    "Show one stakeholder with relationships and recent interactions."))
@click.argument("id")
@format_option
@pass_context
def stakeholder_show(context: Context, id: str, fmt: str) -> None:
    profile = interessent.stakeholder_profile(context.workspace, id)
    if fmt != "table":
        data = profile.to_dict()
        emit([data], list(data), fmt)
        return
    for line in profile.lines():
        echo(line)


def _stakeholder_options(f: Any) -> Any:
    options = [
        click.option("--first-name", help=N_(
            "The name a letter greets a person by (default: every name but the last).")),
        click.option("--kind", type=click.Choice(("person", "organisation")),
                     help=N_("A person or an organisation (default: person).")),
        click.option("--email", help=N_("The e-mail address.")),
        click.option("--phone", help=N_("The telephone number.")),
        click.option("--address", help=N_("The postal address.")),
        click.option("--organisation", help=N_("The organisation's id or name.")),
        click.option("--role", "roles", multiple=True, help=N_("A role key (repeatable).")),
        click.option("--group", "groups", multiple=True, help=N_("A target group (repeatable).")),
        click.option("--influence", type=Count(1, 5),
                     help=N_("How much influence they have, 1 (little) to 5 (much).")),
        click.option("--interest", type=Count(1, 5),
                     help=N_("How much interest they take, 1 (little) to 5 (much).")),
        click.option("--language", type=click.Choice(("nb", "nn", "en")),
                     help=N_("The language their letters are written in.")),
        click.option("--legal-basis", help=N_(
            "The GDPR legal basis for holding their data (samtykke, avtale, rettslig "
            "forpliktelse, vitale interesser, offentlig myndighetsutøvelse, berettiget "
            "interesse).")),
        click.option("--tag", "tags", multiple=True, help=N_("A tag (repeatable).")),
        click.option("--notes", help=N_("Notes for the programme's own use.")),
    ]
    for option in reversed(options):
        f = option(f)
    return f


@stakeholder.command("add", help=N_("Register a new stakeholder called NAME."))
@click.argument("name")
@click.option("--id", "id_", help=N_("A stable id (default: derived from the name)."))
@_stakeholder_options
@pass_context
def stakeholder_add(context: Context, /, name: str, id_: str | None, **fields: Any) -> None:
    values = {k: v for k, v in fields.items() if v not in (None, ())}
    added = interessent.add_stakeholder(context.workspace, name=name, id=id_, **values)
    echo(gettext("Added {id} ({name})").format(id=added.id, name=added.name))


@stakeholder.command("edit", help=N_(
    "Change fields of stakeholder ID; repeatable options replace the whole list."))
@click.argument("id")
@click.option("--name", help=N_("The new name."))
@_stakeholder_options
@click.option("--clear", "clear", multiple=True, metavar="FIELD",
              help=N_("Empty this field (repeatable), e.g. --clear email."))
@click.option("--stance", metavar="STANCE", help=N_(
    "Where they stand on the programme's goals: support, neutral or oppose; recorded with "
    "its history (the stances before are kept)."))
@click.option("--stance-since", metavar="DATE",
              help=N_("The day the stance holds from (default today)."))
@pass_context
def stakeholder_edit(context: Context, /, id: str, clear: tuple[str, ...], stance: str | None,
                     stance_since: str | None, **fields: Any) -> None:
    values = {k: v for k, v in fields.items() if v not in (None, ())}
    if stance is not None and not values and not clear:  # only the stance: say it
        record = interessent.set_stance(context.workspace, id, stance=stance, since=stance_since)
        echo(gettext("{id} {stance} since {day}").format(
            id=record.stakeholder, stance=stance_word(record.stance),
            day=record.since.isoformat()))
        return
    changed = interessent.edit_stakeholder(context.workspace, id, clear=clear, stance=stance,
                                           stance_since=stance_since, **values)
    echo(gettext("Updated {id} ({name})").format(id=changed.id, name=changed.name))


@click.command("log", help=N_(
    "Record an interaction of KIND (meeting, letter, article, board_meeting …).\n\n"
    "\b\n"
    "interessent log meeting --with bodil-haugen --channel direkte --commitment B5 \\\n"
    "    --topic \"Dialogmøte om sjømatnæringa\""))
@click.argument("kind")
@click.option("--date", "date", help=N_("When (YYYY-MM-DD, default today)."))
@click.option("--with", "participants", multiple=True, metavar="ID",
              help=N_("A participant reached directly (repeatable)."))
@click.option("--group", "groups", multiple=True, help=N_("An audience group (repeatable)."))
@click.option("--channel", help=N_("The plan's channel key."))
@click.option("--topic", help=N_("What it was about."))
@click.option("--commitment", "commitments", multiple=True, metavar="ID",
              help=N_("A commitment of the plan it fulfils (repeatable)."))
@click.option("--host", help=N_("The stakeholder that hosted it."))
@click.option("--success", is_flag=True, help=N_("It is a success story."))
@click.option("--notes", help=N_("Notes for the programme's own use."))
@sentiment_option
@media_options()
@click.option("--id", "id_", help=N_("An id (default: the next K<year>-<nnnn>)."))
@pass_context
def log(context: Context, /, kind: str, date: str | None, id_: str | None, **fields: Any) -> None:
    values = {k: v for k, v in fields.items() if v not in (None, (), False)}
    logged = interessent.log_interaction(context.workspace, kind=kind, date=date, id=id_,
                                         **values)
    kinds = context.workspace.plan.all_interaction_kinds
    echo(gettext("Logged {id}: {kind} on {day}").format(
        id=logged.id, kind=kind_word(logged.kind, kinds), day=logged.date.isoformat()))


COMMANDS = [stakeholder, log]

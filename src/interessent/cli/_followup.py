"""concern add|list|close and task add|list|done: what stakeholders raise, and what
follows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

import interessent

from ..i18n import N_, gettext, localized
from ._context import Context, pass_context
from ._language import headers
from ._options import format_option
from ._output import echo, emit

if TYPE_CHECKING:
    from ..followup import Concern, Task


@click.group(help=N_("Record what stakeholders raise (innspill), and the answers."))
def concern() -> None:
    pass


def _concern_line(c: Concern) -> str:
    return gettext("{id}: «{title}», raised on {day} by {people}").format(
        id=c.id, title=c.title, day=c.raised_on.isoformat(),
        people=", ".join(c.raised_by_names) or "–")


@concern.command("add", help=N_(
    "Record a concern TITLE raised by one or more stakeholders.\n\n"
    "\b\n"
    "interessent concern add \"Vegen til kaia\" --raised-by kari-aune --interaction K2026-0004"))
@click.argument("title")
@click.option("--raised-by", "raised_by", multiple=True, required=True, metavar="ID",
              help=N_("A stakeholder who raised it (repeatable)."))
@click.option("--interaction", metavar="ID", help=N_("The contact where it was raised."))
@click.option("--group", "-g", metavar="GROUP",
              help=N_("The target group it belongs to (default: its people's groups)."))
@click.option("--date", "day", metavar="DATE",
              help=N_("When it was raised (YYYY-MM-DD; default the contact's day, else "
                      "today)."))
@pass_context
def concern_add(context: Context, title: str, raised_by: tuple[str, ...],
                interaction: str | None, group: str | None, day: str | None) -> None:
    added = interessent.add_concern(context.workspace, title=title, raised_by=raised_by,
                                    interaction=interaction, group=group, on=day)
    echo(gettext("Added {what}").format(what=_concern_line(added)))


#: The columns of ``concern list`` in a table or CSV.
CONCERN_COLUMNS = ["id", "raised_on", "title", "raised_by", "groups", "closed_on", "answer"]


@concern.command("list", help=N_("The concerns, oldest first."))
@click.option("--open", "open_only", is_flag=True, help=N_("Only those not answered yet."))
@click.option("--group", "-g", metavar="GROUP", help=N_("Only those of this target group."))
@click.option("--stakeholder", "-s", metavar="ID", help=N_("Only those this stakeholder raised."))
@format_option
@pass_context
def concern_list(context: Context, open_only: bool, group: str | None,
                 stakeholder: str | None, fmt: str) -> None:
    found = interessent.concerns(context.workspace, open_only=open_only, group=group,
                                 stakeholder=stakeholder)
    rows: list[dict[str, Any]] = [c.to_dict() for c in found]
    if fmt == "table":  # people read names; CSV keeps the ids and keys
        groups = {g.key: localized(g.name) for g in context.workspace.plan.groups}
        rows = [{**r, "raised_by": ", ".join(c.raised_by_names),
                 "groups": ", ".join(groups.get(g, g) for g in r["groups"])}
                for r, c in zip(rows, found, strict=True)]
    elif fmt != "json":
        rows = [{**r, "raised_by": ", ".join(r["raised_by"]),
                 "groups": ", ".join(r["groups"])} for r in rows]
    emit(rows, CONCERN_COLUMNS, fmt, headers=headers(CONCERN_COLUMNS, {
        "raised_on": "raised on", "raised_by": "raised by", "closed_on": "closed on"}),
        empty=N_("no concerns"))


@concern.command("close", help=N_("Answer concern ID: it is closed from then on."))
@click.argument("id")
@click.option("--answer", required=True, metavar="TEXT", help=N_("The answer it got."))
@click.option("--date", "day", metavar="DATE",
              help=N_("When it was answered (YYYY-MM-DD; default today)."))
@pass_context
def concern_close(context: Context, id: str, answer: str, day: str | None) -> None:
    closed = interessent.close_concern(context.workspace, id, answer=answer, on=day)
    echo(gettext("Closed {id} on {day}").format(id=closed.id, day=closed.closed_on))


@click.group(help=N_("Follow-up tasks: what must be done, by whom, by when."))
def task() -> None:
    pass


def _task_line(context: Context, t: Task) -> str:

    return gettext("{id}: «{title}», {owner}, due {day}").format(
        id=t.id, title=t.title, owner=t.owner_in_words(context.workspace.plan),
        day=t.due.isoformat())


@task.command("add", help=N_(
    "Record a task TITLE for an owner (a role of the plan or a stakeholder), due on a day.\n\n"
    "\b\n"
    "interessent task add \"Svare om kaia\" --owner daglig_leder --due 2026-12-01"))
@click.argument("title")
@click.option("--owner", required=True, metavar="ROLE|ID",
              help=N_("Who does it: a role of the plan, else a stakeholder's id."))
@click.option("--due", required=True, metavar="DATE", help=N_("By when (YYYY-MM-DD)."))
@click.option("--stakeholder", "-s", metavar="ID", help=N_("Whom it is about."))
@click.option("--commitment", "-c", metavar="ID", help=N_("The commitment it serves."))
@pass_context
def task_add(context: Context, title: str, owner: str, due: str, stakeholder: str | None,
             commitment: str | None) -> None:
    added = interessent.add_task(context.workspace, title=title, owner=owner, due=due,
                                 stakeholder=stakeholder, commitment=commitment)
    echo(gettext("Added {what}").format(what=_task_line(context, added)))


#: The columns of ``task list`` in a table or CSV.
TASK_COLUMNS = ["id", "due", "title", "owner", "stakeholder", "commitment", "done_on"]


@task.command("list", help=N_("The open tasks, soonest due first."))
@click.option("--owner", metavar="ROLE|ID", help=N_(
    "Only those of this role, or of this stakeholder: their own and those of the roles "
    "they hold."))
@click.option("--all", "everything", is_flag=True, help=N_("Done tasks too."))
@format_option
@pass_context
def task_list(context: Context, owner: str | None, everything: bool, fmt: str) -> None:
    found = interessent.tasks(context.workspace, owner=owner, open_only=not everything)
    rows = [t.to_dict() for t in found]
    if fmt == "table":  # people read names; CSV and JSON keep the ids and keys

        plan = context.workspace.plan
        rows = [{**r, "owner": t.owner_in_words(plan),
                 "stakeholder": t.stakeholder_name or t.stakeholder}
                for r, t in zip(rows, found, strict=True)]
    emit(rows, TASK_COLUMNS, fmt,
         headers=headers(TASK_COLUMNS, {"done_on": "done on"}), empty=N_("no tasks"))


@task.command("done", help=N_(
    "Mark task ID done. A notify task logs the contact: its person counts as informed."))
@click.argument("id")
@click.option("--date", "day", metavar="DATE", help=N_("When (YYYY-MM-DD; default today)."))
@pass_context
def task_done(context: Context, id: str, day: str | None) -> None:
    done = interessent.complete_task(context.workspace, id, on=day)
    echo(gettext("Done: {what}").format(what=_task_line(context, done)))
    if done.interaction:
        echo(gettext("Logged {id}: {person} is informed").format(
            id=done.interaction, person=done.stakeholder_name or done.stakeholder))


COMMANDS = [concern, task]

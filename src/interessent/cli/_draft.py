"""draft, notify and templates list|show."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

import interessent

from ..i18n import N_, Np_, gettext, localized, ngettext, pgettext
from ._context import Context, pass_context
from ._language import headers
from ._options import as_of_day, as_of_option, format_option
from ._output import echo, emit

if TYPE_CHECKING:
    from ..drafting import DraftRun, LetterFormat

#: The formats of :data:`interessent.drafting.FORMATS`, spelt out so ``--help`` needs no
#: import of the drafting machinery.
_FORMATS = ("md", "txt", "html", "eml", "docx")
_SHOWN = 20
#: The words of ``templates list`` (JSON keeps the English values).
TEMPLATE_WORDS = (Np_("template", "layout"), Np_("template", "letter"),
                  Np_("template", "any"), Np_("template", "built-in"),
                  Np_("template", "workspace"))


def _values(pairs: tuple[str, ...]) -> dict[str, str]:
    from ..errors import InvalidInput

    values = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key.isidentifier():
            raise InvalidInput(gettext(
                "--set wants KEY=VALUE with a plain KEY, not {pair!r}").format(pair=pair))
        values[key] = value
    return values


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _report(run: DraftRun, *, dry_run: bool = False) -> None:
    sig = run.signature
    count = len(run.letters)
    what = {"count": count, "template": run.template, "format": run.format}
    if dry_run:
        click.echo(ngettext(
            "Would draft {count} letter ({template}, {format}); wrote nothing.",
            "Would draft {count} letters ({template}, {format}); wrote nothing.",
            count).format(**what))
    elif run.combined:
        click.echo(ngettext(
            "Drafted {count} letter ({template}, {format}) into one file: {file}",
            "Drafted {count} letters ({template}, {format}) into one file: {file}",
            count).format(**what, file=_relative(run.files[0])))
    else:
        click.echo(ngettext("Drafted {count} letter ({template}, {format}) in {folder}:",
                            "Drafted {count} letters ({template}, {format}) in {folder}:",
                            count).format(**what, folder=_relative(run.out)))
    if not run.combined:
        for letter in run.letters[:_SHOWN]:
            where = letter.path.name if letter.path else letter.recipient
            echo(f"  {where:<32} {letter.name} ({letter.language})")
        if count > _SHOWN:
            click.echo(gettext("  … and {count} more").format(count=count - _SHOWN))
    if sig.cleared_by_title:
        signed = gettext("Signed by {name} ({title}, cleared by {cleared}) on {topic}; "
                         "rule: {rule}")
    else:
        signed = gettext("Signed by {name} ({title}) on {topic}; rule: {rule}")
    echo(signed.format(name=sig.name, title=localized(sig.title),
                       cleared=localized(sig.cleared_by_title or ""),
                       topic=localized(sig.topic_name).lower(), rule=localized(sig.rule)))
    for fallback in run.fallbacks:
        echo(ngettext(
            "Warning: {template} has no variant in {wanted}; {count} letter goes out in "
            "{used}.",
            "Warning: {template} has no variant in {wanted}; {count} letters go out in "
            "{used}.", fallback.count).format(
                template=fallback.template, count=fallback.count,
                wanted=_language_name(fallback.wanted), used=_language_name(fallback.used)))
    if run.skipped:
        click.echo(gettext("Skipped {count}:").format(count=len(run.skipped)))
        for s in run.skipped:
            echo(f"  {s.id} ({s.name}): {s.reason}")
    if run.recorded:
        first, last = run.recorded[0], run.recorded[-1]
        span = first if first == last else f"{first} … {last}"
        click.echo(ngettext("Logged {count} interaction: {span}",
                            "Logged {count} interactions: {span}",
                            len(run.recorded)).format(count=len(run.recorded), span=span))
    _task_lines(run.tasks, run.tasks_open)
    if run.clearance is not None:
        c = run.clearance
        echo(gettext("Recorded the clearance by {role}{person} at {at} UTC").format(
            role=c.cleared_by_role, person=f" ({c.cleared_by})" if c.cleared_by else "",
            at=c.at.replace(microsecond=0).isoformat(sep=" ")))


def _span(ids: tuple[str, ...]) -> str:
    first, last = ids[0], ids[-1]
    return first if first == last else f"{first} … {last}"


def _task_lines(made: tuple[str, ...], still_open: tuple[str, ...]) -> None:
    """What ``--record`` of notify made: the tasks created, and those open already."""
    if made:
        click.echo(ngettext(
            "Created {count} task to inform them ({span}); `interessent task done ID` logs "
            "the contact.",
            "Created {count} tasks to inform them ({span}); `interessent task done ID` logs "
            "each contact.", len(made)).format(count=len(made), span=_span(made)))
    if still_open:
        click.echo(ngettext(
            "A task to inform them of this event is open already ({span}); created no "
            "second one.",
            "{count} tasks to inform them of this event are open already ({span}); created "
            "no second ones.", len(still_open)).format(count=len(still_open),
                                                       span=_span(still_open)))


def _language_name(language: str) -> str:
    names = {"nb": gettext("bokmål"), "nn": gettext("nynorsk"), "en": gettext("English")}
    return names.get(language, language)


def _policy_options(f: click.decorators.FC) -> click.decorators.FC:
    options = [
        click.option("--signer", metavar="ROLE",
                     help=N_("Who signs: a role (or a stakeholder id); by default the role that "
                     "speaks on the topic.")),
        click.option("--topic", metavar="TOPIC",
                     help=N_("The kind of matter (daily, overarching, …); by default the "
                     "template's, else daily. Political matters are refused.")),
        click.option("--cleared-by", "cleared_by", metavar="ROLE",
                     help=N_("The role that cleared a letter signed by someone who must confer "
                     "first (board members, staff).")),
        click.option("--record", is_flag=True,
                     help=N_("Log each letter as an interaction, so coverage moves (notify: "
                     "a task to inform each person; done, it logs the contact).")),
        as_of_option(N_("Date the letters on this day (YYYY-MM-DD; default today).")),
    ]
    for option in reversed(options):
        f = option(f)
    return f


@click.command(help=N_(
    "Draft one letter per recipient from TEMPLATE.\n\n"
    "Each letter is tailored (salutation, language, passages for the recipient's groups\n"
    "and roles, last contact, success stories, next commitment) and signed by whoever the\n"
    "plan's information responsibility names for the topic. Recipients who opted out,\n"
    "whose data is restricted or who cannot receive the format are listed as skipped. If\n"
    "any letter fails to render, none is written."))
@click.argument("template")
@click.option("--group", "-g", "groups", multiple=True, metavar="GROUP",
              help=N_("The members of this target group (repeatable)."))
@click.option("--stakeholder", "-s", "stakeholders", multiple=True, metavar="ID",
              help=N_("This stakeholder (repeatable)."))
@click.option("--uncovered", is_flag=True,
              help=N_("Only members not reached in the current window, opinion leaders first."))
@click.option("--leaders", is_flag=True, help=N_("Only the groups' opinion leaders."))
@click.option("--format", "fmt", type=click.Choice(_FORMATS), default="md", show_default=True,
              help=N_("md, txt, html, eml (for a mail client) or docx (Word)."))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help=N_("The folder for the letters (default: utkast/TEMPLATE-DATE)."))
@click.option("--combined", is_flag=True, help=N_("One file with every letter, for printing."))
@click.option("--event", metavar="TEXT", help=N_("The event, for templates that use it."))
@click.option("--set", "values", multiple=True, metavar="KEY=VALUE",
              help=N_("A value templates read as values.KEY (repeatable)."))
@click.option("--dry-run", is_flag=True, help=N_("Render every letter, write nothing."))
@click.option("--json", "as_json", is_flag=True,
              help=N_("Print the run as JSON: each letter with its text, the skipped, the "
              "signature, the files written."))
@_policy_options
@pass_context
def draft(
    context: Context, template: str, groups: tuple[str, ...], stakeholders: tuple[str, ...],
    uncovered: bool, leaders: bool, fmt: LetterFormat, out: Path | None, combined: bool,
    event: str | None, values: tuple[str, ...], dry_run: bool, as_json: bool,
    signer: str | None, topic: str | None, cleared_by: str | None, record: bool,
    as_of: str | None,
) -> None:
    run = interessent.draft(
        context.workspace, template, groups=groups, stakeholders=stakeholders,
        uncovered=uncovered, leaders=leaders, fmt=fmt, out=out, signer=signer, topic=topic,
        cleared_by=cleared_by, record=record and not dry_run, combined=combined,
        as_of=as_of_day(as_of), event=event, values=_values(values), write=not dry_run,
    )
    if as_json:
        click.echo(json.dumps(run.to_dict(), ensure_ascii=False, indent=2))
        return
    _report(run, dry_run=dry_run)


@click.command(help=N_(
    "Whom to notify of a significant EVENT, in the plan's order, with contact details.\n\n"
    "With --out, a notice to each of them is drafted there (the signer excepted). With\n"
    "--record, a task to inform each of them, with or without --out; none for a person\n"
    "whose task for the same event is still open."))
@click.argument("event")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help=N_("Also draft a notice to each of them into this folder."))
@click.option("--template", default="hendelse", show_default=True,
              help=N_("The template of the notice."))
@click.option("--format", "fmt", type=click.Choice(_FORMATS), default="md", show_default=True,
              help=N_("The format of the notices."))
@_policy_options
@pass_context
def notify(context: Context, event: str, out: Path | None, template: str, fmt: LetterFormat,
           signer: str | None, topic: str | None, cleared_by: str | None, record: bool,
           as_of: str | None) -> None:
    notice = interessent.notify(context.workspace, event, out=out, template=template,
                                fmt=fmt, signer=signer, topic=topic, cleared_by=cleared_by,
                                record=record, as_of=as_of_day(as_of), write=out is not None)
    echo(gettext("Notify of «{event}», in this order:").format(event=notice.event))
    for n in notice.notifiees:
        if not n.people:
            echo(f"  {n.order}. {localized(n.title)}: " + (
                gettext("held only by people whose data is restricted (GDPR art. 18); "
                        "not listed")
                if n.withheld else gettext("nobody in the register holds this role")))
            continue
        for person in n.people:
            contact = ", ".join(x for x in (person.phone, person.email) if x) or gettext(
                "no contact")
            echo(f"  {n.order}. {localized(n.title)}: {person.name} ({person.id}) — {contact}")
    if notice.run is not None:
        click.echo("")
        _report(notice.run)
    elif notice.tasks or notice.tasks_open:
        click.echo("")
        _task_lines(notice.tasks, notice.tasks_open)


@click.group(help=N_("List the letter templates and show their source."))
def templates() -> None:
    pass


@templates.command("list", help=N_(
    "Every template: its variants (language, format) and where it comes from."))
@format_option
@pass_context
def templates_list(context: Context, fmt: str) -> None:
    rows = [t.to_dict() for t in interessent.list_templates(context.workspace)]
    if fmt != "json":
        rows = [{**r, "languages": ", ".join(r["languages"]) or "-",
                 "kind": pgettext("template", r["kind"]),
                 "formats": ", ".join(pgettext("template", f) for f in r["formats"]),
                 "source": pgettext("template", r["source"])} for r in rows]
    columns = ["name", "kind", "languages", "formats", "source", "serves", "description"]
    emit(rows, columns, fmt, headers=headers(columns), empty=N_("no templates"))


@templates.command("show", help=N_(
    "Print the source of template NAME (or of one file, such as dialogmote.nn.j2)."))
@click.argument("name")
@click.option("--language", type=click.Choice(("nb", "nn", "en")),
              help=N_("The variant for this language."))
@click.option("--format", "fmt", type=click.Choice(("md", "txt", "html")),
              help=N_("The variant for this format (default: the one draft uses by default, md, "
              "else the first of txt and html there is)."))
@pass_context
def templates_show(context: Context, name: str, language: str | None,
                   fmt: LetterFormat | None) -> None:
    path, text = interessent.template_source(context.workspace, name, language=language, fmt=fmt)
    click.echo(f"# {path}", err=True)
    click.echo(text, nl=False)


COMMANDS = [draft, notify, templates]

"""report: the dashboard, or a draft of the status report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

import interessent

from ..i18n import N_, current_language, gettext
from ._context import Context, pass_context
from ._language import asked_for
from ._options import as_of_day, as_of_option, period_option, period_or_year

if TYPE_CHECKING:
    from ..report import ReportFormat

#: :data:`interessent.report.FORMATS`, spelt out so ``--help`` imports nothing heavy.
_FORMATS = ("html", "md", "docx")
_WHAT = {"html": N_("Wrote the dashboard for {period} as of {day}:"),
         "md": N_("Wrote the status report (Markdown) for {period} as of {day}:"),
         "docx": N_("Wrote the status report (Word) for {period} as of {day}:")}


@click.command(help=N_(
    "Write the dashboard or draft the status report; print the file's path last.\n\n"
    "The dashboard shows coverage per target group month by month, a calendar of the\n"
    "plan's commitments, the network with its opinion leaders, a power/interest grid,\n"
    "the period's success stories and what is due next. The status report (--format md\n"
    "or docx) covers coverage, commitments kept and missed, success stories and\n"
    "resources used, with a line for the finance figures to fill in."))
@period_option
@as_of_option()
@click.option("--format", "fmt", type=click.Choice(_FORMATS), default="html", show_default=True,
              help=N_("html: the dashboard, one page that opens offline; md or docx: a draft of "
              "the status report to those the plan names ([report] recipients), in the "
              "programme's language unless --lang asks for another."))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help=N_("Where to write it (default: rapporter/rapport-PERIOD-DATE.FORMAT in the "
              "workspace)."))
@pass_context
def report(context: Context, period: str | None, as_of: str | None, fmt: ReportFormat,
           out: Path | None) -> None:
    day = as_of_day(as_of)
    span = period_or_year(period, day)
    path = interessent.write_report(context.workspace, span, as_of=day, fmt=fmt, out=out,
                                    language=_chosen_language())
    click.echo(gettext(_WHAT[fmt]).format(period=span, day=day.isoformat()))
    click.echo(str(path))


def _chosen_language() -> str | None:
    """The language the report is asked for on the command line (``--lang``, else
    ``INTERESSENT_LANG``); ``None`` leaves it to the plan's ``programme.language``, which
    the system locale does not override: a report speaks the programme's language."""
    return current_language() if asked_for() else None


COMMANDS = [report]

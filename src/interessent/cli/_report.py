"""report: the dashboard, or a draft of the status report."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

import interessent

from ..i18n import current_language
from ._context import Context, pass_context
from ._language import LANG_ENV
from ._options import as_of_day, as_of_option, period_option, period_or_year

if TYPE_CHECKING:
    from ..report import ReportFormat

#: :data:`interessent.report.FORMATS`, spelt out so ``--help`` imports nothing heavy.
_FORMATS = ("html", "md", "docx")
_WHAT = {"html": "the dashboard", "md": "the status report (Markdown)",
         "docx": "the status report (Word)"}


@click.command()
@period_option
@as_of_option()
@click.option("--format", "fmt", type=click.Choice(_FORMATS), default="html", show_default=True,
              help="html: the dashboard, one page that opens offline; md or docx: a draft of "
              "the status report to the council and to TFK, IN and KMD, in Norwegian.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Where to write it (default: rapporter/rapport-PERIOD-DATE.FORMAT in the "
              "workspace).")
@pass_context
def report(context: Context, period: str | None, as_of: str | None, fmt: ReportFormat,
           out: Path | None) -> None:
    """Write the dashboard or draft the status report; print the file's path last.

    The dashboard shows coverage per target group month by month, a calendar of the
    plan's commitments, the network with its opinion leaders, a power/interest grid,
    the period's success stories and what is due next. The status report (--format md
    or docx) covers coverage, commitments kept and missed, success stories and
    resources used, with a line for the finance figures to fill in.
    """
    day = as_of_day(as_of)
    span = period_or_year(period, day)
    path = interessent.write_report(context.workspace, span, as_of=day, fmt=fmt, out=out,
                                    language=_chosen_language())
    click.echo(f"Wrote {_WHAT[fmt]} for {span} as of {day.isoformat()}:")
    click.echo(str(path))


def _chosen_language() -> str | None:
    """The language the report is asked for on the command line (``--lang``, else
    ``INTERESSENT_LANG``); ``None`` leaves it to the plan's ``programme.language``, which
    the system locale does not override: a report speaks the programme's language."""
    root = click.get_current_context().find_root()
    if root.params.get("lang") or os.environ.get(LANG_ENV, "").strip():
        return current_language()  # the root group has set it (and checked the variable)
    return None


COMMANDS = [report]

"""The ``interessent`` command line: parse, call the library once, format.

Heavy libraries (SQLAlchemy, networkx, Jinja) are imported inside the commands that need
them, so ``interessent --help`` stays instant. Every :class:`InteressentError` becomes
one ``Error: …`` message and exit status 1, here and nowhere else, with any control
character a message quotes escaped.

What lives where:

- ``_context``: the click context object (the workspace, opened on first use);
- ``_options``: the options many commands share (``--as-of``, ``--period``, ``--format``,
  ``--within``) and their parsers;
- ``_output``: tables, JSON and CSV on the terminal;
- ``_setup``: ``init``, ``plan check``;
- ``_data``: ``import``, ``export`` (records and the graph);
- ``_people``: ``stakeholder …`` and ``log``;
- ``_engine``: ``leaders``, ``coverage``, ``due``, ``risks``;
- ``_draft``: ``draft``, ``notify``, ``templates …``;
- ``_report``: ``report``;
- ``_privacy``: ``privacy …``;
- ``_admin``: ``backup``;
- ``_reference``: the generated CLI reference (``docs/cli.md``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..bounds import printable
from ..errors import InteressentError
from ._context import Context

__all__ = ["cli", "main"]


class _Root(click.Group):
    """The root group: turns library errors into click's one-line errors."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InteressentError as exc:
            raise click.ClickException(printable(str(exc))) from None
        except BrokenPipeError:  # `interessent … | head`
            ctx.exit(0)


@click.group(cls=_Root, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-w", "--workspace", "workspace", type=click.Path(file_okay=False, path_type=Path),
    help="The workspace folder (default: the current folder or the nearest one above it).",
)
@click.option(
    "--db", envvar="INTERESSENT_DB", metavar="URL",
    help="An SQLAlchemy database URL instead of the workspace's SQLite file "
    "(also INTERESSENT_DB).",
)
@click.version_option(package_name="interessent")
@click.pass_context
def cli(ctx: click.Context, workspace: Path | None, db: str | None) -> None:
    """Run a programme's communication by its written strategy.

    Plan → register → log → measure → act: keep the plan in interessent.toml, import
    stakeholders and relationships, log what you do, and see which target groups and
    promises of the plan are falling behind.
    """
    context = Context(workspace_path=workspace, db=db)
    ctx.obj = context
    ctx.call_on_close(context.close)


#: The modules that define commands, each exporting COMMANDS. One line each.
_COMMAND_MODULES = (
    "_setup",
    "_data",
    "_people",
    "_engine",
    "_draft",
    "_report",
    "_privacy",
    "_admin",
)


def _register() -> None:
    import importlib

    for name in _COMMAND_MODULES:
        module = importlib.import_module(f".{name}", __name__)
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main() -> None:
    """The console-script entry point."""
    cli(prog_name="interessent")

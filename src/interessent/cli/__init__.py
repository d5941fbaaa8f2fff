"""The ``interessent`` command line: parse, call the library once, format.

Heavy libraries (SQLAlchemy, networkx, Jinja) are imported inside the commands that need
them, so ``interessent --help`` stays instant. Every :class:`InteressentError` becomes
one ``Error: …`` message and exit status 1, here and nowhere else, with the option that
answers it where there is one (the library's messages name no options); so does any other
``OSError`` (``Error: <path>: <reason>``). Arguments and ``INTERESSENT_*`` variables must
be UTF-8 text: bytes that are not are refused before any command runs, since they could
be neither stored nor shown. A message shows such bytes as ``\\xff``, never crashing on
them, and any control character it quotes escaped.

What lives where:

- ``_api``: which public function of ``interessent`` each command calls (``FUNCTIONS``);
  commands call them as ``interessent.NAME(...)``;
- ``_context``: the click context object (the workspace, opened on first use);
- ``_hints``: the option to use, added to a library error's message;
- ``_language``: the language the command line speaks (``--lang``, ``INTERESSENT_LANG``,
  the plan, the system locale, English), click's own words in it, and table headers;
- ``_options``: the options many commands share (``--as-of``, ``--period``, ``--format``,
  ``--within``) and their parsers;
- ``_output``: tables, JSON and CSV on the terminal;
- ``_setup``: ``init``, ``plan check``;
- ``_data``: ``import``, ``export`` (records and the graph);
- ``_people``: ``stakeholder …`` and ``log``;
- ``_records``: ``relationship add|edit|remove``, ``interaction edit|remove``;
- ``_followup``: ``concern add|list|close``, ``task add|list|done``;
- ``_engine``: ``leaders``, ``coverage``, ``due``, ``risks``;
- ``_draft``: ``draft``, ``notify``, ``templates …``;
- ``_report``: ``report``;
- ``_privacy``: ``privacy …``;
- ``_admin``: ``backup``;
- ``_reference``: the generated CLI reference (``docs/cli.md``).
"""

from __future__ import annotations

import contextvars
import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from ..bounds import printable
from ..errors import InteressentError
from ..i18n import LANGUAGES, N_, gettext, set_language
from ._context import Context
from ._hints import with_hint
from ._language import language_from, translate_click, translate_help

__all__ = ["cli", "main"]


class _Root(click.Group):
    """The root group: refuses arguments that are not text, speaks the language the
    command line chooses (see ``_language``), and turns library errors and OS errors into
    click's one-line errors."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        # The language is set in a copy of the context, so a command run in a test (or
        # any caller's thread) leaves the caller's language as it was.
        return contextvars.copy_context().run(super().main, *args, **kwargs)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        set_language(language_from(args))  # first, so that the refusal below speaks it
        _require_text(args)
        translate_help(self)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InteressentError as exc:
            command = ctx.obj.command if isinstance(ctx.obj, Context) else None
            raise click.ClickException(
                printable(_bytes_escaped(with_hint(exc, command)))) from None
        except BrokenPipeError:  # `interessent … | head`
            ctx.exit(0)
        except OSError as exc:  # not a path the user chose: a template folder, say
            raise click.ClickException(printable(_bytes_escaped(os_error_line(exc)))) from None
        except UnicodeEncodeError as exc:  # text this terminal or file cannot hold
            bad = _bytes_escaped(exc.object[exc.start:exc.end])
            raise click.ClickException(gettext(
                "text that cannot be written as {encoding} ({bad}): {text}").format(
                encoding=exc.encoding, bad=bad, text=_bytes_escaped(exc.object[:80]))) from None


def _bytes_escaped(text: str) -> str:
    r"""``text`` with bytes that were not UTF-8 (Python's surrogate escapes) shown as
    ``\xff``, so any stream can print it.

    >>> _bytes_escaped("/tmp/caf\udce9")
    '/tmp/caf\\xe9'
    """
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate that was never a byte
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def os_error_line(exc: OSError) -> str:
    """``<path>: <reason>`` for an OSError, or the reason alone when it names no path."""
    reason = exc.strerror or str(exc)
    if exc.filename is None:
        return reason
    where = os.fsdecode(exc.filename)
    if exc.filename2 is not None:
        where += f" -> {os.fsdecode(exc.filename2)}"
    return f"{where}: {reason}"


#: The environment variables interessent reads start with this.
_ENV_PREFIX = "INTERESSENT_"


def _require_text(args: Sequence[object]) -> None:
    """Refuse an argument or ``INTERESSENT_*`` variable that is not UTF-8 text."""
    named = [(gettext("the argument '{value}'").format(value=_bytes_escaped(a)), a)
             for a in args if isinstance(a, str)]
    named += [(gettext("the environment variable {name}").format(name=k), v)
              for k, v in sorted(os.environ.items()) if k.startswith(_ENV_PREFIX)]
    for what, value in named:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise click.ClickException(gettext(
                "{what} is not UTF-8 text; interessent takes names, paths and values as "
                "UTF-8 (rename the file or folder, or retype the value)").format(
                what=what)) from None


@click.group(cls=_Root, context_settings={"help_option_names": ["-h", "--help"]}, help=N_(
    "Run a programme's communication by its written strategy.\n\n"
    "Plan → register → log → measure → act: keep the plan in interessent.toml, import\n"
    "stakeholders and relationships, log what you do, and see which target groups and\n"
    "promises of the plan are falling behind."))
@click.option(
    "-w", "--workspace", "workspace", type=click.Path(file_okay=False, path_type=Path),
    help=N_("The workspace folder (default: the current folder or the nearest one above it)."),
)
@click.option(
    "--db", envvar="INTERESSENT_DB", metavar="URL",
    help=N_("An SQLAlchemy database URL instead of the workspace's SQLite file "
    "(also INTERESSENT_DB)."),
)
@click.option(
    "--lang", type=click.Choice(LANGUAGES),
    help=N_("The language to speak (else INTERESSENT_LANG, the plan's programme.language, "
            "the system locale, English)."),
)
@click.version_option(package_name="interessent")
@click.pass_context
def cli(ctx: click.Context, workspace: Path | None, db: str | None, lang: str | None) -> None:
    context = Context(workspace_path=workspace, db=db)
    ctx.obj = context
    ctx.call_on_close(context.close)


#: The modules that define commands, each exporting COMMANDS. One line each.
_COMMAND_MODULES = (
    "_setup",
    "_data",
    "_people",
    "_records",
    "_followup",
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
translate_click()


def main() -> None:
    """The console-script entry point."""
    # A file name that is not UTF-8 (a folder found on disk, not typed) is printed as the
    # bytes it is, as Python does in the C locale, instead of failing after the work.
    if isinstance(sys.stdout, io.TextIOWrapper) and sys.stdout.errors == "strict":
        sys.stdout.reconfigure(errors="surrogateescape")
    cli(prog_name="interessent")

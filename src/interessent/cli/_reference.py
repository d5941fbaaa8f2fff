"""The command-line reference (``docs/cli.md``), generated from the click commands.

    python -m interessent.cli._reference --write      # rewrite docs/cli.md
    python -m interessent.cli._reference              # print it

``tests/test_cli_reference.py`` regenerates it and fails when ``docs/cli.md`` differs,
so the reference cannot drift from the commands. The output depends only on the click
tree, never on the terminal or the environment.
"""

from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from ..i18n import using
from ._language import translate_help

__all__ = ["DOCS_FILE", "reference", "walk"]

#: Where the reference lives, relative to the repository root.
DOCS_FILE = Path("docs") / "cli.md"

_REGENERATE = "python -m interessent.cli._reference --write"

_HEADER = f"""\
# Command-line reference

<!-- Generated from the click commands by `{_REGENERATE}`.
     Do not edit by hand: tests/test_cli_reference.py fails when this page drifts. -->

Every command, its arguments and its options, as `interessent COMMAND --help` shows
them. The global options `-w/--workspace DIR` and `--db URL` come before the command
(`interessent -w osen-demo coverage`). Every command takes `-h`/`--help`.

Listings take `--format table|json|csv`: a table for people (colour only on a terminal
and without `NO_COLOR`), JSON or CSV for scripts. Commands that depend on time take
`--as-of DATE`; periods are `2026`, `2026-H1`, `2026-Q3`, `2026-11` or
`2026-01-01..2026-06-30`. A mistake is one `Error: …` line on standard error and exit
status 1 (2 for a malformed command line).
"""


def walk(
    command: click.Command, ctx: click.Context | None = None, name: str = "interessent"
) -> Iterator[tuple[click.Context, click.Command]]:
    """Every command under ``command``, depth first, each with its click context."""
    here = click.Context(command, info_name=name, parent=ctx)
    yield here, command
    if isinstance(command, click.Group):
        for sub in command.list_commands(here):
            child = command.get_command(here, sub)
            if child is not None and not child.hidden:
                yield from walk(child, here, sub)


def _escape(text: str) -> str:
    """Text safe in Markdown prose and table cells."""
    text = text.replace("\\", "\\\\").replace("&", "&amp;").replace("<", "&lt;")
    text = text.replace(">", "&gt;").replace("|", "\\|").replace("*", "\\*")
    return text.replace("_", "\\_").replace("`", "\\`")


def _prose(text: str) -> list[str]:
    """A click help text as Markdown: paragraphs joined, ``\\b`` blocks kept verbatim."""
    lines: list[str] = []
    for paragraph in re.split(r"\n\s*\n", inspect.cleandoc(text)):
        if paragraph.startswith("\b"):
            block = paragraph[1:].strip("\n")
            lines += ["```text", *block.replace("\\\\", "\\").splitlines(), "```", ""]
        else:
            lines += [_escape(" ".join(part.strip() for part in paragraph.splitlines())), ""]
    return lines


def _short(command: click.Command) -> str:
    """The first paragraph of the help (click's own short help stops at the first full
    stop, which cuts "GDPR art. 17" in two)."""
    if command.short_help:
        return command.short_help
    first = re.split(r"\n\s*\n", inspect.cleandoc(command.help or ""))[0]
    return " ".join(first.replace("\b", "").split())


def _usage(ctx: click.Context, command: click.Command) -> str:
    pieces = command.collect_usage_pieces(ctx)
    return " ".join([ctx.command_path, *pieces])


def _type(param: click.Parameter) -> str:
    kind = param.type
    if isinstance(param, click.Option) and param.is_flag:
        return "flag"
    if isinstance(kind, click.Choice):
        text = " \\| ".join(f"`{c}`" for c in kind.choices)
    elif isinstance(kind, click.IntRange):
        low, high = kind.min, kind.max
        if low is not None and high is not None:
            text = f"integer {low}–{high}"
        elif low is not None:
            text = f"integer ≥ {low}"
        else:
            text = f"integer ≤ {high}"
    elif isinstance(kind, click.Path):
        text = "folder" if not kind.file_okay else "file" if not kind.dir_okay else "path"
    else:
        text = {"integer": "integer", "float": "number", "boolean": "yes/no"}.get(
            kind.name, "text")
    if param.multiple:
        text += ", repeatable"
    return text


def _metavar(param: click.Parameter) -> str:
    """A short placeholder: the command's own metavar, else one from the type or name."""
    if param.metavar:
        return param.metavar
    kind = param.type
    if isinstance(kind, click.Choice):
        return "" if isinstance(param, click.Option) else (param.name or "").upper()
    if isinstance(kind, click.IntRange) or kind.name == "integer":
        return "N"
    if isinstance(kind, click.Path):
        return "DIR" if not kind.file_okay else "FILE" if not kind.dir_okay else "PATH"
    if isinstance(param, click.Argument):
        return (param.name or "").upper()
    longest = max(param.opts, key=len)
    return longest.lstrip("-").replace("-", "_").upper()


def _names(param: click.Option) -> str:
    metavar = "" if param.is_flag else _metavar(param)
    names = sorted(param.opts, key=lambda o: (o.startswith("--"), o))
    last = f"{names[-1]} {metavar}".rstrip()
    shown = [f"`{n}`" for n in names[:-1]] + [f"`{last}`"]
    shown += [f"`{n}`" for n in param.secondary_opts]
    return ", ".join(shown)


def _default(param: click.Option) -> str:
    value = param.default
    if param.is_flag or isinstance(value, bool) or not isinstance(value, str | int | float):
        return ""  # no default (click marks it with a sentinel), or a flag's off
    return f"`{value}`"


def _section(ctx: click.Context, command: click.Command, level: int) -> list[str]:
    lines = [f"{'#' * level} `{ctx.command_path}`", ""]
    lines += ["```text", _usage(ctx, command), "```", ""]
    lines += _prose(command.help or "")
    arguments = [p for p in command.params if isinstance(p, click.Argument)]
    if arguments:
        lines += ["| argument | type | required |", "|---|---|---|"]
        for arg in arguments:
            lines.append(f"| `{_metavar(arg)}` | {_type(arg)} | "
                         f"{'yes' if arg.required else 'no'} |")
        lines.append("")
    options = [p for p in command.params
               if isinstance(p, click.Option) and not p.hidden and p.name != "help"]
    if options:
        lines += ["| option | type | default | meaning |", "|---|---|---|---|"]
        for opt in options:
            meaning = _escape(" ".join((opt.help or "").split()))
            if opt.envvar:
                meaning += f" Environment variable: `{opt.envvar}`."
            lines.append(f"| {_names(opt)} | {_type(opt)} | {_default(opt)} | "
                         f"{meaning.strip()} |")
        lines.append("")
    if isinstance(command, click.Group):
        subcommands = [
            (name, sub) for name in command.list_commands(ctx)
            if (sub := command.get_command(ctx, name)) is not None and not sub.hidden
        ]
        lines += ["| command | what it does |", "|---|---|"]
        for name, sub in subcommands:
            anchor = re.sub(r"[^a-z0-9]+", "-", f"{ctx.command_path} {name}".lower()).strip("-")
            lines.append(f"| [`{name}`](#{anchor}) | {_escape(_short(sub))} |")
        lines.append("")
    return lines


def reference(root: click.Command | None = None) -> str:
    """The Markdown reference of every command under ``root`` (default: ``interessent``)."""
    if root is None:
        from . import cli

        root = cli
    lines = [_HEADER]
    with using("en"):  # the reference is English, whatever a run before it spoke
        translate_help(root)
        for ctx, command in walk(root):
            depth = len(ctx.command_path.split())
            lines += _section(ctx, command, level=2 if depth <= 2 else 3)
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m interessent.cli._reference",
        description="Print the command-line reference, or write it to docs/cli.md.")
    parser.add_argument("--write", nargs="?", const=str(DOCS_FILE), metavar="FILE",
                        help=f"write it to FILE (default {DOCS_FILE}) instead of printing it")
    args = parser.parse_args(argv)
    text = reference()
    if args.write is None:
        sys.stdout.write(text)
        return 0
    Path(args.write).write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {args.write}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

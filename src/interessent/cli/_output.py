"""Listings as a table (Rich), JSON or CSV.

Tables are for people: Rich lays them out to the terminal's width, wrapping long text
inside its column rather than cutting it. Colour and bold are used only when standard
output is a terminal and ``NO_COLOR`` is not set; piped output is plain text, laid out
at a generous width so that ``grep`` and ``less`` see whole rows. JSON and CSV are for
scripts and never change with the terminal.

Nothing stored drives the terminal: every table cell, and every line a command prints
with :func:`echo`, has its control characters and bidirectional overrides escaped
(:func:`interessent.bounds.printable`), as has every ``Error:`` line. JSON and CSV stay
data: JSON escapes control characters itself, CSV keeps each value as it is (with its
formula neutralising).

Rich is imported only when a table is printed, so ``interessent --help`` stays instant.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import json
import os
import sys
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Any, TextIO

import click

from ..bounds import printable
from ..i18n import N_, LocalizedText, gettext, localized, using

if TYPE_CHECKING:
    from rich.console import Console

#: The width of a table written to a file or a pipe, where no terminal says how wide.
PIPE_WIDTH = 200
#: Values up to this long, or without a space, are kept on one line.
_SHORT = 16
#: The narrowest a wrapped text column may get before rows are shown one by one.
_TEXT_FLOOR = 16
#: Spaces between columns.
_GAP = 2
#: Listings longer than this are laid out without Rich, which measures every cell.
RICH_ROWS = 1000

def _plain(value: Any) -> Any:
    """A JSON-ready copy: enums by value, dates as ISO text, tuples as lists, recursively."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _cell(value: Any) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def _shown(value: Any) -> str:
    """A table cell as a terminal may show it (see :func:`printable`): a plan text given
    per language in the language spoken, yes and no in words."""
    if isinstance(value, LocalizedText):
        return printable(localized(value))
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    return printable(_cell(value))


def machine(fmt: str) -> AbstractContextManager[object]:
    """English for the library's words (explanations, reasons) in JSON and CSV, which are
    a machine interface and do not change with the language; a table speaks the
    current language."""
    return nullcontext() if fmt == "table" else using("en")


def echo(message: Any = "", *, err: bool = False, nl: bool = True) -> None:
    """``click.echo`` for lines that hold data (names, ids, topics, file names): the
    control characters in it escaped."""
    click.echo(printable(str(message)), err=err, nl=nl)


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal (wide characters count twice)."""
    if text.isascii():
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def colour_wanted(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Whether to style output on ``stream``: only a terminal, and only without
    ``NO_COLOR`` (https://no-color.org: set and not empty)."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR", ""):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def console(stream: TextIO | None = None, environ: Mapping[str, str] | None = None) -> Console:
    """A Rich console on ``stream`` (default: the standard output of the moment, which
    click's ``CliRunner`` replaces to capture it). Without a terminal or with ``NO_COLOR``
    it writes no escape sequences at all, not even bold."""
    from rich.console import Console

    out = stream if stream is not None else sys.stdout
    styled = colour_wanted(out, environ)
    isatty = getattr(out, "isatty", None)
    terminal = bool(isatty and isatty())
    return Console(
        file=out,
        force_terminal=None,
        color_system="auto" if styled else None,
        no_color=not styled,
        highlight=False,
        soft_wrap=False,
        markup=False,
        emoji=False,
        width=None if terminal else PIPE_WIDTH,
    )


def emit(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    fmt: str,
    *,
    headers: Mapping[str, str] | None = None,
    empty: str = N_("nothing to show"),
) -> None:
    """Print ``rows`` (dicts) in ``fmt``. JSON keeps every key; table and CSV ``columns``.
    A table's ``headers`` and the ``empty`` line are for people (in their language); JSON
    and CSV keep the keys."""
    if fmt == "json":
        data = [{k: _plain(v) for k, v in row.items()} for row in rows]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        from ..exporting import neutralise

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([neutralise(_cell(row.get(c))) for c in columns])
        return
    if not rows:
        click.echo(gettext(empty), err=True)
        return
    _print_table(rows, columns, headers or {})


def _print_table(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[str], headers: Mapping[str, str]
) -> None:
    """A table fitted to the console: figures and ids keep their line; text columns
    (names, titles, explanations) share what is left and wrap inside it. When even that
    leaves a text column narrower than :data:`_TEXT_FLOOR`, each row is printed as a
    block of ``column  value`` lines instead, which reads at any width.

    Rich draws it; above :data:`RICH_ROWS` rows (a whole register) the same layout is
    written line by line, as Rich measures every cell and would take minutes."""
    out = console()
    titles = [printable(headers.get(c, c)) for c in columns]
    cells = [[_shown(row.get(c)) for c in columns] for row in rows]
    natural = [max(_width(t), *(_width(r[i]) for r in cells)) for i, t in enumerate(titles)]
    text = [any(" " in r[i] and _width(r[i]) > _SHORT for r in cells)
            for i in range(len(columns))]
    numeric = []
    for c in columns:
        values = [row.get(c) for row in rows]
        numeric.append(any(_is_number(v) for v in values)
                       and all(_is_number(v) or v is None for v in values))
    room = out.width - _GAP * (len(columns) - 1)
    widths: list[int] = list(natural)
    if sum(natural) > room:
        fixed = sum(w for w, t in zip(natural, text, strict=True) if not t)
        wrapped = sorted((natural[i], i) for i in range(len(columns)) if text[i])
        floors = sum(min(w, _TEXT_FLOOR) for w, _ in wrapped)
        if not wrapped or fixed + floors > room:
            _print_records(out, titles, cells)
            return
        left = room - fixed
        for n, (width, i) in enumerate(wrapped):  # narrowest first; the rest share evenly
            widths[i] = min(width, left // (len(wrapped) - n))
            left -= widths[i]
    if len(rows) > RICH_ROWS:
        _echo_table(out, titles, cells, widths, text, numeric)
        return
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True,
                  header_style="bold")
    for i, title in enumerate(titles):
        table.add_column(Text(title), justify="right" if numeric[i] else "left",
                         width=widths[i], no_wrap=not text[i],
                         overflow="fold" if text[i] else "ellipsis")
    for r in cells:
        table.add_row(*(Text(v) for v in r))
    _print(out, table)


def _echo_table(out: Console, titles: Sequence[str], cells: Sequence[Sequence[str]],
                widths: Sequence[int], text: Sequence[bool], numeric: Sequence[bool]) -> None:
    """The layout of :func:`_print_table`, written without Rich (for long listings)."""
    import textwrap

    from rich.cells import set_cell_size

    gap = " " * _GAP

    def pad(value: str, i: int) -> str:
        room = widths[i] - _width(value)
        if room < 0:
            return set_cell_size(value, widths[i] - 1) + "…"
        return " " * room + value if numeric[i] else value + " " * room

    def lines(value: str, i: int) -> list[str]:
        if text[i] and _width(value) > widths[i]:
            return textwrap.wrap(value, widths[i], break_on_hyphens=False) or [""]
        return [value]

    styled = out.color_system is not None
    header = gap.join(pad(t, i) for i, t in enumerate(titles)).rstrip()
    chunks = [click.style(header, bold=True) if styled else header,
              "─" * (sum(widths) + _GAP * (len(widths) - 1))]
    for r in cells:
        parts = [lines(v, i) for i, v in enumerate(r)]
        for k in range(max(len(p) for p in parts)):
            chunks.append(gap.join(pad(p[k] if k < len(p) else "", i)
                                   for i, p in enumerate(parts)).rstrip())
    click.echo("\n".join(chunks), color=styled)


def _print_records(out: Console, titles: Sequence[str], cells: Sequence[Sequence[str]]) -> None:
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, _GAP))
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column(overflow="fold")
    for n, r in enumerate(cells):
        if n:
            grid.add_row("", "")
        for title, value in zip(titles, r, strict=True):
            grid.add_row(Text(title), Text(value))
    _print(out, grid)


def _print(out: Console, renderable: Any) -> None:
    if out.color_system is not None:
        out.print(renderable)
        return
    # Plain text (a pipe, a file, NO_COLOR): no padding at the ends of lines.
    with out.capture() as captured:
        out.print(renderable)
    click.echo("\n".join(line.rstrip() for line in captured.get().splitlines()))


class ProgressBar:
    """A ``progress(done, total)`` callback drawn as a Rich progress bar on standard
    error: only on a terminal, only when ``total`` is more than ``more_than``, and gone
    when the work ends (the summary line that follows stays). Use it as a context
    manager around the library call that reports progress."""

    def __init__(self, label: str, *, more_than: int) -> None:
        self.label = label
        self.more_than = more_than
        self._bar: Any = None
        self._task: Any = None
        self._off = False

    def __enter__(self) -> ProgressBar:
        return self

    def __call__(self, done: int, total: int) -> None:
        if self._off or total <= self.more_than:
            return
        if self._bar is None:
            stream = sys.stderr
            if not stream.isatty():
                self._off = True
                return
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                Progress,
                TaskProgressColumn,
                TextColumn,
                TimeRemainingColumn,
            )

            out = Console(file=stream, no_color=not colour_wanted(stream), highlight=False)
            self._bar = Progress(TextColumn("{task.description}"), BarColumn(),
                                 TaskProgressColumn(), TimeRemainingColumn(),
                                 console=out, transient=True)
            self._bar.start()
            self._task = self._bar.add_task(self.label, total=total)
        self._bar.update(self._task, completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

"""The options several commands share, and what turns their text into values.

- ``--as-of DATE`` (:func:`as_of_option`, :func:`as_of_day`): the day a command judges,
  dates or counts back from; today when not given.
- ``--period PERIOD`` (:data:`period_option`, :func:`period_or_year`): ``2026``,
  ``2026-H1``, ``2026-Q3``, ``2026-11`` or ``A..B``; the as-of day's year when not given.
- ``--format table|json|csv`` (:data:`format_option`): how a listing is printed.
- ``--within SPAN`` (:data:`within_option`, :func:`within_days`): a span of days such as
  ``30d``, ``2w`` or ``45``.

Values are parsed inside the command, not by click types, so a bad one is the library's
:class:`~interessent.errors.InvalidInput` (``Error: …``, exit 1) like any other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..errors import InvalidInput
from ..periods import Period, parse_date, parse_period

F = TypeVar("F", bound=Callable[..., Any])

#: The formats of a listing (:func:`interessent.cli._output.emit`).
FORMATS = ("table", "json", "csv")

_AS_OF_HELP = "Judge as on this day (YYYY-MM-DD; default today)."


def as_of_option(help: str = _AS_OF_HELP) -> Callable[[F], F]:
    """``--as-of DATE``, with the help text that says what the day means to the command."""
    return click.option("--as-of", "as_of", metavar="DATE", help=help)


def as_of_day(value: str | None) -> dt.date:
    """The day ``--as-of`` names, or today."""
    return parse_date(value) if value else dt.date.today()


period_option = click.option(
    "--period", metavar="PERIOD",
    help="2026, 2026-H1, 2026-Q3, 2026-11 or 2026-01-01..2026-06-30 (default: this year).",
)


def period_or_year(value: str | None, as_of: dt.date) -> Period:
    """The period ``--period`` names, or the calendar year of ``as_of``."""
    return parse_period(value) if value else Period.year(as_of.year)


format_option = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
    help="table for people, json or csv for scripts and spreadsheets.",
)

within_option = click.option(
    "--within", default="30d", show_default=True, metavar="DAYS",
    help="Show what falls due within this many days (30d, 2w, 45).",
)


def within_days(text: str) -> int:
    """Days in a span written ``30d``, ``2w`` or ``45``."""
    value = text.strip().lower()
    factor = 1
    if value.endswith("d"):
        value = value[:-1]
    elif value.endswith("w"):
        value, factor = value[:-1], 7
    if not value.isdigit():
        raise InvalidInput(f"not a number of days: {text!r} (write 30d, 2w or 45)")
    return int(value) * factor

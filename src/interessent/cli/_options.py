"""The options several commands share, and what turns their text into values.

- ``--as-of DATE`` (:func:`as_of_option`, :func:`as_of_day`): the day a command judges,
  dates or counts back from; today when not given.
- ``--period PERIOD`` (:data:`period_option`, :func:`period_or_year`): ``2026``,
  ``2026-H1``, ``2026-Q3``, ``2026-11`` or ``A..B``; the as-of day's year when not given.
- ``--format table|json|csv`` (:data:`format_option`): how a listing is printed.
- ``--within SPAN`` (:data:`within_option`, :func:`within_days`): a span of days such as
  ``30d``, ``2w`` or ``45``, at most :data:`MAX_WITHIN_DAYS`.
- :class:`Count`: a whole number within bounds (``--top``, ``--limit`` …).

Values are parsed inside the command, not by click types, so a bad one is the library's
:class:`~interessent.errors.InvalidInput` (``Error: …``, exit 1) like any other; a
:class:`Count` out of its range is one too. Every error names its option.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..bounds import check_number
from ..errors import InvalidInput
from ..i18n import N_, gettext
from ..periods import Period, parse_date, parse_period

F = TypeVar("F", bound=Callable[..., Any])

#: The formats of a listing (:func:`interessent.cli._output.emit`).
FORMATS = ("table", "json", "csv")

_AS_OF_HELP = N_("Judge as on this day (YYYY-MM-DD; default today).")


def as_of_option(help: str = _AS_OF_HELP) -> Callable[[F], F]:
    """``--as-of DATE``, with the help text that says what the day means to the command."""
    return click.option("--as-of", "as_of", metavar="DATE", help=help)


def as_of_day(value: str | None) -> dt.date:
    """The day ``--as-of`` names, or today."""
    return parse_date(value, field="--as-of") if value else dt.date.today()


period_option = click.option(
    "--period", metavar="PERIOD",
    help=N_("2026, 2026-H1, 2026-Q3, 2026-11 or 2026-01-01..2026-06-30 (default: this year)."),
)


def period_or_year(value: str | None, as_of: dt.date) -> Period:
    """The period ``--period`` names, or the calendar year of ``as_of``."""
    return parse_period(value, field="--period") if value else Period.year(as_of.year)


format_option = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
    help=N_("table for people, json or csv for scripts and spreadsheets."),
)

#: The longest span ``--within`` may name.
MAX_WITHIN_DAYS = 3660

within_option = click.option(
    "--within", default="30d", show_default=True, metavar="DAYS",
    help=N_("Show what falls due within this many days (30d, 2w, 45)."),
)


def within_days(text: str) -> int:
    """Days in a span written ``30d``, ``2w`` or ``45``."""
    value = text.strip().lower()
    factor = 1
    if value.endswith("d"):
        value = value[:-1]
    elif value.endswith("w"):
        value, factor = value[:-1], 7
    if not (value.isascii() and value.isdigit()):
        raise InvalidInput(gettext(
            "--within: not a number of days: {text!r} (write 30d, 2w or 45)").format(text=text))
    if len(value) > 6 or int(value) * factor > MAX_WITHIN_DAYS:
        raise InvalidInput(gettext("--within: at most {max} days (ten years), not {text}").format(
            max=MAX_WITHIN_DAYS, text=text))
    return int(value) * factor


class Count(click.IntRange):
    """A whole number from ``min`` to ``max``. Out of range or not a number, it is
    :class:`~interessent.errors.InvalidInput` naming the option (``Error: …``, exit 1), not
    a usage error; and the CLI reference shows the range as for any ``IntRange``."""

    def __init__(self, min: int, max: int) -> None:
        super().__init__(min=min, max=max)

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> int:
        name = param.opts[0] if param is not None and param.opts else "value"
        low, high = self.min, self.max
        assert low is not None and high is not None
        text = str(value).strip()
        digits = text[1:] if text[:1] in "+-" else text
        if not (digits.isascii() and digits.isdigit()):
            raise InvalidInput(gettext("{name}: {value!r} is not a whole number").format(
                name=name, value=value))
        if len(digits) > 100:  # Python reads no more than 4300 digits; no bound needs 100
            raise InvalidInput(f"{name}: must be from {low} to {high}, not a number of "
                               f"{len(digits)} digits")
        return int(check_number(int(text), name, low, high))


def sentiment_option(f: F) -> F:
    """``--sentiment positive|neutral|negative``: how a contact went (checked by the
    library, so a wrong word is ``Error: …``, exit 1)."""
    return click.option("--sentiment", metavar="SENTIMENT", help=N_(
        "How it went: positive, neutral or negative."))(f)


def media_options(replaces: bool = False) -> Callable[[F], F]:
    """``--outlet``, ``--tone``, ``--story`` and ``--message`` (repeatable): what the media
    published; ``replaces``: a repeated ``--message`` replaces the stored messages."""
    message = (N_("A key message of the plan it carried (repeatable; replaces the messages).")
               if replaces else N_("A key message of the plan it carried (repeatable)."))
    options = [
        click.option("--outlet", metavar="ID", help=N_(
            "For what the media published (article, post, web): the outlet that published "
            "it (a stakeholder id).")),
        click.option("--message", "messages", multiple=True, metavar="KEY", help=message),
        click.option("--tone", metavar="TONE", help=N_(
            "Its tone towards the programme: positive, neutral or negative.")),
        click.option("--story", metavar="ID", help=N_(
            "The success story it tells (an interaction id); the story is then published.")),
    ]

    def decorate(f: F) -> F:
        for option in reversed(options):
            f = option(f)
        return f

    return decorate

"""Calendar periods and cadence windows: ``2026``, ``2026-H1``, ``2026-Q3``, ``2026-11``,
``2026-01-01..2026-06-30``.

A :class:`Period` is an inclusive range of dates. A :class:`Cadence` unit (month, quarter,
half-year, year) cuts any period into the calendar windows a commitment is checked in.

Every date a person enters, wherever it is entered (a command's day or period, an imported
cell, a plan), must lie from :data:`FIRST_DAY` to :data:`LAST_DAY`; :func:`check_date` is
that one rule, and :func:`parse_date` and :func:`parse_period` apply it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import re
from collections.abc import Iterator

from attrs import frozen

from .errors import InvalidInput
from .i18n import N_, gettext

__all__ = ["FIRST_DAY", "LAST_DAY", "Days", "Period", "Unit", "check_date", "parse_date",
           "parse_days", "parse_period"]

#: The first and the last day interessent accepts in anything entered: far enough apart
#: for any birth date, archive date or plan, near enough that counting windows, months and
#: days from them never leaves the calendar (year 1 to 9999).
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2200, 12, 31)


class Unit(enum.StrEnum):
    """A cadence unit: how often a commitment must be kept."""

    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"

    @property
    def months(self) -> int:
        return {"month": 1, "quarter": 3, "half_year": 6, "year": 12}[self.value]

    @classmethod
    def parse(cls, text: str) -> Unit:
        """A unit from its name or a common English or Norwegian word for it."""
        key = text.strip().lower().replace("-", "_").replace(" ", "_")
        unit = _UNIT_ALIASES.get(key)
        if unit is None:
            expected = ", ".join(u.value for u in cls)
            raise InvalidInput(gettext("unknown period {text!r} (expected one of {expected})")
                               .format(text=text, expected=expected))
        return unit

    def window(self, day: dt.date) -> Period:
        """The calendar window of this unit that contains ``day``."""
        first_month = (day.month - 1) // self.months * self.months + 1
        start = dt.date(day.year, first_month, 1)
        return Period(start, _add_months(start, self.months) - dt.timedelta(days=1))

    def windows(self, period: Period) -> Iterator[Period]:
        """Every window of this unit that overlaps ``period``, in order."""
        window = self.window(period.start)
        while window.start <= period.end:
            yield window
            window = self.window(window.end + dt.timedelta(days=1))


_UNIT_ALIASES: dict[str, Unit] = {
    **{u.value: u for u in Unit},
    "monthly": Unit.MONTH,
    "måned": Unit.MONTH,
    "maned": Unit.MONTH,
    "månedlig": Unit.MONTH,
    "månad": Unit.MONTH,
    "månadleg": Unit.MONTH,
    "quarterly": Unit.QUARTER,
    "kvartal": Unit.QUARTER,
    "kvartalsvis": Unit.QUARTER,
    "half_yearly": Unit.HALF_YEAR,
    "halfyear": Unit.HALF_YEAR,
    "semiannual": Unit.HALF_YEAR,
    "halvår": Unit.HALF_YEAR,
    "halvårlig": Unit.HALF_YEAR,
    "halvårleg": Unit.HALF_YEAR,
    "yearly": Unit.YEAR,
    "annual": Unit.YEAR,
    "annually": Unit.YEAR,
    "år": Unit.YEAR,
    "årlig": Unit.YEAR,
    "årleg": Unit.YEAR,
}


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@frozen(order=True)
class Period:
    """An inclusive range of dates."""

    start: dt.date
    end: dt.date

    def __attrs_post_init__(self) -> None:
        for name, day in (("start", self.start), ("end", self.end)):
            if not isinstance(day, dt.date):
                raise InvalidInput(f"a period's {name} must be a date, not {day!r}", field=name)
        if self.end < self.start:
            raise InvalidInput(gettext("period ends ({end}) before it starts ({start})").format(
                end=self.end, start=self.start))

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end

    def clip(self, other: Period) -> Period | None:
        """The part of this period inside ``other``, or None."""
        if not self.overlaps(other):
            return None
        return Period(max(self.start, other.start), min(self.end, other.end))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))


_PERIOD_FORMS = N_("2026, 2026-H1, 2026-Q3, 2026-11 or 2026-01-01..2026-06-30")


def _invalid(field: str | None, message: str) -> InvalidInput:
    """The error for ``message`` about ``field``, naming it."""
    return InvalidInput(f"{field}: {message}" if field else message, field=field)


def check_date(day: dt.date, *, field: str | None = None) -> dt.date:
    """``day`` if it lies from :data:`FIRST_DAY` to :data:`LAST_DAY`, else
    :class:`InvalidInput` naming ``field`` (the plan key, the column, the option)."""
    if isinstance(day, dt.datetime):
        day = day.date()
    if not FIRST_DAY <= day <= LAST_DAY:
        raise _invalid(field, f"{day.isoformat()} is outside the dates accepted "
                              f"({FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()})")
    return day


def parse_date(text: str, *, field: str | None = None) -> dt.date:
    """An ISO date (``2026-11-26``); Norwegian ``26.11.2026`` is accepted too. A date
    outside :data:`FIRST_DAY` … :data:`LAST_DAY` is refused; errors name ``field``."""
    value = text.strip()
    try:
        return check_date(dt.date.fromisoformat(value), field=field)
    except ValueError as exc:
        if isinstance(exc, InvalidInput):
            raise
    match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", value)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            found = dt.date(year, month, day)
        except ValueError as exc:
            raise _invalid(field, gettext("not a date: {text!r} ({reason})").format(
                text=text, reason=exc)) from None
        return check_date(found, field=field)
    raise _invalid(field, gettext("not a date: {text!r} (expected YYYY-MM-DD)").format(
        text=text))


def parse_period(text: str, *, field: str | None = None) -> Period:
    """A period from one of the forms ``2026``, ``2026-H1``, ``2026-Q3``, ``2026-11`` or
    ``2026-01-01..2026-06-30``, lying from :data:`FIRST_DAY` to :data:`LAST_DAY`; errors
    name ``field``."""
    value = text.strip().upper()
    if ".." in value:
        first, _, last = value.partition("..")
        try:
            return Period(parse_date(first), parse_date(last))
        except InvalidInput as exc:
            raise _invalid(field, gettext("not a period: {text!r}: {reason}").format(
                text=text, reason=exc)) from None
    match = re.fullmatch(r"(\d{4})(?:-(H[12]|Q[1-4]|\d{1,2}))?", value)
    if not match:
        raise _invalid(field, gettext("not a period: {text!r} (expected {forms})").format(
            text=text, forms=gettext(_PERIOD_FORMS)))
    year = int(match.group(1))
    if not FIRST_DAY.year <= year <= LAST_DAY.year:
        raise _invalid(field, f"the year {year} is outside the dates accepted "
                              f"({FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()})")
    part = match.group(2)
    if part is None:
        return Period.year(year)
    if part[0] == "H":
        return Unit.HALF_YEAR.window(dt.date(year, (int(part[1]) - 1) * 6 + 1, 1))
    if part[0] == "Q":
        return Unit.QUARTER.window(dt.date(year, (int(part[1]) - 1) * 3 + 1, 1))
    month = int(part)
    if not 1 <= month <= 12:
        raise _invalid(field, f"not a period: {text!r} (month {month} does not exist)")
    return Unit.MONTH.window(dt.date(year, month, 1))


class Days(int):
    """A span of whole days, such as a lead time (:func:`parse_days` reads one from text)."""

    def __new__(cls, value: int = 0) -> Days:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidInput(f"not a number of days: {str(value)[:40]!r} (a whole number, "
                               "0 or more)")
        return super().__new__(cls, value)


def parse_days(value: object) -> Days:
    """Days from ``42``, ``"42"``, ``"42d"`` or ``"6w"`` (weeks); never negative."""
    text = str(value).strip().lower() if isinstance(value, int | str) else ""
    factor = 7 if text.endswith("w") else 1
    digits = text[:-1].strip() if text[-1:] in ("w", "d") else text
    if isinstance(value, bool) or not (digits.isascii() and digits.isdigit()):
        raise InvalidInput(f"not a number of days: {str(value)[:40]!r} (write 42, \"42d\" or "
                           "\"6w\")")
    days = int(digits) * factor if len(digits) <= 7 else 10**7
    if days > 3660:
        raise InvalidInput(f"{text[:12]!r} days is more than ten years")
    return Days(days)

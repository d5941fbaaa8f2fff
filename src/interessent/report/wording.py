"""The report's Norwegian: dates, numbers, percentages, period labels and file-name keys,
the words for statuses and urgencies (from the catalogs) and cadence units, and how a
stakeholder is named (a restricted one is not)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from typing import Protocol

from ..i18n import STATUS_WORDS, status_word
from ..periods import Period, Unit


class _Named(Protocol):
    """What naming a stakeholder reads: a :class:`~interessent.model.Stakeholder`, or the
    few columns a report reads of one."""

    @property
    def name(self) -> str: ...
    @property
    def restricted(self) -> bool: ...


_LOCALE = "nb_NO"

#: The report's language, until reports take the programme's (docs/languages.md).
LANGUAGE = "nb"


def status_words(language: str = LANGUAGE) -> dict[str, str]:
    """The word for each status and urgency, from the one table of
    :data:`interessent.i18n.STATUS_WORDS` that the command line reads too."""
    return {w: status_word(w, language) for w in STATUS_WORDS}


UNIT_NB = {Unit.MONTH: "måned", Unit.QUARTER: "kvartal", Unit.HALF_YEAR: "halvår",
           Unit.YEAR: "år"}


@functools.lru_cache(maxsize=4096)
def _date(day: dt.date, fmt: str = "long") -> str:
    """A day in Norwegian words (Babel's ``format``); kept, as a report writes the same
    few hundred days tens of thousands of times."""
    from babel.dates import format_date

    return str(format_date(day, format=fmt, locale=_LOCALE))


def _percent(value: float | None) -> str:
    if value is None:
        return "–"
    from babel.numbers import format_percent

    return str(format_percent(value, locale=_LOCALE))


def _whole_months(p: Period) -> bool:
    return p.start.day == 1 and (p.end + dt.timedelta(days=1)).day == 1


def period_label(p: Period) -> str:
    """``2026``, ``1. halvår 2026``, ``3. kvartal 2026``, ``november 2026`` or
    ``1. januar 2026–30. juni 2026``."""
    for unit in (Unit.YEAR, Unit.HALF_YEAR, Unit.QUARTER, Unit.MONTH):
        if unit.window(p.start) == p:
            n = (p.start.month - 1) // unit.months + 1
            if unit is Unit.YEAR:
                return str(p.start.year)
            if unit is Unit.MONTH:
                return _date(p.start, "LLLL y")
            return f"{n}. {UNIT_NB[unit]} {p.start.year}"
    return f"{_date(p.start)}–{_date(p.end)}"


def period_key(p: Period) -> str:
    """The period as in a file name: ``2026``, ``2026-H1``, ``2026-Q3``, ``2026-11`` or
    ``2026-01-15--2026-06-30``."""
    y = p.start.year
    if Unit.YEAR.window(p.start) == p:
        return str(y)
    if Unit.HALF_YEAR.window(p.start) == p:
        return f"{y}-H{(p.start.month - 1) // 6 + 1}"
    if Unit.QUARTER.window(p.start) == p:
        return f"{y}-Q{(p.start.month - 1) // 3 + 1}"
    if Unit.MONTH.window(p.start) == p:
        return f"{y}-{p.start.month:02d}"
    return f"{p.start.isoformat()}--{p.end.isoformat()}"


def _number(value: int | float) -> str:
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=_LOCALE))


def _upfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def _shown_name(s: _Named | None, fallback: str = "") -> str:
    """A stakeholder's name; those whose processing is restricted (GDPR art. 18) are not
    named in reports."""
    if s is None:
        return fallback
    return "(begrenset behandling)" if s.restricted else s.name


def _names(ids: Iterable[str], by_id: Mapping[str, _Named]) -> list[str]:
    return [_shown_name(by_id.get(i), i) for i in ids]

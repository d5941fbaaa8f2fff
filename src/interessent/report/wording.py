"""The report's language: dates, numbers, percentages, period labels and file-name keys,
the words for statuses and urgencies (from the catalogs) and cadence units, and how a
stakeholder is named (a restricted one is not).

A report speaks the language it was made in (:attr:`Report.language`): the functions
here read the language set with :func:`interessent.i18n.using`, which the report's entry
points set from their ``language`` argument, or take it as an argument."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Protocol

from ..i18n import (
    BABEL_LOCALES,
    N_,
    STATUS_WORDS,
    Np_,
    current_language,
    gettext,
    localized,
    pgettext,
    status_word,
    using,
)
from ..model import BUILTIN_INTERACTION_KINDS
from ..periods import Period, Unit


class _Named(Protocol):
    """What naming a stakeholder reads: a :class:`~interessent.model.Stakeholder`, or the
    few columns a report reads of one."""

    @property
    def name(self) -> str: ...
    @property
    def restricted(self) -> bool: ...

if TYPE_CHECKING:
    from ..plan import Plan

#: Babel's locale for each language's dates and numbers.

#: The language of a plan that does not say (``programme.language``'s default).
LANGUAGE = "nb"


def _locale() -> str:
    return BABEL_LOCALES.get(current_language(), "en_GB")


def status_words(language: str | None = None) -> dict[str, str]:
    """The word for each status and urgency, from the one table of
    :data:`interessent.i18n.STATUS_WORDS` that the command line reads too."""
    return {w: status_word(w, language) for w in STATUS_WORDS}


#: A cadence's unit in a sentence («minst 1 per kvartal»), translated where it is shown.
UNIT_WORDS = {Unit.MONTH: N_("month"), Unit.QUARTER: N_("quarter"),
              Unit.HALF_YEAR: N_("half-year"), Unit.YEAR: N_("year")}


def unit_word(unit: Unit) -> str:
    """``quarter`` → «kvartal» in the current language."""
    return gettext(UNIT_WORDS[unit])


#: The built-in interaction kinds' names in reports (bokmål in
#: :data:`~interessent.model.BUILTIN_INTERACTION_KINDS`), translated where they are shown.
KIND_WORDS = {
    "meeting": Np_("interaction kind", "meeting"),
    "letter": Np_("interaction kind", "letter"),
    "email": Np_("interaction kind", "e-mail"),
    "call": Np_("interaction kind", "phone call"),
    "article": Np_("interaction kind", "news story in the media"),
    "post": Np_("interaction kind", "social media post"),
    "web": Np_("interaction kind", "story on the website"),
    "board_meeting": Np_("interaction kind", "board meeting"),
    "report": Np_("interaction kind", "report"),
    "annual_report": Np_("interaction kind", "annual report"),
    "event": Np_("interaction kind", "event"),
    "visit": Np_("interaction kind", "company visit"),
    "presentation": Np_("interaction kind", "presentation"),
    "mailing": Np_("interaction kind", "mailing"),
}


def kind_names(plan: Plan) -> dict[str, str]:
    """Each interaction kind's name in the current language: the plan's own name where it
    gives one, else the built-in kind's words."""
    out = {}
    for key, name in plan.all_interaction_kinds.items():
        builtin = key in KIND_WORDS and name == BUILTIN_INTERACTION_KINDS.get(key)
        out[key] = pgettext("interaction kind", KIND_WORDS[key]) if builtin else localized(name)
    return out


def _date(day: dt.date, fmt: str = "long") -> str:
    """A day in words of the current language (Babel's ``format``)."""
    return _date_in(day, fmt, _locale())


@functools.lru_cache(maxsize=4096)
def _date_in(day: dt.date, fmt: str, locale: str) -> str:
    """A day in ``locale``'s words; kept, as a report writes the same few hundred days
    tens of thousands of times."""
    from babel.dates import format_date

    return str(format_date(day, format=fmt, locale=locale))


def _percent(value: float | None) -> str:
    if value is None:
        return "–"
    from babel.numbers import format_percent

    return str(format_percent(value, locale=_locale()))


def _whole_months(p: Period) -> bool:
    return p.start.day == 1 and (p.end + dt.timedelta(days=1)).day == 1


def period_label(p: Period, *, language: str | None = None) -> str:
    """``2026``, ``1. halvår 2026``, ``3. kvartal 2026``, ``november 2026`` or
    ``1. januar 2026–30. juni 2026`` in ``language`` (default: the current one, see
    :func:`interessent.i18n.using`): ``H1 2026``, ``Q3 2026``, ``November 2026`` in
    English."""
    if language is not None:
        with using(language):
            return period_label(p)
    for unit in (Unit.YEAR, Unit.HALF_YEAR, Unit.QUARTER, Unit.MONTH):
        if unit.window(p.start) == p:
            n = (p.start.month - 1) // unit.months + 1
            if unit is Unit.YEAR:
                return str(p.start.year)
            if unit is Unit.MONTH:
                return _date(p.start, "LLLL y")
            if unit is Unit.QUARTER:
                return gettext("{n}. quarter {year}").format(n=n, year=p.start.year)
            return gettext("{n}. half-year {year}").format(n=n, year=p.start.year)
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


def _number(value: int | float, fmt: str | None = None) -> str:
    """``value`` as the current language writes it (``12 345,5``; ``12,345.5``), in
    Babel's number pattern ``fmt`` if given (``0.00``)."""
    from babel.numbers import format_decimal

    return str(format_decimal(value, format=fmt, locale=_locale()))


def _upfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def _shown_name(s: _Named | None, fallback: str = "") -> str:
    """A stakeholder's name; those whose processing is restricted (GDPR art. 18) are not
    named in reports."""
    if s is None:
        return fallback
    return gettext("(restricted processing)") if s.restricted else s.name


def _names(ids: Iterable[str], by_id: Mapping[str, _Named]) -> list[str]:
    return [_shown_name(by_id.get(i), i) for i in ids]

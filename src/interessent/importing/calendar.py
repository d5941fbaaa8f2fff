"""``import calendar``: one interaction per occurrence of a calendar's events
(:func:`import_calendar`).

The file is read with ``icalendar``; recurring events are expanded with
``recurring-ical-events`` (RRULE, RDATE, EXDATE, and RECURRENCE-ID for an occurrence
moved or changed) from the first accepted date up to the as-of day. For each occurrence:

- the organizer and every attendee who did not decline (``PARTSTAT=DECLINED``) are
  matched by address (:mod:`.capture`); a cancelled occurrence (``STATUS:CANCELLED``) is
  not logged;
- the kind is the plan's ``capture.calendar_kind``, the topic the summary, and the date
  the day the occurrence starts in the event's own timezone (an all-day event: its day);
- the key is the event's UID, and for an occurrence of a recurring event (or one moved,
  with a RECURRENCE-ID) its original start too, so an event moved to another day is still
  the one logged. An event without a UID is keyed by its start, summary and organizer.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..bounds import cut, one_line
from ..errors import InvalidInput
from ..i18n import format_number, gettext
from ..periods import FIRST_DAY, check_date
from .capture import TOPIC_CHARS, CaptureResult, Contact, address, log_contacts
from .tables import _read_bytes, _regular_file

if TYPE_CHECKING:
    from ..workspace import Workspace

__all__ = ["MAX_OCCURRENCES", "import_calendar"]

#: A calendar that expands to more occurrences than this up to the as-of day is refused
#: (a rule repeating every minute would otherwise never end).
MAX_OCCURRENCES = 50_000


def import_calendar(
    ws: Workspace, path: str | Path, *, as_of: dt.date | None = None, dry_run: bool = False,
) -> CaptureResult:
    """Log each occurrence of the events of the ``.ics`` file at ``path`` up to ``as_of``
    (default today) as one interaction with the registered people outside the programme's
    own people who took part; see the module. Importing the same file again logs nothing
    new. A missing or unreadable file is :class:`~interessent.errors.InvalidInput`."""
    day = check_date(as_of, field="as_of") if as_of is not None else dt.date.today()
    path = Path(path)
    name = path.name or str(path)
    data = _read(path, name)
    contacts, cancelled = _contacts(data, name, day)
    return log_contacts(ws, contacts, source_kind="calendar", source=name,
                        kind=ws.plan.capture.calendar_kind, dry_run=dry_run,
                        cancelled=cancelled, as_of=day)


def _read(path: Path, name: str) -> bytes:
    try:
        _regular_file(path, name, path.stat())
        return _read_bytes(path, name)
    except FileNotFoundError:
        raise InvalidInput(gettext("no such file: {path}").format(path=path)) from None
    except OSError as exc:
        raise InvalidInput(gettext("cannot read {path}: {reason}").format(
            path=path, reason=exc.strerror or exc)) from None


def _contacts(data: bytes, name: str, as_of: dt.date) -> tuple[list[Contact], int]:
    """The occurrences up to ``as_of`` as contacts, and how many were cancelled."""
    import icalendar
    import recurring_ical_events

    try:
        calendar = icalendar.Calendar.from_ical(data)
        if not isinstance(calendar, icalendar.Calendar) or calendar.name != "VCALENDAR":
            raise ValueError("no VCALENDAR")
        series = {str(e.get("UID", "")) for e in calendar.walk("VEVENT")
                  if e.get("RRULE") is not None or e.get("RDATE") is not None
                  or e.get("RECURRENCE-ID") is not None}
        _bounded(calendar, name, as_of)
        # two days more: a day's occurrence elsewhere may start on the next day in UTC
        occurrences = recurring_ical_events.of(calendar).between(
            FIRST_DAY, as_of + dt.timedelta(days=2))
        contacts: list[Contact] = []
        cancelled = 0
        for event in occurrences:
            start = event["DTSTART"].dt
            day = start.date() if isinstance(start, dt.datetime) else start
            if not FIRST_DAY <= day <= as_of:
                continue
            if str(event.get("STATUS", "")).upper() == "CANCELLED":
                cancelled += 1
                continue
            contacts.append(_contact(event, day, series))
    except InvalidInput:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError,
            RecursionError) as exc:
        reason = (gettext("an event without {field}").format(field=exc.args[0])
                  if isinstance(exc, KeyError) and exc.args
                  else one_line(cut(str(exc) or type(exc).__name__, 120)))
        raise InvalidInput(gettext("{name}: not a calendar file that can be read "
                                   "({reason})").format(name=name, reason=reason)) from None
    except recurring_ical_events.InvalidCalendar as exc:
        reason = one_line(cut(str(exc) or type(exc).__name__, 120))
        raise InvalidInput(gettext("{name}: not a calendar file that can be read "
                                   "({reason})").format(name=name, reason=reason)) from None
    return contacts, cancelled


def _bounded(calendar: Any, name: str, as_of: dt.date) -> None:
    """Refuse a calendar whose rules repeat more than :data:`MAX_OCCURRENCES` times up to
    ``as_of``, counted with dateutil's ``rrule`` before anything is expanded (a rule
    repeating every second would fill the memory). The count ignores timezones, EXDATE and
    RECURRENCE-ID: it bounds, it does not expand."""
    from dateutil.rrule import rrulestr

    end = dt.datetime.combine(as_of + dt.timedelta(days=2), dt.time())
    total = 0
    for event in calendar.walk("VEVENT"):
        total += 1
        rules = event.get("RRULE")
        start = event.get("DTSTART")
        if rules is None or start is None:
            continue
        first = start.dt if isinstance(start.dt, dt.datetime) else \
            dt.datetime.combine(start.dt, dt.time())
        for rule in rules if isinstance(rules, list) else [rules]:
            text = _NAIVE_UNTIL.sub(r"UNTIL=\1", rule.to_ical().decode("ascii", "replace"))
            try:
                total += _count(rrulestr(text, dtstart=first.replace(tzinfo=None)), end,
                                MAX_OCCURRENCES - total)
            except (ValueError, TypeError, OverflowError):
                continue  # a rule dateutil cannot read: recurring-ical-events judges it
            if total > MAX_OCCURRENCES:
                raise InvalidInput(gettext(
                    "{name}: more than {limit} occurrences up to {day}; import a shorter "
                    "calendar").format(name=name, limit=format_number(MAX_OCCURRENCES),
                                       day=as_of.isoformat()))


def _count(rule: Any, end: dt.datetime, limit: int) -> int:
    """The occurrences of ``rule`` up to ``end``, counted until one more than ``limit``."""
    n = 0
    for when in rule:
        if when > end or n > limit:
            break
        n += 1
    return n


_NAIVE_UNTIL = re.compile(r"UNTIL=(\d{8}(?:T\d{6})?)Z?")


def _contact(event: Any, day: dt.date, series: set[str]) -> Contact:
    uid = str(event.get("UID", ""))
    start = event["DTSTART"].dt
    summary = one_line(str(event.get("SUMMARY", "")), TOPIC_CHARS) or None
    organizer = event.get("ORGANIZER")
    addresses = [address(organizer)] if organizer is not None else []
    attendees = event.get("ATTENDEE", [])
    for attendee in attendees if isinstance(attendees, list) else [attendees]:
        if str(attendee.params.get("PARTSTAT", "")).upper() != "DECLINED":
            addresses.append(address(attendee))
    if not uid:
        key = "\0".join(("ics-without-uid", _instant(start), summary or "",
                         str(organizer or "")))
    elif uid in series:
        original = event.get("RECURRENCE-ID")
        key = "\0".join(("ics", uid, _instant(original.dt if original is not None else start)))
    else:
        key = "\0".join(("ics", uid))
    return Contact(key=key, day=day, topic=summary,
                   addresses=tuple(dict.fromkeys(a for a in addresses if a)))


def _instant(value: dt.date | dt.datetime) -> str:
    """A start as one text whatever its timezone: UTC for a time with a zone."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).isoformat()
    return value.isoformat()

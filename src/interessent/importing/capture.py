"""What calendars and mail have in common: a contact read from outside (:class:`Contact`),
the registered people its addresses name, and logging the contacts once each
(:func:`log_contacts`), with what happened in a :class:`CaptureResult`.

An address names the stakeholders whose ``email`` it is, ignoring case. The participants
of a contact are the named stakeholders outside the programme's own people
(:func:`interessent.rules.is_programme_own`); a contact with none is skipped and counted.
Addresses nobody has are listed, never registered. A stakeholder whose processing is
restricted (GDPR art. 18) is named but not logged.

Each contact has a key (a calendar occurrence, a message); its SHA-256 is stored in
``interactions.source_key``, and a contact whose key is stored already is left out inside
the writing transaction (:func:`.transaction.import_rows`), so importing a file again, or
twice at once, logs each contact once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs
from attrs import frozen

from ..bounds import one_line, printable
from ..i18n import gettext, ngettext
from ..plaindata import plain
from ..rules import is_programme_own
from .transaction import import_rows

if TYPE_CHECKING:
    from ..workspace import Workspace

__all__ = ["CaptureResult", "Contact", "address", "log_contacts"]

#: The longest topic taken from a subject or a summary; a longer one is cut with "…".
TOPIC_CHARS = 300
#: The longest address kept; a longer one is no address (RFC 5321 allows 254).
_ADDRESS_CHARS = 320
_ADDRESS = re.compile(r"^[^\s@<>\"(),;:\[\]]+@[^\s@<>\"(),;:\[\]]+$")
#: How many unknown addresses a summary names before "and N more".
_SHOWN_ADDRESSES = 10

Source = Literal["calendar", "mail"]


def address(text: object) -> str | None:
    """An e-mail address as it is matched: ``mailto:`` dropped, trimmed, lower case; None
    when it is no plain address (or holds anything :mod:`interessent.bounds` refuses)."""
    value = str(text).strip()
    if value[:7].lower() == "mailto:":
        value = value[7:].strip()
    value = value.lower()
    if not value or len(value) > _ADDRESS_CHARS or one_line(value) != value:
        return None
    return value if _ADDRESS.match(value) else None


@frozen
class Contact:
    """One contact read from a file: its outside ``key`` (hashed before it is stored),
    the day, the topic, every address it names, and how many people it was sent to
    (mail: ``recipients``, the addresses of To and Cc)."""

    key: str
    day: dt.date
    topic: str | None
    addresses: tuple[str, ...]
    recipients: tuple[str, ...] = ()
    notes: str | None = None


@frozen
class CaptureResult:
    """What ``import calendar`` or ``import mail`` did (or, ``dry_run``, would do).

    ``found``: the occurrences or messages read; ``logged``: those logged now (``ids``);
    ``already_imported``: logged by an earlier import (or twice in this one);
    ``without_outsider``: skipped, no registered participant outside the programme's own
    people; ``mailings``: of those logged, the messages logged as one mailing;
    ``cancelled``: cancelled occurrences; ``unreadable``: messages without a usable date;
    ``unknown_addresses``: the addresses no stakeholder has, sorted."""

    source_kind: Source
    source: str
    found: int
    logged: int
    already_imported: int
    without_outsider: int
    mailings: int = 0
    cancelled: int = 0
    unreadable: int = 0
    unknown_addresses: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    dry_run: bool = False
    as_of: dt.date | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain data (the JSON of ``import calendar --json`` and ``import mail --json``)."""
        return dict(plain(attrs.asdict(self, recurse=False)))

    def summary(self) -> str:
        """A few lines for people: what was logged, what was not and why."""
        if self.source_kind == "calendar":
            line = ngettext("{source}: {found} occurrence read", "{source}: {found} "
                            "occurrences read", self.found)
        else:
            line = ngettext("{source}: {found} message read", "{source}: {found} messages "
                            "read", self.found)
        parts = [line.format(source=printable(self.source), found=self.found)]
        parts.append(ngettext("{n} contact logged", "{n} contacts logged",
                              self.logged).format(n=self.logged))
        if self.mailings:
            parts.append(ngettext("{n} of them as a mailing", "{n} of them as mailings",
                                  self.mailings).format(n=self.mailings))
        parts.append(gettext("{n} already imported").format(n=self.already_imported))
        parts.append(gettext("{n} skipped without anyone outside the programme").format(
            n=self.without_outsider))
        if self.cancelled:
            parts.append(gettext("{n} cancelled").format(n=self.cancelled))
        if self.unreadable:
            parts.append(gettext("{n} without a usable date").format(n=self.unreadable))
        text = ", ".join(parts)
        if self.dry_run:
            text += gettext(" — dry run, nothing written")
        if self.unknown_addresses:
            n = len(self.unknown_addresses)
            shown = ", ".join(self.unknown_addresses[:_SHOWN_ADDRESSES])
            if n > _SHOWN_ADDRESSES:
                shown += gettext(" and {n} more").format(n=n - _SHOWN_ADDRESSES)
            text += "\n" + ngettext("{n} address is no stakeholder's: {addresses}",
                                    "{n} addresses are no stakeholder's: {addresses}",
                                    n).format(n=n, addresses=printable(shown))
        return text


@frozen
class _People:
    """The registered stakeholders by address, and which of them may be participants."""

    by_address: dict[str, tuple[str, ...]]
    outside: frozenset[str]
    """Ids of those outside the programme's own people whose processing is not
    restricted: the participants a contact may have."""

    def named(self, addresses: Iterable[str]) -> list[str]:
        """The ids the addresses name, each once, in the order named."""
        return list(dict.fromkeys(i for a in addresses for i in self.by_address.get(a, ())))


def _people(ws: Workspace) -> _People:
    plan = ws.plan
    by_address: dict[str, list[str]] = {}
    outside: set[str] = set()
    for person in ws.store.stakeholders():
        for part in re.split(r"[,;\s]+", person.email or ""):
            found = address(part)
            if found is not None:
                by_address.setdefault(found, []).append(person.id)
        if not person.restricted and not is_programme_own(person.id, person.roles, plan):
            outside.add(person.id)
    return _People({a: tuple(ids) for a, ids in by_address.items()}, frozenset(outside))


def source_key(key: str) -> str:
    """The SHA-256 (hex) of a contact's key, as ``interactions.source_key`` holds it."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def log_contacts(
    ws: Workspace,
    contacts: Sequence[Contact],
    *,
    source_kind: Source,
    source: str,
    kind: str,
    dry_run: bool,
    found: int | None = None,
    cancelled: int = 0,
    unreadable: int = 0,
    as_of: dt.date | None = None,
) -> CaptureResult:
    """Log each contact once as an interaction of ``kind`` (a mail to more registered
    people than the plan's ``capture.mass_mail_threshold``: of ``capture.mailing_kind``),
    in one transaction, with the importer's checks."""
    capture = ws.plan.capture
    people = _people(ws)
    rows: list[dict[str, Any]] = []
    keys: list[str] = []
    seen: set[str] = set()
    mailing: list[bool] = []
    unknown: set[str] = set()
    twice = without = 0
    for contact in contacts:
        unknown.update(a for a in contact.addresses if a not in people.by_address)
        participants = [i for i in people.named(contact.addresses) if i in people.outside]
        if not participants:
            without += 1
            continue
        key = source_key(contact.key)
        if key in seen:
            twice += 1
            continue
        seen.add(key)
        mass = (source_kind == "mail"
                and len(people.named(contact.recipients)) > capture.mass_mail_threshold)
        rows.append({"id": "", "date": contact.day, "kind": capture.mailing_kind if mass
                     else kind, "participants": participants, "topic": contact.topic,
                     "notes": contact.notes})
        keys.append(key)
        mailing.append(mass)
    logged: tuple[str, ...] = ()
    mailings = 0
    if rows:
        result = import_rows(ws, "interactions", rows, source=source, dry_run=dry_run,
                             mode="new", source_keys=keys)
        logged = result.ids
        twice += len(result.left_out)
        stored = set(result.left_out)
        mailings = sum(m for n, m in enumerate(mailing) if n not in stored)
    return CaptureResult(
        source_kind=source_kind, source=source,
        found=len(contacts) + cancelled + unreadable if found is None else found,
        logged=len(logged), already_imported=twice, without_outsider=without,
        mailings=mailings, cancelled=cancelled, unreadable=unreadable,
        unknown_addresses=tuple(sorted(unknown)), ids=logged, dry_run=dry_run, as_of=as_of)


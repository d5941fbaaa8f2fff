"""``import mail``: one interaction per message of an ``.eml`` file, an ``.mbox`` file or
a folder of them (:func:`import_mail`).

Messages are parsed with the standard library (``email`` with ``policy.default``,
``mailbox.mbox``). For each message:

- the addresses of From, To and Cc are matched (:mod:`.capture`); Sender, Reply-To and
  Bcc are not read;
- the kind is the plan's ``capture.mail_kind``; a message to more registered people (in
  To and Cc) than ``capture.mass_mail_threshold`` is logged once, of
  ``capture.mailing_kind``, with all of them;
- the topic is the subject, and the date the day of the Date header in its own timezone;
  a message without a usable Date is counted and not logged;
- the key is the Message-ID; a message without one is keyed by its Date, From and
  Subject headers;
- the body is not stored, unless ``bodies`` is asked for: then its plain-text part goes
  into the interaction's notes.

Every header and body is cleaned by the rules of :mod:`interessent.bounds` before it is
stored (:func:`~interessent.bounds.one_line`, :func:`~interessent.bounds.lines_of`).
Outlook's own ``.msg`` files are refused: the readers of that format are GPL-licensed or
unmaintained; Outlook saves a message as ``.eml`` too.
"""

from __future__ import annotations

import datetime as dt
import email
import email.errors
import email.policy
import email.utils
import mailbox
import stat
from collections.abc import Iterator
from email.message import EmailMessage, Message
from pathlib import Path
from typing import TYPE_CHECKING

from ..bounds import lines_of, one_line
from ..errors import InvalidInput
from ..i18n import gettext
from ..periods import FIRST_DAY, LAST_DAY
from .capture import TOPIC_CHARS, CaptureResult, Contact, address, log_contacts
from .tables import MAX_BYTES, _read_bytes, _regular_file

if TYPE_CHECKING:
    from ..workspace import Workspace

__all__ = ["BODY_CHARS", "MAIL_SUFFIXES", "import_mail"]

#: The files a folder is searched for, by their ending in any case.
MAIL_SUFFIXES = (".eml", ".mbox")
#: The longest body kept in the notes with ``bodies``; a longer one is cut with "…".
BODY_CHARS = 20_000
#: The longest header value read; a longer one is cut before it is parsed further.
_HEADER_CHARS = 10_000
#: What goes wrong parsing a hostile message (the standard library raises all of these).
_BROKEN = (email.errors.MessageError, ValueError, TypeError, LookupError, AttributeError,
           IndexError, UnicodeError, RecursionError)


def import_mail(
    ws: Workspace, path: str | Path, *, dry_run: bool = False, bodies: bool = False,
) -> CaptureResult:
    """Log each message of the ``.eml`` or ``.mbox`` file at ``path``, or of every such
    file in the folder at ``path`` and its subfolders, as one interaction with the
    registered people outside the programme's own people it was from or to; see the
    module. Importing the same messages again logs nothing new. A missing path, a folder
    without mail, a ``.msg`` file are :class:`~interessent.errors.InvalidInput`."""
    path = Path(path)
    name = path.name or str(path)
    contacts: list[Contact] = []
    unreadable = 0
    for message in _messages(path, name):
        contact = _contact(message, bodies)
        if contact is None:
            unreadable += 1
        else:
            contacts.append(contact)
    return log_contacts(ws, contacts, source_kind="mail", source=name,
                        kind=ws.plan.capture.mail_kind, dry_run=dry_run,
                        unreadable=unreadable)


def _messages(path: Path, name: str) -> Iterator[Message]:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InvalidInput(gettext("no such file or folder: {path}").format(path=path)) from None
    except OSError as exc:
        raise InvalidInput(gettext("cannot read {path}: {reason}").format(
            path=path, reason=exc.strerror or exc)) from None
    if not stat.S_ISDIR(info.st_mode):
        yield from _file(path, name)
        return
    try:
        files = sorted(p for p in path.rglob("*")
                       if p.suffix.lower() in MAIL_SUFFIXES and p.is_file())
    except OSError as exc:
        raise InvalidInput(gettext("cannot read {path}: {reason}").format(
            path=path, reason=exc.strerror or exc)) from None
    if not files:
        raise InvalidInput(gettext("{path}: no .eml or .mbox file in this folder").format(
            path=path))
    for file in files:
        yield from _file(file, file.name)


def _file(path: Path, name: str) -> Iterator[Message]:
    suffix = path.suffix.lower()
    if suffix == ".msg":
        raise InvalidInput(gettext("{name}: Outlook .msg files cannot be read; save the "
                                   "messages as .eml (or export an .mbox) and import "
                                   "those").format(name=name))
    try:
        _regular_file(path, name, path.stat())
        data = _read_bytes(path, name)
    except OSError as exc:
        raise InvalidInput(gettext("cannot read {path}: {reason}").format(
            path=path, reason=exc.strerror or exc)) from None
    if suffix == ".mbox" or (suffix != ".eml" and data.startswith(b"From ")):
        yield from _mbox(path, name, len(data))
        return
    yield email.message_from_bytes(data, policy=email.policy.default)


def _mbox(path: Path, name: str, size: int) -> Iterator[Message]:
    if size > MAX_BYTES:  # pragma: no cover - _read_bytes refused it
        raise InvalidInput(gettext("{name}: larger than {limit} MB").format(
            name=name, limit=MAX_BYTES // 2**20))
    box = mailbox.mbox(path, create=False)
    try:
        for key in box.iterkeys():
            try:
                message = email.message_from_bytes(box.get_bytes(key),
                                                   policy=email.policy.default)
            except _BROKEN:
                continue
            yield message
    except OSError as exc:
        raise InvalidInput(gettext("cannot read {path}: {reason}").format(
            path=path, reason=exc.strerror or exc)) from None
    finally:
        box.close()


def _header(message: Message, name: str) -> list[str]:
    """The values of a header as text, each cut to a bounded length."""
    try:
        return [str(v)[:_HEADER_CHARS] for v in message.get_all(name, [])]
    except _BROKEN:
        return []


def _addresses(message: Message, *names: str) -> list[str]:
    found: list[str] = []
    for name in names:
        try:
            pairs = email.utils.getaddresses(_header(message, name))
        except _BROKEN:
            continue
        found += [a for _, spec in pairs if (a := address(spec)) is not None]
    return found


def _day(message: Message) -> dt.date | None:
    """The day of the Date header in its own timezone, or None."""
    for value in _header(message, "Date")[:1]:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except _BROKEN:
            return None
        day = when.date()
        return day if FIRST_DAY <= day <= LAST_DAY else None
    return None


def _contact(message: Message, bodies: bool) -> Contact | None:
    day = _day(message)
    if day is None:
        return None
    subject = " ".join(_header(message, "Subject")[:1])
    sender = _addresses(message, "From")
    recipients = _addresses(message, "To", "Cc")
    ids = [one_line(v) for v in _header(message, "Message-ID")[:1]]
    if ids and ids[0]:
        key = "\0".join(("mail", ids[0]))
    else:
        key = "\0".join(("mail-without-id", *(" ".join(_header(message, h)[:1])
                                              for h in ("Date", "From", "Subject"))))
    return Contact(key=key, day=day, topic=one_line(subject, TOPIC_CHARS) or None,
                   addresses=tuple(dict.fromkeys(sender + recipients)),
                   recipients=tuple(dict.fromkeys(recipients)),
                   notes=_body(message) if bodies else None)


def _body(message: Message) -> str | None:
    """The plain-text part of a message, cleaned and cut, or None."""
    if not isinstance(message, EmailMessage):
        return None
    try:
        part = message.get_body(preferencelist=("plain",))
        text = part.get_content() if part is not None else None
    except _BROKEN:
        return None
    if not isinstance(text, str):
        return None
    return lines_of(text, BODY_CHARS) or None

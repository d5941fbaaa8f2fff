"""E-mail letters (``.eml``): an unsent MIME message with the text variant, the HTML
variant as its alternative, and headers that say who signed under which rule.

Every header that carries data (names, addresses, the subject, the signer, the rule, the
template's file name) is written here, token by token, and not by the ``email``
package's header folder: that folder, in the Python versions this project supports,
decodes an encoded word found in a value and writes the result raw (CPython gh-121650,
gh-121284, gh-80222), so a name holding ``=?utf-8?q?=0D=0ABcc=3A…?=`` became a ``Bcc:``
line. Here a word goes in as it is only when it is plain ASCII that means nothing in
that header (an atom in a display name; printable ASCII without ``=?`` in text); every
other run of words becomes RFC 2047 encoded words (UTF-8, base64), which a reader
decodes back to the very text, never to structure. Addresses are checked and in ASCII
(:func:`.text._mail_address`). The body is the ``email`` package's (``set_content``).
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from typing import TYPE_CHECKING

from .text import _header_text, _mail_address

if TYPE_CHECKING:
    from ..model import Stakeholder
    from .letters import _Drafter

_ATOM = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,70}")  # RFC 5322 atext
_PRINTABLE = re.compile(r"[!-~]{1,70}")
_EW_BYTES = 45  # 45 bytes are 60 base64 characters: an encoded word of 72 (limit 75)
_LINE = 78
_DOMAIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")


def _encoded_words(text: str) -> list[str]:
    """``text`` as RFC 2047 encoded words, each at most 75 characters, never splitting a
    character between two of them."""
    chunks: list[bytes] = []
    chunk = b""
    for ch in text:
        data = ch.encode("utf-8")
        if len(chunk) + len(data) > _EW_BYTES:
            chunks.append(chunk)
            chunk = b""
        chunk += data
    chunks.append(chunk)
    return [f"=?utf-8?b?{base64.b64encode(c).decode('ascii')}?=" for c in chunks if c]


def _tokens(text: str, plain: re.Pattern[str]) -> list[str]:
    """One line of text as header tokens: each word that is ``plain`` (and holds no
    ``=?``) as it is, each run of other words (with the spaces inside it) as encoded
    words. Whitespace between a plain word and an encoded word is kept by every reader."""
    tokens: list[str] = []
    run: list[str] = []
    for word in _header_text(text).split(" "):
        if plain.fullmatch(word) and "=?" not in word:
            if run:
                tokens += _encoded_words(" ".join(run))
                run = []
            tokens.append(word)
        elif word:
            run.append(word)
    if run:
        tokens += _encoded_words(" ".join(run))
    return tokens


def _field(name: str, tokens: list[str]) -> str:
    """A header line, folded between tokens before 78 characters (a token is never cut)."""
    lines: list[str] = []
    line = f"{name}:"
    for token in tokens:
        if len(line) + 1 + len(token) > _LINE and line != f"{name}:":
            lines.append(line)
            line = ""
        line += f" {token}"
    lines.append(line)
    return "\r\n".join(lines) + "\r\n"


def _text_field(name: str, value: str) -> str:
    """An unstructured header (``Subject``, ``X-…``): the value, as one line of text."""
    return _field(name, _tokens(value, _PRINTABLE))


def _machine_field(name: str, value: str) -> str:
    """A header of machine data: ids and keys, ASCII only (any other character, and any
    control character, percent-encoded as UTF-8)."""
    from urllib.parse import quote

    return _field(name, quote(_header_text(value), safe=" =;/-_.,:()@+").split(" "))


def _mailbox_field(name: str, display_name: str, address: str) -> str:
    """An address header with exactly one mailbox: ``Name <address>``. ``address`` is
    one from :func:`.text._mail_address` (checked, ASCII)."""
    return _field(name, [*_tokens(display_name, _ATOM), f"<{address}>"])


def render_eml(drafter: _Drafter, s: Stakeholder) -> tuple[bytes, str, str]:
    from email import policy
    from email.message import EmailMessage
    from email.utils import format_datetime, make_msgid

    plain = drafter.render_text(s, "txt")
    assert plain is not None
    text, subject, file, _ = plain
    subject = subject or _header_text(drafter.subject_default())
    html_result = drafter.render_text(s, "html", strict=True)
    if html_result is not None and drafter.language_of(html_result[2]) != drafter.language_of(
            file):
        html_result = None
    sig = drafter.signature
    programme = drafter.run.plan.programme
    sender = _mail_address(sig.email) or _mail_address(programme.email)
    recipient = _mail_address(s.email)
    assert recipient is not None  # recipients without one are skipped
    domain = sender.rpartition("@")[2] if sender else ""
    if not _DOMAIN.fullmatch(domain):
        domain = "interessent.invalid"
    when = dt.datetime.combine(drafter.run.as_of, dt.time(9, 0)).astimezone()
    head = [
        _mailbox_field("From", sig.name, sender) if sender else "",
        _mailbox_field("To", s.name, recipient),
        _text_field("Subject", subject),
        f"Date: {format_datetime(when)}\r\n",
        f"Message-ID: {make_msgid(domain=domain)}\r\n",
        "X-Unsent: 1\r\n",
        # machine data for the sender's records, never read as the letter: ASCII keys
        _machine_field("X-Interessent-Template", file),
        _machine_field("X-Interessent-Signer", f"stakeholder={sig.stakeholder}; role={sig.role}"),
        _machine_field("X-Interessent-Rule", f"topic={sig.topic}; role={sig.role}"),
        _machine_field("X-Interessent-Cleared-By", f"role={sig.cleared_by}")
        if sig.cleared_by else "",
    ]
    body = EmailMessage(policy=policy.SMTP)
    body.set_content(text)
    if html_result is not None:
        body.add_alternative(html_result[0], subtype="html")
    # the body part's own headers (MIME-Version, Content-Type …) follow ours
    return "".join(head).encode("ascii") + body.as_bytes(), subject, file

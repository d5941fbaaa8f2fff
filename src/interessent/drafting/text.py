"""Words and text: the letter's languages, dates in them, and text made safe for where
it goes (a mail header, an HTML comment, a Word document)."""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata

__all__ = ["LANGUAGES", "LOCALES"]

LANGUAGES = ("nb", "nn", "en")
LOCALES = {"nb": "nb_NO", "nn": "nn_NO", "en": "en_GB"}

_SALUTATION = {"nb": "Hei", "nn": "Hei", "en": "Dear"}
_TO = {"nb": "Til", "nn": "Til", "en": "To"}
_CLOSING = {"nb": "Med vennlig hilsen", "nn": "Med venleg helsing", "en": "Kind regards"}
_AND = {"nb": "og", "nn": "og", "en": "and"}


@functools.lru_cache(maxsize=8192)
def _format_date(day: dt.date, fmt: str, locale: str) -> str:
    from babel.dates import format_date

    return str(format_date(day, format=fmt, locale=locale))


def _valid_email(value: str | None) -> bool:
    """Whether ``value`` is one address an e-mail letter can be sent to."""
    return _mail_address(value) is not None


@functools.lru_cache(maxsize=4096)
def _mail_address(value: str | None) -> str | None:
    """``value`` as it goes into a mail header — one address, in ASCII, its domain in
    IDNA form (``kari@xn--stfold-9xa.no``) — or None when it is not one valid address
    (or its local part is not ASCII, which needs a server that speaks SMTPUTF8)."""
    if not value or len(value) > 254 or any(
            ch.isspace() or unicodedata.category(ch).startswith("C") for ch in value):
        return None
    from email.errors import HeaderParseError
    from email.headerregistry import Address

    try:
        if Address(addr_spec=value).addr_spec != value or "@" not in value:
            return None
        local, _, domain = value.rpartition("@")
        if not domain.isascii():
            domain = domain.encode("idna").decode("ascii")
    except (ValueError, HeaderParseError, IndexError, TypeError):  # UnicodeError too
        return None
    address = f"{local}@{domain}"
    return address if address.isascii() and len(address) <= 254 else None


@functools.lru_cache(maxsize=4096)
def _header_text(value: str) -> str:
    """One line of text for a mail header: no control characters, no line breaks."""
    text = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in value)
    return " ".join(text.split())


def _comment_text(value: str) -> str:
    """Text safe inside an HTML comment."""
    return _header_text(value).replace("--", "–").replace(">", "›").replace("<", "‹")


def _xml_text(value: str) -> str:
    """Text Word can hold: no characters XML 1.0 forbids."""
    return "".join(ch for ch in value if ch in "\t\n\r" or (
        ord(ch) >= 0x20 and not 0xD800 <= ord(ch) <= 0xDFFF and ch not in "\ufffe\uffff"))

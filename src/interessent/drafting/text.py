"""Words and text: the letter's languages, dates in them, and text made safe for where
it goes (a mail header, an HTML comment, a Word document)."""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata

from ..i18n import BABEL_LOCALES

__all__ = ["LANGUAGES", "LOCALES"]

LANGUAGES = ("nb", "nn", "en")
LOCALES = BABEL_LOCALES
_LANGUAGE_OF_LOCALE = {locale: language for language, locale in LOCALES.items()}


def _language_of_locale(locale: str) -> str:
    """The language of a letter's locale (``nn_NO`` → ``nn``)."""
    return _LANGUAGE_OF_LOCALE.get(locale, "nb")


_SALUTATION = {"nb": "Hei", "nn": "Hei", "en": "Dear"}
_TO = {"nb": "Til", "nn": "Til", "en": "To"}
_CLOSING = {"nb": "Med vennlig hilsen", "nn": "Med venleg helsing", "en": "Kind regards"}
_AND = {"nb": "og", "nn": "og", "en": "and"}


def _salutation(language: str, first_name: str, person: bool) -> str:
    """"Hei Per Olav," to a person, "Til Osen Sjømat AS" to an organisation (whose
    ``first_name`` is its name), in ``language``."""
    if person:
        return f"{_SALUTATION[language]} {first_name},"
    return f"{_TO[language]} {first_name}"


def _first_name(name: str, given: str | None) -> str:
    """What a letter calls a person: their registered first name, else every name but
    the last («Per Olav» of «Per Olav Hansen»), else the one name they have."""
    if given and given.strip():
        return given.strip()
    parts = name.split()
    return " ".join(parts[:-1]) if len(parts) > 1 else name.strip()


class _Prepared(str):
    """Text the program made ready for every format — a date in words, the Word letter's
    ``body`` (whose ``\\a`` marks a paragraph for docxtpl) — so a template inserts it as
    it is (still HTML- or XML-escaped where the template autoescapes), where a value from
    the data is escaped for its format (``sandbox._finalize``)."""

    __slots__ = ()


@functools.lru_cache(maxsize=8192)
def _format_date(day: dt.date, fmt: str, locale: str) -> str:
    """``day`` in words in ``locale`` ("26. november 2026"), as :class:`_Prepared` text:
    a Markdown letter need not escape the "26." that would start a list at a line start."""
    from babel.dates import format_date

    return _Prepared(format_date(day, format=fmt, locale=locale))


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


_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _plain_value(value: str) -> str:
    """A value as a letter shows it: line breaks as ``\\n``, tabs kept, every other control
    character (ESC, BEL, NUL, a form feed that would fake a page) and the bidirectional
    overrides that reorder what a reader sees as U+FFFD."""
    if value.isprintable():
        return value
    return _CONTROLS.sub("\ufffd", value.replace("\r\n", "\n").replace("\r", "\n"))


# an escape already there (kept, so escaping twice changes nothing), or a character that
# starts Markdown anywhere: code, emphasis, links and images, raw HTML and autolinks,
# tables, strike-through, headings, entities (``&`` before ``name;``); a lone backslash
_MD_INLINE = re.compile(r"(\\[!-/:-@\[-`{-~])|[\\`*_\[\]<>|~#]|&(?=#?[A-Za-z0-9]+;)")
# what starts a block at the start of a line: a list item (``- ``, ``+ ``, ``1. ``,
# ``1) ``), a line of ``-`` or ``=`` (a rule, or the line above made a heading)
_MD_LINE = re.compile(r"^([ \t]*)(?:([-+])(?=[ \t]|$)|([0-9]{1,9})(?=[.)](?:[ \t]|$))"
                      r"|([-=])(?=[-= \t]*$))", re.MULTILINE)


def _md_inline(match: re.Match[str]) -> str:
    return match.group(1) or "\\" + match.group(0)


def _md_line(match: re.Match[str]) -> str:
    indent, bullet, number, rule = match.groups()
    return f"{indent}{number}\\" if number else f"{indent}\\{bullet or rule}"


def _markdown_value(value: str) -> str:
    """A value as a Markdown letter inserts it: :func:`_plain_value`, then every character
    that would make Markdown of it backslash-escaped, so it reads as the very text and
    can be no link, image, HTML, heading, list or table. Escaping twice changes nothing
    (a template may print a value it already printed, through a macro or ``super()``)."""
    return _MD_LINE.sub(_md_line, _MD_INLINE.sub(_md_inline, _plain_value(value)))


def _comment_text(value: str) -> str:
    """Text safe inside an HTML comment."""
    return _header_text(value).replace("--", "–").replace(">", "›").replace("<", "‹")


def _xml_text(value: str) -> str:
    """Text Word can hold: no characters XML 1.0 forbids."""
    return "".join(ch for ch in value if ch in "\t\n\r" or (
        ord(ch) >= 0x20 and not 0xD800 <= ord(ch) <= 0xDFFF and ch not in "\ufffe\uffff"))

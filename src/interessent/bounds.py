"""What a person may enter, and how stored text reaches a terminal.

- **Text**: no control characters in any text field — no NUL, BEL, ESC or other C0
  control, no DEL, no C1 control (U+0080–U+009F), no bidirectional embedding, override
  or isolate (U+202A–U+202E, U+2066–U+2069), no line or paragraph separator (U+2028,
  U+2029), no lone surrogate (a byte that was not text). Tab and line feed are allowed
  only in fields that hold several lines (notes, addresses), and there a carriage return
  before a line feed too. :func:`check_text` is the rule; :func:`text_problem` says what
  is wrong without raising.
- **Numbers**: :func:`check_number` bounds a number to its field's range and refuses
  what is not finite (:func:`number_problem` says why without raising);
  :func:`numbers_out_of_range` checks every number of a tree of attrs values (a plan).
- **Nesting**: :func:`nested_deeper` finds what is nested deeper than a limit in parsed
  data (a TOML plan of ``[[[[…]]]]``).
- **Text from outside** (a mail header, a calendar's summary): :func:`one_line` and
  :func:`lines_of` turn what :func:`check_text` would refuse into spaces (or line feeds),
  so a value taken from a file a person did not type is cleaned by the same rule, never
  stored raw and never refused whole.
- **Terminals**: :func:`printable` escapes what :func:`check_text` refuses (and carriage
  returns, which move the cursor), for text stored before these checks or from outside
  them, so that no value can drive the terminal it is printed on.
- **Messages**: :func:`shown` quotes a value a person gave in an error message, cut to
  :data:`SHOWN_CHARS` characters, so that a 100,000-character id makes a short message.

Dates have their one rule in :func:`interessent.periods.check_date`.
"""

from __future__ import annotations

import enum
import math
import re
import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from .errors import InvalidInput
from .i18n import N_, format_number, gettext, ngettext

__all__ = [
    "SHOWN_CHARS",
    "check_number",
    "check_text",
    "cut",
    "lines_of",
    "nested_deeper",
    "number_problem",
    "numbers_out_of_range",
    "one_line",
    "printable",
    "shown",
    "text_problem",
]

_ALWAYS = ("\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029"
           "\ud800-\udfff")
#: Characters refused in a field of one line: every control, tab, line feed and CR too.
_ONE_LINE = re.compile(f"[{_ALWAYS}\t\n\r]")
#: Characters refused in a field of several lines: a CR is allowed only before a line feed.
_LINES = re.compile(f"[{_ALWAYS}]|\r(?!\n)")
#: What :func:`printable` escapes: everything refused anywhere, and every carriage return.
_UNPRINTABLE = re.compile(f"[{_ALWAYS}\r]")

#: The characters :func:`check_text` refuses that have a name people know (the control
#: characters' abbreviations stay as they are in every language).
_NAMES = {"\x00": "NUL", "\x07": "BEL", "\x08": N_("backspace"), "\t": N_("tab"),
          "\n": N_("line feed"), "\r": N_("carriage return"), "\x1b": "ESC", "\x7f": "DEL",
          "\x9b": "CSI", "\u202a": N_("left-to-right embedding"),
          "\u202b": N_("right-to-left embedding"),
          "\u202c": N_("pop directional formatting"),
          "\u202d": N_("left-to-right override"), "\u202e": N_("right-to-left override"),
          "\u2066": N_("left-to-right isolate"), "\u2067": N_("right-to-left isolate"),
          "\u2068": N_("first strong isolate"), "\u2069": N_("pop directional isolate"),
          "\u2028": N_("line separator"), "\u2029": N_("paragraph separator")}


def _describe(char: str) -> str:
    """The character ``char`` in words of the current language."""
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        return gettext("a byte that is not text (0x{byte:02x})").format(byte=code - 0xDC00)
    if 0xD800 <= code <= 0xDFFF:
        return gettext("a lone surrogate U+{code:04X}").format(code=code)
    name = _NAMES.get(char)
    if unicodedata.category(char) == "Cc":
        if name is None:
            return gettext("the control character U+{code:04X}").format(code=code)
        return gettext("the control character U+{code:04X} ({name})").format(
            code=code, name=gettext(name))
    if name is None:
        return gettext("the character U+{code:04X}").format(code=code)
    return gettext("the character U+{code:04X} ({name})").format(code=code, name=gettext(name))


def text_problem(value: str, *, lines: bool = False) -> str | None:
    """Why ``value`` may not be stored in a text field, or None when it may, in the
    current language. ``lines``: the field holds several lines (tab and line feed
    allowed)."""
    found = (_LINES if lines else _ONE_LINE).search(value)
    if found is None:
        return None
    what = _describe(found.group()[0])
    if len(value) > 1:
        return gettext("holds {what} at character {at}; it is not allowed in this field"
                       ).format(what=what, at=format_number(found.start() + 1))
    return gettext("holds {what}; it is not allowed in this field").format(what=what)


def check_text(value: str, field: str, *, lines: bool = False) -> str:
    """``value`` if it holds no control character (see the module), else
    :class:`InvalidInput` naming ``field``."""
    problem = text_problem(value, lines=lines)
    if problem is not None:
        raise InvalidInput(f"{field}: {problem}", field=field)
    return value


def one_line(value: str, limit: int | None = None) -> str:
    """``value`` as a field of one line may hold it: every character :func:`check_text`
    refuses there (controls, tab, line breaks, bidirectional overrides, lone surrogates)
    a space, runs of white space one space, the ends trimmed, and cut to ``limit``
    characters with "…" when longer."""
    text = " ".join(_ONE_LINE.sub(" ", value).split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def lines_of(value: str, limit: int | None = None) -> str:
    """``value`` as a field of several lines may hold it: line ends as line feeds, every
    other character :func:`check_text` refuses there a space, trimmed, and cut to
    ``limit`` characters with "…" when longer."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = _LINES.sub(" ", text).strip()
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def printable(text: str) -> str:
    """``text`` safe for a terminal: every control character (but tab and line feed),
    bidirectional override and lone surrogate written as an escape (``\\x1b``,
    ``\\u202e``), a carriage return before a line feed dropped."""
    if _UNPRINTABLE.search(text) is None:
        return text
    text = text.replace("\r\n", "\n")
    return _UNPRINTABLE.sub(_escape, text)


def _escape(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def number_problem(value: int | float, low: float, high: float) -> str | None:
    """Why ``value`` is out of its field's range ``low`` … ``high`` (or not finite), or
    None when it is in it, in the current language."""
    if isinstance(value, float) and not math.isfinite(value):
        return gettext("{value} is not a number from {low} to {high}").format(
            value=value, low=_n(low), high=_n(high))
    if value < low:
        if low == 0:
            return gettext("must not be negative, not {value}").format(value=_n(value))
        return gettext("must be at least {low}, not {value}").format(low=_n(low),
                                                                     value=_n(value))
    if value > high:
        return gettext("must be at most {high}, not {value}").format(high=_n(high),
                                                                     value=_n(value))
    return None


def check_number(value: int | float, field: str, low: float, high: float) -> int | float:
    """``value`` if it is finite and from ``low`` to ``high``, else :class:`InvalidInput`
    naming ``field`` and the range."""
    problem = number_problem(value, low, high)
    if problem is not None:
        raise InvalidInput(f"{field}: {problem}", field=field)
    return value


def numbers_out_of_range(
    value: Any, bounds: Mapping[tuple[str, str], tuple[float, float] | None], limit: float,
    path: str = "",
) -> Iterator[tuple[str, str]]:
    """(key path, why) for every number in a tree of attrs values and tuples of them that
    is out of its range: ``bounds`` by (class name, field name), None for a number another
    rule checks, ``-limit`` … ``limit`` for a number not named there."""
    if isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from numbers_out_of_range(item, bounds, limit, f"{path}[{i}]")
        return
    if not attrs.has(type(value)):
        return
    for name in attrs.fields_dict(type(value)):
        item = getattr(value, name)
        where = f"{path}.{name}" if path else name
        if isinstance(item, int | float) and not isinstance(item, bool):
            low_high = bounds.get((type(value).__name__, name), (-limit, limit))
            problem = number_problem(item, *low_high) if low_high is not None else None
            if problem is not None:
                yield (where, problem)
        elif not isinstance(item, str | enum.Enum):
            yield from numbers_out_of_range(item, bounds, limit, where)


def nested_deeper(data: Any, limit: int) -> str | None:
    """The key path (``a.b[0][0]``) of a value of ``data`` (mappings and lists) nested
    deeper than ``limit``, or None. Without recursion, so any depth is safe."""
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > limit:
            return path or "(top)"
        if isinstance(value, Mapping):
            stack.extend((v, f"{path}.{k}" if path else str(k), depth + 1)
                         for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value))
    return None


def _n(value: int | float) -> str:
    """A number for a message as the current language writes it: whole numbers without
    ``.0``, huge ones by their size."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, int) and abs(value) >= 10**15:
        size = abs(value)
        digits = (len(str(size)) if size.bit_length() < 10_000
                  else int(size.bit_length() * math.log10(2)) + 1)  # str() stops at 4300
        return ngettext("a number of {n} digit", "a number of {n} digits", digits).format(
            n=format_number(digits))
    if isinstance(value, int):
        return format_number(value)
    short = f"{value:g}"  # six significant digits
    return short if "e" in short else format_number(float(short), fmt="#,##0.######")


#: How many characters of a value a message quotes (:func:`shown`).
SHOWN_CHARS = 80


def cut(value: object, limit: int = SHOWN_CHARS) -> str:
    """``value`` as a message names a thing unquoted (``relationship knows``): its text,
    cut to ``limit`` characters with "…" when longer."""
    text = value if isinstance(value, str) else shown(value, limit)
    return text if len(text) <= limit else f"{text[:limit]}…"


def shown(value: object, limit: int = SHOWN_CHARS) -> str:
    """``value`` quoted for a message as ``{value!r}`` would, but text longer than
    ``limit`` characters cut there, with "…" and its length: a message stays one short
    line whatever a person typed."""
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit] + '…'!r} " + gettext("({count} characters)").format(
            count=format_number(len(value)))
    try:
        text = repr(value)
    except ValueError:  # an int of more than 4,300 digits has no repr
        return gettext("a number of more than {limit} digits").format(limit=limit)
    return text if len(text) <= limit + 2 else f"{text[:limit]}…"

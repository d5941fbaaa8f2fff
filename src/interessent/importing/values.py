"""Cell values: from the text of one cell to what the store keeps.

A cell given as a Python value (:func:`import_rows`, the registry's typed functions)
becomes the text an imported file would hold first (:func:`cell_text`): ``4.0`` is
``4``, a date its ISO form, an enum its value, a list its values joined by ``|``; it
then passes the same checks.

Booleans take ``ja``/``nei``, ``yes``/``no``, ``true``/``false``, ``1``/``0``, ``x``;
dates ``2026-03-05`` or ``05.03.2026``; numbers a decimal comma; several values are
separated by ``|``. Plan keys (:class:`_Lookup`) are found by key, name or alias, and
stakeholders (:class:`_People`) by id or unique name. A wrong cell raises :class:`_Bad`,
which the import turns into a problem on that row. Every cell of every column is first
checked for control characters (:func:`_control_characters`; tab and line feed only in
the columns of several lines, :data:`MULTILINE`). Also here: undoing formula
neutralisation (:func:`unneutralise`) and ids made from names (:func:`slugify`).
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import hashlib
import math
import numbers
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..bounds import text_problem
from ..errors import InvalidInput
from ..i18n import N_, gettext
from ..periods import parse_date
from ..rules import id_key
from .columns import _name_key, _norm

#: The characters that make a spreadsheet cell a formula (OWASP's list).
FORMULA_TRIGGERS = frozenset("=+-@\t\r")


def unneutralise(cell: str) -> str:
    """Undo :func:`interessent.exporting.neutralise`: drop the one apostrophe it added."""
    if cell[:1] == "'":
        rest = cell[1:]
        if rest.lstrip("'")[:1] in FORMULA_TRIGGERS:
            return rest
    return cell


def slugify(name: str) -> str:
    """An id from a name: ``Åse Ørnes Bakkehaug`` → ``ase-ornes-bakkehaug``."""
    text = name.casefold().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80].strip("-")
    if not slug:  # a name in another script: still a stable, readable-enough id
        slug = "id-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]
    return slug


# --- values -------------------------------------------------------------------------------

#: Columns whose cells may hold several lines: tab and line feed are allowed there.
MULTILINE = frozenset(("address", "notes"))


#: Columns whose cells hold several values, separated by ``|``.
LIST_COLUMNS = frozenset(("roles", "groups", "tags", "participants", "commitments",
                          "messages"))


def cell_text(value: Any, column: str) -> str:
    """The text a file's cell of ``column`` would hold for a Python ``value``: ``None``
    is empty, ``True`` is ``true``, a whole float (``4.0``) or Decimal is ``4``, another
    float its shortest form (``4.5``, refused later where a whole number is due), a date
    or datetime its ISO day, an enum its value, and a list, tuple or set in a column of
    several values its values joined by ``|``. What no cell could hold raises
    :class:`_Bad`: not-a-number, infinity, bytes, a list where one value is due, a
    value with ``|`` in a list."""
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real | decimal.Decimal):
        number = float(value)
        if not math.isfinite(number):
            raise _Bad(f"{value!r} is not a number")
        return str(int(number)) if number.is_integer() else repr(number)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        if column not in LIST_COLUMNS:
            raise _Bad(f"one value is due, not a {type(value).__name__}")
        parts = sorted(value, key=str) if isinstance(value, set | frozenset) else list(value)
        texts = []
        for part in parts:
            if isinstance(part, list | tuple | set | frozenset):
                raise _Bad("a list inside a list")
            text = cell_text(part, "")
            if "|" in text:
                raise _Bad(f"{text!r}: one value of a list cannot contain '|'")
            texts.append(text)
        return "|".join(texts)
    if isinstance(value, bytes | bytearray):
        raise _Bad("bytes, not text")
    raise _Bad(f"a {type(value).__name__} is no value for this column")


def _control_characters(column: str, cells: list[str]) -> Iterator[tuple[int, str]]:
    """(index, why) of each cell of ``column`` that holds a control character (see
    :mod:`interessent.bounds`); one search over the column when none does."""
    lines = column in MULTILINE
    if text_problem("".join(cells), lines=lines) is None:
        return
    for i, cell in enumerate(cells):
        problem = text_problem(cell, lines=lines)
        if problem is not None:
            yield i, problem



class _Bad(Exception):
    """A cell's value is wrong; the message says why."""


_TRUE = frozenset(("ja", "j", "yes", "y", "true", "1", "sann", "x"))
_FALSE = frozenset(("nei", "n", "no", "false", "0", "usann"))
_PERSON_WORDS = frozenset(("person", "personn", "privatperson"))
_ORG_WORDS = frozenset(("organisation", "organization", "organisasjon", "org", "virksomhet",
                        "bedrift"))
_LANGUAGES = {"nb": "nb", "nn": "nn", "en": "en", "bokmål": "nb", "bokmal": "nb",
              "nynorsk": "nn", "engelsk": "en", "english": "en"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_NUMBER = re.compile(r"\+?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def _bool(text: str) -> bool:
    word = text.lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise _Bad(f"{text!r} is not yes or no (ja/nei, true/false, 1/0)")


def _score(text: str) -> int | None:
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        raise _Bad(f"{text!r} is not a whole number from 1 to 5") from None
    if not 1 <= value <= 5:
        raise _Bad(f"{value} is not from 1 to 5")
    return value


def _strength(text: str) -> float:
    if not text:
        return 1.0
    if not _NUMBER.fullmatch(text):
        raise _Bad(f"{text!r} is not a number from 0 to 1")
    value = float(text.replace(",", "."))
    if not (math.isfinite(value) and 0.0 <= value <= 1.0):
        raise _Bad(f"{text} is not from 0 to 1")
    return value


def _date(text: str) -> Any:
    try:
        return parse_date(text)
    except InvalidInput as exc:
        raise _Bad(str(exc)) from None


def _text(text: str, limit: int | None = None) -> str | None:
    if limit is not None and len(text) > limit:
        raise _Bad(f"longer than {limit} characters")
    return text or None


def _id(text: str) -> str:
    if len(text) > 200:
        raise _Bad("an id may be at most 200 characters")
    if _CONTROL.search(text):
        raise _Bad(f"{text!r} holds control characters")
    if "|" in text:
        raise _Bad(f"{text!r}: an id cannot contain '|'")
    return text


def _split(text: str) -> tuple[str, ...]:
    if "|" not in text:
        return (text,) if text else ()
    return tuple(p for p in (part.strip() for part in text.split("|")) if p)


def _name(text: str) -> str:
    if not text:
        raise _Bad("empty; every stakeholder needs a name")
    if len(text) > 300:
        raise _Bad("longer than 300 characters")
    return text


def _optional_id(text: str) -> str | None:
    return _id(text) if text else None


def _stakeholder_kind(text: str) -> str:
    word = text.lower()
    if not word or word in _PERSON_WORDS:
        return "person"
    if word in _ORG_WORDS:
        return "organisation"
    raise _Bad(f"{text!r} is neither person nor organisation")


def _language(text: str, *, default: str) -> str:
    if not text:
        return default
    code = _LANGUAGES.get(text.lower())
    if code is None:
        raise _Bad(f"{text!r} is not nb, nn or en (bokmål, nynorsk, english)")
    return code


def _tags(text: str) -> tuple[str, ...]:
    tags = _split(text)
    if any(len(t) > 100 for t in tags):
        raise _Bad("a tag may be at most 100 characters")
    return tags


#: A sentiment or tone in English, bokmål or nynorsk, as its stored (English) value.
_SENTIMENTS = {"positive": "positive", "positiv": "positive", "+": "positive",
               "neutral": "neutral", "nøytral": "neutral", "noytral": "neutral",
               "negative": "negative", "negativ": "negative"}


def _sentiment(text: str) -> str | None:
    """``positive``, ``neutral`` or ``negative`` (or ``positiv``, ``nøytral``,
    ``negativ``); empty is "not said"."""
    if not text:
        return None
    value = _SENTIMENTS.get(text.casefold())
    if value is None:
        raise _Bad(gettext("{value} is not positive, neutral or negative").format(
            value=repr(text[:60])))
    return value


def _optional_bool(text: str) -> bool | None:
    return _bool(text) if text else None


def _optional_date(text: str) -> Any:
    return _date(text) if text else None


def _required(parse: Callable[[str], Any], hint: str) -> Callable[[str], Any]:
    def required(text: str) -> Any:
        if not text:
            raise _Bad(f"empty; {hint}")
        return parse(text)

    return required


def _optional(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    def optional(text: str) -> Any:
        return parse(text) if text else None

    return optional


#: What a lookup says of a value it does not know, by what it looks up; the library
#: speaks the current language (see :mod:`interessent.i18n`).
_UNKNOWN = {
    "role": N_("unknown role {value} (known: {known})"),
    "target group": N_("unknown target group {value} (known: {known})"),
    "relationship kind": N_("unknown relationship kind {value} (known: {known})"),
    "interaction kind": N_("unknown interaction kind {value} (known: {known})"),
    "channel": N_("unknown channel {value} (known: {known})"),
    "commitment": N_("unknown commitment {value} (known: {known})"),
    "key message": N_("unknown key message {value} (known: {known})"),
}


class _Lookup:
    """Plan keys found by key, name or alias, ignoring case, accents (æ = ae), spacing,
    ``_`` and ``-``."""

    def __init__(self, what: str, entries: Iterable[tuple[str, Iterable[str]]]) -> None:
        self.what = what
        entries = list(entries)
        self.keys = sorted(key for key, _ in entries)
        self.found: dict[str, str] = {}
        for _key, names in entries:
            for n in names:
                self.found.setdefault(_norm(n), _key)
        for key, _names in entries:  # a key wins over another entry's name
            self.found[_norm(key)] = key
        self.memo: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        hit = self.memo.get(text)
        if hit is None:
            hit = self.found.get(_norm(text))
            if hit is None:
                shown = ", ".join(self.keys[:15]) + (", …" if len(self.keys) > 15 else "")
                said = _UNKNOWN.get(self.what)
                if said is None:
                    raise _Bad(f"unknown {self.what} {text!r} (known: {shown or 'none'})")
                raise _Bad(gettext(said).format(value=repr(text),
                                                known=shown or gettext("none")))
            self.memo[text] = hit
        return hit

    def many(self, text: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self(part) for part in _split(text)))


class _People:
    """Stakeholders named by id (in any case or Unicode form: ``by_key`` maps
    :func:`interessent.rules.id_key` to the stored id) or, when unique, by name."""

    def __init__(self, known: dict[str, tuple[str, str]],
                 by_key: dict[str, str] | None = None) -> None:
        self.ids = known
        self.by_key = by_key or {}
        self.names: dict[str, list[str]] = {}
        for id_, (name, _kind) in known.items():
            self.names.setdefault(_name_key(name), []).append(id_)

    def __call__(self, text: str) -> str:
        if text in self.ids:
            return text
        stored = self.by_key.get(id_key(text))
        found = self.names.get(_name_key(text), [])
        if stored is not None and set(found) <= {stored}:  # an id in another case
            return stored
        if stored is not None and stored not in found:
            listed = ", ".join(sorted(found)[:5])
            raise _Bad(f"{text!r} is the id of {stored} in another case and the name of "
                       f"{listed}; use the id as registered")
        if len(found) == 1:
            return found[0]
        if found:
            listed = ", ".join(sorted(found)[:5])
            raise _Bad(f"{text!r} is the name of {len(found)} stakeholders ({listed}); use the id")
        raise _Bad(gettext("unknown stakeholder {value}").format(value=repr(text)))

    def many(self, text: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self(part) for part in _split(text)))


"""Import stakeholders, relationships and interactions from CSV and Excel (XLSX) files.

The file formats are those of SPEC §4: one header row, then one row per record.

- **CSV**: separated by ``,``, ``;`` or tab (found from the header row, or given);
  UTF-8 with or without a byte-order mark, else Windows-1252 (cp1252), which is what
  Norwegian Excel writes (or the encoding given). **XLSX**: the sheet named after the
  kind (``stakeholders``, ``interessenter`` …) if there is one, else the first sheet.
- Headers are matched case-insensitively, ``_``, ``-`` and spaces alike; the Norwegian
  names work (``navn``, ``e-post``, ``målgrupper`` …). An unknown or repeated column
  rejects the file.
- Cells with several values (roles, groups, tags, participants, commitments) separate
  them with ``|``. Booleans take ``ja``/``nei``, ``yes``/``no``, ``true``/``false``,
  ``1``/``0``, ``x``; dates ``2026-03-05`` or ``05.03.2026``; numbers a decimal comma.
- A cell that :func:`interessent.exporting.neutralise` protected against formula
  injection (``'+47 912 34 567``) loses exactly that one leading apostrophe again.

Ids
---
A stakeholder row without an id gets one made from its name: lower case, ``æ``→``ae``,
``ø``→``o``, ``å``→``a``, other accents dropped, anything else ``-`` (``Kari Nordmann`` →
``kari-nordmann``). When that id is already taken by another row of the file, or by a
stakeholder in the store with another name, ``-2``, ``-3`` … is added; a stakeholder in
the store with that id *and* the same name is the same stakeholder, so importing a list
without ids twice updates instead of duplicating. Interactions without an id get the
next free ``K2026-0001``-style id of their year.

Duplicate policy
----------------
The file is authoritative for the columns it has:

- A stakeholder row whose id exists updates that stakeholder: every column present in
  the file is replaced (an empty cell clears the value; for ``kind`` and ``language`` an
  empty cell means the default, a person and the plan's language), columns absent from
  the file keep their values. A row with a new id adds a stakeholder.
- Relationships are the same tie when source, target and kind are the same: an existing
  one gets the file's strength, directedness, start and end.
- An interaction whose id exists is replaced whole, participants, groups and
  commitments included.
- The same id (for relationships: the same source, target and kind) twice in one file
  is an error on both rows.

The ``organisation`` column names an organisation by id or, as Excel lists do, by name.
A name that is no stakeholder's id and no organisation's name creates that organisation
(once, however many rows name it); a name shared by several organisations is an error.

All or nothing
--------------
Every row is checked (values, plan keys, references to stakeholders) before anything
is written; a file with any bad row raises :class:`~interessent.errors.ImportRejected`
listing every bad row by its spreadsheet row number (the header is row 1) and column,
and the store is exactly as it was. A good file is written in one transaction.
"""

from __future__ import annotations

import codecs
import csv
import functools
import hashlib
import io
import math
import operator
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import attrs

from ._bulk import collector_paused
from .errors import ImportRejected, InvalidInput, RowProblem
from .model import Interaction, Relationship

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .plan import Plan
    from .store import Store
    from .workspace import Workspace

__all__ = [
    "COLUMNS",
    "FORMULA_TRIGGERS",
    "KINDS",
    "MAX_BYTES",
    "MAX_ROWS",
    "ImportResult",
    "Kind",
    "Table",
    "import_file",
    "import_rows",
    "parse_kind",
    "read_table",
    "slugify",
    "unneutralise",
]

Kind = Literal["stakeholders", "relationships", "interactions"]
KINDS: tuple[Kind, ...] = ("stakeholders", "relationships", "interactions")

#: The columns of each kind, in the order of SPEC §4 (and of exported CSV files).
COLUMNS: dict[Kind, tuple[str, ...]] = {
    "stakeholders": ("id", "name", "kind", "email", "phone", "address", "organisation",
                     "roles", "groups", "influence", "interest", "language", "legal_basis",
                     "tags", "notes"),
    "relationships": ("source", "target", "kind", "strength", "directed", "start", "end"),
    "interactions": ("id", "date", "kind", "channel", "participants", "groups", "topic",
                     "commitments", "host", "success", "notes"),
}

#: Header names besides the English ones: bokmål first, then nynorsk where it differs.
_ALIASES: dict[Kind, dict[str, tuple[str, ...]]] = {
    "stakeholders": {
        "id": (), "name": ("navn", "namn"), "kind": ("type",),
        "email": ("e-post", "epost"), "phone": ("telefon",), "address": ("adresse",),
        "organisation": ("organisasjon", "organization"),
        "roles": ("roller", "rolle"), "groups": ("målgrupper", "målgruppe"),
        "influence": ("innflytelse", "innverknad"),
        "interest": ("interesse",), "language": ("målform", "språk"),
        "legal_basis": ("rettslig_grunnlag", "rettsleg_grunnlag"), "tags": ("stikkord",),
        "notes": ("notater", "notat"),
    },
    "relationships": {
        "source": ("fra", "kilde", "frå", "kjelde"), "target": ("til", "mål"),
        "kind": ("type",), "strength": ("styrke",), "directed": ("rettet", "retta"),
        "start": (), "end": ("slutt",),
    },
    "interactions": {
        "id": (), "date": ("dato",), "kind": ("type",), "channel": ("kanal",),
        "participants": ("deltakere", "deltakarar"), "groups": ("målgrupper", "målgruppe"),
        "topic": ("tema",), "commitments": ("tiltak",), "host": ("vert",),
        "success": ("suksess",), "notes": ("notater", "notat"),
    },
}

_REQUIRED: dict[Kind, tuple[str, ...]] = {
    "stakeholders": ("name",),
    "relationships": ("source", "target", "kind"),
    "interactions": ("date", "kind"),
}

_KIND_WORDS: dict[str, Kind] = {
    **dict.fromkeys(("stakeholders", "stakeholder", "interessenter", "interessent"),
                    "stakeholders"),
    **dict.fromkeys(("relationships", "relationship", "relasjoner", "relasjon"),
                    "relationships"),
    **dict.fromkeys(("interactions", "interaction", "kontakter", "kontakt", "aktiviteter",
                     "aktivitet"), "interactions"),
}

#: Files above these limits are refused before they are read.
MAX_BYTES = 200 * 1024 * 1024
MAX_ROWS = 2_000_000

#: The characters that make a spreadsheet cell a formula (OWASP's list).
FORMULA_TRIGGERS = frozenset("=+-@\t\r")


def parse_kind(text: str) -> Kind:
    """``stakeholders``, ``relationships`` or ``interactions``, from those words, their
    singulars or the Norwegian ``interessenter``, ``relasjoner``, ``kontakter``."""
    kind = _KIND_WORDS.get(text.strip().lower())
    if kind is None:
        raise InvalidInput(
            f"unknown kind {text!r} (expected stakeholders, relationships or interactions)"
        )
    return kind


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


# --- reading files ------------------------------------------------------------------------


@attrs.frozen
class Table:
    """A file's header and rows as text. ``row_numbers[i]`` is the spreadsheet row number
    of ``rows[i]`` (the header is row ``header_row``, usually 1); empty rows are left out."""

    headers: list[str]
    rows: list[list[str]]
    row_numbers: list[int]
    encoding: str
    delimiter: str | None
    header_row: int = 1
    sheet: str | None = None

    def __len__(self) -> int:
        return len(self.rows)


_DELIMITER_WORDS = {",": ",", ";": ";", "\t": "\t", "\\t": "\t", "comma": ",", "komma": ",",
                    "semicolon": ";", "semikolon": ";", "tab": "\t", "tabulator": "\t"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_TEXT_CONTROLS = frozenset(b"\t\n\r\x0b\x0c\x1a")


def read_table(
    path: Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    kind: str | None = None,
) -> Table:
    """Read a CSV or XLSX file into a :class:`Table`; an unreadable file is
    :class:`~interessent.errors.InvalidInput` with a reason, never a traceback.

    From a workbook, the sheet named after ``kind`` (``interessenter``, ``relationships``
    …) is read if there is one, else the first sheet. ``encoding`` and ``delimiter``
    apply to CSV files only.
    """
    name = path.name or str(path)
    try:
        if not path.exists():
            raise InvalidInput(f"no such file: {path}")
        if path.is_dir():
            raise InvalidInput(f"{path} is a folder, not a file")
        size = path.stat().st_size
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from None
    if size > MAX_BYTES:
        raise InvalidInput(
            f"{name} is {size / 2**20:.0f} MB; files above {MAX_BYTES // 2**20} MB are refused"
            " (split it)"
        )
    suffix = path.suffix.lower()
    if suffix in (".xls", ".ods", ".numbers"):
        raise InvalidInput(f"{name}: {suffix} files cannot be read; save it as .xlsx or .csv")
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, name, parse_kind(kind) if kind else None)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from None
    return _read_csv(data, name, encoding, delimiter)


def _read_csv(data: bytes, name: str, encoding: str | None, delimiter: str | None) -> Table:
    text, used = _decode(data, name, encoding)
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise InvalidInput(f"{name} is empty")
    sep = _delimiter(text, delimiter)
    # strict: a quote that is never closed is an error, not one cell holding the rest of
    # the file (as is a stray quote after a quoted cell)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, quotechar='"',
                        strict=True)
    read_lines = 0
    headers: list[str] | None = None
    header_row = 1
    rows: list[list[str]] = []
    numbers: list[int] = []
    try:
        for number, record in enumerate(reader, start=1):
            read_lines = reader.line_num
            if not (record and record[0].strip()) and not "".join(record).strip():
                continue
            if headers is None:
                headers, header_row = record, number
                continue
            rows.append(record)
            numbers.append(number)
            if len(rows) > MAX_ROWS:
                raise InvalidInput(f"{name} has more than {MAX_ROWS:,} rows; split it")
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise InvalidInput(f"{name} line {read_lines + 1}: a quoted cell (\") is never "
                               "closed; not valid CSV") from None
        raise InvalidInput(f"{name} line {reader.line_num}: not valid CSV ({exc})") from None
    if headers is None:
        raise InvalidInput(f"{name} is empty")
    if not rows:
        raise InvalidInput(f"{name} has a header but no rows")
    return Table(headers=headers, rows=rows, row_numbers=numbers, encoding=used,
                 delimiter=sep, header_row=header_row)


def _decode(data: bytes, name: str, encoding: str | None) -> tuple[str, str]:
    """The file's text and the encoding it was read with."""
    if data.startswith(_ZIP_MAGIC):
        raise InvalidInput(
            f"{name} is not a text CSV file: it looks like an Excel workbook; rename it to .xlsx"
        )
    if data.startswith(_OLE_MAGIC):
        raise InvalidInput(
            f"{name} is not a text CSV file: it looks like an old Excel .xls workbook; "
            "save it as .xlsx or CSV"
        )
    if encoding is None and data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"  # Excel's "Unicode text"
    if encoding is not None:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise InvalidInput(f"unknown encoding {encoding!r} (try utf-8 or cp1252)") from None
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise InvalidInput(
                f"{name} cannot be read as {codec}: byte 0x{data[exc.start]:02x} on line {line}"
            ) from None
        if "\x00" in text:
            raise InvalidInput(f"{name} is not a text CSV file (it holds NUL characters)")
        return text, codec
    head = data[:65536]
    controls = sum(1 for b in head if b < 32 and b not in _TEXT_CONTROLS)
    if b"\x00" in head or controls > max(8, len(head) // 100):
        raise InvalidInput(f"{name} is not a text CSV file (it holds binary data)")
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            at = exc.start + len(codecs.BOM_UTF8)  # the decoder counts after the BOM
            line = data[:at].count(b"\n") + 1
            raise InvalidInput(
                f"{name} starts like UTF-8 but is not: byte 0x{data[at]:02x} on line {line}"
            ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise InvalidInput(
            f"{name} is neither UTF-8 nor Windows-1252 (cp1252) text; give its encoding "
            "(--encoding)"
        ) from None


def _delimiter(text: str, given: str | None) -> str:
    if given is not None:
        sep = _DELIMITER_WORDS.get(given.lower() if len(given) > 1 else given)
        if sep is None:
            raise InvalidInput(f"unknown delimiter {given!r} (expected ',', ';' or tab)")
        return sep
    counts = {",": 0, ";": 0, "\t": 0}
    quoted = False
    for char in text.lstrip("\r\n")[:65536]:
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char in counts:
            counts[char] += 1
        elif char in "\r\n":
            break
    best = max(counts, key=lambda c: (counts[c], c == ";", c == "\t"))
    return best if counts[best] else ","


def _read_xlsx(path: Path, name: str, kind: Kind | None) -> Table:
    _check_zip(path, name)
    import openpyxl

    rows: list[list[str]] = []
    numbers: list[int] = []
    headers: list[str] | None = None
    header_row = 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:
            raise InvalidInput(f"{name} is not a readable Excel workbook ({exc})") from None
        try:
            sheets = book.worksheets
            if not sheets:
                raise InvalidInput(f"{name} has no worksheet")
            sheet = next((s for s in sheets
                          if kind and _KIND_WORDS.get(s.title.strip().lower()) == kind), sheets[0])
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()  # the stored size may be wrong; read everything
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = [_xlsx_cell(v) for v in values]
                if not any(c.strip() for c in cells):
                    continue
                if headers is None:
                    headers, header_row = cells, number
                    continue
                rows.append(cells)
                numbers.append(number)
                if len(rows) > MAX_ROWS:
                    raise InvalidInput(f"{name} has more than {MAX_ROWS:,} rows; split it")
            title = sheet.title
        except InvalidInput:
            raise
        except Exception as exc:
            raise InvalidInput(f"{name} is not a readable Excel workbook ({exc})") from None
        finally:
            book.close()
    if headers is None:
        raise InvalidInput(f"{name}: the sheet {title!r} is empty")
    while headers and not headers[-1].strip():
        headers.pop()
    if not rows:
        raise InvalidInput(f"{name}: the sheet {title!r} has a header but no rows")
    return Table(headers=headers, rows=rows, row_numbers=numbers, encoding="xlsx",
                 delimiter=None, header_row=header_row, sheet=title)


def _check_zip(path: Path, name: str) -> None:
    """Refuse what is no zip archive, and zip bombs, before openpyxl unpacks anything."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InvalidInput(f"{name} is not an Excel .xlsx workbook ({exc})") from None
    total = sum(i.file_size for i in infos)
    if len(infos) > 10_000 or total > MAX_BYTES:
        raise InvalidInput(
            f"{name} unpacks to {total / 2**20:.0f} MB; workbooks above "
            f"{MAX_BYTES // 2**20} MB are refused"
        )
    for info in infos:
        if info.file_size > 2**20 and info.file_size > 200 * max(info.compress_size, 1):
            raise InvalidInput(f"{name} is compressed suspiciously well; refused (zip bomb?)")


def _xlsx_cell(value: Any) -> str:
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    return str(value)


# --- header -------------------------------------------------------------------------------


def _norm(text: str) -> str:
    """Case, accents, spacing and punctuation folded away, as in ids: ``E-post`` ==
    ``e_post`` == ``e post``, ``Næringslivet`` == ``naeringslivet``, ``Mål`` == ``mal``."""
    text = text.casefold().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "_", text).strip("_")


def _name_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _columns(table: Table, kind: Kind, source: str) -> tuple[dict[str, int], dict[str, str]]:
    """Canonical column → index, and canonical column → the header as the file writes it."""
    aliases = {_norm(a): canonical for canonical, names in _ALIASES[kind].items()
               for a in (canonical, *names)}
    row = table.header_row
    problems: list[RowProblem] = []
    index: dict[str, int] = {}
    labels: dict[str, str] = {}
    for i, header in enumerate(table.headers):
        label = header.replace("\ufeff", "").strip()
        if not label:
            if any(i < len(r) and r[i].strip() for r in table.rows):
                problems.append(RowProblem(row, f"column {i + 1} has values but no header"))
            continue
        canonical = aliases.get(_norm(label))
        if canonical is None:
            problems.append(RowProblem(row, f"unknown column {label!r} ({_known_columns(kind)})"))
        elif canonical in index:
            problems.append(RowProblem(
                row, f"column {label!r} repeats column {labels[canonical]!r} ({canonical})"))
        else:
            index[canonical] = i
            labels[canonical] = label
    for required in _REQUIRED[kind]:
        if required not in index:
            problems.append(RowProblem(row, f"the required column {required!r} is missing"))
    if problems and table.delimiter and len(table.headers) == 1:
        problems.append(RowProblem(
            row, "found no ',', ';' or tab between the headers; give the separator (--delimiter)"))
    if problems:
        raise ImportRejected(source, problems)
    return index, labels


def _known_columns(kind: Kind) -> str:
    parts = [f"{c} ({'/'.join(n)})" if n else c for c, n in _ALIASES[kind].items()]
    return f"{kind} columns: " + ", ".join(parts)


# --- values -------------------------------------------------------------------------------


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
    from .periods import parse_date

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
                raise _Bad(f"unknown {self.what} {text!r} (known: {shown or 'none'})")
            self.memo[text] = hit
        return hit

    def many(self, text: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self(part) for part in _split(text)))


class _People:
    """Stakeholders named by id or, when unique, by name."""

    def __init__(self, known: dict[str, tuple[str, str]]) -> None:
        self.ids = known
        self.names: dict[str, list[str]] = {}
        for id_, (name, _kind) in known.items():
            self.names.setdefault(_name_key(name), []).append(id_)

    def __call__(self, text: str) -> str:
        if text in self.ids:
            return text
        found = self.names.get(_name_key(text), [])
        if len(found) == 1:
            return found[0]
        if found:
            listed = ", ".join(sorted(found)[:5])
            raise _Bad(f"{text!r} is the name of {len(found)} stakeholders ({listed}); use the id")
        raise _Bad(f"unknown stakeholder {text!r}")

    def many(self, text: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self(part) for part in _split(text)))


# --- the import ---------------------------------------------------------------------------


@attrs.frozen
class ImportResult:
    """What an import did (or, ``dry_run``, would do)."""

    kind: str
    source: str
    rows: int
    added: int
    updated: int
    created_organisations: tuple[str, ...]
    encoding: str
    delimiter: str | None
    dry_run: bool

    def summary(self) -> str:
        """One line for people: counts, what was created, how the file was read."""
        line = (f"{self.source}: {self.rows} row{'s' if self.rows != 1 else ''} "
                f"({self.added} added, {self.updated} updated)")
        if self.created_organisations:
            n = len(self.created_organisations)
            line += f", {n} organisation{'s' if n != 1 else ''} created"
        if self.encoding == "xlsx":
            line += "; read from Excel"
        else:
            label = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM",
                     "cp1252": "Windows-1252 (cp1252)"}.get(self.encoding, self.encoding)
            sep = "tab" if self.delimiter == "\t" else repr(self.delimiter)
            line += f"; read as {label}, {sep}-separated"
        if self.dry_run:
            line += " — dry run, nothing written"
        return line


Progress = Callable[[int, int], None]


def import_file(
    ws: Workspace,
    kind: str,
    path: Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a CSV or XLSX file of ``kind`` into the workspace's store, all or nothing.

    ``progress(done, total)`` is called as the work advances: after each column is
    checked and when the rows are written. Each row counts twice in ``total``, once
    checked and once written, so ``done`` grows to ``total``.
    Raises :class:`~interessent.errors.ImportRejected` (nothing written) when a row is
    bad, :class:`~interessent.errors.InvalidInput` when the file cannot be read.
    """
    which = parse_kind(kind)
    path = Path(path)
    with collector_paused():
        return _import(ws, which, path, encoding, delimiter, dry_run, progress)


def _import(
    ws: Workspace,
    which: Kind,
    path: Path,
    encoding: str | None,
    delimiter: str | None,
    dry_run: bool,
    progress: Progress | None,
) -> ImportResult:
    source = path.name or str(path)
    table = read_table(path, encoding=encoding, delimiter=delimiter, kind=which)
    return _import_table(ws, which, table, source, dry_run, progress)


def import_rows(
    ws: Workspace,
    kind: str,
    rows: Sequence[Mapping[str, str]],
    *,
    source: str = "(input)",
    dry_run: bool = False,
    action: str = "import",
    subject: str | None = None,
) -> ImportResult:
    """Import rows given as mappings of column → cell text, with exactly the checks and
    the duplicate policy of a file (the columns are those of the first row).

    ``action`` and ``subject`` (the id of the one stakeholder or interaction the rows are
    about) label the audit entry, as :mod:`interessent.registry` does for add, edit, log."""
    which = parse_kind(kind)
    headers = list(rows[0]) if rows else []
    table = Table(headers=headers, rows=[[r.get(h, "") for h in headers] for r in rows],
                  row_numbers=list(range(2, len(rows) + 2)), encoding="utf-8", delimiter=None)
    return _import_table(ws, which, table, source, dry_run, None, action, subject)


def _import_table(
    ws: Workspace,
    which: Kind,
    table: Table,
    source: str,
    dry_run: bool,
    progress: Progress | None,
    action: str = "import",
    subject: str | None = None,
) -> ImportResult:
    cols, labels = _columns(table, which, source)
    plan = ws.plan
    store = ws.store
    job = _Job(table=table, cols=cols, labels=labels, plan=plan, store=store, source=source,
               progress=progress, total=2 * len(table))
    check: dict[Kind, Callable[[Session], _Checked]] = {
        "stakeholders": job.stakeholders,
        "relationships": job.relationships,
        "interactions": job.interactions,
    }
    opened = store.read() if dry_run else store.write()
    with opened as s:
        checked = check[which](s)
        if job.problems:
            raise ImportRejected(source, sorted(job.problems, key=lambda p: p.row))
        if not dry_run:
            checked.write(s)
            from .privacy import audit_import

            audit_import(store, s, which, source=source, action=action, subject=subject,
                         rows=len(table), added=checked.added, updated=checked.updated,
                         columns=list(cols))
    job.tick(job.total)
    return ImportResult(
        kind=which, source=source, rows=len(table), added=checked.added,
        updated=checked.updated, created_organisations=checked.created,
        encoding=table.encoding, delimiter=table.delimiter, dry_run=dry_run,
    )


@attrs.define
class _Checked:
    """Rows ready to write, and how to write them."""

    added: int
    updated: int
    write: Callable[[Session], None]
    created: tuple[str, ...] = ()


@attrs.define
class _Job:
    """One import: the table, what its columns are, and every problem found so far."""

    table: Table
    cols: dict[str, int]
    labels: dict[str, str]
    plan: Plan
    store: Store
    source: str
    progress: Progress | None
    total: int
    problems: list[RowProblem] = attrs.Factory(list)
    checked_columns: int = 0

    def tick(self, done: int) -> None:
        if self.progress is not None:
            self.progress(min(done, self.total), self.total)

    def bad(self, row: int, column: str, message: str) -> None:
        label = self.labels.get(column, column)
        self.problems.append(RowProblem(row, f"{label}: {message}"))

    def writing(self, done: int) -> None:
        self.tick(len(self.table) + done)

    def cells(self) -> dict[str, list[str]]:
        """Canonical column → its cells, trimmed and un-neutralised, one per row."""
        table = self.table
        width = len(table.headers)
        rows = table.rows
        if any(len(r) != width for r in rows):
            fixed: list[list[str]] = []
            for number, raw in zip(table.row_numbers, rows, strict=True):
                n = len(raw)
                if n > width and any(c.strip() for c in raw[width:]):
                    self.problems.append(RowProblem(
                        number, f"{n} cells, but the header has only {width} columns"))
                fixed.append(raw if n == width else
                             raw[:width] if n > width else raw + [""] * (width - n))
            rows = fixed
        result: dict[str, list[str]] = {}
        for col, i in self.cols.items():
            values = list(map(str.strip, map(operator.itemgetter(i), rows)))
            if "\n'" in "\n" + "\n".join(values):  # any cell may start with an apostrophe
                values = [v if v[:1] != "'" else unneutralise(v) for v in values]
            result[col] = values
        return result

    def parse(self, col: str, values: list[str], parse: Callable[[str], Any]) -> list[Any]:
        """``parse`` applied to a column: once per distinct value, with every bad cell
        recorded by row (its value becomes None)."""
        found: dict[str, Any] = {}
        wrong: dict[str, str] = {}
        for value in set(values):
            try:
                found[value] = parse(value)
            except _Bad as exc:
                found[value] = None
                wrong[value] = str(exc)
        if wrong:
            for number, value in zip(self.table.row_numbers, values, strict=True):
                if value in wrong:
                    self.bad(number, col, wrong[value])
        self.checked_columns += 1
        self.tick(len(self.table) * self.checked_columns // max(len(self.cols), 1))
        return list(map(found.__getitem__, values))

    def column(self, cells: dict[str, list[str]], col: str, parse: Callable[[str], Any],
               default: Any = None) -> list[Any]:
        """A column parsed, or ``default`` for every row when the file lacks it."""
        if col in cells:
            return self.parse(col, cells[col], parse)
        return [default] * len(self.table)

    def repeated(self, col: str, keys: Sequence[Any], what: Callable[[Any], str],
                 noun: str) -> None:
        """Every row whose key another row has too is a problem naming all those rows."""
        present = [k for k in keys if k is not None]
        if len(set(present)) == len(present):
            return
        rows: dict[Any, list[int]] = {}
        for number, key in zip(self.table.row_numbers, keys, strict=True):
            if key is not None:
                rows.setdefault(key, []).append(number)
        for key, numbers in rows.items():
            if len(numbers) > 1:
                listed = ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"
                for number in numbers:
                    self.bad(number, col, f"{what(key)} is in rows {listed}; {noun} may appear "
                                          "only once in a file")

    # --- stakeholders ---------------------------------------------------------------------

    def stakeholders(self, s: Session) -> _Checked:
        plan = self.plan
        known = _known_people(s)
        roles = _Lookup("role", ((r.key, (r.name, *r.aliases)) for r in plan.roles))
        groups = _Lookup("target group", ((g.key, (g.name,)) for g in plan.groups))
        language = plan.programme.language
        cells = self.cells()

        fields: dict[str, list[Any]] = {"name": self.parse("name", cells["name"], _name)}
        given: list[str | None] = self.column(cells, "id", _optional_id)
        if "kind" in cells:
            fields["kind"] = self.parse("kind", cells["kind"], _stakeholder_kind)
        for col, limit in (("email", 320), ("phone", 50), ("address", None),
                           ("legal_basis", 200), ("notes", None)):
            if col not in cells:
                continue
            if limit is None or max(map(len, cells[col])) <= limit:  # plain text, no checks
                fields[col] = [v or None for v in cells[col]]
            else:
                fields[col] = self.parse(col, cells[col], functools.partial(_text, limit=limit))
        for col, parse in (("roles", roles.many), ("groups", groups.many), ("tags", _tags),
                           ("influence", _score), ("interest", _score)):
            if col in cells:
                fields[col] = self.parse(col, cells[col], parse)
        if "language" in cells:
            fields["language"] = self.parse(
                "language", cells["language"], functools.partial(_language, default=language))

        # ids: the file's own first, then those made from names
        self.repeated("id", given, repr, "an id")
        taken = {i for i in given if i is not None}
        ids: list[str] = []
        for id_, name in zip(given, fields["name"], strict=True):
            if id_ is None:
                id_ = _fresh_id(name or "", taken, known, same_name=True)
                taken.add(id_)
            ids.append(id_)

        created: dict[str, dict[str, Any]] = {}
        if "organisation" in cells:
            kinds = fields.get("kind") or [known.get(i, ("", "person"))[1] for i in ids]
            fields["organisation"] = self._organisations(
                cells["organisation"], ids, fields["name"], kinds, known, taken, created,
                language)

        if self.problems:
            return _Checked(0, 0, lambda s: None)
        columns = list(fields)
        records = [dict(zip(columns, values, strict=False))  # equal lengths, by construction
                   for values in zip(*fields.values(), strict=False)]
        added = 0
        for id_, rec in zip(ids, records, strict=True):
            rec["id"] = id_
            if id_ not in known:
                added += 1
                rec.setdefault("kind", "person")
                rec.setdefault("language", language)

        def write(s: Session) -> None:
            # One batch: the store links organisations across it, so a row may name an
            # organisation made from a name or listed further down.
            self.store.save_stakeholders(s, [*created.values(), *records], columns=columns)
            self.writing(len(records))

        return _Checked(added, len(records) - added, write,
                        tuple(r["id"] for r in created.values()))

    def _organisations(
        self,
        values: list[str],
        ids: list[str],
        names: list[str | None],
        kinds: list[str | None],
        known: dict[str, tuple[str, str]],
        taken: set[str],
        created: dict[str, dict[str, Any]],
        language: str,
    ) -> list[str | None]:
        """The ``organisation`` column as ids: a stakeholder's id, else the name of exactly
        one organisation (in the store or the file), else a new organisation."""
        org_names = {i: _name_key(n) for i, (n, k) in known.items() if k == "organisation"}
        for id_, name, kind in zip(ids, names, kinds, strict=True):
            if kind == "organisation" and name:
                org_names[id_] = _name_key(name)
            else:
                org_names.pop(id_, None)
        by_name: dict[str, list[str]] = {}
        for id_, key in org_names.items():
            by_name.setdefault(key, []).append(id_)
        everyone = set(known) | taken
        result: list[str | None] = []
        for number, id_, org in zip(self.table.row_numbers, ids, values, strict=True):
            if not org:
                result.append(None)
            elif org in everyone:
                if org == id_:
                    self.bad(number, "organisation", "a stakeholder cannot be its own "
                                                     "organisation")
                result.append(org)
            elif len(found := by_name.get(_name_key(org), [])) == 1:
                result.append(found[0])
            elif found:
                listed = ", ".join(sorted(found)[:5])
                self.bad(number, "organisation", f"{org!r} is the name of {len(found)} "
                                                 f"organisations ({listed}); use the id")
                result.append(None)
            elif len(org) > 300:
                self.bad(number, "organisation", "longer than 300 characters")
                result.append(None)
            else:
                made = created.get(_name_key(org))
                if made is None:
                    new_id = _fresh_id(org, everyone, known, same_name=False)
                    everyone.add(new_id)
                    made = created[_name_key(org)] = {
                        "id": new_id, "name": org, "kind": "organisation", "language": language}
                result.append(made["id"])
        return result

    # --- relationships --------------------------------------------------------------------

    def relationships(self, s: Session) -> _Checked:
        from sqlalchemy import select

        from .store import REL, ST

        all_kinds = self.plan.all_relationship_kinds
        kinds = _Lookup("relationship kind", ((k.key, (k.name,)) for k in all_kinds.values()))
        people = _People(_known_people(s))
        cells = self.cells()
        sources = self.parse("source", cells["source"], _required(people, "name a stakeholder"))
        targets = self.parse("target", cells["target"], _required(people, "name a stakeholder"))
        kind = self.parse("kind", cells["kind"], _required(kinds, "name a relationship kind"))
        strength = self.column(cells, "strength", _strength, 1.0)
        directed = self.column(cells, "directed", _optional_bool)
        starts = self.column(cells, "start", _optional_date)
        ends = self.column(cells, "end", _optional_date)
        rels: list[Relationship] = []
        for number, a, b, k, weight, way, start, end in zip(
            self.table.row_numbers, sources, targets, kind, strength, directed, starts, ends,
            strict=True,
        ):
            if a is not None and a == b:
                self.bad(number, "target", "a stakeholder cannot be related to itself")
            elif start is not None and end is not None and end < start:
                self.bad(number, "end", f"{end} comes before the start {start}")
            elif a is not None and b is not None and k is not None and weight is not None:
                rels.append(Relationship(
                    source=a, target=b, kind=k, strength=weight, start=start, end=end,
                    directed=all_kinds[k].directed if way is None else way))
        ties = [(a, b, k) if a and b and k else None
                for a, b, k in zip(sources, targets, kind, strict=True)]
        self.repeated("kind", ties,
                      lambda key: f"the {key[2]} relationship {key[0]} → {key[1]}",
                      "a relationship")
        if self.problems:
            return _Checked(0, 0, lambda s: None)
        src, dst = ST.alias("src"), ST.alias("dst")
        existing: set[tuple[str, str, str]] = {
            (a, b, k) for a, b, k in s.execute(
                select(src.c.id, dst.c.id, REL.c.kind)
                .join(src, src.c.pk == REL.c.source_pk).join(dst, dst.c.pk == REL.c.target_pk))
        }
        updated = sum(1 for r in rels if r.key in existing)

        def write(s: Session) -> None:
            self.store.save_relationships(s, rels)  # one batch: it reads all existing ties
            self.writing(len(rels))

        return _Checked(len(rels) - updated, updated, write)

    # --- interactions ---------------------------------------------------------------------

    def interactions(self, s: Session) -> _Checked:
        from sqlalchemy import select

        from .store import INT

        plan = self.plan
        aliases = {k.key: k.aliases for k in plan.interaction_kinds}
        kinds = _Lookup("interaction kind", ((key, (name, *aliases.get(key, ())))
                                             for key, name in plan.all_interaction_kinds.items()))
        channels = _Lookup("channel", ((c.key, (c.name,)) for c in plan.channels))
        groups = _Lookup("target group", ((g.key, (g.name,)) for g in plan.groups))
        commitments = _Lookup("commitment", ((c.id, ()) for c in plan.commitments))
        people = _People(_known_people(s))
        cells = self.cells()
        given: list[str | None] = self.column(cells, "id", _optional_id)
        fields: dict[str, list[Any]] = {
            "date": self.parse("date", cells["date"], _required(_date, "every interaction has "
                                                                       "a date")),
            "kind": self.parse("kind", cells["kind"], _required(kinds, "name an interaction "
                                                                       "kind")),
            "channel": self.column(cells, "channel", _optional(channels)),
            "participants": self.column(cells, "participants", people.many, ()),
            "groups": self.column(cells, "groups", groups.many, ()),
            "topic": self.column(cells, "topic", _text),
            "commitments": self.column(cells, "commitments", commitments.many, ()),
            "host": self.column(cells, "host", _optional(people)),
            "success": self.column(cells, "success", _optional_bool),
            "notes": self.column(cells, "notes", _text),
        }
        self.repeated("id", given, repr, "an id")
        if self.problems:
            return _Checked(0, 0, lambda s: None)

        # rows without an id: the next K<year>-<nnnn> after the store's and the file's
        last: dict[int, int] = {}
        for year in sorted({d.year for i, d in zip(given, fields["date"], strict=True)
                            if i is None}):
            prefix = f"K{year}-"
            stored = s.scalars(select(INT.c.id).where(INT.c.id.like(f"{prefix}%"))).all()
            numbers = [int(i[len(prefix):]) for i in (*stored, *(g for g in given if g))
                       if i.startswith(prefix) and i[len(prefix):].isdigit()]
            last[year] = max(numbers, default=0)
        items: list[Interaction] = []
        columns = list(fields)
        for id_, values in zip(given, zip(*fields.values(), strict=True), strict=True):
            rec = dict(zip(columns, values, strict=True))
            if id_ is None:
                year = rec["date"].year
                last[year] += 1
                id_ = f"K{year}-{last[year]:04d}"
            rec["success"] = bool(rec["success"])
            items.append(Interaction(id=id_, **rec))
        existing: set[str] = set()
        for chunk in _chunks([i.id for i in items], 500):
            existing.update(s.scalars(select(INT.c.id).where(INT.c.id.in_(chunk))))

        def write(s: Session) -> None:
            self.store.save_interactions(s, items)
            self.writing(len(items))

        return _Checked(len(items) - len(existing), len(existing), write)


def _fresh_id(name: str, taken: set[str], known: dict[str, tuple[str, str]], *,
              same_name: bool) -> str:
    """The id made from ``name``, or with ``-2``, ``-3`` … the first one free; with
    ``same_name`` a stakeholder of the store with that id and name is free (it is them)."""
    base = slugify(name)
    key = _name_key(name)
    candidate, n = base, 1
    while True:
        if candidate not in taken:
            existing = known.get(candidate)
            if existing is None or (same_name and _name_key(existing[0]) == key):
                return candidate
        n += 1
        candidate = f"{base}-{n}"


def _known_people(s: Session) -> dict[str, tuple[str, str]]:
    from .store import ST

    return {id_: (name, kind) for id_, name, kind in
            s.execute(ST.select().with_only_columns(ST.c.id, ST.c.name, ST.c.kind))}


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]

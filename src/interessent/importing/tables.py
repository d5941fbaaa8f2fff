"""Reading a CSV or XLSX file into a :class:`Table`, and matching its header row to columns.

CSV: the encoding is found from a byte-order mark, else UTF-8, else Windows-1252 (or
given); the separator from the header row (or given). XLSX: the archive is checked for
zip bombs before openpyxl unpacks it. Files above :data:`MAX_BYTES` or :data:`MAX_ROWS`
are refused, and every unreadable file is :class:`~interessent.errors.InvalidInput` with
a reason, never a traceback.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import stat
import warnings
import zipfile
from pathlib import Path
from typing import Any

import attrs

from ..errors import ImportRejected, InvalidInput, RowProblem
from ..i18n import format_number, gettext, ngettext
from .columns import _ALIASES, _KIND_WORDS, _REQUIRED, Kind, _known_columns, _norm, parse_kind

#: Files above these limits are refused before they are read.
MAX_BYTES = 200 * 1024 * 1024
MAX_ROWS = 2_000_000

#: The problem of a header row in which no separator was found (the CLI names its option).
NO_SEPARATOR = "found no ',', ';' or tab between the headers; give the separator"


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
        _regular_file(path, name, path.stat())
    except FileNotFoundError:
        raise InvalidInput(gettext("no such file: {path}").format(path=path)) from None
    except OSError as exc:
        raise InvalidInput(gettext("cannot read {path}: {reason}").format(
            path=path, reason=exc.strerror or exc)) from None
    suffix = path.suffix.lower()
    if suffix in (".xls", ".ods", ".numbers"):
        raise InvalidInput(gettext("{name}: {suffix} files cannot be read; save it as .xlsx or "
                                   ".csv").format(name=name, suffix=suffix))
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, name, parse_kind(kind) if kind else None)
    try:
        data = _read_bytes(path, name)
    except OSError as exc:
        raise InvalidInput(gettext("cannot read {path}: {reason}").format(
            path=path, reason=exc.strerror or exc)) from None
    return _read_csv(data, name, encoding, delimiter)


def _regular_file(path: Path, name: str, info: os.stat_result) -> None:
    """Refuse what is no regular file (a folder, a device such as ``/dev/zero``, a pipe,
    which would never end or never begin) and files above :data:`MAX_BYTES`."""
    if stat.S_ISDIR(info.st_mode):
        raise InvalidInput(gettext("{path} is a folder, not a file").format(path=path))
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInput(gettext("{path} is not a regular file (a device, a pipe or a "
                                   "socket); give a saved CSV or Excel file").format(path=path))
    size = info.st_size
    if size > MAX_BYTES:
        raise InvalidInput(gettext(
            "{name} is {size} MB; files above {limit} MB are refused (split it)").format(
            name=name, size=format_number(round(size / 2**20)), limit=MAX_BYTES // 2**20))


def _read_bytes(path: Path, name: str) -> bytes:
    """The bytes of the regular file at ``path``, checked again on the open file (opened
    without waiting, so a pipe put there meanwhile is refused, not waited for)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        _regular_file(path, name, os.fstat(fd))
        with os.fdopen(fd, "rb", closefd=False) as file:
            data = file.read(MAX_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_BYTES:
        raise InvalidInput(gettext("{name} grew above {limit} MB while it was read").format(
            name=name, limit=MAX_BYTES // 2**20))
    return data


def _read_csv(data: bytes, name: str, encoding: str | None, delimiter: str | None) -> Table:
    text, used = _decode(data, name, encoding)
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise InvalidInput(gettext("{name} is empty").format(name=name))
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
                raise InvalidInput(gettext("{name} has more than {rows} rows; split it").format(
                    name=name, rows=format_number(MAX_ROWS)))
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise InvalidInput(gettext("{name} line {line}: a quoted cell (\") is never "
                                       "closed; not valid CSV").format(
                name=name, line=read_lines + 1)) from None
        raise InvalidInput(gettext("{name} line {line}: not valid CSV ({reason})").format(
            name=name, line=reader.line_num, reason=exc)) from None
    if headers is None:
        raise InvalidInput(gettext("{name} is empty").format(name=name))
    if not rows:
        raise InvalidInput(gettext("{name} has a header but no rows").format(name=name))
    return Table(headers=headers, rows=rows, row_numbers=numbers, encoding=used,
                 delimiter=sep, header_row=header_row)


def _decode(data: bytes, name: str, encoding: str | None) -> tuple[str, str]:
    """The file's text and the encoding it was read with."""
    if data.startswith(_ZIP_MAGIC):
        raise InvalidInput(gettext("{name} is not a text CSV file: it looks like an Excel "
                                   "workbook; rename it to .xlsx").format(name=name))
    if data.startswith(_OLE_MAGIC):
        raise InvalidInput(gettext("{name} is not a text CSV file: it looks like an old "
                                   "Excel .xls workbook; save it as .xlsx or CSV").format(
            name=name))
    if encoding is None and data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"  # Excel's "Unicode text"
    if encoding is not None:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise InvalidInput(gettext("unknown encoding {encoding} (try utf-8 or cp1252)").format(
                encoding=repr(encoding))) from None
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise InvalidInput(gettext(
                "{name} cannot be read as {codec}: byte {byte} on line {line}").format(
                name=name, codec=codec, byte=f"0x{data[exc.start]:02x}", line=line)) from None
        if "\x00" in text:
            raise InvalidInput(gettext("{name} is not a text CSV file (it holds NUL "
                                       "characters)").format(name=name))
        return text, codec
    head = data[:65536]
    controls = sum(1 for b in head if b < 32 and b not in _TEXT_CONTROLS)
    if b"\x00" in head or controls > max(8, len(head) // 100):
        raise InvalidInput(gettext("{name} is not a text CSV file (it holds binary "
                                   "data)").format(name=name))
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            at = exc.start + len(codecs.BOM_UTF8)  # the decoder counts after the BOM
            line = data[:at].count(b"\n") + 1
            raise InvalidInput(gettext(
                "{name} starts like UTF-8 but is not: byte {byte} on line {line}").format(
                name=name, byte=f"0x{data[at]:02x}", line=line)) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise InvalidInput(gettext(
            "{name} is neither UTF-8 nor Windows-1252 (cp1252) text; give its encoding"
        ).format(name=name), field="encoding") from None
    utf8 = _UTF8_LETTER.search(data)
    if utf8 is not None:  # UTF-8 with a few wrong bytes: cp1252 would garble the rest
        raise InvalidInput(_mixed(data, name, data[: utf8.start()].count(b"\n") + 1),
                           field="encoding")
    return text, "cp1252"


#: A character of two to four bytes as UTF-8 writes it. Windows-1252 text has hardly ever
#: one (a capital letter and a typographic sign glued together, such as "Ã¸"); UTF-8 text
#: has one for every letter beyond ASCII.
_UTF8_LETTER = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}")


def _mixed(data: bytes, name: str, utf8_line: int) -> str:
    """Why a file that is UTF-8 but for some bytes is refused: the first such byte and
    the lines that hold them."""
    bad: list[tuple[int, int]] = []  # (line, first wrong byte)
    for number, raw in enumerate(data.split(b"\n"), start=1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            bad.append((number, raw[exc.start]))
    line, byte = bad[0]
    more = ""
    if len(bad) > 1:
        lines = ", ".join(str(n) for n, _ in bad[1:6]) + (", …" if len(bad) > 6 else "")
        more = " " + ngettext("(and on {n} more line: {lines})",
                              "(and on {n} more lines: {lines})", len(bad) - 1).format(
            n=len(bad) - 1, lines=lines)
    return gettext(
        "{name} mixes encodings: it is UTF-8 (line {utf8_line}), but byte {byte} on line "
        "{line} is not{more}. Read as Windows-1252 its UTF-8 letters would be garbled, so "
        "nothing is read: save it again as UTF-8, or give its encoding as cp1252 if all of "
        "it is Windows-1252").format(name=name, utf8_line=utf8_line, byte=f"0x{byte:02x}",
                                     line=line, more=more)


def _delimiter(text: str, given: str | None) -> str:
    if given is not None:
        sep = _DELIMITER_WORDS.get(given.lower() if len(given) > 1 else given)
        if sep is None:
            raise InvalidInput(gettext("unknown delimiter {given} (expected ',', ';' or "
                                       "tab)").format(given=repr(given)))
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
            raise InvalidInput(gettext("{name} is not a readable Excel workbook ({reason})").format(
                name=name, reason=exc)) from None
        try:
            sheets = book.worksheets
            if not sheets:
                raise InvalidInput(gettext("{name} has no worksheet").format(name=name))
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
                    raise InvalidInput(gettext("{name} has more than {rows} rows; split it").format(
                    name=name, rows=format_number(MAX_ROWS)))
            title = sheet.title
        except InvalidInput:
            raise
        except Exception as exc:
            raise InvalidInput(gettext("{name} is not a readable Excel workbook ({reason})").format(
                name=name, reason=exc)) from None
        finally:
            book.close()
    if headers is None:
        raise InvalidInput(gettext("{name}: the sheet {sheet} is empty").format(
            name=name, sheet=repr(title)))
    while headers and not headers[-1].strip():
        headers.pop()
    if not rows:
        raise InvalidInput(gettext("{name}: the sheet {sheet} has a header but no rows").format(
            name=name, sheet=repr(title)))
    return Table(headers=headers, rows=rows, row_numbers=numbers, encoding="xlsx",
                 delimiter=None, header_row=header_row, sheet=title)


def _check_zip(path: Path, name: str) -> None:
    """Refuse what is no zip archive, and zip bombs, before openpyxl unpacks anything."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InvalidInput(gettext("{name} is not an Excel .xlsx workbook ({reason})").format(
            name=name, reason=exc)) from None
    total = sum(i.file_size for i in infos)
    if len(infos) > 10_000 or total > MAX_BYTES:
        raise InvalidInput(gettext(
            "{name} unpacks to {size} MB; workbooks above {limit} MB are refused").format(
            name=name, size=format_number(round(total / 2**20)), limit=MAX_BYTES // 2**20))
    for info in infos:
        if info.file_size > 2**20 and info.file_size > 200 * max(info.compress_size, 1):
            raise InvalidInput(gettext("{name} is compressed suspiciously well; refused (zip "
                                       "bomb?)").format(name=name))


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
            problems.append(RowProblem(row, f"unknown column {label!r} ({_known_columns(kind)})",
                                       column=label))
        elif canonical in index:
            problems.append(RowProblem(
                row, f"column {label!r} repeats column {labels[canonical]!r} ({canonical})",
                column=label))
        else:
            index[canonical] = i
            labels[canonical] = label
    for required in _REQUIRED[kind]:
        if required not in index:
            problems.append(RowProblem(row, f"the required column {required!r} is missing",
                                       column=required))
    if problems and table.delimiter and len(table.headers) == 1:
        problems.append(RowProblem(row, NO_SEPARATOR))
    if problems:
        raise ImportRejected(source, problems)
    return index, labels

"""Copies of a person in the workspace's files, found and (on request) removed.

Erasure changes the database; the workspace folder holds copies too: the lists it was
imported from (``data/``), letters drafted to the person (``utkast/``), reports
(``rapporter/``), exports. :func:`_find_copies` names every file that holds the person —
CSV, Markdown, HTML, text, e-mail, JSON and TOML files as text, Word and Excel files
through the XML inside them, other SQLite files (backups) byte by byte — by the same
identifiers erasure looks for in the database (:mod:`.mentions`). :func:`_clean_copies`
removes what can be removed: the person's rows from CSV and XLSX lists (a CSV file keeps
its encoding, separator and every other row byte for byte), letters to them, and reports
that name them (made again, or deleted). A file it cannot change safely it leaves, and
says so.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import email
import email.policy
import html
import io
import json
import os
import re
import tempfile
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
from attrs import frozen

from ..errors import InteressentError
from .mentions import _email_key, _People, _sequence

#: Files above this size are not read (and said so).
MAX_BYTES = 200 * 1024 * 1024
_TEXT = frozenset({".csv", ".md", ".txt", ".html", ".htm", ".eml", ".json", ".toml"})
_ZIPPED = frozenset({".docx", ".xlsx", ".xlsm"})
_DATABASES = frozenset({".db", ".sqlite", ".sqlite3", ".bak"})
_LETTERS = frozenset({".md", ".txt", ".html", ".eml", ".docx"})
_LISTS = frozenset({".csv", ".xlsx", ".xlsm"})
_REPORT = re.compile(r"rapport-(?P<period>.+)-(?P<day>\d{4}-\d{2}-\d{2})\.(?:html|md|docx)")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_XML_BREAK = re.compile(r"</(?:w:p|w:tc|w:tr|si|c|row|is|a:p|text:p)>|<w:br\s*/>|<w:tab\s*/>")
_XML_TAG = re.compile(r"<[^>]*>")


@frozen
class FileTrace:
    """A file in the workspace that holds an erased (or to be erased) person."""

    path: Path
    kind: str
    """``list`` (CSV or XLSX), ``letter`` (addressed to them: named by their id, or an
    e-mail to their address), ``report`` (one interessent made: ``rapport-…``),
    ``database`` (another SQLite file: a backup) or ``file`` (anything else)."""
    action: str
    """What cleaning the files does with it: ``remove rows``, ``delete``, ``remake`` or
    ``none`` (nothing it can do safely: edit or delete it by hand)."""
    rows: tuple[str, ...] = ()
    """Their rows in a list, numbered as a spreadsheet does (``5``; ``Ark1!5`` in a
    workbook): a cell, or one ``|``-separated value of a cell, is their full name, id or
    e-mail address."""
    other_rows: tuple[str, ...] = ()
    """Rows that only name them in a longer text (another person's notes): kept."""
    note: str = ""
    """Why the file was not searched, or what went wrong."""
    done: str = ""
    """What was done to it (empty in a plan, and when nothing was done)."""
    holds: bool = True
    """Whether the file still holds them (or may: a file that could not be read)."""

    def to_dict(self) -> dict[str, Any]:
        """Plain data: every field, the path as text."""
        return {"path": str(self.path), "kind": self.kind, "action": self.action,
                "rows": list(self.rows), "other_rows": list(self.other_rows),
                "note": self.note, "done": self.done, "holds": self.holds}


@frozen
class _Who:
    """One person as looked for in files."""

    id: str
    texts: tuple[str, ...]
    """Their full name, id and e-mail as registered (the distinctive ones)."""
    email: str | None

    @property
    def exact(self) -> frozenset[str]:
        """The cell values that are them, as :func:`_cell` folds a cell: :attr:`texts`,
        and their id (of two or more words) even when its words are another's name too:
        an id is nobody else's."""
        own = [self.id] if _sequence(self.id) is not None else []
        return frozenset(_cell(t) for t in (*self.texts, *own))


def _cell(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


class _Seeker:
    """Looks for some people in files: mentions through :class:`_People`, their rows by
    exact cells, letters to them by file name or recipient."""

    def __init__(self, people: _People, who: Sequence[_Who], other_ids: frozenset[str]) -> None:
        self.people = people
        self.who = list(who)
        self.exact = frozenset().union(*(w.exact for w in who)) if who else frozenset()
        self.emails = {w.email for w in who if w.email}
        self.other_ids = other_ids

    def __bool__(self) -> bool:
        return bool(self.people or self.exact)

    def holds(self, text: str) -> bool:
        return bool(self.people.find(text))

    def is_theirs(self, cells: Sequence[str]) -> bool:
        for cell in cells:
            if not cell:
                continue
            if _cell(cell) in self.exact:
                return True
            if "|" in cell and any(_cell(part) in self.exact for part in cell.split("|")):
                return True
        return False

    def is_letter_to_them(self, path: Path, text: str) -> bool:
        if path.suffix.lower() not in _LETTERS:
            return False
        stem = path.stem.casefold()
        for w in self.who:
            own = w.id.casefold()
            if stem == own or (re.fullmatch(re.escape(own) + r"-\d+", stem)
                               and stem not in self.other_ids):
                return True
        if path.suffix.lower() == ".eml" and self.emails:
            return bool(_recipients(text) & self.emails)
        return False


# --- finding ------------------------------------------------------------------------------


def _walk(root: Path, skip: frozenset[Path]) -> Iterator[Path]:
    """The workspace's files: hidden folders and files, symbolic links and ``skip`` left
    out."""
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            if name.startswith(".") or path in skip or path.is_symlink():
                continue
            suffix = path.suffix.lower()
            if suffix in _TEXT or suffix in _ZIPPED or suffix in _DATABASES:
                yield path


def _find_copies(root: Path, seeker: _Seeker, skip: frozenset[Path]) -> list[FileTrace]:
    """Every file under ``root`` that holds the people ``seeker`` looks for."""
    if not seeker:
        return []
    return [t for path in _walk(root, skip) if (t := _trace(path, seeker)) is not None]


def _trace(path: Path, seeker: _Seeker) -> FileTrace | None:
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return FileTrace(path, "file", "none", note=f"not searched: {size / 2**20:.0f} MB, "
                             f"above {MAX_BYTES // 2**20} MB")
        if suffix in _DATABASES:
            return _database_trace(path, seeker)
        if suffix in (".xlsx", ".xlsm"):
            return _workbook_trace(path, seeker)
        if suffix == ".docx":
            text = _zip_text(path)
        else:
            data = path.read_bytes()
            text, _codec = _decode(data)
            if suffix == ".csv":
                return _csv_trace(path, text, seeker)
            text = _readable(suffix, data, text)
    except OSError as exc:
        return FileTrace(path, "file", "none", note=f"not searched: {exc.strerror or exc}")
    except (zipfile.BadZipFile, _Unreadable) as exc:
        return FileTrace(path, "file", "none", note=f"not searched: {exc}")
    if seeker.is_letter_to_them(path, text):
        return FileTrace(path, "letter", "delete")
    if not seeker.holds(text + "\n" + path.name):
        return None
    if _REPORT.fullmatch(path.name):
        return FileTrace(path, "report", "remake")
    return FileTrace(path, "file", "none")


class _Unreadable(Exception):  # internal: never leaves this module
    """A zip archive that is too large unpacked."""


def _decode(data: bytes) -> tuple[str, str]:
    """A text file's text (a byte-order mark kept, so it encodes back the same) and its
    encoding."""
    if data.startswith(codecs.BOM_UTF16_LE):
        return data.decode("utf-16-le", errors="replace"), "utf-16-le"
    if data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16-be", errors="replace"), "utf-16-be"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _readable(suffix: str, data: bytes, text: str) -> str:
    """``text`` plus what hides in its encoding: HTML entities, JSON escapes, encoded
    mail headers and bodies."""
    if suffix in (".html", ".htm"):
        return text + "\n" + html.unescape(text)
    if suffix == ".json":
        try:
            return text + "\n" + "\n".join(_strings(json.loads(text.lstrip("\ufeff"))))
        except (ValueError, RecursionError):
            return text
    if suffix == ".eml":
        return text + "\n" + _mail_text(data)
    return text


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _mail_text(data: bytes) -> str:
    """A mail's headers and text parts, decoded."""
    try:
        message = email.message_from_bytes(data, policy=email.policy.default)
        parts = [f"{k}: {v}" for k, v in message.items()]
        for part in message.walk():
            if part.get_content_maintype() == "text":
                with contextlib.suppress(Exception):
                    parts.append(str(part.get_content()))
        return "\n".join(parts)
    except Exception:  # a mail the parser cannot read is searched as text only
        return ""


def _recipients(text: str) -> set[str]:
    """The e-mail addresses in a mail's To, Cc and Bcc headers (folded)."""
    try:
        message = email.message_from_string(text.lstrip("\ufeff"), policy=email.policy.default)
        found = set()
        for header in ("to", "cc", "bcc"):
            for value in message.get_all(header) or []:
                for address in getattr(value, "addresses", ()):
                    key = _email_key(address.addr_spec)
                    if key:
                        found.add(key)
        return found
    except Exception:  # no readable headers: no recipients
        return set()


def _check_zip(archive: zipfile.ZipFile) -> None:
    infos = archive.infolist()
    total = sum(i.file_size for i in infos)
    if len(infos) > 10_000 or total > MAX_BYTES:
        raise _Unreadable(f"unpacks to {total / 2**20:.0f} MB, above {MAX_BYTES // 2**20} MB")


def _zip_text(path: Path) -> str:
    """The text of a Word or Excel file: every XML part with its tags taken out (a
    paragraph, cell or string ends a line), and as it is (for attributes: link targets)."""
    parts = []
    with zipfile.ZipFile(path) as archive:
        _check_zip(archive)
        for info in archive.infolist():
            if info.filename.endswith((".xml", ".rels")):
                xml = archive.read(info).decode("utf-8", errors="replace")
                parts.append(html.unescape(_XML_TAG.sub("", _XML_BREAK.sub("\n", xml))))
                parts.append(html.unescape(xml))
    return "\n".join(parts)


def _database_trace(path: Path, seeker: _Seeker) -> FileTrace | None:
    data = path.read_bytes()
    if not data.startswith(b"SQLite format 3\x00"):
        return None
    needles = {unicodedata.normalize("NFC", t).encode().lower()
               for w in seeker.who for t in w.texts}
    lowered = data.lower()  # ASCII letters only, on both sides
    if any(n in lowered for n in needles if len(n) >= 5):
        return FileTrace(path, "database", "none",
                         note="another SQLite file (a backup?): delete it, or erase the "
                              "person again if it is ever restored")
    return None


# --- lists --------------------------------------------------------------------------------


def _csv_records(text: str) -> list[tuple[int, int, int, list[str]]] | None:
    """(row number, start, end, cells) of each record of a CSV text, header first, with
    the character span of its lines; None when it is no CSV the importer would read."""
    start = 1 if text.startswith("\ufeff") else 0
    lines = _LINE.findall(text[start:])
    if not lines:
        return None
    header = lines[0]
    delimiter = max((";", ",", "\t"), key=lambda c: (header.count(c), c == ";"))
    offsets = [start]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    reader = csv.reader(iter(lines), delimiter=delimiter, quotechar='"', strict=True)
    records = []
    consumed = 0
    try:
        for number, cells in enumerate(reader, start=1):
            records.append((number, offsets[consumed], offsets[reader.line_num], cells))
            consumed = reader.line_num
    except csv.Error:
        return None
    return records


def _csv_rows(records: list[tuple[int, int, int, list[str]]], seeker: _Seeker
              ) -> tuple[list[int], list[int]]:
    """Their rows and other rows naming them, the header (first non-empty record) aside."""
    theirs, others = [], []
    header_seen = False
    for number, _start, _end, cells in records:
        if not "".join(cells).strip():
            continue
        if not header_seen:
            header_seen = True
            continue
        if seeker.is_theirs(cells):
            theirs.append(number)
        elif any(seeker.holds(c) for c in cells if c):
            others.append(number)
    return theirs, others


def _csv_trace(path: Path, text: str, seeker: _Seeker) -> FileTrace | None:
    records = _csv_records(text)
    if records is None:
        return (FileTrace(path, "file", "none", note="not a CSV list the importer reads")
                if seeker.holds(text) else None)
    theirs, others = _csv_rows(records, seeker)
    if not theirs and not others and not seeker.holds(text + "\n" + path.name):
        return None
    return FileTrace(path, "list", "remove rows" if theirs else "none",
                     rows=tuple(map(str, theirs)), other_rows=tuple(map(str, others)))


def _csv_without(data: bytes, seeker: _Seeker) -> bytes:
    """A CSV file's bytes without their rows; every other byte as it was."""
    text, codec = _decode(data)
    records = _csv_records(text)
    if records is None:
        return data
    theirs = set(_csv_rows(records, seeker)[0])
    out = []
    at = 0
    for number, start, end, _cells in records:
        if number in theirs:
            out.append(text[at:start])
            at = end
    out.append(text[at:])
    return "".join(out).encode(codec)


def _workbook_rows(path: Path, seeker: _Seeker) -> tuple[list[str], list[str]]:
    import openpyxl

    theirs: list[str] = []
    others: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            for sheet in book.worksheets:
                header_seen = False
                for row in sheet.iter_rows():
                    cells = [("" if c.value is None else str(c.value)) for c in row]
                    number = next((c.row for c in row if getattr(c, "row", None)), None)
                    if number is None or not "".join(cells).strip():
                        continue
                    if not header_seen:
                        header_seen = True
                        continue
                    label = f"{sheet.title}!{number}"
                    if seeker.is_theirs(cells):
                        theirs.append(label)
                    elif any(seeker.holds(c) for c in cells if c):
                        others.append(label)
        finally:
            book.close()
    return theirs, others


def _workbook_trace(path: Path, seeker: _Seeker) -> FileTrace | None:
    with zipfile.ZipFile(path) as archive:
        _check_zip(archive)
    try:
        theirs, others = _workbook_rows(path, seeker)
    except Exception:  # openpyxl cannot read it: searched as XML only
        theirs, others = [], []
    text = _zip_text(path)
    if not theirs and not others and not seeker.holds(text + "\n" + path.name):
        return None
    return FileTrace(path, "list", "remove rows" if theirs else "none",
                     rows=tuple(theirs), other_rows=tuple(others))


def _workbook_without(path: Path, rows: Sequence[str]) -> bytes:
    """A workbook's bytes without ``rows`` (``sheet!number``); other rows keep their
    values and styles."""
    import openpyxl

    by_sheet: dict[str, list[int]] = {}
    for label in rows:
        title, _, row = label.rpartition("!")
        by_sheet.setdefault(title, []).append(int(row))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm")
        for title, numbers in by_sheet.items():
            sheet = book[title]
            for number in sorted(numbers, reverse=True):
                sheet.delete_rows(number)
        out = io.BytesIO()
        book.save(out)
    return out.getvalue()


# --- cleaning -----------------------------------------------------------------------------


def _replace(path: Path, data: bytes) -> None:
    """Put ``data`` in place of ``path`` atomically, keeping its permissions."""
    mode = path.stat().st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        Path(tmp).chmod(mode)
        Path(tmp).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise


def _clean_copies(traces: Sequence[FileTrace], seeker: _Seeker,
                  remake: Callable[[Path], None]) -> list[FileTrace]:
    """Carry out each trace's action; each file is changed whole or not at all, and a
    failure is noted on its trace (the others still go ahead)."""
    result = []
    for t in traces:
        done, note = "", t.note
        try:
            if t.action == "remove rows":
                if t.path.suffix.lower() == ".csv":
                    _replace(t.path, _csv_without(t.path.read_bytes(), seeker))
                else:
                    _replace(t.path, _workbook_without(t.path, t.rows))
                done = f"removed {len(t.rows)} row{'s' if len(t.rows) != 1 else ''}"
            elif t.action == "delete":
                t.path.unlink()
                done = "deleted"
            elif t.action == "remake":
                try:
                    remake(t.path)
                    done = "made again"
                except InteressentError as exc:
                    t.path.unlink()
                    done = f"deleted (could not make it again: {exc})"
        except OSError as exc:
            note = f"could not be changed: {exc.strerror or exc}"
        except Exception as exc:  # an unreadable workbook: left as it was, and said so
            note = f"could not be changed: {exc}"
        result.append(attrs.evolve(t, done=done, note=note))
    return result


def _recheck(trace: FileTrace, seeker: _Seeker) -> FileTrace:
    """``trace`` after cleaning: does its file still hold them?"""
    if not trace.path.exists():
        return attrs.evolve(trace, holds=False, rows=(), other_rows=())
    again = _trace(trace.path, seeker)
    if again is None:
        return attrs.evolve(trace, holds=False, rows=(), other_rows=())
    return attrs.evolve(trace, holds=True, rows=again.rows, other_rows=again.other_rows,
                        note=trace.note or again.note)

"""Where a key is written in a TOML text: the line of every key path.

tomllib parses TOML but reports no positions, so a plan problem's key path
(``groups[2].members``) is mapped back to its line by this small scanner. It follows TOML's
strings (basic ``"…"``, literal ``'…'``, multi-line ``\"\"\"…\"\"\"`` and ``'''…'''``, with
escapes), comments, tables, arrays of tables, dotted keys, inline tables and arrays (also
spread over several lines), so a ``[[groups]]`` inside a string or a ``#`` or ``=`` inside a
value does not mislead it. It reads text that tomllib has already accepted; on anything it
cannot follow it stops and keeps what it found up to there.

>>> lines = key_lines('[a]\\nb = [\\n  {c = 1},\\n  {c = 2},\\n]\\n')
>>> line_of(lines, "a.b[1].c"), line_of(lines, "a.b[1].d"), line_of(lines, "x")
(4, 4, None)
"""

from __future__ import annotations

import bisect
import contextlib
import re
from collections.abc import Mapping

__all__ = ["KeyPath", "key_lines", "line_of", "split_path"]

KeyPath = tuple[str | int, ...]
"""A key path as a tuple: ``groups[2].members`` is ``("groups", 2, "members")``."""

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_PATH_PART = re.compile(r"\[(\d+)\]|([^.\[\]]+)")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}
_SCALAR_END = frozenset(",]}#\r\n")
_QUOTES = {'"': re.compile('"+'), "'": re.compile("'+")}


def split_path(path: str) -> KeyPath:
    """``commitments[3].cadence`` → ``("commitments", 3, "cadence")``."""
    parts: list[str | int] = []
    for match in _PATH_PART.finditer(path):
        index, name = match.groups()
        parts.append(int(index) if index is not None else name.strip().strip('"'))
    return tuple(parts)


def key_lines(text: str) -> dict[KeyPath, int]:
    """The line (from 1) where each key path of ``text`` is first written.

    A table or an array of tables counts from its first header (``[[groups]]`` for
    ``groups``), each element of an array of tables from its own header, a key from the line
    its name starts on, an element of an inline array from where the element starts.
    """
    scanner = _Scanner(text)
    with contextlib.suppress(_Stop):
        scanner.document()
    return scanner.lines


def line_of(lines: Mapping[KeyPath, int], path: str) -> int | None:
    """The line of ``path`` in ``lines`` (from :func:`key_lines`), or of the nearest key
    path that encloses it (a missing key is reported on its table's header); ``None`` for
    paths that are not keys, such as ``(toml)``, and paths the text does not hold."""
    if path.startswith("("):
        return None
    target = split_path(path)
    for end in range(len(target), 0, -1):
        line = lines.get(target[:end])
        if line is not None:
            return line
    return None


class _Stop(Exception):
    """The text is not TOML this scanner can follow any further."""


# A shadow of the document's tables: what headers and dotted keys need to resolve a path.
# An array of tables is a list of them; any other value is not kept.
_Table = dict[str, "_Table | list[_Table]"]


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        self.lines: dict[KeyPath, int] = {}
        self.root: _Table = {}

    # --- positions -------------------------------------------------------------------------

    def record(self, path: KeyPath, offset: int) -> None:
        self.lines.setdefault(path, bisect.bisect_left(self.newlines, offset) + 1)

    def peek(self, count: int = 1) -> str:
        return self.text[self.i : self.i + count]

    def expect(self, token: str) -> None:
        if not self.text.startswith(token, self.i):
            raise _Stop
        self.i += len(token)

    def skip_spaces(self) -> None:
        while self.peek() in (" ", "\t"):
            self.i += 1

    def skip_comment(self) -> None:
        if self.peek() == "#":
            end = self.text.find("\n", self.i)
            self.i = len(self.text) if end < 0 else end

    def skip_blank(self) -> None:
        """Spaces, newlines and comments: what may stand between values of an array."""
        while self.i < len(self.text):
            char = self.text[self.i]
            if char in " \t\r\n":
                self.i += 1
            elif char == "#":
                self.skip_comment()
            else:
                return

    # --- document structure ----------------------------------------------------------------

    def document(self) -> None:
        table: _Table = self.root
        path: KeyPath = ()
        while True:
            self.skip_blank()
            if self.i >= len(self.text):
                return
            if self.peek(2) == "[[":
                start = self.i
                self.i += 2
                keys = self.key()
                self.skip_spaces()
                self.expect("]]")
                table, path = self.header(keys, start, array=True)
            elif self.peek() == "[":
                start = self.i
                self.i += 1
                keys = self.key()
                self.skip_spaces()
                self.expect("]")
                table, path = self.header(keys, start, array=False)
            else:
                self.keyval(table, path)
            self.skip_spaces()
            self.skip_comment()
            if self.i < len(self.text) and self.peek() not in ("\r", "\n"):
                raise _Stop

    def header(self, keys: list[str], offset: int, *, array: bool) -> tuple[_Table, KeyPath]:
        """Open the table of a ``[a.b]`` or ``[[a.b]]`` header, as TOML resolves it: each
        array of tables on the way stands for its last element."""
        table = self.root
        path: KeyPath = ()
        for number, key in enumerate(keys, start=1):
            child = table.get(key)
            path = (*path, key)
            if array and number == len(keys):
                if not isinstance(child, list):
                    child = table[key] = []
                self.record(path, offset)
                child.append({})
                path = (*path, len(child) - 1)
                table = child[-1]
            elif isinstance(child, list) and child:
                path = (*path, len(child) - 1)
                table = child[-1]
            elif isinstance(child, dict):
                table = child
            else:
                child = table[key] = {}
                table = child
            self.record(path, offset)
        return table, path

    def keyval(self, table: _Table, path: KeyPath) -> None:
        """``a.b.c = value``: dotted keys open (or reopen) tables below ``table``."""
        start = self.i
        keys = self.key()
        for key in keys[:-1]:
            child = table.get(key)
            if not isinstance(child, dict):
                child = table[key] = {}
            table, path = child, (*path, key)
            self.record(path, start)
        path = (*path, keys[-1])
        self.record(path, start)
        self.skip_spaces()
        self.expect("=")
        self.skip_spaces()
        self.value(path)

    def key(self) -> list[str]:
        """A key, dotted or not, as its parts: ``a."b.c".'d'`` → ``["a", "b.c", "d"]``."""
        parts: list[str] = []
        while True:
            self.skip_spaces()
            char = self.peek()
            if char == '"':
                parts.append(self.basic_string())
            elif char == "'":
                parts.append(self.literal_string())
            else:
                match = _BARE_KEY.match(self.text, self.i)
                if match is None:
                    raise _Stop
                parts.append(match.group())
                self.i = match.end()
            self.skip_spaces()
            if self.peek() != ".":
                return parts
            self.i += 1

    # --- values ----------------------------------------------------------------------------

    def value(self, path: KeyPath) -> None:
        char = self.peek()
        if char == "{":
            self.inline_table(path)
        elif char == "[":
            self.array(path)
        elif self.peek(3) in ('"""', "'''"):
            self.multiline_string(self.peek())
        elif char == '"':
            self.basic_string()
        elif char == "'":
            self.literal_string()
        else:
            start = self.i
            while self.i < len(self.text) and self.text[self.i] not in _SCALAR_END:
                self.i += 1
            if self.i == start:
                raise _Stop

    def array(self, path: KeyPath) -> None:
        self.expect("[")
        index = 0
        while True:
            self.skip_blank()
            if self.peek() == "]":
                self.i += 1
                return
            self.record((*path, index), self.i)
            self.value((*path, index))
            index += 1
            self.skip_blank()
            if self.peek() == ",":
                self.i += 1
            elif self.peek() != "]":
                raise _Stop

    def inline_table(self, path: KeyPath) -> None:
        self.expect("{")
        table: _Table = {}
        while True:
            # TOML 1.0 keeps an inline table on one line; newlines are allowed here anyway,
            # as TOML 1.1 will allow them, since the text was checked by tomllib before.
            self.skip_blank()
            if self.peek() == "}":
                self.i += 1
                return
            self.keyval(table, path)
            self.skip_blank()
            if self.peek() == ",":
                self.i += 1
            elif self.peek() != "}":
                raise _Stop

    # --- strings ---------------------------------------------------------------------------

    def basic_string(self) -> str:
        """A ``"…"`` string; its value, escapes decoded (a key may be written so)."""
        self.expect('"')
        out: list[str] = []
        while True:
            if self.i >= len(self.text) or self.peek() == "\n":
                raise _Stop
            char = self.text[self.i]
            self.i += 1
            if char == '"':
                return "".join(out)
            if char != "\\":
                out.append(char)
                continue
            code = self.peek()
            if code in ("u", "U"):
                width = 4 if code == "u" else 8
                digits = self.text[self.i + 1 : self.i + 1 + width]
                try:
                    out.append(chr(int(digits, 16)))
                except ValueError:
                    raise _Stop from None
                self.i += 1 + width
            elif code in _ESCAPES:
                out.append(_ESCAPES[code])
                self.i += 1
            else:
                raise _Stop

    def literal_string(self) -> str:
        """A ``'…'`` string: no escapes, a backslash is a backslash."""
        self.expect("'")
        end = self.text.find("'", self.i)
        newline = self.text.find("\n", self.i)
        if end < 0 or 0 <= newline < end:
            raise _Stop
        value = self.text[self.i : end]
        self.i = end + 1
        return value

    def multiline_string(self, quote: str) -> None:
        """A ``\"\"\"…\"\"\"`` or ``'''…'''`` string. Only the basic kind has escapes (so
        ``\\\"\"\"`` does not close it). Up to two quotes may stand right before the closing
        three, as in ``\"\"\"say "hi\"\"\"\"\"``: the closing quotes are the last three."""
        self.expect(quote * 3)
        while self.i < len(self.text):
            char = self.text[self.i]
            if char == "\\" and quote == '"':
                self.i += 2
            elif char == quote:
                run = _QUOTES[quote].match(self.text, self.i)
                assert run is not None
                self.i = run.end()
                if len(run.group()) >= 3:
                    return
            else:
                self.i += 1
        raise _Stop

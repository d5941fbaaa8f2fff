"""The exceptions interessent raises, every one of them.

Every error a user can cause derives from one root, so callers (and the CLI) catch
one thing::

    InteressentError
    ├── WorkspaceError               no workspace here, or one that cannot be made
    ├── NotFound (LookupError)       no stakeholder / group / commitment / template with that id
    ├── InvalidInput (ValueError)    a value the user gave is malformed (a period, a date …);
    │                                ``field`` names the parameter, ``problems`` a record's
    ├── PlanError (ValueError)       the plan file is broken; ``problems`` names each key path
    ├── ImportRejected (ValueError)  a file has bad rows; ``problems`` names each row
    ├── TemplateProblem (ValueError) a template is missing, not valid Jinja, or asks for a
    │                                field that does not exist; names the file, line and field
    ├── TemplateSecurityError        a template tried to reach outside the sandbox;
    │                                ``template`` and ``line`` say where
    ├── PolicyError                  the plan's information responsibility forbids it (a
    │                                political matter, a signer who may not, no clearance);
    │                                ``rule``, ``topic`` and ``signer`` say which and whom
    ├── ErasureIncomplete            a person is erased in the database, but what follows
    │                                (rebuilding the file, cleaning files) did not finish
    ├── PathError                    a file or folder the user chose could not be read or
    │   │                            written; ``path`` names it, ``strerror`` says why
    │   └── DraftWriteError          the letters could not be written; none were
    └── StoreError                   the database refused (busy, read-only, full, corrupt)
        └── StoreBusy                another writer held the lock past the timeout

An error inherits a builtin only when it truly is one: a missing thing a ``LookupError``,
malformed input a ``ValueError``. None is an ``OSError``, not even :class:`PathError`
(which keeps the ``path``, ``strerror`` and ``errno`` of one): ``except OSError`` around
a file write catches the system's errors only, never a sandbox escape, a refusal by the
plan or any other error of interessent's.

Messages speak the domain and name no command-line option; the CLI turns any error into
one line ``Error: …`` and exit status 1, adding the option that answers it from the
error's fields. A message never repeats a huge input whole: every error's message goes
through :func:`bounded_message`, which cuts a quoted value to :data:`QUOTED_CHARS`
characters and any other run without spaces to :data:`WORD_CHARS` (the value itself
stays whole in the error's fields).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

import attrs

#: The message catalog, handed over by :mod:`interessent.i18n` when it loads (it imports
#: this module, so this one cannot import it). English until then.
_CATALOG: list[tuple[Callable[[str], str], Callable[[str, str, int], str]]] = [
    (lambda message: message, lambda one, many, n: one if n == 1 else many)]


def use_catalog(gettext: Callable[[str], str],
                ngettext: Callable[[str, str, int], str]) -> None:
    """Speak through these from now on (called once, by :mod:`interessent.i18n`)."""
    _CATALOG[0] = (gettext, ngettext)


def gettext(message: str) -> str:
    """``message`` in the current language (see :func:`use_catalog`)."""
    return _CATALOG[0][0](message)


def ngettext(one: str, many: str, n: int) -> str:
    """``one`` or ``many`` for ``n``, in the current language."""
    return _CATALOG[0][1](one, many, n)

__all__ = [
    "DraftWriteError",
    "ErasureIncomplete",
    "ImportRejected",
    "InteressentError",
    "InvalidInput",
    "NotFound",
    "PathError",
    "PlanError",
    "PlanProblem",
    "PolicyError",
    "PolicyRule",
    "RowProblem",
    "StoreBusy",
    "StoreError",
    "TemplateProblem",
    "TemplateSecurityError",
    "WorkspaceError",
]


#: How many characters of a quoted value (``'…'``, ``"…"``) a message keeps.
QUOTED_CHARS = 80
#: How many characters of a run without spaces (an id typed bare, a path) a message keeps.
WORD_CHARS = 200
#: How many characters one line of a message keeps at most.
LINE_CHARS = 2000

_MORE = f"{{{QUOTED_CHARS + 1},}}"  # more characters than a message quotes
_QUOTED = re.compile(r"'([^'\n]" + _MORE + r")'|" + r'"([^"\n]' + _MORE + r')"')
_WORD = re.compile(rf"\S{{{WORD_CHARS + 1},}}")


def _cut(text: str, limit: int) -> str:
    return f"{text[:limit]}… ({len(text):,} characters)"


def bounded_message(message: str) -> str:
    """``message`` with each quoted value longer than :data:`QUOTED_CHARS` characters,
    each run without spaces longer than :data:`WORD_CHARS` and each line longer than
    :data:`LINE_CHARS` cut, with "…" and the length: 100,000 characters typed as an id
    make a message of one short line."""
    if len(message) <= QUOTED_CHARS:
        return message
    message = _QUOTED.sub(lambda m: (q := m.group()[0]) + _cut(
        m.group(1) or m.group(2), QUOTED_CHARS).replace(" (", f"{q} (", 1), message)
    message = _WORD.sub(lambda m: _cut(m.group(), WORD_CHARS), message)
    return "\n".join(line if len(line) <= LINE_CHARS else _cut(line, LINE_CHARS)
                     for line in message.split("\n"))


class InteressentError(Exception):
    """The root of every error interessent raises on purpose. Its message is bounded
    (:func:`bounded_message`)."""

    def __init__(self, *args: object) -> None:
        super().__init__(*(bounded_message(a) if isinstance(a, str) else a for a in args))


class WorkspaceError(InteressentError):
    """No workspace where one was expected, or one could not be created."""


class NotFound(InteressentError, LookupError):
    """A stakeholder, group, commitment or template that does not exist."""


class InvalidInput(InteressentError, ValueError):
    """A value given by the user is malformed.

    ``field`` names the parameter the value was given for, where one is to blame (so a
    caller, or the command line, can point at it). ``problems`` lists every problem of a
    record refused whole (a stakeholder added or edited, an interaction logged), as an
    import lists a file's: a record typed in is row 2 of a table of one.
    """

    def __init__(self, message: str, *, field: str | None = None,
                 problems: Sequence[RowProblem] = ()) -> None:
        super().__init__(message)
        self.field = field
        self.problems = list(problems)


@attrs.frozen
class PlanProblem:
    """One error in a plan file: where (key path, TOML line if known) and what."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = gettext("{path} (line {line})").format(path=self.path, line=self.line) \
            if self.line else self.path
        return f"{where}: {self.message}"


class PlanError(InteressentError, ValueError):
    """The plan file is broken. ``problems`` lists every error found, not just the first."""

    def __init__(self, source: str, problems: Sequence[PlanProblem]) -> None:
        self.source = source
        self.problems = list(problems)
        count = len(self.problems)
        head = ngettext("{source}: {count} problem in the plan",
                        "{source}: {count} problems in the plan", count).format(
            source=source, count=count)
        super().__init__(head + "".join(f"\n  {p}" for p in self.problems))


@attrs.frozen
class RowProblem:
    """One bad row of an imported file. ``row`` counts like a spreadsheet: header is 1.
    ``column`` is the column to blame, as the file's header writes it (None when the
    row, or the header as a whole, is); the message names it too."""

    row: int
    message: str
    column: str | None = None

    def __str__(self) -> str:
        return f"row {self.row}: {self.message}"


class ImportRejected(InteressentError, ValueError):
    """A file with bad rows is rejected whole; nothing was written."""

    def __init__(self, source: str, problems: Sequence[RowProblem], *, limit: int = 50) -> None:
        self.source = source
        self.problems = list(problems)
        count = len(self.problems)
        shown = self.problems[:limit]
        more = f"\n  … and {count - limit} more" if count > limit else ""
        super().__init__(
            f"{source} rejected, nothing imported: {count} bad row{'s' if count != 1 else ''}"
            + "".join(f"\n  {p}" for p in shown)
            + more
        )


class TemplateProblem(InteressentError, ValueError):
    """A template cannot be used: missing, not valid Jinja, or it asks for a field that
    does not exist. ``template``, ``line`` and ``field`` say where."""

    def __init__(self, message: str, *, template: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        super().__init__(message)
        self.template = template
        self.line = line
        self.field = field


class TemplateSecurityError(InteressentError):
    """A template tried to reach outside the sandbox (Python internals, mutation).
    ``template`` is the file's name and ``line`` its line, where known."""

    def __init__(self, message: str, *, template: str | None = None,
                 line: int | None = None) -> None:
        super().__init__(message)
        self.template = template
        self.line = line


#: Which rule of the information responsibility refused (:attr:`PolicyError.rule`).
PolicyRule = Literal[
    "forbidden topic",          # the plan forbids the programme to speak on the topic
    "nobody may speak",         # no rule of the plan lets anyone speak on the topic
    "no own authority",         # no role speaks on it unasked: name the signer
    "restricted",               # the signer's data is restricted (GDPR art. 18)
    "not the programme's own",  # the signer holds no role of the programme's own
    "may not sign",             # no rule lets the signer's roles speak on the topic
    "needs clearance",          # the signer's rule needs a clearance that was not given
    "clears own statement",     # the clearance was the signer's own role
    "not a clearing role",      # the clearance came from a role the rule does not name
]


class PolicyError(InteressentError):
    """The plan's information responsibility forbids what was asked (a political matter,
    a signer who may not speak on the topic, a missing or wrong clearance).

    ``rule`` says which rule refused (:data:`PolicyRule`); ``topic`` is the topic's key,
    ``signer`` the stakeholder id or role key that would have signed (None when none was
    named or could be chosen), and ``cleared_by`` the keys of the roles that may clear
    the statement, where a clearance is what is missing or wrong.
    """

    def __init__(self, message: str, *, rule: PolicyRule, topic: str | None = None,
                 signer: str | None = None, cleared_by: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.rule: PolicyRule = rule
        self.topic = topic
        self.signer = signer
        self.cleared_by = tuple(cleared_by)


class ErasureIncomplete(InteressentError):
    """A person was erased in the database, but what follows could not finish: the
    database file could not be rebuilt (old bytes may remain in it), or a file in the
    workspace could not be changed. The message says what state the record and each file
    are in; ``erasure`` is what was done (an :class:`interessent.privacy.Erasure`)."""

    def __init__(self, message: str, erasure: object) -> None:
        super().__init__(message)
        self.erasure = erasure


class PathError(InteressentError):
    """A file or folder the user chose could not be read or written.

    ``path`` is that path, ``strerror`` the reason (``errno`` the system's number, if
    any; ``filename`` the path as text). The message reads ``<path>: <reason>`` unless
    ``message`` says more. It tells of an ``OSError`` but is none, so that ``except
    OSError`` catches only what the system raised.
    """

    def __init__(self, path: str | os.PathLike[str], reason: str, *, errno: int | None = None,
                 message: str | None = None) -> None:
        self.path = Path(path)
        self.filename = os.fspath(path)
        self.strerror = reason
        self.errno = errno
        self.message = bounded_message(
            message if message is not None else f"{self.path}: {reason}")
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class DraftWriteError(PathError):
    """The letters could not be written to their folder; the files of the run were
    removed."""


class StoreError(InteressentError):
    """The database could not do what was asked (read-only, disk full, corrupt …)."""


class StoreBusy(StoreError):
    """Another process held the database past the busy timeout; try again."""

"""The exceptions interessent raises.

Every error a user can cause derives from one root, so callers (and the CLI) catch
one thing::

    InteressentError
    ├── WorkspaceError            no workspace here, or one that cannot be made
    ├── NotFound (LookupError)    no stakeholder / group / commitment with that id
    ├── InvalidInput (ValueError) a value the user gave is malformed (a period, a date …)
    ├── PlanError (ValueError)    the plan file is broken; ``problems`` names each key path
    ├── ImportRejected (ValueError) a file has bad rows; ``problems`` names each row
    └── StoreError                the database refused (busy, read-only, full, corrupt)
        └── StoreBusy             another writer held the lock past the timeout

The CLI turns any of them into one line ``Error: …`` and exit status 1.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

__all__ = [
    "ImportRejected",
    "InteressentError",
    "InvalidInput",
    "NotFound",
    "PlanError",
    "PlanProblem",
    "RowProblem",
    "StoreBusy",
    "StoreError",
    "WorkspaceError",
]


class InteressentError(Exception):
    """The root of every error interessent raises on purpose."""


class WorkspaceError(InteressentError):
    """No workspace where one was expected, or one could not be created."""


class NotFound(InteressentError, LookupError):
    """A stakeholder, group, commitment or template that does not exist."""


class InvalidInput(InteressentError, ValueError):
    """A value given by the user is malformed."""


@attrs.frozen
class PlanProblem:
    """One error in a plan file: where (key path, TOML line if known) and what."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path} (line {self.line})" if self.line else self.path
        return f"{where}: {self.message}"


class PlanError(InteressentError, ValueError):
    """The plan file is broken. ``problems`` lists every error found, not just the first."""

    def __init__(self, source: str, problems: Sequence[PlanProblem]) -> None:
        self.source = source
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{source}: {count} problem{'s' if count != 1 else ''} in the plan"
        super().__init__(head + "".join(f"\n  {p}" for p in self.problems))


@attrs.frozen
class RowProblem:
    """One bad row of an imported file. ``row`` counts like a spreadsheet: header is 1."""

    row: int
    message: str

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


class StoreError(InteressentError):
    """The database could not do what was asked (read-only, disk full, corrupt …)."""


class StoreBusy(StoreError):
    """Another process held the database past the busy timeout; try again."""

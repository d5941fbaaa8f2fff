"""Backing up a workspace's database: :func:`backup` copies the SQLite file while others
keep working (:meth:`Store.backup <interessent.store.Store.backup>`) and reads the copy's
counts back, so the result says what the copy holds."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from attrs import frozen

from .plaindata import plain
from .store import Store

if TYPE_CHECKING:
    from .workspace import Workspace

__all__ = ["Backup", "backup"]


@frozen
class Backup:
    """A backup made by :func:`backup`: where it is, and what the copy holds (it passed
    SQLite's integrity check)."""

    path: Path
    stakeholders: int
    relationships: int
    interactions: int

    def to_dict(self) -> dict[str, Any]:
        """Plain data: the path as text and the counts."""
        return {"path": plain(self.path), "stakeholders": self.stakeholders,
                "relationships": self.relationships, "interactions": self.interactions}


def backup(ws: Workspace, file: Path | str, *, force: bool = False) -> Backup:
    """Copy the workspace's SQLite database to ``file`` as one consistent snapshot while
    others keep working; an existing ``file`` is replaced only with ``force``. On
    PostgreSQL a :class:`~interessent.errors.StoreError` names the ``pg_dump`` command to
    use instead."""
    path = ws.store.backup(file, force=force)
    with Store.for_path(path, upgrade=False) as copy:
        counts = copy.counts()
    return Backup(path=path, stakeholders=counts["stakeholders"],
                  relationships=counts["relationships"], interactions=counts["interactions"])

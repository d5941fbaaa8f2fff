"""The object every command gets: the workspace, opened on first use."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from ..workspace import Workspace


class Context:
    def __init__(self, workspace_path: Path | None, db: str | None) -> None:
        self.workspace_path = workspace_path
        self.db = db
        self._workspace: Workspace | None = None

    @property
    def workspace(self) -> Workspace:
        if self._workspace is None:
            from ..errors import WorkspaceError
            from ..workspace import Workspace

            if self.workspace_path is not None:
                self._workspace = Workspace(self.workspace_path, db=self.db)
            else:
                try:
                    self._workspace = Workspace.find(db=self.db)
                except WorkspaceError as exc:
                    raise WorkspaceError(f"{exc}; run 'interessent init DIR' or pass "
                                         "--workspace DIR") from None
        return self._workspace

    def close(self) -> None:
        if self._workspace is not None:
            self._workspace.close()


pass_context = click.make_pass_decorator(Context)

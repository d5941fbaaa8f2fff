"""The object every command gets: the workspace, opened on first use.

The library reads no environment variable; the command line maps them to its arguments
here: ``INTERESSENT_DB`` (the ``--db`` option's variable, see :mod:`interessent.cli`) to
``db``, ``INTERESSENT_USER`` to the audit log's ``actor``, ``INTERESSENT_BUSY_TIMEOUT_MS``
to ``busy_timeout_ms``.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

import click

from ..errors import InvalidInput
from ..i18n import gettext

if TYPE_CHECKING:
    from ..workspace import Workspace

#: Who is working, for the audit log (else the operating-system user).
ACTOR_ENV = "INTERESSENT_USER"
#: How long a writer waits for another one, in milliseconds (default 10 s).
BUSY_TIMEOUT_ENV = "INTERESSENT_BUSY_TIMEOUT_MS"


class Context:
    def __init__(self, workspace_path: Path | None, db: str | None) -> None:
        self.workspace_path = workspace_path
        self.db = db
        self._workspace: Workspace | None = None
        #: The command that ran (set by :func:`pass_context`), whose options an error
        #: names (``cli._hints``).
        self.command: click.Command | None = None

    @property
    def actor(self) -> str | None:
        """``INTERESSENT_USER``, if set: one line of text (checked as every actor is)."""
        from ..store import check_actor

        actor = os.environ.get(ACTOR_ENV, "").strip() or None
        try:
            return check_actor(actor)
        except InvalidInput as exc:
            raise InvalidInput(f"{ACTOR_ENV}: {str(exc).removeprefix('actor: ')}") from None

    @property
    def busy_timeout_ms(self) -> int | None:
        """``INTERESSENT_BUSY_TIMEOUT_MS``, if set: a whole number of milliseconds."""
        from ..store.connection import MAX_BUSY_TIMEOUT_MS

        text = os.environ.get(BUSY_TIMEOUT_ENV, "").strip()
        if not text:
            return None
        if not (text.isascii() and text.isdigit()) or int(text[:12]) > MAX_BUSY_TIMEOUT_MS:
            raise InvalidInput(gettext(
                "{name} must be a whole number of milliseconds (at most {most}, a day), not "
                "{text!r}").format(name=BUSY_TIMEOUT_ENV, most=MAX_BUSY_TIMEOUT_MS,
                                   text=text[:40]))
        return int(text)

    @property
    def workspace(self) -> Workspace:
        if self._workspace is None:
            from ..errors import WorkspaceError
            from ..workspace import Workspace

            actor, busy = self.actor, self.busy_timeout_ms
            if self.workspace_path is not None:
                ws = Workspace(self.workspace_path, db=self.db)
            else:
                try:
                    ws = Workspace.find(db=self.db)
                except WorkspaceError as exc:
                    raise WorkspaceError(gettext(
                        "{error}; run 'interessent init DIR' or pass --workspace DIR").format(
                            error=exc)) from None
            ws.actor, ws.busy_timeout_ms = actor, busy  # before its store opens
            self._workspace = ws
        return self._workspace

    def close(self) -> None:
        if self._workspace is not None:
            self._workspace.close()


_P = ParamSpec("_P")
_R = TypeVar("_R")


def pass_context(f: Callable[Concatenate[Context, _P], _R]) -> Callable[_P, _R]:
    """Pass the :class:`Context` as the command's first argument (as
    ``click.make_pass_decorator`` does), noting the command that runs, so that an error
    can name its options rather than the library's parameters."""

    @functools.wraps(f)
    def new(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        ctx = click.get_current_context()
        context = ctx.find_object(Context)
        if context is None:  # pragma: no cover - every command runs under the root group
            raise RuntimeError("no interessent context")
        context.command = ctx.command
        return ctx.invoke(f, context, *args, **kwargs)

    return new

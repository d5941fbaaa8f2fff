"""Rendering a report in memory (:func:`render_report`) and writing it to a file: the
formats, the default path under the workspace, and :func:`write_report`, which gathers,
renders and writes one atomically."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TextIO, overload

from ..errors import InvalidInput, PathError
from ..files import path_error, write_atomically
from ..i18n import check_language, gettext
from ..periods import Period
from .dashboard import render_html
from .gathering import build_report
from .status import render_docx, render_markdown
from .wording import period_key

if TYPE_CHECKING:
    from ..workspace import Workspace

#: A report's format: the dashboard (``html``) or the status report (``md``, ``docx``).
ReportFormat = Literal["html", "md", "docx"]
#: The formats :func:`write_report` writes: the dashboard and the status report.
FORMATS: tuple[ReportFormat, ...] = ("html", "md", "docx")
REPORTS_DIR = "rapporter"


def default_path(ws: Workspace, period: Period, *, as_of: dt.date, fmt: ReportFormat) -> Path:
    """``<workspace>/rapporter/rapport-<period>-<as_of>.<fmt>``."""
    return ws.root / REPORTS_DIR / f"rapport-{period_key(period)}-{as_of.isoformat()}.{fmt}"


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown report format {fmt!r} (expected one of "
                           f"{', '.join(FORMATS)})")


@overload
def render_report(ws: Workspace, period: Period, *, as_of: dt.date | None = None,
                  fmt: Literal["html", "md"] = "html", language: str | None = None) -> str: ...
@overload
def render_report(ws: Workspace, period: Period, *, as_of: dt.date | None = None,
                  fmt: Literal["docx"], language: str | None = None) -> bytes: ...
@overload
def render_report(ws: Workspace, period: Period, *, as_of: dt.date | None = None,
                  fmt: ReportFormat = "html", language: str | None = None) -> str | bytes: ...
def render_report(ws: Workspace, period: Period, *, as_of: dt.date | None = None,
                  fmt: ReportFormat = "html", language: str | None = None) -> str | bytes:
    """The dashboard (``html``) or the status report (``md`` text, ``docx`` bytes) for
    ``period`` as of ``as_of`` (default today), made in memory: nothing is written, so a
    web service can send it as it is. It speaks ``language`` (``nb``, ``nn`` or ``en``;
    default: the plan's ``programme.language``)."""
    _check_format(fmt)
    report = build_report(ws, period, as_of=as_of or dt.date.today(), language=language)
    if fmt == "docx":
        return render_docx(report)
    return render_html(report) if fmt == "html" else render_markdown(report)


def write_report(ws: Workspace, period: Period, *, as_of: dt.date | None = None,
                 fmt: ReportFormat = "html", out: Path | None = None,
                 language: str | None = None) -> Path:
    """Write the dashboard (``html``) or the status report (``md``, ``docx``) atomically to
    ``out`` (default :func:`default_path`) in ``language`` (default: the plan's
    ``programme.language``); returns its absolute path. A folder that cannot be written
    is a :class:`PathError` naming it; nothing is left behind."""
    _check_format(fmt)
    day = as_of or dt.date.today()
    path = default_path(ws, period, as_of=day, fmt=fmt) if out is None else Path(out)
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder; give the report's file name")
    if out is not None and not path.parent.is_dir():  # before the work, not after it
        raise PathError(path.parent, gettext("no such folder"))
    if language is not None:
        check_language(language)  # before the work, not after it
    content = render_report(ws, period, as_of=day, fmt=fmt, language=language)
    if isinstance(content, bytes):
        _write(path, lambda stream: stream.buffer.write(content))
    else:
        _write(path, lambda stream: stream.write(content))
    return path.resolve()


def _write(path: Path, write: Callable[[TextIO], object]) -> None:
    """Write ``path`` atomically, making its folder (``rapporter/``) if need be; a folder
    made for a file that then failed is removed again."""
    made = not path.parent.exists()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise path_error(path.parent, exc) from None
    try:
        write_atomically(path, write)
    except BaseException:
        if made:
            with contextlib.suppress(OSError):
                path.parent.rmdir()
        raise

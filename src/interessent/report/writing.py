"""Writing a report to a file: the formats, the default path under the workspace, and
:func:`write_report`, which gathers, renders and writes one atomically."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InvalidInput
from ..files import write_atomically
from ..periods import Period
from .dashboard import render_html
from .gathering import build_report
from .status import render_docx, render_markdown
from .wording import period_key

if TYPE_CHECKING:
    from ..workspace import Workspace

#: The formats :func:`write_report` writes: the dashboard and the status report.
FORMATS = ("html", "md", "docx")
REPORTS_DIR = "rapporter"


def default_path(ws: Workspace, period: Period, as_of: dt.date, fmt: str) -> Path:
    """``<workspace>/rapporter/rapport-<period>-<as_of>.<fmt>``."""
    return ws.root / REPORTS_DIR / f"rapport-{period_key(period)}-{as_of.isoformat()}.{fmt}"


def write_report(ws: Workspace, period: Period, *, as_of: dt.date | None = None,
                 fmt: str = "html", out: Path | None = None) -> Path:
    """Write the dashboard (``html``) or the status report (``md``, ``docx``) atomically to
    ``out`` (default :func:`default_path`); returns its absolute path."""
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown report format {fmt!r} (expected one of "
                           f"{', '.join(FORMATS)})")
    day = as_of or dt.date.today()
    if out is None:
        path = default_path(ws, period, day, fmt)
        path.parent.mkdir(parents=True, exist_ok=True)
    else:
        path = Path(out)
        if path.is_dir():
            raise InvalidInput(f"{path} is a folder; give the report's file name")
        if not path.parent.is_dir():  # before the work, not after it
            raise InvalidInput(f"no such folder: {path.parent}")
    report = build_report(ws, period, as_of=day)
    if fmt == "docx":
        data = render_docx(report)
        write_atomically(path, lambda stream: stream.buffer.write(data))
    else:
        text = render_html(report) if fmt == "html" else render_markdown(report)
        write_atomically(path, lambda stream: stream.write(text))
    return path.resolve()

"""Where a template went wrong: the template line in a traceback, the field a person
meant, and the fields that do exist there."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .record import Record

if TYPE_CHECKING:
    from .library import _Library


def _template_frame(exc: BaseException, default: str) -> tuple[str, int | None]:
    """The innermost traceback frame that is a template line: (file name, line)."""
    found: tuple[str, int | None] = (default, None)
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith((".j2", ".docx")) or name == "<template>":
            found = (Path(name).name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _undefined_name(message: str) -> str | None:
    for pattern in (r"has no attribute '([^']+)'", r"^'([^']+)' is undefined",
                    r"has no element '?([^']+?)'?$"):
        match = re.search(pattern, message)
        if match:
            return match.group(1)
    return None


def _source_line(exc: BaseException, where: str, line: int | None, library: _Library) -> str:
    if not line:
        return ""
    tb = exc.__traceback__
    path: str | None = None
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if Path(name).name == where:
            path = name
        tb = tb.tb_next
    try:
        text = (Path(path).read_text(encoding="utf-8") if path and not library.is_given(where)
                else library.source(where))
        return text.splitlines()[line - 1]
    except (OSError, IndexError, KeyError):
        return ""


def _field_hint(field: str | None, line: str,
                context: Mapping[str, Any] | None) -> tuple[str | None, str]:
    """The dotted path of a misspelt field as written on ``line``, and a hint naming the
    fields that do exist there."""
    if not field or context is None:
        return None, ""
    match = re.search(rf"([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\.{re.escape(field)}\b", line)
    owner: Any = context
    path = field
    if match:
        path = f"{match.group(1)}.{field}"
        for part in match.group(1).split("."):
            try:
                owner = owner[part] if isinstance(owner, Mapping | Record) else getattr(
                    owner, part)
            except (KeyError, AttributeError, TypeError):
                return path, ""
    if isinstance(owner, Mapping | Record):
        # Jinja's own globals (range, namespace …) are not the letter's fields
        known = sorted(str(k) for k in owner if not callable(owner[k]))
    else:
        return path, ""
    close = difflib.get_close_matches(field, known, n=1)
    hint = f" — did you mean {close[0]!r}?" if close else ""
    where = match.group(1) if match else "the letter"
    shown = ", ".join(known) if len(known) <= 30 else ", ".join(known[:30]) + ", …"
    return path, f"{hint} ({where} has: {shown})"

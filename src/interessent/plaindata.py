"""Plain data: what every result's ``to_dict()`` returns, ready for :func:`json.dumps`.

Enums become their value, dates and times ISO text, tuples, sets and frozensets lists,
paths text, bytes base64 text; mappings keep their keys as text. The CLI prints ``--format
json`` as exactly a result's ``to_dict()``.
"""

from __future__ import annotations

import base64
import datetime as dt
import enum
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

__all__ = ["plain", "rounded"]

#: The decimals a score or share keeps in plain data (and in the CLI's JSON).
DECIMALS = 4


def plain(value: Any) -> Any:
    """``value`` as JSON-ready data, recursively.

    >>> plain({"day": dt.date(2026, 11, 26), "ids": ("a", "b")})
    {'day': '2026-11-26', 'ids': ['a', 'b']}
    """
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if isinstance(value, dt.date):  # a datetime too
        return value.isoformat()
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, tuple | list | set | frozenset):
        items = [plain(v) for v in value]
        return items if isinstance(value, tuple | list) else sorted(items, key=str)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def rounded(value: float | None) -> float | None:
    """A score or share to :data:`DECIMALS` decimals (None stays None)."""
    return None if value is None else round(value, DECIMALS)

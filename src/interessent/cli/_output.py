"""Listings as a table, JSON or CSV."""

from __future__ import annotations

import csv
import datetime as dt
import enum
import json
import sys
from collections.abc import Mapping, Sequence
from typing import Any

import click

FORMATS = ("table", "json", "csv")

format_option = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
    help="table for people, json or csv for scripts and spreadsheets.",
)


def _plain(value: Any) -> Any:
    """A JSON-ready copy: enums by value, dates as ISO text, tuples as lists, recursively."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _cell(value: Any) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def emit(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    fmt: str,
    *,
    headers: Mapping[str, str] | None = None,
    empty: str = "nothing to show",
) -> None:
    """Print ``rows`` (dicts) in ``fmt``. JSON keeps every key; table and CSV ``columns``."""
    if fmt == "json":
        data = [{k: _plain(v) for k, v in row.items()} for row in rows]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        from ..exporting import neutralise

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([neutralise(_cell(row.get(c))) for c in columns])
        return
    if not rows:
        click.echo(empty, err=True)
        return
    titles = [(headers or {}).get(c, c) for c in columns]
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    widths = [max(len(t), *(len(r[i]) for r in cells)) for i, t in enumerate(titles)]
    # Long cells are cut at 48 characters, except in the last column, which may run on.
    widths = [min(w, 48) if i < len(widths) - 1 else w for i, w in enumerate(widths)]

    def line(values: Sequence[str]) -> str:
        parts = [
            (v if len(v) <= w else v[: w - 1] + "…").ljust(w)
            for v, w in zip(values, widths, strict=True)
        ]
        return "  ".join(parts).rstrip()

    click.echo(click.style(line(titles), bold=True))
    click.echo("  ".join("─" * w for w in widths))
    for row_cells in cells:
        click.echo(line(row_cells))

"""Shared fixtures: a small plan and workspaces on real SQLite files in ``tmp_path``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from interessent.workspace import PLAN_FILE, Workspace

PLAN = """\
[programme]
name = "Testprogrammet"
municipality = "Osen kommune"
start = 2026-01-01
language = "nn"

[[groups]]
key = "befolkningen"
name = "Befolkningen i Osen"
number = 1

[[groups]]
key = "naeringslivet"
name = "Det etablerte næringslivet"
number = 2

[[channels]]
key = "direkte"
name = "Direkte kontakt"
kind = "direct"

[[channels]]
key = "media"
name = "Lokale medier"
kind = "media"

[[roles]]
key = "daglig_leder"
name = "Daglig leder"
programme = true

[[roles]]
key = "styreleder"
name = "Styreleder"
programme = true
aliases = ["styreformann"]

[[roles]]
key = "ordforer"
name = "Ordfører"

[[commitments]]
id = "B1"
title = "Nyheter i lokale medier"
groups = ["befolkningen", "naeringslivet"]
cadence = "month"
channel = "media"

[[commitments]]
id = "B5"
title = "Dialogmøter med næringslivet"
groups = ["naeringslivet"]
cadence = "half_year"
"""


@pytest.fixture
def plan_text() -> str:
    return PLAN


@pytest.fixture
def make_workspace(tmp_path: Path, plan_text: str) -> Iterator[Callable[[str], Workspace]]:
    """Makes workspaces with the test plan under ``tmp_path/<name>``; closes them after."""
    opened: list[Workspace] = []

    def make(name: str = "ws") -> Workspace:
        root = tmp_path / name
        root.mkdir()
        (root / PLAN_FILE).write_text(plan_text, encoding="utf-8")
        ws = Workspace(root)
        opened.append(ws)
        return ws

    yield make
    for ws in opened:
        ws.close()


@pytest.fixture
def workspace(make_workspace: Callable[[str], Workspace]) -> Workspace:
    """A workspace at ``tmp_path/ws`` whose database is the SQLite file ``interessent.db``."""
    return make_workspace("ws")

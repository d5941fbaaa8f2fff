"""The public API as a type checker sees it: a misspelt name fails ``mypy --strict``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import interessent

PACKAGE = Path(interessent.__file__).parent

#: ``mypy --strict``, checking the package's ``__init__`` and what the snippets do with it;
#: the modules it imports are skipped (their names are then of type Any), which keeps the
#: run to a second or two and leaves what the names are to ``__init__`` alone.
CONFIG = "[mypy]\nstrict = True\nfollow_imports = skip\n"


def _mypy(tmp_path: Path, snippets: dict[str, str]) -> tuple[int, list[str]]:
    """Run the venv's mypy on ``snippets`` (file name → code); (exit status, error lines)."""
    (tmp_path / "mypy.ini").write_text(CONFIG, encoding="utf-8")
    for name, code in snippets.items():
        (tmp_path / name).write_text(code, encoding="utf-8")
    env = {**os.environ, "MYPYPATH": str(PACKAGE.parent)}
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", "mypy.ini", "--cache-dir",
         str(tmp_path / "cache"), *snippets, str(PACKAGE / "__init__.py")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False)
    return done.returncode, [line for line in done.stdout.splitlines() if ": error:" in line]


def test_a_misspelt_top_level_name_fails_mypy_strict(tmp_path: Path) -> None:
    code, errors = _mypy(tmp_path, {
        "misspelt.py": ("import interessent\n\n\n"
                        "def leaders(ws: interessent.Workspace) -> None:\n"
                        "    interessent.rank_leader(ws)\n"),
        "spelt.py": ("import interessent\n\n\n"
                     "def leaders(ws: interessent.Workspace) -> None:\n"
                     "    interessent.rank_leaders(ws)\n"),
    })
    assert code == 1
    assert len(errors) == 1
    assert errors[0].startswith("misspelt.py:5: error: Module has no attribute \"rank_leader\"")


def test_correct_names_pass_mypy_strict(tmp_path: Path) -> None:
    code, errors = _mypy(tmp_path, {"names.py": (
        "import interessent\n"
        "from interessent import Workspace, draft, parse_period, rank_leaders\n\n\n"
        "def run(ws: Workspace) -> None:\n"
        "    rank_leaders(ws)\n"
        "    draft(ws, 'dialogmote')\n"
        "    print(parse_period('2026').start, interessent.Period)\n")})
    assert (code, errors) == (0, [])


def test_the_lazy_names_still_load_at_run_time() -> None:
    assert interessent.rank_leaders.__module__ == "interessent.graph.leaders"
    with pytest.raises(AttributeError, match=r"^module 'interessent' has no attribute "
                                             r"'rank_leader'$"):
        interessent.rank_leader  # type: ignore[attr-defined]  # noqa: B018

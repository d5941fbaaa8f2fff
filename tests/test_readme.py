"""The README's two set-up commands, as a newcomer runs them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def command(marker: str) -> str:
    match = re.search(rf"<!-- {marker} -->\s*```sh\n(.+?)\n```", README, flags=re.DOTALL)
    assert match, f"the README has no {marker}"
    lines = match.group(1).strip().splitlines()
    assert len(lines) == 1, "each set-up command is one line"
    return lines[0]


def test_the_readme_has_exactly_two_set_up_commands() -> None:
    assert command("main-command").startswith("python3 -m venv .venv && ")
    assert command("test-command").startswith("python3 -m venv .venv && ")
    assert len(re.findall(r"<!-- (main|test)-command -->", README)) == 2


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "<!-- test-command -->" in ci
    assert "ruff check" in ci and "mypy --strict src" in ci


def _checkout_copy(dest: Path) -> None:
    """The files git tracks (and new ones it does not ignore), as a fresh clone has them."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git to list the checkout")
@pytest.mark.sqlite_only(reason="the README's main command is the embedded SQLite set-up")
@pytest.mark.timeout(1200)  # pip alone may take up to 900 s (below)
def test_the_main_command_on_a_fresh_checkout(tmp_path: Path) -> None:
    """pip install . into a fresh venv (a real wheel: the example and the migrations must
    ship inside it), then the Osen example end to end."""
    checkout = tmp_path / "checkout"
    _checkout_copy(checkout)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(sys.prefix))
    env["INTERESSENT_LANG"] = "en"  # the words below are English (the plan's own is bokmål)
    done = subprocess.run(["bash", "-c", command("main-command")], cwd=checkout, env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Made workspace" in done.stdout and "osen-demo" in done.stdout
    # the coverage of the start-up year: every group, every commitment of the strategy
    assert "Coverage 2026-01-01..2026-12-31" in done.stdout
    # (the plan's names and titles in English, as the plan gives them per language)
    assert "The people of Osen" in done.stdout
    assert "Board meetings at local businesses" in done.stdout
    # it ends with the path of a report a newcomer can open
    last = Path(done.stdout.strip().splitlines()[-1])
    assert last.is_absolute() and last.suffix == ".html" and last.is_file()
    assert "Omstillingsprogrammet i Osen" in last.read_text(encoding="utf-8")
    # the wheel, not the checkout, served the example and the migrations
    site = list((checkout / ".venv" / "lib").glob("python3*/site-packages/interessent"))
    assert site and (site[0] / "examples" / "osen" / "interessent.toml").is_file()
    assert (site[0] / "migrations" / "versions").is_dir()
    # and the message catalogs, compiled by the build hook (hatch_build.py)
    for language in ("nb", "nn", "en"):
        assert (site[0] / "locale" / language / "LC_MESSAGES" / "interessent.mo").is_file()
    assert not list((site[0] / "locale").rglob("*.po"))

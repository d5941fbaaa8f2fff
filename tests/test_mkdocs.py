"""The documentation site builds with no warnings (``mkdocs build --strict``).

``mkdocs.yml`` turns every check MkDocs has into a warning (a page missing from the
nav, a link to a missing page or anchor), so this test is the docs' CI build.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def _nav_pages() -> list[str]:
    yaml = pytest.importorskip("yaml", reason="PyYAML comes with mkdocs")

    def pages(entries: object) -> list[str]:
        found: list[str] = []
        if isinstance(entries, str):
            return [entries]
        if isinstance(entries, list):
            for entry in entries:
                found += pages(entry)
        elif isinstance(entries, dict):
            for value in entries.values():
                found += pages(value)
        return found

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    return pages(config["nav"])


def test_the_docs_build_without_warnings(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs", reason="mkdocs is a test dependency: pip install '.[test]'")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
         str(ROOT / "mkdocs.yml"), "--site-dir", str(tmp_path / "site")],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{log}"
    assert "WARNING" not in log, log
    assert (tmp_path / "site" / "cli" / "index.html").is_file()


def test_every_page_is_in_the_nav_and_every_nav_entry_exists() -> None:
    nav = _nav_pages()
    pages = sorted(p.name for p in DOCS.glob("*.md"))
    assert sorted(nav) == pages, (
        f"not in mkdocs.yml's nav: {sorted(set(pages) - set(nav))}; "
        f"in the nav but missing: {sorted(set(nav) - set(pages))}")
    assert len(nav) == len(set(nav)), "a page is in the nav twice"


def test_the_pages_the_issue_asks_for_are_there() -> None:
    nav = set(_nav_pages())
    assert {"index.md", "getting-started.md", "concepts.md", "plan.md", "drafting.md",
            "cli.md", "api.md", "adapting.md"} <= nav

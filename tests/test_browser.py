"""The dashboard in a real browser: Debian's headless Chromium opens the generated page,
any console message fails the test, and a screenshot is saved.

The dashboard runs no script at all (its Content-Security-Policy forbids any), so every
console message is a fault: a script that slipped through escaping and was blocked, a
resource the page tried to load, an error. Chromium's log (``--enable-logging=stderr``)
prints each console message as a ``CONSOLE`` line without its level, so the check is
"no console message", which is stricter than "no console error". A page that logs an
error and throws is checked first, to prove the check catches them.

Without Chromium the tests are skipped, except on CI (``CI=true``), where ``.ci/run``
installs it. With ``INTERESSENT_SAVE_SCREENSHOTS=1`` the screenshots are also copied to
``docs/screenshots/``.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from attrs import frozen

from interessent.model import Interaction, Relationship, Stakeholder
from interessent.periods import Period
from interessent.report import NETWORK_LIMIT, write_report
from interessent.workspace import Workspace, init_workspace

DOCS_SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
AS_OF = dt.date(2026, 11, 26)
HOSTILE = '<script>alert(1);console.error("xss")</script>'
#: A Chromium console line: ``[…:INFO:CONSOLE:12] "message", source: file:///… (12)``
#: (older builds write ``CONSOLE(12)``).
CONSOLE = re.compile(r":CONSOLE(?:\(\d+\)|:\d+)?\] (.*)$")
TIMEOUT = 90


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("Chromium is not installed; CI needs it for the browser test "
                    "(.ci/run installs Debian's chromium package)")
    pytest.skip("Chromium is not installed (Debian: apt-get install chromium); "
                "the dashboard's browser test needs it")


@frozen
class Rendered:
    screenshot: Path
    console: list[str]
    dom: str


def _flags(profile: Path) -> list[str]:
    return ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-extensions", "--hide-scrollbars", "--force-device-scale-factor=1",
            f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0"]


def render(page: Path, screenshot: Path, *, size: tuple[int, int] = (1400, 4000),
           url: str | None = None) -> Rendered:
    """Open ``page`` (or ``url``) in headless Chromium: a screenshot of ``size`` and the
    console messages, then the DOM as the browser parsed it."""
    chromium = _chromium()
    target = url or page.resolve().as_uri()
    profile = screenshot.parent / f".chromium-{screenshot.stem}"
    shot = subprocess.run(
        [chromium, *_flags(profile), f"--screenshot={screenshot}",
         f"--window-size={size[0]},{size[1]}", target],
        capture_output=True, text=True, timeout=TIMEOUT, check=False,
    )
    assert screenshot.is_file(), f"Chromium wrote no screenshot:\n{shot.stderr[-2000:]}"
    dom = subprocess.run(
        [chromium, *_flags(profile), "--dump-dom", target],
        capture_output=True, text=True, timeout=TIMEOUT, check=False,
    )
    console = [m.group(1) for line in (shot.stderr + dom.stderr).splitlines()
               if (m := CONSOLE.search(line))]
    shutil.rmtree(profile, ignore_errors=True)
    return Rendered(screenshot, console, dom.stdout)


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def _keep(shot: Path, name: str) -> None:
    if os.environ.get("INTERESSENT_SAVE_SCREENSHOTS") == "1":
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, DOCS_SCREENSHOTS / name)


def _section(page: Path, fragment: str, shot: Path, size: tuple[int, int]) -> Rendered:
    """A screenshot of one section: a frame scrolled to ``#fragment`` (a headless
    screenshot shows only the top of a page)."""
    frame = shot.with_suffix(".html")
    frame.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>frame</title></head>'
        '<body style="margin:0;overflow:hidden"><iframe src="'
        f'{page.resolve().as_uri()}#{fragment}" title="rapport" '
        'style="border:0;width:100vw;height:100vh;display:block"></iframe></body></html>',
        encoding="utf-8")
    return render(frame, shot, size=size)


# --- the checker --------------------------------------------------------------------------


def test_the_checker_catches_a_broken_page(tmp_path: Path) -> None:
    page = tmp_path / "broken.html"
    page.write_text(
        '<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8"><title>x</title></head>'
        '<body><p>x</p><script>console.error("deliberate error"); missingFunction();'
        "</script></body></html>", encoding="utf-8")
    result = render(page, tmp_path / "broken.png", size=(800, 600))
    assert any("deliberate error" in m for m in result.console), result.console
    assert any("Uncaught ReferenceError" in m and "missingFunction" in m
               for m in result.console), result.console


def test_the_checker_catches_a_blocked_script(tmp_path: Path) -> None:
    page = tmp_path / "blocked.html"
    page.write_text(
        '<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8">'
        """<meta http-equiv="Content-Security-Policy" content="default-src 'none'">"""
        "<title>x</title></head><body><script>alert(1)</script></body></html>",
        encoding="utf-8")
    result = render(page, tmp_path / "blocked.png", size=(800, 600))
    assert any("Content Security Policy" in m for m in result.console), result.console


def test_the_checker_passes_a_clean_page(tmp_path: Path) -> None:
    page = tmp_path / "clean.html"
    page.write_text('<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8">'
                    "<title>x</title></head><body><p>Hei</p></body></html>", encoding="utf-8")
    result = render(page, tmp_path / "clean.png", size=(800, 600))
    assert result.console == []
    assert "<p>Hei</p>" in result.dom


# --- the dashboard ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def osen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """The Osen example, with a stakeholder whose name is a script, in a success story."""
    ws = init_workspace(tmp_path_factory.mktemp("browser") / "osen", example="osen")
    with ws.store.write() as s:
        ws.store._save_stakeholders(s, [Stakeholder(
            id="hostile", name=HOSTILE, groups=("befolkningen",), influence=4, interest=2)])
        ws.store._save_relationships(s, [Relationship("hostile", "astrid-lian", "knows", 0.8,
                                                     directed=False)])
        ws.store._save_interactions(s, [Interaction(
            "K2026-9999", dt.date(2026, 11, 24), "meeting", "direkte",
            participants=("hostile",), topic=HOSTILE, success=True)])
    yield ws
    ws.close()


def test_the_dashboard_in_chromium(osen: Workspace, tmp_path: Path) -> None:
    _chromium()
    page = write_report(osen, Period.year(2026), as_of=AS_OF, out=tmp_path / "rapport.html")
    result = render(page, tmp_path / "report-osen.png")
    assert result.console == [], result.console
    assert _png_size(result.screenshot) == (1400, 4000)
    # the hostile name is text, not a script, after the browser parsed the page
    assert "<script" not in result.dom.lower()
    assert "&lt;script&gt;alert(1);console.error(\"xss\")&lt;/script&gt;" in result.dom
    assert "Nettverket og opinionsdannerne" in result.dom
    for fragment, size in (("tiltak", (1280, 900)), ("nettverk", (1280, 860)),
                           ("makt", (1280, 820))):
        name = f"report-{fragment}.png"
        section = _section(page, fragment, tmp_path / name, size)
        assert section.console == [], section.console
        _keep(section.screenshot, name)
    top = render(page, tmp_path / "report-top.png", size=(1280, 1000))
    assert top.console == []
    _keep(top.screenshot, "report-top.png")


def test_a_large_network_in_chromium(tmp_path: Path) -> None:
    """Above the network limit the page draws the leaders' neighbourhood, and still opens
    without a console message."""
    _chromium()
    ws = init_workspace(tmp_path / "stor", example="osen")
    rng = random.Random(3)
    ids = [f"syn-{i:04d}" for i in range(1500)]
    register = [s.id for s in ws.store.stakeholders()]
    pairs = {tuple(sorted((rng.choice(ids), rng.choice(ids + register))))
             for _ in range(5000)}
    with ws.store.write() as s:
        ws.store._save_stakeholders(s, [
            Stakeholder(id=i, name=f"Syntetisk Person {n}", groups=("befolkningen",),
                        influence=rng.randint(1, 5), interest=rng.randint(1, 5))
            for n, i in enumerate(ids)])
        ws.store._save_relationships(s, [Relationship(a, b, "knows", 0.5, directed=False)
                                        for a, b in sorted(pairs) if a != b])
    page = write_report(ws, Period.year(2026), as_of=AS_OF, out=tmp_path / "stor.html")
    ws.close()
    text = page.read_text(encoding="utf-8")
    assert "for mange til å vise alle" in text
    assert text.count('<g class="nodes">') == 1
    section = _section(page, "nettverk", tmp_path / "report-nettverk-stor.png", (1280, 860))
    assert section.console == [], section.console
    _keep(section.screenshot, "report-nettverk-stor.png")
    assert NETWORK_LIMIT >= 100

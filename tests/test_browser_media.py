"""The dashboard's key messages and published stories in a real browser (issue 14, item
6), with the checker of :mod:`test_browser`: no console message, the hostile text of a
key message shown as text, and a screenshot of the section."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from interessent import log_interaction
from interessent.periods import Period
from interessent.report import write_report
from interessent.workspace import Workspace, init_workspace
from test_browser import _chromium, _keep, _section, render

AS_OF = dt.date(2026, 11, 26)
HOSTILE = '<script>alert(1);console.error("xss")</script>'


def test_the_key_messages_in_chromium(tmp_path: Path) -> None:
    _chromium()
    root = tmp_path / "osen"
    init_workspace(root, example="osen").close()
    plan = root / "interessent.toml"
    plan.write_text(plan.read_text(encoding="utf-8") + f'\n[[messages]]\nkey = "farlig"\n'
                    f"text = '{HOSTILE}'\n", encoding="utf-8")
    with Workspace(root) as ws:
        for day, messages, story in (
                ("2026-02-10", ["grunderkommune"], None),  # Q1
                ("2026-05-05", ["grunderkommune", "attraktiv"], None),  # Q2
                ("2026-11-20", ["grunderkommune", "farlig"], "K2026-0326")):  # Q4
            log_interaction(ws, kind="article", date=day, groups=["befolkningen"],
                            outlet="osen-posten", messages=messages, story=story,
                            tone="positive")
        page = write_report(ws, Period.year(2026), as_of=AS_OF, out=tmp_path / "rapport.html")
    result = render(page, tmp_path / "report-media.png")
    assert result.console == [], result.console
    assert "<script" not in result.dom.lower()
    assert "&lt;script&gt;alert(1);console.error(\"xss\")&lt;/script&gt;" in result.dom
    # the table as the browser parsed it: grunderkommune logged here in Q1, Q2 and Q4, and
    # in the example's articles of 06-17 (Q2), 08-26 (Q3) and 11-11 (Q4): six in all
    row = result.dom.split('data-message="grunderkommune"')[1].split("</tr>")[0]
    cells = [c.split(">", 1)[1].split("<")[0] for c in row.split("<td")[1:]]
    assert cells[1:5] == ["1", "2", "1", "2"]
    assert "<strong>6</strong>" in row
    assert 'id="budskap"' in result.dom
    # the published story names its outlet
    assert "Osen-Posten" in result.dom.split('id="suksess"')[1].split("</section>")[0]
    section = _section(page, "budskap", tmp_path / "report-budskap.png", (1280, 700))
    assert section.console == [], section.console
    _keep(section.screenshot, "report-budskap.png")
